"""Each stream's stored events form a hash chain; editing the store directly breaks it."""

from __future__ import annotations

import pytest

from casebridge.application.app import CaseBridge
from casebridge.application.chain import GENESIS, PREV_KEY, stored_digest, verify_stream
from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind
from casebridge.infra.database import Database

HZ = Actor("hz-client", "330100")


@pytest.fixture
def app(settings):
    app = CaseBridge(env=settings.database.eventsourcing_env())
    yield app
    app.close()


@pytest.fixture
def db(settings):
    db = Database(settings.database)
    yield db
    db.close()


def _events_table(db: Database) -> str:
    return "stored_events" if db.is_sqlite else "casebridge_events"


def _id(db: Database, case_id) -> object:
    return case_id.hex if db.is_sqlite else case_id


def _case_with_history(app: CaseBridge, n_evidence: int = 4):
    case_id = app.open_case(
        HZ, title="Counterfeit chargers", summary="livestream sales",
        subject=Subject.create("Shop", SubjectKind.LIVESTREAM_SELLER), category=CaseCategory.COUNTERFEIT,
    ).aggregate_id
    for i in range(n_evidence):
        app.add_evidence(HZ, case_id, item=EvidenceItem.create(f"photo {i}", f"{i:064x}"))
    return case_id


def _verify(app: CaseBridge, case_id):
    return verify_stream(app.recorder.select_events(case_id), case_id)


def test_each_event_links_to_the_digest_of_the_one_before(app):
    case_id = _case_with_history(app)
    stored = app.recorder.select_events(case_id)
    prevs = [app.mapper.decode_state(s)[PREV_KEY] for s in stored]
    assert prevs[0] == GENESIS
    assert prevs[1:] == [stored_digest(s) for s in stored[:-1]]
    result = _verify(app, case_id)
    assert result.valid and result.event_count == 5 and result.head_digest == stored_digest(stored[-1])
    assert result.first_invalid_version is None


def test_the_chain_marker_never_reaches_the_domain_event(app):
    case_id = _case_with_history(app, 1)
    event = app.mapper.to_domain_event(app.recorder.select_events(case_id)[1])
    assert not hasattr(event, PREV_KEY)
    assert app.get_case(case_id).version == 2


def test_a_changed_byte_in_a_stored_payload_is_found_and_named(app, db):
    case_id = _case_with_history(app)
    table = _events_table(db)
    state = bytes(db.query_one(f"SELECT state FROM {table} WHERE originator_id = ? AND originator_version = 3",
                               (_id(db, case_id),))[0])
    tampered = state.replace(b"photo 1", b"photo 9")
    assert tampered != state
    db.execute(f"UPDATE {table} SET state = ? WHERE originator_id = ? AND originator_version = 3",
               (tampered, _id(db, case_id)))
    result = _verify(app, case_id)
    assert not result.valid and result.first_invalid_version == 3


def test_a_deleted_event_is_found(app, db):
    case_id = _case_with_history(app)
    db.execute(f"DELETE FROM {_events_table(db)} WHERE originator_id = ? AND originator_version = 2", (_id(db, case_id),))
    result = _verify(app, case_id)
    assert not result.valid and result.first_invalid_version == 2


def test_two_swapped_events_are_found(app, db):
    case_id = _case_with_history(app)
    table = _events_table(db)
    rows = {v: bytes(s) for v, s in db.query(
        f"SELECT originator_version, state FROM {table} WHERE originator_id = ? AND originator_version IN (2, 3)",
        (_id(db, case_id),))}
    for version, other in ((2, 3), (3, 2)):
        db.execute(f"UPDATE {table} SET state = ? WHERE originator_id = ? AND originator_version = ?",
                   (rows[other], _id(db, case_id), version))
    result = _verify(app, case_id)
    assert not result.valid and result.first_invalid_version == 2


def test_an_inserted_event_is_found(app, db):
    case_id = _case_with_history(app)
    table = _events_table(db)
    last = db.query_one(f"SELECT topic, state FROM {table} WHERE originator_id = ? AND originator_version = 5",
                        (_id(db, case_id),))
    # A forged sixth event copying the fifth: same shape, wrong link.
    db.execute(f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (?, 6, ?, ?)",
               (_id(db, case_id), last[0], bytes(last[1])))
    result = _verify(app, case_id)
    assert not result.valid and result.first_invalid_version == 6
