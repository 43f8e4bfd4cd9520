"""Revocations hold at once, over real HTTP with real tokens, in every API process sharing the
database: a revoked client's live tokens, a revoked signing key's tokens, and a rotation for
the tokens issued next. "Another process" is a second app on the same database and the CLI's
own connection, as in production."""

from __future__ import annotations

import json

import pytest
from conftest import mutation, open_case_input

from casebridge.cli import main
from casebridge.infra.auth import ClientStore, SigningKeyStore
from casebridge.infra.database import Database

ME = "{ me { clientId } }"


def kid_of(token: str) -> str:
    import base64

    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


@pytest.fixture
def cli(settings, monkeypatch, capsys):
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", settings.database.raw)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def other_process(make_api, settings):
    return make_api(settings)


def test_a_revoked_clients_live_token_is_refused_at_once_by_every_process(api, other_process, hangzhou, cli):
    assert hangzhou.data(ME)["me"]["clientId"] == hangzhou.client_id
    assert hangzhou.post(ME, token=hangzhou.token).status_code == 200
    assert other_process.http.post("/graphql", json={"query": ME},
                                   headers={"Authorization": f"Bearer {hangzhou.token}"}).status_code == 200

    code, out, _ = cli("client", "revoke", hangzhou.client_id)

    assert code == 0 and "refused" in out
    for process in (api, other_process):
        response = process.http.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {hangzhou.token}"})
        assert response.status_code == 401
        assert 'error="invalid_token"' in response.headers["www-authenticate"] and "revoked" in response.text


def test_a_revoked_client_cannot_write_with_its_live_token(api, hangzhou, settings):

    db = Database(settings.database)
    try:
        ClientStore(db).revoke(hangzhou.client_id)
    finally:
        db.close()
    head = api.log_head()

    response = hangzhou.post(mutation("openCase", "case { id }"), {"input": open_case_input()})

    assert response.status_code == 401
    assert api.log_head() == head  # nothing written


def test_other_clients_tokens_stand_when_one_client_is_revoked(api, hangzhou, shanghai):
    ClientStore(api.app.state.db).revoke(hangzhou.client_id)

    assert shanghai.data(ME)["me"]["clientId"] == shanghai.client_id


def test_a_revoked_signing_key_stops_its_tokens_in_every_process_and_a_new_key_signs(api, other_process, hangzhou, cli):
    old_kid = kid_of(hangzhou.token)
    assert other_process.http.post("/graphql", json={"query": ME},
                                   headers={"Authorization": f"Bearer {hangzhou.token}"}).status_code == 200

    code, out, _ = cli("keys", "revoke", old_kid)

    assert code == 0 and old_kid in out
    for process in (api, other_process):
        response = process.http.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {hangzhou.token}"})
        assert response.status_code == 401 and "signing key was revoked" in response.text
        jwks = process.http.get("/oauth/jwks").json()
        assert old_kid not in {key["kid"] for key in jwks["keys"]}
    fresh = other_process.token(hangzhou.client_id, hangzhou.client_secret)
    assert kid_of(fresh) != old_kid
    assert hangzhou.post(ME, token=fresh).status_code == 200
    assert other_process.http.post("/graphql", json={"query": ME},
                                   headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_a_rotation_by_another_process_changes_the_key_of_the_next_token_at_once(api, hangzhou, settings):
    before = kid_of(api.token(hangzhou.client_id, hangzhou.client_secret))
    db = Database(settings.database)
    try:
        rotated = SigningKeyStore(db).rotate()
    finally:
        db.close()

    after = api.token(hangzhou.client_id, hangzhou.client_secret)

    assert before != rotated.kid and kid_of(after) == rotated.kid
    assert hangzhou.post(ME, token=after).status_code == 200


def test_keys_revoke_of_a_retired_key_keeps_the_active_one_and_lists_it_as_revoked(cli, settings):
    db = Database(settings.database)
    try:
        first = SigningKeyStore(db).ensure_active()
        second = SigningKeyStore(db).rotate()
    finally:
        db.close()

    code, out, _ = cli("keys", "revoke", first.kid)

    assert code == 0 and "is active now" not in out
    _, listing, _ = cli("keys", "list", "--json")
    statuses = {row["kid"]: row["status"] for row in json.loads(listing)}
    assert statuses == {first.kid: "revoked", second.kid: "active"}
    assert cli("keys", "revoke", first.kid)[1].startswith(f"Signing key {first.kid} was already revoked")


@pytest.mark.parametrize(("kid", "said"), [("no-such-kid", "no signing key"), ("a\x00b", "unacceptable character"),
                                           ("-", "no signing key")])
def test_keys_revoke_of_an_unknown_key_fails_with_one_line_and_changes_nothing(cli, settings, kid, said):
    db = Database(settings.database)
    try:
        active = SigningKeyStore(db).ensure_active()
        code, _, err = cli("keys", "revoke", "--", kid)
        assert SigningKeyStore(db).active_kid() == active.kid
    finally:
        db.close()

    assert code != 0 and len(err.strip().splitlines()) == 1 and said in err
