"""The auth parts wired together over one database: what the API and the CLI use."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from argon2 import PasswordHasher

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth.issuer.authorization_codes import AuthorizationCodeStore
from casebridge.infra.auth.issuer.clients import ClientStore
from casebridge.infra.auth.clock import Clock, system_clock
from casebridge.infra.auth.config import AuthConfig
from casebridge.infra.auth.keyring import KeyRing
from casebridge.infra.auth.keys import SigningKeyStore
from casebridge.infra.auth.sign_in.login_throttle import LoginThrottle
from casebridge.infra.auth.issuer.metadata import authorization_server_metadata
from casebridge.infra.auth.sign_in.password_checks import PasswordCheckGate
from casebridge.infra.auth.validation.remote_jwks import RemoteJwks
from casebridge.infra.auth.issuer.revocations import TokenRevocations
from casebridge.infra.auth.issuer.server import CaseBridgeAuthorizationServer
from casebridge.infra.auth.sign_in.sessions import LoginSessionStore
from casebridge.infra.auth.sign_in.flow import ConsoleSignIn
from casebridge.infra.auth.validation.standing import PrincipalStanding
from casebridge.infra.auth.issuer.tokens import AccessTokenIssuer
from casebridge.infra.auth.issuer.users import UserStore
from casebridge.infra.auth.validation.validator import TokenValidator
from casebridge.infra.database import Database


@dataclass(frozen=True)
class AuthServices:
    config: AuthConfig
    clients: ClientStore
    keys: KeyRing
    issuer: AccessTokenIssuer
    server: CaseBridgeAuthorizationServer
    validator: TokenValidator
    external_keys: RemoteJwks | None = None
    users: UserStore | None = None
    sessions: LoginSessionStore | None = None
    sign_in: ConsoleSignIn | None = None

    @classmethod
    def build(
        cls,
        db: Database,
        config: AuthConfig,
        jurisdictions: JurisdictionRegistry,
        *,
        clock: Clock = system_clock,
        http_client: httpx.Client | None = None,
        password_hasher: PasswordHasher | None = None,
    ) -> AuthServices:
        clients = ClientStore(db, jurisdictions, clock=clock)
        keys = KeyRing(
            SigningKeyStore(db, clock=clock),
            refresh_seconds=config.key_refresh_seconds,
            retention_seconds=config.key_retention_seconds,
            clock=clock,
        )
        external_keys = None
        if config.oidc is not None:
            external_keys = RemoteJwks(config.oidc.jwks_url, clock=clock, http_client=http_client)
        issuer = AccessTokenIssuer(keys, config, clock=clock)
        users = UserStore(db, jurisdictions, clock=clock, hasher=password_hasher)
        sessions = LoginSessionStore(db, users, ttl=config.console_session_ttl, clock=clock)
        server = CaseBridgeAuthorizationServer(clients, issuer, config, users=users, codes=AuthorizationCodeStore(db, clock=clock))
        validator = TokenValidator(config, keys, jurisdictions, external_keys=external_keys, clock=clock,
                                   standing=PrincipalStanding(db))
        sign_in = ConsoleSignIn(server, users, sessions, LoginThrottle(db, clock=clock), validator=validator,
                                revocations=TokenRevocations(db, clock=clock), token_lifetime=config.token_ttl + config.leeway,
                                password_checks=PasswordCheckGate(config.login_concurrency))
        return cls(
            config=config,
            clients=clients,
            keys=keys,
            issuer=issuer,
            server=server,
            validator=validator,
            external_keys=external_keys,
            users=users,
            sessions=sessions,
            sign_in=sign_in,
        )

    def metadata(self) -> dict:
        return authorization_server_metadata(self.config)

    def close(self) -> None:
        if self.external_keys is not None:
            self.external_keys.close()
