"""One small adapter over sqlite3 and psycopg for CaseBridge's own tables.

The event store is the eventsourcing library's; everything else (read models, OAuth
clients, keys, projection positions) goes through `Database`. SQL is written once with
`?` placeholders, sqlite3's own parameter style; for psycopg each `?` that is a placeholder
becomes `%s` (its style) and `%` becomes `%%`. A `?` inside a string literal, a quoted
identifier, a dollar-quoted string or a comment is text, never a parameter (on PostgreSQL,
write the jsonb `?` operator as `jsonb_exists()`).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from casebridge.infra.database_url import DatabaseUrl


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchmany(self, size: int) -> list[Any]: ...


class StorageUnavailableError(RuntimeError):
    """The database cannot be reached or refused the operation."""


# One lexeme at a time: string literals, quoted identifiers, comments, dollar-quoted strings
# (kept as they are) and the `?` placeholder (rewritten).
_LEXEME = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|(\$[A-Za-z_0-9]*\$).*?\1|\?""", re.S)


@lru_cache(maxsize=4096)
def _to_pyformat(sql: str) -> str:
    """`sql` in psycopg's parameter style: its `?` placeholders as `%s`, every `%` doubled."""
    return _LEXEME.sub(lambda m: "%s" if m.group() == "?" else m.group(), sql.replace("%", "%%"))


class _PgCursor:
    """A psycopg cursor that accepts `?` placeholders."""

    __slots__ = ("_cur",)

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _PgCursor:
        self._cur.execute(_to_pyformat(sql), params, prepare=False)
        return self

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> _PgCursor:
        self._cur.executemany(_to_pyformat(sql), params)
        return self

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall()

    def fetchmany(self, size: int) -> list[Any]:
        return self._cur.fetchmany(size)

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def raw(self) -> Any:
        return self._cur


class Database:
    """Connections to CaseBridge's own tables, on SQLite or PostgreSQL."""

    def __init__(self, url: DatabaseUrl, *, pool_size: int = 8) -> None:
        self.url = url
        self.dialect = url.dialect
        self._local = threading.local()
        self._pool: Any = None
        self._pool_lock = threading.Lock()
        self._pool_size = pool_size
        self._sqlite_conns: list[sqlite3.Connection] = []
        if url.is_sqlite:
            Path(url.path).parent.mkdir(parents=True, exist_ok=True)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    # -- connections -------------------------------------------------------------------

    def _sqlite_connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.url.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
            with self._pool_lock:
                self._sqlite_conns.append(conn)
        return conn

    def pg_pool(self) -> Any:
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    from psycopg_pool import ConnectionPool

                    self._pool = ConnectionPool(
                        self.url.psycopg_conninfo(),
                        min_size=1,
                        max_size=self._pool_size,
                        kwargs={"autocommit": False},
                        open=True,
                        timeout=10.0,
                        check=ConnectionPool.check_connection,
                    )
        return self._pool

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Any]:
        """A cursor inside one transaction: committed on success, rolled back on error.

        On SQLite a write transaction starts with BEGIN IMMEDIATE, so two writers
        queue on the lock instead of failing half-way with SQLITE_BUSY.
        """
        if self.is_sqlite:
            conn = self._sqlite_connection()
            if conn.in_transaction:  # nested use on the same thread joins the outer one
                yield conn.cursor()
                return
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn.cursor()
            except BaseException:
                conn.rollback()
                raise
            else:
                conn.commit()
        else:
            import psycopg

            try:
                with self.pg_pool().connection() as conn, conn.transaction(), conn.cursor() as cur:
                    yield _PgCursor(cur)
            except psycopg.OperationalError as exc:
                raise StorageUnavailableError(str(exc).strip().splitlines()[0] if str(exc).strip() else "database unavailable") from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.transaction() as cur:
            cur.execute(sql, params)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.transaction(write=False) as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.transaction(write=False) as cur:
            cur.execute(sql, params)
            return cur.fetchone()

    def ping(self) -> None:
        self.query_one("SELECT 1")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        with self._pool_lock:
            for conn in self._sqlite_conns:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._sqlite_conns.clear()
        self._local = threading.local()
