"""Fixtures for the fault tests: a private PostgreSQL cluster the test may stop, and a tiny
tmpfs that a test may fill. Each is torn down even when the test fails."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from scale.live import PrivatePostgres


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    if not PrivatePostgres.available():
        pytest.skip("PostgreSQL 15's initdb is not installed (the fault tests start a private cluster)")
    pg = PrivatePostgres()
    try:
        pg.start()
        yield pg
    finally:
        pg.close()


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    """A 4 MB tmpfs: a disk that fills up (needs root, as in CI)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mountpoint = Path(tempfile.mkdtemp(prefix="casebridge-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(mountpoint)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        os.rmdir(mountpoint)
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)
        os.rmdir(mountpoint)
