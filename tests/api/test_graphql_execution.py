"""The fast execution path answers exactly what graphql-core's ordinary path answers: the
same data in the same key order, the same errors at the same paths, the same nulls."""

from __future__ import annotations

import json

import pytest
from conftest import SHA_A, SHANGHAI, SUZHOU
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from casebridge.api.graphql.context import GraphQLContext
from casebridge.api.graphql.execution import FastPathExecutor, GraphQLPipeline
from casebridge.api.graphql.schema import schema

QUERIES = [
    """query($first: Int!, $withRequests: Boolean!) { cases(first: $first) { edges { cursor node {
      __typename id reference title status category version openedAt updatedAt legalBasis outcome
      handlingJurisdiction { code name nameEn parent { code parent { code } } }
      subject { name kind identifier productCodes } pendingTransfer { from { code } to { code name } reason requestedAt }
      participants { jurisdiction { code } role } evidence { id title sha256 collectedBy { code } collectedAt }
      transfers { id status from { code } to { code } decidedAt decisionReason case { id } }
      evidenceRequests @include(if: $withRequests) { id status overdue dueAt items { title } case { title }
        applicant { code } requested { code } }
      jointActions { id status participants { jurisdiction { code } status reason } cases { id } tasks { id status assignee { code } } }
      ...Names
    } } pageInfo { hasNextPage endCursor } } }
    fragment Names on Case { t: title ref: reference h: handlingJurisdiction { n: name } }""",
    """{ inbox { incomingTransfers { id case { id title } from { code } }
      evidenceRequests { id case { id } } jointActionInvitations { id title coordinator { code } } } }""",
    "{ me { clientId jurisdiction { code name parent { name } } scopes } jurisdictions { code name parent { code } } }",
]


@pytest.fixture
def world(api, hangzhou, shanghai, suzhou, open_case):
    for n in range(3):
        case = open_case(hangzhou, title=f"Case {n}", legalBasis="Art. 1" if n else None)
        hangzhou.succeed("addEvidence", {"caseId": case["id"], "title": "Receipt", "sha256": SHA_A})
        if n == 0:
            hangzhou.succeed("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "moved"})
        if n == 1:
            hangzhou.succeed("requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "ledger"})
            action = hangzhou.succeed("proposeJointAction", {"title": "Sweep", "caseIds": [case["id"]],
                                                             "participants": [SUZHOU, SHANGHAI]}, "jointAction { id }")
            suzhou.succeed("joinJointAction", {"jointActionId": action["jointAction"]["id"]})
    return hangzhou


def run(api, caller, query: str, variables: dict | None, executor) -> tuple[str, list]:
    services = api.app.state.graphql
    principal = services.validate_token(caller.token)
    prepared = services.documents.prepare(query)
    assert not prepared.errors, prepared.errors
    context = GraphQLContext(services, principal, "test")
    result = GraphQLPipeline(schema._schema, services.documents, executor).execute(prepared, context, variables, None)
    errors = [e.formatted for e in result.errors or []]
    return json.dumps(result.data), errors  # a string: key order counts


@pytest.mark.parametrize("query", QUERIES, ids=["cases", "inbox", "viewer"])
def test_the_fast_path_answers_what_the_ordinary_path_answers(api, world, shanghai, query, monkeypatch):
    compiled = []
    compile_field = FastPathExecutor._compile_field
    monkeypatch.setattr(FastPathExecutor, "_compile_field",
                        lambda self, *args: compiled.append(compile_field(self, *args)) or compiled[-1])
    for caller in (world, shanghai):
        for with_requests in (True, False):
            variables = {"first": 10, "withRequests": with_requests} if "$first" in query else None
            fast = run(api, caller, query, variables, FastPathExecutor)
            ordinary = run(api, caller, query, variables, StrawberryGraphQLCoreExecutionContext)
            assert fast == ordinary
            assert fast[0] != "null"
    assert compiled, "the fast path was not taken at all"


def test_an_error_deep_in_a_page_nulls_and_reports_the_same_way_on_both_paths(api, world, monkeypatch):
    services = api.app.state.graphql
    known = services.jurisdiction

    def failing(code):
        if code == SHANGHAI:
            raise RuntimeError("registry unavailable")
        return known(code)

    monkeypatch.setattr(type(services), "jurisdiction", lambda self, code: failing(code))
    for query in ("""{ cases(first: 10) { edges { node { id pendingTransfer { to { code } reason } } } } }""",
                  """{ cases(first: 10) { edges { node { id transfers { to { code } } } } } }"""):
        fast = run(api, world, query, None, FastPathExecutor)
        ordinary = run(api, world, query, None, StrawberryGraphQLCoreExecutionContext)
        assert fast == ordinary
        assert [e["extensions"]["code"] for e in fast[1]] == ["INTERNAL"]
        assert fast[1][0]["path"][:3] == ["cases", "edges", 2]


def test_a_selection_that_depends_on_variables_follows_each_request_s_variables(world):
    query = """query($withTitle: Boolean!) { cases(first: 1) { edges { node { id title @include(if: $withTitle) } } } }"""
    with_title = world.data(query, {"withTitle": True})["cases"]["edges"][0]["node"]
    without = world.data(query, {"withTitle": False})["cases"]["edges"][0]["node"]
    assert set(with_title) == {"id", "title"} and set(without) == {"id"}
