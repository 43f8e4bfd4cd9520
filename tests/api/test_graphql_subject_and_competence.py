"""The subject's credit code, places, platform and store over GraphQL; `competentJurisdictions`
(投诉举报办法 Art 27); and the first filer told at `openCase` (行政处罚法 Art 25), minimally."""

from __future__ import annotations

from conftest import HANGZHOU, SHANGHAI, SHENZHEN, open_case_input

CODE = "91330100MA2H000X0J"
ALIBABA = "91330100799655058B"
XIHU = "330106"

SUBJECT_FIELDS = """subject { name kind creditCode domicile { code name } placeOfBusiness { code }
                             platformOperator { name creditCode domicile { code } } store }"""
EARLIER = "earlierFilings { jurisdiction { code name } since }"


def seller(**overrides) -> dict:
    value = {"name": "杭州明星贸易有限公司", "kind": "MARKETPLACE_SELLER", "creditCode": CODE, "domicile": HANGZHOU,
             "placeOfBusiness": XIHU, "platformOperator": {"name": "淘宝", "creditCode": ALIBABA, "domicile": XIHU},
             "store": "https://shop.example.cn/88231"}
    value.update(overrides)
    return value


def open_with(caller, subject: dict, selection: str = "") -> dict:
    return caller.mutate("openCase", open_case_input(subject=subject), f"case {{ id {SUBJECT_FIELDS} }} {EARLIER} {selection}")


def test_a_case_is_opened_with_the_subjects_code_places_platform_and_store(hangzhou):
    result = open_with(hangzhou, seller(creditCode="91330100ma2h000x0j"))

    assert result["__typename"] == "OpenCaseSuccess"
    assert result["case"]["subject"] == {
        "name": "杭州明星贸易有限公司", "kind": "MARKETPLACE_SELLER", "creditCode": CODE,
        "domicile": {"code": HANGZHOU, "name": "杭州市市场监督管理局"}, "placeOfBusiness": {"code": XIHU},
        "platformOperator": {"name": "淘宝", "creditCode": ALIBABA, "domicile": {"code": XIHU}},
        "store": "https://shop.example.cn/88231"}
    assert result["earlierFilings"] == []


def test_a_subject_without_the_new_fields_opens_as_before(hangzhou):
    result = open_with(hangzhou, {"name": "张某", "kind": "NATURAL_PERSON"})

    assert result["case"]["subject"] == {"name": "张某", "kind": "NATURAL_PERSON", "creditCode": None, "domicile": None,
                                         "placeOfBusiness": None, "platformOperator": None, "store": None}


def test_bad_codes_are_refused_with_the_field_path_and_nothing_is_written(api, hangzhou):
    head = api.log_head()
    for subject, field in (
        (seller(creditCode="91330100MA2H000X0Q"), "subject.creditCode"),
        (seller(platformOperator={"name": "淘宝", "creditCode": "91330100799655058C"}), "subject.platformOperator.creditCode"),
        (seller(domicile="310100"), "subject.domicile"),
        (seller(placeOfBusiness="12345x"), "subject.placeOfBusiness"),
        (seller(platformOperator={"name": " ", "domicile": XIHU}), "subject.platformOperator.name"),
    ):
        result = open_with(hangzhou, subject)
        assert (result["__typename"], result["code"], result["field"]) == ("ValidationProblem", "VALIDATION", field), subject
    assert api.log_head() == head


COMPETENT = """query($subject: SubjectInput!) { competentJurisdictions(subject: $subject) {
    jurisdiction { code name } rule conditional explanationZh explanationEn article } }"""


def test_competent_jurisdictions_of_a_seller_are_its_place_of_business_and_if_first_its_platforms_domicile(api):
    reader = api.caller(SHENZHEN, "cases:read")

    first, second = reader.data(COMPETENT, {"subject": seller(placeOfBusiness=SHENZHEN)})["competentJurisdictions"]

    assert (first["jurisdiction"]["code"], first["rule"], first["conditional"]) == (SHENZHEN, "SELLER_PLACE_OF_BUSINESS", False)
    assert "实际经营地" in first["explanationZh"] and "place of business" in first["explanationEn"]
    assert (second["jurisdiction"]["code"], second["rule"], second["conditional"]) == (
        XIHU, "PLATFORM_DOMICILE_IF_FIRST_RECEIVED", True)
    assert "received the lead first" in second["explanationEn"] and "第二十七条" in second["article"]


