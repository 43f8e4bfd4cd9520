"""Settings of the authorization server and of token validation, read from the environment.

Kept apart from `casebridge.infra.settings` so the auth code owns its own knobs:

- `CASEBRIDGE_ISSUER` (default `http://localhost:8000`): the `iss` of our tokens and the base
  of the metadata URLs. https, or http on a loopback host only (RFC 8414 §2).
- `CASEBRIDGE_AUDIENCE` (default `casebridge-api`): the `aud` of our tokens.
- `CASEBRIDGE_TOKEN_TTL` (default 600 s), `CASEBRIDGE_TOKEN_LEEWAY` (clock skew, default 30 s),
  `CASEBRIDGE_SIGNING_KEY_REFRESH` (how long a process trusts its cached keys, default 30 s).
- `CASEBRIDGE_OIDC_ISSUER`, `CASEBRIDGE_OIDC_AUDIENCE`, `CASEBRIDGE_OIDC_JWKS_URL` (all three, or
  none), `CASEBRIDGE_OIDC_JURISDICTION_CLAIM` (default `jurisdiction`) and
  `CASEBRIDGE_OIDC_SCOPE_CLAIM` (default `scope`): an external OpenID provider whose access
  tokens are accepted too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_ISSUER = "http://localhost:8000"
DEFAULT_AUDIENCE = "casebridge-api"
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class AuthConfigError(ValueError):
    """An auth setting has a value CaseBridge cannot use."""


@dataclass(frozen=True)
class OidcProviderConfig:
    """An external OpenID provider (Keycloak and the like) whose access tokens we accept."""

    issuer: str
    audience: str
    jwks_url: str
    jurisdiction_claim: str = "jurisdiction"
    scope_claim: str = "scope"


@dataclass(frozen=True)
class AuthConfig:
    issuer: str = DEFAULT_ISSUER
    audience: str = DEFAULT_AUDIENCE
    token_ttl: int = 600
    leeway: int = 30
    key_refresh_seconds: int = 30
    oidc: OidcProviderConfig | None = None

    def __post_init__(self) -> None:
        _check_issuer(self.issuer, "CASEBRIDGE_ISSUER")
        if not self.audience:
            raise AuthConfigError("CASEBRIDGE_AUDIENCE must not be empty")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AuthConfig:
        env = os.environ if environ is None else environ
        return cls(
            issuer=env.get("CASEBRIDGE_ISSUER", DEFAULT_ISSUER).rstrip("/"),
            audience=env.get("CASEBRIDGE_AUDIENCE", DEFAULT_AUDIENCE),
            token_ttl=_seconds(env, "CASEBRIDGE_TOKEN_TTL", 600, minimum=1),
            leeway=_seconds(env, "CASEBRIDGE_TOKEN_LEEWAY", 30, minimum=0),
            key_refresh_seconds=_seconds(env, "CASEBRIDGE_SIGNING_KEY_REFRESH", 30, minimum=1),
            oidc=_oidc_from_env(env),
        )

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/oauth/token"

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}/oauth/jwks"

    @property
    def key_retention_seconds(self) -> int:
        """How long a retired key must keep verifying: a process may go on signing with it
        until its cache refreshes, and the last such token lives `token_ttl` (plus skew)."""
        return self.key_refresh_seconds + self.token_ttl + self.leeway


def _oidc_from_env(env: Mapping[str, str]) -> OidcProviderConfig | None:
    names = ("CASEBRIDGE_OIDC_ISSUER", "CASEBRIDGE_OIDC_AUDIENCE", "CASEBRIDGE_OIDC_JWKS_URL")
    values = [env.get(name, "").strip() for name in names]
    if not any(values):
        return None
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise AuthConfigError(f"an external OpenID provider needs {', '.join(missing)} too")
    issuer, audience, jwks_url = values
    if urlsplit(jwks_url).scheme not in ("http", "https"):
        raise AuthConfigError("CASEBRIDGE_OIDC_JWKS_URL must be an http(s) URL")
    return OidcProviderConfig(
        issuer=issuer,
        audience=audience,
        jwks_url=jwks_url,
        jurisdiction_claim=env.get("CASEBRIDGE_OIDC_JURISDICTION_CLAIM", "").strip() or "jurisdiction",
        scope_claim=env.get("CASEBRIDGE_OIDC_SCOPE_CLAIM", "").strip() or "scope",
    )


def _check_issuer(issuer: str, name: str) -> None:
    parts = urlsplit(issuer)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS:
        return
    raise AuthConfigError(f"{name} must be an https:// URL (http:// only on localhost), got {issuer!r}")


def _seconds(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise AuthConfigError(f"{name} must be a whole number of seconds, got {raw!r}") from None
    if value < minimum or value > 86_400:
        raise AuthConfigError(f"{name} must be between {minimum} and 86400 seconds, got {value}")
    return value
