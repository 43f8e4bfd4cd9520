"""Mutations: expected failures are problem values, versions guard writes, ids make
retries safe, and every success reads back what it wrote."""

from __future__ import annotations

from conftest import HANGZHOU, SHA_A, SHANGHAI, SUZHOU, ZHEJIANG, mutation, open_case_input

NINGBO = "330200"
CASE_VERSION = "query($id: ID!) { case(id: $id) { version title evidence { title } pendingTransfer { to { code } } } }"


def test_a_stale_expected_version_is_a_conflict_and_changes_nothing(api, hangzhou, open_case):
    case = open_case(hangzhou)
    hangzhou.succeed("addEvidence", {"caseId": case["id"], "title": "Receipt", "sha256": SHA_A})
    before, head = hangzhou.data(CASE_VERSION, {"id": case["id"]}), api.log_head()

    result = hangzhou.mutate("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "moved",
                                                 "expectedVersion": case["version"]})

    assert (result["__typename"], result["code"]) == ("ConflictProblem", "CONFLICT")
    assert result["currentVersion"] == case["version"] + 1
    assert api.log_head() == head
    assert hangzhou.data(CASE_VERSION, {"id": case["id"]}) == before


def test_the_current_expected_version_lets_the_change_through_with_the_new_version(hangzhou, open_case):
    case = open_case(hangzhou)
    result = hangzhou.succeed("addEvidence", {"caseId": case["id"], "title": "Receipt", "sha256": SHA_A,
                                              "expectedVersion": case["version"]}, "case { version } evidence { title sha256 }")
    assert result["case"] == {"version": case["version"] + 1}
    assert result["evidence"] == {"title": "Receipt", "sha256": SHA_A}


def test_the_same_client_mutation_id_twice_applies_once_and_answers_the_same(api, hangzhou, open_case):
    case = open_case(hangzhou)
    input = {"caseId": case["id"], "title": "Receipt", "sha256": SHA_A, "clientMutationId": "evidence-42"}

    first = hangzhou.succeed("addEvidence", input, "case { id version evidence { id } } evidence { id }")
    head = api.log_head()
    second = hangzhou.succeed("addEvidence", input, "case { id version evidence { id } } evidence { id }")

    assert second == first
    assert first["clientMutationId"] == "evidence-42"
    assert len(second["case"]["evidence"]) == 1
    assert api.log_head() == head


def test_an_opened_case_retried_with_its_client_mutation_id_is_opened_once(api, hangzhou):
    input = open_case_input(clientMutationId="open-7")
    first = hangzhou.succeed("openCase", input, "case { id reference }")
    second = hangzhou.succeed("openCase", input, "case { id reference }")
    assert first == second
    assert len(hangzhou.data("{ cases(first: 10) { edges { node { id } } } }")["cases"]["edges"]) == 1


def test_a_client_mutation_id_reused_for_another_command_is_a_validation_problem(api, hangzhou, open_case):
    case = open_case(hangzhou)
    hangzhou.succeed("addEvidence", {"caseId": case["id"], "title": "Receipt", "sha256": SHA_A, "clientMutationId": "k1"})
    head = api.log_head()
    result = hangzhou.mutate("addEvidence", {"caseId": case["id"], "title": "Other", "sha256": SHA_A,
                                             "clientMutationId": "k1"})
    assert (result["__typename"], result["field"]) == ("ValidationProblem", "clientMutationId")
    assert api.log_head() == head


def test_validation_problems_name_the_input_field(api, hangzhou, suzhou, open_case):
    case = open_case(hangzhou)
    request = hangzhou.succeed("requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "ledger"},
                               "evidenceRequest { id }")["evidenceRequest"]["id"]
    head = api.log_head()
    cases = [
        (hangzhou, "openCase", open_case_input(title="  "), "title"),
        (hangzhou, "openCase", open_case_input(subject={"name": "", "kind": "MANUFACTURER"}), "subject.name"),
        (hangzhou, "addEvidence", {"caseId": case["id"], "title": "Receipt", "sha256": "not-a-digest"}, "sha256"),
        (hangzhou, "requestTransfer", {"caseId": case["id"], "to": "999999", "reason": "moved"}, "to"),
        (hangzhou, "requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "x",
                                       "dueAt": "2099-01-01T12:00:00"}, "dueAt"),
        (hangzhou, "requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "x",
                                       "dueAt": "2001-01-01T12:00:00+08:00"}, "dueAt"),
        (suzhou, "fulfilEvidenceRequest", {"requestId": request, "items": [
            {"title": "ok", "sha256": SHA_A}, {"title": "bad", "sha256": "1234"}]}, "items[1].sha256"),
        (suzhou, "refuseEvidenceRequest", {"requestId": request, "reason": "OTHER"}, "detail"),
        (hangzhou, "proposeJointAction", {"title": "x", "caseIds": [case["id"]], "participants": [HANGZHOU]}, "participants"),
    ]
    for caller, name, input, field in cases:
        result = caller.mutate(name, input)
        assert (result["__typename"], result["code"], result["field"]) == ("ValidationProblem", "VALIDATION", field), (
            name, result)
        assert result["message"]
    assert api.log_head() == head


