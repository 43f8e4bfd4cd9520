"""Commands are values: the fingerprint is derived from every field, in the format stored
records were written in (digests below were computed by the code before commands were
values), and records and actors stored before keep replaying."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest
from domain.helpers import HANGZHOU, SUBJECT, actor, evidence_item
from eventsourcing.persistence import StoredEvent

from casebridge.application import commands as c
from casebridge.application.handlers import HANDLERS
from casebridge.application.idempotency import CommandRecord, record_id
from casebridge.domain.values import Actor, CaseCategory, CaseOutcome, RefusalReason

CASE = UUID("00000000-0000-4000-8000-000000000001")
REQ = UUID("00000000-0000-4000-8000-000000000002")
ACT = UUID("00000000-0000-4000-8000-000000000003")
DUE = datetime(2025, 3, 3, 18, 0, tzinfo=timezone(timedelta(hours=8)))

# The subject those records were made with: the fixture's identifier then had a wrong check character.
STORED_SUBJECT = dataclasses.replace(SUBJECT, identifier="91330100MA2H000X0Q")

STORED_BEFORE = [
    (c.OpenCase("T", "S", STORED_SUBJECT, CaseCategory.COUNTERFEIT), "97b5d0131b022653e35e54ce64446620bc7d00eb2eec26184367837b4ecd9845"),
    (c.ReviseCase(CASE, title="New"), "c50456318284407284add9f4148cc9b1f154c464f671b1d2dad7c36bf3133b06"),
    (c.AcceptTransfer(CASE), "f433f7d293aa42a20ef416419eab0348048a405f11a439c0c7ce3deb1361902e"),
    (c.AddEvidence(CASE, evidence_item(1)), "8998740f163dc849d2d3abf2ca15d6a52e874c0eea0adfff2711b254373bd13e"),
    (c.CloseCase(CASE, CaseOutcome.PENALTY_DECISION), "8bdcd7cccfa9c25e887885401e500691f6034b3bb8de210518d098ca11223181"),
    (c.RequestEvidence(CASE, "320500", "d", due_at=DUE), "00fb2a4fac90c748db2fbf4c6cbca348819ab2bdcd0a2f426bc8675188796a8b"),
    (c.FulfilEvidenceRequest(REQ, (evidence_item(1), evidence_item(2))), "5aa6d7fd47899d51574c2dd755f03b2557d1c58f0ff2d8d16291819e5d37e326"),
    (c.RefuseEvidenceRequest(REQ, RefusalReason.OTHER, "x"), "943ccc3fb0a4369d435af5859c34ae05f0a33edaf5e896b2958e299ac3a06efe"),
    (c.ProposeJointAction("T", None, (CASE,), ("330100", "320500")), "956add061a88cec08a9f492406ad294cd20eb827228eb51e3653b5a9fa94391a"),
    (c.AssignJointTask(ACT, "330100", "t"), "1781d06632a982e117ee4ac058b12b96eb58a43de810a829833436dab09b4dc2"),
]


@pytest.mark.parametrize(("command", "digest"), STORED_BEFORE, ids=lambda v: type(v).__name__ if isinstance(v, c.Command) else "")
def test_a_commands_fingerprint_matches_the_one_stored_before_commands_were_values(command, digest):
    assert command.fingerprint() == digest


def test_a_field_a_hand_written_fingerprint_left_out_now_changes_it():
    one = c.ReviseCase(CASE, title="a", legal_basis="x")
    assert one.fingerprint() != dataclasses.replace(one, legal_basis="y").fingerprint()


def test_every_command_has_exactly_one_handler():
    commands = {cls for cls in vars(c).values() if isinstance(cls, type) and issubclass(cls, c.Command)
                and dataclasses.fields(cls) and cls not in (c.CaseCommand, c.EvidenceRequestCommand, c.JointActionCommand, c.LeadCommand)}
    assert commands == set(HANDLERS)


def test_a_key_recorded_before_commands_were_values_still_replays(app, open_case, nothing_written):
    """A record as the earlier code stored it (the local client's key form, the old digest)."""
    existing = open_case(HANGZHOU)
    me = actor(HANGZHOU)
    app.save(CommandRecord(id=record_id(me, "open-1"), actor=me, command="open_case", fingerprint=STORED_BEFORE[0][1],
                           aggregate_id=existing, aggregate_version=1, detail=None))
    assert record_id(me, "open-1") == UUID("2ffd2c2b-2e73-586e-9e47-b7bdf30d3e7f")  # the id the earlier code derived

    with nothing_written():
        again = app.open_case(me, title="T", summary="S", subject=STORED_SUBJECT, category=CaseCategory.COUNTERFEIT,
                              command_id="open-1")

    assert (again.aggregate_id, again.replayed) == (existing, True)


def test_an_event_stored_with_an_actor_of_the_old_shape_replays_without_an_issuer(app, case_id):
    """Events written before actors had an issuer hold {client_id, jurisdiction, user} only."""
    stored = app.recorder.select_events(case_id, limit=1)[0]
    state = json.loads(stored.state)
    assert "issuer" not in json.dumps(state["actor"])  # a local actor is still stored as before

    case = app.get_case(case_id)

    assert case.opened_by == Actor(client_id=f"client-{HANGZHOU}", jurisdiction=HANGZHOU) and case.opened_by.issuer is None
    assert isinstance(stored, StoredEvent)


def test_an_external_actors_issuer_is_stored_and_replayed(app, open_case):
    external = Actor(client_id=f"client-{HANGZHOU}", jurisdiction=HANGZHOU, issuer="https://sso.example.gov.cn/realms/r")
    result = app.open_case(external, title="T", summary="S", subject=SUBJECT, category=CaseCategory.COUNTERFEIT)

    assert app.get_case(result.aggregate_id).opened_by == external


def test_the_same_key_from_another_issuer_applies_separately(app):
    mine = actor(HANGZHOU)
    theirs = dataclasses.replace(mine, issuer="https://sso.example.gov.cn/realms/r")
    args = {"title": "T", "summary": "S", "subject": SUBJECT, "category": CaseCategory.COUNTERFEIT, "command_id": "k"}

    first, second = app.open_case(mine, **args), app.open_case(theirs, **args)

    assert first.aggregate_id != second.aggregate_id and not second.replayed
    assert app.open_case(theirs, **args).aggregate_id == second.aggregate_id
