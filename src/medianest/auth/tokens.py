"""Access tokens (JWT), refresh tokens and CSRF tokens."""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

from medianest.kit.errors import JwtInvalidError

ALGORITHM = "HS256"
ISSUER = "medianest"
AUDIENCE = "medianest-api"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: datetime


def issue_access_token(
    *, secret: str, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime, lifetime: timedelta
) -> str:
    payload = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def read_access_token(token: str, *, secret: str, now: datetime) -> AccessClaims:
    """Verify signature, algorithm, issuer, audience and expiry; raise JwtInvalidError.

    Expiry is checked against `now` (the service's clock), not the library's own, on every
    call: only the verification is remembered (whether the session behind the token is still
    live is the caller's question, asked every time).
    """
    claims = _verified_claims(token, secret)
    if claims.expires_at <= now:
        raise JwtInvalidError("The access token has expired; refresh it or sign in again.")
    return claims


@lru_cache(maxsize=1024)
def _verified_claims(token: str, secret: str) -> AccessClaims:
    """The claims of a token whose signature and claims check out, kept for the clients
    seen lately: a client sends the same token for its whole lifetime, and verifying costs
    more than the rest of the lookup. A token that fails raises, and is never kept."""
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            audience=AUDIENCE,
            options={"require": ["exp", "iat", "sub", "sid", "iss", "aud"], "verify_exp": False},
        )
        return AccessClaims(
            user_id=uuid.UUID(payload["sub"]),
            session_id=uuid.UUID(payload["sid"]),
            expires_at=datetime.fromtimestamp(int(payload["exp"]), tz=UTC),
        )
    except (jwt.InvalidTokenError, ValueError, TypeError):
        raise JwtInvalidError() from None


def new_refresh_token(session_id: uuid.UUID) -> str:
    """`<session id>.<secret>`: the id finds the session, only the hash of the secret is kept."""
    return f"{session_id}.{secrets.token_urlsafe(32)}"


def split_refresh_token(token: str) -> uuid.UUID:
    try:
        return uuid.UUID(token.split(".", 1)[0])
    except ValueError:
        raise JwtInvalidError("The refresh token is invalid. Sign in again.") from None


def digest(token: str) -> str:
    """SHA-256 of a high-entropy token: enough to store it safely (no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_csrf_token(*, secret: str, session_id: uuid.UUID | None) -> str:
    """A double-submit token bound to the session it is for (HMAC over the session id and a
    nonce): another session's token, or one minted before signing in, does not pass."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_csrf_signature(nonce, session_id, secret)}"


def csrf_token_is_valid(token: str, *, secret: str, session_id: uuid.UUID | None) -> bool:
    nonce, _, signature = token.partition(".")
    return bool(nonce and signature) and hmac.compare_digest(
        signature, _csrf_signature(nonce, session_id, secret)
    )


def _csrf_signature(nonce: str, session_id: uuid.UUID | None, secret: str) -> str:
    return _sign(f"{session_id or 'anonymous'}:{nonce}", secret)


def plex_pin_binding(pin_id: int, *, secret: str) -> str:
    """Ties a Plex PIN to the browser that asked for it (kept in an HttpOnly cookie)."""
    return _sign(str(pin_id), secret, purpose="plex-pin")


def plex_pin_is_bound(binding: str, pin_id: int, *, secret: str) -> bool:
    return hmac.compare_digest(binding, plex_pin_binding(pin_id, secret=secret))


def new_device_token(account: str, *, secret: str) -> str:
    """Marks a browser that signed in to `account` (an email): it keeps a sign-in count of
    its own, apart from everyone else guessing at that account."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_sign(f'{account}|{nonce}', secret, purpose='sign-in-device')}"


def device_of(token: str, account: str, *, secret: str) -> str | None:
    """The browser's id when `token` marks it as one that signed in to `account`."""
    nonce, _, signature = token.partition(".")
    expected = _sign(f"{account}|{nonce}", secret, purpose="sign-in-device")
    if nonce and signature and hmac.compare_digest(signature, expected):
        return nonce
    return None


def _sign(value: str, secret: str, *, purpose: str = "csrf") -> str:
    return hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


API_KEY_PREFIX = "mn_"


def new_api_key() -> tuple[str, str]:
    """A fresh key and the prefix shown in listings: `mn_<8 hex>_<secret>`."""
    prefix = secrets.token_hex(4)
    return f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}", f"{API_KEY_PREFIX}{prefix}"
