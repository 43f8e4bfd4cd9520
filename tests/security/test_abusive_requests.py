"""Abusive requests are refused with a code and change nothing: oversized bodies, deep and
wide queries, alias and fragment bombs, invalid UTF-8, and SQL-injection strings in every
argument and filter field (the event log's head and every table's row count stay put)."""

from __future__ import annotations

import json

import pytest

from casebridge.api.graphql.hardening import MAX_BODY_BYTES, MAX_DEPTH
from casebridge.domain.values import Actor, CaseCategory, Subject, SubjectKind

from .conftest import Caller, Served, assert_safe

INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE rm_cases; --",
    "\"; DROP TABLE casebridge_events; --",
    "1) OR (1=1",
    "x' UNION SELECT client_id, secret_hash FROM oauth_clients --",
    "%' OR title LIKE '%",
    "\\'; SELECT pg_sleep(5); --",
    "00000000-0000-0000-0000-000000000000' OR '1'='1",
    "_%",
    "\u0000",
    "$1",
    "?",
]

NEST = "parent { " * (MAX_DEPTH + 5) + "code" + " }" * (MAX_DEPTH + 5)


def doc(query: str, **extra) -> bytes:
    return json.dumps({"query": query, **extra}).encode()


ABUSES = {
    "oversized body": (doc("{ me { clientId } }", pad="x" * (MAX_BODY_BYTES + 1)), 413),
    "deep query": (doc("{ jurisdictions { " + NEST + " } }"), 400),
    "wide query": (doc("{ " + " ".join(f"j{i}: jurisdictions {{ code name parent {{ code }} }}" for i in range(25))
                       + " " + " ".join("jurisdictions { code name }" for _ in range(400)) + " }"), 400),
    "alias bomb": (doc("{ " + " ".join(f"a{i}: cases(first: 100) {{ edges {{ node {{ id }} }} }}"
                                       for i in range(200)) + " }"), 400),
    "fragment bomb": (doc("query { ...F0 } " + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}"
                                                        for i in range(30)) + " fragment F30 on Query { me { clientId } }"), 400),
    "cyclic fragments": (doc("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"), 400),
    "invalid UTF-8 in the body": (b'{"query": "{ me { clientId \xff\xfe } }"}', 400),
    "invalid UTF-8 in a string": (b'{"query": "{ case(id: \\"\xc3\\") { id } }"}', 400),
    "lone surrogate escape": (b'{"query": "{ case(id: \\"\\ud800\\") { id } }"}', 400),
    "deeply nested variables": (b'{"query": "query($v: String) { me { clientId } }", "variables": {"v": '
                                + b"[" * 900 + b"]" * 900 + b"}}", 400),
    "many variables": (doc("{ me { clientId } }", variables={f"v{i}": i for i in range(9000)}), 413),
    "deeply nested JSON": (b'{"query": "{ me { clientId } }", "variables": {"v": ' + b"[" * 5000 + b"]" * 5000 + b"}}", 400),
}


