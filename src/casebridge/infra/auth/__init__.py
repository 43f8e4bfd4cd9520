"""The embedded OAuth 2.0 authorization server and the validation of bearer tokens.

Clients (`ClientStore`) and signing keys (`SigningKeyStore`, cached by `KeyRing`) live in
CaseBridge's database; `CaseBridgeAuthorizationServer` answers the token endpoint with
authlib's client credentials grant; `TokenValidator` turns a bearer token (ours or an
external OpenID provider's) into a `Principal`. `AuthServices.build` wires them.
"""

from casebridge.infra.auth.clients import (
    ClientConflictError,
    ClientCredentials,
    ClientRegistrationError,
    ClientStore,
    RegisteredClient,
    UnknownClientError,
)
from casebridge.infra.auth.config import AuthConfig, AuthConfigError, OidcProviderConfig
from casebridge.infra.auth.keyring import KeyRing
from casebridge.infra.auth.keys import SigningKey, SigningKeyStore
from casebridge.infra.auth.principal import Principal
from casebridge.infra.auth.scopes import KNOWN_SCOPES, UnknownScopeError
from casebridge.infra.auth.server import (
    CaseBridgeAuthorizationServer,
    TokenRequest,
    TokenResponse,
)
from casebridge.infra.auth.services import AuthServices
from casebridge.infra.auth.tokens import AccessTokenIssuer, IssuedToken
from casebridge.infra.auth.validation import InvalidTokenError, TokenValidator

__all__ = [
    "KNOWN_SCOPES",
    "AccessTokenIssuer",
    "AuthConfig",
    "AuthConfigError",
    "AuthServices",
    "CaseBridgeAuthorizationServer",
    "ClientConflictError",
    "ClientCredentials",
    "ClientRegistrationError",
    "ClientStore",
    "InvalidTokenError",
    "IssuedToken",
    "KeyRing",
    "OidcProviderConfig",
    "Principal",
    "RegisteredClient",
    "SigningKey",
    "SigningKeyStore",
    "TokenRequest",
    "TokenResponse",
    "TokenValidator",
    "UnknownClientError",
    "UnknownScopeError",
]
