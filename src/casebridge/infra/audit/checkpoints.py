"""Signed checkpoints: the head digest of every stream, signed with the audit key.

A hash chain shows that stored events were not changed, removed or reordered, but not
that the newest ones were not cut off. A checkpoint records, for every stream that moved
since the previous checkpoint, its version and head digest, each as a compact JWS that
verifies offline. Verification then also checks that a stream still reaches its last
checkpointed version with the same digest, so truncation is detected too.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from uuid import UUID

from joserfc import jws
from joserfc.errors import JoseError

from casebridge.domain.integrity import event_digest
from casebridge.infra.audit.keys import ALGORITHM, AuditKeyStore
from casebridge.infra.database import Database
from casebridge.infra.event_log import SqlEventLog

log = logging.getLogger(__name__)

CHECKPOINT_TYPE = "casebridge-checkpoint+jws"
_LOCK = 0x43424350  # "CBCP": one checkpointer at a time
PAGE = 2000


@dataclass(frozen=True)
class StreamHead:
    stream_id: str  # 32 hex digits
    version: int
    digest: str
    log_position: int
    checkpointed_at: str
    jws: str


@dataclass(frozen=True)
class CheckpointResult:
    checkpoint_id: int | None
    log_position: int
    stream_count: int


class Checkpointer:
    def __init__(self, db: Database, keys: AuditKeyStore | None = None) -> None:
        self.db = db
        self.keys = keys or AuditKeyStore(db)
        self.log = SqlEventLog(db)

    def checkpoint(self) -> CheckpointResult:
        """Sign the heads of all streams that moved since the last checkpoint.

        The log is read and the heads are signed outside the write transaction (on
        SQLite a write transaction holds the one writer lock that commands need too);
        the transaction only stores the result, after checking that no other
        checkpointer got there first."""
        key = self.keys.active()
        since = self._last_position()
        heads = self._moved_streams(since)
        if not heads:
            return CheckpointResult(None, since, 0)
        position = max(p for _, _, p in heads.values())
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        header = {"alg": ALGORITHM, "kid": key.kid, "typ": CHECKPOINT_TYPE}
        rows = []
        for stream, (version, digest, _) in heads.items():
            claims = {"stream": stream, "version": version, "digest": digest, "logPosition": position, "checkpointedAt": now}
            token = jws.serialize_compact(header, json.dumps(claims, sort_keys=True, separators=(",", ":")), key.key)
            rows.append([stream, version, digest, 0, token])
        with self.db.transaction() as cur:
            if self.db.is_postgres:
                cur.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK,))
            cur.execute("SELECT COALESCE(MAX(log_position), 0) FROM audit_checkpoints")
            if int(cur.fetchone()[0]) != since:  # another process checkpointed meanwhile
                return CheckpointResult(None, since, 0)
            cur.execute("INSERT INTO audit_checkpoints (created_at, log_position, stream_count, kid) VALUES (?, ?, ?, ?)",
                        (now, position, len(heads), key.kid))
            cur.execute("SELECT MAX(id) FROM audit_checkpoints")
            checkpoint_id = int(cur.fetchone()[0])
            for row in rows:
                row[3] = checkpoint_id
            for start in range(0, len(rows), 500):
                cur.executemany(
                    "INSERT INTO audit_stream_heads (stream_id, version, digest, checkpoint_id, jws) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (stream_id, version) DO NOTHING",
                    rows[start:start + 500],
                )
        log.info("checkpoint %s: %d streams up to log position %d", checkpoint_id, len(heads), position)
        return CheckpointResult(checkpoint_id, position, len(heads))

    def _last_position(self) -> int:
        return int(self.db.query_one("SELECT COALESCE(MAX(log_position), 0) FROM audit_checkpoints")[0])

    def _moved_streams(self, since: int) -> dict[str, tuple[int, str, int]]:
        """stream -> (version, digest, position) of its newest event after `since`, read
        in pages: memory grows with the streams that moved, not with the log."""
        heads: dict[str, tuple[int, str, int]] = {}
        after = since
        while True:
            page = self.log.events_after(after, PAGE)
            if not page:
                return heads
            for n in page:
                stream = n.originator_id.hex
                if stream not in heads or heads[stream][0] < n.originator_version:
                    heads[stream] = (n.originator_version, event_digest(n.originator_id, n.originator_version, n.topic, n.state), n.id)
            after = page[-1].id

    def latest_head(self, stream_id: UUID, upto: int | None = None) -> StreamHead | None:
        """The stream's newest signed head; with `upto`, the newest of checkpoints taken at or
        before that log position (an export complete up to a position holds nothing newer)."""
        if upto is None:
            row = self.db.query_one(
                "SELECT stream_id, version, digest, jws FROM audit_stream_heads WHERE stream_id = ? ORDER BY version DESC LIMIT 1",
                (stream_id.hex,),
            )
        else:
            row = self.db.query_one(
                "SELECT h.stream_id, h.version, h.digest, h.jws FROM audit_stream_heads h "
                "JOIN audit_checkpoints c ON c.id = h.checkpoint_id WHERE h.stream_id = ? AND c.log_position <= ? "
                "ORDER BY h.version DESC LIMIT 1",
                (stream_id.hex, upto),
            )
        if row is None:
            return None
        claims = json.loads(jws.extract_compact(row[3].encode()).payload)
        return StreamHead(row[0], int(row[1]), row[2], claims["logPosition"], claims["checkpointedAt"], row[3])

    def verify_head(self, head: StreamHead) -> bool:
        """The head's signature verifies with an audit key and says what the row says."""
        try:
            token = jws.deserialize_compact(head.jws, self.keys.public_keys(), algorithms=[ALGORITHM])
        except (JoseError, ValueError):
            return False
        claims = json.loads(token.payload)
        return (claims.get("stream"), claims.get("version"), claims.get("digest")) == (head.stream_id, head.version, head.digest)


class PeriodicCheckpoints:
    """Takes a checkpoint every `interval` seconds in a daemon thread (serve and worker)."""

    def __init__(self, checkpointer: Checkpointer, interval: float) -> None:
        self._checkpointer = checkpointer
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="casebridge-checkpoints", daemon=True)

    def start(self) -> PeriodicCheckpoints:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._checkpointer.checkpoint()
            except Exception:  # the next period tries again; the failure is logged, not lost
                log.exception("periodic checkpoint failed")
