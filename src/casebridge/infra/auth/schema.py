"""Tables of the authorization server: registered clients and signing keys."""

from __future__ import annotations


def schema_statements(dialect: str) -> list[str]:
    ts = "TIMESTAMPTZ" if dialect == "postgresql" else "TEXT"
    return [
        f"""
        CREATE TABLE IF NOT EXISTS oauth_clients (
            client_id TEXT PRIMARY KEY,
            secret_hash TEXT NOT NULL,
            name TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            scope TEXT NOT NULL,
            created_at {ts} NOT NULL,
            revoked_at {ts}
        )
        """,
        # `is_active` is 1 for the one key that signs and NULL for retired keys: a UNIQUE
        # column admits any number of NULLs, so both stores enforce "at most one active key".
        # `private_jwk` is erased when a key retires: from then on it only verifies.
        f"""
        CREATE TABLE IF NOT EXISTS oauth_signing_keys (
            kid TEXT PRIMARY KEY,
            algorithm TEXT NOT NULL,
            private_jwk TEXT,
            public_jwk TEXT NOT NULL,
            is_active INTEGER UNIQUE CHECK (is_active = 1),
            created_at {ts} NOT NULL,
            activated_at {ts},
            retired_at {ts}
        )
        """,
    ]
