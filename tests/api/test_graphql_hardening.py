"""Abusive requests are refused with a code before they cost anything; unexpected errors
are masked; the IDE and introspection exist only in development."""

from __future__ import annotations

import logging

from casebridge.api.graphql.hardening import MAX_ALIASES, MAX_BODY_BYTES, MAX_DEPTH, MAX_TOKENS


def codes(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body["errors"]]


def test_a_query_nested_too_deeply_is_refused(hangzhou):
    query = "{ jurisdictions { " + "parent { " * MAX_DEPTH + "code" + " }" * MAX_DEPTH + " } }"
    body = hangzhou.gql(query, status=400)
    assert codes(body) == ["QUERY_TOO_DEEP"]
    assert str(MAX_DEPTH) in body["errors"][0]["message"]
    shallower = "{ jurisdictions { " + "parent { " * (MAX_DEPTH - 2) + "code" + " }" * (MAX_DEPTH - 2) + " } }"
    assert hangzhou.data(shallower)["jurisdictions"]


def test_five_hundred_aliases_are_refused(hangzhou):
    query = "{ " + " ".join(f"a{i}: me {{ clientId }}" for i in range(500)) + " }"
    assert codes(hangzhou.gql(query, status=400)) in (["TOO_MANY_TOKENS"], ["TOO_MANY_ALIASES"])
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(500)) + " }"
    body = hangzhou.gql(query, status=400)
    assert codes(body) == ["TOO_MANY_ALIASES"]
    assert str(MAX_ALIASES) in body["errors"][0]["message"]


def test_a_document_with_too_many_tokens_is_refused_while_parsing(hangzhou):
    query = "{ " + "__typename " * (MAX_TOKENS + 1) + "}"
    assert codes(hangzhou.gql(query, status=400)) == ["TOO_MANY_TOKENS"]


def test_a_one_megabyte_body_is_refused_with_413(api, hangzhou):
    query = "{ me { clientId } }" + " " * (1024 * 1024)
    response = hangzhou.post(query)
    assert response.status_code == 413
    assert codes(response.json()) == ["REQUEST_TOO_LARGE"]


