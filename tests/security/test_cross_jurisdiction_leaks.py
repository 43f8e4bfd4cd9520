"""A leak search: a randomly grown world of cases, transfers, evidence requests and joint
actions among a random sample of the registry's bureaus; then, for every jurisdiction of that
world, every supervisor of one, and bystanders with no part in it, every object
asked for by id through every query, plus lists and the inbox. Whatever comes back must be
visible to the asker by the domain's access rule (domain/access.py), computed here from the
aggregates themselves (an oracle independent of the read models): nothing invisible is ever
returned, and who else sees a case (`participants`, `caseAccess`) is told exactly as the rule's
`disclosed_to` says — never a party to a request or action the asker cannot see."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest

from casebridge.domain.access import disclosed_to, grants_of_action, grants_of_case, grants_of_request, may_see
from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind
from projections.conftest import busy_history

from .conftest import Caller, Served, assert_safe

SEEDS = {"sqlite": 20260301, "postgres": 20260302}
LATER = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()

CASE = """query($id: ID!, $at: DateTime!) {
  case(id: $id) { id evidenceRequests { id } jointActions { id cases { id } }
                  pendingTransfer { to { code } } participants { jurisdiction { code } role } }
  caseHistory(caseId: $id, first: 100) { edges { node { streamId streamType } } }
  caseAsOf(caseId: $id, version: 1) { id }
  verifyCase(caseId: $id) { valid }
  caseAccess(caseId: $id, at: $at) { jurisdiction { code } reason source }
}"""
REQUEST = "query($id: ID!) { evidenceRequest(id: $id) { id case { id } applicant { code } requested { code } } }"
ACTION = """query($id: ID!) { jointAction(id: $id) { id cases { id } coordinator { code }
                                                  linkedCases { reference case { id } } } }"""
LISTS = """query($after: String) {
  cases(first: 100, after: $after) { edges { node { id evidenceRequests { id } jointActions { id } } }
                                     pageInfo { hasNextPage endCursor } }
  inbox { incomingTransfers { case { id } } evidenceRequests { id case { id } }
          jointActionInvitations { id cases { id } } }
}"""


@dataclass
class World:
    cases: list[UUID] = field(default_factory=list)
    requests: list[UUID] = field(default_factory=list)
    actions: list[UUID] = field(default_factory=list)


WORLD_SIZE = 24  # jurisdictions the random moves pick from, besides busy_history's four
BYSTANDERS = 12  # jurisdictions with no part in the world, who must be shown nothing


def world_codes(registry, rng: random.Random) -> list[str]:
    """The jurisdictions the world is grown among: a random sample of the whole registry (3,000+
    bureaus; asking as every one of them would outlast a token), drawn from every level."""
    return rng.sample(sorted(j.code for j in registry), WORLD_SIZE)


def askers_of(registry, world: list[str], rng: random.Random) -> list[str]:
    """Every jurisdiction of the world, each one's supervisors up to SAMR, and bystanders."""
    involved = set(world) | {"310000", "330100", "320500", "440300"}
    supervisors = {a for code in involved for a in registry.ancestors(code)}
    others = sorted({j.code for j in registry} - involved - supervisors)
    return sorted(involved | supervisors | set(rng.sample(others, BYSTANDERS)))


def grow(served: Served, rng: random.Random, codes: list[str]) -> World:
    """busy_history's fixed story, then random moves among `codes`."""
    app = served.application
    h = busy_history(app, 18)
    world = World(list(h.cases), list(h.requests), list(h.actions))
    for n in range(24):
        home = rng.choice(codes)
        me = Actor(f"client-{home}", home)
        case_id = app.open_case(me, title=f"Random case {n}", summary="s", category=rng.choice(list(CaseCategory)),
                                subject=Subject.create(f"Seller {n}", SubjectKind.MARKETPLACE_SELLER)).aggregate_id
        world.cases.append(case_id)
        others = [c for c in codes if c != home]
        move = rng.random()
        if move < 0.5:
            to = rng.choice(others)
            app.request_transfer(me, case_id, to=to, reason="elsewhere")
            if move < 0.25:
                app.accept_transfer(Actor(f"client-{to}", to), case_id)
                home, me = to, Actor(f"client-{to}", to)
        if rng.random() < 0.4:
            requested = rng.choice([c for c in codes if c != home])
            request = app.request_evidence(me, case_id, requested=requested, description="records").aggregate_id
            world.requests.append(request)
            if rng.random() < 0.5:
                app.fulfil_evidence_request(Actor(f"client-{requested}", requested), request,
                                            items=[EvidenceItem.create("orders.csv", f"{n:064x}")])
        if rng.random() < 0.3:
            invited = rng.sample([c for c in codes if c != home], 2)
            action = app.propose_joint_action(me, title=f"Operation {n}", objective=None, case_ids=[case_id],
                                              participants=invited).aggregate_id
            world.actions.append(action)
            if rng.random() < 0.5:
                app.join_joint_action(Actor(f"client-{invited[0]}", invited[0]), action)
    served.settle()
    return world


