"""The evidence-requests read model (version 2) for assistance as 行政处罚法 Art 26 has it:
the paused clock, the clarification, the competent office, the findings note; answered items on
the case's evidence list with their provenance; statistics never count a paused request overdue.
On both stores; a rebuild from zero gives the same rows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from casebridge.domain.values import EvidenceItem, RefusalReason
from casebridge.projections.evidence_requests import EvidenceRequestsProjection
from casebridge.projections.rebuild import rebuild_all
from casebridge.projections.runner import ApplicationLog

from .conftest import HANGZHOU, SHANGHAI, SHENZHEN, SUZHOU, actor, dump, open_case, sha

WUXI = "320200"


def test_the_read_model_version_is_bumped_for_the_new_columns():
    assert EvidenceRequestsProjection.version == 2


def test_a_clarification_pauses_the_row_and_its_answer_moves_the_due_time(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    request = app.request_evidence(actor(SHANGHAI), case_id, requested=SUZHOU, description="ledger").aggregate_id
    app.ask_clarification(actor(SUZHOU), request, question="Which depot?")
    catch_up()

    paused = rm.evidence_requests.get(SHANGHAI, str(request))
    far_future = datetime.now(timezone.utc) + timedelta(days=365)
    assert paused.paused and paused.clarification_question == "Which depot?" and paused.clarification_answer is None
    assert not paused.is_overdue(far_future)
    assert rm.stats.for_jurisdiction(SUZHOU, now=far_future).evidence_requests.open_overdue == 0

    app.clock = lambda: datetime.now(timezone.utc) + timedelta(days=7)
    app.answer_clarification(actor(SHANGHAI), request, answer="Wuzhong")
    catch_up()

    answered = rm.evidence_requests.get(SUZHOU, str(request))
    assert not answered.paused and answered.clarification_answer == "Wuzhong"
    assert answered.due_at == app.get_evidence_request(request).due_at > paused.due_at
    assert answered.is_overdue(far_future)
    assert rm.stats.for_jurisdiction(SUZHOU, now=far_future).evidence_requests.open_overdue == 1


def test_answers_refusals_and_notes_are_recorded_and_items_join_the_case_evidence(app, db, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    with_items = app.request_evidence(actor(SHANGHAI), case_id, requested=SUZHOU, description="a").aggregate_id
    note_only = app.request_evidence(actor(SHANGHAI), case_id, requested=SHENZHEN, description="b").aggregate_id
    refused = app.request_evidence(actor(SHANGHAI), case_id, requested=HANGZHOU, description="c").aggregate_id
    app.fulfil_evidence_request(actor(SUZHOU, "suzhou-app"), with_items, items=[EvidenceItem.create("ledger.csv", sha(1))],
                                note="Copies; originals kept")
    app.fulfil_evidence_request(actor(SHENZHEN), note_only, items=[], note="查无此主体")
    app.refuse_evidence_request(actor(HANGZHOU), refused, reason=RefusalReason.OUTSIDE_COMPETENCE,
                                competent_jurisdiction=WUXI)
    position = catch_up()

    rows = rm.evidence_requests.get_many(SHANGHAI, [str(with_items), str(note_only), str(refused)])
    assert rows[str(with_items)].findings_note == "Copies; originals kept"
    assert (rows[str(note_only)].status, rows[str(note_only)].findings_note) == ("FULFILLED", "查无此主体")
    assert (rows[str(refused)].refusal_reason, rows[str(refused)].competent_jurisdiction) == ("OUTSIDE_COMPETENCE", WUXI)
    [item] = rm.evidence_requests.case_items(SUZHOU, [str(case_id)])[str(case_id)]
    assert rm.evidence_requests.case_items(SHANGHAI, [str(case_id)])[str(case_id)] == [item]
    assert rm.evidence_requests.case_items(HANGZHOU, [str(case_id)])[str(case_id)] == []  # not a party to that one
    assert (item.title, item.sha256, item.request_id, item.collected_by_jurisdiction, item.collected_by_client) == (
        "ledger.csv", sha(1), str(with_items), SUZHOU, "suzhou-app")

    before = dump(db)
    reached = rebuild_all(db, ApplicationLog(app.recorder, app.mapper), app.registry, page_size=2)
    assert set(reached.values()) == {position}
    assert dump(db) == before
