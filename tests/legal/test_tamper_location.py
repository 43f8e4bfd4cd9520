"""Verification names the event that was altered, not its intact successor: in `verify_chain`,
`casebridge verify`, `casebridge verify-export` and GraphQL `verifyCase`, on both stores."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from casebridge.api.app import create_app
from casebridge.application.app import CaseBridge
from casebridge.cli import main
from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind
from casebridge.infra.audit.checkpoints import Checkpointer
from casebridge.infra.auth import ClientStore
from casebridge.infra.database import Database

HZ = Actor("hz", "330100")


def _table_and_key(db: Database, stream) -> tuple[str, object]:
    return ("stored_events", stream.hex) if db.is_sqlite else ("casebridge_events", stream)


def _alter(db: Database, case, version: int) -> None:
    table, key = _table_and_key(db, case)
    state = bytes(db.query_one(f"SELECT state FROM {table} WHERE originator_id = ? AND originator_version = ?",
                               (key, version))[0])
    altered = state.replace(b"330100", b"330109", 1)
    assert altered != state
    db.execute(f"UPDATE {table} SET state = ? WHERE originator_id = ? AND originator_version = ?", (altered, key, version))


def _delete(db: Database, case, version: int) -> None:
    table, key = _table_and_key(db, case)
    db.execute(f"DELETE FROM {table} WHERE originator_id = ? AND originator_version = ?", (key, version))


def _insert_before(db: Database, case, version: int) -> None:
    """Shift `version`.. up by one and put a forged event (a copy of its predecessor) at `version`."""
    table, key = _table_and_key(db, case)
    last = int(db.query_one(f"SELECT MAX(originator_version) FROM {table} WHERE originator_id = ?", (key,))[0])
    for v in range(last, version - 1, -1):
        db.execute(f"UPDATE {table} SET originator_version = ? WHERE originator_id = ? AND originator_version = ?",
                   (v + 1, key, v))
    topic, state = db.query_one(f"SELECT topic, state FROM {table} WHERE originator_id = ? AND originator_version = ?",
                                (key, version - 1))
    db.execute(f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
               (key, version, topic, bytes(state)))


# (what is done to the stored case of 5 events, checkpointed at version 5; the version to name)
TAMPERING = {
    "middle event altered": (lambda db, case: _alter(db, case, 3), 3),
    "first event altered": (lambda db, case: _alter(db, case, 1), 1),
    "last event altered (the checkpoint decides)": (lambda db, case: _alter(db, case, 5), 5),
    "next-to-last event altered (the checkpoint vouches for the last)": (lambda db, case: _alter(db, case, 4), 4),
    "event deleted": (lambda db, case: _delete(db, case, 3), 3),
    "event inserted": (lambda db, case: _insert_before(db, case, 3), 3),
}


@pytest.fixture(params=list(TAMPERING))
def tampered_case(request, settings, database_url, monkeypatch):
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", database_url)
    app = CaseBridge(env=settings.database.eventsourcing_env())
    db = Database(settings.database)
    try:
        case = app.open_case(HZ, title="Chargers", summary="fake", subject=Subject.create("Shop", SubjectKind.LIVESTREAM_SELLER),
                             category=CaseCategory.COUNTERFEIT).aggregate_id
        for i in range(4):
            app.add_evidence(HZ, case, item=EvidenceItem.create(f"photo {i}", f"{i + 1:064x}"))
        Checkpointer(db).checkpoint()
        tamper, expected = TAMPERING[request.param]
        tamper(db, case)
        yield case, expected
    finally:
        app.close()
        db.close()


def test_casebridge_verify_names_the_altered_event(tampered_case, capsys):
    case, expected = tampered_case
    capsys.readouterr()
    assert main(["verify", str(case), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["valid"], report["firstInvalidVersion"]) == (False, expected), report["problem"]


def test_verify_export_names_the_altered_event(tampered_case, tmp_path, capsys):
    case, expected = tampered_case
    out = tmp_path / "case.json"
    assert main(["export", str(case), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["verify-export", str(out), "--json"]) == 1
    problems = " | ".join(json.loads(capsys.readouterr().out)["problems"])
    first_named = re.search(r"version (\d+)", problems)
    assert first_named and int(first_named.group(1)) == expected, problems


def test_verify_case_over_graphql_names_the_altered_middle_event(settings, monkeypatch):
    for name in ("CASEBRIDGE_ISSUER", "CASEBRIDGE_AUDIENCE", "CASEBRIDGE_OIDC_ISSUER", "CASEBRIDGE_ENV"):
        monkeypatch.delenv(name, raising=False)
    app = create_app(settings)
    with TestClient(app, base_url="http://localhost:8000") as http:
        client = ClientStore(app.state.db).create(jurisdiction="330100", scope="cases:read history:read", name="legal")
        token = http.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client.client_id,
                                                "client_secret": client.client_secret}).json()["access_token"]
        application = app.state.runtime.application
        case = application.open_case(HZ, title="Chargers", summary="fake", category=CaseCategory.COUNTERFEIT,
                                     subject=Subject.create("Shop", SubjectKind.LIVESTREAM_SELLER)).aggregate_id
        for i in range(4):
            done = application.add_evidence(HZ, case, item=EvidenceItem.create(f"photo {i}", f"{i + 1:064x}"))
        app.state.runtime.wait_for(done.position, 15)
        _alter(app.state.db, case, 3)
        response = http.post("/graphql", headers={"Authorization": f"Bearer {token}"}, json={
            "query": "query($id: ID!) { verifyCase(caseId: $id) { valid firstInvalidVersion problem } }",
            "variables": {"id": str(case)}})
    result = response.json()["data"]["verifyCase"]
    assert (result["valid"], result["firstInvalidVersion"]) == (False, 3), result["problem"]
    assert result["problem"].startswith("version 3 was altered")
