"""The SMTP client against a real local SMTP server."""

import socket
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from medianest.integrations.smtp.client import (
    DisabledMailer,
    SmtpMailer,
    create_mailer,
)
from medianest.integrations.smtp.errors import MailUnavailableError
from medianest.integrations.smtp.schemas import MailMessage, SmtpConfig
from medianest.kit.errors import ErrorCode
from medianest.settings import Environment, Settings, SmtpSecurity
from tests.fakes.smtp import FAKE_SENDER, FakeSmtpServer

WELCOME = MailMessage(
    to="alice@example.test",
    subject="Welcome to MediaNest",
    text="Hello Alice,\nyour account is ready.",
    html="<p>Hello Alice,<br>your account is ready.</p>",
)


def config_for(server: FakeSmtpServer, **overrides: object) -> SmtpConfig:
    values: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "sender": FAKE_SENDER,
        "security": SmtpSecurity.NONE,
        "timeout_seconds": 5.0,
    }
    values.update(overrides)
    return SmtpConfig(**values)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class TestSend:
    async def test_message_arrives_with_headers_text_and_html(
        self, smtp_server: FakeSmtpServer
    ) -> None:
        await SmtpMailer(config_for(smtp_server)).send(WELCOME)

        mail = smtp_server.wait_for("alice@example.test")
        assert mail.mail_from == "medianest@example.test"
        assert mail.rcpt_tos == ("alice@example.test",)
        assert mail.subject == "Welcome to MediaNest"
        assert mail.message["From"] == FAKE_SENDER
        assert mail.message["To"] == "alice@example.test"
        assert mail.message["Date"] is not None
        assert str(mail.message["Message-ID"]).endswith("@example.test>")
        assert mail.text is not None
        assert mail.text.strip() == "Hello Alice,\nyour account is ready."
        assert mail.html is not None
        assert mail.html.strip() == "<p>Hello Alice,<br>your account is ready.</p>"

    async def test_text_only_message_has_no_html_part(self, smtp_server: FakeSmtpServer) -> None:
        message = MailMessage(to="bob@example.test", subject="Plain", text="Just text.")

        await SmtpMailer(config_for(smtp_server)).send(message)

        mail = smtp_server.wait_for("bob@example.test")
        assert mail.html is None
        assert mail.text is not None
        assert mail.text.strip() == "Just text."

    async def test_non_ascii_subject_and_body_survive(self, smtp_server: FakeSmtpServer) -> None:
        message = MailMessage(to="zoe@example.test", subject="Bienvenue, Zoé", text="Café ☕")

        await SmtpMailer(config_for(smtp_server)).send(message)

        mail = smtp_server.wait_for("zoe@example.test")
        assert mail.subject == "Bienvenue, Zoé"
        assert mail.text is not None
        assert mail.text.strip() == "Café ☕"


class TestLogin:
    async def test_server_requiring_login_accepts_the_configured_credentials(self) -> None:
        with FakeSmtpServer(credentials=("mailer", "s3cret-pass")) as server:
            config = config_for(server, username="mailer", password="s3cret-pass")

            await SmtpMailer(config).send(WELCOME)

            assert server.wait_for("alice@example.test").subject == WELCOME.subject

    async def test_wrong_password_is_unavailable_and_never_shown(self) -> None:
        with FakeSmtpServer(credentials=("mailer", "right-pass")) as server:
            config = config_for(server, username="mailer", password="wrong-pass-123")

            with capture_logs() as logs, pytest.raises(MailUnavailableError) as caught:
                await SmtpMailer(config).send(WELCOME)

            assert server.messages == []
        assert "wrong-pass-123" not in str(caught.value)
        assert "wrong-pass-123" not in repr(config)
        assert logs
        assert "wrong-pass-123" not in repr(logs)


class TestFailures:
    async def test_temporary_data_failure_is_unavailable(self, smtp_server: FakeSmtpServer) -> None:
        smtp_server.fail_next(451)

        with pytest.raises(MailUnavailableError) as caught:
            await SmtpMailer(config_for(smtp_server)).send(WELCOME)

        assert caught.value.code is ErrorCode.SERVICE_UNAVAILABLE
        assert caught.value.message == "The mail server is unavailable."
        assert caught.value.__cause__ is not None
        assert smtp_server.messages == []

    async def test_refused_recipient_is_unavailable(self, smtp_server: FakeSmtpServer) -> None:
        smtp_server.fail_next(450, at="RCPT")

        with pytest.raises(MailUnavailableError):
            await SmtpMailer(config_for(smtp_server)).send(WELCOME)

    async def test_a_failure_is_used_once(self, smtp_server: FakeSmtpServer) -> None:
        mailer = SmtpMailer(config_for(smtp_server))
        smtp_server.fail_next()
        with pytest.raises(MailUnavailableError):
            await mailer.send(WELCOME)

        await mailer.send(WELCOME)

        assert smtp_server.wait_for("alice@example.test").subject == WELCOME.subject

    async def test_nothing_listening_is_unavailable(self) -> None:
        config = SmtpConfig(
            host="127.0.0.1",
            port=free_port(),
            sender=FAKE_SENDER,
            security=SmtpSecurity.NONE,
            timeout_seconds=2.0,
        )

        with pytest.raises(MailUnavailableError):
            await SmtpMailer(config).send(WELCOME)

    async def test_starttls_required_but_not_offered_is_unavailable(
        self, smtp_server: FakeSmtpServer
    ) -> None:
        config = config_for(smtp_server, security=SmtpSecurity.STARTTLS)

        with pytest.raises(MailUnavailableError):
            await SmtpMailer(config).send(WELCOME)

        assert smtp_server.messages == []


class TestDisabled:
    async def test_disabled_mailer_says_how_to_enable_mail(self) -> None:
        with pytest.raises(MailUnavailableError, match=r"set SMTP_HOST"):
            await DisabledMailer().send(WELCOME)

    def test_no_config_gives_the_disabled_mailer(self) -> None:
        assert isinstance(create_mailer(None), DisabledMailer)

    def test_a_config_gives_the_smtp_mailer(self) -> None:
        config = SmtpConfig(host="mail.example.test", port=587, sender=FAKE_SENDER)
        assert isinstance(create_mailer(config), SmtpMailer)


class TestConfigFromSettings:
    def test_unset_host_means_no_config(self, tmp_path: Path) -> None:
        settings = Settings(env=Environment.TEST, data_dir=tmp_path)
        assert SmtpConfig.from_settings(settings) is None

    def test_settings_map_onto_the_config(self, tmp_path: Path) -> None:
        settings = Settings(
            env=Environment.TEST,
            data_dir=tmp_path,
            smtp_host="mail.example.test",
            smtp_port=465,
            smtp_username="mailer",
            smtp_password="s3cret-pass",
            smtp_security=SmtpSecurity.TLS,
            smtp_from=FAKE_SENDER,
            smtp_timeout_seconds=3.0,
        )

        assert SmtpConfig.from_settings(settings) == SmtpConfig(
            host="mail.example.test",
            port=465,
            sender=FAKE_SENDER,
            security=SmtpSecurity.TLS,
            username="mailer",
            password="s3cret-pass",
            timeout_seconds=3.0,
        )
