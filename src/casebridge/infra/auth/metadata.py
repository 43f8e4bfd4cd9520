"""Authorization server metadata (RFC 8414)."""

from __future__ import annotations

from casebridge.infra.auth.config import AuthConfig
from casebridge.infra.auth.scopes import KNOWN_SCOPES
from casebridge.infra.auth.server import AUTH_METHODS, GRANT_TYPES


def authorization_server_metadata(config: AuthConfig) -> dict:
    return {
        "issuer": config.issuer,
        "token_endpoint": config.token_endpoint,
        "jwks_uri": config.jwks_uri,
        "grant_types_supported": list(GRANT_TYPES),
        "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "scopes_supported": list(KNOWN_SCOPES),
        # No authorization endpoint: machine clients only, so no response type is supported.
        "response_types_supported": [],
    }
