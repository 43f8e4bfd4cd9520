"""`jurisdictions(level, parent, search, first)`: the registry of bureaus over GraphQL, bounded and validated."""

from __future__ import annotations

import json

import pytest
from conftest import HANGZHOU, SHANGHAI, ZHEJIANG

QUERY = """query($level: JurisdictionLevel, $parent: String, $search: String, $first: Int! = 5000) {
  jurisdictions(level: $level, parent: $parent, search: $search, first: $first) { code name nameEn level parent { code } }
}"""


def codes(caller, **variables) -> list[str]:
    return [j["code"] for j in caller.data(QUERY, variables)["jurisdictions"]]


def test_with_no_filter_the_whole_registry_comes_back_in_code_order(hangzhou):
    found = hangzhou.data(QUERY)["jurisdictions"]
    assert 3000 < len(found) < 5000
    assert [j["code"] for j in found] == sorted(j["code"] for j in found)
    assert found[0] == {"code": "100000", "name": "国家市场监督管理总局",
                        "nameEn": "State Administration for Market Regulation", "level": "NATIONAL", "parent": None}


def test_a_provinces_prefectures_and_a_municipalitys_districts_by_level_and_parent(hangzhou):
    assert HANGZHOU in codes(hangzhou, level="PREFECTURE", parent=ZHEJIANG)
    assert all(c.startswith("33") for c in codes(hangzhou, level="PREFECTURE", parent=ZHEJIANG))
    districts = hangzhou.data(QUERY, {"parent": SHANGHAI})["jurisdictions"]
    assert {"code": "310101", "name": "上海市黄浦区市场监督管理局", "nameEn": "上海市黄浦区市场监督管理局",
            "level": "COUNTY", "parent": {"code": SHANGHAI}} in districts
    assert "310100" not in [d["code"] for d in districts]  # a statistical grouping is no bureau


def test_search_matches_a_name_or_a_code_and_first_bounds_the_list(hangzhou):
    assert codes(hangzhou, search="杭州市西湖区") == ["330106"]
    assert codes(hangzhou, search="  Hangzhou ") == [HANGZHOU]
    assert codes(hangzhou, search="3301", first=2) == [HANGZHOU, "330102"]
    assert codes(hangzhou, search="no such bureau") == []


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"parent": "31"}, "parent"),
        ({"parent": "31000x"}, "parent"),
        ({"parent": "999999"}, "parent"),
        ({"search": "x" * 51}, "search"),
        ({"first": 0}, "first"),
        ({"first": 5001}, "first"),
    ],
)
def test_bad_arguments_are_a_validation_error_naming_the_argument(hangzhou, variables, field):
    body = hangzhou.gql(QUERY, variables)
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION" and error["extensions"]["field"] == field


def test_a_deployments_field_offices_are_listed_under_their_bureau(make_api, settings, tmp_path):
    extra = tmp_path / "field-offices.json"
    extra.write_text(json.dumps({"jurisdictions": [
        {"code": "3301060001", "name": "杭州市西湖区市场监督管理局文新市场监督管理所", "parent": "330106"},
    ]}, ensure_ascii=False), "utf-8")
    api = make_api(settings, jurisdictions_file=str(extra))
    caller = api.caller(HANGZHOU)

    offices = caller.data(QUERY, {"level": "FIELD_OFFICE"})["jurisdictions"]

    assert offices == [{"code": "3301060001", "name": "杭州市西湖区市场监督管理局文新市场监督管理所",
                        "nameEn": "杭州市西湖区市场监督管理局文新市场监督管理所", "level": "FIELD_OFFICE",
                        "parent": {"code": "330106"}}]
