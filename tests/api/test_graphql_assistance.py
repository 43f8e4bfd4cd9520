"""Assistance (协助调查) through GraphQL, as the law writes it (行政处罚法 Art 26): the requested
office acknowledges, extends, asks for clarification (the clock pauses) and answers with evidence
or a findings note alone; answered items join the case's evidence with their provenance; refusal
grounds are competence or another ground stated in full. Old refusals still read."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from conftest import HANGZHOU, SHA_A, SHA_B, SHENZHEN, SUZHOU

from casebridge.application.chain import stored_digest
from casebridge.domain.calendar import CHINA_TIME
from casebridge.domain.evidence_request import EvidenceRequest, working_days_between
from casebridge.domain.integrity import PREV_KEY
from casebridge.domain.values import Actor, RefusalReason

WUXI = "320200"
REQUEST = """query($id: ID!) { evidenceRequest(id: $id) {
  status version acknowledged dueAt overdue paused findingsNote refusalReason refusalDetail
  competentJurisdiction { code } clarification { question answer askedAt answeredAt } items { title sha256 } } }"""
CASE_EVIDENCE = """query($id: ID!) { case(id: $id) { evidence { id title sha256 collectedBy { code }
  provenance { requestId jurisdiction { code } } } } }"""


def ask_for_evidence(hangzhou, open_case) -> tuple[str, str]:
    case = open_case(hangzhou)
    request = hangzhou.succeed("requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "Depot ledger"},
                               "evidenceRequest { id }")["evidenceRequest"]["id"]
    return case["id"], request


def request_state(caller, request_id: str) -> dict:
    return caller.data(REQUEST, {"id": request_id})["evidenceRequest"]


def test_the_requested_office_acknowledges_and_either_side_extends_before_expiry(hangzhou, suzhou, open_case):
    _, request = ask_for_evidence(hangzhou, open_case)
    before = request_state(hangzhou, request)

    suzhou.succeed("acknowledgeEvidenceRequest", {"requestId": request, "expectedVersion": before["version"]})
    later = (datetime.fromisoformat(before["dueAt"]) + timedelta(days=5)).isoformat()
    extended = suzhou.succeed("extendEvidenceRequest", {"requestId": request, "dueAt": later, "reason": "Holiday"},
                              "evidenceRequest { acknowledged dueAt version }")["evidenceRequest"]

    assert extended["acknowledged"] is True and extended["version"] == before["version"] + 2
    assert datetime.fromisoformat(extended["dueAt"]) == datetime.fromisoformat(later)
    earlier = hangzhou.mutate("extendEvidenceRequest", {"requestId": request, "dueAt": before["dueAt"], "reason": "r"})
    assert (earlier["__typename"], earlier["field"]) == ("ValidationProblem", "dueAt")
    wrong_side = hangzhou.mutate("acknowledgeEvidenceRequest", {"requestId": request})
    assert wrong_side["__typename"] == "ForbiddenProblem"


def test_only_the_applicant_withdraws_its_request(hangzhou, suzhou, open_case):
    _, request = ask_for_evidence(hangzhou, open_case)
    assert suzhou.mutate("withdrawEvidenceRequest", {"requestId": request})["__typename"] == "ForbiddenProblem"
    withdrawn = hangzhou.succeed("withdrawEvidenceRequest", {"requestId": request, "reason": "Seller confessed"},
                                 "evidenceRequest { status }")
    assert withdrawn["evidenceRequest"]["status"] == "WITHDRAWN"
    again = hangzhou.mutate("withdrawEvidenceRequest", {"requestId": request})
    assert (again["__typename"], again["code"]) == ("InvalidStateProblem", "INVALID_STATE")


def test_a_clarification_pauses_the_clock_and_its_answer_moves_the_due_date(api, hangzhou, suzhou, open_case):
    """行政处罚法 Art 26: too little information is asked about, not refused; the paused working days are added."""
    _, request = ask_for_evidence(hangzhou, open_case)
    due = datetime.fromisoformat(request_state(hangzhou, request)["dueAt"])
    app = api.application
    asked_at = app.clock()

    suzhou.succeed("askClarification", {"requestId": request, "question": "Which depot: Wuzhong or Xiangcheng?"})
    paused = request_state(hangzhou, request)
    assert paused["paused"] is True and paused["overdue"] is False and paused["status"] == "OPEN"
    assert paused["clarification"]["question"] == "Which depot: Wuzhong or Xiangcheng?"
    assert paused["clarification"]["answer"] is None
    assert suzhou.mutate("extendEvidenceRequest", {"requestId": request, "dueAt": (due + timedelta(days=3)).isoformat(),
                                                   "reason": "r"})["__typename"] == "InvalidStateProblem"
    assert hangzhou.mutate("askClarification", {"requestId": request, "question": "q"})["__typename"] == "ForbiddenProblem"

    answered_at = asked_at + timedelta(days=4)
    app.clock = lambda: answered_at
    hangzhou.succeed("answerClarification", {"requestId": request, "answer": "Wuzhong"})

    after = request_state(suzhou, request)
    paused_days = working_days_between(app.calendar, asked_at, answered_at)
    assert paused_days >= 2  # four calendar days hold at least two working days
    local_due = due.astimezone(CHINA_TIME)
    expected = datetime.combine(app.calendar.add_working_days(local_due.date(), paused_days), local_due.timetz())
    assert after["paused"] is False and after["clarification"]["answer"] == "Wuzhong"
    assert datetime.fromisoformat(after["dueAt"]) == expected
    no_question = hangzhou.mutate("answerClarification", {"requestId": request, "answer": "again"})
    assert no_question["__typename"] == "InvalidStateProblem"


def test_a_findings_note_alone_answers_a_request(hangzhou, suzhou, open_case):
    """Practice of 协助调查: a 情况说明 without documents, e.g. 查无此主体, is an answer."""
    case, request = ask_for_evidence(hangzhou, open_case)
    suzhou.succeed("fulfilEvidenceRequest", {"requestId": request, "items": [], "note": "查无此主体"})
    answered = request_state(hangzhou, request)
    assert (answered["status"], answered["findingsNote"], answered["items"]) == ("FULFILLED", "查无此主体", [])
    assert hangzhou.data(CASE_EVIDENCE, {"id": case})["case"]["evidence"] == []


def test_nothing_at_all_is_no_answer(hangzhou, suzhou, open_case):
    _, request = ask_for_evidence(hangzhou, open_case)
    empty = suzhou.mutate("fulfilEvidenceRequest", {"requestId": request, "items": []})
    assert (empty["__typename"], empty["field"]) == ("ValidationProblem", "items")


def test_answered_items_join_the_case_evidence_with_their_provenance(api, hangzhou, suzhou, open_case):
    case, request = ask_for_evidence(hangzhou, open_case)
    hangzhou.succeed("addEvidence", {"caseId": case, "title": "Test purchase", "sha256": SHA_A})
    suzhou.succeed("fulfilEvidenceRequest", {"requestId": request, "items": [{"title": "Depot ledger", "sha256": SHA_B}]})

    evidence = hangzhou.data(CASE_EVIDENCE, {"id": case})["case"]["evidence"]

    assert [(e["title"], e["collectedBy"]["code"]) for e in evidence] == [("Test purchase", HANGZHOU), ("Depot ledger", SUZHOU)]
    assert evidence[0]["provenance"] is None
    assert evidence[1]["provenance"] == {"requestId": request, "jurisdiction": {"code": SUZHOU}}
    assert evidence[1]["sha256"] == SHA_B
    outsider = api.caller(SHENZHEN)
    assert outsider.data(CASE_EVIDENCE, {"id": case}) == {"case": None}
    # A supervisor sees the case, but not who assisted on it: the request's items stay with its parties.
    zhejiang = api.caller("330000")
    assert [e["title"] for e in zhejiang.data(CASE_EVIDENCE, {"id": case})["case"]["evidence"]] == ["Test purchase"]


def test_refusal_grounds_are_competence_or_another_ground_in_full(api, hangzhou, suzhou, open_case):
    """行政处罚法 Art 26: outside competence (naming the competent office when known) or OTHER with detail."""
    _, request = ask_for_evidence(hangzhou, open_case)
    head = api.log_head()
    for old in ("INSUFFICIENT_INFORMATION", "PROCEEDINGS_ALREADY_OPEN"):
        result = suzhou.mutate("refuseEvidenceRequest", {"requestId": request, "reason": old, "detail": "d"})
        assert (result["__typename"], result["field"]) == ("ValidationProblem", "reason"), old
    unknown = suzhou.mutate("refuseEvidenceRequest", {"requestId": request, "reason": "OUTSIDE_COMPETENCE",
                                                      "competentJurisdiction": "999999"})
    assert (unknown["__typename"], unknown["field"]) == ("ValidationProblem", "competentJurisdiction")
    assert api.log_head() == head

    suzhou.succeed("refuseEvidenceRequest", {"requestId": request, "reason": "OUTSIDE_COMPETENCE",
                                             "competentJurisdiction": WUXI})
    refused = request_state(hangzhou, request)
    assert (refused["status"], refused["refusalReason"], refused["competentJurisdiction"]) == (
        "REFUSED", "OUTSIDE_COMPETENCE", {"code": WUXI})


def test_a_refusal_recorded_under_the_old_grounds_still_reads(api, hangzhou, suzhou, open_case):
    """Events are forever: a v1 refusal (EU-style ground, no competent office) loads and shows."""
    _, request = ask_for_evidence(hangzhou, open_case)
    app = api.application
    aggregate = app.get_evidence_request(UUID(request))
    aggregate._refused(actor=Actor(client_id=suzhou.client_id, jurisdiction=SUZHOU),
                       reason=RefusalReason.PROCEEDINGS_ALREADY_OPEN, detail="Our case 320500-2024-00042",
                       competent_jurisdiction=None)
    event = aggregate.collect_events()[0]
    last = app.recorder.select_events(aggregate.id, desc=True, limit=1)[0]
    state = {k: v for k, v in vars(event).items() if k != "competent_jurisdiction"}  # as version 1 stored it
    state[PREV_KEY] = stored_digest(last)
    stored = type(last)(originator_id=aggregate.id, originator_version=event.originator_version,
                        topic=last.topic.replace("Requested", "Refused"), state=app.mapper.transcoder.encode(state))
    app.recorder.insert_events([stored])
    for wake in list(app.on_saved):  # what the application does after its own writes
        wake(app.max_position())

    loaded = app.get_evidence_request(aggregate.id)
    assert loaded.refusal_reason is RefusalReason.PROCEEDINGS_ALREADY_OPEN and loaded.competent_jurisdiction is None
    assert isinstance(app.mapper.to_domain_event(stored), EvidenceRequest.Refused)
    api.app.state.runtime.wait_for(app.max_position(), 30)
    shown = request_state(hangzhou, request)
    assert (shown["status"], shown["refusalReason"], shown["refusalDetail"]) == (
        "REFUSED", "PROCEEDINGS_ALREADY_OPEN", "Our case 320500-2024-00042")
    assert shown["competentJurisdiction"] is None


def test_revising_and_reopening_a_case_are_mutations(hangzhou, shanghai, open_case):
    case = open_case(hangzhou)
    revised = hangzhou.succeed("reviseCase", {"caseId": case["id"], "title": "Counterfeit chargers, revised",
                                              "category": "PRODUCT_QUALITY", "expectedVersion": case["version"]},
                               "case { title category version }")["case"]
    assert revised == {"title": "Counterfeit chargers, revised", "category": "PRODUCT_QUALITY", "version": case["version"] + 1}
    blank = hangzhou.mutate("reviseCase", {"caseId": case["id"], "title": " "})
    assert (blank["__typename"], blank["field"]) == ("ValidationProblem", "title")
    not_closed = hangzhou.mutate("reopenCase", {"caseId": case["id"], "reason": "new facts"})
    assert not_closed["__typename"] == "InvalidStateProblem"

    hangzhou.succeed("closeCase", {"caseId": case["id"], "outcome": "NO_VIOLATION"})
    reopened = hangzhou.succeed("reopenCase", {"caseId": case["id"], "reason": "New test purchases"},
                                "case { status outcome }")["case"]
    assert reopened == {"status": "OPEN", "outcome": None}
    assert shanghai.mutate("reopenCase", {"caseId": case["id"], "reason": "x"})["__typename"] == "NotFoundProblem"
