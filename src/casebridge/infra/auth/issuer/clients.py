"""Registered OAuth clients: one jurisdiction and a set of scopes each, in `oauth_clients`."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth.clock import Clock, storable_time, stored_time, system_clock
from casebridge.infra.auth.scopes import format_scope, parse_scope
from casebridge.infra.auth.issuer.secret_hash import hash_secret, verify_secret
from casebridge.infra.database import Database

# Unreserved URL characters only: never ':' (HTTP Basic splits id and secret on it), and
# no leading '-' (the id is a command-line argument of `casebridge client revoke`).
_CLIENT_ID = re.compile(r"[A-Za-z0-9._~][A-Za-z0-9._~-]{2,127}")
MIN_SECRET_LENGTH = 32
_COLUMNS = "client_id, secret_hash, name, jurisdiction, scope, created_at, revoked_at"


class ClientRegistrationError(ValueError):
    """A client cannot be registered as asked; nothing was written."""


class ClientConflictError(ClientRegistrationError):
    """The client id is taken by a client with other attributes (or another secret)."""


class UnknownClientError(LookupError):
    """No client has that id."""


@dataclass(frozen=True)
class ClientCredentials:
    """What the operator hands to the integrating agency. The secret is never stored."""

    client_id: str
    client_secret: str
    jurisdiction: str
    scope: str
    name: str = ""

    def as_json(self) -> dict[str, str]:
        """The object `casebridge client create --json` prints (docs/contract.md, "Running it")."""
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "jurisdiction": self.jurisdiction,
            "scope": self.scope,
        }


@dataclass(frozen=True)
class RegisteredClient:
    client_id: str
    name: str
    jurisdiction: str
    scopes: frozenset[str]
    created_at: datetime
    revoked_at: datetime | None
    secret_hash: str = field(repr=False, default="")

    @property
    def scope(self) -> str:
        return format_scope(self.scopes)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def check_secret(self, secret: str) -> bool:
        return verify_secret(secret, self.secret_hash)


class ClientStore:
    def __init__(self, db: Database, jurisdictions: JurisdictionRegistry | None = None, *, clock: Clock = system_clock) -> None:
        self._db = db
        self._jurisdictions = jurisdictions or JurisdictionRegistry.load()
        self._clock = clock

    def create(
        self,
        *,
        jurisdiction: str,
        scope: str | Iterable[str],
        name: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> ClientCredentials:
        """Registers a client. With a fixed `client_id` and `client_secret`, registering the
        same client again is a no-op that returns it (so a demo loader can be re-run)."""
        scopes = parse_scope(scope)
        if jurisdiction not in self._jurisdictions:
            raise ClientRegistrationError(f"unknown jurisdiction {jurisdiction!r}")
        if client_id is not None and not _CLIENT_ID.fullmatch(client_id):
            raise ClientRegistrationError("client_id must be 3-128 characters of A-Z a-z 0-9 . _ ~ - (not starting with -)")
        if client_secret is not None and len(client_secret) < MIN_SECRET_LENGTH:
            raise ClientRegistrationError(f"client_secret must be at least {MIN_SECRET_LENGTH} characters")
        if name is None:
            place = self._jurisdictions.get(jurisdiction)
            name = f"{place.name_en} ({place.code})"
        credentials = ClientCredentials(
            client_id=client_id or f"cb-{secrets.token_urlsafe(16)}",
            client_secret=client_secret or secrets.token_urlsafe(32),
            jurisdiction=jurisdiction,
            scope=format_scope(scopes),
            name=name,
        )
        secret_hash = hash_secret(credentials.client_secret)
        with self._db.transaction() as cur:
            cur.execute(
                f"INSERT INTO oauth_clients ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (client_id) DO NOTHING",
                (credentials.client_id, secret_hash, name, jurisdiction, credentials.scope, storable_time(self._clock())),
            )
            cur.execute(f"SELECT {_COLUMNS} FROM oauth_clients WHERE client_id = ?", (credentials.client_id,))
            stored = _client(cur.fetchone())
        if stored.secret_hash != secret_hash and not _same_client(stored, credentials):
            raise ClientConflictError(f"client {credentials.client_id} already exists with other attributes")
        return credentials

    def get(self, client_id: str) -> RegisteredClient | None:
        """The client with that id, revoked or not."""
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM oauth_clients WHERE client_id = ?", (client_id,))
        return _client(row) if row else None

    def find_active(self, client_id: str) -> RegisteredClient | None:
        client = self.get(client_id)
        return client if client is not None and not client.is_revoked else None

    def list_all(self) -> list[RegisteredClient]:
        rows = self._db.query(f"SELECT {_COLUMNS} FROM oauth_clients ORDER BY created_at, client_id")
        return [_client(row) for row in rows]

    def revoke(self, client_id: str) -> RegisteredClient:
        """Revokes the client: its secret no longer gets tokens. Revoking twice is harmless."""
        with self._db.transaction() as cur:
            cur.execute(
                "UPDATE oauth_clients SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL",
                (storable_time(self._clock()), client_id),
            )
            cur.execute(f"SELECT {_COLUMNS} FROM oauth_clients WHERE client_id = ?", (client_id,))
            row = cur.fetchone()
        if row is None:
            raise UnknownClientError(f"no client {client_id!r}")
        return _client(row)


def _same_client(stored: RegisteredClient, wanted: ClientCredentials) -> bool:
    return (
        not stored.is_revoked
        and stored.jurisdiction == wanted.jurisdiction
        and stored.scope == wanted.scope
        and stored.name == wanted.name
        and stored.check_secret(wanted.client_secret)
    )


def _client(row) -> RegisteredClient:
    client_id, secret_hash, name, jurisdiction, scope, created_at, revoked_at = row
    return RegisteredClient(
        client_id=client_id,
        name=name,
        jurisdiction=jurisdiction,
        scopes=frozenset(scope.split()),
        created_at=stored_time(created_at),
        revoked_at=stored_time(revoked_at),
        secret_hash=secret_hash,
    )
