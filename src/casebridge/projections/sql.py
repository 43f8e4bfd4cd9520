"""Small dialect helpers shared by the projections and the views.

The SQL itself is written once with `?` placeholders (see `infra.database`); what differs
between SQLite and PostgreSQL is how timestamps and booleans travel, and table names when a
projection writes into its shadow tables during a rebuild.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from casebridge.projections.tables import Table

UTC = timezone.utc
CHUNK = 500  # ids per `IN (...)` list: well under SQLite's parameter limit
MAX_ROWS = 5000  # rows per multi-row INSERT on PostgreSQL


class Sql:
    """Dialect-aware value conversion and statement building for one set of tables."""

    def __init__(self, dialect: str, suffix: str = "") -> None:
        self.dialect = dialect
        self.suffix = suffix
        self.is_postgres = dialect == "postgresql"

    # -- values ------------------------------------------------------------------------------

    def ts(self, value: datetime | None) -> Any:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value if self.is_postgres else value.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")

    def flag(self, value: bool) -> Any:
        return bool(value) if self.is_postgres else int(bool(value))

    # -- statements --------------------------------------------------------------------------

    def t(self, table: Table | str) -> str:
        return (table.name if isinstance(table, Table) else table) + self.suffix

    def upsert(self, table: Table, columns: Sequence[str] | None = None) -> str:
        """INSERT of `columns` that overwrites the row with the same primary key."""
        cols = tuple(columns or table.column_names)
        updates = [c for c in cols if c not in table.primary_key]
        conflict = f"ON CONFLICT ({', '.join(table.primary_key)}) "
        action = "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates) if updates else "DO NOTHING"
        return f"INSERT INTO {self.t(table)} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) {conflict}{action}"

    def insert_ignore(self, table: Table, columns: Sequence[str] | None = None) -> str:
        cols = tuple(columns or table.column_names)
        return (f"INSERT INTO {self.t(table)} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                f"ON CONFLICT ({', '.join(table.primary_key)}) DO NOTHING")

    # -- multi-row writes ----------------------------------------------------------------------
    # Many rows per statement. On PostgreSQL one INSERT ... SELECT FROM unnest(<one array per
    # column>) carries any number of rows with a constant statement text (parsed once, planned
    # cheaply); on SQLite, in-process, `executemany` of one prepared statement is fastest.
    # Rows of one call must have distinct keys (PostgreSQL refuses to upsert a row twice in one
    # statement).

    def upsert_rows(self, cur: Any, table: Table, rows: Sequence[Sequence[Any]],
                    columns: Sequence[str] | None = None) -> None:
        cols = tuple(columns or table.column_names)
        updates = [c for c in cols if c not in table.primary_key]
        action = "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates) if updates else "DO NOTHING"
        self.insert_rows(cur, table, rows, cols, f"ON CONFLICT ({', '.join(table.primary_key)}) {action}")

    def insert_ignore_rows(self, cur: Any, table: Table, rows: Sequence[Sequence[Any]],
                           columns: Sequence[str] | None = None) -> None:
        cols = tuple(columns or table.column_names)
        self.insert_rows(cur, table, rows, cols, f"ON CONFLICT ({', '.join(table.primary_key)}) DO NOTHING")

    def insert_rows(self, cur: Any, table: Table, rows: Sequence[Sequence[Any]], columns: Sequence[str],
                    conflict: str) -> None:
        if not rows:
            return
        head = f"INSERT INTO {self.t(table)} ({', '.join(columns)}) "
        if not self.is_postgres:
            cur.executemany(head + f"VALUES ({', '.join('?' * len(columns))}) {conflict}", rows)
            return
        arrays = ", ".join(f"?::{table.pg_type(c)}[]" for c in columns)
        statement = head + f"SELECT * FROM unnest({arrays}) {conflict}"
        for part in chunks(rows, MAX_ROWS):
            cur.execute(statement, [list(column) for column in zip(*part)])


def read_ts(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def placeholders(n: int) -> str:
    return ", ".join("?" * n)


def select_in(cur: Any, sql: str, keys: Iterable[Any], *, before: Sequence[Any] = (), after: Sequence[Any] = ()) -> list[Any]:
    """Run `sql` (which contains one `{in}` marker) for `keys` in chunks; all rows."""
    unique = list(dict.fromkeys(keys))
    rows: list[Any] = []
    for part in chunks(unique):
        cur.execute(sql.replace("{in}", placeholders(len(part))), (*before, *part, *after))
        rows.extend(cur.fetchall())
    return rows


def execute_in(cur: Any, sql: str, keys: Iterable[Any], *, before: Sequence[Any] = ()) -> None:
    """Run a statement with one `{in}` marker (e.g. a DELETE) for `keys`, in chunks."""
    unique = list(dict.fromkeys(keys))
    for part in chunks(unique):
        cur.execute(sql.replace("{in}", placeholders(len(part))), (*before, *part))


def well_formed_ids(ids: Iterable[Any]) -> list[str]:
    """The ids among `ids` that can name a row: aggregate ids are stored as canonical UUID
    text, so anything else (free text, NUL, a 60 KB string) names nothing and never reaches SQL."""
    kept = []
    for value in ids:
        try:
            if str(UUID(str(value))) == str(value):
                kept.append(str(value))
        except ValueError:
            pass
    return kept


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads_tuple(value: str | None) -> tuple[Any, ...]:
    return tuple(json.loads(value)) if value else ()
