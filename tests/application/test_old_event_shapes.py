"""Events are forever: histories recorded before issue 11 (an `Opened` without a filing date, a
`TransferDeclined` that returned the case, a `Closed` without details) load from both stores."""

from __future__ import annotations

import json
from datetime import date

from domain.helpers import HANGZHOU, REGISTRY, SHANGHAI, SUBJECT, actor

from casebridge.application.chain import GENESIS, PREV_KEY, stored_digest, verify_stream
from casebridge.domain.case import Case
from casebridge.domain.values import CaseCategory, CaseOutcome, CaseStatus


def store_in_old_shape(app, events, drop: dict[str, tuple[str, ...]]) -> None:
    """Store `events` as the code before issue 11 did: without the fields it did not have and
    without a class version, chained as the store chains them."""
    prev = GENESIS
    stored = []
    for event in events:
        s = app.mapper.to_stored_event(event)
        state = json.loads(bytes(s.state))
        state.pop("class_version", None)
        for name in drop.get(type(event).__name__, ()):
            state.pop(name)
        state[PREV_KEY] = prev
        s = type(s)(originator_id=s.originator_id, originator_version=s.originator_version, topic=s.topic,
                    state=json.dumps(state, separators=(",", ":")).encode())
        prev = stored_digest(s)
        stored.append(s)
    app.recorder.insert_events(stored)


def test_a_history_recorded_before_disputes_clocks_and_outcome_details_still_loads(app):
    case = Case.open(actor=actor(HANGZHOU), reference="330100-2024-00009", title="Old case", summary="Recorded in 2024",
                     subject=SUBJECT, category=CaseCategory.COUNTERFEIT)
    case.request_transfer(actor(HANGZHOU), to=SHANGHAI, reason="Registered there", registry=REGISTRY)
    case._transfer_declined(actor=actor(SHANGHAI), sender=HANGZHOU, receiver=SHANGHAI, reason="Not ours")
    case._closed(actor=actor(HANGZHOU), outcome=CaseOutcome.PENALTY_DECISION, summary="Fine", details=None)
    store_in_old_shape(app, case.collect_events(), {"Opened": ("filed_on", "decision_due_at"), "Closed": ("details",)})

    loaded = app.get_case(case.id)

    assert loaded.version == 4 and loaded.status is CaseStatus.CLOSED
    assert loaded.outcome is CaseOutcome.PENALTY_DECISION and loaded.outcome_details is None
    assert loaded.decision_clock is None and loaded.dispute is None and loaded.pending_transfer is None
    assert loaded.handling_jurisdiction == HANGZHOU
    assert verify_stream(app.recorder.select_events(case.id), case.id).valid


def test_a_case_opened_through_the_application_has_its_decision_due_in_ninety_days(app, open_case):
    case = app.get_case(open_case())

    assert case.version == 1
    assert case.decision_clock.filed_on == date(2025, 1, 20)
    assert case.decision_clock.due_at.date() == date(2025, 4, 21)  # 20 Apr is a Sunday
