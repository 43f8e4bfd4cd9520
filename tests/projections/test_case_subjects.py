"""The cases read model keeps the subject's credit code (indexed), places, platform and store
(issue 11 §6), for the first-filer check and the search by code or store."""

from __future__ import annotations

from casebridge.domain.values import CaseCategory, CaseOutcome, Subject, SubjectKind
from casebridge.projections.rows import CaseFilter, PlatformOperatorRow

from .conftest import HANGZHOU, SHANGHAI, SUZHOU, actor

CODE = "91330100MA2H000X0J"
ALIBABA = "91330100799655058B"
XIHU = "330106"


def open_on(app, registry, who: str, **subject_fields):
    subject = Subject.create("杭州明星贸易有限公司", SubjectKind.MARKETPLACE_SELLER, registry=registry, **subject_fields)
    return app.open_case(actor(who), title="Counterfeit chargers", summary="Test purchases.", subject=subject,
                         category=CaseCategory.COUNTERFEIT).aggregate_id


def test_the_subjects_code_places_platform_and_store_are_on_the_case_row(app, rm, registry, catch_up):
    case_id = open_on(app, registry, HANGZHOU, credit_code=CODE, domicile=HANGZHOU, place_of_business=XIHU,
                      platform_operator_name="淘宝", platform_operator_credit_code=ALIBABA, platform_operator_domicile=XIHU,
                      store="https://shop.example.cn/1")
    catch_up()

    row = rm.cases.get(HANGZHOU, str(case_id))
    assert (row.subject_credit_code, row.subject_domicile, row.subject_place_of_business, row.subject_store) == (
        CODE, HANGZHOU, XIHU, "https://shop.example.cn/1")
    assert row.subject_platform_operator == PlatformOperatorRow("淘宝", ALIBABA, XIHU)


def test_a_valid_code_or_a_url_in_the_old_identifier_is_searchable_as_code_or_store(app, rm, registry, catch_up):
    by_code = open_on(app, registry, HANGZHOU, identifier=CODE)
    by_url = open_on(app, registry, HANGZHOU, identifier="https://live.example.cn/room/7")
    open_on(app, registry, HANGZHOU, identifier="91330100MA2H000X0Q")  # wrong check character: not a code
    catch_up()

    assert [r.id for r in rm.cases.page(HANGZHOU, first=10, filter=CaseFilter(credit_code=CODE)).items] == [str(by_code)]
    found = rm.cases.page(HANGZHOU, first=10, filter=CaseFilter(store="https://live.example.cn/room/7")).items
    assert [r.id for r in found] == [str(by_url)]


def test_the_search_by_code_shows_only_cases_the_jurisdiction_may_see(app, rm, registry, catch_up):
    open_on(app, registry, SHANGHAI, credit_code=CODE)
    catch_up()

    assert rm.cases.page(HANGZHOU, first=10, filter=CaseFilter(credit_code=CODE)).items == []


def test_open_cases_on_a_code_are_told_per_jurisdiction_with_the_first_opening_whoever_asks(app, rm, registry, catch_up):
    first = open_on(app, registry, SHANGHAI, credit_code=CODE)
    open_on(app, registry, SHANGHAI, credit_code=CODE)
    closed = open_on(app, registry, SUZHOU, credit_code=CODE)
    app.close_case(actor(SUZHOU), closed, outcome=CaseOutcome.NO_VIOLATION)
    open_on(app, registry, HANGZHOU, credit_code=ALIBABA)
    catch_up()

    [(jurisdiction, since)] = rm.cases.open_on_credit_code(CODE)
    assert (jurisdiction, since) == (SHANGHAI, rm.cases.get(SHANGHAI, str(first)).opened_at)
