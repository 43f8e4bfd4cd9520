"""The embedded SQLite database on a disk that fills up, or on a volume that is read-only:
clear, coded answers (never a stack trace), nothing half-written, and service again once
space is freed, without restarting the server."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import httpx
import pytest

from scale.live import Deployment

pytestmark = pytest.mark.slow

OPEN_CASE = """mutation($input: OpenCaseInput!) { openCase(input: $input) {
  __typename ... on OpenCaseSuccess { case { id version } } ... on Problem { code message } } }"""
CHECK = """query($id: ID!) { case(id: $id) { id title } verifyCase(caseId: $id) { valid eventCount } }"""
STORAGE_CODES = {"INTERNAL", "UNAVAILABLE", "READ_MODEL_LAGGING"}


def open_case_input(n: int, key: str, summary: str = "Test purchases.") -> dict:
    return {"input": {"title": f"Expired infant formula {n}", "summary": summary, "category": "FOOD_SAFETY",
                      "subject": {"name": "Warehouse Outlet", "kind": "MARKETPLACE_SELLER"}, "clientMutationId": key}}


def no_trace(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and ".py" not in text, text


def fill(directory) -> None:
    """Take every free block of the tmpfs."""
    subprocess.run(["dd", "if=/dev/zero", f"of={directory}/filler", "bs=64k"], capture_output=True)


def test_a_full_disk_gets_coded_errors_corrupts_nothing_and_recovers_once_space_is_freed(tiny_disk, tmp_path):
    database = tiny_disk / "casebridge.db"
    deployment = Deployment(f"sqlite:///{database}", tmp_path).migrate()
    try:
        server = deployment.serve()
        caller = deployment.caller("440300").sign_in(server)
        opened = [caller.data(server, OPEN_CASE, open_case_input(n, f"before-{n}"))["openCase"]["case"]["id"]
                  for n in range(3)]

        fill(tiny_disk)
        refused = 0
        for n in range(6):  # big summaries: each needs new pages the disk no longer has
            response = caller.post(server, OPEN_CASE, open_case_input(100 + n, f"full-{n}", "x" * 9_000))
            no_trace(response.text)
            assert response.status_code in (200, 503)
            body = response.json()
            if body.get("errors") or response.status_code == 503:
                refused += 1
                assert {e["extensions"]["code"] for e in body.get("errors", [])} <= STORAGE_CODES, body
            else:  # SQLite found room in a free page: then it is a whole, readable case
                assert body["data"]["openCase"]["__typename"] == "OpenCaseSuccess", body
        assert refused >= 1
        ready = httpx.get(f"{server.base}/readyz", timeout=30)
        no_trace(ready.text)

        os.unlink(tiny_disk / "filler")
        again = caller.post(server, OPEN_CASE, open_case_input(200, "after-0"))
        for _ in range(30):  # the projections may be backing off after their failed batch
            if again.status_code == 200 and "errors" not in again.json():
                break
            again = caller.post(server, OPEN_CASE, open_case_input(200, "after-0"))
        assert again.json()["data"]["openCase"]["__typename"] == "OpenCaseSuccess", again.text
        opened.append(again.json()["data"]["openCase"]["case"]["id"])
        assert server.alive()

        for case_id in opened:
            data = caller.data(server, CHECK, {"id": case_id})
            assert data["case"]["id"] == case_id and data["verifyCase"]["valid"] is True
    finally:
        deployment.close()
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_database_on_a_read_only_volume_is_refused_with_one_clear_line_and_left_unchanged(tiny_disk, tmp_path):
    database = tiny_disk / "casebridge.db"
    deployment = Deployment(f"sqlite:///{database}", tmp_path).migrate()
    deployment.caller("440300")
    before = database.read_bytes()
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], capture_output=True, text=True)
    assert remounted.returncode == 0, remounted.stderr
    try:
        env = {**os.environ, "CASEBRIDGE_DATABASE_URL": f"sqlite:///{database}"}
        for command in (["serve", "--port", "0"], ["client", "create", "--jurisdiction", "440300", "--scope",
                                                     "cases:read", "--json"]):
            done = subprocess.run([sys.executable, "-m", "casebridge", *command], env=env, capture_output=True,
                                  text=True, timeout=60, stdin=subprocess.DEVNULL)
            assert done.returncode != 0
            assert done.stderr.strip().startswith("casebridge: error:"), done.stderr
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
            no_trace(done.stderr)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], capture_output=True)
    assert database.read_bytes() == before
