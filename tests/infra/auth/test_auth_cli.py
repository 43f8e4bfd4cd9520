"""`casebridge client ...` and `casebridge keys ...` against a real database."""

from __future__ import annotations

import json

import pytest

from casebridge.cli import main
from casebridge.infra.auth import ClientStore, SigningKeyStore


@pytest.fixture
def cli(settings, monkeypatch, capsys):
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", settings.database.raw)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_client_create_prints_exactly_one_json_object_with_the_credentials(cli, db):
    code, out, _ = cli("client", "create", "--jurisdiction", "310000", "--scope", "cases:write cases:read", "--json")

    assert code == 0
    created = json.loads(out)
    assert set(created) == {"client_id", "client_secret", "jurisdiction", "scope"}
    assert created["jurisdiction"] == "310000"
    assert created["scope"] == "cases:read cases:write"
    assert len(created["client_secret"]) >= 43  # 32 random bytes, base64url
    stored = ClientStore(db).get(created["client_id"])
    assert stored is not None and stored.check_secret(created["client_secret"])


def test_client_create_without_json_prints_the_credentials_for_people(cli):
    code, out, _ = cli("client", "create", "--jurisdiction", "330100", "--scope", "cases:read", "--name", "Hangzhou AMR")

    assert code == 0
    assert "client_id:" in out and "client_secret:" in out and "Hangzhou AMR" in out


def test_client_list_shows_clients_without_their_secrets(cli):
    _, out, _ = cli("client", "create", "--jurisdiction", "440300", "--scope", "history:read", "--json")
    created = json.loads(out)

    code, out, _ = cli("client", "list", "--json")

    assert code == 0
    listed = json.loads(out)
    assert [c["client_id"] for c in listed] == [created["client_id"]]
    assert listed[0]["jurisdiction"] == "440300" and listed[0]["revoked_at"] is None
    assert created["client_secret"] not in out
    assert "secret" not in " ".join(listed[0])


def test_revoked_client_is_listed_as_revoked(cli):
    _, out, _ = cli("client", "create", "--jurisdiction", "320500", "--scope", "cases:read", "--json")
    client_id = json.loads(out)["client_id"]

    code, out, _ = cli("client", "revoke", client_id)

    assert code == 0 and client_id in out
    _, out, _ = cli("client", "list", "--json")
    assert json.loads(out)[0]["revoked_at"] is not None


@pytest.mark.parametrize(
    ("jurisdiction", "scope", "named"),
    [("999999", "cases:read", "999999"), ("310000", "cases:read cases:delete", "cases:delete")],
    ids=["unknown jurisdiction", "unknown scope"],
)
def test_bad_client_request_fails_with_one_line_and_writes_nothing(cli, db, jurisdiction, scope, named):
    code, out, err = cli("client", "create", "--jurisdiction", jurisdiction, "--scope", scope, "--json")

    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and named in err
    assert ClientStore(db).list_all() == []


def test_revoking_an_unknown_client_fails_with_one_line(cli):
    code, _, err = cli("client", "revoke", "no-such-client")

    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "no-such-client" in err


def test_keys_rotate_activates_a_new_key_and_keys_list_shows_the_retired_one(cli, db):
    first = SigningKeyStore(db).ensure_active()

    code, out, _ = cli("keys", "rotate")

    assert code == 0
    keys = {k.kid: k for k in SigningKeyStore(db).load_all()}
    active = [k for k in keys.values() if k.is_active]
    assert len(active) == 1 and active[0].kid != first.kid and active[0].kid in out
    _, out, _ = cli("keys", "list", "--json")
    statuses = {row["kid"]: row["status"] for row in json.loads(out)}
    assert statuses == {first.kid: "retired", active[0].kid: "active"}
