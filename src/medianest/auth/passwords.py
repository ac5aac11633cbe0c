"""Password hashing (argon2id) and the password policy of the technical reference."""

import asyncio
import re
import string
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from medianest.auth.errors import WeakPasswordError

MIN_LENGTH = 8
MAX_LENGTH = 256
MIN_STRENGTH = 3
POLICY = (
    f"The password policy: {MIN_LENGTH} to {MAX_LENGTH} characters, with an uppercase and a "
    "lowercase letter, a digit and a special character (or a space); not common or easy to "
    "guess (zxcvbn score 3 of 4), and not containing the name, username or email. A password "
    "that breaks it is a 400 `VALIDATION_ERROR` naming every broken rule in `details`."
)
"""zxcvbn score (0-4) a password must reach: 3 is "safely unguessable" for online attacks."""

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def hash_in_thread(password: str) -> str:
    """argon2 takes ~0.1 s of CPU by design: never on the event loop."""
    return await asyncio.to_thread(hash_password, password)


async def checked_hash(
    password: str, *, personal: Sequence[str | None], field: str = "password"
) -> str:
    """The hash of a password that meets the policy (`WeakPasswordError` otherwise). In a
    thread: zxcvbn (whose dictionaries the first call loads) and argon2 are CPU work that
    must not stall the event loop."""

    def check_then_hash() -> str:
        enforce_policy(password, personal=personal, field=field)
        return hash_password(password)

    return await asyncio.to_thread(check_then_hash)


async def verify_in_thread(password_hash: str, password: str) -> bool:
    return await asyncio.to_thread(verify_password, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


async def burn_verification_time() -> None:
    """Spend what a real verification costs, so unknown accounts answer in similar time: one
    argon2id computation with the hasher's parameters, as verifying a current hash is (hashing
    rather than verifying a dummy hash made at import, which cost every process start one)."""
    await hash_in_thread("medianest-timing-equaliser")


def policy_violations(password: str, *, personal: Sequence[str | None] = ()) -> list[str]:
    """Every rule the password breaks, in words a user can act on (empty when it is fine)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters long")
    if not any(c.isupper() for c in password):
        problems.append("must contain an uppercase letter")
    if not any(c.islower() for c in password):
        problems.append("must contain a lowercase letter")
    if not any(c.isdigit() for c in password):
        problems.append("must contain a digit")
    if not any(c in string.punctuation or c.isspace() for c in password):
        problems.append("must contain a special character")
    if len(password) <= MAX_LENGTH:
        problems += _guessability(password, [p for p in personal if p])
    return problems


def enforce_policy(
    password: str, *, personal: Sequence[str | None], field: str = "password"
) -> None:
    """Refuse a password that breaks the policy, naming every broken rule."""
    problems = policy_violations(password, personal=personal)
    if problems:
        raise WeakPasswordError(problems, field=field)


MIN_PERSONAL_WORD = 4
"""Shorter name parts ("Al", "com") would forbid too many good passwords."""


def _personal_words(personal: list[str]) -> list[str]:
    """Username, the email's local part and each word of the name (not the email domain)."""
    words = []
    for value in personal:
        local = value.split("@", 1)[0]
        words += [local, *re.split(r"[\s._+-]+", local)]
    return [word.lower() for word in words if len(word) >= MIN_PERSONAL_WORD]


def _guessability(password: str, personal: list[str]) -> list[str]:
    inputs = _personal_words(personal)
    lowered = password.lower()
    problems = []
    if any(word in lowered for word in inputs):
        problems.append("must not contain your name, username or email")
    from zxcvbn import zxcvbn  # 10 MiB of dictionaries: loaded by the first password set

    result = zxcvbn(password, user_inputs=inputs)
    if result["score"] < MIN_STRENGTH:
        warning = result["feedback"].get("warning") or "it is too easy to guess"
        problems.append(f"is too common or predictable ({warning.rstrip('.').lower()})")
    return problems
