"""Direct reads of the event store's table that the library has no call for: the events
of several streams in log order, one keyset page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import Notification

from casebridge.infra.database import Database


def schema_statements(dialect: str) -> list[str]:
    """An index for a case's history: its streams' events in log order. Without it PostgreSQL
    walks the whole log backwards by notification_id for the first page (370 ms at 1M events).
    SQLite's primary key index on (originator_id, originator_version) carries the rowid already."""
    if dialect != "postgresql":
        return []
    return ["CREATE INDEX IF NOT EXISTS casebridge_events_stream_position ON casebridge_events (originator_id, notification_id)"]


class SqlEventLog:
    def __init__(self, db: Database) -> None:
        self.db = db
        if db.is_sqlite:
            self._position, self._table = "rowid", "stored_events"
        else:
            self._position, self._table = "notification_id", "casebridge_events"

    def stream_page(self, stream_ids: Sequence[UUID], after: int | None, limit: int,
                    upto: int | None = None) -> list[Notification]:
        """Events of `stream_ids`, in log order, after log position `after` (and at or before `upto`)."""
        if not stream_ids:
            return []
        ids = [s.hex if self.db.is_sqlite else s for s in stream_ids]
        marks = ",".join("?" * len(ids))
        bound = f" AND {self._position} <= ?" if upto is not None else ""
        sql = (
            f"SELECT {self._position}, originator_id, originator_version, topic, state FROM {self._table} "
            f"WHERE originator_id IN ({marks}) AND {self._position} > ?{bound} ORDER BY {self._position} LIMIT ?"
        )
        rows = self.db.query(sql, (*ids, after or 0, *([upto] if upto is not None else []), limit))
        return [self._notification(r) for r in rows]

    def head(self) -> int:
        """The newest log position (0 for an empty log). On PostgreSQL the library inserts
        under a table lock, so every position at or below the head has committed."""
        row = self.db.query_one(f"SELECT MAX({self._position}) FROM {self._table}")
        return int(row[0]) if row and row[0] is not None else 0

    def mentioning(self, text: str, after: int, upto: int, limit: int) -> list[Notification]:
        """Events in (`after`, `upto`] whose stored bytes contain the ASCII `text`, in log
        order (one page). A coarse filter: callers decode what it finds and decide."""
        contains = "instr(state, ?) > 0" if self.db.is_sqlite else "position(?::bytea in state) > 0"
        rows = self.db.query(
            f"SELECT {self._position}, originator_id, originator_version, topic, state FROM {self._table} "
            f"WHERE {self._position} > ? AND {self._position} <= ? AND {contains} ORDER BY {self._position} LIMIT ?",
            (after, upto, text.encode("ascii"), limit),
        )
        return [self._notification(r) for r in rows]

    def events_after(self, after: int, limit: int) -> list[Notification]:
        """Every event after log position `after`, in log order (one page)."""
        rows = self.db.query(
            f"SELECT {self._position}, originator_id, originator_version, topic, state FROM {self._table} "
            f"WHERE {self._position} > ? ORDER BY {self._position} LIMIT ?",
            (after, limit),
        )
        return [self._notification(r) for r in rows]

    @staticmethod
    def _notification(r) -> Notification:
        return Notification(id=r[0], originator_id=r[1] if isinstance(r[1], UUID) else UUID(r[1]),
                            originator_version=r[2], topic=r[3], state=bytes(r[4]))
