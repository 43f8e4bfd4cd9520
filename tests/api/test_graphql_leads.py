"""Leads (线索) over GraphQL, as clients call them: register, check, file or decline, tell
the reporter; the holder alone sees a lead — outsiders and supervisors get nothing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest
from conftest import HANGZHOU, SHANGHAI, ZHEJIANG, mutation

# The application's clock on a Monday of a year whose holiday schedule is loaded (an extension
# from today's date could reach a year not yet published); the API reads `overdue` against
# the real time, so these leads are long overdue unless paused or decided.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))

LEAD_FIELDS = """lead { id version status source dueAt overdue clockPaused extended extensionApproval
  holder { code } subject { name kind identifier productCodes } findings reporter { name contact }
  filingNumber filingDate declineReason declineDetail reporterNotice { dueAt overdue notifiedAt }
  case { id reference handlingJurisdiction { code } } }"""


def register_input(**overrides) -> dict:
    value = {"source": "COMPLAINT", "findings": "Power banks far below their rated capacity",
             "subject": {"name": "Brightstar Trading", "kind": "MARKETPLACE_SELLER", "identifier": "91330100MA2H000X0Q",
                         "productCodes": ["SKU-1"]},
             "reporter": {"name": "Li Lei", "contact": "138-0000-0000"}}
    value.update(overrides)
    return value


@pytest.fixture
def lead(api, hangzhou) -> dict:
    api.application.clock = lambda: MONDAY
    return hangzhou.succeed("registerLead", register_input(), LEAD_FIELDS)["lead"]


def test_a_registered_lead_carries_its_check_deadline_and_waits_in_the_inbox(hangzhou, lead):
    """程序规定 Art 18: the check is due within 15 working days."""
    assert (lead["status"], lead["source"], lead["holder"], lead["version"]) == ("CHECKING", "COMPLAINT", {"code": HANGZHOU}, 1)
    assert lead["dueAt"] == "2026-03-23T15:59:59+00:00"  # the end of the 15th working day, China time
    assert lead["overdue"] is True and lead["clockPaused"] is False  # read against the real time
    assert lead["subject"]["productCodes"] == ["SKU-1"] and lead["reporter"] == {"name": "Li Lei", "contact": "138-0000-0000"}
    assert lead["reporterNotice"] is None  # nothing decided yet
    inbox = hangzhou.data("{ inbox { leadsToCheck { id dueAt overdue } } }")["inbox"]["leadsToCheck"]
    assert inbox[0]["dueAt"] == lead["dueAt"] and inbox[0]["overdue"] is True
    assert [i["id"] for i in inbox] == [lead["id"]]
    listed = hangzhou.data("{ leads(first: 5) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }")
    assert [e["node"]["id"] for e in listed["leads"]["edges"]] == [lead["id"]]


def test_filing_opens_the_case_with_its_filing_number_and_sets_the_reporter_deadline(hangzhou, lead):
    """程序规定 Art 18-19, 投诉举报办法 Art 31."""
    hangzhou.succeed("pauseLeadClock", {"leadId": lead["id"], "reason": "Capacity testing", "expectedVersion": 1})
    paused = hangzhou.data("query($id: ID!) { lead(id: $id) { clockPaused overdue } }", {"id": lead["id"]})["lead"]
    assert paused == {"clockPaused": True, "overdue": False}
    hangzhou.succeed("resumeLeadClock", {"leadId": lead["id"], "reason": "Report received"})
    extended = hangzhou.succeed("extendLeadCheck", {"leadId": lead["id"], "approval": "Director Wang"}, LEAD_FIELDS)["lead"]
    assert extended["extended"] and extended["extensionApproval"] == "Director Wang" and extended["dueAt"] > lead["dueAt"]
    filed = hangzhou.succeed("fileCase", {"leadId": lead["id"], "filingNumber": "杭市监立〔2025〕17号",
                                          "filingDate": "2026-03-02", "title": "Underrated power banks",
                                          "category": "PRODUCT_QUALITY", "expectedVersion": 4},
                             LEAD_FIELDS + " case { id title summary subject { name } }")
    assert filed["lead"]["status"] == "FILED" and filed["lead"]["filingNumber"] == "杭市监立〔2025〕17号"
    assert filed["lead"]["filingDate"] == "2026-03-02" and filed["lead"]["case"]["id"] == filed["case"]["id"]
    assert filed["case"]["summary"] == "Power banks far below their rated capacity"
    notice = filed["lead"]["reporterNotice"]
    assert notice["dueAt"] == "2026-03-09T15:59:59+00:00" and notice["overdue"] is True and notice["notifiedAt"] is None
    assert hangzhou.data("{ inbox { leadsToCheck { id } } }")["inbox"]["leadsToCheck"] == []
    told = hangzhou.succeed("recordReporterNotified", {"leadId": lead["id"], "method": "phone"}, LEAD_FIELDS)["lead"]
    assert told["reporterNotice"]["notifiedAt"] is not None and told["reporterNotice"]["overdue"] is False


def test_declining_for_other_without_detail_is_a_validation_problem_naming_the_field(hangzhou, lead):
    """程序规定 Art 20(4): 'other circumstances' must be said."""
    result = hangzhou.mutate("declineToFile", {"leadId": lead["id"], "reason": "OTHER"})
    assert (result["__typename"], result["code"], result["field"]) == ("ValidationProblem", "VALIDATION", "detail")
    declined = hangzhou.succeed("declineToFile", {"leadId": lead["id"], "reason": "MINOR_AND_CORRECTED"}, LEAD_FIELDS)
    assert (declined["lead"]["status"], declined["lead"]["declineReason"]) == ("DECLINED", "MINOR_AND_CORRECTED")
    again = hangzhou.mutate("extendLeadCheck", {"leadId": lead["id"], "approval": "x"})
    assert again["__typename"] == "InvalidStateProblem"


def test_registering_leads_in_bulk_is_all_or_none_and_names_the_bad_one(api, hangzhou):
    head = api.log_head()
    bad = hangzhou.mutate("registerLeads", {"leads": [register_input(), register_input(findings=" ")]})
    assert (bad["__typename"], bad["field"]) == ("ValidationProblem", "leads[1].findings")
    assert api.log_head() == head
    ok = hangzhou.succeed("registerLeads", {"leads": [register_input(source="MONITORING", reporter=None)] * 3},
                          "leads { id source reporter { name } }")
    assert len(ok["leads"]) == 3 and {x["source"] for x in ok["leads"]} == {"MONITORING"}


@pytest.mark.parametrize("outsider_code", [SHANGHAI, ZHEJIANG])  # a stranger, and the supervising province
def test_an_outsider_or_supervisor_sees_nothing_of_a_lead_and_changes_nothing(api, hangzhou, lead, outsider_code):
    outsider = api.caller(outsider_code)
    head = api.log_head()
    response = outsider.post("""query($id: ID!) { lead(id: $id) { id reporter { name } }
                               leads(first: 50) { edges { node { id } } } inbox { leadsToCheck { id } } }""",
                             {"id": lead["id"]})
    assert response.status_code == 200 and "errors" not in response.json()
    assert response.json()["data"] == {"lead": None, "leads": {"edges": []}, "inbox": {"leadsToCheck": []}}
    assert "Li Lei" not in response.text and "Brightstar" not in response.text
    inputs = {
        "extendLeadCheck": {"leadId": lead["id"], "approval": "x"},
        "pauseLeadClock": {"leadId": lead["id"], "reason": "x"},
        "resumeLeadClock": {"leadId": lead["id"], "reason": "x"},
        "fileCase": {"leadId": lead["id"], "filingNumber": "N", "filingDate": "2025-03-03", "title": "T",
                     "category": "OTHER"},
        "declineToFile": {"leadId": lead["id"], "reason": "TIME_BARRED"},
        "recordReporterNotified": {"leadId": lead["id"], "method": "x"},
        "eraseReporter": {"leadId": lead["id"]},
    }
    for name, input in inputs.items():
        result = outsider.mutate(name, input)
        assert (result["__typename"], result["field"]) == ("NotFoundProblem", "leadId"), (name, result)
        assert "Li Lei" not in result["message"]
        malformed = hangzhou.mutate(name, {**input, "leadId": "not-an-id"})
        assert malformed["__typename"] == "NotFoundProblem", (name, malformed)
    assert api.log_head() == head


def test_lead_mutations_need_cases_write(api, lead):
    reader = api.caller(HANGZHOU, scope="cases:read")
    head = api.log_head()
    for name, input in (("registerLead", register_input()), ("pauseLeadClock", {"leadId": lead["id"], "reason": "x"})):
        body = reader.gql(mutation(name), {"input": input})
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert reader.data("query($id: ID!) { lead(id: $id) { id } }", {"id": lead["id"]})["lead"]["id"] == lead["id"]
    assert api.log_head() == head


def test_erasing_the_reporter_leaves_the_lead_and_forgets_the_person(api, hangzhou, lead):
    """Issue 11 §7: crypto-shredding — the key is destroyed; the lead's history stays."""
    erased = hangzhou.succeed("eraseReporter", {"leadId": lead["id"], "expectedVersion": 1},
                              "lead { id version reporter { name } reporterErasedAt findings }")["lead"]
    assert erased["reporter"] is None and erased["reporterErasedAt"] is not None and erased["version"] == 2
    assert erased["findings"] == lead["findings"]
    again = hangzhou.mutate("eraseReporter", {"leadId": lead["id"]})
    assert again["__typename"] == "InvalidStateProblem"
    stored = api.application.recorder.select_events(UUID(lead["id"]))
    assert len(stored) == 2 and not [s for s in stored if "Li Lei".encode() in s.state]
