"""The jurisdiction registry: who supervises whom, and who is a common superior."""

from __future__ import annotations

import json

import pytest
from domain.helpers import (
    HANGZHOU,
    JIANGSU,
    NATIONAL,
    NINGBO,
    REGISTRY,
    SHANGHAI,
    SHENZHEN,
    SUZHOU,
    ZHEJIANG,
)

from casebridge.domain.errors import UnknownJurisdictionError
from casebridge.domain.jurisdictions import Jurisdiction, JurisdictionRegistry


def write_registry(tmp_path, *entries) -> str:
    path = tmp_path / "jurisdictions.json"
    path.write_text(json.dumps({"jurisdictions": list(entries)}, ensure_ascii=False), "utf-8")
    return str(path)


def test_the_shipped_registry_has_the_contract_codes_under_the_national_level():
    for code in (NATIONAL, SHANGHAI, ZHEJIANG, HANGZHOU, JIANGSU, SUZHOU, "440000", SHENZHEN):
        assert code in REGISTRY
    assert REGISTRY.get(NATIONAL).parent is None
    assert REGISTRY.get(HANGZHOU) == Jurisdiction(code=HANGZHOU, name="杭州市", name_en="Hangzhou", parent=ZHEJIANG)
    assert [j.code for j in REGISTRY] == sorted(j.code for j in REGISTRY)
    assert len(REGISTRY) == len(list(REGISTRY))


def test_ancestors_are_listed_nearest_first():
    assert REGISTRY.ancestors(HANGZHOU) == [ZHEJIANG, NATIONAL]
    assert REGISTRY.ancestors(SHANGHAI) == [NATIONAL]
    assert REGISTRY.ancestors(NATIONAL) == []


def test_supervision_runs_down_the_tree_only():
    assert REGISTRY.is_ancestor(ZHEJIANG, HANGZHOU) and REGISTRY.is_ancestor(NATIONAL, HANGZHOU)
    assert not REGISTRY.is_ancestor(HANGZHOU, ZHEJIANG)
    assert not REGISTRY.is_ancestor(JIANGSU, HANGZHOU)
    assert not REGISTRY.is_ancestor(HANGZHOU, HANGZHOU)
    assert not REGISTRY.is_ancestor(NATIONAL, "999999")


@pytest.mark.parametrize(
    ("codes", "superiors"),
    [
        ((HANGZHOU, NINGBO), [ZHEJIANG, NATIONAL]),
        ((HANGZHOU, SUZHOU), [NATIONAL]),
        ((HANGZHOU, SHANGHAI), [NATIONAL]),
        ((HANGZHOU, HANGZHOU), [ZHEJIANG, NATIONAL]),
        ((HANGZHOU, ZHEJIANG), [NATIONAL]),
        ((HANGZHOU, NINGBO, SUZHOU), [NATIONAL]),
        ((), []),
    ],
)
def test_common_superiors_supervise_every_jurisdiction_nearest_first(codes, superiors):
    assert REGISTRY.common_superiors(*codes) == superiors


def test_an_unknown_code_is_a_validation_error_naming_the_field():
    with pytest.raises(UnknownJurisdictionError) as info:
        REGISTRY.get("999999")
    assert (info.value.code, info.value.field, info.value.jurisdiction) == ("VALIDATION", "jurisdiction", "999999")

    with pytest.raises(UnknownJurisdictionError) as info:
        REGISTRY.require("999999", field="participants")
    assert info.value.field == "participants"
    assert REGISTRY.require(SUZHOU) == SUZHOU


def test_a_deployment_file_adds_and_overrides_jurisdictions(tmp_path):
    extra = write_registry(
        tmp_path,
        {"code": "330106", "name": "西湖区", "name_en": "Xihu District", "parent": HANGZHOU},
        {"code": SHENZHEN, "name": "深圳市市场监督管理局", "parent": "440000"},
    )

    registry = JurisdictionRegistry.load(extra)

    assert registry.ancestors("330106") == [HANGZHOU, ZHEJIANG, NATIONAL]
    assert registry.get(SHENZHEN).name == "深圳市市场监督管理局"
    assert registry.get(SHENZHEN).name_en == "深圳市市场监督管理局"  # falls back to the name
    assert len(registry) == len(REGISTRY) + 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"jurisdictions": [{"code": "110000", "parent": "990000"}]}, "unknown parent"),
        ({"jurisdictions": [{"code": "110000", "parent": "120000"}, {"code": "120000", "parent": "110000"}]}, "its own ancestor"),
        ({"jurisdictions": [{"code": "11a000"}]}, "bad jurisdiction entry"),
        ({"jurisdictions": [{"name": "no code"}]}, "bad jurisdiction entry"),
        ({"codes": []}, "needs a 'jurisdictions' list"),
    ],
)
def test_a_malformed_registry_is_rejected(data, message):
    with pytest.raises(ValueError, match=message):
        JurisdictionRegistry.from_mapping(data)