def counts(served: Served) -> dict[str, int]:
    """The log head and the row count of every table: what an injection could change."""
    db = served.app.state.db
    if db.is_sqlite:
        tables = [r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
    else:
        tables = [r[0] for r in db.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    return {"head": served.head(), **{t: db.query_one(f'SELECT COUNT(*) FROM "{t}"')[0] for t in tables}}


@pytest.fixture
def world(served: Served) -> dict[str, str]:
    app = served.application
    me = Actor("client-330100", "330100")
    case_id = app.open_case(me, title="Fake cosmetics", summary="s", category=CaseCategory.COUNTERFEIT,
                            subject=Subject.create("Beauty Shop", SubjectKind.LIVESTREAM_SELLER)).aggregate_id
    request = app.request_evidence(me, case_id, requested="310000", description="orders").aggregate_id
    action = app.propose_joint_action(me, title="Op", objective=None, case_ids=[case_id],
                                      participants=["310000"]).aggregate_id
    served.settle()
    return {"case": str(case_id), "request": str(request), "action": str(action)}


@pytest.fixture
def outsider(served: Served) -> Caller:
    return served.caller("440300")


@pytest.mark.parametrize("abuse", sorted(ABUSES))
def test_an_abusive_request_is_refused_with_a_code_and_changes_nothing(served, world, outsider, abuse):
    body, status = ABUSES[abuse]
    before = counts(served)
    response = outsider.raw(body)
    assert_safe(response)
    assert response.status_code == status, (abuse, response.status_code, response.text[:500])
    payload = response.json()
    assert payload["errors"] and all(e["extensions"]["code"] for e in payload["errors"])
    assert counts(served) == before


QUERIES = [
    ("case", "query($v: ID!) { case(id: $v) { id title } }"),
    ("evidenceRequest", "query($v: ID!) { evidenceRequest(id: $v) { id } }"),
    ("jointAction", "query($v: ID!) { jointAction(id: $v) { id } }"),
    ("caseHistory", "query($v: ID!) { caseHistory(caseId: $v) { edges { node { type } } } }"),
    ("caseHistory.after", "query($v: String, $id: ID!) { caseHistory(caseId: $id, after: $v) { edges { node { type } } } }"),
    ("caseAsOf", "query($v: ID!) { caseAsOf(caseId: $v, version: 1) { id } }"),
    ("caseAsOf.at", "query($v: DateTime, $id: ID!) { caseAsOf(caseId: $id, at: $v) { id } }"),
    ("verifyCase", "query($v: ID!) { verifyCase(caseId: $v) { valid } }"),
    ("caseAccess.at", "query($v: DateTime!, $id: ID!) { caseAccess(caseId: $id, at: $v) { reason } }"),
    ("cases.after", "query($v: String) { cases(first: 5, after: $v) { edges { node { id } } } }"),
    ("cases.filter.text", "query($v: String) { cases(first: 5, filter: {text: $v}) { edges { node { id } } } }"),
    ("cases.filter.handlingJurisdiction",
     "query($v: String) { cases(first: 5, filter: {handlingJurisdiction: $v}) { edges { node { id } } } }"),
    ("cases.filter.status", "query($v: CaseStatus) { cases(first: 5, filter: {status: $v}) { edges { node { id } } } }"),
]
MUTATIONS = [
    ("requestTransfer", {"caseId": "$v", "to": "310000", "reason": "r"}),
    ("requestTransfer.to", {"caseId": "$case", "to": "$v", "reason": "r"}),
    ("acceptTransfer", {"caseId": "$v"}),
    ("addEvidence", {"caseId": "$v", "title": "t", "sha256": "a" * 64}),
    ("addEvidence.sha256", {"caseId": "$case", "title": "t", "sha256": "$v"}),
    ("closeCase", {"caseId": "$v", "outcome": "NO_VIOLATION"}),
    ("requestEvidence.requested", {"caseId": "$case", "requested": "$v", "description": "d"}),
    ("fulfilEvidenceRequest", {"requestId": "$v", "items": [{"title": "t", "sha256": "a" * 64}]}),
    ("refuseEvidenceRequest", {"requestId": "$v", "reason": "OTHER"}),
    ("joinJointAction", {"jointActionId": "$v"}),
    ("proposeJointAction.participants", {"title": "t", "caseIds": ["$case"], "participants": ["$v"]}),
    ("designateJurisdiction.jurisdiction", {"caseId": "$case", "jurisdiction": "$v", "reason": "r"}),
]


def test_injection_strings_in_every_argument_and_filter_change_nothing_and_leak_nothing(served, world):
    owner = served.caller("330100")  # the case's handler: injections meet the code paths that do work
    stranger = served.caller("440300")
    before = counts(served)
    refusals = 0
    for caller in (owner, stranger):
        for text in INJECTIONS:
            for name, query in QUERIES:
                variables = {"v": text, "id": world["case"]}
                if name == "cases.filter.status":
                    variables["v"] = text.strip() or None
                response = caller.post(query, variables)
                assert_safe(response)
                body = response.json()
                if body.get("errors"):
                    refusals += 1
                    continue
                payload = next(iter(body["data"].values()))
                if isinstance(payload, dict) and "edges" in payload:  # a list: only what the caller sees
                    assert all(e["node"].get("id", world["case"]) == world["case"] for e in payload["edges"]), body
                    assert caller is owner or payload["edges"] == [], body
                elif payload is not None:
                    assert caller is owner and name.endswith((".after", ".at")), (name, text, body)
            for name, fields in MUTATIONS:
                mutation = name.split(".")[0]
                value = {k: _fill(v, text, world) for k, v in fields.items()}
                query = (f"mutation($input: {mutation[0].upper()}{mutation[1:]}Input!) {{ {mutation}(input: $input) "
                         "{ __typename ... on Problem { code } } }")
                response = caller.post(query, {"input": value})
                assert_safe(response)
                body = response.json()
                if body.get("errors"):
                    refusals += 1
                    continue
                result = body["data"][mutation]
                assert result["__typename"] != f"{mutation[0].upper()}{mutation[1:]}Success", (name, text, result)
                assert result["code"] in ("NOT_FOUND", "VALIDATION", "INVALID_STATE", "FORBIDDEN"), result
    assert refusals > 0
    assert counts(served) == before


def _fill(value, text: str, world: dict[str, str]):
    if value == "$v":
        return text
    if value == "$case":
        return world["case"]
    if isinstance(value, list):
        return [_fill(v, text, world) for v in value]
    return value
