"""Read your writes: after a command, waiting for its position makes the views show it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from casebridge.projections.waiter import ProjectionLagError, ProjectionWaiter
from casebridge.projections.worker import start_projections

from .conftest import HANGZHOU, SHANGHAI, SHENZHEN, SUZHOU, actor, open_case


@pytest.fixture
def projections(app, db):
    handle = start_projections(app, db, app.registry)
    assert handle.service.active.wait(30), "the projections did not become active"
    yield handle
    handle.stop()


def test_concurrent_commands_always_read_their_own_writes(app, rm, projections):
    homes = [SHANGHAI, HANGZHOU, SUZHOU, SHENZHEN]

    def client(k: int) -> int:
        me = actor(homes[k % len(homes)], f"client-{k}")
        checked = 0
        for j in range(6):
            opened = app.open_case(me, title=f"client {k} case {j}", summary="s",
                                   subject=_subject(), category=_category())
            projections.waiter.wait_for(opened.position, timeout=20)
            row = rm.cases.get(me.jurisdiction, str(opened.aggregate_id))
            assert row is not None and row.version == opened.version
            revised = app.revise_case(me, opened.aggregate_id, title=f"client {k} case {j} revised")
            projections.waiter.wait_for(revised.position, timeout=20)
            row = rm.cases.get(me.jurisdiction, str(opened.aggregate_id))
            assert (row.title, row.version) == (f"client {k} case {j} revised", revised.version)
            checked += 2
        return checked

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert sum(pool.map(client, range(6))) == 72


def test_waiting_for_a_position_already_reached_returns_at_once(app, projections):
    case = app.open_case(actor(SHANGHAI), title="t", summary="s", subject=_subject(), category=_category())
    projections.waiter.wait_for(case.position, timeout=20)
    projections.waiter.wait_for(case.position, timeout=0)


def test_a_waiter_is_woken_by_the_runner_rather_than_by_polling(db):
    waiter = ProjectionWaiter(db, listen=False)
    waiter.advance(10)
    released = threading.Event()

    def wait() -> None:
        waiter.wait_for(11, timeout=30)
        released.set()

    thread = threading.Thread(target=wait)
    thread.start()
    assert not released.wait(0.2)  # nothing has woken it: it is still waiting
    waiter.advance(11)
    thread.join(30)
    assert released.is_set()


def test_a_wait_that_times_out_says_the_change_is_saved_but_not_yet_visible(app, db):
    open_case(app, actor(SHANGHAI))  # no projections run here
    waiter = ProjectionWaiter(db, listen=False)
    with pytest.raises(ProjectionLagError) as caught:
        waiter.wait_for(app.max_position(), timeout=0.05)
    assert caught.value.code == "PROJECTION_LAG"
    assert caught.value.position == app.max_position() and caught.value.reached == 0
    assert "saved" in str(caught.value) and "position" in str(caught.value)


def _subject():
    from casebridge.domain.values import Subject, SubjectKind

    return Subject.create("Shop", SubjectKind.LIVESTREAM_SELLER)


def _category():
    from casebridge.domain.values import CaseCategory

    return CaseCategory.PRICING
