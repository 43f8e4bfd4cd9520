"""The audit signing key: signs checkpoints and court exports.

One key is active; `casebridge audit-key rotate` retires it (its private half is erased)
and activates a new one. Retired public keys are kept forever, so every signature ever
made still verifies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from joserfc.jwk import ECKey, KeySet

from casebridge.infra.database import Database

ALGORITHM = "ES256"
_LOCK = 0x43424155  # "CBAU"


@dataclass(frozen=True)
class AuditKey:
    kid: str
    key: ECKey = field(repr=False)
    public_jwk: dict


class AuditKeyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def active(self) -> AuditKey:
        row = self.db.query_one("SELECT kid, private_jwk, public_jwk FROM audit_signing_keys WHERE is_active = 1")
        if row is None:
            with self.db.transaction() as cur:
                if self.db.is_postgres:
                    cur.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK,))
                cur.execute("SELECT kid, private_jwk, public_jwk FROM audit_signing_keys WHERE is_active = 1")
                row = cur.fetchone() or self._insert(cur)
        kid, private_jwk, public_jwk = row
        return AuditKey(kid=kid, key=ECKey.import_key(json.loads(private_jwk)), public_jwk=json.loads(public_jwk))

    def rotate(self) -> AuditKey:
        with self.db.transaction() as cur:
            if self.db.is_postgres:
                cur.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK,))
            cur.execute("UPDATE audit_signing_keys SET is_active = NULL, private_jwk = NULL, retired_at = ? WHERE is_active = 1",
                        (_now(),))
            self._insert(cur)
        return self.active()

    def public_keys(self) -> KeySet:
        rows = self.db.query("SELECT public_jwk FROM audit_signing_keys ORDER BY created_at")
        return KeySet([ECKey.import_key(json.loads(r[0])) for r in rows])

    def public_jwks(self, kids: set[str] | None = None) -> dict:
        rows = self.db.query("SELECT kid, public_jwk FROM audit_signing_keys ORDER BY created_at")
        return {"keys": [json.loads(pub) for kid, pub in rows if kids is None or kid in kids]}

    def _insert(self, cur) -> tuple[str, str, str]:
        key = ECKey.generate_key("P-256", private=True, auto_kid=True)
        private = json.dumps(key.as_dict(private=True))
        public = json.dumps({**key.as_dict(private=False), "alg": ALGORITHM, "use": "sig"})
        cur.execute(
            "INSERT INTO audit_signing_keys (kid, algorithm, private_jwk, public_jwk, is_active, created_at) VALUES (?, ?, ?, ?, 1, ?)",
            (key.kid, ALGORITHM, private, public, _now()),
        )
        return key.kid, private, public


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
