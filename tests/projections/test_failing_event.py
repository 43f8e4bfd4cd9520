"""A read model that cannot apply an event stops just before it, says so (status, /readyz,
/metrics), is tried again with backoff, and never holds the other read models back."""

from __future__ import annotations

import json
import uuid
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient

from casebridge.api.app import create_app
from casebridge.cli import main
from casebridge.domain.case import Case
from casebridge.domain.values import CaseCategory, Subject, SubjectKind
from casebridge.projections import catalog
from casebridge.projections.projection import Projection
from casebridge.projections.runner import ApplicationLog, BatchProjectionRunner

from .conftest import HANGZHOU, SHANGHAI, actor, busy_history

POISON = "poison"


class PickyProjection(Projection):
    """A read model (registered only here) that cannot apply a case titled "poison" until fixed."""

    name: ClassVar[str] = "picky"
    version: ClassVar[int] = 1
    tables: ClassVar[tuple] = ()
    handles: ClassVar[tuple] = (Case.Opened,)

    def __init__(self, sql: Any) -> None:
        super().__init__(sql)
        self.fixed = False
        self.applied: list[int] = []

    def apply(self, cur: Any, events: Any) -> None:
        for position, event in events:
            if event.title == POISON and not self.fixed:
                raise ValueError(f"cannot apply the case titled {event.title!r}")
            self.applied.append(position)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _open(app, title: str) -> int:
    """The log position of the new case's `Opened` event."""
    app.open_case(actor(HANGZHOU), title=title, summary="s", category=CaseCategory.OTHER,
                  subject=Subject.create("Shop", SubjectKind.MANUFACTURER))
    log = ApplicationLog(app.recorder, app.mapper)
    [position] = [i for i, e in log.read(0, 10_000, app.max_position(), [Case.Opened.__module__ + ":Case.Opened"])
                  if e.title == title]
    return position


@pytest.fixture
def cli(settings, monkeypatch):
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", settings.database.raw)
    return main


def test_a_read_model_that_fails_on_an_event_is_reported_retried_and_resumes(app, db, rm, settings, cli, capsys):
    _open(app, "first")
    poisoned = _open(app, POISON)
    _open(app, "after the poison")
    last = app.max_position()
    picky, clock = PickyProjection(catalog.build(db.dialect, app.registry)[0].sql), Clock()
    runner = BatchProjectionRunner(db, ApplicationLog(app.recorder, app.mapper),
                                   [*catalog.build(db.dialect, app.registry), picky])
    runner.clock = clock
    runner.prepare()

    runner.catch_up()

    positions = rm.positions()
    assert positions.pop("picky") == poisoned - 1  # stopped just before the event
    assert set(positions.values()) == {last}  # the others went on
    assert runner.position == last  # read-your-writes is not held back
    [failure] = rm.failures()
    assert (failure.name, failure.position, failure.attempts) == ("picky", poisoned, 1)
    assert "cannot apply the case titled 'poison'" in failure.error

    assert cli(["projections", "status", "--json"]) == 1
    status = {p["name"]: p for p in json.loads(capsys.readouterr().out)["projections"]}
    assert status["picky"]["failure"]["position"] == poisoned
    assert "FAILING at position" in status["picky"]["status"]
    assert status["cases"]["failure"] is None and status["cases"]["lag"] == 0
    assert cli(["projections", "status"]) == 1
    assert f"FAILING at position {poisoned}" in capsys.readouterr().out

    with TestClient(create_app(settings)) as http:
        ready = http.get("/readyz")
        metrics = http.get("/metrics").text
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    [named] = ready.json()["failingReadModels"]
    assert (named["name"], named["position"]) == ("picky", poisoned) and "poison" in named["error"]
    assert 'casebridge_projection_failures_total{projection="picky"} 1.0' in metrics
    assert f'casebridge_projection_failed_position{{projection="picky"}} {float(poisoned)}' in metrics

    runner.catch_up()  # not yet due: not tried again
    assert rm.failures()[0].attempts == 1
    clock.now += 1.5
    runner.catch_up()  # due, still failing: attempts count, backoff doubles
    assert rm.failures()[0].attempts == 2
    assert runner.next_retry() == pytest.approx(2.0)

    picky.fixed = True  # the operator upgraded
    clock.now += 2.5
    runner.catch_up()
    assert rm.failures() == []
    assert rm.positions()["picky"] == last
    assert poisoned in picky.applied and picky.applied.count(poisoned) == 1
    assert cli(["projections", "status", "--json"]) == 0