def test_an_input_that_does_not_fit_the_schema_is_refused_before_anything_runs(api, hangzhou):
    head = api.log_head()
    body = hangzhou.gql(mutation("openCase"), {"input": open_case_input(category="NOT_A_CATEGORY")}, status=400)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "data" not in body or body["data"] is None
    assert api.log_head() == head


def test_accepting_a_transfer_that_is_not_pending_is_an_invalid_state(api, hangzhou, shanghai, open_case):
    case = open_case(hangzhou)
    hangzhou.succeed("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "moved"})
    hangzhou.succeed("withdrawTransfer", {"caseId": case["id"]})
    # Once withdrawn, Shanghai may no longer see the case at all.
    assert shanghai.mutate("acceptTransfer", {"caseId": case["id"]})["__typename"] == "NotFoundProblem"

    result = hangzhou.mutate("acceptTransfer", {"caseId": case["id"]})
    assert (result["__typename"], result["code"]) == ("InvalidStateProblem", "INVALID_STATE")


def test_a_declined_transfer_leaves_the_case_with_its_handler_as_a_dispute_both_parties_see(
        hangzhou, shanghai, open_case):
    case = open_case(hangzhou)
    hangzhou.succeed("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "moved"})

    declined = shanghai.succeed("declineTransfer", {"caseId": case["id"], "reason": "Not our seller."},
                                "case { id status designationPetition { reason } }")

    assert declined["case"] == {"id": case["id"], "status": "DISPUTED", "designationPetition": {"reason": "Not our seller."}}
    seen = hangzhou.data("query($id: ID!) { case(id: $id) { status handlingJurisdiction { code } pendingTransfer { reason } "
                         "transfers { status } } }", {"id": case["id"]})["case"]
    assert seen == {"status": "DISPUTED", "handlingJurisdiction": {"code": HANGZHOU}, "pendingTransfer": {"reason": "moved"},
                    "transfers": [{"status": "DISPUTED"}]}
    assert shanghai.data("{ inbox { incomingTransfers { id } } }")["inbox"]["incomingTransfers"] == []


def test_the_common_superior_designates_the_handling_jurisdiction(api, hangzhou, open_case):
    case = open_case(hangzhou)
    zhejiang = api.caller(ZHEJIANG)
    result = zhejiang.succeed("designateJurisdiction", {"caseId": case["id"], "jurisdiction": NINGBO,
                                                        "reason": "Ningbo holds the warehouse."},
                              "case { handlingJurisdiction { code name } }")
    assert result["case"]["handlingJurisdiction"]["code"] == NINGBO


def test_a_refused_evidence_request_says_why(hangzhou, suzhou, open_case):
    case = open_case(hangzhou)
    request = hangzhou.succeed("requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "ledger"},
                               "evidenceRequest { id }")["evidenceRequest"]["id"]
    refused = suzhou.succeed("refuseEvidenceRequest", {"requestId": request, "reason": "OTHER",
                                                       "detail": "The ledger was seized by the police."},
                             "evidenceRequest { status refusalReason refusalDetail overdue }")["evidenceRequest"]
    assert refused == {"status": "REFUSED", "refusalReason": "OTHER",
                       "refusalDetail": "The ledger was seized by the police.", "overdue": False}


def test_two_mutations_in_one_document_each_read_their_own_write(hangzhou, open_case):
    case = open_case(hangzhou)
    body = hangzhou.data("""mutation($id: ID!) {
      first: addEvidence(input: {caseId: $id, title: "One", sha256: "%s"}) {
        ... on AddEvidenceSuccess { case { version evidence { title } } } }
      second: addEvidence(input: {caseId: $id, title: "Two", sha256: "%s"}) {
        ... on AddEvidenceSuccess { case { version evidence { title } } } }
    }""" % (SHA_A, SHA_A), {"id": case["id"]})
    assert body["first"]["case"] == {"version": case["version"] + 1, "evidence": [{"title": "One"}]}
    assert body["second"]["case"] == {"version": case["version"] + 2, "evidence": [{"title": "One"}, {"title": "Two"}]}
