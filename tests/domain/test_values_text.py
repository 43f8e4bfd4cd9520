"""The domain's one check for text: what no read model, export or column could hold is refused."""

from __future__ import annotations

import pytest

from casebridge.domain.errors import ValidationError
from casebridge.domain.values import identifier_text, optional_text, text


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1bb", "a\x08b", "a\ud800b", "a\udfffb"])
def test_text_refuses_controls_and_lone_surrogates_naming_the_field(bad):
    with pytest.raises(ValidationError) as caught:
        text(bad, "title")
    assert caught.value.field == "title"
    with pytest.raises(ValidationError):
        optional_text(bad, "summary")


def test_text_keeps_tabs_newlines_and_other_scripts():
    assert text("第一行\n\tsecond\r\nthird 😀", "summary") == "第一行\n\tsecond\r\nthird 😀"


@pytest.mark.parametrize("bad", ["ab\u202ecd", "ab\u2066cd", "ab\u200bcd", "ab\u200dcd", "\ufeffab", "ab\u200fcd",
                                 "a\tb", "a\nb"])
def test_identifiers_also_refuse_invisible_and_direction_changing_characters(bad):
    with pytest.raises(ValidationError) as caught:
        identifier_text(bad, "reference")
    assert caught.value.field == "reference"


def test_identifiers_keep_ordinary_text():
    assert identifier_text(" 310000-2026-00001 ", "reference") == "310000-2026-00001"
