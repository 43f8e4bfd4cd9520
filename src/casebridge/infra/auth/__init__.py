"""OAuth 2.0 for CaseBridge, in three packages and a few shared parts.

- `issuer/`: the embedded authorization server: clients (`ClientStore`), console users, the
  token endpoint (`CaseBridgeAuthorizationServer`), access tokens, authorization codes,
  revocations, metadata.
- `sign_in/`: the console's sign-in at that server (login form, sessions, throttle); uses
  the issuer.
- `validation/`: `TokenValidator` turns a bearer token (ours or an external OpenID
  provider's) into a `Principal`; never imports the issuer or sign-in.
- shared: `config` (the `auth` section of the settings), signing keys (`keys`, `keyring`:
  the issuer signs with them, validation verifies), `scopes`, `clock`, `schema` (tables), and
  `services` (`AuthServices.build` wires all of it over one database).
"""

from casebridge.infra.auth.issuer.clients import (
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
from casebridge.infra.auth.validation.principal import Principal
from casebridge.infra.auth.scopes import KNOWN_SCOPES, UnknownScopeError
from casebridge.infra.auth.issuer.server import (
    CaseBridgeAuthorizationServer,
    TokenRequest,
    TokenResponse,
)
from casebridge.infra.auth.services import AuthServices
from casebridge.infra.auth.issuer.tokens import AccessTokenIssuer, IssuedToken
from casebridge.infra.auth.validation.validator import InvalidTokenError, TokenValidator

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
