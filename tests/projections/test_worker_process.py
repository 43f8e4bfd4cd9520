"""`casebridge worker` as real processes on PostgreSQL: killed mid-batch it loses nothing and
applies nothing twice; of two workers one is active and the other takes over when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casebridge.application.app import CaseBridge
from casebridge.infra.database import Database
from casebridge.infra.settings import Settings
from casebridge.projections.locks import advisory_key
from casebridge.projections.rebuild import rebuild_all
from casebridge.projections.runner import ApplicationLog
from casebridge.projections.waiter import ProjectionWaiter, min_live_position

from .conftest import SHANGHAI, actor, busy_history, dump, open_case

# Only PostgreSQL: the worker is for PostgreSQL deployments (overrides the `store` fixture).
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("store", [pytest.param("postgres", marks=pytest.mark.postgres)])]

DEADLINE = 60.0


class Workers:
    def __init__(self, settings: Settings, logs: Path) -> None:
        self.settings = settings
        self.logs = logs
        self.procs: list[subprocess.Popen] = []

    def start(self, *args: str) -> subprocess.Popen:
        env = {**os.environ, "CASEBRIDGE_DATABASE_URL": self.settings.database.raw}
        log = open(self.logs / f"worker-{len(self.procs)}.log", "w")
        proc = subprocess.Popen([sys.executable, "-m", "casebridge", "worker", *args], env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)


@pytest.fixture
def workers(settings, tmp_path) -> Iterator[Workers]:
    w = Workers(settings, tmp_path)
    yield w
    w.stop_all()


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.05)


def caught_up(app: CaseBridge, db: Database) -> bool:
    return min_live_position(db) >= app.max_position() and len(db.query("SELECT name FROM projection_positions")) >= 6


def lock_holder(db: Database) -> int | None:
    """The OS pid of the worker holding this schema's projections lock (its connection says who it is)."""
    key = advisory_key(db.url, "projections") & 0xFFFFFFFFFFFFFFFF  # pg_locks shows a bigint key as two oids
    rows = db.query("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ? "
                    "AND l.objsubid = 1", (key >> 32, key & 0xFFFFFFFF))
    pids = {int(r[0].rsplit("=", 1)[1]) for r in rows}
    return pids.pop() if len(pids) == 1 else None


def waiting_for_lock(db: Database, pid: int) -> bool:
    rows = db.query("SELECT 1 FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'",
                    (f"casebridge projections pid={pid}",))
    return bool(rows)


def test_a_worker_killed_in_the_middle_of_a_batch_and_restarted_leaves_rows_identical_to_a_clean_rebuild(settings, app, db, workers):
    busy_history(app, 24)
    first = workers.start("--page-size", "20")
    wait_until(lambda: caught_up(app, db), "the worker to catch up")
    committed = min_live_position(db)

    # Hold a table the projections write, then give the worker more events: its next batch
    # advances the positions and writes other read models, then blocks on this table.
    import psycopg

    with psycopg.connect(settings.database.psycopg_conninfo()) as blocker:
        blocker.execute("LOCK TABLE rm_transfers IN EXCLUSIVE MODE")
        busy_history(app, 24)
        wait_until(lambda: bool(db.query(
            "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'rm_transfers' AND n.nspname = ? AND NOT l.granted", (settings.database.schema,))),
            "the worker to block inside a batch")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        blocker.rollback()

    assert committed <= min_live_position(db) < app.max_position()  # the half-done batch left nothing
    workers.start("--page-size", "20")
    wait_until(lambda: caught_up(app, db), "the restarted worker to catch up")
    after_restart = dump(db)
    workers.stop_all()

    rebuild_all(db, ApplicationLog(app.recorder, app.mapper), app.registry)
    assert dump(db) == after_restart


def test_of_two_workers_one_is_active_and_the_other_takes_over_when_it_dies(app, db, workers):
    open_case(app, actor(SHANGHAI))
    active = workers.start()
    wait_until(lambda: lock_holder(db) == active.pid, "the first worker to take the lock")
    standby = workers.start()
    wait_until(lambda: waiting_for_lock(db, standby.pid), "the second worker to stand by")
    assert lock_holder(db) == active.pid

    busy_history(app, 6)
    wait_until(lambda: caught_up(app, db), "the active worker to apply new events")

    active.send_signal(signal.SIGKILL)
    active.wait(10)
    wait_until(lambda: lock_holder(db) == standby.pid, "the standby to take over")
    busy_history(app, 6)
    wait_until(lambda: caught_up(app, db), "the new active worker to apply new events")
    assert standby.poll() is None

    standby.send_signal(signal.SIGTERM)
    assert standby.wait(20) == 0


def test_a_command_reads_its_write_when_the_projections_run_in_another_process(app, db, workers):
    workers.start()
    waiter = ProjectionWaiter(db).start()  # listens for the worker's NOTIFY after each batch
    try:
        from casebridge.projections.views import ReadModels

        rm = ReadModels(db)
        for i in range(5):
            result = app.open_case(actor(SHANGHAI), title=f"case {i}", summary="s", subject=_subject(),
                                   category=_category())
            waiter.wait_for(result.position, timeout=30)
            assert rm.cases.get(SHANGHAI, str(result.aggregate_id)).title == f"case {i}"
    finally:
        waiter.stop()


def _subject():
    from casebridge.domain.values import Subject, SubjectKind

    return Subject.create("Shop", SubjectKind.MANUFACTURER)


def _category():
    from casebridge.domain.values import CaseCategory

    return CaseCategory.PRODUCT_QUALITY
