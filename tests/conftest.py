"""Shared fixtures: every storage-touching test runs on SQLite and on PostgreSQL.

PostgreSQL tests read CASEBRIDGE_TEST_DATABASE_URL. When it is set they run (never skip);
each test gets a private schema, dropped afterwards. Under CI the variable is required.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from casebridge.infra.settings import DatabaseUrl, Settings

PG_URL = os.environ.get("CASEBRIDGE_TEST_DATABASE_URL", "")

if os.environ.get("CI") and not PG_URL:
    raise RuntimeError("CI must set CASEBRIDGE_TEST_DATABASE_URL: PostgreSQL tests may not be skipped in CI")

STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}schema={schema}"


def _drop_schema(schema: str) -> None:
    import psycopg

    conninfo = DatabaseUrl.parse(PG_URL).psycopg_conninfo()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def make_database_url(store: str, tmp_path) -> tuple[str, str | None]:
    """A fresh, empty database URL for `store`, and the PostgreSQL schema to drop after."""
    if store == "sqlite":
        return f"sqlite:///{tmp_path / 'casebridge.db'}", None
    if not PG_URL:
        pytest.skip("CASEBRIDGE_TEST_DATABASE_URL is not set (PostgreSQL tests run when it is)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    return _pg_schema_url(schema), schema


@pytest.fixture(params=STORES)
def store(request) -> str:
    return request.param


@pytest.fixture
def database_url(store, tmp_path) -> Iterator[str]:
    url, schema = make_database_url(store, tmp_path)
    try:
        yield url
    finally:
        if schema:
            _drop_schema(schema)


@pytest.fixture
def settings(database_url) -> Settings:
    """Settings for a fresh, migrated database on the parameterised store."""
    from casebridge.infra.migrations import migrate

    s = Settings.from_env({"CASEBRIDGE_DATABASE_URL": database_url})
    migrate(s)
    return s


@pytest.fixture
def sqlite_settings(tmp_path) -> Settings:
    """Settings for a fresh, migrated SQLite database (for tests that need only one store)."""
    from casebridge.infra.migrations import migrate

    s = Settings.from_env({"CASEBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path / 'casebridge.db'}"})
    migrate(s)
    return s