def _insert_undecodable(db, app, topic: str) -> int:
    """A stored event of a known topic whose state no mapper can decode, written by SQL."""
    table = "stored_events" if db.is_sqlite else "casebridge_events"
    [sample] = db.query(f"SELECT originator_id FROM {table} LIMIT 1")
    stream = uuid.uuid4()
    stream_id = stream.hex if isinstance(sample[0], str) and len(sample[0]) == 32 else (
        str(stream) if isinstance(sample[0], str) else stream)
    db.execute(f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (?, 1, ?, ?)",
               (stream_id, topic, b"\x00 not an event"))
    return app.max_position()


def test_a_stored_event_no_read_model_can_decode_stops_only_the_read_models_that_read_it(app, db, rm, catch_up,
                                                                                         cli, capsys):
    busy_history(app, 2)
    broken = _insert_undecodable(db, app, "casebridge.domain.case:Case.TransferRequested")
    later = app.open_case(actor(HANGZHOU), title="later", summary="s", category=CaseCategory.OTHER,
                          subject=Subject.create("Shop", SubjectKind.MANUFACTURER))
    app.request_evidence(actor(HANGZHOU), later.aggregate_id, requested=SHANGHAI, description="bills")
    head = app.max_position()

    catch_up()

    failing = {f.name: f for f in rm.failures()}
    assert "transfers" in failing and "evidence_requests" not in failing and "joint_actions" not in failing
    assert all(f.position == broken and "cannot be decoded" in f.error for f in failing.values())
    positions = rm.positions()
    assert positions["evidence_requests"] == head and positions["joint_actions"] == head
    assert all(positions[name] == broken - 1 for name in failing)
    assert rm.evidence_requests.sent(HANGZHOU)  # written after the broken event, readable

    assert cli(["projections", "rebuild", "transfers"]) == 1  # refuses to swap in a copy that stopped short
    assert f"cannot apply the event at position {broken}" in capsys.readouterr().err
    assert rm.positions()["transfers"] == broken - 1


def test_a_nul_stored_before_the_text_check_stops_only_what_cannot_hold_it(app, db, rm, catch_up, cli, capsys):
    """The case of issue 10: a title with NUL, stored by an older version. On PostgreSQL the
    read models that keep the title cannot hold it; they stop at that event, the rest go on."""
    table = "stored_events" if db.is_sqlite else "casebridge_events"
    _open(app, "NULHERE")
    db.execute(f"UPDATE {table} SET state = ? WHERE topic = ?",
               (bytes(db.query(f"SELECT state FROM {table} WHERE topic = ?",
                               ("casebridge.domain.case:Case.Opened",))[0][0]).replace(b"NULHERE", b"a\\u0000b"),
                "casebridge.domain.case:Case.Opened"))
    later = app.open_case(actor(SHANGHAI), title="later", summary="s", category=CaseCategory.OTHER,
                          subject=Subject.create("Shop", SubjectKind.MANUFACTURER))
    app.request_evidence(actor(SHANGHAI), later.aggregate_id, requested=HANGZHOU, description="bills")
    head = app.max_position()

    catch_up()

    positions = rm.positions()
    failing = {f.name for f in rm.failures()}
    if db.is_postgres:
        assert "cases" in failing and all("NUL" in f.error for f in rm.failures())
    else:
        assert failing == set()
    assert all(positions[name] == head for name in set(positions) - failing)
    assert positions["evidence_requests"] == head
    assert rm.evidence_requests.sent(SHANGHAI)
