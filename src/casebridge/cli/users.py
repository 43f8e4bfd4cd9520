"""`casebridge user ...`: the people who sign in to the console.

Works straight on the database named by `CASEBRIDGE_DATABASE_URL`, with or without a server
running. The password is read from stdin (`--password-stdin`), never from the command line,
where other users of the machine and the shell history would see it.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from casebridge.cli.client import _database, _jurisdictions
from casebridge.cli.core import load_settings
from casebridge.cli.errors import CliError
from casebridge.infra.auth.scopes import KNOWN_SCOPES, UnknownScopeError, parse_scope
from casebridge.infra.auth.issuer.users import (
    ConsoleUser,
    UnknownUserError,
    UserRegistrationError,
    UserStore,
    check_password,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    user = subparsers.add_parser("user", help="create, list and disable console users (people)")
    actions = user.add_subparsers(dest="user_action", metavar="ACTION", required=True)

    create = actions.add_parser("create", help="create a console user of one jurisdiction")
    create.add_argument("--username", required=True, help="3-64 characters of a-z 0-9 . _ @ - (case-insensitive)")
    create.add_argument("--jurisdiction", required=True, metavar="CODE", help="jurisdiction code, e.g. 310000")
    create.add_argument("--scope", required=True, metavar="SCOPES", help=f"space-separated, from: {' '.join(KNOWN_SCOPES)}")
    create.add_argument("--name", help="the name shown in the console (default: the username)")
    create.add_argument("--password-stdin", action="store_true", required=True,
                        help="read the password (at least 12 characters) from the first line of stdin")
    create.set_defaults(func=_create_user)

    listing = actions.add_parser("list", help="list console users (never their password hashes)")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(func=_list_users)

    disable = actions.add_parser("disable", help="disable a user: no more sign-ins, their sessions end")
    disable.add_argument("username", metavar="USERNAME")
    disable.set_defaults(func=_disable_user)


def _create_user(args: argparse.Namespace) -> int:
    settings = load_settings()
    jurisdictions = _jurisdictions(settings)
    password = _password_from_stdin()
    try:  # refuse bad input before touching the database
        parse_scope(args.scope)
        check_password(password)
    except (UnknownScopeError, UserRegistrationError) as exc:
        raise CliError(str(exc)) from None
    if args.jurisdiction not in jurisdictions:
        raise CliError(f"unknown jurisdiction {args.jurisdiction!r}; `casebridge` knows {len(jurisdictions)} codes, e.g. 310000")
    with _database(settings) as db:
        try:
            user = UserStore(db, jurisdictions).create(username=args.username, password=password, jurisdiction=args.jurisdiction,
                                                       scope=args.scope, display_name=args.name)
        except UserRegistrationError as exc:
            raise CliError(str(exc)) from None
    print(f"Created user {user.username} ({user.display_name}) of jurisdiction {user.jurisdiction} with scope {user.scope}.")
    return 0


def _list_users(args: argparse.Namespace) -> int:
    settings = load_settings()
    with _database(settings) as db:
        users = UserStore(db, _jurisdictions(settings)).list_all()
    if args.json:
        print(json.dumps([_user_json(u) for u in users], ensure_ascii=False))
        return 0
    if not users:
        print("No users. Create one with `casebridge user create --username U --jurisdiction CODE --scope SCOPES --password-stdin`.")
        return 0
    print(f"{'USERNAME':24}  {'JURISDICTION':12}  {'STATUS':8}  {'NAME':24}  SCOPE")
    for u in users:
        status = "disabled" if u.is_disabled else "active"
        print(f"{u.username:24}  {u.jurisdiction:12}  {status:8}  {u.display_name[:24]:24}  {u.scope}")
    return 0


def _disable_user(args: argparse.Namespace) -> int:
    settings = load_settings()
    with _database(settings) as db:
        try:
            user = UserStore(db, _jurisdictions(settings)).disable(args.username)
        except UnknownUserError:
            raise CliError(f"no user {args.username!r}") from None
    print(f"User {user.username} disabled at {user.disabled_at.isoformat()}; they can no longer sign in.")
    return 0


def _password_from_stdin() -> str:
    if sys.stdin is None:
        raise CliError("--password-stdin: there is no stdin to read the password from")
    if sys.stdin.isatty():  # a person at a terminal: ask without echoing it
        return getpass.getpass("Password: ")
    line = sys.stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


def _user_json(user: ConsoleUser) -> dict:
    return {
        "username": user.username,
        "name": user.display_name,
        "jurisdiction": user.jurisdiction,
        "scope": user.scope,
        "created_at": user.created_at.isoformat(),
        "disabled_at": user.disabled_at.isoformat() if user.disabled_at else None,
    }
