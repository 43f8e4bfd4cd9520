"""A CLI argument no store can keep ends as one clear line and a non-zero exit, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys

from casebridge.infra.auth import ClientStore
from casebridge.infra.database import Database


def _clients(settings) -> int:
    db = Database(settings.database)
    try:
        return len(ClientStore(db).list_all())
    finally:
        db.close()


def _run(settings, *argv: bytes) -> subprocess.CompletedProcess:
    env = {**os.environ, "CASEBRIDGE_DATABASE_URL": settings.database.raw}
    return subprocess.run([os.path.join(os.path.dirname(sys.executable), "casebridge").encode(), *argv], env=env,
                          capture_output=True, timeout=60)


def test_a_control_character_in_an_argument_is_refused_with_a_message(settings):
    before = _clients(settings)
    done = _run(settings, b"client", b"create", b"--jurisdiction", b"310000", b"--scope", b"cases:read",
                b"--name", b"a\x01b")
    assert done.returncode == 2, done
    assert b"--name contains an unacceptable character U+0001" in done.stderr
    assert b"Traceback" not in done.stderr
    assert _clients(settings) == before


def test_bytes_that_are_not_utf8_in_an_argument_are_refused_with_a_message(settings):
    before = _clients(settings)
    done = _run(settings, b"client", b"create", b"--jurisdiction", b"310000", b"--scope", b"cases:read",
                b"--name", b"a\xffb")
    assert done.returncode == 2, done
    assert b"--name contains an unacceptable character U+DCFF" in done.stderr
    assert _clients(settings) == before
