"""A case crosses three jurisdictions, told through GraphQL as each regulator's program would."""

from __future__ import annotations

from conftest import HANGZHOU, SHA_A, SHA_B, SHANGHAI, SUZHOU

CASE = """query($id: ID!) { case(id: $id) {
  id version status title handlingJurisdiction { code name } pendingTransfer { from { code } to { code } reason }
  participants { jurisdiction { code } role } evidence { title sha256 collectedBy { code } }
  transfers { from { code } to { code } status }
  evidenceRequests { id status applicant { code } requested { code } items { title sha256 } }
  jointActions { id status }
} }"""

INBOX = """{ inbox {
  incomingTransfers { case { id } from { code } reason }
  evidenceRequests { id description overdue dueAt case { id title } }
  jointActionInvitations { id title coordinator { code } }
} }"""


def test_a_case_opened_in_hangzhou_is_transferred_to_shanghai_helped_by_suzhou_and_worked_jointly(
        hangzhou, shanghai, suzhou, open_case):
    case = open_case(hangzhou, title="Counterfeit chargers sold in Shanghai by livestream")

    # Hangzhou finds the seller operates from Shanghai and hands the case over (移送).
    requested = hangzhou.succeed("requestTransfer", {
        "caseId": case["id"], "to": SHANGHAI, "reason": "The seller's warehouse is in Shanghai.",
        "expectedVersion": case["version"], "clientMutationId": "transfer-1",
    }, "case { version pendingTransfer { to { code } } }")
    assert requested["clientMutationId"] == "transfer-1"
    assert requested["case"] == {"version": case["version"] + 1, "pendingTransfer": {"to": {"code": SHANGHAI}}}

    inbox = shanghai.data(INBOX)["inbox"]
    assert inbox["incomingTransfers"] == [
        {"case": {"id": case["id"]}, "from": {"code": HANGZHOU}, "reason": "The seller's warehouse is in Shanghai."}]
    assert suzhou.data(CASE, {"id": case["id"]})["case"] is None

    accepted = shanghai.succeed("acceptTransfer", {"caseId": case["id"]},
                                "case { handlingJurisdiction { code } pendingTransfer { reason } }")
    assert accepted["case"] == {"handlingJurisdiction": {"code": SHANGHAI}, "pendingTransfer": None}
    assert shanghai.data(INBOX)["inbox"]["incomingTransfers"] == []

    # Shanghai asks Suzhou for the seller's shipping records (协助调查); Suzhou answers.
    request = shanghai.succeed("requestEvidence", {
        "caseId": case["id"], "requested": SUZHOU, "description": "Shipping records of the Suzhou warehouse.",
        "legalBasis": "Art. 18 of the market regulation procedure rules",
    }, "evidenceRequest { id status overdue applicant { code } requested { code } dueAt case { id } }")["evidenceRequest"]
    assert (request["status"], request["overdue"], request["applicant"], request["requested"]) == (
        "OPEN", False, {"code": SHANGHAI}, {"code": SUZHOU})
    assert request["case"] == {"id": case["id"]}
    assert request["dueAt"].endswith("+08:00") or request["dueAt"].endswith("+00:00")

    awaiting = suzhou.data(INBOX)["inbox"]["evidenceRequests"]
    assert [r["id"] for r in awaiting] == [request["id"]]
    assert awaiting[0]["case"]["title"] == "Counterfeit chargers sold in Shanghai by livestream"

    fulfilled = suzhou.succeed("fulfilEvidenceRequest", {
        "requestId": request["id"], "items": [{"title": "Waybills, March", "sha256": SHA_A},
                                              {"title": "Warehouse ledger", "sha256": SHA_B, "description": "scanned"}],
    }, "evidenceRequest { status items { title sha256 } }")["evidenceRequest"]
    assert fulfilled == {"status": "FULFILLED", "items": [{"title": "Waybills, March", "sha256": SHA_A},
                                                          {"title": "Warehouse ledger", "sha256": SHA_B}]}
    assert suzhou.data(INBOX)["inbox"]["evidenceRequests"] == []

    shanghai.succeed("addEvidence", {"caseId": case["id"], "title": "Test purchase video", "sha256": SHA_B},
                     "evidence { title }")

    # A joint action (联动执法) with Suzhou and Hangzhou: Suzhou joins, Hangzhou declines.
    action = shanghai.succeed("proposeJointAction", {
        "title": "Spring sweep of livestream chargers", "objective": "Seize stock in both cities",
        "caseIds": [case["id"]], "participants": [SUZHOU, HANGZHOU],
    }, "jointAction { id status coordinator { code } participants { jurisdiction { code } status } cases { id } }")["jointAction"]
    assert action["status"] == "ACTIVE" and action["coordinator"] == {"code": SHANGHAI}
    assert {p["jurisdiction"]["code"]: p["status"] for p in action["participants"]} == {
        SHANGHAI: "COORDINATOR", SUZHOU: "INVITED", HANGZHOU: "INVITED"}
    assert action["cases"] == [{"id": case["id"]}]
    assert [a["id"] for a in suzhou.data(INBOX)["inbox"]["jointActionInvitations"]] == [action["id"]]

    suzhou.succeed("joinJointAction", {"jointActionId": action["id"]})
    hangzhou.succeed("declineJointAction", {"jointActionId": action["id"], "reason": "No stock left in Hangzhou."})
    task = shanghai.succeed("assignJointTask", {
        "jointActionId": action["id"], "assignee": SUZHOU, "title": "Seal the Suzhou warehouse",
        "dueAt": "2099-01-31T18:00:00+08:00",
    }, "task { id status assignee { code } dueAt }")["task"]
    assert (task["status"], task["assignee"]) == ("OPEN", {"code": SUZHOU})
    assert task["dueAt"] == "2099-01-31T10:00:00+00:00"

    suzhou.succeed("completeJointTask", {"jointActionId": action["id"], "taskId": task["id"],
                                         "outcome": "Sealed, 2,000 chargers seized."})
    closed_action = shanghai.succeed("closeJointAction", {
        "jointActionId": action["id"], "commonPosition": "Penalties in each jurisdiction."},
        "jointAction { status participants { jurisdiction { code } status } tasks { status outcome } }")["jointAction"]
    assert closed_action["status"] == "CLOSED"
    assert {p["jurisdiction"]["code"]: p["status"] for p in closed_action["participants"]} == {
        SHANGHAI: "COORDINATOR", SUZHOU: "JOINED", HANGZHOU: "DECLINED"}
    assert closed_action["tasks"] == [{"status": "COMPLETED", "outcome": "Sealed, 2,000 chargers seized."}]

    closed = shanghai.succeed("closeCase", {
        "caseId": case["id"], "outcome": "PENALTY_DECISION", "summary": "Fined and stock confiscated.",
        "details": {"decisionNumber": "沪市监处罚〔2025〕31号", "amountFen": 20_000_000, "legalBasis": "产品质量法 Art 50"},
    }, "case { status outcome outcomeDetails { decisionNumber amountFen legalBasis } }")
    assert closed["case"] == {"status": "CLOSED", "outcome": "PENALTY_DECISION", "outcomeDetails": {
        "decisionNumber": "沪市监处罚〔2025〕31号", "amountFen": 20_000_000, "legalBasis": "产品质量法 Art 50"}}

    # As Shanghai sees it now.
    seen = shanghai.data(CASE, {"id": case["id"]})["case"]
    assert seen["handlingJurisdiction"] == {"code": SHANGHAI, "name": "上海市市场监督管理局"}
    assert seen["transfers"] == [{"from": {"code": HANGZHOU}, "to": {"code": SHANGHAI}, "status": "ACCEPTED"}]
    assert [(r["status"], r["requested"]["code"], len(r["items"])) for r in seen["evidenceRequests"]] == [
        ("FULFILLED", SUZHOU, 2)]
    assert seen["jointActions"] == [{"id": action["id"], "status": "CLOSED"}]
    # Suzhou's answer joined the case's evidence (协助调查), before Shanghai's own video.
    assert seen["evidence"] == [{"title": "Waybills, March", "sha256": SHA_A, "collectedBy": {"code": SUZHOU}},
                                {"title": "Warehouse ledger", "sha256": SHA_B, "collectedBy": {"code": SUZHOU}},
                                {"title": "Test purchase video", "sha256": SHA_B, "collectedBy": {"code": SHANGHAI}}]
    roles = {(p["jurisdiction"]["code"], p["role"]) for p in seen["participants"]}
    assert {(SHANGHAI, "HANDLING"), (HANGZHOU, "FORMER_HANDLER"), (SUZHOU, "EVIDENCE_REQUEST_PARTY")} <= roles

    # Hangzhou, the former handler, still reads the case but not Shanghai's request to Suzhou.
    former = hangzhou.data(CASE, {"id": case["id"]})["case"]
    assert former["status"] == "CLOSED" and former["evidenceRequests"] == []
    assert [e["title"] for e in former["evidence"]] == ["Test purchase video"]  # nor what Suzhou handed over
    assert hangzhou.data("query($id: ID!) { evidenceRequest(id: $id) { id } }", {"id": request["id"]}) == {
        "evidenceRequest": None}
    assert suzhou.data("query($id: ID!) { evidenceRequest(id: $id) { status } }", {"id": request["id"]}) == {
        "evidenceRequest": {"status": "FULFILLED"}}


def test_the_cases_page_is_newest_change_first_and_pages_by_cursor(hangzhou, open_case):
    opened = [open_case(hangzhou, title=f"Case number {n}") for n in range(5)]
    page = """query($after: String) { cases(first: 2, after: $after) {
      edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }"""

    seen: list[str] = []
    after = None
    while True:
        cases = hangzhou.data(page, {"after": after})["cases"]
        seen += [edge["node"]["id"] for edge in cases["edges"]]
        if not cases["pageInfo"]["hasNextPage"]:
            break
        after = cases["pageInfo"]["endCursor"]
    assert seen == [case["id"] for case in reversed(opened)]

    filtered = hangzhou.data('{ cases(first: 10, filter: {text: "number 3"}) { edges { node { title } } } }')
    assert filtered["cases"]["edges"] == [{"node": {"title": "Case number 3"}}]


def test_a_cursor_the_server_did_not_issue_is_bad_input(hangzhou):
    body = hangzhou.gql('{ cases(first: 2, after: "not-a-cursor") { edges { cursor } } }')
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