def test_a_platform_operator_is_competent_at_its_domicile(hangzhou):
    subject = {"name": "某电商平台", "kind": "PLATFORM_OPERATOR", "creditCode": ALIBABA, "domicile": XIHU}

    [answer] = hangzhou.data(COMPETENT, {"subject": subject})["competentJurisdictions"]

    assert (answer["jurisdiction"]["code"], answer["rule"]) == (XIHU, "PLATFORM_OPERATOR_DOMICILE")


def test_competence_without_the_place_the_rule_needs_is_a_validation_error_naming_it(hangzhou):
    for subject, field in (
        ({"name": "某电商平台", "kind": "PLATFORM_OPERATOR"}, "subject.domicile"),
        ({"name": "某网店", "kind": "LIVESTREAM_SELLER", "domicile": HANGZHOU}, "subject.placeOfBusiness"),
        ({"name": "某工厂", "kind": "MANUFACTURER", "domicile": HANGZHOU}, "subject.kind"),
        (seller(creditCode="91330100MA2H000X0Q"), "subject.creditCode"),
    ):
        body = hangzhou.gql(COMPETENT, {"subject": subject})
        [error] = body["errors"]
        assert (error["extensions"]["code"], error["extensions"]["field"]) == ("VALIDATION", field), subject
        assert body["data"] is None


def test_opening_on_a_code_another_jurisdiction_has_open_names_it_and_since_when_and_nothing_more(api, hangzhou, shanghai):
    first = open_with(shanghai, seller())
    assert first["earlierFilings"] == []

    second = open_with(hangzhou, seller(), "case { version }")

    assert second["__typename"] == "OpenCaseSuccess" and second["case"]["version"] == 1  # opened all the same
    [filing] = second["earlierFilings"]
    assert filing["jurisdiction"] == {"code": SHANGHAI, "name": "上海市市场监督管理局"}
    assert filing["since"] == shanghai.data("query($id: ID!) { case(id: $id) { openedAt } }",
                                            {"id": first["case"]["id"]})["case"]["openedAt"]
    # The disclosure is the jurisdiction and the date: Shanghai's case itself still does not exist for Hangzhou.
    assert hangzhou.data("query($id: ID!) { case(id: $id) { id } }", {"id": first["case"]["id"]})["case"] is None
    found = hangzhou.data("query($c: String!) { cases(filter: {creditCode: $c}) { edges { node { id } } } }", {"c": CODE})
    assert [e["node"]["id"] for e in found["cases"]["edges"]] == [second["case"]["id"]]


def test_a_closed_case_or_a_subject_without_a_code_tells_of_no_earlier_filing(hangzhou, shanghai):
    closed = open_with(shanghai, seller())
    shanghai.succeed("closeCase", {"caseId": closed["case"]["id"], "outcome": "NO_VIOLATION"})
    open_with(shanghai, seller(creditCode=None, identifier="someone else"))

    assert open_with(hangzhou, seller())["earlierFilings"] == []
    assert open_with(hangzhou, {"name": "张某", "kind": "NATURAL_PERSON"})["earlierFilings"] == []


def test_cases_are_found_by_credit_code_and_by_store_and_a_bad_code_is_named(hangzhou):
    by_code = open_with(hangzhou, seller(store=None))["case"]["id"]
    by_store = open_with(hangzhou, seller(creditCode=ALIBABA, store="shop-account-7"))["case"]["id"]
    query = "query($f: CaseFilter) { cases(filter: $f) { edges { node { id } } } }"

    def ids(f):
        return [e["node"]["id"] for e in hangzhou.data(query, {"f": f})["cases"]["edges"]]

    assert ids({"creditCode": " " + CODE.lower()}) == [by_code]
    assert ids({"store": "shop-account-7"}) == [by_store]
    [error] = hangzhou.gql(query, {"f": {"creditCode": "91330100MA2H000X0Q"}})["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("VALIDATION", "filter.creditCode")


def test_opening_needs_cases_write_whatever_the_subject(api):
    reader = api.caller(SHANGHAI, "cases:read")

    [error] = reader.gql(f"mutation($input: OpenCaseInput!) {{ openCase(input: $input) {{ __typename ... on OpenCaseSuccess {{ {EARLIER} }} }} }}",
                         {"input": open_case_input(subject=seller())})["errors"]

    assert error["extensions"]["code"] == "FORBIDDEN"
