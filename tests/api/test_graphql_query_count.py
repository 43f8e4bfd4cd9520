"""A page of cases with everything under it costs the same few SQL queries whatever its size."""

from __future__ import annotations

from contextlib import contextmanager

from conftest import HANGZHOU, SHA_A, SHANGHAI, SUZHOU

from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind

PAGE = """query($first: Int!) { cases(first: $first) { edges { node {
  id title status version handlingJurisdiction { code name } pendingTransfer { to { code } reason }
  subject { name kind } participants { jurisdiction { code } role }
  evidence { title sha256 collectedBy { code } }
  transfers { status to { code } }
  evidenceRequests { id status overdue requested { code } items { title } case { id } }
  jointActions { id title participants { jurisdiction { code } status } tasks { title assignee { code } } }
} } pageInfo { hasNextPage endCursor } } }"""


class ReadModelQueries:
    """Counts the statements that read the read models (tables `rm_*`)."""

    def __init__(self, db) -> None:
        self.count = 0
        self._transaction = db.transaction

    @contextmanager
    def transaction(self, *args, **kwargs):
        with self._transaction(*args, **kwargs) as cur:
            yield _CountingCursor(cur, self)


class _CountingCursor:
    def __init__(self, cur, counter: ReadModelQueries) -> None:
        self._cur, self._counter = cur, counter

    def execute(self, sql, params=()):
        if "rm_" in sql:
            self._counter.count += 1
        return self._cur.execute(sql, params)

    def __getattr__(self, name):
        return getattr(self._cur, name)


def seed(api, cases: int) -> None:
    """Cases in Hangzhou; some transferred to Shanghai, with evidence, requests to Suzhou and joint actions."""
    app = api.application
    hangzhou, shanghai, suzhou = Actor("seed-hz", HANGZHOU), Actor("seed-sh", SHANGHAI), Actor("seed-sz", SUZHOU)
    subject = Subject.create("Seller", SubjectKind.MARKETPLACE_SELLER)
    for n in range(cases):
        case_id = app.open_case(hangzhou, title=f"Case {n}", summary="s", subject=subject,
                                category=CaseCategory.PRICING).aggregate_id
        if n % 3 == 0:
            app.add_evidence(hangzhou, case_id, item=EvidenceItem.create("Receipt", SHA_A))
        if n % 4 == 0:
            app.request_transfer(hangzhou, case_id, to=SHANGHAI, reason="moved")
        if n % 5 == 0:
            request_id = app.request_evidence(hangzhou, case_id, requested=SUZHOU, description="ledger").aggregate_id
            app.fulfil_evidence_request(suzhou, request_id, items=[EvidenceItem.create("Ledger", SHA_A)])
        if n % 7 == 0:
            action_id = app.propose_joint_action(hangzhou, title=f"Action {n}", objective=None, case_ids=[case_id],
                                                 participants=[SUZHOU]).aggregate_id
            app.join_joint_action(suzhou, action_id)
            app.assign_joint_task(hangzhou, action_id, assignee=SUZHOU, title="Seal")
    del shanghai
    api.app.state.runtime.wait_for(app.max_position(), 30)


def test_a_page_of_fifty_cases_with_their_relations_costs_as_many_queries_as_a_page_of_five(api, hangzhou, monkeypatch):
    seed(api, 50)
    counter = ReadModelQueries(api.app.state.db)
    monkeypatch.setattr(api.app.state.db, "transaction", counter.transaction)

    counts = {}
    for first in (5, 50):
        counter.count = 0
        page = hangzhou.data(PAGE, {"first": first})["cases"]
        assert len(page["edges"]) == first
        counts[first] = counter.count

    assert counts[5] == counts[50], counts
    # The page, then one batch per relation; a case's evidence takes two (its own, and the items
    # of answered evidence requests from the evidence-requests read model).
    assert counts[50] <= 10, counts
    nodes = [edge["node"] for edge in hangzhou.data(PAGE, {"first": 50})["cases"]["edges"]]
    assert sum(len(n["evidenceRequests"]) for n in nodes) == 10
    assert sum(len(n["jointActions"]) for n in nodes) == 8
    assert sum(1 for n in nodes if n["pendingTransfer"]) == 13
