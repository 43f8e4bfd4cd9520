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
