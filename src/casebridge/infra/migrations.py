"""Creates the schema once: the event store's tables and CaseBridge's own.

`casebridge migrate` runs this, and so does `serve` on start. Concurrent callers are
serialised (a PostgreSQL advisory lock; SQLite's write lock), so two processes starting
together never race on DDL. Every statement is idempotent.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from casebridge.infra.database import Database
from casebridge.infra.settings import Settings

# Modules that own tables expose `schema_statements(dialect) -> list[str]`.
# Listed here, in dependency order, so the schema has one entry point.
SCHEMA_MODULES: tuple[str, ...] = (
    "casebridge.infra.event_log",
    "casebridge.infra.auth.schema",
    "casebridge.infra.audit.schema",
    "casebridge.projections.schema",
    "casebridge.infra.reporter_keys",
)

_MIGRATION_LOCK_KEY = 0x43425247  # "CBRG": one advisory lock id for schema changes


def _statement_providers() -> Iterable[Callable[[str], list[str]]]:
    for name in SCHEMA_MODULES:  # every one exists: a missing module is a broken install, said loudly
        yield importlib.import_module(name).schema_statements


def create_event_store_tables(settings: Settings) -> None:
    from casebridge.application.app import CaseBridge

    env = settings.database.eventsourcing_env()
    env["CREATE_TABLE"] = "y"
    app = CaseBridge(env=env)
    app.close()


def migrate(settings: Settings, db: Database | None = None) -> None:
    own_db = db is None
    db = db or Database(settings.database)
    try:
        if db.is_postgres:
            import psycopg

            # A session-level advisory lock on its own connection: the event store's DDL
            # runs on the library's connections, and must see the schema committed.
            with psycopg.connect(settings.database.psycopg_conninfo(), autocommit=True) as lock_conn:
                lock_conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK_KEY,))
                try:
                    if settings.database.schema:
                        lock_conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{settings.database.schema}"')
                    _apply(settings, db)
                finally:
                    lock_conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK_KEY,))
        else:
            _apply(settings, db)
    finally:
        if own_db:
            db.close()


def _apply(settings: Settings, db: Database) -> None:
    create_event_store_tables(settings)
    with db.transaction() as cur:
        for provider in _statement_providers():
            for statement in provider(db.dialect):
                cur.execute(statement)
