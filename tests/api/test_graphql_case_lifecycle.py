"""The case's procedure through GraphQL (issue 11 §1, §3): a declined transfer goes to the
common superior's inbox; superiors take cases up and hand them down; the decision period,
outcomes with details, and suspension — as each regulator's program would call them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import HANGZHOU, SHANGHAI, SHENZHEN, ZHEJIANG

NATIONAL, NINGBO = "100000", "330200"
NOW = datetime(2025, 1, 20, 9, 0, tzinfo=timezone(timedelta(hours=8)))  # a Monday, before the Spring Festival

CASE = """query($id: ID!) { case(id: $id) {
  version status handlingJurisdiction { code } suspensionReason
  decisionPeriod { dueAt overdue pausedOn pauseReason extensions }
  designationPetition { superior { code } from { code } to { code } reason settleDueAt settling dueAt overdue }
} }"""

PETITIONS = "{ inbox { designationPetitions { case { id status } superior { code } from { code } to { code } reason dueAt overdue } } }"


@pytest.fixture(autouse=True)
def fixed_clock(api):
    """Deadlines counted from a known day, whatever day the tests run."""
    api.application.clock = lambda: NOW


def test_a_declined_transfer_waits_in_the_common_superiors_inbox_until_it_designates(api, hangzhou, shanghai, open_case):
    national = api.caller(NATIONAL)
    case = open_case(hangzhou)
    hangzhou.succeed("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "The seller moved to Shanghai."})

    declined = shanghai.mutate("declineTransfer", {"caseId": case["id"], "reason": "Not registered here."},
                               "case { status }")
    assert declined["case"] == {"status": "DISPUTED"}

    [petition] = national.data(PETITIONS)["inbox"]["designationPetitions"]
    assert petition == {"case": {"id": case["id"], "status": "DISPUTED"}, "superior": {"code": NATIONAL},
                        "from": {"code": HANGZHOU}, "to": {"code": SHANGHAI}, "reason": "Not registered here.",
                        "dueAt": "2025-02-13T15:59:59+00:00", "overdue": True}  # 23:59:59 China time; long past
    assert api.caller(ZHEJIANG).data(PETITIONS)["inbox"]["designationPetitions"] == []
    for party in (hangzhou, shanghai):
        seen = party.data(CASE, {"id": case["id"]})["case"]
        assert seen["designationPetition"]["settleDueAt"] == "2025-02-05T15:59:59+00:00"
        assert seen["status"] == "DISPUTED" and seen["handlingJurisdiction"] == {"code": HANGZHOU}

    designated = national.succeed("designateJurisdiction", {"caseId": case["id"], "jurisdiction": SHANGHAI,
                                                            "reason": "Registered in Shanghai."},
                                  "case { status handlingJurisdiction { code } designationPetition { reason } }")
    assert designated["case"] == {"status": "OPEN", "handlingJurisdiction": {"code": SHANGHAI}, "designationPetition": None}
    assert national.data(PETITIONS)["inbox"]["designationPetitions"] == []
    moved = shanghai.mutate("requestTransfer", {"caseId": case["id"], "to": HANGZHOU, "reason": "back"})
    assert (moved["__typename"], moved["code"]) == ("InvalidStateProblem", "INVALID_STATE")


def test_a_superior_takes_a_case_up_and_hands_it_down_and_the_assignee_may_not_move_it(api, hangzhou, open_case):
    zhejiang, ningbo = api.caller(ZHEJIANG), api.caller(NINGBO)
    case = open_case(hangzhou)

    taken = zhejiang.succeed("takeOverCase", {"caseId": case["id"], "reason": "Province-wide pattern.",
                                              "expectedVersion": case["version"]}, "case { version handlingJurisdiction { code } }")
    assert taken["case"] == {"version": case["version"] + 1, "handlingJurisdiction": {"code": ZHEJIANG}}
    sideways = zhejiang.mutate("assignCase", {"caseId": case["id"], "jurisdiction": SHANGHAI, "reason": "r"})
    assert (sideways["__typename"], sideways["field"]) == ("ValidationProblem", "jurisdiction")

    assigned = zhejiang.succeed("assignCase", {"caseId": case["id"], "jurisdiction": NINGBO, "reason": "Warehouse."},
                                "case { handlingJurisdiction { code } }")
    assert assigned["case"] == {"handlingJurisdiction": {"code": NINGBO}}
    moved = ningbo.mutate("requestTransfer", {"caseId": case["id"], "to": HANGZHOU, "reason": "back"})
    assert moved["__typename"] == "InvalidStateProblem"
    not_superior = hangzhou.mutate("takeOverCase", {"caseId": case["id"], "reason": "mine again"})
    assert (not_superior["__typename"], not_superior["code"]) == ("ForbiddenProblem", "FORBIDDEN")


def test_the_decision_period_is_extended_once_then_only_with_a_collective_decision_and_pauses(api, hangzhou, open_case):
    case = open_case(hangzhou)
    assert hangzhou.data(CASE, {"id": case["id"]})["case"]["decisionPeriod"] == {
        "dueAt": "2025-04-21T15:59:59+00:00", "overdue": True, "pausedOn": None, "pauseReason": None, "extensions": 0}

    stale = hangzhou.mutate("extendDecisionPeriod", {"caseId": case["id"], "approver": "Director Wang", "reason": "r",
                                                     "expectedVersion": case["version"] + 5})
    assert stale["__typename"] == "ConflictProblem"
    extended = hangzhou.succeed("extendDecisionPeriod", {
        "caseId": case["id"], "approver": "Director Wang", "reason": "Expert opinion pending.",
        "expectedVersion": case["version"], "clientMutationId": "extend-1"}, "case { decisionPeriod { dueAt extensions } }")
    assert extended["case"]["decisionPeriod"] == {"dueAt": "2025-05-20T15:59:59+00:00", "extensions": 1}
    again = hangzhou.succeed("extendDecisionPeriod", {"caseId": case["id"], "approver": "Director Wang",
                                                      "reason": "Expert opinion pending.", "expectedVersion": case["version"],
                                                      "clientMutationId": "extend-1"}, "case { version }")
    assert again["case"]["version"] == case["version"] + 1  # the same key applies once
    refused = hangzhou.mutate("extendDecisionPeriod", {"caseId": case["id"], "approver": "Director Wang", "reason": "r"})
    assert (refused["__typename"], refused["field"]) == ("ValidationProblem", "collectiveDecision")

    hangzhou.succeed("pauseCaseClock", {"caseId": case["id"], "reason": "HEARING", "detail": "Hearing requested."})
    paused = hangzhou.data(CASE, {"id": case["id"]})["case"]["decisionPeriod"]
    assert (paused["pausedOn"], paused["pauseReason"], paused["overdue"]) == ("2025-01-20", "HEARING", False)
    api.application.clock = lambda: NOW + timedelta(days=10)
    resumed = hangzhou.succeed("resumeCaseClock", {"caseId": case["id"]}, "case { decisionPeriod { dueAt pausedOn } }")
    assert resumed["case"]["decisionPeriod"] == {"dueAt": "2025-05-30T15:59:59+00:00", "pausedOn": None}


def test_a_case_is_suspended_and_resumed_and_closes_with_the_details_its_outcome_needs(api, hangzhou, open_case):
    case = open_case(hangzhou)
    other = open_case(api.caller(SHENZHEN))  # a case Hangzhou cannot see

    suspended = hangzhou.succeed("suspendCase", {"caseId": case["id"], "reason": "Waiting for the court."},
                                 "case { status suspensionReason }")
    assert suspended["case"] == {"status": "SUSPENDED", "suspensionReason": "Waiting for the court."}
    blocked = hangzhou.mutate("closeCase", {"caseId": case["id"], "outcome": "TERMINATED"})
    assert blocked["__typename"] == "InvalidStateProblem"
    assert hangzhou.succeed("resumeCase", {"caseId": case["id"]}, "case { status }")["case"] == {"status": "OPEN"}

    no_amount = hangzhou.mutate("closeCase", {"caseId": case["id"], "outcome": "PENALTY_DECISION",
                                              "details": {"decisionNumber": "n", "legalBasis": "b"}})
    assert (no_amount["__typename"], no_amount["field"]) == ("ValidationProblem", "details.amountFen")
    hidden = hangzhou.mutate("closeCase", {"caseId": case["id"], "outcome": "MERGED", "details": {"mergedInto": other["id"]}})
    assert (hidden["__typename"], hidden["field"]) == ("NotFoundProblem", "details.mergedInto")

    closed = hangzhou.succeed("closeCase", {"caseId": case["id"], "outcome": "REFERRED_TO_OTHER_AGENCY",
                                            "details": {"agency": "杭州市税务局", "ground": "dropped"}},
                              "case { status outcome outcomeDetails { agency ground } }")
    assert closed["case"] == {"status": "CLOSED", "outcome": "REFERRED_TO_OTHER_AGENCY",
                              "outcomeDetails": {"agency": "杭州市税务局", "ground": None}}
