"""Signed checkpoints catch a cut-off tail; a court export verifies offline, and names
what is wrong when a single byte of it changes."""

from __future__ import annotations

import json

import pytest

from casebridge.application.app import CaseBridge
from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind
from casebridge.infra.audit.checkpoints import Checkpointer
from casebridge.infra.audit.export import build_export, verify_export
from casebridge.infra.audit.keys import AuditKeyStore
from casebridge.infra.audit.verification import verify_stream_against_checkpoint
from casebridge.infra.database import Database
from casebridge.infra.event_log import SqlEventLog

HZ, SZ = Actor("hz", "330100"), Actor("sz", "320500")


@pytest.fixture
def world(settings):
    app = CaseBridge(env=settings.database.eventsourcing_env())
    db = Database(settings.database)
    yield app, db, Checkpointer(db)
    app.close()
    db.close()


def _case(app: CaseBridge, evidence: int = 3):
    case = app.open_case(HZ, title="Toys", summary="phthalates", subject=Subject.create("Maker", SubjectKind.MANUFACTURER),
                         category=CaseCategory.PRODUCT_QUALITY).aggregate_id
    for i in range(evidence):
        app.add_evidence(HZ, case, item=EvidenceItem.create(f"lab report {i}", f"{i + 1:064x}"))
    return case


def _events_table(db):
    return "stored_events" if db.is_sqlite else "casebridge_events"


def _sid(db, stream):
    return stream.hex if db.is_sqlite else stream


def test_a_checkpoint_signs_the_head_of_every_stream_that_moved(world):
    app, db, checkpointer = world
    case = _case(app)
    first = checkpointer.checkpoint()
    assert first.checkpoint_id is not None and first.stream_count >= 1
    head = checkpointer.latest_head(case)
    assert head.version == 4 and checkpointer.verify_head(head)
    assert checkpointer.checkpoint().checkpoint_id is None  # nothing moved since
    app.add_evidence(HZ, case, item=EvidenceItem.create("more", "f" * 64))
    second = checkpointer.checkpoint()
    assert second.stream_count == 1 and checkpointer.latest_head(case).version == 5


def test_verification_passes_on_an_untouched_case(world):
    app, db, checkpointer = world
    case = _case(app)
    checkpointer.checkpoint()
    report = verify_stream_against_checkpoint(app.recorder, checkpointer, case)
    assert report.valid and report.event_count == 4 and report.first_invalid_version is None


def test_a_truncated_tail_is_found_against_the_checkpoint(world):
    app, db, checkpointer = world
    case = _case(app)
    checkpointer.checkpoint()
    db.execute(f"DELETE FROM {_events_table(db)} WHERE originator_id = ? AND originator_version = 4", (_sid(db, case),))
    report = verify_stream_against_checkpoint(app.recorder, checkpointer, case)
    assert not report.valid and report.event_count == 3 and report.first_invalid_version == 4
    assert "removed from its end" in report.problem


def test_a_forged_checkpoint_row_does_not_verify(world):
    app, db, checkpointer = world
    case = _case(app)
    checkpointer.checkpoint()
    db.execute("UPDATE audit_stream_heads SET version = 2 WHERE stream_id = ?", (case.hex,))
    report = verify_stream_against_checkpoint(app.recorder, checkpointer, case)
    assert not report.valid and "does not verify" in report.problem


def _export(app, db, checkpointer, case, request=None) -> bytes:
    streams = [(case, "Case")] + ([(request, "EvidenceRequest")] if request else [])
    log = SqlEventLog(db)
    return build_export(log, checkpointer, AuditKeyStore(db), case_id=case,
                        reference=app.get_case(case).reference, streams=streams, complete_up_to=log.head())


def test_an_export_verifies_offline_with_nothing_but_the_file(world):
    app, db, checkpointer = world
    case = _case(app)
    request = app.request_evidence(HZ, case, requested="320500", description="batch records").aggregate_id
    app.fulfil_evidence_request(SZ, request, items=[EvidenceItem.create("batch", "a" * 64)])
    checkpointer.checkpoint()
    data = _export(app, db, checkpointer, case, request)
    report = verify_export(data)
    assert report.valid, report.problems
    assert (report.stream_count, report.event_count, report.checkpoint_count) == (2, 6, 2)
    document = json.loads(data)["document"]
    assert document["format"] == "casebridge-case-export/1" and document["caseId"] == case.hex


@pytest.mark.parametrize("needle, replacement, expected", [
    (b"lab report 1", b"lab report 7", "version 3: the stated digest does not match"),
    (b'"reference":"', b'"reference":"X', "signature does not match"),
])
def test_an_export_with_one_changed_byte_fails_with_a_precise_message(world, needle, replacement, expected):
    app, db, checkpointer = world
    case = _case(app)
    data = _export(app, db, checkpointer, case)
    tampered = data.replace(needle, replacement, 1)
    assert tampered != data
    report = verify_export(tampered)
    assert not report.valid
    assert any(expected in p for p in report.problems), report.problems
    assert any("signature does not match" in p for p in report.problems)


def test_an_export_with_a_changed_whitespace_byte_is_refused_as_edited(world):
    app, db, checkpointer = world
    data = _export(app, db, checkpointer, _case(app))
    report = verify_export(data.replace(b'{"document":', b'{ "document":', 1))
    assert not report.valid and "departs from its canonical form at byte 1" in report.problems[0]


def test_a_file_that_is_not_an_export_is_named_as_such(world):
    assert verify_export(b"{oops").problems[0].startswith("the file is not valid JSON")
    assert "not a CaseBridge export" in verify_export(b'{"a": 1}').problems[0]