class Oracle:
    """Who may see what, from the aggregates (docs/contract.md, "Who sees what")."""

    def __init__(self, served: Served, world: World) -> None:
        app = served.application
        self.registry = app.registry
        self.cases = {str(i): app.get_case(i) for i in world.cases}
        self.requests = {str(i): app.get_evidence_request(i) for i in world.requests}
        self.actions = {str(i): app.get_joint_action(i) for i in world.actions}
        self.grants: dict[str, set] = {key: grants_of_case(case, self.registry) for key, case in self.cases.items()}
        for grant in [g for r in self.requests.values() for g in grants_of_request(r)] + [
                g for a in self.actions.values() for g in grants_of_action(a)]:
            self.grants[grant.case_id].add(grant)

    def request(self, j: str, request_id: str) -> bool:
        r = self.requests[request_id]
        return j in (r.applicant, r.requested)

    def action(self, j: str, action_id: str) -> bool:
        a = self.actions[action_id]
        return j == a.coordinator or j in a.participants

    def case(self, j: str, case_id: str) -> bool:
        """May `j` see the case (domain/access.py: an invitee only once it has joined)?"""
        return may_see(self.grants[case_id], j)

    def told(self, j: str, case_id: str) -> set[tuple[str, str]]:
        """What `j` may be told of who sees the case and why: (jurisdiction, reason) pairs."""
        return {(g.jurisdiction, g.reason.value) for g in disclosed_to(self.grants[case_id], j)}

    def stream(self, j: str, stream_id: str) -> bool:
        key = str(UUID(stream_id))
        if key in self.cases:
            return self.case(j, key)
        if key in self.requests:
            return self.request(j, key)
        return key in self.actions and self.action(j, key)


def ask(caller: Caller, query: str, variables: dict) -> dict:
    response = caller.post(query, variables)
    assert_safe(response)
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def ids(items) -> set[str]:
    return {str(UUID(item["id"])) for item in items or []}


def test_no_jurisdiction_is_ever_shown_an_object_it_may_not_see(served, store):
    rng = random.Random(SEEDS[store])
    registry = served.application.registry
    codes = world_codes(registry, rng)
    world = grow(served, rng, codes)
    oracle = Oracle(served, world)
    askers = [served.caller(code) for code in askers_of(registry, codes, rng)]
    shown = 0
    for caller in askers:
        j = caller.jurisdiction
        seen_cases: set[str] = set()
        after = None
        while True:
            data = ask(caller, LISTS, {"after": after})
            for edge in data["cases"]["edges"]:
                node = edge["node"]
                seen_cases.add(str(UUID(node["id"])))
                assert all(oracle.request(j, r) for r in ids(node["evidenceRequests"])), (j, node)
                assert all(oracle.action(j, a) for a in ids(node["jointActions"])), (j, node)
            if not data["cases"]["pageInfo"]["hasNextPage"]:
                break
            after = data["cases"]["pageInfo"]["endCursor"]
        assert all(oracle.case(j, c) for c in seen_cases), (j, [c for c in seen_cases if not oracle.case(j, c)])
        inbox = data["inbox"]
        assert all(oracle.case(j, str(UUID(t["case"]["id"]))) for t in inbox["incomingTransfers"] if t["case"]), (j, inbox)
        assert all(oracle.request(j, r) for r in ids(inbox["evidenceRequests"])), (j, inbox)
        assert all(oracle.action(j, a) for a in ids(inbox["jointActionInvitations"])), (j, inbox)

        for case_id in oracle.cases:
            data = ask(caller, CASE, {"id": case_id, "at": LATER})
            if not oracle.case(j, case_id):  # nothing of it, through any query
                assert data == {"case": None, "caseHistory": None, "caseAsOf": None, "verifyCase": None,
                                "caseAccess": None}, (j, case_id, data)
                continue
            case = data["case"]
            assert case is not None, (j, case_id)
            shown += 1
            told = {(p["jurisdiction"]["code"], p["role"]) for p in case["participants"]}
            assert told == oracle.told(j, case_id), (j, case_id, told ^ oracle.told(j, case_id))
            access = {(g["jurisdiction"]["code"], g["reason"]) for g in data["caseAccess"]}
            assert access == oracle.told(j, case_id), (j, case_id, access ^ oracle.told(j, case_id))
            assert all(oracle.stream(j, g["source"]) for g in data["caseAccess"] if g["source"]), (j, data["caseAccess"])
            assert all(oracle.request(j, r) for r in ids(case["evidenceRequests"])), (j, case)
            assert all(oracle.action(j, a) for a in ids(case["jointActions"])), (j, case)
            for action in case["jointActions"]:
                assert all(oracle.case(j, c) for c in ids(action["cases"])), (j, action)
            streams = {e["node"]["streamId"] for e in data["caseHistory"]["edges"]}
            assert all(oracle.stream(j, s) for s in streams), (j, case_id, streams)
        for request_id in oracle.requests:
            request = ask(caller, REQUEST, {"id": request_id})["evidenceRequest"]
            assert (request is not None) == oracle.request(j, request_id), (j, request_id, request)
            if request is not None and request["case"] is not None:
                assert oracle.case(j, str(UUID(request["case"]["id"])))
        for action_id in oracle.actions:
            action = ask(caller, ACTION, {"id": action_id})["jointAction"]
            assert (action is not None) == oracle.action(j, action_id), (j, action_id, action)
            if action is not None:
                assert all(oracle.case(j, c) for c in ids(action["cases"])), (j, action)
                linked = [c["case"] for c in action["linkedCases"] if c["case"] is not None]
                assert all(oracle.case(j, str(UUID(c["id"]))) for c in linked), (j, action)
    assert shown > len(oracle.cases)  # the search looked at visible objects too, not only refusals


