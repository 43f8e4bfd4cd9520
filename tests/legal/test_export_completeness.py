"""A court export is complete by construction: the related streams come from the event log,
not from read models that may lag, and the file says up to which log position it is complete."""

from __future__ import annotations

import json

from casebridge.application.app import CaseBridge
from casebridge.cli import main
from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind
from casebridge.infra.audit.checkpoints import Checkpointer
from casebridge.infra.database import Database

HZ, SZ, SH = Actor("hz", "330100"), Actor("sz", "320500"), Actor("sh", "310000")


def test_an_export_written_before_any_projection_ran_holds_every_related_stream(settings, database_url, monkeypatch,
                                                                                 tmp_path, capsys):
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", database_url)
    app = CaseBridge(env=settings.database.eventsourcing_env())
    try:
        subject = Subject.create("Maker", SubjectKind.MANUFACTURER)
        case = app.open_case(HZ, title="Toys", summary="phthalates", subject=subject,
                             category=CaseCategory.PRODUCT_QUALITY).aggregate_id
        other = app.open_case(HZ, title="Other", summary="unrelated", subject=subject,
                              category=CaseCategory.PRODUCT_QUALITY).aggregate_id
        request = app.request_evidence(HZ, case, requested="320500", description="batch records").aggregate_id
        app.fulfil_evidence_request(SZ, request, items=[EvidenceItem.create("batch", "a" * 64)])
        second = app.request_evidence(HZ, case, requested="310000", description="shipping records").aggregate_id
        action = app.propose_joint_action(HZ, title="Sweep", objective=None, case_ids=(case, other),
                                          participants=("320500",)).aggregate_id
        app.request_evidence(HZ, other, requested="320500", description=f"mentions {case.hex} in its text")
        head = app.max_position()
    finally:
        app.close()
    out = tmp_path / "case.json"
    assert main(["export", str(case), "--out", str(out)]) == 0  # no projection has run
    document = json.loads(out.read_bytes())["document"]
    assert [(s["type"], s["streamId"]) for s in document["streams"]] == [
        ("Case", case.hex), ("EvidenceRequest", request.hex), ("EvidenceRequest", second.hex), ("JointAction", action.hex)]
    assert document["completeUpToPosition"] == head
    capsys.readouterr()
    assert main(["verify-export", str(out)]) == 0
    assert f"complete up to log position {head}" in capsys.readouterr().out


def test_an_export_holds_no_event_or_checkpoint_past_its_stated_position(settings, database_url):
    from casebridge.infra.audit.export import build_export, verify_export
    from casebridge.infra.audit.keys import AuditKeyStore
    from casebridge.infra.event_log import SqlEventLog

    app = CaseBridge(env=settings.database.eventsourcing_env())
    db = Database(settings.database)
    try:
        case = app.open_case(HZ, title="Toys", summary="phthalates", subject=Subject.create("Maker", SubjectKind.MANUFACTURER),
                             category=CaseCategory.PRODUCT_QUALITY).aggregate_id
        upto = app.max_position()
        app.add_evidence(HZ, case, item=EvidenceItem.create("photo", "b" * 64))
        Checkpointer(db).checkpoint()  # signs version 2, after the stated position
        data = build_export(SqlEventLog(db), Checkpointer(db), AuditKeyStore(db), case_id=case, reference="R",
                            streams=[(case, "Case")], complete_up_to=upto)
    finally:
        app.close()
        db.close()
    document = json.loads(data)["document"]
    assert [e["version"] for e in document["streams"][0]["events"]] == [1] and document["checkpoints"] == []
    report = verify_export(data)
    assert report.valid and report.complete_up_to == upto, report.problems
