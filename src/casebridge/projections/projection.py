"""The shape every read model's projection has, and the load-fold-flush helper they share.

A projection receives a whole batch of decoded events (with their log positions) inside the
runner's transaction. It loads the rows the batch touches in one query per table, folds the
events into them in memory, and writes the final rows with multi-row INSERTs: a handful of
statements per batch instead of several per event. The runner commits the rows together
with the projection's position, so a batch applies exactly once or not at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from casebridge.projections.sql import Sql, select_in
from casebridge.projections.tables import Table

Positioned = tuple[int, Any]  # (notification id, domain event)


class Projection(ABC):
    """One read model's writer. Subclasses name themselves, list their tables, and apply batches.

    `version` is the schema version of the read model's rows: bump it whenever the tables or
    the meaning of their rows change, and the runner rebuilds the read model from the first
    event on its next start.
    """

    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[Table, ...]]
    handles: ClassVar[tuple[type, ...]]  # the domain event classes this projection reads

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        # The name its position is tracked under: a shadow copy built during a rebuild
        # writes `<table>__next` tables and tracks itself as `<name>__next`.
        self.tracking_name = self.name + sql.suffix

    @classmethod
    def topics(cls) -> set[str]:
        return {get_topic(c) for c in cls.handles}

    def config(self) -> str:
        """A fingerprint of configuration the rows depend on (beyond the events); a change
        triggers a rebuild just like a version change."""
        return ""

    @abstractmethod
    def apply(self, cur: Any, events: Sequence[Positioned]) -> None:
        """Apply `events` (in log order, already filtered to `handles`) to the tables."""


class RowSet:
    """Rows of one table keyed by primary key, loaded once per batch and written back at the end."""

    def __init__(self, sql: Sql, table: Table, key: str = "id") -> None:
        self.sql = sql
        self.table = table
        self.key = key
        self.rows: dict[Any, dict[str, Any]] = {}
        self.dirty: set[Any] = set()

    def load(self, cur: Any, keys: Iterable[Any]) -> None:
        keys = [k for k in dict.fromkeys(keys) if k not in self.rows]
        if not keys:
            return
        cols = self.table.column_names
        statement = f"SELECT {', '.join(cols)} FROM {self.sql.t(self.table)} WHERE {self.key} IN ({{in}})"
        for values in select_in(cur, statement, keys):
            row = dict(zip(cols, values))
            self.rows[row[self.key]] = row

    def get(self, key: Any) -> dict[str, Any] | None:
        return self.rows.get(key)

    def put(self, row: dict[str, Any]) -> dict[str, Any]:
        self.rows[row[self.key]] = row
        self.dirty.add(row[self.key])
        return row

    def touch(self, key: Any) -> None:
        self.dirty.add(key)

    def flush(self, cur: Any) -> None:
        if not self.dirty:
            return
        cols = self.table.column_names
        self.sql.upsert_rows(cur, self.table, [tuple(self.rows[k][c] for c in cols) for k in sorted(self.dirty)])
        self.dirty.clear()


def apply_versioned(rows: RowSet, event: Any, key: str) -> dict[str, Any] | None:
    """The row an update event applies to, or None when it is unknown or already applied
    (its aggregate version is not newer than the row's): a replayed event changes nothing."""
    row = rows.get(key)
    if row is None or event.originator_version <= row["version"]:
        return None
    row["version"] = event.originator_version
    rows.touch(key)
    return row
