"""The access matrix: every query and every mutation, called by those who may not, leaks
nothing and changes nothing (the event log's head does not move)."""

from __future__ import annotations

import pytest
from conftest import HANGZHOU, SHA_A, SHANGHAI, SHENZHEN, SUZHOU, ZHEJIANG, mutation

QUERIES = {
    "me": ("{ me { clientId jurisdiction { code } scopes } }", None),
    "jurisdictions": ("{ jurisdictions { code name } }", None),
    "case": ("query($case: ID!) { case(id: $case) { id title version } }", "case"),
    "cases": ("{ cases(first: 50) { edges { node { id title } } pageInfo { hasNextPage } } }", None),
    "inbox": ("{ inbox { incomingTransfers { id case { id } } evidenceRequests { id } jointActionInvitations { id } } }", None),
    "evidenceRequest": ("query($request: ID!) { evidenceRequest(id: $request) { id description } }", "request"),
    "jointAction": ("query($action: ID!) { jointAction(id: $action) { id title tasks { id } } }", "action"),
}
SCOPE_FREE_QUERIES = {"me", "jurisdictions"}  # the caller itself and public reference data

MUTATION_SCOPES = {
    "openCase": "cases:write", "requestTransfer": "cases:write", "acceptTransfer": "cases:write",
    "declineTransfer": "cases:write", "withdrawTransfer": "cases:write", "designateJurisdiction": "cases:write",
    "addEvidence": "cases:write", "closeCase": "cases:write",
    "takeOverCase": "cases:write", "assignCase": "cases:write", "extendDecisionPeriod": "cases:write",
    "pauseCaseClock": "cases:write", "resumeCaseClock": "cases:write", "suspendCase": "cases:write",
    "resumeCase": "cases:write",
    "requestEvidence": "evidence:write", "fulfilEvidenceRequest": "evidence:write", "refuseEvidenceRequest": "evidence:write",
    "proposeJointAction": "joint-actions:write", "joinJointAction": "joint-actions:write",
    "declineJointAction": "joint-actions:write", "assignJointTask": "joint-actions:write",
    "completeJointTask": "joint-actions:write", "closeJointAction": "joint-actions:write",
    "reviseCase": "cases:write", "reopenCase": "cases:write", "acknowledgeEvidenceRequest": "evidence:write",
    "extendEvidenceRequest": "evidence:write", "withdrawEvidenceRequest": "evidence:write",
    "askClarification": "evidence:write", "answerClarification": "evidence:write",
}


def mutation_inputs(world: dict) -> dict[str, dict]:
    """A well-formed input for every mutation, aimed at the world's objects."""
    case, request, action, task = world["case"], world["request"], world["action"], world["task"]
    return {
        "openCase": {"title": "Probe", "summary": "Probe", "subject": {"name": "Probe Co.", "kind": "MANUFACTURER"},
                     "category": "OTHER"},
        "requestTransfer": {"caseId": case, "to": SHENZHEN, "reason": "probe"},
        "acceptTransfer": {"caseId": case},
        "declineTransfer": {"caseId": case, "reason": "probe"},
        "withdrawTransfer": {"caseId": case},
        "designateJurisdiction": {"caseId": case, "jurisdiction": SHENZHEN, "reason": "probe"},
        "addEvidence": {"caseId": case, "title": "probe", "sha256": SHA_A},
        "closeCase": {"caseId": case, "outcome": "NO_VIOLATION"},
        "takeOverCase": {"caseId": case, "reason": "probe"},
        "assignCase": {"caseId": case, "jurisdiction": "330200", "reason": "probe"},
        "extendDecisionPeriod": {"caseId": case, "approver": "probe", "reason": "probe"},
        "pauseCaseClock": {"caseId": case, "reason": "HEARING"},
        "resumeCaseClock": {"caseId": case},
        "suspendCase": {"caseId": case, "reason": "probe"},
        "resumeCase": {"caseId": case},
        "requestEvidence": {"caseId": case, "requested": SHANGHAI, "description": "probe"},
        "fulfilEvidenceRequest": {"requestId": request, "items": [{"title": "probe", "sha256": SHA_A}]},
        "refuseEvidenceRequest": {"requestId": request, "reason": "OUTSIDE_COMPETENCE"},
        "proposeJointAction": {"title": "probe", "caseIds": [case], "participants": [SHANGHAI]},
        "joinJointAction": {"jointActionId": action},
        "declineJointAction": {"jointActionId": action, "reason": "probe"},
        "assignJointTask": {"jointActionId": action, "assignee": SUZHOU, "title": "probe"},
        "completeJointTask": {"jointActionId": action, "taskId": task, "outcome": "probe"},
        "closeJointAction": {"jointActionId": action},
        "reviseCase": {"caseId": case, "title": "probe"},
        "reopenCase": {"caseId": case, "reason": "probe"},
        "acknowledgeEvidenceRequest": {"requestId": request},
        "extendEvidenceRequest": {"requestId": request, "dueAt": "2099-01-01T12:00:00+08:00", "reason": "probe"},
        "withdrawEvidenceRequest": {"requestId": request},
        "askClarification": {"requestId": request, "question": "probe"},
        "answerClarification": {"requestId": request, "answer": "probe"},
    }


