"""On SQLite, a write by another process shows in this process's read models without waiting
for the safety re-check: the runner watches `PRAGMA data_version`."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from casebridge.application.app import CaseBridge
from casebridge.infra.database import Database
from casebridge.projections.views import ReadModels
from casebridge.projections.worker import start_projections

from .conftest import HANGZHOU

WRITER = """
import sys
from casebridge.application.app import CaseBridge
from casebridge.domain.values import Actor, CaseCategory, Subject, SubjectKind
from casebridge.infra.settings import Settings
settings = Settings.from_env({"CASEBRIDGE_DATABASE_URL": sys.argv[1]})
app = CaseBridge(env=settings.database.eventsourcing_env())
app.open_case(Actor(client_id="other-process", jurisdiction="330100"), title=sys.argv[2], summary="s",
              subject=Subject.create("Shop", SubjectKind.MANUFACTURER), category=CaseCategory.OTHER)
app.close()
"""


def _titles(rm: ReadModels) -> set[str]:
    return {row.title for row in rm.cases.page(HANGZHOU, first=50).items}


def test_a_case_opened_by_another_process_reaches_the_read_models_long_before_the_safety_recheck(sqlite_settings):
    settings = sqlite_settings
    db = Database(settings.database)
    app = CaseBridge(env=settings.database.eventsourcing_env())
    handle = start_projections(app, db, app.registry, safety_timeout=600.0)  # the fallback would take 10 minutes
    try:
        assert handle.service.active.wait(30)
        done = subprocess.run([sys.executable, "-c", WRITER, settings.database.raw, "from the other process"],
                              env=os.environ, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        rm = ReadModels(db)
        deadline = time.monotonic() + 60  # a bound for a loaded machine, far below the 600 s fallback
        while "from the other process" not in _titles(rm) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "from the other process" in _titles(rm)
    finally:
        handle.stop()
        app.close()
        db.close()
