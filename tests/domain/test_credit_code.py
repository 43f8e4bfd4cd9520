"""The unified social credit code (统一社会信用代码): GB 32100-2015's alphabet, length and check character.

The subject of a case or lead is identified by it (issue 11 §6); a mistyped code must be caught at
entry, not matched against another trader's open case later (行政处罚法 Art 25: first filer handles).
"""

from __future__ import annotations

import pytest

from casebridge.domain.credit_code import ALPHABET, CreditCode, InvalidCreditCodeError, check_character

# Codes as published on the companies' business licences (National Enterprise Credit Information Publicity System).
PUBLISHED = {
    "914403001922038216": "华为技术有限公司",
    "91440300708461136T": "深圳市腾讯计算机系统有限公司",
    "91330100799655058B": "阿里巴巴（中国）有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
}


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_published_codes_are_valid(code):
    parsed = CreditCode.parse(code)
    assert str(parsed) == code and CreditCode.is_valid(code)
    assert parsed.division == code[2:8] and parsed.organization_code == code[8:17]


def test_a_code_is_read_in_capitals_and_without_surrounding_spaces():
    assert CreditCode.parse(" 91440300708461136t ").value == "91440300708461136T"


def test_the_check_character_is_31_minus_the_weighted_sum_mod_31():
    # Huawei: weights 3^i mod 31 over the first 17 characters give 6.
    assert check_character("91440300192203821") == "6"
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_every_other_check_character_is_refused(code):
    for wrong in ALPHABET:
        if wrong != code[17]:
            with pytest.raises(InvalidCreditCodeError, match="check character"):
                CreditCode.parse(code[:17] + wrong)


def test_a_single_mistyped_character_is_caught_by_the_check():
    code = "914403001922038216"
    mistyped = code[:10] + ("3" if code[10] != "3" else "4") + code[11:]
    with pytest.raises(InvalidCreditCodeError) as info:
        CreditCode.parse(mistyped, field="subject.creditCode")
    assert (info.value.code, info.value.field) == ("VALIDATION", "subject.creditCode")


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_letters_outside_the_alphabet_are_refused_by_name(letter):
    code = "91440300708461136" + letter
    with pytest.raises(InvalidCreditCodeError, match=f"character 18 '{letter}' is not allowed.*never used"):
        CreditCode.parse(code)


@pytest.mark.parametrize("text", ["", "9144030070846113", "91440300708461136", "91440300708461136TT", "9144030070846113６T"])
def test_a_code_of_the_wrong_length_or_with_other_characters_is_refused(text):
    with pytest.raises(InvalidCreditCodeError) as info:
        CreditCode.parse(text, field="identifier")
    assert info.value.field == "identifier"
    assert not CreditCode.is_valid(text)


def test_the_division_part_must_be_digits():
    code = "91A4030070846113"  # characters 3-8 must be digits
    body = code + "0"
    with pytest.raises(InvalidCreditCodeError, match="division code"):
        CreditCode.parse(body + check_character(body))


def test_a_value_that_is_not_text_is_refused():
    with pytest.raises(InvalidCreditCodeError, match="expected text"):
        CreditCode.parse(914403001922038216)  # type: ignore[arg-type]
