"""Tracking: how far each projection has applied the log, in `projection_positions`.

A batch's rows and its position commit in one transaction. The position moves only from
the value the runner read (`UPDATE ... WHERE position = ?`): if anything else moved it
(a second runner, a rebuild swapping in), the batch rolls back and the runner re-reads,
so no event is ever applied twice. The update is the batch's first statement, so it also
takes the row lock that serialises writers before any read-model row is touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from casebridge.infra.database import Database
from casebridge.projections.sql import Sql, read_ts
from casebridge.projections.tables import Table, col

POSITIONS = Table(
    "projection_positions",
    (col("name", "TEXT NOT NULL"), col("position", "INT NOT NULL"), col("version", "INT NOT NULL"),
     col("config", "TEXT NOT NULL"), col("status", "TEXT NOT NULL"), col("updated_at", "TS NOT NULL")),
    ("name",),
)

# A read model that could not apply an event: which event, why, how often it was tried. The
# row stays until the read model applies that event (a retry after a fix, or a rebuild).
FAILURES = Table(
    "projection_failures",
    (col("name", "TEXT NOT NULL"), col("position", "INT NOT NULL"), col("error", "TEXT NOT NULL"),
     col("attempts", "INT NOT NULL"), col("failed_at", "TS NOT NULL")),
    ("name",),
)
MAX_ERROR = 2000  # characters of the error kept

LIVE = "live"  # serving, kept up to date
REBUILDING = "rebuilding"  # serving its old rows while a fresh copy is built beside them
BUILDING = "building"  # the shadow copy being built (row named `<name>__next`)


class PositionMovedError(RuntimeError):
    """Another writer moved a projection's position since this runner read it."""


@dataclass(frozen=True)
class PositionRow:
    name: str
    position: int
    version: int
    config: str
    status: str
    updated_at: datetime | None


def read_positions(db: Database) -> list[PositionRow]:
    with db.transaction(write=False) as cur:
        return select_positions(cur)


def select_positions(cur: Any) -> list[PositionRow]:
    cur.execute("SELECT name, position, version, config, status, updated_at FROM projection_positions ORDER BY name")
    return [PositionRow(r[0], int(r[1]), int(r[2]), r[3], r[4], read_ts(r[5])) for r in cur.fetchall()]


def ensure_position(cur: Any, sql: Sql, name: str, version: int, config: str, status: str = LIVE) -> None:
    cur.execute("INSERT INTO projection_positions (name, position, version, config, status, updated_at) "
                "VALUES (?, 0, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING", (name, version, config, status, now(sql)))


def advance(cur: Any, sql: Sql, name: str, expected: int, position: int) -> None:
    cur.execute("UPDATE projection_positions SET position = ?, updated_at = ? WHERE name = ? AND position = ?",
                (position, now(sql), name, expected))
    if cur.rowcount != 1:
        raise PositionMovedError(f"projection {name!r} is no longer at position {expected}")


def set_status(cur: Any, sql: Sql, name: str, status: str) -> None:
    cur.execute("UPDATE projection_positions SET status = ?, updated_at = ? WHERE name = ?", (status, now(sql), name))


def now(sql: Sql) -> Any:
    return sql.ts(datetime.now(timezone.utc))


@dataclass(frozen=True)
class FailureRow:
    name: str
    position: int
    error: str
    attempts: int
    failed_at: datetime | None


def read_failures(db: Database) -> list[FailureRow]:
    with db.transaction(write=False) as cur:
        return select_failures(cur)


def select_failures(cur: Any) -> list[FailureRow]:
    cur.execute("SELECT name, position, error, attempts, failed_at FROM projection_failures ORDER BY name")
    return [FailureRow(r[0], int(r[1]), r[2], int(r[3]), read_ts(r[4])) for r in cur.fetchall()]


def record_failure(cur: Any, sql: Sql, name: str, position: int, error: str) -> None:
    """Note that `name` failed on the event at `position` (attempts count up while it is the same event)."""
    # The error text may quote the event (NUL and all): keep it storable and short.
    error = "".join(c if c.isprintable() or c in "\n\t" else "\ufffd" for c in error)[:MAX_ERROR]
    error = error.encode("utf-8", "replace").decode("utf-8")
    cur.execute("INSERT INTO projection_failures (name, position, error, attempts, failed_at) VALUES (?, ?, ?, 1, ?) "
                "ON CONFLICT (name) DO UPDATE SET error = excluded.error, failed_at = excluded.failed_at, "
                "attempts = CASE WHEN projection_failures.position = excluded.position "
                "THEN projection_failures.attempts + 1 ELSE 1 END, position = excluded.position",
                (name, position, error, now(sql)))


def clear_failure(cur: Any, name: str) -> None:
    cur.execute("DELETE FROM projection_failures WHERE name = ?", (name,))
