"""Idempotency keys (`command_id`, the contract's clientMutationId): the same key from the same
client applies once and returns the same result, even after an ambiguous commit or a race."""

from __future__ import annotations

from collections import Counter

import pytest
from domain.helpers import HANGZHOU, SUBJECT, actor, evidence_item
from eventsourcing.persistence import OperationalError

from casebridge.application.app import CaseBridge
from casebridge.application.errors import CommandIdReusedError
from casebridge.application.idempotency import CommandResult
from casebridge.domain.errors import ValidationError
from casebridge.domain.values import CaseCategory

OPEN = {"title": "Counterfeit power banks", "summary": "Test purchases failed", "subject": SUBJECT, "category": CaseCategory.COUNTERFEIT}


def same_result(first: CommandResult, again: CommandResult) -> bool:
    return (first.aggregate_id, first.version, first.detail) == (again.aggregate_id, again.version, again.detail)


def test_the_same_command_id_twice_applies_once_and_returns_the_same_result(app, case_id):
    first = app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1), command_id="add-1")
    after_first = app.recorder.max_notification_id()

    again = app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1), command_id="add-1")

    assert same_result(first, again) and (first.replayed, again.replayed) == (False, True)
    assert app.recorder.max_notification_id() == after_first
    assert app.get_case(case_id).version == 2 and len(app.get_case(case_id).evidence) == 1


def test_a_repeated_open_case_opens_one_case(app, nothing_written):
    first = app.open_case(actor(HANGZHOU), **OPEN, command_id="open-1")

    with nothing_written():
        again = app.open_case(actor(HANGZHOU), **OPEN, command_id="open-1")

    assert same_result(first, again) and again.replayed
    assert app.get_case(first.aggregate_id).reference == "330100-2025-00001"


def test_a_replayed_result_is_the_original_even_after_later_changes(app, case_id):
    first = app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1), expected_version=1, command_id="add-1")
    app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(2))

    again = app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1), expected_version=1, command_id="add-1")

    assert same_result(first, again) and again.version == 2 and again.replayed


def test_the_same_key_with_different_arguments_is_refused_and_writes_nothing(app, case_id, nothing_written):
    app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1), command_id="add-1")

    with nothing_written(), pytest.raises(CommandIdReusedError) as info:
        app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(2), command_id="add-1")

    assert (info.value.code, info.value.field) == ("VALIDATION", "clientMutationId")


def test_the_same_key_for_another_command_is_refused(app, case_id, nothing_written):
    app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1), command_id="k")
    with nothing_written(), pytest.raises(CommandIdReusedError):
        app.revise_case(actor(HANGZHOU), case_id, title="New title", command_id="k")


@pytest.mark.parametrize("other", [actor(HANGZHOU, client_id="another-client"), actor(HANGZHOU, user="another-officer")],
                         ids=["client", "user"])
def test_the_same_key_from_another_client_or_user_applies_separately(app, other):
    mine = app.open_case(actor(HANGZHOU), **OPEN, command_id="open-1")
    theirs = app.open_case(other, **OPEN, command_id="open-1")

    assert mine.aggregate_id != theirs.aggregate_id and not theirs.replayed
    assert app.get_case(theirs.aggregate_id).reference == "330100-2025-00002"


@pytest.mark.parametrize("key", ["", "k" * 201])
def test_a_key_must_be_one_to_two_hundred_characters(app, case_id, nothing_written, key):
    with nothing_written(), pytest.raises(ValidationError) as info:
        app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(), command_id=key)
    assert info.value.field == "clientMutationId"


class LosesTheAnswerOnce(CaseBridge):
    """The store commits, then the connection drops before the caller hears back."""

    name = CaseBridge.name  # the same tables (PostgreSQL table names follow the application's name)
    lost = False

    def _record(self, processing_event):
        recordings = super()._record(processing_event)
        if not self.lost:
            self.lost = True
            raise OperationalError("server closed the connection unexpectedly")
        return recordings


def test_a_retry_after_an_ambiguous_commit_returns_the_original_result(make_app, app, case_id, log_length):
    flaky = make_app(LosesTheAnswerOnce)
    before = log_length()
    with pytest.raises(OperationalError):
        flaky.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1), expected_version=1, command_id="add-1")

    retried = flaky.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1), expected_version=1, command_id="add-1")

    assert (retried.aggregate_id, retried.version, retried.replayed) == (case_id, 2, True)
    assert app.get_case(case_id).evidence == {retried.detail: evidence_item(1)}
    assert log_length() == before + 2  # the evidence and the command record, once


def test_an_open_case_retried_after_an_ambiguous_commit_opens_one_case(make_app, app):
    flaky = make_app(LosesTheAnswerOnce)
    with pytest.raises(OperationalError):
        flaky.open_case(actor(HANGZHOU), **OPEN, command_id="open-1")

    retried = app.open_case(actor(HANGZHOU), **OPEN, command_id="open-1")
    another = app.open_case(actor(HANGZHOU), **OPEN)

    assert retried.replayed and app.get_case(retried.aggregate_id).reference == "330100-2025-00001"
    assert app.get_case(another.aggregate_id).reference == "330100-2025-00002"


@pytest.mark.parametrize("expected_version", [None, 1], ids=["without expected version", "with expected version"])
def test_concurrent_identical_commands_with_one_key_apply_once(app, make_app, case_id, run_together, log_length, expected_version):
    apps = [make_app() for _ in range(4)]
    before = log_length()

    outcomes = run_together([
        (lambda a=a: a.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1),
                                    expected_version=expected_version, command_id="add-1"))
        for a in apps
    ])

    assert all(isinstance(o, CommandResult) for o in outcomes), outcomes
    assert Counter(o.replayed for o in outcomes) == {False: 1, True: 3}
    assert len({(o.aggregate_id, o.version, o.detail) for o in outcomes}) == 1
    assert app.get_case(case_id).version == 2
    assert log_length() == before + 2


def test_concurrent_identical_open_case_commands_open_one_case(app, make_app, run_together, log_length):
    apps = [make_app() for _ in range(4)]

    outcomes = run_together([(lambda a=a: a.open_case(actor(HANGZHOU), **OPEN, command_id="open-1")) for a in apps])

    assert all(isinstance(o, CommandResult) for o in outcomes), outcomes
    assert len({o.aggregate_id for o in outcomes}) == 1
    assert log_length() == 4  # the case, its reference sequence and claim, the command record
