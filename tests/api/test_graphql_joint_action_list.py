"""`jointActions`: the board's list, only what the caller coordinates or was invited to."""

from __future__ import annotations

from conftest import HANGZHOU, SHANGHAI, SHENZHEN, SUZHOU

LIST = """query($first: Int!, $after: String) {
  jointActions(first: $first, after: $after) {
    edges { cursor node { id title coordinator { code } participants { jurisdiction { code } status } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def _propose(caller, case_id, title, participants):
    return caller.succeed("proposeJointAction", {"title": title, "caseIds": [case_id], "participants": participants},
                          "jointAction { id }")["jointAction"]["id"]


def test_the_list_shows_coordinated_and_invited_actions_newest_first_in_pages(api, open_case):
    sh, hz, sz, outsider = api.caller(SHANGHAI), api.caller(HANGZHOU), api.caller(SUZHOU), api.caller(SHENZHEN)
    case = open_case(sh)["id"]
    first = _propose(sh, case, "Livestream sweep", [HANGZHOU])
    second = _propose(sh, case, "Warehouse checks", [SUZHOU])

    page = sh.data(LIST, {"first": 1})["jointActions"]
    assert [e["node"]["id"] for e in page["edges"]] == [second] and page["pageInfo"]["hasNextPage"]
    rest = sh.data(LIST, {"first": 1, "after": page["pageInfo"]["endCursor"]})["jointActions"]
    assert [e["node"]["id"] for e in rest["edges"]] == [first] and not rest["pageInfo"]["hasNextPage"]

    assert [e["node"]["id"] for e in hz.data(LIST, {"first": 10})["jointActions"]["edges"]] == [first]
    assert [e["node"]["id"] for e in sz.data(LIST, {"first": 10})["jointActions"]["edges"]] == [second]
    assert outsider.data(LIST, {"first": 10})["jointActions"]["edges"] == []


def test_the_list_refuses_a_page_size_out_of_range_and_a_forged_cursor(api):
    sh = api.caller(SHANGHAI)
    for variables in ({"first": 0}, {"first": 101}, {"first": 5, "after": "not-a-cursor"}):
        body = sh.gql(LIST, variables)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_list_needs_the_read_scope(api):
    body = api.caller(SHANGHAI, "cases:write").gql(LIST, {"first": 5})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
