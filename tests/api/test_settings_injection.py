"""`create_app(settings)` runs on the settings it is given: the environment is read once, by
`Settings.from_env`, never again behind the caller's back."""

from fastapi.testclient import TestClient

from casebridge.api.app import create_app


def test_injected_settings_decide_the_issuer_whatever_the_environment(settings, monkeypatch, configured):
    monkeypatch.setenv("CASEBRIDGE_ISSUER", "https://somewhere-else.example")
    monkeypatch.setenv("CASEBRIDGE_METRICS_TOKEN", "an-environment-token-0123456789")

    with TestClient(create_app(configured(settings, CASEBRIDGE_ISSUER="https://casebridge.amr.example"))) as http:
        metadata = http.get("/.well-known/oauth-authorization-server").json()
        metrics = http.get("/metrics")

    assert metadata["issuer"] == "https://casebridge.amr.example"
    assert metrics.status_code == 200  # no metrics token in the settings: open, whatever the environment says


def test_settings_carry_every_section_from_one_reading():
    from casebridge.infra.settings import Settings

    settings = Settings.from_env({"CASEBRIDGE_TOKEN_TTL": "120", "CASEBRIDGE_BODY_TIMEOUT": "7",
                                  "CASEBRIDGE_WS_MAX_SUBSCRIPTIONS": "9", "CASEBRIDGE_CHECKPOINT_INTERVAL": "0"})

    assert (settings.auth.token_ttl, settings.requests.body_timeout, settings.live.subscriptions_per_principal,
            settings.checkpoint_interval) == (120, 7.0, 9, 0.0)
