"""Settings of the authorization server and of token validation: the `auth` section of
`casebridge.infra.settings.Settings`, which reads them from the environment with the rest.
The auth code owns its knobs and their checks here:

- `CASEBRIDGE_ISSUER` (default `http://localhost:8000`): the `iss` of our tokens and the base
  of the metadata URLs. https, or http on a loopback host only (RFC 8414 §2).
- `CASEBRIDGE_AUDIENCE` (default `casebridge-api`): the `aud` of our tokens.
- `CASEBRIDGE_TOKEN_TTL` (default 600 s), `CASEBRIDGE_TOKEN_LEEWAY` (clock skew, default 30 s),
  `CASEBRIDGE_SIGNING_KEY_REFRESH` (how long a process trusts its cached keys, default 30 s).
- `CASEBRIDGE_OIDC_ISSUER`, `CASEBRIDGE_OIDC_AUDIENCE`, `CASEBRIDGE_OIDC_JWKS_URL` (all three, or
  none), `CASEBRIDGE_OIDC_JURISDICTION_CLAIM` (default `jurisdiction`) and
  `CASEBRIDGE_OIDC_SCOPE_CLAIM` (default `scope`): an external OpenID provider whose access
  tokens are accepted too.
- `CASEBRIDGE_CONSOLE_REDIRECT_URIS` (comma-separated; default
  `http://localhost:8000/console/callback,http://127.0.0.1:8000/console/callback`): where the
  authorization code flow may send the console's codes, matched exactly. Each ends in
  `/console/callback`, and is https (http only on a loopback host).
- `CASEBRIDGE_CONSOLE_SESSION_TTL` (default 28800 s, 8 h): how long a sign-in at the
  authorization server lasts before the password is asked again.
- `CASEBRIDGE_OIDC_AUTHORIZATION_ENDPOINT`, `CASEBRIDGE_OIDC_TOKEN_ENDPOINT`,
  `CASEBRIDGE_OIDC_CONSOLE_CLIENT_ID` (all three, or none; they need the provider above),
  `CASEBRIDGE_OIDC_CONSOLE_SCOPE` (default `openid`) and `CASEBRIDGE_OIDC_END_SESSION_ENDPOINT`
  (optional): the console signs people in at that provider instead of the embedded server.
- `CASEBRIDGE_LOGIN_CONCURRENCY` (default 4): password checks (argon2id, 64 MiB each) running
  at once per process; beyond it a sign-in gets HTTP 429 with `Retry-After: 1`.
- `CASEBRIDGE_METRICS_TOKEN` (default unset: `/metrics` is open): when set, `GET /metrics`
  needs `Authorization: Bearer <that token>` (401 otherwise). At least 16 characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_ISSUER = "http://localhost:8000"
DEFAULT_AUDIENCE = "casebridge-api"
CONSOLE_CLIENT_ID = "casebridge-console"  # the built-in public client of the console (no secret)
CONSOLE_CALLBACK_PATH = "/console/callback"
DEFAULT_CONSOLE_REDIRECT_URIS = ("http://localhost:8000/console/callback", "http://127.0.0.1:8000/console/callback")
DEFAULT_CONSOLE_SESSION_TTL = 8 * 3600
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
class ConsoleOidcConfig:
    """Where the console signs people in when an external OpenID provider does it."""

    authorization_endpoint: str
    token_endpoint: str
    client_id: str
    scope: str = "openid"
    end_session_endpoint: str | None = None


@dataclass(frozen=True)
class AuthConfig:
    issuer: str = DEFAULT_ISSUER
    audience: str = DEFAULT_AUDIENCE
    token_ttl: int = 600
    leeway: int = 30
    key_refresh_seconds: int = 30
    oidc: OidcProviderConfig | None = None
    console_redirect_uris: tuple[str, ...] = DEFAULT_CONSOLE_REDIRECT_URIS
    console_session_ttl: int = DEFAULT_CONSOLE_SESSION_TTL
    console_oidc: ConsoleOidcConfig | None = None
    login_concurrency: int = 4
    metrics_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.metrics_token is not None and (len(self.metrics_token) < 16 or not self.metrics_token.isprintable()
                                               or not self.metrics_token.isascii() or " " in self.metrics_token):
            raise AuthConfigError("CASEBRIDGE_METRICS_TOKEN must be at least 16 printable ASCII characters without spaces")
        _check_issuer(self.issuer, "CASEBRIDGE_ISSUER")
        if not self.audience:
            raise AuthConfigError("CASEBRIDGE_AUDIENCE must not be empty")
        if not self.console_redirect_uris:
            raise AuthConfigError("CASEBRIDGE_CONSOLE_REDIRECT_URIS must name at least one URI")
        for uri in self.console_redirect_uris:
            _check_console_redirect_uri(uri)
        if self.console_oidc is not None and self.oidc is None:
            raise AuthConfigError("the console can sign in at an external OpenID provider only when its tokens are "
                                  "accepted: set CASEBRIDGE_OIDC_ISSUER, CASEBRIDGE_OIDC_AUDIENCE and CASEBRIDGE_OIDC_JWKS_URL")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AuthConfig:
        """The auth section of `env`, a mapping `Settings.from_env` has read."""
        return cls(
            issuer=env.get("CASEBRIDGE_ISSUER", DEFAULT_ISSUER).rstrip("/"),
            audience=env.get("CASEBRIDGE_AUDIENCE", DEFAULT_AUDIENCE),
            token_ttl=_seconds(env, "CASEBRIDGE_TOKEN_TTL", 600, minimum=1),
            leeway=_seconds(env, "CASEBRIDGE_TOKEN_LEEWAY", 30, minimum=0),
            key_refresh_seconds=_seconds(env, "CASEBRIDGE_SIGNING_KEY_REFRESH", 30, minimum=1),
            oidc=_oidc_from_env(env),
            console_redirect_uris=_uri_list(env, "CASEBRIDGE_CONSOLE_REDIRECT_URIS", DEFAULT_CONSOLE_REDIRECT_URIS),
            console_session_ttl=_seconds(env, "CASEBRIDGE_CONSOLE_SESSION_TTL", DEFAULT_CONSOLE_SESSION_TTL, minimum=60),
            console_oidc=_console_oidc_from_env(env),
            login_concurrency=_count(env, "CASEBRIDGE_LOGIN_CONCURRENCY", 4),
            metrics_token=env.get("CASEBRIDGE_METRICS_TOKEN", "").strip() or None,
        )

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/oauth/token"

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.issuer}/oauth/authorize"

    @property
    def logout_endpoint(self) -> str:
        return f"{self.issuer}/oauth/logout"

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


def _console_oidc_from_env(env: Mapping[str, str]) -> ConsoleOidcConfig | None:
    names = ("CASEBRIDGE_OIDC_AUTHORIZATION_ENDPOINT", "CASEBRIDGE_OIDC_TOKEN_ENDPOINT", "CASEBRIDGE_OIDC_CONSOLE_CLIENT_ID")
    values = [env.get(name, "").strip() for name in names]
    if not any(values):
        return None
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise AuthConfigError(f"signing the console in at an external OpenID provider needs {', '.join(missing)} too")
    authorization_endpoint, token_endpoint, client_id = values
    end_session_endpoint = env.get("CASEBRIDGE_OIDC_END_SESSION_ENDPOINT", "").strip() or None
    for name, url in (*zip(names[:2], values[:2], strict=True), ("CASEBRIDGE_OIDC_END_SESSION_ENDPOINT", end_session_endpoint)):
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            raise AuthConfigError(f"{name} must be an http(s) URL")
    return ConsoleOidcConfig(
        authorization_endpoint=authorization_endpoint,
        token_endpoint=token_endpoint,
        client_id=client_id,
        scope=env.get("CASEBRIDGE_OIDC_CONSOLE_SCOPE", "").strip() or "openid",
        end_session_endpoint=end_session_endpoint,
    )


def _uri_list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    return tuple(dict.fromkeys(uri.strip() for uri in raw.split(",") if uri.strip()))


def _check_console_redirect_uri(uri: str) -> None:
    """RFC 6749 section 3.1.2: absolute, no fragment; and ours: the console's callback page."""
    parts = urlsplit(uri)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS)
    if not (secure and parts.hostname and parts.path.endswith(CONSOLE_CALLBACK_PATH)) or parts.fragment or "#" in uri:
        raise AuthConfigError(
            f"CASEBRIDGE_CONSOLE_REDIRECT_URIS: {uri!r} must be an https:// URL (http:// only on localhost) "
            f"ending in {CONSOLE_CALLBACK_PATH}, without a fragment"
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


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise AuthConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not 1 <= value <= 256:
        raise AuthConfigError(f"{name} must be between 1 and 256, got {value}")
    return value
