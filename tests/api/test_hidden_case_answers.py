"""A case the caller may not see answers exactly as an id that names nothing, and is refused
from the read side's visibility rows without loading it (bench/bench_hidden_case.py measures
that both take the same time)."""

from __future__ import annotations

import uuid

from conftest import HANGZHOU, SHANGHAI, SHENZHEN

from casebridge.application.app import CaseBridge


def test_accepting_a_hidden_case_answers_as_a_case_that_does_not_exist(api, open_case, monkeypatch):
    hangzhou, shanghai, shenzhen = api.caller(HANGZHOU), api.caller(SHANGHAI), api.caller(SHENZHEN)
    case = open_case(hangzhou)
    hangzhou.succeed("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "seller moved"})
    loaded: list[uuid.UUID] = []
    get_case = CaseBridge.get_case
    monkeypatch.setattr(CaseBridge, "get_case", lambda self, case_id, version=None: loaded.append(case_id) or get_case(self, case_id, version))

    hidden = shenzhen.mutate("acceptTransfer", {"caseId": case["id"]})
    unknown = shenzhen.mutate("acceptTransfer", {"caseId": str(uuid.uuid4())})
    accepted = shanghai.succeed("acceptTransfer", {"caseId": case["id"]})

    assert hidden == unknown == {"__typename": "NotFoundProblem", "code": "NOT_FOUND", "message": hidden["message"],
                                 "field": "caseId"}
    assert loaded == [uuid.UUID(case["id"])]  # only the target's accept loaded the case
    assert accepted["__typename"] == "AcceptTransferSuccess"