INVITATION = """query($action: ID!, $case: ID!) {
  jointAction(id: $action) { cases { id } linkedCases { reference title case { id } } }
  case(id: $case) { id }
}"""
PROPOSE = """mutation($input: ProposeJointActionInput!) {
  proposeJointAction(input: $input) { __typename ... on Problem { code } } }"""


def _invited(served) -> tuple[str, str, str]:
    app = served.application
    shanghai = Actor("client-310000", "310000")
    case = app.open_case(shanghai, title="Counterfeit chargers", summary="s", category=CaseCategory.COUNTERFEIT,
                         subject=Subject.create("Seller", SubjectKind.MARKETPLACE_SELLER))
    action = app.propose_joint_action(shanghai, title="Sweep", objective="seize stock", case_ids=[case.aggregate_id],
                                      participants=["330100", "440300"])
    served.settle()
    return str(action.aggregate_id), str(case.aggregate_id), app.get_case(case.aggregate_id).reference


def test_an_invitee_is_told_the_linked_cases_reference_and_title_and_sees_the_case_once_it_joins(served):
    action, case, reference = _invited(served)
    hangzhou = served.caller("330100")

    before = ask(hangzhou, INVITATION, {"action": action, "case": case})
    assert before["case"] is None and before["jointAction"]["cases"] == []
    assert before["jointAction"]["linkedCases"] == [{"reference": reference, "title": "Counterfeit chargers", "case": None}]

    served.application.join_joint_action(Actor("client-330100", "330100"), UUID(action))
    served.settle()
    after = ask(hangzhou, INVITATION, {"action": action, "case": case})
    assert after["case"] == {"id": case} and after["jointAction"]["cases"] == [{"id": case}]
    assert after["jointAction"]["linkedCases"][0]["case"] == {"id": case}


def test_an_invitee_that_declines_is_no_longer_told_the_linked_cases(served):
    action, case, _ = _invited(served)
    served.application.decline_joint_action(Actor("client-440300", "440300"), UUID(action), reason="no capacity")
    served.settle()

    data = ask(served.caller("440300"), INVITATION, {"action": action, "case": case})
    assert data["case"] is None
    assert data["jointAction"] == {"cases": [], "linkedCases": []}


def test_a_jurisdiction_that_sees_a_case_read_only_may_not_link_it_into_a_joint_action(served):
    _, case, _ = _invited(served)
    supervisor = served.caller("100000")  # sees Shanghai's case as its supervising ancestor
    response = supervisor.post(PROPOSE, {"input": {"title": "Sweep", "caseIds": [case], "participants": ["440300"]}})
    assert response.json()["data"]["proposeJointAction"]["code"] == "FORBIDDEN"
