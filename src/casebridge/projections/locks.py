"""PostgreSQL session advisory locks on a dedicated connection.

A session lock lives as long as its connection: when the process holding it dies, the
server ends the session and the lock passes to whoever waits for it next. Keys are derived
from the database and schema, so deployments (and test schemas) sharing a server never
contend for each other's locks.
"""

from __future__ import annotations

import hashlib
import os
import threading
from typing import Any

from casebridge.infra.database_url import DatabaseUrl


def advisory_key(url: DatabaseUrl, purpose: str) -> int:
    digest = hashlib.sha256(f"casebridge\n{url.dbname}\n{url.schema}\n{purpose}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class AdvisoryLock:
    """One session advisory lock, held on its own autocommit connection (also usable for LISTEN)."""

    def __init__(self, url: DatabaseUrl, purpose: str) -> None:
        self.url = url
        self.purpose = purpose
        self.key = advisory_key(url, purpose)
        self.conn: Any = None
        self.held = False

    def connect(self) -> Any:
        if self.conn is None or self.conn.closed:
            import psycopg

            self.conn = psycopg.connect(self.url.psycopg_conninfo(), autocommit=True,
                                        application_name=f"casebridge {self.purpose} pid={os.getpid()}")
            self.held = False
        return self.conn

    def try_acquire(self) -> bool:
        row = self.connect().execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        self.held = bool(row and row[0])
        return self.held

    def acquire(self, stop: threading.Event, *, check_every: float = 2.0) -> bool:
        """Block until the lock is ours (True) or `stop` is set (False). The wait is the
        server's: the lock passes to us the moment its holder's session ends."""
        import psycopg

        conn = self.connect()
        conn.execute(f"SET lock_timeout = '{int(check_every * 1000)}ms'")
        try:
            while not stop.is_set():
                try:
                    conn.execute("SELECT pg_advisory_lock(%s)", (self.key,))
                except psycopg.errors.LockNotAvailable:
                    continue
                self.held = True
                return True
            return False
        finally:
            if not conn.closed:
                conn.execute("SET lock_timeout = 0")

    def close(self) -> None:
        """Release the lock by ending the session."""
        if self.conn is not None and not self.conn.closed:
            self.conn.close()
        self.held = False
