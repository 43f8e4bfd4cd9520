"""The configuration of every CaseBridge process, read from the environment in one place.

`Settings.from_env()` is the only reader of `os.environ` (README, "Configuration"): each entry
point (`create_app`, the `casebridge` commands, the worker) builds one `Settings` and passes it
down; the parts take their section (`settings.auth`, `settings.requests`, `settings.live`).
A plain frozen dataclass, not pydantic-settings: every variable is checked with a message that
names it (the CLI prints it as its one line), several sections validate across variables (the
OpenID provider's three, the console's redirect URIs against the issuer), and the names
(`CASEBRIDGE_OIDC_ISSUER`, ...) do not follow a nested-prefix scheme.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from casebridge.infra.auth.config import AuthConfig
from casebridge.infra.database_url import DEFAULT_SQLITE_PATH, DatabaseUrl, SettingsError

__all__ = ["DEFAULT_SQLITE_PATH", "DatabaseUrl", "LiveLimits", "RequestLimits", "Settings", "SettingsError"]


@dataclass(frozen=True)
class RequestLimits:
    """Bounds before authentication (README, "Security limits"); applied by
    `casebridge.api.request_limits`."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: int = 5
    max_connections: int = 4096
    max_header_bytes: int = 16 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RequestLimits:
        return cls(
            header_timeout=_number(env, "CASEBRIDGE_HEADER_TIMEOUT", 10, 1, 300),
            body_timeout=_number(env, "CASEBRIDGE_BODY_TIMEOUT", 30, 1, 3600),
            keep_alive_timeout=int(_number(env, "CASEBRIDGE_KEEP_ALIVE_TIMEOUT", 5, 1, 300)),
            max_connections=int(_number(env, "CASEBRIDGE_MAX_CONNECTIONS", 4096, 16, 1_000_000)),
            max_header_bytes=int(_number(env, "CASEBRIDGE_MAX_HEADER_BYTES", 16 * 1024, 4096, 1024 * 1024)),
        )


@dataclass(frozen=True)
class LiveLimits:
    """WebSocket caps per principal (README, "GraphQL for integrating agencies")."""

    connections_per_principal: int = 20
    subscriptions_per_principal: int = 50

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LiveLimits:
        return cls(_positive(env, "CASEBRIDGE_WS_MAX_CONNECTIONS", 20),
                   _positive(env, "CASEBRIDGE_WS_MAX_SUBSCRIPTIONS", 50))


@dataclass(frozen=True)
class Settings:
    database: DatabaseUrl
    environment: str = "production"
    jurisdictions_file: str = ""
    holidays_file: str = ""
    checkpoint_interval: float = 300.0  # seconds between signed checkpoints; 0 turns them off
    auth: AuthConfig = field(default_factory=AuthConfig)
    requests: RequestLimits = field(default_factory=RequestLimits)
    live: LiveLimits = field(default_factory=LiveLimits)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, defaults: Mapping[str, str] | None = None) -> Settings:
        """Reads `environ` (the process environment when not given); `defaults` stand in for
        variables it leaves unset (`casebridge serve` derives the issuer from its port)."""
        env = {**(defaults or {}), **(os.environ if environ is None else environ)}
        return cls(
            database=DatabaseUrl.parse(env.get("CASEBRIDGE_DATABASE_URL")),
            environment=env.get("CASEBRIDGE_ENV", "production"),
            jurisdictions_file=env.get("CASEBRIDGE_JURISDICTIONS_FILE", ""),
            holidays_file=env.get("CASEBRIDGE_HOLIDAYS_FILE", ""),
            checkpoint_interval=_seconds(env.get("CASEBRIDGE_CHECKPOINT_INTERVAL", "300"), "CASEBRIDGE_CHECKPOINT_INTERVAL"),
            auth=AuthConfig.from_env(env),
            requests=RequestLimits.from_env(env),
            live=LiveLimits.from_env(env),
        )

    @property
    def is_development(self) -> bool:
        return self.environment == "development"


def _seconds(value: str, name: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {value!r}") from None
    if seconds < 0:
        raise SettingsError(f"{name} must not be negative")
    return seconds


def _number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return float(default)
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low:g} and {high:g}, got {raw}")
    return value


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)
