"""The visibility read model equals the domain's access rule (domain/access.py), event by event.

Hypothesis grows random histories of commands across cases, transfers, designations, evidence
requests and joint actions (refused commands included: they must change nothing), and after
every catch-up — sometimes after one event, sometimes after several in one batch — compares the
SQL rows of `rm_case_visibility` with the grants the domain derives from the aggregates.
"""

from __future__ import annotations

from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebridge.application.errors import CaseNotFoundError, EvidenceRequestNotFoundError, JointActionNotFoundError
from casebridge.domain.access import grants_of_action, grants_of_case, grants_of_request
from casebridge.domain.errors import DomainError
from casebridge.domain.values import CaseCategory, Subject, SubjectKind

from .conftest import HANGZHOU, NATIONAL, NINGBO, SHANGHAI, SHENZHEN, SUZHOU, actor, make_runner

CODES = (HANGZHOU, NINGBO, SHANGHAI, SUZHOU, SHENZHEN)
REFUSED = (DomainError, CaseNotFoundError, EvidenceRequestNotFoundError, JointActionNotFoundError)
OPS = ("open", "transfer", "accept", "decline", "withdraw", "designate", "request", "propose", "join", "decline_action")


def run_command(app, op: str, data, world: dict[str, list[UUID]]) -> None:
    """One command, mostly by the jurisdiction entitled to it (so histories go somewhere),
    sometimes by anyone (so refusals are exercised too)."""
    code = data.draw(st.sampled_from(CODES), label="jurisdiction")
    other = data.draw(st.sampled_from(CODES), label="other")
    entitled = data.draw(st.integers(0, 3), label="entitled actor") > 0
    me = actor(code)
    if op == "open":
        world["cases"].append(app.open_case(me, title="Case", summary="s", category=CaseCategory.PRICING,
                                            subject=Subject.create("Seller", SubjectKind.MARKETPLACE_SELLER)).aggregate_id)
        return
    if op in ("join", "decline_action"):
        if not world["actions"]:
            return
        action = data.draw(st.sampled_from(world["actions"]), label="action")
        if entitled:
            me = actor(data.draw(st.sampled_from(sorted(app.get_joint_action(action).participants)), label="invitee"))
        if op == "join":
            app.join_joint_action(me, action)
        else:
            app.decline_joint_action(me, action, reason="no capacity")
        return
    if not world["cases"]:
        return
    case = data.draw(st.sampled_from(world["cases"]), label="case")
    if entitled:
        current = app.get_case(case)
        target = current.pending_transfer.to if current.pending_transfer else None
        me = actor(target if op in ("accept", "decline") and target else current.handling_jurisdiction)
    if op == "transfer":
        app.request_transfer(me, case, to=other, reason="elsewhere")
    elif op == "accept":
        app.accept_transfer(me, case)
    elif op == "decline":
        app.decline_transfer(me, case, reason="not ours")
    elif op == "withdraw":
        app.withdraw_transfer(me, case)
    elif op == "designate":
        app.designate_jurisdiction(actor(NATIONAL), case, jurisdiction=other, reason="designated")
    elif op == "request":
        world["requests"].append(app.request_evidence(me, case, requested=other, description="records").aggregate_id)
    elif op == "propose":
        invited = data.draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True), label="invited")
        world["actions"].append(app.propose_joint_action(me, title="Operation", objective=None, case_ids=[case],
                                                         participants=invited).aggregate_id)


def rule(app, world: dict[str, list[UUID]]) -> set[tuple[str, str, str, str]]:
    grants = set()
    for case_id in world["cases"]:
        grants |= grants_of_case(app.get_case(case_id), app.registry)
    for request_id in world["requests"]:
        grants |= grants_of_request(app.get_evidence_request(request_id))
    for action_id in world["actions"]:
        grants |= grants_of_action(app.get_joint_action(action_id))
    return {(g.case_id, g.jurisdiction, g.reason.value, g.source) for g in grants}


def rows(rm, world: dict[str, list[UUID]]) -> set[tuple[str, str, str, str]]:
    found = rm.cases.visibility.grants([str(c) for c in world["cases"]])
    return {(g.case_id, g.jurisdiction, g.reason.value, g.source) for grants in found.values() for g in grants}


def test_the_visibility_rows_equal_the_domain_rule_after_every_event(app, db, rm):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def check(data) -> None:
        runner = make_runner(app, db)
        world: dict[str, list[UUID]] = {"cases": [], "requests": [], "actions": []}
        steps = data.draw(st.integers(min_value=4, max_value=30), label="steps")
        for _ in range(steps):
            op = data.draw(st.sampled_from(OPS), label="command")
            try:
                run_command(app, op, data, world)
            except REFUSED:
                pass
            if data.draw(st.booleans(), label="catch up now"):
                runner.catch_up()
                assert rows(rm, world) == rule(app, world)
        runner.catch_up()
        assert rows(rm, world) == rule(app, world)

    check()
