"""The subject of a case (issue 11 §6): who the trader is and where, checked at entry.

A mistyped credit code or an unknown jurisdiction code is refused with the field named, so the
first-filer check (行政处罚法 Art 25) and the competence rule (投诉举报办法 Art 27) work on real values.
"""

from __future__ import annotations

import pytest
from domain.helpers import HANGZHOU, REGISTRY, SHANGHAI

from casebridge.domain.credit_code import InvalidCreditCodeError
from casebridge.domain.errors import UnknownJurisdictionError, ValidationError
from casebridge.domain.values import PlatformOperator, Subject, SubjectKind

SELLER_CODE = "91330100MA2H000X0J"
ALIBABA = "91330100799655058B"
XIHU = "330106"


def seller(**overrides) -> Subject:
    given = dict(credit_code=SELLER_CODE, domicile=HANGZHOU, place_of_business=XIHU, platform_operator_name="淘宝",
                 platform_operator_credit_code=ALIBABA, platform_operator_domicile=XIHU,
                 store="https://shop.example.cn/88231", registry=REGISTRY)
    given.update(overrides)
    return Subject.create("杭州明星贸易有限公司", SubjectKind.MARKETPLACE_SELLER, **given)


def test_a_seller_on_a_platform_is_recorded_with_its_code_places_platform_and_store():
    subject = seller(credit_code=" 91330100ma2h000x0j ")

    assert subject.credit_code == SELLER_CODE
    assert (subject.domicile, subject.place_of_business) == (HANGZHOU, XIHU)
    assert subject.platform_operator == PlatformOperator(name="淘宝", credit_code=ALIBABA, domicile=XIHU)
    assert subject.store == "https://shop.example.cn/88231"


def test_a_credit_code_with_a_wrong_check_character_is_refused_by_its_field():
    with pytest.raises(InvalidCreditCodeError) as info:
        seller(credit_code="91330100MA2H000X0Q")
    assert (info.value.code, info.value.field) == ("VALIDATION", "subject.creditCode")


def test_the_platform_operators_credit_code_is_checked_too():
    with pytest.raises(InvalidCreditCodeError) as info:
        seller(platform_operator_credit_code="91330100799655058C")
    assert info.value.field == "subject.platformOperator.creditCode"


@pytest.mark.parametrize(("given", "field"), [
    ({"domicile": "310100"}, "subject.domicile"),  # a statistical grouping, not a bureau
    ({"place_of_business": "999999"}, "subject.placeOfBusiness"),
    ({"platform_operator_domicile": "123456"}, "subject.platformOperator.domicile"),
])
def test_a_place_that_is_not_a_jurisdiction_of_the_registry_is_refused(given, field):
    with pytest.raises(UnknownJurisdictionError) as info:
        seller(**given)
    assert info.value.field == field


def test_a_platform_operator_needs_a_name():
    with pytest.raises(ValidationError) as info:
        seller(platform_operator_name=None)
    assert info.value.field == "subject.platformOperator.name"


def test_a_platform_operator_does_not_trade_on_another_platform():
    with pytest.raises(ValidationError) as info:
        Subject.create("某平台", SubjectKind.PLATFORM_OPERATOR, platform_operator_name="淘宝", registry=REGISTRY)
    assert info.value.field == "subject.platformOperator"


def test_every_new_field_is_optional_as_for_subjects_recorded_before_them():
    subject = Subject.create("张某", SubjectKind.NATURAL_PERSON)

    assert (subject.credit_code, subject.domicile, subject.place_of_business, subject.platform_operator,
            subject.store) == (None, None, None, None, None)
    assert Subject(name="张某", kind=SubjectKind.NATURAL_PERSON) == subject


def test_a_valid_code_in_the_old_identifier_field_counts_as_the_subjects_credit_code():
    assert Subject.create("A", SubjectKind.MANUFACTURER, identifier=SELLER_CODE).known_credit_code == SELLER_CODE
    assert Subject.create("A", SubjectKind.MANUFACTURER, identifier="https://shop/1").known_credit_code is None
    assert seller(registry=REGISTRY).known_credit_code == SELLER_CODE
    assert Subject.create("A", SubjectKind.MANUFACTURER, credit_code=ALIBABA, identifier=SELLER_CODE).known_credit_code == ALIBABA


def test_a_place_given_without_a_registry_to_check_it_is_a_programming_error():
    with pytest.raises(ValueError, match="registry"):
        Subject.create("A", SubjectKind.MANUFACTURER, domicile=SHANGHAI)
