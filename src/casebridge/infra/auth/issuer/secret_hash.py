"""Hashing of client secrets, and the stored form of the opaque tokens we hand out.

Client secrets are 32 random bytes we generate (or at least 32 characters a deployment
chose), not passwords people pick: nobody can guess one, so a slow password hash (argon2,
bcrypt) would buy no security and would cost every token request tens of milliseconds. A
salted HMAC-SHA-256 is enough: the salt keeps equal secrets from having equal hashes, and
the stored hash is useless without the secret. Comparison is in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_SCHEME = "hmac-sha256"


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    return f"{_SCHEME}${_b64(salt)}${_b64(_digest(salt, secret))}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.urlsafe_b64decode(digest + "==")
        actual = _digest(base64.urlsafe_b64decode(salt + "=="), secret)
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def token_digest(token: str) -> str:
    """How an opaque token we generated (an authorization code, a login session id) is stored
    and looked up: its SHA-256 in hex. No salt: the token is 256 random bits, and a lookup by
    the presented token must find its row."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _digest(salt: bytes, secret: str) -> bytes:
    return hmac.new(salt, secret.encode("utf-8"), hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
