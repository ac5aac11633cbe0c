"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records and parses what it receives.

`smtp_server` is a clean server per test; `smtp_server_session` is the same server for
module- or session-scoped fixtures (a live MediaNest process) that need its address up front.
"""

import asyncio
import email
import email.policy
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType
from typing import Literal, Self

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

Stage = Literal["RCPT", "DATA"]

FAKE_SENDER = "MediaNest <medianest@example.test>"


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the server got it: the envelope, the parsed parts and the raw bytes."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    subject: str
    text: str | None
    html: str | None
    raw: bytes
    message: EmailMessage

    @classmethod
    def parse(cls, envelope: Envelope) -> Self:
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw, _class=EmailMessage, policy=email.policy.default)
        return cls(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            subject=str(message["Subject"] or ""),
            text=_body(message, "plain"),
            html=_body(message, "html"),
            raw=raw,
            message=message,
        )


def _body(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return None
    content = part.get_content()
    assert isinstance(content, str)
    # SMTP carries CRLF line ends; tests compare with what the sender wrote.
    return content.replace("\r\n", "\n")


class _Handler:
    """aiosmtpd hooks; they run on the server's own thread and loop."""

    def __init__(self, server: "FakeSmtpServer") -> None:
        self._server = server

    async def handle_MAIL(  # noqa: N802 - aiosmtpd's hook name
        self,
        _smtp: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self._server.credentials is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self,
        _smtp: SMTP,
        _session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        failure = self._server.take_failure("RCPT")
        if failure is not None:
            return failure
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, _smtp: SMTP, _session: Session, envelope: Envelope
    ) -> str:
        failure = self._server.take_failure("DATA")
        if failure is not None:
            return failure
        self._server.record(ReceivedMail.parse(envelope))
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """Binds port 0 and learns the real port before aiosmtpd's readiness probe connects."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


class FakeSmtpServer:
    """A local SMTP server with knobs; use it as a context manager or start()/stop()."""

    def __init__(self, *, credentials: tuple[str, str] | None = None) -> None:
        self.host = "127.0.0.1"
        self.credentials = credentials
        self._lock = threading.Condition()
        self._messages: list[ReceivedMail] = []
        self._failures: list[tuple[Stage, int]] = []
        self._controller: _Controller | None = None

    @property
    def port(self) -> int:
        assert self._controller is not None, "the fake SMTP server is not running"
        return int(self._controller.port)

    @property
    def messages(self) -> list[ReceivedMail]:
        """A snapshot of every message received since the last clear(), oldest first."""
        with self._lock:
            return list(self._messages)

    def start(self) -> None:
        controller = _Controller(
            _Handler(self),
            hostname=self.host,
            port=0,
            server_hostname="fake-smtp.test",
            authenticator=self._authenticate,
            auth_require_tls=False,
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        _exc_type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()

    def clear(self) -> None:
        """Forget received messages and pending failures."""
        with self._lock:
            self._messages.clear()
            self._failures.clear()

    def fail_next(self, code: int = 451, *, at: Stage = "DATA") -> None:
        """Answer the next `at` command (RCPT or DATA) with `code` instead of accepting it."""
        with self._lock:
            self._failures.append((at, code))

    def wait_for(self, to: str, timeout: float = 10) -> ReceivedMail:
        """The latest message addressed to `to`, waiting up to `timeout` seconds for one."""
        with self._lock:
            if self._lock.wait_for(lambda: self._find(to) is not None, timeout):
                found = self._find(to)
                assert found is not None
                return found
        raise AssertionError(self._describe_missing(to, timeout))

    def record(self, mail: ReceivedMail) -> None:
        with self._lock:
            self._messages.append(mail)
            self._lock.notify_all()

    def take_failure(self, stage: Stage) -> str | None:
        """The reply for a failure armed for `stage`, consuming it; None when none is armed."""
        with self._lock:
            for index, (armed_stage, code) in enumerate(self._failures):
                if armed_stage == stage:
                    del self._failures[index]
                    return f"{code} Fake failure requested by the test"
        return None

    def _find(self, to: str) -> ReceivedMail | None:
        wanted = to.lower()
        matches = [m for m in self._messages if wanted in (r.lower() for r in m.rcpt_tos)]
        return matches[-1] if matches else None

    def _describe_missing(self, to: str, timeout: float) -> str:
        received = [(m.rcpt_tos, m.subject) for m in self.messages]
        return f"no mail to {to} within {timeout}s; received (recipients, subject): {received}"

    def _authenticate(
        self, _smtp: SMTP, _session: Session, _envelope: Envelope, _mechanism: str, data: object
    ) -> AuthResult:
        ok = (
            self.credentials is not None
            and isinstance(data, LoginPassword)
            and (data.login.decode(), data.password.decode()) == self.credentials
        )
        return AuthResult(success=ok, handled=False)


def smtp_env(server: FakeSmtpServer) -> dict[str, str]:
    """Environment variables that point a `medianest serve` process at `server`."""
    return {
        "SMTP_HOST": server.host,
        "SMTP_PORT": str(server.port),
        "SMTP_SECURITY": "none",
        "SMTP_FROM": FAKE_SENDER,
    }


@pytest.fixture(scope="session")
def smtp_server_session() -> Iterator[FakeSmtpServer]:
    """One fake SMTP server for the whole run (for fixtures wider than a test)."""
    with FakeSmtpServer() as server:
        yield server


@pytest.fixture
def smtp_server(smtp_server_session: FakeSmtpServer) -> FakeSmtpServer:
    """The run's fake SMTP server, emptied of earlier tests' mail and failures."""
    smtp_server_session.clear()
    return smtp_server_session
