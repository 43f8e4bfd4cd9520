"""Rebuild a read model from the first event while the old rows keep serving.

1. The live projection is marked `rebuilding`; fresh shadow tables `<table>__next` are
   created from the current DDL (primary keys only), tracked as `<name>__next`.
2. The shadow copy catches up from position 0 in batches, committing as it goes (the live
   copy keeps being updated by the running projections meanwhile).
3. One swap transaction locks the live position row (which stops the live runner's next
   batch for this projection), applies the last few events to the shadow, drops the live
   tables, renames the shadow tables into place, creates the secondary indexes and sets the
   live position to the shadow's, with the current version. Readers see the old rows until
   that commit and the new rows after it; the live runner's next batch finds its position
   moved, rolls back and carries on from the new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.database import Database
from casebridge.projections import catalog
from casebridge.projections.projection import Projection
from casebridge.projections.runner import PAGE_SIZE, BatchProjectionRunner, LogReader, wake_channel
from casebridge.projections.sql import Sql
from casebridge.projections.tables import SHADOW_SUFFIX
from casebridge.projections.tracking import (
    BUILDING,
    LIVE,
    REBUILDING,
    clear_failure,
    ensure_position,
    now,
    set_status,
)

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (projection name, position, head)


class RebuildInProgressError(RuntimeError):
    """Another process is rebuilding the same read model."""


class RebuildFailedError(RuntimeError):
    """The new copy could not apply an event; the old rows keep serving."""


def rebuild_all(db: Database, log_reader: LogReader, registry: JurisdictionRegistry, names: Sequence[str] | None = None,
                *, page_size: int = PAGE_SIZE, progress: Progress | None = None,
                on_commit: Callable[[int], None] | None = None) -> dict[str, int]:
    """Rebuild each named read model (default: all); the position each reached."""
    lives = catalog.build(db.dialect, registry, names=names)
    shadows = catalog.build(db.dialect, registry, names=names, suffix=SHADOW_SUFFIX)
    return {live.name: rebuild(db, log_reader, live, shadow, page_size=page_size, progress=progress, on_commit=on_commit)
            for live, shadow in zip(lives, shadows)}


def rebuild(db: Database, log_reader: LogReader, live: Projection, shadow: Projection, *, page_size: int = PAGE_SIZE,
            progress: Progress | None = None, on_commit: Callable[[int], None] | None = None) -> int:
    lock = _rebuild_lock(db, live.name)
    try:
        sql = Sql(db.dialect)
        with db.transaction() as cur:
            ensure_position(cur, sql, live.tracking_name, live.version, live.config())
            set_status(cur, sql, live.tracking_name, REBUILDING)
            for table in shadow.tables:
                cur.execute(f"DROP TABLE IF EXISTS {table.name}{SHADOW_SUFFIX}")
                cur.execute(table.create_table(db.dialect, SHADOW_SUFFIX))
            cur.execute("DELETE FROM projection_positions WHERE name = ?", (shadow.tracking_name,))
            ensure_position(cur, sql, shadow.tracking_name, shadow.version, shadow.config(), status=BUILDING)

        runner = BatchProjectionRunner(db, log_reader, [shadow], page_size=page_size, notify=False)
        report = (lambda pos, head: progress(live.name, pos, head)) if progress else None
        if report:
            report(0, log_reader.head())
        runner.catch_up(progress=report)
        for failure in runner.failures.values():  # never swap in a copy that stopped short
            with db.transaction() as cur:
                clear_failure(cur, shadow.tracking_name)
                set_status(cur, sql, live.tracking_name, LIVE)
            raise RebuildFailedError(
                f"read model {live.name!r} cannot apply the event at position {failure.position} "
                f"({failure.error}); its old rows keep serving")
        with db.transaction() as cur:
            set_status(cur, sql, live.tracking_name, REBUILDING)  # the live row's lock: the live runner waits
            runner.reload_positions(cur)
            position = runner.catch_up(cur=cur)
            _swap_tables(cur, db.dialect, live)
            cur.execute("UPDATE projection_positions SET position = ?, version = ?, config = ?, status = ?, "
                        "updated_at = ? WHERE name = ?",
                        (position, live.version, live.config(), LIVE, now(sql), live.tracking_name))
            cur.execute("DELETE FROM projection_positions WHERE name = ?", (shadow.tracking_name,))
            clear_failure(cur, live.tracking_name)  # the new rows hold every event the old ones failed on
            if db.is_postgres:
                cur.execute("SELECT pg_notify(?, ?)", (wake_channel(db.url), str(position)))
        if report:
            report(position, position)
        if on_commit is not None:
            on_commit(position)
        log.info("rebuilt read model %s up to position %d", live.name, position)
        return position
    finally:
        if lock is not None:
            lock.close()


def _swap_tables(cur: Any, dialect: str, live: Projection) -> None:
    for table in live.tables:
        cur.execute(f"DROP TABLE IF EXISTS {table.name}")
        cur.execute(f"ALTER TABLE {table.name}{SHADOW_SUFFIX} RENAME TO {table.name}")
        if dialect == "postgresql":  # SQLite renames a table's own key index with it
            cur.execute(f"ALTER INDEX {table.name}{SHADOW_SUFFIX}_pkey RENAME TO {table.name}_pkey")
        for statement in table.create_indexes():
            cur.execute(statement)


def _rebuild_lock(db: Database, name: str) -> Any:
    if not db.is_postgres:
        return None  # SQLite: one host, and each write transaction is exclusive anyway
    from casebridge.projections.locks import AdvisoryLock

    lock = AdvisoryLock(db.url, f"rebuild:{name}")
    if not lock.try_acquire():
        lock.close()
        raise RebuildInProgressError(f"read model {name!r} is already being rebuilt by another process")
    return lock
