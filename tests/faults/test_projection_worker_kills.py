"""`casebridge worker` SIGKILLed again and again while it catches up: nothing is lost, nothing
applied twice. (tests/projections/test_worker_process.py kills it once, blocked inside a
batch; this kills it repeatedly, wherever it happens to be.)"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pytest

from casebridge.application.app import CaseBridge
from casebridge.infra.database import Database
from casebridge.projections.rebuild import rebuild_all
from casebridge.projections.runner import ApplicationLog
from casebridge.projections.waiter import min_live_position
from projections.conftest import busy_history, dump
from scale.live import Deployment, wait_until

ONLY_POSTGRES = pytest.mark.parametrize("store", [pytest.param("postgres", marks=pytest.mark.postgres)])

KILLS = 6


@pytest.fixture
def app(settings) -> Iterator[CaseBridge]:
    application = CaseBridge(env=settings.database.eventsourcing_env())
    yield application
    application.close()


@pytest.fixture
def db(settings) -> Iterator[Database]:
    database = Database(settings.database)
    yield database
    database.close()


def differences(expected: dict[str, list], actual: dict[str, list]) -> dict[str, tuple[list, list]]:
    """Per table, the rows only in `expected` and the rows only in `actual`."""
    out = {}
    for table in sorted(set(expected) | set(actual)):
        mine, theirs = set(expected.get(table, [])), set(actual.get(table, []))
        if mine != theirs:
            out[table] = (sorted(mine - theirs), sorted(theirs - mine))
    return out


def positions(db: Database) -> dict[str, int]:
    return {name: int(position) for name, position in db.query("SELECT name, position FROM projection_positions")}


@pytest.mark.slow
@ONLY_POSTGRES  # the worker is for PostgreSQL deployments
def test_a_worker_killed_six_times_during_catch_up_ends_with_rows_identical_to_a_clean_rebuild(settings, app, db, tmp_path):
    busy_history(app, 180)
    head = app.max_position()
    rng = random.Random(7)
    deployment = Deployment(settings.database.raw, tmp_path)
    seen: dict[str, int] = {}
    kills_mid_catch_up = 0
    try:
        for _ in range(KILLS):
            before = min_live_position(db)
            worker = deployment.worker("--page-size", "3")
            # Wait for the worker to apply at least one batch of its own, then kill it a
            # random moment later: mid-batch, between batches, or while it reads a page.
            wait_until(lambda: min_live_position(db) > before or not worker.alive(), "the worker to make progress")
            assert worker.alive(), worker.output()
            time.sleep(rng.uniform(0.0, 0.4))
            worker.kill()
            now = positions(db)
            for name, position in now.items():  # a committed position never goes back
                assert position >= seen.get(name, 0), (name, position, seen)
            seen = now
            kills_mid_catch_up += min(now.values()) < head
        assert kills_mid_catch_up >= KILLS - 1  # the kills landed while there was work left to do

        survivor = deployment.worker("--page-size", "50")
        wait_until(lambda: min_live_position(db) >= head, "the last worker to catch up")
        survivor.stop()
    finally:
        deployment.close()
    after_kills = dump(db)

    rebuild_all(db, ApplicationLog(app.recorder, app.mapper), app.registry)
    assert differences(dump(db), after_kills) == {}
