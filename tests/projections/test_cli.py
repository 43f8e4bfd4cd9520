"""`casebridge projections status|rebuild` and `casebridge worker`'s refusal on SQLite."""

from __future__ import annotations

import json

import pytest

from casebridge.cli import main

from .conftest import busy_history, dump


@pytest.fixture
def cli(settings, monkeypatch):
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", settings.database.raw)
    return main


def test_status_shows_position_head_and_lag_of_every_read_model(app, db, catch_up, cli, capsys):
    busy_history(app, 4)
    assert cli(["projections", "status", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    head = app.max_position()
    assert before["head"] == head
    assert {p["name"] for p in before["projections"]} == {
        "cases", "visibility", "transfers", "evidence_requests", "joint_actions", "statistics", "leads"}
    assert all(p["position"] == 0 and p["lag"] == head for p in before["projections"])

    catch_up()
    assert cli(["projections", "status"]) == 0
    table = capsys.readouterr().out
    assert "head of the log" in table and "cases" in table and "live" in table
    assert cli(["projections", "status", "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert all((p["lag"], p["version"], p["status"]) == (0, p["code_version"], "live") for p in after["projections"])


def test_rebuild_of_one_read_model_shows_progress_and_keeps_the_rows(app, db, catch_up, cli, capsys):
    busy_history(app, 10)
    catch_up()
    before = dump(db)
    assert cli(["projections", "rebuild", "cases", "--page-size", "5"]) == 0
    out, err = capsys.readouterr()
    assert "rebuilt cases up to position" in out
    assert "cases" in err and "100.0%" in err and "ETA" in err
    assert dump(db) == before


def test_rebuild_of_an_unknown_read_model_is_refused(cli, capsys):
    assert cli(["projections", "rebuild", "nope"]) == 1
    assert "unknown read model 'nope'" in capsys.readouterr().err


def test_the_worker_refuses_to_run_on_sqlite(sqlite_settings, monkeypatch, capsys):
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", sqlite_settings.database.raw)
    assert main(["worker"]) == 1
    assert "needs PostgreSQL" in capsys.readouterr().err
