"""`casebridge migrate`, `serve` and `demo`."""

from __future__ import annotations

import argparse
import json
import sys

from casebridge.cli.errors import CliError
from casebridge.infra.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="create or update the database schema (idempotent)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("serve", help="run the API, the console and the projections")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-projections", action="store_true",
                   help="do not run the projections in this process (a separate `casebridge worker` runs them)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="load a small, realistic demo data set (idempotent) and print the demo clients")
    p.add_argument("--json", action="store_true", help="print the demo clients as JSON")
    p.set_defaults(func=cmd_demo)


def load_settings(defaults: dict[str, str] | None = None) -> Settings:
    """The one `Settings` of this command, from the environment (every setting error, auth and
    limits included, is a `ValueError` naming the variable: one line, exit 2)."""
    try:
        return Settings.from_env(defaults=defaults)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def migrated_settings(defaults: dict[str, str] | None = None) -> Settings:
    settings = load_settings(defaults)
    try:
        from casebridge.infra.migrations import migrate

        migrate(settings)
    except Exception as exc:  # storage unreachable or refused: one line, not a trace
        raise CliError(f"cannot prepare the database at {settings.database.redacted()}: {_first_line(exc)}") from None
    return settings


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = migrated_settings()
    print(f"schema ready at {settings.database.redacted()}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from casebridge.api.app import create_app

    from casebridge.api.request_limits import uvicorn_options

    settings = migrated_settings(_public_url_defaults(args.host, args.port))
    if args.no_projections and settings.database.is_sqlite:
        raise CliError("--no-projections needs PostgreSQL (a `casebridge worker` beside it); "
                       "with SQLite, `casebridge serve` runs the projections itself")
    try:
        app = create_app(settings, run_projections=not args.no_projections)
    except ValueError as exc:  # a setting the server cannot use (jurisdictions file, ...)
        raise CliError(str(exc)) from None
    print(f"CaseBridge on http://{args.host}:{args.port}/ (storage: {settings.database.redacted()})", file=sys.stderr)
    # timeouts and caps before authentication (README "Security limits")
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", proxy_headers=False,
                **uvicorn_options(settings.requests))
    return 0


def _public_url_defaults(host: str, port: int) -> dict[str, str]:
    """Without explicit settings, the issuer and the console's sign-in callback follow the
    address `serve` listens on, so `--port 9000` works in a browser without more setup."""
    if host not in ("127.0.0.1", "0.0.0.0", "::", "localhost"):
        return {}  # a public address needs an https issuer: the operator sets it
    shown = "localhost"
    callbacks = {f"http://{shown}:{port}/console/callback", f"http://127.0.0.1:{port}/console/callback",
                 f"http://localhost:{port}/console/callback"}
    return {"CASEBRIDGE_ISSUER": f"http://{shown}:{port}",
            "CASEBRIDGE_CONSOLE_REDIRECT_URIS": ",".join(sorted(callbacks))}


def cmd_demo(args: argparse.Namespace) -> int:
    from casebridge.cli.demo import load_demo

    settings = migrated_settings()
    clients = load_demo(settings)
    if args.json:
        print(json.dumps(clients, ensure_ascii=False, indent=2))
    else:
        print("Demo data loaded. Demo OAuth clients (client credentials grant at POST /oauth/token):")
        for c in clients:
            print(f"  {c['jurisdiction']:>6}  {c['name']:<28} client_id={c['client_id']}  client_secret={c['client_secret']}")
            print(f"          scope: {c['scope']}")
    return 0


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