def test_a_streamed_body_over_the_limit_is_refused_without_a_length_header(api, hangzhou):
    def chunks():
        for _ in range(MAX_BODY_BYTES // 1024 + 2):
            yield b" " * 1024

    response = api.http.post("/graphql", content=chunks(), headers={
        "Authorization": f"Bearer {hangzhou.token}", "Content-Type": "application/json"})
    assert response.status_code == 413


def test_a_huge_first_is_refused_as_too_costly_or_out_of_range(hangzhou):
    body = hangzhou.gql("{ cases(first: 1000000) { edges { node { id } } } }", status=400)
    assert codes(body) == ["QUERY_TOO_COMPLEX"]

    body = hangzhou.gql("query($n: Int!) { cases(first: $n) { edges { node { id } } } }", {"n": 1_000_000})
    assert body["data"] is None
    assert codes(body) == ["BAD_USER_INPUT"]


def test_a_page_whose_nested_lists_multiply_past_the_budget_is_refused(hangzhou):
    query = """{ cases(first: 100) { edges { node { evidenceRequests { case { evidenceRequests { case {
      jointActions { tasks { title } } } } } } } } } }"""
    assert codes(hangzhou.gql(query, status=400)) == ["QUERY_TOO_COMPLEX"]


def test_a_batch_of_operations_is_refused(api, hangzhou):
    response = api.http.post("/graphql", json=[{"query": "{ me { clientId } }"}, {"query": "{ me { clientId } }"}],
                             headers={"Authorization": f"Bearer {hangzhou.token}"})
    assert response.status_code == 400
    assert codes(response.json()) == ["BATCHING_NOT_SUPPORTED"]


def test_a_body_that_is_not_json_or_not_json_typed_is_refused(api, hangzhou):
    auth = {"Authorization": f"Bearer {hangzhou.token}"}
    response = api.http.post("/graphql", content=b"{not json", headers={**auth, "Content-Type": "application/json"})
    assert response.status_code == 400
    response = api.http.post("/graphql", content=b"query { me { clientId } }", headers={**auth, "Content-Type": "text/plain"})
    assert response.status_code == 415


def test_introspection_is_refused_in_production(hangzhou):
    body = hangzhou.gql("{ __schema { queryType { name } } }", status=400)
    assert codes(body) == ["INTROSPECTION_DISABLED"]
    body = hangzhou.gql('{ __type(name: "Case") { name } }', status=400)
    assert codes(body) == ["INTROSPECTION_DISABLED"]
    assert hangzhou.data("{ me { __typename } }") == {"me": {"__typename": "Viewer"}}


def test_field_suggestions_are_withheld_in_production(hangzhou):
    body = hangzhou.gql("{ mee { clientId } }", status=400)
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Did you mean" not in body["errors"][0]["message"]
    body = hangzhou.gql('{ cases(filter: {status: OPN}) { edges { cursor } } }', status=400)
    assert "Did you mean" not in str(body)


def test_introspection_suggestions_and_the_ide_are_there_in_development(make_api, settings):
    api = make_api(settings, environment="development")
    developer = api.caller("330100")
    schema = developer.data("{ __schema { queryType { name } mutationType { name } subscriptionType { name } } }")
    assert schema["__schema"] == {"queryType": {"name": "Query"}, "mutationType": {"name": "Mutation"},
                                  "subscriptionType": {"name": "Subscription"}}
    assert "Did you mean" in developer.gql("{ mee { clientId } }", status=400)["errors"][0]["message"]
    ide = api.http.get("/graphql", headers={"Accept": "text/html"})
    assert ide.status_code == 200 and "graphiql" in ide.text.lower()


def test_there_is_no_ide_in_production(api):
    response = api.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 401  # a GET is a request like any other: it needs a token
    assert "graphiql" not in response.text.lower()


def test_queries_may_come_by_get_but_mutations_may_not(api, hangzhou):
    auth = {"Authorization": f"Bearer {hangzhou.token}"}
    response = api.http.get("/graphql", params={"query": "{ me { jurisdiction { code } } }"}, headers=auth)
    assert response.status_code == 200
    assert response.json() == {"data": {"me": {"jurisdiction": {"code": "330100"}}}}

    head = api.log_head()
    opening = ('mutation { openCase(input: {title: "t", summary: "s", subject: {name: "n", kind: MANUFACTURER}, '
               'category: OTHER}) { __typename } }')
    response = api.http.get("/graphql", params={"query": opening}, headers=auth)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert api.log_head() == head


def test_subscriptions_are_refused_over_http(hangzhou):
    body = hangzhou.gql("subscription { inboxChanged { evidenceRequests { id } } }", status=400)
    assert codes(body) == ["BAD_REQUEST"]


def test_an_unexpected_error_is_masked_with_a_request_id_and_logged_in_full(api, hangzhou, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("connection to 10.0.0.7 failed: password hunter2 rejected")

    monkeypatch.setattr(api.app.state.read_models.cases, "page", broken)
    with caplog.at_level(logging.ERROR, logger="casebridge.api.graphql"):
        response = hangzhou.post("{ cases(first: 5) { edges { node { id } } } }")

    assert response.status_code == 200
    error = response.json()["errors"][0]
    request_id = response.headers["x-request-id"]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": request_id}
    assert "hunter2" not in response.text and "10.0.0.7" not in response.text
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and "hunter2" in logged[0].getMessage() + str(logged[0].exc_info)


def test_a_failure_outside_any_field_is_a_masked_500_with_a_request_id(api, hangzhou, monkeypatch, caplog):
    import casebridge.api.graphql.router as router

    def broken(*args, **kwargs):
        raise RuntimeError("executor exploded: secret=hunter2")

    monkeypatch.setattr(router.GraphQLPipeline, "execute", broken)
    with caplog.at_level(logging.ERROR, logger=router.__name__):
        response = hangzhou.post("{ me { clientId } }")
    assert response.status_code == 500
    assert response.json()["errors"][0]["extensions"] == {"code": "INTERNAL", "requestId": response.headers["x-request-id"]}
    assert "hunter2" not in response.text
    assert any(response.headers["x-request-id"] in r.getMessage() for r in caplog.records)


def test_unreachable_storage_is_reported_as_unavailable_without_its_details(api, hangzhou, monkeypatch):
    from casebridge.infra.database import StorageUnavailableError

    def down(*args, **kwargs):
        raise StorageUnavailableError("connection to server at 10.0.0.7, port 5432 failed")

    monkeypatch.setattr(api.app.state.read_models.cases, "get", down)
    response = hangzhou.post('{ case(id: "x") { id } }')
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "UNAVAILABLE", "requestId": response.headers["x-request-id"]}
    assert "10.0.0.7" not in response.text


def test_the_same_query_text_is_parsed_and_validated_once_and_a_refused_one_is_never_kept(api, hangzhou):
    documents = api.app.state.graphql.documents
    hangzhou.gql("{ me { clientId scopes } }")
    before = documents.cache_info()
    hangzhou.gql("{ me { clientId scopes } }")
    after = documents.cache_info()
    assert (after.hits, after.misses, after.size) == (before.hits + 1, before.misses, before.size)

    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(100)) + " }"
    for _ in range(2):
        before = documents.cache_info()
        hangzhou.gql(aliases, status=400)
        after = documents.cache_info()
        assert (after.hits, after.misses, after.size) == (before.hits, before.misses + 1, before.size)
