"""Bench data sets, written fast and through the application (never hand-written SQL).

`generate(url, cases)` writes `cases` cases of ten events each: opened, revised, three
evidence items, a transfer requested and accepted, and an evidence request asked,
acknowledged and fulfilled. Several processes each run their own `CaseBridge` over a
slice of the cases and save many aggregates per `app.save` (one transaction, one chain of
digests per stream), so 100,000 cases and 1,000,000 events take minutes, not hours.

`long_case(url, events)` writes one case with `events` events (evidence added again and
again, saved a thousand events at a time; the application snapshots it every 100), for
the `caseAsOf` and `caseHistory` measurements.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

EVENTS_PER_CASE = 10
CASES_PER_SAVE = 100  # 1,000 events per transaction
HANDLERS = ("310000", "330100", "320500", "440300", "330200", "320100")
TARGETS = {"310000": "330100", "330100": "320500", "320500": "440300", "440300": "310000",
           "330200": "310000", "320100": "330100"}
HANGZHOU = "330100"


def _application(url: str) -> Any:
    from casebridge.application.app import CaseBridge
    from casebridge.infra.settings import Settings

    return CaseBridge(env=Settings.from_env({"CASEBRIDGE_DATABASE_URL": url}).database.eventsourcing_env())


def _write_slice(url: str, first: int, count: int, tag: str) -> int:
    from casebridge.domain.case import Case
    from casebridge.domain.evidence_request import EvidenceRequest
    from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind

    app = _application(url)
    categories = list(CaseCategory)
    now = datetime.now(timezone.utc)
    written = 0
    try:
        for start in range(first, first + count, CASES_PER_SAVE):
            pending: list[Any] = []
            for i in range(start, min(start + CASES_PER_SAVE, first + count)):
                home = HANDLERS[i % len(HANDLERS)]
                there = TARGETS[home]
                me, them = Actor(f"bench-{home}", home), Actor(f"bench-{there}", there)
                case: Any = Case.open(actor=me, reference=f"BENCH-{tag}-{i:07d}", title=f"Case {i}: counterfeit earphones",
                                      summary="Test purchases on a marketplace.", category=categories[i % len(categories)],
                                      subject=Subject.create(f"Seller {i % 997}", SubjectKind.MARKETPLACE_SELLER,
                                                             f"9131{i:014d}"))
                case.revise_details(me, summary="Test purchases and platform data.")
                for k in range(3):
                    case.add_evidence(me, evidence_id=uuid.uuid4().hex,
                                      item=EvidenceItem.create(f"item {k}", f"{i * 3 + k:064x}"))
                case.request_transfer(me, to=there, reason="the seller is registered there", registry=app.registry)
                case.accept_transfer(them)
                other = Actor("bench-440000", "440000")
                request: Any = EvidenceRequest.request(actor=them, case_id=case.id, requested=other.jurisdiction,
                                                       description="platform order records", legal_basis=None,
                                                       due_at=now + timedelta(days=20), now=now)
                request.acknowledge(other)
                request.fulfil(other, items=(EvidenceItem.create("orders.csv", f"{i:064x}"),))
                pending += [case, request]
            app.save(*pending)
            written += len(pending) // 2 * EVENTS_PER_CASE
    finally:
        app.close()
    return written


def generate(url: str, cases: int, processes: int | None = None) -> dict[str, Any]:
    """`cases` cases, `EVENTS_PER_CASE` events each, written by several processes."""
    processes = max(1, min(processes or os.cpu_count() or 1, cases // CASES_PER_SAVE or 1))
    tag = uuid.uuid4().hex[:6]
    share = -(-cases // processes)
    slices = [(url, p * share, min(share, cases - p * share), tag) for p in range(processes) if p * share < cases]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(len(slices)) as pool:
        events = sum(pool.starmap(_write_slice, slices))
    seconds = time.perf_counter() - started
    return {"cases": cases, "events": events, "processes": len(slices), "seconds": round(seconds, 1),
            "events_per_s": round(events / seconds) if seconds else None}


def long_case(url: str, events: int) -> dict[str, Any]:
    """One Hangzhou case with `events` events; returns its id and the time of its middle event."""
    from casebridge.domain.case import Case
    from casebridge.domain.values import Actor, CaseCategory, EvidenceItem, Subject, SubjectKind

    app = _application(url)
    me = Actor("bench-long", HANGZHOU)
    started = time.perf_counter()
    try:
        case: Any = Case.open(actor=me, reference=f"BENCH-LONG-{uuid.uuid4().hex[:8]}", title="A case with a long history",
                              summary="Ten thousand exhibits.", category=CaseCategory.COUNTERFEIT,
                              subject=Subject.create("Long Seller", SubjectKind.MARKETPLACE_SELLER))
        middle_at = None
        for n in range(2, events + 1):
            case.add_evidence(me, evidence_id=uuid.uuid4().hex, item=EvidenceItem.create(f"exhibit {n}", f"{n:064x}"))
            if n == events // 2:
                middle_at = datetime.now(timezone.utc)
            if n % 1000 == 0 or n == events:
                app.save(case)
        return {"case_id": str(case.id), "events": events, "middle_at": middle_at.isoformat() if middle_at else None,
                "seconds": round(time.perf_counter() - started, 1)}
    finally:
        app.close()
