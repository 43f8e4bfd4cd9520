"""The `casebridge` command as an operator uses it: real database, real output, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from casebridge.cli import main
from casebridge.infra.settings import Settings


def _run(monkeypatch, database_url: str, *argv: str) -> int:
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", database_url)
    return main(list(argv))


def _event_count(database_url: str) -> int:
    from casebridge.application.app import CaseBridge

    settings = Settings.from_env({"CASEBRIDGE_DATABASE_URL": database_url})
    app = CaseBridge(env=settings.database.eventsourcing_env())
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def test_help_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "casebridge", "--help"], capture_output=True, text=True, timeout=60).stdout
    for command in ("migrate", "serve", "demo", "client", "worker", "projections", "checkpoint", "export", "verify-export"):
        assert command in out


def test_demo_twice_leaves_one_demo_data_set(monkeypatch, database_url, capsys):
    assert _run(monkeypatch, database_url, "demo", "--json") == 0
    first = json.loads(capsys.readouterr().out)
    events = _event_count(database_url)
    assert events > 20
    assert {c["jurisdiction"] for c in first} >= {"330100", "310000", "320500", "440300"}

    assert _run(monkeypatch, database_url, "demo", "--json") == 0
    assert json.loads(capsys.readouterr().out) == first
    assert _event_count(database_url) == events


def test_migrate_twice_is_harmless(monkeypatch, database_url, capsys):
    assert _run(monkeypatch, database_url, "migrate") == 0
    assert _run(monkeypatch, database_url, "migrate") == 0
    assert "schema ready" in capsys.readouterr().out


def test_a_bad_database_url_is_one_line_and_a_non_zero_exit(monkeypatch, capsys):
    assert _run(monkeypatch, "mysql://nope/db", "migrate") != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("casebridge: error:") and "unsupported scheme" in err[0]


def test_an_unreachable_database_is_one_line_and_a_non_zero_exit(monkeypatch, capsys):
    assert _run(monkeypatch, "postgresql://postgres@127.0.0.1:1/none", "migrate") != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot prepare the database" in err[0]


@pytest.mark.parametrize("argv", [["verify", "not-a-case"], ["verify-export", "/no/such/file"]])
def test_legal_commands_refuse_bad_arguments_in_one_line(monkeypatch, tmp_path, capsys, argv):
    assert _run(monkeypatch, f"sqlite:///{tmp_path / 'x.db'}", *argv) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_serve_without_projections_on_sqlite_is_refused_in_one_line(monkeypatch, tmp_path, capsys):
    assert _run(monkeypatch, f"sqlite:///{tmp_path / 'x.db'}", "serve", "--no-projections") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs PostgreSQL" in err[0]
