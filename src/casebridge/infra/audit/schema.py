"""Tables of the audit trail: its signing keys and the signed stream heads (checkpoints)."""

from __future__ import annotations


def schema_statements(dialect: str) -> list[str]:
    pg = dialect == "postgresql"
    serial = "BIGSERIAL PRIMARY KEY" if pg else "INTEGER PRIMARY KEY AUTOINCREMENT"
    return [
        # The audit key is separate from the OAuth token keys: token keys live minutes and
        # their public halves leave the JWKS; a checkpoint signature must verify for years.
        """
        CREATE TABLE IF NOT EXISTS audit_signing_keys (
            kid TEXT PRIMARY KEY,
            algorithm TEXT NOT NULL,
            private_jwk TEXT,
            public_jwk TEXT NOT NULL,
            is_active INTEGER UNIQUE CHECK (is_active = 1),
            created_at TEXT NOT NULL,
            retired_at TEXT
        )
        """,
        f"""
        CREATE TABLE IF NOT EXISTS audit_checkpoints (
            id {serial},
            created_at TEXT NOT NULL,
            log_position BIGINT NOT NULL,
            stream_count INTEGER NOT NULL,
            kid TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS audit_stream_heads (
            stream_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            digest TEXT NOT NULL,
            checkpoint_id BIGINT NOT NULL,
            jws TEXT NOT NULL,
            PRIMARY KEY (stream_id, version)
        )
        """,
    ]
