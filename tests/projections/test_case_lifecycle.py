"""The cases read model for the procedure of issue 11: disputes before the common superior
(designation petitions), the decision period, outcome details, suspension, take-over and
assignment — fed real events through the application, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from casebridge.application.app import CaseBridge
from casebridge.domain.values import CaseClockPauseReason, CaseOutcome

from .conftest import HANGZHOU, NATIONAL, NINGBO, PENALTY, SHANGHAI, ZHEJIANG, actor, open_case

NOW = datetime(2025, 1, 20, 9, 0, tzinfo=timezone(timedelta(hours=8)))  # a Monday


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(settings, clock) -> Iterator[CaseBridge]:
    application = CaseBridge(env=settings.database.eventsourcing_env(), clock=clock)
    yield application
    application.close()


def test_a_declined_transfer_shows_as_a_dispute_before_the_common_superior_until_withdrawn(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    app.request_transfer(actor(SHANGHAI), case_id, to=HANGZHOU, reason="first try")
    app.decline_transfer(actor(HANGZHOU), case_id, reason="not ours")
    catch_up()

    for viewer in (SHANGHAI, HANGZHOU, NATIONAL):  # both parties and the superior
        row = rm.cases.get(viewer, str(case_id))
        assert row.status == "DISPUTED" and row.handling_jurisdiction == SHANGHAI
        assert (row.dispute.superior, row.dispute.sender, row.dispute.receiver, row.dispute.reason) == (
            NATIONAL, SHANGHAI, HANGZHOU, "not ours")
        assert row.dispute.settle_due_at == datetime(2025, 2, 5, 15, 59, 59, tzinfo=timezone.utc)
        assert row.dispute.designation_due_at == datetime(2025, 2, 13, 15, 59, 59, tzinfo=timezone.utc)
    assert [r.id for r in rm.cases.designation_petitions(NATIONAL)] == [str(case_id)]
    [transfer] = rm.transfers.for_cases([str(case_id)])[str(case_id)]
    assert (transfer.status, transfer.decision_reason, transfer.decided_at) == ("DISPUTED", "not ours", None)
    assert rm.transfers.incoming(HANGZHOU) == [] and [t.id for t in rm.transfers.outgoing(SHANGHAI)] == [transfer.id]
    assert rm.cases.designation_petitions(ZHEJIANG) == [] and rm.cases.designation_petitions(SHANGHAI) == []

    app.withdraw_transfer(actor(SHANGHAI), case_id)
    catch_up()

    row = rm.cases.get(SHANGHAI, str(case_id))
    assert row.status == "OPEN" and row.dispute is None and row.pending_transfer is None
    assert rm.cases.designation_petitions(NATIONAL) == []
    [transfer] = rm.transfers.for_cases([str(case_id)])[str(case_id)]
    assert (transfer.receiver, transfer.status) == (HANGZHOU, "WITHDRAWN")


def test_an_old_decline_still_shows_as_declined(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    app.request_transfer(actor(SHANGHAI), case_id, to=HANGZHOU, reason="first try")
    case = app.get_case(case_id)
    case._transfer_declined(actor=actor(HANGZHOU), sender=SHANGHAI, receiver=HANGZHOU, reason="not ours")  # pre-issue-11
    app.save(case)
    catch_up()

    row = rm.cases.get(SHANGHAI, str(case_id))
    assert row.status == "OPEN" and row.pending_transfer is None and row.dispute is None
    [transfer] = rm.transfers.for_cases([str(case_id)])[str(case_id)]
    assert (transfer.status, transfer.decision_reason) == ("DECLINED", "not ours")


def test_the_decision_period_extensions_pauses_outcome_details_and_suspension_show_on_the_case(app, rm, catch_up, clock):
    me = actor(HANGZHOU)
    case_id = open_case(app, me)
    catch_up()
    assert rm.cases.get(HANGZHOU, str(case_id)).decision_due_at == datetime(2025, 4, 21, 15, 59, 59, tzinfo=timezone.utc)

    app.extend_decision_period(me, case_id, approver="Director Wang", reason="expert opinion")
    app.pause_case_clock(me, case_id, reason=CaseClockPauseReason.HEARING, detail="hearing requested")
    catch_up()
    row = rm.cases.get(HANGZHOU, str(case_id))
    assert (row.decision_due_at.date(), row.decision_extensions) == (datetime(2025, 5, 20).date(), 1)
    assert (row.decision_clock_paused_on, row.decision_pause_reason) == ("2025-01-20", "HEARING")

    clock.now += timedelta(days=10)
    app.resume_case_clock(me, case_id)
    app.suspend_case(me, case_id, reason="court proceedings first")
    catch_up()
    row = rm.cases.get(HANGZHOU, str(case_id))
    assert row.decision_due_at.date() == datetime(2025, 5, 30).date() and row.decision_clock_paused_on is None
    assert (row.status, row.suspension_reason) == ("SUSPENDED", "court proceedings first")

    app.resume_case(me, case_id)
    app.close_case(me, case_id, outcome=CaseOutcome.PENALTY_DECISION, details=PENALTY)
    catch_up()
    row = rm.cases.get(HANGZHOU, str(case_id))
    assert (row.status, row.suspension_reason, row.outcome) == ("CLOSED", None, "PENALTY_DECISION")
    assert row.outcome_details == {"decision_number": PENALTY.decision_number, "amount_fen": PENALTY.amount_fen,
                                   "legal_basis": PENALTY.legal_basis}


def test_a_superior_taking_a_case_up_and_handing_it_down_moves_the_case_and_its_sight(app, rm, catch_up):
    case_id = open_case(app, actor(HANGZHOU))
    app.take_over_case(actor(ZHEJIANG), case_id, reason="province-wide")
    catch_up()
    row = rm.cases.get(ZHEJIANG, str(case_id))
    assert row.handling_jurisdiction == ZHEJIANG and rm.cases.access(HANGZHOU, str(case_id)) == {"FORMER_HANDLER"}

    app.assign_case(actor(ZHEJIANG), case_id, jurisdiction=NINGBO, reason="warehouse in Ningbo")
    catch_up()
    assert rm.cases.get(NINGBO, str(case_id)).handling_jurisdiction == NINGBO
    assert rm.cases.access(NINGBO, str(case_id)) == {"HANDLING"}


def test_a_transfer_disputed_and_then_accepted_in_later_batches_ends_accepted(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    app.request_transfer(actor(SHANGHAI), case_id, to=HANGZHOU, reason="first try")
    catch_up()
    app.decline_transfer(actor(HANGZHOU), case_id, reason="not ours")
    catch_up()
    assert [t.status for t in rm.transfers.for_cases([str(case_id)])[str(case_id)]] == ["DISPUTED"]

    app.accept_transfer(actor(HANGZHOU), case_id)  # the receiver settles after all
    catch_up()

    [transfer] = rm.transfers.for_cases([str(case_id)])[str(case_id)]
    assert transfer.status == "ACCEPTED" and transfer.decided_at is not None
    row = rm.cases.get(HANGZHOU, str(case_id))
    assert (row.status, row.handling_jurisdiction, row.dispute) == ("OPEN", HANGZHOU, None)
