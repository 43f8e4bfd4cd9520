"""The cases and transfers read models, fed real events through the application."""

from __future__ import annotations

from casebridge.domain.values import CaseCategory, CaseOutcome, EvidenceItem

from .conftest import HANGZHOU, NINGBO, SHANGHAI, SUZHOU, ZHEJIANG, actor, open_case, sha


def test_an_opened_case_appears_with_everything_the_contract_shows(app, db, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI), "Fake milk powder", seller="Shop A", category=CaseCategory.FOOD_SAFETY)
    position = catch_up()

    row = rm.cases.get(SHANGHAI, str(case_id))
    assert row is not None
    assert (row.id, row.title, row.status, row.handling_jurisdiction) == (str(case_id), "Fake milk powder", "OPEN", SHANGHAI)
    assert (row.subject_name, row.subject_kind, row.subject_identifier, row.subject_product_codes) == (
        "Shop A", "MARKETPLACE_SELLER", "91310000MA1FL0001X", ("SKU-1",))
    assert row.category == "FOOD_SAFETY" and row.version == 1 and row.pending_transfer is None
    assert row.reference.startswith(f"{SHANGHAI}-") and row.opened_by_client == f"client-{SHANGHAI}"
    assert row.opened_at == row.updated_at and row.opened_at.tzinfo is not None
    assert rm.positions()["cases"] == position == app.max_position()


def test_revisions_evidence_closing_and_reopening_update_the_case_row(app, rm, catch_up):
    me = actor(SHANGHAI)
    case_id = open_case(app, me)
    app.revise_case(me, case_id, title="Counterfeit headphones", category=CaseCategory.PRICING)
    evidence_id = app.add_evidence(me, case_id, item=EvidenceItem.create("Receipt", sha(7), "bought online")).detail
    app.close_case(me, case_id, outcome=CaseOutcome.NO_VIOLATION, summary="genuine after all")
    catch_up()

    row = rm.cases.get(SHANGHAI, str(case_id))
    assert (row.title, row.category, row.status, row.outcome, row.closing_summary, row.version) == (
        "Counterfeit headphones", "PRICING", "CLOSED", "NO_VIOLATION", "genuine after all", 4)
    [evidence] = rm.cases.evidence([str(case_id)])[str(case_id)]
    assert (evidence.id, evidence.title, evidence.sha256, evidence.description) == (evidence_id, "Receipt", sha(7), "bought online")
    assert evidence.collected_by_jurisdiction == SHANGHAI

    app.reopen_case(me, case_id, reason="new complaints")
    catch_up()
    row = rm.cases.get(SHANGHAI, str(case_id))
    assert (row.status, row.outcome, row.closing_summary, row.version) == ("OPEN", None, None, 5)


def test_a_pending_transfer_shows_on_the_case_and_in_the_targets_inbox(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    app.request_transfer(actor(SHANGHAI), case_id, to=HANGZHOU, reason="the seller is in Hangzhou")
    catch_up()

    pending = rm.cases.get(HANGZHOU, str(case_id)).pending_transfer
    assert (pending.sender, pending.to, pending.reason) == (SHANGHAI, HANGZHOU, "the seller is in Hangzhou")
    [incoming] = rm.transfers.incoming(HANGZHOU)
    assert (incoming.case_id, incoming.sender, incoming.receiver, incoming.status) == (str(case_id), SHANGHAI, HANGZHOU, "PENDING")
    assert [t.id for t in rm.transfers.outgoing(SHANGHAI)] == [incoming.id]
    assert rm.transfers.incoming(SHANGHAI) == []


def test_an_accepted_transfer_moves_the_case_and_records_the_decision(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    app.request_transfer(actor(SHANGHAI), case_id, to=HANGZHOU, reason="seller in Hangzhou")
    app.accept_transfer(actor(HANGZHOU), case_id)
    catch_up()

    row = rm.cases.get(HANGZHOU, str(case_id))
    assert row.handling_jurisdiction == HANGZHOU and row.pending_transfer is None
    [transfer] = rm.transfers.for_cases([str(case_id)])[str(case_id)]
    assert (transfer.status, transfer.sender, transfer.receiver) == ("ACCEPTED", SHANGHAI, HANGZHOU)
    assert transfer.decided_at >= transfer.requested_at
    assert rm.transfers.incoming(HANGZHOU) == []


def test_a_designation_supersedes_a_pending_transfer_and_hands_the_case_over(app, rm, catch_up):
    case_id = open_case(app, actor(HANGZHOU))
    app.request_transfer(actor(HANGZHOU), case_id, to=SUZHOU, reason="maybe Suzhou")
    app.designate_jurisdiction(actor(ZHEJIANG), case_id, jurisdiction=NINGBO, reason="warehouse in Ningbo")
    catch_up()

    row = rm.cases.get(NINGBO, str(case_id))
    assert row.handling_jurisdiction == NINGBO and row.pending_transfer is None
    [transfer] = rm.transfers.for_cases([str(case_id)])[str(case_id)]
    assert (transfer.status, transfer.decision_reason) == ("SUPERSEDED", "warehouse in Ningbo")
