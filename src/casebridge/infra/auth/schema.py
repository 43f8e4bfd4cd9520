"""Tables of the authorization server: registered clients and signing keys; the console's
people (users, login sessions, failed-login counters) and the authorization codes issued to
the console, with the tokens revoked because a code was replayed."""

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
            f"""
        CREATE TABLE IF NOT EXISTS console_users (
            username TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            display_name TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            scope TEXT NOT NULL,
            created_at {ts} NOT NULL,
            disabled_at {ts}
        )
        """,
        # A session is known by the SHA-256 of its cookie value: the table alone signs nobody in.
        f"""
        CREATE TABLE IF NOT EXISTS console_sessions (
            session_hash TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES console_users (username),
            created_at {ts} NOT NULL,
            expires_at {ts} NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS console_sessions_by_username ON console_sessions (username)",
        "CREATE INDEX IF NOT EXISTS console_sessions_by_expiry ON console_sessions (expires_at)",
        # One row per throttled key (`user:<name>` or `ip:<address>`), for usernames that do not
        # exist too: the answer must not depend on whether they do.
        f"""
        CREATE TABLE IF NOT EXISTS console_login_failures (
            throttle_key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            first_failed_at {ts} NOT NULL,
            last_failed_at {ts} NOT NULL,
            locked_until {ts}
        )
        """,
        "CREATE INDEX IF NOT EXISTS console_login_failures_by_time ON console_login_failures (last_failed_at)",
        # Codes are kept by hash too; `used_at` makes them single-use, `token_id` names the token
        # issued with one so that a replay can revoke it (RFC 6749 section 4.1.2).
        f"""
        CREATE TABLE IF NOT EXISTS oauth_authorization_codes (
            code_hash TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            redirect_uri TEXT NOT NULL,
            scope TEXT NOT NULL,
            username TEXT NOT NULL,
            code_challenge TEXT NOT NULL,
            code_challenge_method TEXT NOT NULL,
            created_at {ts} NOT NULL,
            expires_at {ts} NOT NULL,
            used_at {ts},
            replayed_at {ts},
            token_id TEXT,
            token_expires_at {ts}
        )
        """,
        "CREATE INDEX IF NOT EXISTS oauth_authorization_codes_by_expiry ON oauth_authorization_codes (expires_at)",
        # Signing keys revoked by `casebridge keys revoke` (compromised): a token they signed is
        # refused at once, whatever a process has cached. Kept for good (a handful of rows).
        f"""
        CREATE TABLE IF NOT EXISTS oauth_revoked_signing_keys (
            kid TEXT PRIMARY KEY,
            revoked_at {ts} NOT NULL
        )
        """,
        f"""
        CREATE TABLE IF NOT EXISTS oauth_revoked_tokens (
            token_id TEXT PRIMARY KEY,
            expires_at {ts} NOT NULL
        )
        """,
    ]
