"""Fixtures for the application: a CaseBridge on each store (SQLite and PostgreSQL), a settable
clock, more instances on the same database (as separate processes would be), and builders."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from uuid import UUID

import pytest
from domain.helpers import HANGZHOU, NOW, SUBJECT, actor

from casebridge.application.app import CaseBridge
from casebridge.domain.values import CaseCategory


class Clock:
    """The application's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)  # 2025-01-20 09:00 China time, a Monday


@pytest.fixture
def make_app(settings, clock) -> Iterator[Callable[..., CaseBridge]]:
    """Builds CaseBridge instances on the test's database; all are closed at teardown."""
    apps: list[CaseBridge] = []

    def make(cls: type[CaseBridge] = CaseBridge, **kwargs) -> CaseBridge:
        app = cls(env=settings.database.eventsourcing_env(), clock=kwargs.pop("clock", clock), **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


@pytest.fixture
def app(make_app) -> CaseBridge:
    return make_app()


@pytest.fixture
def open_case(app) -> Callable[..., UUID]:
    """`open_case(by=HANGZHOU, **details)` opens a case (on `app` unless `on=` another instance)."""

    def open_(by: str = HANGZHOU, *, on: CaseBridge | None = None, **overrides) -> UUID:
        args = {"title": "Counterfeit power banks sold on a marketplace", "summary": "Test purchases failed",
                    "subject": SUBJECT, "category": CaseCategory.COUNTERFEIT}
        return (on or app).open_case(actor(by), **{**args, **overrides}).aggregate_id

    return open_


@pytest.fixture
def case_id(open_case) -> UUID:
    """A case opened by Hangzhou, at version 1."""
    return open_case(HANGZHOU)


@pytest.fixture
def nothing_written(app):
    """`with nothing_written():` asserts that the block adds nothing to the event log."""

    @contextmanager
    def check(target: CaseBridge = app) -> Iterator[None]:
        before = target.recorder.max_notification_id()
        yield
        assert target.recorder.max_notification_id() == before

    return check


@pytest.fixture
def log_length(app) -> Callable[[], int]:
    """How many events the log holds (counted: positions may skip ids of rolled-back writes)."""
    return lambda: len(app.recorder.select_notifications(start=1, limit=1_000_000))


@pytest.fixture
def run_together() -> Callable[[Sequence[Callable[[], object]]], list[object]]:
    """Runs the calls on as many threads, released together; each call's result or exception."""

    def run_all(calls: Sequence[Callable[[], object]]) -> list[object]:
        start = threading.Barrier(len(calls))

        def run(call: Callable[[], object]) -> object:
            start.wait(timeout=30)
            try:
                return call()
            except Exception as exc:  # noqa: BLE001 - the test inspects what each caller saw
                return exc

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(run, calls))

    return run_all
