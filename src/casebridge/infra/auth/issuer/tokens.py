"""Access tokens: RFC 9068 JWTs signed with the active key."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from joserfc import jwt

from casebridge.infra.auth.clock import Clock, system_clock
from casebridge.infra.auth.config import AuthConfig
from casebridge.infra.auth.keyring import KeyRing
from casebridge.infra.auth.scopes import format_scope

ACCESS_TOKEN_TYPE = "at+jwt"  # RFC 9068 §2.1: tells an access token from an ID token


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scope: str
    token_id: str
    token_type: str = "Bearer"

    def as_response(self) -> dict[str, str | int]:
        """The token endpoint's success body (RFC 6749 §5.1)."""
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expires_in": self.expires_in,
            "scope": self.scope,
        }


class AccessTokenIssuer:
    def __init__(self, keys: KeyRing, config: AuthConfig, *, clock: Clock = system_clock) -> None:
        self._keys = keys
        self._config = config
        self._clock = clock

    def issue(self, *, client_id: str, jurisdiction: str, scopes: Iterable[str], subject: str | None = None) -> IssuedToken:
        """A token for `client_id` acting for itself, or for the person `subject` (a console
        user signed in through the client; RFC 9068 section 2.2: `sub` names the user)."""
        key = self._keys.signing_key()
        now = int(self._clock())
        scope = format_scope(scopes)
        token_id = secrets.token_urlsafe(16)
        header = {"typ": ACCESS_TOKEN_TYPE, "alg": key.algorithm, "kid": key.kid}
        claims = {
            "iss": self._config.issuer,
            "sub": subject or client_id,
            "aud": self._config.audience,
            "exp": now + self._config.token_ttl,
            "iat": now,
            "jti": token_id,
            "client_id": client_id,
            "scope": scope,
            "jurisdiction": jurisdiction,
        }
        token = jwt.encode(header, claims, key.key, algorithms=[key.algorithm])
        return IssuedToken(access_token=token, expires_in=self._config.token_ttl, scope=scope, token_id=token_id)
