"""Who is competent for a trader in online trading: 投诉举报办法 Art 27 [V], mirrored by 程序规定 Art 10.

Given a subject, when asked, then the competent jurisdictions with the rule that applied, in words.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from domain.helpers import HANGZHOU, NOW, REGISTRY, SHANGHAI, SHENZHEN, SUZHOU

from casebridge.domain.competence import CompetenceRule, EarlierFiling, competent_jurisdictions, earlier_filings
from casebridge.domain.errors import ValidationError
from casebridge.domain.values import Subject, SubjectKind

XIHU = "330106"


def test_a_platform_operator_is_handled_at_its_domicile():
    """投诉举报办法 Art 27: 平台经营者 → 住所地."""
    operator = Subject.create("某电商平台", SubjectKind.PLATFORM_OPERATOR, domicile=XIHU, place_of_business=SHANGHAI,
                              registry=REGISTRY)

    (answer,) = competent_jurisdictions(operator, REGISTRY)

    assert (answer.jurisdiction, answer.rule, answer.conditional) == (XIHU, CompetenceRule.PLATFORM_OPERATOR_DOMICILE, False)
    assert "住所地" in answer.explanation_zh and "domicile" in answer.explanation_en
    assert "第二十七条" in answer.article


def test_a_seller_on_a_platform_is_handled_at_its_actual_place_of_business_not_its_domicile():
    """投诉举报办法 Art 27: 平台内经营者 → 实际经营地."""
    seller = Subject.create("某网店", SubjectKind.LIVESTREAM_SELLER, domicile=SHANGHAI, place_of_business=SHENZHEN,
                            registry=REGISTRY)

    (answer,) = competent_jurisdictions(seller, REGISTRY)

    assert (answer.jurisdiction, answer.rule) == (SHENZHEN, CompetenceRule.SELLER_PLACE_OF_BUSINESS)
    assert "实际经营地" in answer.explanation_zh


def test_the_platforms_domicile_may_handle_a_sellers_case_if_it_received_the_lead_first():
    """投诉举报办法 Art 27: 平台经营者住所地 may handle a seller's case when it received the lead first."""
    seller = Subject.create("某网店", SubjectKind.MARKETPLACE_SELLER, place_of_business=SHENZHEN,
                            platform_operator_name="淘宝", platform_operator_domicile=XIHU, registry=REGISTRY)

    first, second = competent_jurisdictions(seller, REGISTRY)

    assert (first.jurisdiction, first.conditional) == (SHENZHEN, False)
    assert (second.jurisdiction, second.rule, second.conditional) == (
        XIHU, CompetenceRule.PLATFORM_DOMICILE_IF_FIRST_RECEIVED, True)
    assert "先行收到" in second.explanation_zh and "received the lead first" in second.explanation_en


def test_a_seller_whose_platform_shares_its_place_is_answered_once():
    """投诉举报办法 Art 27: both rules name the same office; it is named once, unconditionally."""
    seller = Subject.create("某网店", SubjectKind.MARKETPLACE_SELLER, place_of_business=HANGZHOU,
                            platform_operator_name="淘宝", platform_operator_domicile=HANGZHOU, registry=REGISTRY)

    assert [(a.jurisdiction, a.conditional) for a in competent_jurisdictions(seller, REGISTRY)] == [(HANGZHOU, False)]


def test_a_manufacturer_selling_on_a_platform_counts_as_a_seller_on_it():
    """投诉举报办法 Art 27 covers whoever trades on the platform (平台内经营者), whatever else it is."""
    maker = Subject.create("某工厂", SubjectKind.MANUFACTURER, place_of_business=SHENZHEN, platform_operator_name="京东",
                           registry=REGISTRY)

    assert [a.rule for a in competent_jurisdictions(maker, REGISTRY)] == [CompetenceRule.SELLER_PLACE_OF_BUSINESS]


@pytest.mark.parametrize(("subject", "field"), [
    (Subject.create("某电商平台", SubjectKind.PLATFORM_OPERATOR), "subject.domicile"),
    (Subject.create("某网店", SubjectKind.MARKETPLACE_SELLER, domicile=SHANGHAI, registry=REGISTRY), "subject.placeOfBusiness"),
    (Subject.create("某工厂", SubjectKind.MANUFACTURER, place_of_business=SHENZHEN, registry=REGISTRY), "subject.kind"),
])
def test_a_subject_the_rule_cannot_place_is_refused_with_the_deciding_field_named(subject, field):
    """投诉举报办法 Art 27 decides by domicile or place of business; without it there is no answer to give."""
    with pytest.raises(ValidationError) as info:
        competent_jurisdictions(subject, REGISTRY)
    assert (info.value.code, info.value.field) == ("VALIDATION", field)


# -- the first filer ----------------------------------------------------------------------------

def test_other_jurisdictions_with_an_open_case_on_the_code_are_named_each_once_with_their_first_filing():
    """行政处罚法 Art 25: where several organs are competent, the one that filed first handles.
    Given open cases on the code in Shanghai (twice) and Suzhou, when Hangzhou opens one,
    then Suzhou and Shanghai are named with their earliest filing, earliest first."""
    open_cases = [(SHANGHAI, NOW - timedelta(days=3)), (SUZHOU, NOW - timedelta(days=5)),
                  (SHANGHAI, NOW - timedelta(days=9))]

    assert earlier_filings(open_cases, caller=HANGZHOU, opened_at=NOW) == [
        EarlierFiling(SHANGHAI, NOW - timedelta(days=9)), EarlierFiling(SUZHOU, NOW - timedelta(days=5))]


def test_the_callers_own_cases_and_later_filings_are_not_earlier_filings():
    """行政处罚法 Art 25 orders filings in time: the caller's own and those after its filing do not precede it."""
    open_cases = [(HANGZHOU, NOW - timedelta(days=3)), (SHANGHAI, NOW + timedelta(seconds=1))]

    assert earlier_filings(open_cases, caller=HANGZHOU, opened_at=NOW) == []
