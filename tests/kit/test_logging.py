"""Secrets never reach a log line."""

from medianest.kit.logging import MASK, mask_url_password, redact_secrets


def test_secret_looking_keys_are_masked_at_any_depth() -> None:
    event = {
        "event": "login",
        "password": "hunter2",
        "headers": {"Authorization": "Bearer abc", "Accept": "json"},
        "items": [{"api_key": "k"}],
    }
    redacted = redact_secrets(None, "info", event)
    assert redacted["password"] == MASK
    assert redacted["headers"] == {"Authorization": MASK, "Accept": "json"}
    assert redacted["items"] == [{"api_key": MASK}]
    assert redacted["event"] == "login"


def test_passwords_inside_urls_are_masked() -> None:
    text = "cannot connect to postgresql://medianest:s3cret@db:5432/medianest"
    assert (
        mask_url_password(text) == "cannot connect to postgresql://medianest:***@db:5432/medianest"
    )
