"""`casebridge client ...` (OAuth clients) and `casebridge keys ...` (token signing keys).

Both work straight on the database named by `CASEBRIDGE_DATABASE_URL`, with or without a
server running; the schema is created first, so a fresh database works.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from casebridge.cli.core import load_settings
from casebridge.cli.errors import CliError
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth import (
    KNOWN_SCOPES,
    ClientRegistrationError,
    ClientStore,
    RegisteredClient,
    SigningKeyStore,
    UnknownClientError,
    UnknownScopeError,
)
from casebridge.infra.auth.keys import UnknownSigningKeyError
from casebridge.infra.auth.scopes import parse_scope
from casebridge.infra.database import Database, StorageUnavailableError
from casebridge.infra.settings import Settings

_PRINTABLE = re.compile(r"[!-~]{1,256}")  # ids and kids are printable ASCII: anything else names nothing


def register(subparsers: argparse._SubParsersAction) -> None:
    client = subparsers.add_parser("client", help="register, list and revoke OAuth clients")
    actions = client.add_subparsers(dest="client_action", metavar="ACTION", required=True)

    create = actions.add_parser("create", help="register a client for one jurisdiction; prints its secret once")
    create.add_argument("--jurisdiction", required=True, metavar="CODE", help="jurisdiction code, e.g. 310000")
    create.add_argument("--scope", required=True, metavar="SCOPES", help=f"space-separated, from: {' '.join(KNOWN_SCOPES)}")
    create.add_argument("--name", help="a name for people (default: the jurisdiction's)")
    create.add_argument("--json", action="store_true", help="print one JSON object")
    create.set_defaults(func=_create_client)

    listing = actions.add_parser("list", help="list clients (never their secrets)")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(func=_list_clients)

    revoke = actions.add_parser("revoke", help="revoke a client: it gets no more tokens and its live tokens are refused at once")
    revoke.add_argument("client_id", metavar="CLIENT_ID")
    revoke.set_defaults(func=_revoke_client)

    keys = subparsers.add_parser("keys", help="list, rotate and revoke the token signing keys")
    key_actions = keys.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    rotate = key_actions.add_parser("rotate", help="activate a new signing key; the old one verifies until its tokens expire")
    rotate.set_defaults(func=_rotate_keys)
    key_list = key_actions.add_parser("list", help="list signing keys and whether they are still published")
    key_list.add_argument("--json", action="store_true", help="print a JSON array")
    key_list.set_defaults(func=_list_keys)
    key_revoke = key_actions.add_parser("revoke", help="revoke a compromised signing key: every token it signed is refused "
                                        "at once; if it was active, a new key is activated")
    key_revoke.add_argument("kid", metavar="KID")
    key_revoke.set_defaults(func=_revoke_key)


def _create_client(args: argparse.Namespace) -> int:
    settings = load_settings()
    jurisdictions = _jurisdictions(settings)
    try:  # refuse bad input before touching the database
        parse_scope(args.scope)
    except UnknownScopeError as exc:
        raise CliError(str(exc)) from None
    if args.jurisdiction not in jurisdictions:
        raise CliError(f"unknown jurisdiction {args.jurisdiction!r}; `casebridge` knows {len(jurisdictions)} codes, e.g. 310000")
    with _database(settings) as db:
        try:
            credentials = ClientStore(db, jurisdictions).create(jurisdiction=args.jurisdiction, scope=args.scope, name=args.name)
        except ClientRegistrationError as exc:
            raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps(credentials.as_json(), ensure_ascii=False))
        return 0
    print(f"Registered client {credentials.name!r} for jurisdiction {credentials.jurisdiction}.")
    print(f"  client_id:     {credentials.client_id}")
    print(f"  client_secret: {credentials.client_secret}")
    print(f"  scope:         {credentials.scope}")
    print("The secret is shown only now: store it safely.")
    return 0


def _list_clients(args: argparse.Namespace) -> int:
    settings = load_settings()
    with _database(settings) as db:
        clients = ClientStore(db, _jurisdictions(settings)).list_all()
    if args.json:
        print(json.dumps([_client_json(c) for c in clients], ensure_ascii=False))
        return 0
    if not clients:
        print("No clients. Register one with `casebridge client create --jurisdiction CODE --scope SCOPES`.")
        return 0
    print(f"{'CLIENT_ID':24}  {'JURISDICTION':12}  {'STATUS':8}  {'NAME':28}  SCOPE")
    for c in clients:
        status = "revoked" if c.is_revoked else "active"
        print(f"{c.client_id:24}  {c.jurisdiction:12}  {status:8}  {c.name[:28]:28}  {c.scope}")
    return 0


def _revoke_client(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not _PRINTABLE.fullmatch(args.client_id):
        raise CliError(f"no client {args.client_id!r}")
    with _database(settings) as db:
        try:
            client = ClientStore(db, _jurisdictions(settings)).revoke(args.client_id)
        except UnknownClientError:
            raise CliError(f"no client {args.client_id!r}") from None
    print(f"Client {client.client_id} revoked at {client.revoked_at.isoformat()}; "
          "it gets no new tokens and its tokens are refused from now on.")
    return 0


def _revoke_key(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not _PRINTABLE.fullmatch(args.kid):
        raise CliError(f"no signing key {args.kid!r}")
    with _database(settings) as db:
        try:
            activated, already = SigningKeyStore(db).revoke(args.kid)
        except UnknownSigningKeyError:
            raise CliError(f"no signing key {args.kid!r}") from None
    if already:
        print(f"Signing key {args.kid} was already revoked.")
        return 0
    print(f"Signing key {args.kid} revoked: tokens it signed are refused from now on, in every process.")
    if activated is not None:
        print(f"It was the active key: {activated.kid} is active now.")
    return 0


def _rotate_keys(args: argparse.Namespace) -> int:
    settings = load_settings()
    config = settings.auth
    with _database(settings) as db:
        key = SigningKeyStore(db).rotate()
    print(f"Signing key {key.kid} is active. Retired keys stay published for {config.key_retention_seconds} s.")
    return 0


def _list_keys(args: argparse.Namespace) -> int:
    settings = load_settings()
    retention = timedelta(seconds=settings.auth.key_retention_seconds)
    with _database(settings) as db:
        keys = SigningKeyStore(db).list_all()
    now = datetime.now(UTC)
    rows = [
        {
            "kid": k.kid,
            "algorithm": k.algorithm,
            "status": "revoked" if revoked_at else
                      "active" if k.is_active else ("retired" if k.is_published_at(now, retention) else "expired"),
            "created_at": k.created_at.isoformat(),
            "activated_at": _iso(k.activated_at),
            "retired_at": _iso(k.retired_at),
            "published_until": None if revoked_at else _iso(k.verifies_until(retention)),
            "revoked_at": _iso(revoked_at),
        }
        for k, revoked_at in keys
    ]
    if args.json:
        print(json.dumps(rows))
        return 0
    if not rows:
        print("No signing keys yet; the first is created when the first token is issued.")
    for row in rows:
        until = f"  published until {row['published_until']}" if row["published_until"] else ""
        print(f"{row['kid']}  {row['algorithm']}  {row['status']:8}  created {row['created_at']}{until}")
    return 0


def _client_json(client: RegisteredClient) -> dict:
    return {
        "client_id": client.client_id,
        "name": client.name,
        "jurisdiction": client.jurisdiction,
        "scope": client.scope,
        "created_at": client.created_at.isoformat(),
        "revoked_at": _iso(client.revoked_at),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _jurisdictions(settings: Settings) -> JurisdictionRegistry:
    try:
        return JurisdictionRegistry.load(settings.jurisdictions_file or None)
    except (OSError, ValueError) as exc:
        raise CliError(f"jurisdictions file {settings.jurisdictions_file}: {exc}") from None


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    """The migrated database; an unreachable or refusing store ends as one line."""
    import sqlite3

    import psycopg

    from casebridge.infra.migrations import migrate

    db = Database(settings.database)
    try:
        migrate(settings, db)
        yield db
    except (StorageUnavailableError, psycopg.OperationalError, sqlite3.OperationalError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CliError(f"database {settings.database.redacted()} unavailable: {reason}") from None
    finally:
        db.close()
