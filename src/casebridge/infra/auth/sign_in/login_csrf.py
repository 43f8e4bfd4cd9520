"""The login form's CSRF token (login CSRF: a foreign page must not sign a browser in as
somebody else). The browser holds a random secret in an HttpOnly cookie that only the
authorization endpoint sees; the form carries HMAC(secret, the authorization request it was
shown for). A page on another site can read neither, so it cannot build a valid post, and a
token shown for one request does not fit another. No server-side state, nothing shared
between processes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence

_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 random bytes, base64url


def new_browser_secret() -> str:
    return secrets.token_urlsafe(32)


def is_browser_secret(value: str | None) -> bool:
    return bool(value) and _SECRET.fullmatch(value) is not None


def form_token(browser_secret: str, params: Sequence[tuple[str, str]]) -> str:
    message = "\n".join(f"{name}={value}" for name, value in sorted(params)).encode("utf-8")
    digest = hmac.new(browser_secret.encode("ascii"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_fits(browser_secret: str | None, params: Sequence[tuple[str, str]], token: str | None) -> bool:
    if not is_browser_secret(browser_secret) or not token:
        return False
    return hmac.compare_digest(form_token(browser_secret, params).encode("ascii"), token.encode("utf-8", "replace"))
