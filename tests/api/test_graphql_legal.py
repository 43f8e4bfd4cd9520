"""The legal operations over real HTTP with real tokens: history, as-of, verification, access."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import HANGZHOU, SHA_A, SHANGHAI, SHENZHEN, SUZHOU, ZHEJIANG, WRITE_SCOPES

LEGAL = WRITE_SCOPES + " history:read"

HISTORY = """query($id: ID!, $first: Int!, $after: String) {
  caseHistory(caseId: $id, first: $first, after: $after) {
    edges { cursor node { position streamType version type occurredAt actor { clientId jurisdiction } data digest } }
    pageInfo { hasNextPage endCursor }
  }
}"""
AS_OF = """query($id: ID!, $version: Int, $at: DateTime) {
  caseAsOf(caseId: $id, version: $version, at: $at) {
    version asOf status handlingJurisdiction { code } formerHandlers { code }
    pendingTransfer { to { code } reason } evidence { title sha256 }
  }
}"""
VERIFY = "query($id: ID!) { verifyCase(caseId: $id) { valid eventCount headDigest firstInvalidVersion problem checkpoint { version } } }"
ACCESS = "query($id: ID!, $at: DateTime!) { caseAccess(caseId: $id, at: $at) { jurisdiction { code } reason source } }"


@pytest.fixture
def story(api, open_case):
    """Hangzhou opens a case, adds evidence, transfers it to Shanghai; Shanghai accepts and
    asks Suzhou for evidence, which Suzhou fulfils."""
    hz, sh, sz = api.caller(HANGZHOU, LEGAL), api.caller(SHANGHAI, LEGAL), api.caller(SUZHOU, LEGAL)
    case = open_case(hz)["id"]
    hz.succeed("addEvidence", {"caseId": case, "title": "Test purchase", "sha256": SHA_A})
    hz.succeed("requestTransfer", {"caseId": case, "to": SHANGHAI, "reason": "Seller registered in Shanghai"})
    sh.succeed("acceptTransfer", {"caseId": case})
    request = sh.succeed("requestEvidence", {"caseId": case, "requested": SUZHOU, "description": "Sales records"},
                         "evidenceRequest { id }")["evidenceRequest"]["id"]
    sz.succeed("fulfilEvidenceRequest", {"requestId": request, "items": [{"title": "Ledger", "sha256": "c" * 64}]})
    return hz, sh, sz, case, request


def test_case_history_lists_every_event_with_actor_data_and_digest(story):
    hz, sh, sz, case, request = story
    history = sh.data(HISTORY, {"id": case, "first": 50})["caseHistory"]
    nodes = [e["node"] for e in history["edges"]]
    assert [n["type"] for n in nodes] == [
        "Case.Opened", "Case.EvidenceAdded", "Case.TransferRequested", "Case.TransferAccepted",
        "EvidenceRequest.Requested", "EvidenceRequest.Fulfilled",
    ]
    accepted = nodes[3]
    assert accepted["actor"] == {"clientId": sh.client_id, "jurisdiction": SHANGHAI}
    assert accepted["data"] == {"sender": HANGZHOU, "receiver": SHANGHAI}
    assert nodes[2]["data"]["reason"] == "Seller registered in Shanghai"
    assert all(len(n["digest"]) == 64 for n in nodes) and not history["pageInfo"]["hasNextPage"]
    positions = [n["position"] for n in nodes]
    assert positions == sorted(positions)


def test_case_history_pages_by_cursor(story):
    hz, sh, sz, case, request = story
    first = sh.data(HISTORY, {"id": case, "first": 4})["caseHistory"]
    assert first["pageInfo"]["hasNextPage"]
    rest = sh.data(HISTORY, {"id": case, "first": 4, "after": first["pageInfo"]["endCursor"]})["caseHistory"]
    types = [e["node"]["type"] for e in first["edges"] + rest["edges"]]
    assert len(types) == 6 and not rest["pageInfo"]["hasNextPage"]


def test_a_former_handler_sees_the_case_history_but_not_requests_it_is_no_party_to(story):
    hz, sh, sz, case, request = story
    nodes = [e["node"]["type"] for e in hz.data(HISTORY, {"id": case, "first": 50})["caseHistory"]["edges"]]
    assert nodes == ["Case.Opened", "Case.EvidenceAdded", "Case.TransferRequested", "Case.TransferAccepted"]


def test_case_as_of_a_version_shows_who_handled_it_then(story):
    hz, sh, sz, case, request = story
    then = sh.data(AS_OF, {"id": case, "version": 3})["caseAsOf"]
    assert then["handlingJurisdiction"]["code"] == HANGZHOU and then["formerHandlers"] == []
    assert then["pendingTransfer"] == {"to": {"code": SHANGHAI}, "reason": "Seller registered in Shanghai"}
    assert then["evidence"] == [{"title": "Test purchase", "sha256": SHA_A}]
    now = sh.data(AS_OF, {"id": case, "version": 4})["caseAsOf"]
    assert now["handlingJurisdiction"]["code"] == SHANGHAI and now["formerHandlers"] == [{"code": HANGZHOU}]


def test_case_as_of_a_time_takes_the_last_event_at_or_before_it(story):
    hz, sh, sz, case, request = story
    as_of_v2 = sh.data(AS_OF, {"id": case, "version": 2})["caseAsOf"]["asOf"]
    state = sh.data(AS_OF, {"id": case, "at": as_of_v2})["caseAsOf"]
    assert state["version"] == 2
    assert sh.data(AS_OF, {"id": case, "at": "2001-01-01T00:00:00+00:00"})["caseAsOf"] is None
    later = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    assert sh.data(AS_OF, {"id": case, "at": later})["caseAsOf"]["version"] == 4


def test_case_as_of_needs_exactly_one_of_version_and_time(story):
    hz, sh, sz, case, request = story
    body = sh.gql(AS_OF, {"id": case})
    assert body["data"]["caseAsOf"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "version" in body["errors"][0]["message"]


def test_verify_case_reports_a_valid_chain_and_its_checkpoint(story, api):
    hz, sh, sz, case, request = story
    result = sh.data(VERIFY, {"id": case})["verifyCase"]
    assert result["valid"] and result["eventCount"] == 4 and len(result["headDigest"]) == 64
    assert result["firstInvalidVersion"] is None and result["checkpoint"] is None
    from casebridge.infra.audit.checkpoints import Checkpointer

    Checkpointer(api.app.state.db).checkpoint()
    assert sh.data(VERIFY, {"id": case})["verifyCase"]["checkpoint"] == {"version": 4}


def test_verify_case_finds_a_stored_event_changed_behind_the_services_back(story, api):
    hz, sh, sz, case, request = story
    db = api.app.state.db
    table, key = ("stored_events", case.replace("-", "")) if db.is_sqlite else ("casebridge_events", case)
    state = bytes(db.query_one(f"SELECT state FROM {table} WHERE originator_id = ? AND originator_version = 2", (key,))[0])
    db.execute(f"UPDATE {table} SET state = ? WHERE originator_id = ? AND originator_version = 2",
               (state.replace(b"Test purchase", b"Test purchasE"), key))
    result = sh.data(VERIFY, {"id": case})["verifyCase"]
    assert not result["valid"] and result["firstInvalidVersion"] == 2  # the changed event, not its successor


def test_case_access_names_who_could_see_the_case_on_a_date_and_why(story):
    hz, sh, sz, case, request = story
    later = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    grants = {(g["jurisdiction"]["code"], g["reason"]) for g in sh.data(ACCESS, {"id": case, "at": later})["caseAccess"]}
    assert grants == {
        (SHANGHAI, "HANDLING"), (HANGZHOU, "FORMER_HANDLER"), ("100000", "SUPERVISING_ANCESTOR"),
        (SHANGHAI, "EVIDENCE_REQUEST_PARTY"), (SUZHOU, "EVIDENCE_REQUEST_PARTY"),
    }
    # Hangzhou may see the case, but not the request between Shanghai and Suzhou: no source id for it.
    assert all(g["source"] is None for g in hz.data(ACCESS, {"id": case, "at": later})["caseAccess"])


@pytest.mark.parametrize("query, variables", [
    (HISTORY, {"first": 10}), (AS_OF, {"version": 1}), (VERIFY, {}), (ACCESS, {"at": "2030-01-01T00:00:00Z"}),
])
def test_an_invisible_case_has_no_history_for_an_outsider(story, api, query, variables):
    hz, sh, sz, case, request = story
    outsider = api.caller(SHENZHEN, LEGAL)
    body = outsider.gql(query, {"id": case, **variables})
    assert "errors" not in body and list(body["data"].values()) == [None]


@pytest.mark.parametrize("query, variables", [
    (HISTORY, {"first": 10}), (AS_OF, {"version": 1}), (VERIFY, {}), (ACCESS, {"at": "2030-01-01T00:00:00Z"}),
])
def test_the_legal_operations_need_the_history_scope(story, api, query, variables):
    hz, sh, sz, case, request = story
    without = api.caller(SHANGHAI, WRITE_SCOPES)
    body = without.gql(query, {"id": case, **variables})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert list(body["data"].values()) == [None]


def test_a_supervising_province_reads_the_history_of_its_citys_case(api, open_case):
    hz = api.caller(HANGZHOU, LEGAL)
    case = open_case(hz)["id"]
    zhejiang = api.caller(ZHEJIANG, "cases:read history:read")
    nodes = zhejiang.data(HISTORY, {"id": case, "first": 5})["caseHistory"]["edges"]
    assert [e["node"]["type"] for e in nodes] == ["Case.Opened"]
