"""`casebridge user ...` against a real database, the password piped in on stdin."""

from __future__ import annotations

import io
import json

import pytest

from casebridge.cli import main
from casebridge.infra.auth.issuer.users import UserStore

PASSWORD = "correct horse battery"


@pytest.fixture
def cli(settings, monkeypatch, capsys):
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", settings.database.raw)

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def create(cli, username: str = "li.wei", *, jurisdiction: str = "330100", scope: str = "cases:read cases:write",
           password: str = PASSWORD, name: str | None = None) -> tuple[int, str, str]:
    extra = ("--name", name) if name else ()
    return cli("user", "create", "--username", username, "--jurisdiction", jurisdiction, "--scope", scope, *extra,
               "--password-stdin", stdin=password + "\n")


def test_user_create_reads_the_password_from_stdin_and_stores_only_its_hash(cli, db):
    code, out, _ = create(cli, name="李伟")

    assert code == 0
    assert "li.wei" in out and PASSWORD not in out
    user = UserStore(db).verify_password("li.wei", PASSWORD)
    assert user is not None and (user.display_name, user.jurisdiction, user.scope) == ("李伟", "330100", "cases:read cases:write")


def test_user_list_shows_users_without_their_password_hashes(cli):
    create(cli)
    create(cli, "zhang.min", jurisdiction="310000", scope="cases:read")

    code, out, _ = cli("user", "list", "--json")

    assert code == 0
    listed = json.loads(out)
    assert [(u["username"], u["jurisdiction"], u["scope"], u["disabled_at"]) for u in listed] == [
        ("li.wei", "330100", "cases:read cases:write", None),
        ("zhang.min", "310000", "cases:read", None),
    ]
    assert "argon2" not in out and "hash" not in out


def test_user_list_for_people_is_a_table(cli):
    create(cli)

    code, out, _ = cli("user", "list")

    assert code == 0 and "li.wei" in out and "active" in out


def test_user_disable_marks_the_user_disabled(cli, db):
    create(cli)

    code, out, _ = cli("user", "disable", "li.wei")

    assert code == 0 and "disabled" in out
    assert json.loads(cli("user", "list", "--json")[1])[0]["disabled_at"] is not None
    assert UserStore(db).verify_password("li.wei", PASSWORD) is None


def test_disabling_an_unknown_user_fails_with_one_line(cli):
    code, _, err = cli("user", "disable", "nobody")

    assert code != 0
    assert err.strip().count("\n") == 0 and "nobody" in err


def test_a_duplicate_username_is_refused_with_one_clear_line(cli, db):
    create(cli)

    code, _, err = create(cli, jurisdiction="310000", password="a different password")

    assert code != 0
    assert err.strip().count("\n") == 0 and "already exists" in err
    assert UserStore(db).get("li.wei").jurisdiction == "330100"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "short pass"}, "at least 12 characters"),
        ({"jurisdiction": "999999"}, "unknown jurisdiction"),
        ({"scope": "cases:read cases:delete"}, "unknown scope"),
    ],
    ids=["short password", "unknown jurisdiction", "unknown scope"],
)
def test_a_user_that_cannot_be_created_fails_and_writes_nothing(cli, db, changes, message):
    code, out, err = create(cli, **changes)

    assert code != 0
    assert message in err and err.strip().count("\n") == 0
    assert out == ""
    assert UserStore(db).list_all() == []