@pytest.fixture
def world(hangzhou, suzhou, open_case) -> dict:
    """Hangzhou's case with a transfer pending to Shanghai, an open evidence request to
    Suzhou, and a joint action with Suzhou that has an open task."""
    case = open_case(hangzhou, title="Secret probe target", reference="HZ-SECRET-0001")
    hangzhou.succeed("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "seller moved"})
    request = hangzhou.succeed("requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "ledger"},
                               "evidenceRequest { id }")["evidenceRequest"]["id"]
    action = hangzhou.succeed("proposeJointAction", {"title": "Secret sweep", "caseIds": [case["id"]],
                                                     "participants": [SUZHOU]}, "jointAction { id }")["jointAction"]["id"]
    suzhou.succeed("joinJointAction", {"jointActionId": action})
    task = hangzhou.succeed("assignJointTask", {"jointActionId": action, "assignee": SUZHOU, "title": "Seal"},
                            "task { id }")["task"]["id"]
    return {"case": case["id"], "request": request, "action": action, "task": task}


def state(hangzhou, world: dict) -> dict:
    """What the insiders see of the world (with versions), to compare before and after."""
    return hangzhou.data("""query($case: ID!, $request: ID!, $action: ID!) {
      case(id: $case) { version status handlingJurisdiction { code } pendingTransfer { to { code } } evidence { id } }
      evidenceRequest(id: $request) { version status }
      jointAction(id: $action) { version status tasks { status } participants { status } }
    }""", world)


def variables(world: dict, key: str | None) -> dict | None:
    return None if key is None else {key: world[key]}


def test_an_outsider_jurisdiction_sees_nothing_of_the_world_through_any_query(api, world):
    outsider = api.caller(SHENZHEN)
    secrets = {world["case"], world["request"], world["action"], world["task"], "Secret probe target", "HZ-SECRET-0001",
               "Secret sweep"}

    for name, (query, key) in QUERIES.items():
        response = outsider.post(query, variables(world, key))
        assert response.status_code == 200, (name, response.text)
        body = response.json()
        assert "errors" not in body, (name, body)
        assert not [s for s in secrets if s in response.text], (name, response.text)

    assert outsider.data(QUERIES["case"][0], {"case": world["case"]}) == {"case": None}
    assert outsider.data(QUERIES["cases"][0])["cases"]["edges"] == []
    assert outsider.data(QUERIES["inbox"][0])["inbox"] == {
        "incomingTransfers": [], "evidenceRequests": [], "jointActionInvitations": []}


def test_an_outsider_jurisdiction_gets_not_found_from_every_mutation_and_changes_nothing(api, hangzhou, world):
    outsider = api.caller(SHENZHEN)
    before, head = state(hangzhou, world), api.log_head()

    for name, input in mutation_inputs(world).items():
        if name == "openCase":
            continue  # opening a case of one's own is no access to anyone else's
        result = outsider.mutate(name, input)
        assert result["__typename"] == "NotFoundProblem", (name, result)
        assert result["code"] == "NOT_FOUND"
        assert "Secret" not in result["message"]

    assert api.log_head() == head
    assert state(hangzhou, world) == before


def test_an_unknown_or_malformed_id_is_not_found_like_an_invisible_one(hangzhou, world):
    for name, input in mutation_inputs(world).items():
        ids = [key for key in ("caseId", "requestId", "jointActionId") if key in input]
        if not ids:
            continue
        result = hangzhou.mutate(name, {**input, ids[0]: "not-an-id"})
        assert (result["__typename"], result["field"]) == ("NotFoundProblem", ids[0]), (name, result)


@pytest.mark.parametrize("scope", ["history:read", "cases:read"])
def test_a_token_without_the_scope_is_refused_by_every_operation_and_changes_nothing(api, hangzhou, world, scope):
    # An insider: Hangzhou itself, with a client holding only `scope`.
    narrow = api.caller(HANGZHOU, scope=scope)
    before, head = state(hangzhou, world), api.log_head()

    for name, (query, key) in QUERIES.items():
        body = narrow.gql(query, variables(world, key))
        if name in SCOPE_FREE_QUERIES or scope == "cases:read":
            assert "errors" not in body, (name, body)
        else:
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (name, body)
            assert not (body["data"] or {}).get(name), (name, body)

    for name, input in mutation_inputs(world).items():
        body = narrow.gql(mutation(name), {"input": input})
        assert body["data"] is None, (name, body)
        error = body["errors"][0]
        assert error["extensions"]["code"] == "FORBIDDEN", (name, body)
        assert MUTATION_SCOPES[name] in error["message"]

    assert api.log_head() == head
    assert state(hangzhou, world) == before


def test_each_write_scope_allows_only_its_own_mutations(api, world):
    for scope in ("cases:write", "evidence:write", "joint-actions:write"):
        outsider = api.caller(SHENZHEN, scope=f"cases:read {scope}")
        for name, input in mutation_inputs(world).items():
            body = outsider.gql(mutation(name), {"input": input})
            if MUTATION_SCOPES[name] == scope:
                assert "errors" not in body, (scope, name, body)
            else:
                assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (scope, name, body)


BAD_TOKENS = ["none", "malformed", "expired", "forged", "wrong audience"]


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_a_request_without_a_valid_token_gets_401_from_every_operation_and_changes_nothing(api, hangzhou, world, kind):
    tokens = {
        "malformed": "not.a.jwt",
        "expired": api.expired_token(hangzhou),
        "forged": api.forged_token(hangzhou),
        "wrong audience": api.wrong_audience_token(hangzhou),
    }
    before, head = state(hangzhou, world), api.log_head()
    operations = [(query, variables(world, key)) for query, key in QUERIES.values()]
    operations += [(mutation(name), {"input": input}) for name, input in mutation_inputs(world).items()]

    for query, operation_variables in operations:
        headers = {} if kind == "none" else {"Authorization": f"Bearer {tokens[kind]}"}
        response = api.http.post("/graphql", json={"query": query, "variables": operation_variables}, headers=headers)
        assert response.status_code == 401, (kind, query, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer"), response.headers
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert "data" not in response.json()
        assert "Secret" not in response.text

    assert api.log_head() == head
    assert state(hangzhou, world) == before


def test_the_supervising_province_reads_the_case_but_may_not_change_it(api, hangzhou, world):
    zhejiang = api.caller(ZHEJIANG)
    before, head = state(hangzhou, world), api.log_head()

    seen = zhejiang.data(QUERIES["case"][0], {"case": world["case"]})["case"]
    assert seen["title"] == "Secret probe target"
    roles = zhejiang.data('query($id: ID!) { case(id: $id) { participants { jurisdiction { code } role } } }',
                          {"id": world["case"]})["case"]["participants"]
    assert {"jurisdiction": {"code": ZHEJIANG}, "role": "SUPERVISING_ANCESTOR"} in roles

    inputs = mutation_inputs(world)
    for name in ("requestTransfer", "withdrawTransfer", "addEvidence", "closeCase", "assignCase", "extendDecisionPeriod",
                 "pauseCaseClock", "suspendCase"):
        result = zhejiang.mutate(name, inputs[name])
        assert (result["__typename"], result["code"]) == ("ForbiddenProblem", "FORBIDDEN"), (name, result)
    # Not a party to the evidence request or the joint action: those do not exist for it.
    assert zhejiang.data(QUERIES["evidenceRequest"][0], {"request": world["request"]}) == {"evidenceRequest": None}
    assert zhejiang.mutate("closeJointAction", inputs["closeJointAction"])["__typename"] == "NotFoundProblem"

    assert api.log_head() == head
    assert state(hangzhou, world) == before
