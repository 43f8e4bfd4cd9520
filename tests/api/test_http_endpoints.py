"""The plain HTTP endpoints beside GraphQL: the court export, metrics and health."""

from __future__ import annotations

from conftest import HANGZHOU, SHA_A, SHANGHAI, SHENZHEN, WRITE_SCOPES

from casebridge.infra.audit.export import verify_export

LEGAL = WRITE_SCOPES + " history:read"


def test_a_case_export_over_http_verifies_offline(api, open_case):
    hz = api.caller(HANGZHOU, LEGAL)
    case = open_case(hz)["id"]
    hz.succeed("addEvidence", {"caseId": case, "title": "Receipt", "sha256": SHA_A})
    response = api.http.get(f"/cases/{case}/export", headers={"Authorization": f"Bearer {hz.token}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment;")
    report = verify_export(response.content)
    assert report.valid, report.problems
    assert report.event_count == 2 and report.case_id == case.replace("-", "")


def test_an_export_of_an_invisible_case_is_not_found(api, open_case):
    case = open_case(api.caller(HANGZHOU, LEGAL))["id"]
    outsider = api.caller(SHENZHEN, LEGAL)
    response = api.http.get(f"/cases/{case}/export", headers={"Authorization": f"Bearer {outsider.token}"})
    assert response.status_code == 404
    assert api.http.get("/cases/not-a-case/export", headers={"Authorization": f"Bearer {outsider.token}"}).status_code == 404


def test_an_export_needs_a_token_and_the_history_scope(api, open_case):
    hz = api.caller(HANGZHOU, WRITE_SCOPES)
    case = open_case(hz)["id"]
    no_token = api.http.get(f"/cases/{case}/export")
    assert no_token.status_code == 401 and no_token.headers["www-authenticate"].startswith("Bearer")
    no_scope = api.http.get(f"/cases/{case}/export", headers={"Authorization": f"Bearer {hz.token}"})
    assert no_scope.status_code == 403 and "insufficient_scope" in no_scope.headers["www-authenticate"]


def test_metrics_count_requests_by_route_and_show_projection_lag(api, open_case):
    open_case(api.caller(SHANGHAI))
    text = api.http.get("/metrics").text
    assert 'casebridge_http_requests_total{method="POST",route="/graphql",status="200"}' in text
    assert "casebridge_event_log_head " in text
    assert "casebridge_projection_lag_events{projection=" in text


def test_health_and_readiness_answer(api):
    assert api.http.get("/healthz").json() == {"status": "ok"}
    assert api.http.get("/readyz").json() == {"status": "ready"}
