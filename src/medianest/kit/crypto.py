"""Encryption of secrets kept in the database (users' Plex tokens, service API keys).

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`, keyed by HKDF from the
installation's `ENCRYPTION_KEY`, so any long random string works as that key.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_KEY_PURPOSE = b"medianest: secrets at rest"


class UndecryptableError(Exception):
    """The ciphertext was written with another key, or was tampered with."""


class SecretBox:
    def __init__(self, key: str) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_PURPOSE).derive(
            key.encode()
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode()
        except (InvalidToken, UnicodeError) as exc:
            raise UndecryptableError("the secret cannot be decrypted with this key") from exc
