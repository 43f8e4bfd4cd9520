"""Fixtures for the read-model tests: the application writing real events, the projections
catching up, and a dump of every read-model table to compare runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from casebridge.application.app import CaseBridge
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.values import (
    Actor,
    CaseCategory,
    CaseClockPauseReason,
    CaseOutcome,
    EvidenceItem,
    OutcomeDetails,
    RefusalReason,
    Subject,
    SubjectKind,
)
from casebridge.infra.database import Database
from casebridge.projections import catalog
from casebridge.projections.runner import ApplicationLog, BatchProjectionRunner
from casebridge.projections.schema import READ_MODEL_TABLES
from casebridge.projections.views import ReadModels

NATIONAL, SHANGHAI, ZHEJIANG, HANGZHOU, NINGBO = "100000", "310000", "330000", "330100", "330200"
JIANGSU, SUZHOU, GUANGDONG, SHENZHEN = "320000", "320500", "440000", "440300"


PENALTY = OutcomeDetails(decision_number="沪市监处罚〔2025〕8号", amount_fen=20_000_000, legal_basis="Product Quality Law art. 50")


def actor(code: str, client: str | None = None) -> Actor:
    return Actor(client_id=client or f"client-{code}", jurisdiction=code)


def sha(n: int) -> str:
    return f"{n:064x}"


@pytest.fixture
def app(settings) -> Iterator[CaseBridge]:
    application = CaseBridge(env=settings.database.eventsourcing_env())
    yield application
    application.close()


@pytest.fixture
def db(settings) -> Iterator[Database]:
    database = Database(settings.database)
    yield database
    database.close()


@pytest.fixture
def registry() -> JurisdictionRegistry:
    return JurisdictionRegistry.load()


@pytest.fixture
def rm(db) -> ReadModels:
    return ReadModels(db)


def make_runner(app: CaseBridge, db: Database, *, page_size: int = 1000, names=None, **kw: Any) -> BatchProjectionRunner:
    runner = BatchProjectionRunner(db, ApplicationLog(app.recorder, app.mapper),
                                   catalog.build(db.dialect, app.registry, names=names), page_size=page_size, **kw)
    runner.prepare()
    return runner


@pytest.fixture
def catch_up(app, db):
    """Bring every read model up to the head of the log; returns the position reached."""

    def run(page_size: int = 1000) -> int:
        return make_runner(app, db, page_size=page_size).catch_up()

    return run


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model table's rows, sorted, plus each projection's position."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.transaction(write=False) as cur:
        for table in READ_MODEL_TABLES:
            cur.execute(f"SELECT {', '.join(table.column_names)} FROM {table.name} "
                        f"ORDER BY {', '.join(table.primary_key)}")
            out[table.name] = [tuple(r) for r in cur.fetchall()]
        cur.execute("SELECT name, position, version FROM projection_positions ORDER BY name")
        out["projection_positions"] = [tuple(r) for r in cur.fetchall()]
    return out


@dataclass
class History:
    cases: list[UUID] = field(default_factory=list)
    requests: list[UUID] = field(default_factory=list)
    actions: list[UUID] = field(default_factory=list)


def open_case(app: CaseBridge, who: Actor, title: str = "Counterfeit earphones", *, seller: str = "Shop",
              category: CaseCategory = CaseCategory.COUNTERFEIT) -> UUID:
    return app.open_case(who, title=title, summary="Test purchases show counterfeit goods.",
                         subject=Subject.create(seller, SubjectKind.MARKETPLACE_SELLER, "91310000MA1FL0001X", ("SKU-1",)),
                         category=category).aggregate_id


def busy_history(app: CaseBridge, n_cases: int) -> History:
    """A deterministic mix of every kind of event the projections read."""
    h = History()
    handlers = [SHANGHAI, HANGZHOU, SUZHOU, SHENZHEN]
    targets = {SHANGHAI: HANGZHOU, HANGZHOU: SUZHOU, SUZHOU: SHENZHEN, SHENZHEN: SHANGHAI}
    categories = list(CaseCategory)
    later = datetime.now(timezone.utc) + timedelta(days=60)
    for i in range(n_cases):
        home = handlers[i % len(handlers)]
        me, there = actor(home), targets[home]
        case_id = open_case(app, me, f"Case {i} about earphones", seller=f"Seller {i % 13}",
                            category=categories[i % len(categories)])
        h.cases.append(case_id)
        kind = i % 6
        if kind == 0:
            app.request_transfer(me, case_id, to=there, reason="the seller is registered there")
            app.accept_transfer(actor(there), case_id)
            home, me = there, actor(there)
        elif kind == 1:
            app.request_transfer(me, case_id, to=there, reason="the seller may be there")
            app.decline_transfer(actor(there), case_id, reason="not registered here")
        elif kind == 2:
            app.request_transfer(me, case_id, to=there, reason="second thoughts")
            app.withdraw_transfer(me, case_id)
            app.extend_decision_period(me, case_id, approver="Director", reason="expert opinion")
            app.pause_case_clock(me, case_id, reason=CaseClockPauseReason.TESTING_APPRAISAL)
            if i % 12 == 2:
                app.resume_case_clock(me, case_id)
                app.suspend_case(me, case_id, reason="waiting for the court")
        elif kind == 3:
            app.revise_case(me, case_id, title=f"Case {i} (revised)", category=CaseCategory.FALSE_ADVERTISING)
            app.add_evidence(me, case_id, item=EvidenceItem.create("Test purchase", sha(i)))
            app.close_case(me, case_id, outcome=CaseOutcome.PENALTY_DECISION, summary="fined", details=PENALTY)
            if i % 12 == 3:
                app.reopen_case(me, case_id, reason="new complaints")
        elif kind == 4:
            app.request_transfer(me, case_id, to=there, reason="pending for now")
        elif kind == 5 and home == HANGZHOU:
            app.request_transfer(me, case_id, to=SUZHOU, reason="maybe Suzhou")
            app.designate_jurisdiction(actor(ZHEJIANG), case_id, jurisdiction=NINGBO, reason="the warehouse is in Ningbo")
            home, me = NINGBO, actor(NINGBO)
        if i % 4 == 1:
            other = GUANGDONG if home != GUANGDONG else SHANGHAI
            request = app.request_evidence(me, case_id, requested=other, description="platform order records").aggregate_id
            h.requests.append(request)
            step = (i // 4) % 4
            if step == 0:
                app.fulfil_evidence_request(actor(other), request, items=[EvidenceItem.create("orders.csv", sha(1000 + i)),
                                                                          EvidenceItem.create("chat.txt", sha(2000 + i))])
            elif step == 1:
                app.refuse_evidence_request(actor(other), request, reason=RefusalReason.OUTSIDE_COMPETENCE)
            elif step == 2:
                app.acknowledge_evidence_request(actor(other), request)
                app.extend_evidence_request(me, request, due_at=later, reason="large volume")
            else:
                app.withdraw_evidence_request(me, request, reason="no longer needed")
        if i % 7 == 2:
            action = app.propose_joint_action(me, title=f"Operation {i}", objective="take down counterfeit listings",
                                              case_ids=[case_id], participants=[JIANGSU, GUANGDONG]).aggregate_id
            h.actions.append(action)
            app.join_joint_action(actor(JIANGSU), action)
            app.decline_joint_action(actor(GUANGDONG), action, reason="no capacity")
            if i % 14 == 2:
                task = app.assign_joint_task(me, action, assignee=JIANGSU, title="inspect warehouse").detail
                app.complete_joint_task(actor(JIANGSU), action, task_id=task, outcome="seized 300 units")
                app.close_joint_action(me, action, common_position="coordinated penalties")
    return h
