"""Crypto-shredding of reporters' personal data (issue 11 §7).

Each lead's named reporter is sealed with its own random AES-256-GCM key (the lead id as
associated data) before the event is written; the event log keeps only the ciphertext. The key
lives here, outside the event log, and `destroy` deletes it: the ciphertext stays in the log —
its hash chain unchanged and verifiable — but can never be read again.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import datetime, timezone
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from casebridge.domain.lead import Reporter
from casebridge.infra.database import Database

_TABLE = "lead_reporter_keys"
_VERSION = "v1"


def schema_statements(dialect: str) -> list[str]:
    return [f"CREATE TABLE IF NOT EXISTS {_TABLE} (lead_id TEXT PRIMARY KEY, key TEXT NOT NULL, created_at TEXT NOT NULL)"]


class SqlReporterVault:
    """`ReporterVault` on CaseBridge's own database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def seal(self, lead_id: UUID, reporter: Reporter) -> str:
        key = AESGCM.generate_key(bit_length=256)
        with self.db.transaction() as cur:
            cur.execute(f"INSERT INTO {_TABLE} (lead_id, key, created_at) VALUES (?, ?, ?)",
                        (str(lead_id), base64.b64encode(key).decode(), datetime.now(timezone.utc).isoformat()))
        nonce = os.urandom(12)
        plain = json.dumps({"name": reporter.name, "contact": reporter.contact}, ensure_ascii=False).encode()
        sealed = AESGCM(key).encrypt(nonce, plain, str(lead_id).encode())
        return f"{_VERSION}:" + base64.b64encode(nonce + sealed).decode()

    def open(self, lead_id: UUID | str, sealed: str) -> Reporter | None:
        """The reporter, or None once its key is destroyed."""
        return self.open_many({str(lead_id): sealed}).get(str(lead_id))

    def open_many(self, sealed_by_lead: dict[str, str]) -> dict[str, Reporter]:
        if not sealed_by_lead:
            return {}
        ids = list(sealed_by_lead)
        marks = ", ".join("?" * len(ids))
        rows = self.db.query(f"SELECT lead_id, key FROM {_TABLE} WHERE lead_id IN ({marks})", ids)
        out: dict[str, Reporter] = {}
        for lead_id, key in rows:
            version, _, payload = sealed_by_lead[lead_id].partition(":")
            if version != _VERSION:
                continue
            raw = base64.b64decode(payload)
            try:
                plain = AESGCM(base64.b64decode(key)).decrypt(raw[:12], raw[12:], lead_id.encode())
            except InvalidTag:
                continue
            data = json.loads(plain)
            out[lead_id] = Reporter(name=data["name"], contact=data.get("contact"))
        return out

    def destroy(self, lead_id: UUID) -> None:
        with self.db.transaction() as cur:
            if not self.db.is_postgres:
                cur.execute("PRAGMA secure_delete = ON")  # overwrite the freed page, not just unlink the row
            cur.execute(f"DELETE FROM {_TABLE} WHERE lead_id = ?", (str(lead_id),))
