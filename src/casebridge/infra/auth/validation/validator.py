"""Validation of bearer tokens, once per request, into a `Principal`.

The token's `iss` picks the keys: our issuer → our signing keys (by `kid`, `typ` must be
`at+jwt`); the configured external OpenID provider → its JWKS; anything else is refused.
Signature, `iss`, `aud`, `exp` (with a small leeway) and the required claims are checked,
and the jurisdiction must be in the registry. Our tokens name their client as `sub`, except
those a client got for a signed-in person (the console's): their `sub` is the person.

After the signature, `check_standing` asks the database whether the principal is still in
good standing (client and signing key not revoked, user not disabled, token not signed out):
`validate` calls it on every request, and long-lived connections (WebSocket subscriptions)
call it again before every push.
"""

from __future__ import annotations

import base64
import json
from typing import Protocol

from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import Key

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth.clock import Clock, system_clock
from casebridge.infra.auth.config import AuthConfig, OidcProviderConfig
from casebridge.infra.auth.keyring import KeyRing
from casebridge.infra.auth.validation.principal import Principal
from casebridge.infra.auth.validation.remote_jwks import RemoteJwks
from casebridge.infra.auth.scopes import known_scopes_in

MAX_TOKEN_LENGTH = 8192
OWN_TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt"})  # RFC 9068 §4
EXTERNAL_TOKEN_TYPES = frozenset({"jwt", "at+jwt", "application/at+jwt"})
EXTERNAL_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
_OWN_REQUIRED = ("iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope", "jurisdiction")


