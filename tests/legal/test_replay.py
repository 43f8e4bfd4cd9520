"""History, as-of and access-on-a-date, rebuilt from the stored events of a scripted case."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from casebridge.application.app import CaseBridge
from casebridge.application.history import LegalReplay
from casebridge.domain.errors import ValidationError
from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind
from casebridge.infra.database import Database
from casebridge.infra.event_log import SqlEventLog

HZ, SH, SZ, ZJ = Actor("hz", "330100"), Actor("sh", "310000"), Actor("sz", "320500"), Actor("zj", "330000")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Clock:
    """The script's clock: each step of the script happens one hour after the previous one."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def step(self) -> None:
        self.now += timedelta(hours=1)


@pytest.fixture
def scripted(settings, monkeypatch):
    clock = Clock()
    # Event timestamps come from the library's clock: script it too, so "as of T" is exact.
    from eventsourcing.domain import CanCreateTimestamp

    monkeypatch.setattr(CanCreateTimestamp, "create_timestamp", staticmethod(clock))
    app = CaseBridge(env=settings.database.eventsourcing_env(), clock=clock)
    db = Database(settings.database)
    clock.step()
    case = app.open_case(HZ, title="Counterfeit chargers", summary="livestream",
                         subject=Subject.create("Shop", SubjectKind.LIVESTREAM_SELLER),
                         category=CaseCategory.COUNTERFEIT).aggregate_id                       # v1 at T0+1h
    clock.step()
    app.add_evidence(HZ, case, item=EvidenceItem.create("receipt", "ab" * 32))                 # v2 at +2h
    clock.step()
    app.request_transfer(HZ, case, to="310000", reason="seller in Shanghai")                   # v3 at +3h
    clock.step()
    app.accept_transfer(SH, case)                                                              # v4 at +4h
    clock.step()
    request = app.request_evidence(SH, case, requested="320500", description="records").aggregate_id  # +5h
    clock.step()
    app.fulfil_evidence_request(SZ, request, items=[EvidenceItem.create("records", "cd" * 32)])       # +6h
    yield app, LegalReplay(app, SqlEventLog(db)), case, request
    app.close()
    db.close()


def test_history_lists_case_and_request_events_in_recorded_order(scripted):
    app, replay, case, request = scripted
    entries, more = replay.history(case, [request], first=10, after=None)
    assert not more
    assert [e.type for e in entries] == [
        "Case.Opened", "Case.EvidenceAdded", "Case.TransferRequested", "Case.TransferAccepted",
        "EvidenceRequest.Requested", "EvidenceRequest.Fulfilled",
    ]
    accepted = entries[3]
    assert accepted.actor == SH and accepted.version == 4 and accepted.stream_id == case
    assert accepted.data == {"sender": "330100", "receiver": "310000"}
    assert accepted.occurred_at == T0 + timedelta(hours=4)
    assert entries[1].data["item"] == {"title": "receipt", "sha256": "ab" * 32, "description": None}
    assert len({e.digest for e in entries}) == 6


def test_history_pages_by_keyset_without_gaps_or_repeats(scripted):
    app, replay, case, request = scripted
    seen, after, more = [], None, True
    while more:
        page, more = replay.history(case, [request], first=4, after=after)
        seen += page
        after = page[-1].position
    assert [e.type for e in seen] == [e.type for e in replay.history(case, [request], first=10, after=None)[0]]


def test_case_as_of_a_version_shows_who_was_handling_it_then(scripted):
    app, replay, case, _ = scripted
    assert replay.case_as_of(case, version=3).handling_jurisdiction == "330100"
    assert replay.case_as_of(case, version=3).pending_transfer.to == "310000"
    assert replay.case_as_of(case, version=4).handling_jurisdiction == "310000"


def test_case_as_of_a_time_takes_the_last_event_at_or_before_it(scripted):
    app, replay, case, _ = scripted
    assert replay.case_as_of(case, at=T0 + timedelta(minutes=30)) is None
    assert replay.case_as_of(case, at=T0 + timedelta(hours=1)).version == 1
    assert replay.case_as_of(case, at=T0 + timedelta(hours=3, minutes=59)).version == 3
    assert replay.case_as_of(case, at=T0 + timedelta(days=30)).version == 4


def test_as_of_refuses_a_version_out_of_range_and_a_naive_time(scripted):
    app, replay, case, _ = scripted
    with pytest.raises(ValidationError) as e:
        replay.case_as_of(case, version=9)
    assert e.value.field == "version"
    with pytest.raises(ValidationError) as e:
        replay.case_as_of(case, at=datetime(2026, 3, 2, 12, 0))
    assert e.value.field == "at"


def test_access_on_a_date_names_each_jurisdiction_and_why(scripted):
    app, replay, case, request = scripted
    held = {str(case), str(request)}  # told to a party of the request: everything

    def access(at):
        return {(g.jurisdiction, g.reason.value) for g in replay.access_on(case, [request], at, held=held)}

    assert access(T0 + timedelta(hours=2)) == {
        ("330100", "HANDLING"), ("330000", "SUPERVISING_ANCESTOR"), ("100000", "SUPERVISING_ANCESTOR")}
    assert ("310000", "TRANSFER_TARGET") in access(T0 + timedelta(hours=3))
    assert access(T0 + timedelta(hours=6)) == {
        ("310000", "HANDLING"), ("330100", "FORMER_HANDLER"), ("100000", "SUPERVISING_ANCESTOR"),
        ("310000", "EVIDENCE_REQUEST_PARTY"), ("320500", "EVIDENCE_REQUEST_PARTY"),
    }


def test_access_on_a_date_keeps_a_request_s_parties_from_a_viewer_not_party_to_it(scripted):
    app, replay, case, request = scripted
    after = replay.access_on(case, [request], T0 + timedelta(hours=6), held={str(case)})  # a supervisor's view
    assert {g.reason.value for g in after} == {"HANDLING", "FORMER_HANDLER", "SUPERVISING_ANCESTOR"}
    assert replay.access_on(case, [request], T0 + timedelta(hours=6), held=set()) == []


def test_as_of_from_a_snapshot_equals_as_of_from_events_alone(settings):
    app = CaseBridge(env=settings.database.eventsourcing_env())
    try:
        case = app.open_case(HZ, title="t", summary="s", subject=Subject.create("S", SubjectKind.MANUFACTURER),
                             category=CaseCategory.OTHER).aggregate_id
        for i in range(120):
            app.add_evidence(HZ, case, item=EvidenceItem.create(f"item {i}", f"{i:064x}"))
        assert app.snapshots is not None and list(app.snapshots.get(case))  # a snapshot at version 100
        with_snapshot = app.get_case(case, version=110)
        from_events = None
        for event in app.events.get(case, lte=110):
            from_events = event.mutate(from_events)
        assert vars(with_snapshot) == vars(from_events)
    finally:
        app.close()
