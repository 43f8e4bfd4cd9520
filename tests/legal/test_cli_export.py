"""`casebridge export` and `casebridge verify-export` as a legal team uses them."""

from __future__ import annotations

import json

import pytest

from casebridge.application.app import CaseBridge
from casebridge.cli import main
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind
from casebridge.infra.database import Database
from casebridge.projections.worker import start_projections

HZ, SZ = Actor("hz", "330100"), Actor("sz", "320500")


@pytest.fixture
def exported_case(settings, database_url, monkeypatch):
    """A case with an answered evidence request, projected, so the CLI finds its related streams."""
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", database_url)
    app = CaseBridge(env=settings.database.eventsourcing_env())
    db = Database(settings.database)
    projections = start_projections(app, db, JurisdictionRegistry.load())
    try:
        case = app.open_case(HZ, title="Toys", summary="phthalates", subject=Subject.create("Maker", SubjectKind.MANUFACTURER),
                             category=CaseCategory.PRODUCT_QUALITY).aggregate_id
        request = app.request_evidence(HZ, case, requested="320500", description="batch records").aggregate_id
        done = app.fulfil_evidence_request(SZ, request, items=[EvidenceItem.create("batch", "a" * 64)])
        projections.waiter.wait_for(done.position, 15)
        yield case
    finally:
        projections.stop()
        app.close()
        db.close()


def test_an_exported_case_verifies_offline(exported_case, tmp_path, capsys):
    out = tmp_path / "case.json"
    assert main(["checkpoint"]) == 0
    assert main(["export", str(exported_case), "--out", str(out)]) == 0
    document = json.loads(out.read_bytes())["document"]
    assert [s["type"] for s in document["streams"]] == ["Case", "EvidenceRequest"]
    assert len(document["checkpoints"]) == 2
    capsys.readouterr()
    assert main(["verify-export", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] and report["events"] == 3 and report["checkpoints"] == 2


def test_one_changed_byte_fails_verification_with_a_precise_message(exported_case, tmp_path, capsys):
    out = tmp_path / "case.json"
    assert main(["export", str(exported_case), "--out", str(out)]) == 0
    data = out.read_bytes()
    at = data.index(b"batch records")
    out.write_bytes(data[:at] + b"X" + data[at + 1:])
    capsys.readouterr()
    assert main(["verify-export", str(out)]) == 1
    printed = capsys.readouterr().out
    assert printed.startswith("INVALID")
    assert "EvidenceRequest" in printed and "version 1: the stated digest does not match" in printed
    assert "signature does not match" in printed


def test_export_of_an_unknown_case_is_one_line_and_a_non_zero_exit(exported_case, tmp_path, capsys):
    assert main(["export", "00000000-0000-0000-0000-000000000001", "--out", str(tmp_path / "x.json")]) == 1
    assert capsys.readouterr().err.startswith("casebridge: error: no case")
    assert not (tmp_path / "x.json").exists()


def test_verify_reports_a_tampered_case_with_exit_code_1(exported_case, settings, capsys):
    app = CaseBridge(env=settings.database.eventsourcing_env())
    app.add_evidence(HZ, exported_case, item=EvidenceItem.create("photo", "b" * 64))
    app.close()
    assert main(["verify", str(exported_case)]) == 0
    db = Database(settings.database)
    try:
        table, key = ("stored_events", exported_case.hex) if db.is_sqlite else ("casebridge_events", exported_case)
        db.execute(f"DELETE FROM {table} WHERE originator_id = ? AND originator_version = 1", (key,))
    finally:
        db.close()
    capsys.readouterr()
    assert main(["verify", str(exported_case), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["valid"], report["firstInvalidVersion"]) == (False, 1)


def test_verify_finds_a_checkpointed_case_whose_events_were_all_deleted(exported_case, settings, capsys):
    assert main(["checkpoint"]) == 0
    db = Database(settings.database)
    try:
        table, key = ("stored_events", exported_case.hex) if db.is_sqlite else ("casebridge_events", exported_case)
        db.execute(f"DELETE FROM {table} WHERE originator_id = ?", (key,))
    finally:
        db.close()
    capsys.readouterr()
    assert main(["verify", str(exported_case)]) == 1
    assert "events were removed from its end" in capsys.readouterr().out
