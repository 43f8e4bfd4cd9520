"""`verifyCase`, `caseAccess` and `caseAsOf` rebuild a case from its events: a document costs
the events its replaying fields touch (the streams' lengths from the read model), and one that
would replay too many is refused with the cost problem before anything runs."""

from __future__ import annotations

import pytest
from conftest import HANGZHOU, SHA_A, WRITE_SCOPES

from casebridge.api.graphql.hardening import MAX_REPLAYED_EVENTS

HISTORY = WRITE_SCOPES + " history:read"
BUDGET = 10  # the test lowers the budget instead of writing thousands of events


@pytest.fixture
def historian(api):
    api.app.state.graphql.pipeline.max_replayed_events = BUDGET
    return api.caller(HANGZHOU, HISTORY)


@pytest.fixture
def long_case(historian, open_case):
    case = open_case(historian)
    for n in range(5):  # six events in all
        historian.succeed("addEvidence", {"caseId": case["id"], "title": f"Receipt {n}", "sha256": SHA_A})
    return case["id"]


def aliased(field: str, times: int, case_id: str) -> str:
    selections = {"verifyCase": "{ valid eventCount }", "caseAsOf": "{ version }", "caseAccess": "{ reason }"}[field]
    argument = {"verifyCase": "", "caseAsOf": ", version: 6", "caseAccess": ', at: "2030-01-01T00:00:00Z"'}[field]
    return "query($id: ID!) { " + " ".join(
        f'r{n}: {field}(caseId: $id{argument}) {selections}' for n in range(times)) + " }"


@pytest.mark.parametrize("field", ["verifyCase", "caseAsOf", "caseAccess"])
def test_aliased_replays_past_the_event_budget_are_refused_before_running(historian, long_case, field):
    body = historian.gql(aliased(field, 2, long_case), {"id": long_case}, status=400)
    assert "data" not in body or body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "12 events" in error["message"]


def test_replays_within_the_budget_are_served(historian, long_case):
    data = historian.data(aliased("verifyCase", 1, long_case), {"id": long_case})
    assert data["r0"] == {"valid": True, "eventCount": 6}
    fresh = historian.data(aliased("caseAsOf", 1, long_case), {"id": long_case})
    assert fresh["r0"]["version"] == 6


def test_a_case_the_caller_cannot_see_costs_nothing_and_reveals_nothing(api, long_case):
    outsider = api.caller("440300", HISTORY)
    data = outsider.data(aliased("verifyCase", 5, long_case), {"id": long_case})
    assert data == {f"r{n}": None for n in range(5)}


def test_the_budget_is_set_high_enough_for_one_long_case_and_low_enough_for_thirty_aliases():
    assert 1_000 <= MAX_REPLAYED_EVENTS < 30 * 1_000
