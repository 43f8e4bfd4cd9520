"""Query arguments that cannot be what they claim answer VALIDATION (filters) or nothing (ids),
never INTERNAL: on PostgreSQL a NUL never reaches a text column, on SQLite a huge text never
becomes a LIKE pattern."""

from __future__ import annotations

import base64
import json

import pytest

from tests.api.conftest import open_case_input

BAD_IDS = ["a\u0000b", "a\ud800b", "x" * 60_000, "00000000-0000-0000-0000-00000000000\u0000"]


def _post(caller, query: str, variables: dict) -> dict:
    body = json.dumps({"query": query, "variables": variables})  # \\u escapes, as clients send them
    response = caller.api.http.post("/graphql", content=body, headers={
        "Authorization": f"Bearer {caller.token}", "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize("field", ["case", "evidenceRequest", "jointAction"])
def test_an_ill_formed_id_names_nothing(hangzhou, field, bad):
    body = _post(hangzhou, f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": bad})
    assert body == {"data": {field: None}}


@pytest.mark.parametrize("bad", BAD_IDS)
def test_an_ill_formed_case_id_names_nothing_in_the_history_queries(api, make_api, settings, bad):
    caller = api.caller("330100", scope="cases:read history:read")
    body = _post(caller, "query($id: ID!) { verifyCase(caseId: $id) { valid } caseHistory(caseId: $id) { edges { cursor } } }",
                 {"id": bad})
    assert body == {"data": {"verifyCase": None, "caseHistory": None}}


@pytest.mark.parametrize(("filter", "field"), [
    ({"text": "a\u0000b"}, "filter.text"),
    ({"text": "a\ud800b"}, "filter.text"),
    ({"text": "%" * 60_000}, "filter.text"),
    ({"handlingJurisdiction": "33\u00000100"}, "filter.handlingJurisdiction"),
])
def test_a_filter_that_no_column_can_match_answers_validation_naming_it(hangzhou, filter, field):
    hangzhou.succeed("openCase", open_case_input())
    body = _post(hangzhou, "query($f: CaseFilter) { cases(first: 5, filter: $f) { edges { cursor } } }", {"f": filter})
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION", error
    assert error["extensions"]["field"] == field


def test_an_ordinary_filter_text_still_finds_the_case(hangzhou):
    hangzhou.succeed("openCase", open_case_input(title="Forged chargers"))
    found = hangzhou.data('{ cases(first: 5, filter: {text: "forged"}) { edges { node { title } } } }')
    assert [e["node"]["title"] for e in found["cases"]["edges"]] == ["Forged chargers"]


@pytest.mark.parametrize("parts", [["2026-01-01T00:00:00+00:00", "a\u0000b"], ["not a time", "x"]])
def test_an_altered_cursor_is_refused_as_not_issued(hangzhou, parts):
    cursor = base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")
    body = _post(hangzhou, "query($after: String) { cases(first: 5, after: $after) { edges { cursor } } }",
                 {"after": cursor})
    [error] = body["errors"]
    assert error["extensions"]["code"] != "INTERNAL", error