class InvalidTokenError(Exception):
    """The bearer token cannot be trusted; `description` says why, for the 401 response."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class StandingPolicy(Protocol):
    """Which clients act for people, and whether a token we issued still stands."""

    user_client_ids: frozenset[str]

    def refusal(self, *, client_id: str, subject: str, token_id: str | None, key_id: str | None) -> str | None:
        """Why the token no longer stands (e.g. "token client was revoked"), or None."""


class TokenValidator:
    def __init__(
        self,
        config: AuthConfig,
        keys: KeyRing,
        jurisdictions: JurisdictionRegistry,
        *,
        external_keys: RemoteJwks | None = None,
        clock: Clock = system_clock,
        standing: StandingPolicy | None = None,
    ) -> None:
        self._standing = standing
        if config.oidc is not None and external_keys is None:
            raise ValueError("an external OpenID provider is configured: pass its RemoteJwks")
        self._config = config
        self._keys = keys
        self._jurisdictions = jurisdictions
        self._external_keys = external_keys

        def now() -> int:
            return int(clock())

        own: dict = {name: {"essential": True} for name in _OWN_REQUIRED}
        own["iss"] = {"essential": True, "value": config.issuer}
        own["aud"] = {"essential": True, "value": config.audience}
        self._own_claims = jwt.JWTClaimsRegistry(now=now, leeway=config.leeway, **own)
        self._external_claims: jwt.JWTClaimsRegistry | None = None
        if config.oidc is not None:
            self._external_claims = jwt.JWTClaimsRegistry(
                now=now,
                leeway=config.leeway,
                iss={"essential": True, "value": config.oidc.issuer},
                aud={"essential": True, "value": config.oidc.audience},
                exp={"essential": True},
            )

    def validate(self, token: str) -> Principal:
        header, claims = _unverified(token)
        issuer = claims.get("iss")
        if issuer == self._config.issuer:
            return self._validate_own(token, header)
        oidc = self._config.oidc
        if oidc is not None and issuer == oidc.issuer:
            return self._validate_external(token, header, oidc)
        raise InvalidTokenError("token issuer is not trusted")

    def _validate_own(self, token: str, header: dict) -> Principal:
        if str(header.get("typ", "")).lower() not in OWN_TOKEN_TYPES:
            raise InvalidTokenError("token type is not at+jwt")
        kid = header.get("kid")
        signing_key = self._keys.verification_key(kid) if isinstance(kid, str) else None
        if signing_key is None:
            raise InvalidTokenError("token signing key is unknown")
        if header.get("alg") != signing_key.algorithm:
            raise InvalidTokenError("token algorithm is not allowed")
        claims = _verified(token, signing_key.key, signing_key.algorithm, self._own_claims)
        if claims["sub"] != claims["client_id"]:
            if self._standing is None or claims["client_id"] not in self._standing.user_client_ids:
                raise InvalidTokenError("token subject is not its client")
        principal = Principal(
            client_id=_text(claims, "client_id"),
            subject=_text(claims, "sub"),
            jurisdiction=self._jurisdiction(claims.get("jurisdiction")),
            scopes=known_scopes_in(_text(claims, "scope")),
            token_id=_text(claims, "jti"),
            key_id=signing_key.kid,
        )
        self.check_standing(principal)
        return principal

    def check_standing(self, principal: Principal) -> None:
        """Raises `InvalidTokenError` unless the principal is still in good standing: for our
        tokens, its client and signing key not revoked, its user (if any) not disabled, the
        token not signed out. One indexed query; the same answer in every process sharing the
        database. WebSocket subscriptions call this before every push. External providers'
        principals stand as long as their token verified (the provider revokes them)."""
        if self._standing is None or principal.issuer is not None:
            return
        refusal = self._standing.refusal(client_id=principal.client_id, subject=principal.subject,
                                         token_id=principal.token_id, key_id=principal.key_id)
        if refusal:
            raise InvalidTokenError(refusal)

    def _validate_external(self, token: str, header: dict, oidc: OidcProviderConfig) -> Principal:
        if str(header.get("typ", "JWT")).lower() not in EXTERNAL_TOKEN_TYPES:
            raise InvalidTokenError("token type is not allowed")
        alg = header.get("alg")
        if alg not in EXTERNAL_ALGORITHMS:
            raise InvalidTokenError("token algorithm is not allowed")
        kid = header.get("kid")
        assert self._external_keys is not None and self._external_claims is not None
        key = self._external_keys.key_for(kid if isinstance(kid, str) else None, alg)
        if key is None:
            raise InvalidTokenError("token signing key is unknown")
        claims = _verified(token, key, alg, self._external_claims)
        subject = claims.get("sub")
        client_id = next((claims[n] for n in ("client_id", "azp", "clientId") if isinstance(claims.get(n), str)), subject)
        if not isinstance(client_id, str) or not client_id:
            raise InvalidTokenError("token names no client")
        scope = _claim(claims, oidc.scope_claim)
        return Principal(
            client_id=client_id,
            subject=subject if isinstance(subject, str) and subject else client_id,
            jurisdiction=self._jurisdiction(_claim(claims, oidc.jurisdiction_claim)),
            scopes=known_scopes_in(scope) if isinstance(scope, (str, list)) else frozenset(),
            token_id=claims.get("jti") if isinstance(claims.get("jti"), str) else None,
            issuer=oidc.issuer,
            key_id=kid if isinstance(kid, str) else None,
        )

    def _jurisdiction(self, value: object) -> str:
        if isinstance(value, list) and len(value) == 1:  # a multivalued attribute mapper
            value = value[0]
        if not isinstance(value, str) or value not in self._jurisdictions:
            raise InvalidTokenError("token jurisdiction is unknown")
        return value


def _unverified(token: object) -> tuple[dict, dict]:
    """Header and claims, read only to pick the keys: nothing here is trusted yet."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidTokenError("token is malformed")
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidTokenError("token is malformed")
    try:
        header = json.loads(_b64decode(parts[0]))
        claims = json.loads(_b64decode(parts[1]))
    except (ValueError, RecursionError):  # RecursionError: absurdly nested JSON
        raise InvalidTokenError("token is malformed") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise InvalidTokenError("token is malformed")
    return header, claims


def _verified(token: str, key: Key, alg: str, registry: jwt.JWTClaimsRegistry) -> dict:
    try:
        claims = jwt.decode(token, key, algorithms=[alg]).claims
        registry.validate(claims)
    except ExpiredTokenError:
        raise InvalidTokenError("token has expired") from None
    except MissingClaimError as exc:
        raise InvalidTokenError(f"token lacks claims: {exc.claim}") from None
    except InvalidClaimError as exc:
        raise InvalidTokenError(f"token claim is invalid: {exc.claim}") from None
    except BadSignatureError:
        raise InvalidTokenError("token signature is invalid") from None
    except (JoseError, ValueError, TypeError, RecursionError):
        raise InvalidTokenError("token is malformed") from None
    return claims


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _claim(claims: dict, name: str) -> object:
    """A claim by name, or by a dotted path (Keycloak mappers nest `a.b` as {"a": {"b": ...}})."""
    if name in claims:
        return claims[name]
    value: object = claims
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _text(claims: dict, name: str) -> str:
    value = claims[name]
    if not isinstance(value, str) or not value:
        raise InvalidTokenError(f"token claim is invalid: {name}")
    return value
