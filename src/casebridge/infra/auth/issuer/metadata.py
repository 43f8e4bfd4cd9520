"""Authorization server metadata (RFC 8414)."""

from __future__ import annotations

from casebridge.infra.auth.issuer.authorization_code_grant import CODE_CHALLENGE_METHOD
from casebridge.infra.auth.config import AuthConfig
from casebridge.infra.auth.scopes import KNOWN_SCOPES
from casebridge.infra.auth.issuer.server import SUPPORTED_AUTH_METHODS, SUPPORTED_GRANT_TYPES


def authorization_server_metadata(config: AuthConfig) -> dict:
    return {
        "issuer": config.issuer,
        "token_endpoint": config.token_endpoint,
        "jwks_uri": config.jwks_uri,
        "grant_types_supported": list(SUPPORTED_GRANT_TYPES),
        "token_endpoint_auth_methods_supported": list(SUPPORTED_AUTH_METHODS),
        "scopes_supported": list(KNOWN_SCOPES),
        # People sign in to the console here: authorization code with PKCE (S256) only.
        "authorization_endpoint": config.authorization_endpoint,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": [CODE_CHALLENGE_METHOD],
        "authorization_response_iss_parameter_supported": True,  # RFC 9207
    }
