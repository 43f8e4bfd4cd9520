"""Races on one case between separate CaseBridge instances on the same database (as separate
API processes would be): with an expected version exactly one wins; without one, every
command is decided again on fresh state until it is applied."""

from __future__ import annotations

from collections import Counter

from domain.helpers import HANGZHOU, NINGBO, SHANGHAI, SUZHOU, actor, evidence_item

from casebridge.application.errors import ConflictError
from casebridge.application.idempotency import CommandResult

N = 8
TARGETS = [SHANGHAI, SUZHOU, NINGBO, "320100", "320200", "330700", "340100", "350200"]


def test_conflicting_transfers_at_the_same_expected_version_let_exactly_one_win(app, make_app, case_id, run_together, log_length):
    apps = [make_app() for _ in range(N)]
    before = log_length()

    outcomes = run_together([
        (lambda a=a, to=to: a.request_transfer(actor(HANGZHOU), case_id, to=to, reason=f"to {to}", expected_version=1))
        for a, to in zip(apps, TARGETS, strict=True)
    ])

    assert Counter(type(o) for o in outcomes) == {CommandResult: 1, ConflictError: N - 1}
    (winner,) = [to for to, o in zip(TARGETS, outcomes, strict=True) if isinstance(o, CommandResult)]
    case = app.get_case(case_id)
    assert case.version == 2 and case.pending_transfer.to == winner
    assert log_length() == before + 1


def test_concurrent_evidence_without_an_expected_version_is_all_applied(app, make_app, case_id, run_together):
    apps = [make_app() for _ in range(N)]

    outcomes = run_together([
        (lambda a=a, n=n: a.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(n)))
        for n, a in enumerate(apps)
    ])

    assert all(isinstance(o, CommandResult) for o in outcomes), outcomes
    assert sorted(o.version for o in outcomes) == list(range(2, N + 2))
    case = app.get_case(case_id)
    assert case.version == 1 + N
    assert sorted(i.sha256 for i in case.evidence.values()) == sorted(evidence_item(n).sha256 for n in range(N))
    assert set(case.evidence) == {o.detail for o in outcomes}


def test_cases_opened_concurrently_get_distinct_consecutive_references(app, make_app, open_case, run_together):
    apps = [make_app() for _ in range(N)]

    outcomes = run_together([(lambda a=a: open_case(HANGZHOU, on=a)) for a in apps])

    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    references = sorted(app.get_case(case_id).reference for case_id in outcomes)
    assert references == [f"330100-2025-{n:05d}" for n in range(1, N + 1)]
