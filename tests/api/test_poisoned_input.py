"""Text no read model can hold is refused at the door: VALIDATION naming the field, nothing
written, and the read models (on PostgreSQL too) keep going afterwards."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import SHA_A, SHANGHAI, mutation, open_case_input

NUL, SURROGATE, RLO, ZWSP = "a\u0000b", "a\ud800b", "ab\u202ecd", "ab\u200bcd"


def _opened(caller) -> str:
    return caller.succeed("openCase", open_case_input(), "case { id }")["case"]["id"]


def _mutate(caller, name: str, input: dict) -> dict:
    """As a client sends it: JSON with \\u escapes, which may spell a lone surrogate."""
    body = json.dumps({"query": mutation(name), "variables": {"input": input}})
    response = caller.api.http.post("/graphql", content=body, headers={
        "Authorization": f"Bearer {caller.token}", "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    payload = response.json()
    assert "errors" not in payload, payload["errors"]
    return payload["data"][name]


def _refused(api, caller, name: str, input: dict, field: str) -> None:
    head = api.log_head()
    result = _mutate(caller, name, input)
    assert (result["__typename"], result["code"], result["field"]) == ("ValidationProblem", "VALIDATION", field), result
    assert api.log_head() == head  # nothing written


@pytest.mark.parametrize(("bad", "field", "change"), [
    (NUL, "title", lambda v: {"title": v}),
    (SURROGATE, "title", lambda v: {"title": v}),
    ("a\u0007b", "summary", lambda v: {"summary": v}),
    (NUL, "subject.name", lambda v: {"subject": {"name": v, "kind": "MANUFACTURER"}}),
    (RLO, "subject.identifier", lambda v: {"subject": {"name": "Shop", "kind": "MANUFACTURER", "identifier": v}}),
    (ZWSP, "subject.productCodes", lambda v: {"subject": {"name": "Shop", "kind": "MANUFACTURER", "productCodes": [v]}}),
    (NUL, "legalBasis", lambda v: {"legalBasis": v}),
    (NUL, "reference", lambda v: {"reference": v}),
    (SURROGATE, "reference", lambda v: {"reference": v}),
    (RLO, "reference", lambda v: {"reference": v}),
    (SURROGATE, "clientMutationId", lambda v: {"clientMutationId": v}),
    (NUL, "clientMutationId", lambda v: {"clientMutationId": v}),
])
def test_open_case_refuses_text_no_read_model_can_hold(api, hangzhou, bad, field, change):
    _refused(api, hangzhou, "openCase", open_case_input(**change(bad)), field)


def test_every_text_of_every_command_is_checked_and_the_read_models_keep_going(api, hangzhou, shanghai):
    case_id = _opened(hangzhou)
    _refused(api, hangzhou, "requestTransfer", {"caseId": case_id, "to": SHANGHAI, "reason": NUL}, "reason")
    _refused(api, hangzhou, "addEvidence", {"caseId": case_id, "title": SURROGATE, "sha256": SHA_A}, "title")
    _refused(api, hangzhou, "addEvidence", {"caseId": case_id, "title": "ok", "sha256": SHA_A, "description": NUL},
             "description")
    _refused(api, hangzhou, "closeCase", {"caseId": case_id, "outcome": "NO_VIOLATION", "summary": NUL}, "summary")
    _refused(api, hangzhou, "requestEvidence", {"caseId": case_id, "requested": SHANGHAI, "description": NUL},
             "description")
    request_id = hangzhou.succeed("requestEvidence", {"caseId": case_id, "requested": SHANGHAI, "description": "Bills"},
                                  "evidenceRequest { id }")["evidenceRequest"]["id"]
    _refused(api, shanghai, "fulfilEvidenceRequest",
             {"requestId": request_id, "items": [{"title": NUL, "sha256": SHA_A}]}, "items[0].title")
    _refused(api, shanghai, "refuseEvidenceRequest", {"requestId": request_id, "reason": "OTHER", "detail": NUL},
             "detail")
    _refused(api, hangzhou, "proposeJointAction",
             {"title": NUL, "caseIds": [case_id], "participants": [SHANGHAI]}, "title")
    _refused(api, hangzhou, "proposeJointAction",
             {"title": "Sweep", "objective": SURROGATE, "caseIds": [case_id], "participants": [SHANGHAI]}, "objective")
    action_id = hangzhou.succeed("proposeJointAction", {"title": "Sweep", "caseIds": [case_id], "participants": [SHANGHAI]},
                                 "jointAction { id }")["jointAction"]["id"]
    _refused(api, hangzhou, "closeJointAction", {"jointActionId": action_id, "commonPosition": NUL}, "commonPosition")
    _refused(api, shanghai, "declineJointAction", {"jointActionId": action_id, "reason": NUL}, "reason")
    _refused(api, hangzhou, "assignJointTask", {"jointActionId": action_id, "assignee": "330100", "title": NUL}, "title")
    task = hangzhou.succeed("assignJointTask", {"jointActionId": action_id, "assignee": "330100", "title": "Visit"},
                            "task { id }")["task"]["id"]
    _refused(api, hangzhou, "completeJointTask", {"jointActionId": action_id, "taskId": task, "outcome": NUL}, "outcome")
    # The store holds nothing poisonous: a later write still shows in the read models.
    later = hangzhou.succeed("openCase", open_case_input(title="After the attempts"), "case { id title }")["case"]
    assert later["title"] == "After the attempts"


@pytest.mark.parametrize("form", [
    {"grant_type": "client_credentials", "client_id": "a\x00b", "client_secret": "x"},
    {"grant_type": "client_credentials", "client_id": "ok", "client_secret": "x\x00"},
    {"grant_type": "client_credentials\x01", "client_id": "ok", "client_secret": "x"},
    {"grant_type": "client_credentials", "client_id": "ok", "client_secret": "x", "scope": "cases:read\x00"},
])
def test_token_endpoint_answers_invalid_request_for_control_characters_in_a_form_field(api, form):
    response = api.http.post("/oauth/token", data=form)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request"
    assert response.headers["cache-control"] == "no-store"


def test_token_endpoint_answers_invalid_request_for_a_nul_in_the_basic_credentials(api):
    import base64

    basic = base64.b64encode(b"a\x00b:secret").decode()
    response = api.http.post("/oauth/token", data={"grant_type": "client_credentials"},
                             headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request"


def test_authorization_endpoint_refuses_a_nul_in_its_parameters(api):
    response = api.http.get("/oauth/authorize", params={"response_type": "code", "client_id": "a\x00b"},
                            follow_redirects=False)
    assert response.status_code == 400, response.text
