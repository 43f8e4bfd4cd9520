"""Failed sign-ins, counted per username and per client address, in `console_login_failures`.

After `limit` failures with no quiet spell of `window` seconds between them, the key is locked
for `base_delay` seconds, doubling with each further failure up to `max_delay`. Attempts while
locked are refused before the password is looked at, and do not count. A success clears the
username's count (not the address's: one good account must not reset an attacker's address).

An attempt is reserved before its password is checked (`reserve`): in one transaction the
counters are locked (row locks on PostgreSQL, the write lock on SQLite), checked and counted as
a failure. So N concurrent guesses, in any number of processes, can never all pass the check:
the `limit`-th reservation sets the lock and the rest are refused. A success then takes its
reservation back (`record_success`).

Counts live in the database so that every API process sees the same ones. Usernames that do
not exist are counted exactly like real ones, so the answer never tells them apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from casebridge.infra.auth.clock import Clock, storable_time, stored_time, system_clock
from casebridge.infra.auth.issuer.users import normalise_username
from casebridge.infra.database import Database


@dataclass(frozen=True)
class ThrottlePolicy:
    limit: int
    window: int = 15 * 60
    base_delay: int = 60
    max_delay: int = 15 * 60

    def delay_after(self, failures: int) -> int:
        """Seconds locked after the `failures`-th failure (0 below the limit)."""
        if failures < self.limit:
            return 0
        return min(self.max_delay, self.base_delay * 2 ** min(failures - self.limit, 16))


USERNAME_POLICY = ThrottlePolicy(limit=5)
ADDRESS_POLICY = ThrottlePolicy(limit=20)  # offices share addresses behind one gateway


class LoginThrottle:
    def __init__(
        self,
        db: Database,
        *,
        per_username: ThrottlePolicy = USERNAME_POLICY,
        per_address: ThrottlePolicy = ADDRESS_POLICY,
        clock: Clock = system_clock,
    ) -> None:
        self._db = db
        self._policies = {"user": per_username, "ip": per_address}
        self._clock = clock

    def retry_after(self, username: str, address: str | None) -> int:
        """Whole seconds until `username` from `address` may try again; 0 when it may now."""
        now = self._clock()
        keys = _keys(username, address)
        placeholders = ", ".join("?" for _ in keys)
        rows = self._db.query(
            f"SELECT locked_until FROM console_login_failures WHERE throttle_key IN ({placeholders}) AND locked_until > ?",
            (*keys.values(), storable_time(now)),
        )
        return max((math.ceil(stored_time(row[0]).timestamp() - now) for row in rows), default=0)

    def reserve(self, username: str, address: str | None) -> int:
        """Reserves one attempt for `username` from `address`, counted as a failure until
        `record_success` takes it back. Returns 0 when reserved, else the whole seconds until
        the username or the address may try again (nothing is counted then)."""
        now = self._clock()
        keys = _keys(username, address)
        with self._db.transaction() as cur:
            retry_after = 0
            for key in keys.values():
                _, _, locked_until = self._locked_row(cur, key, now)
                if locked_until is not None and stored_time(locked_until).timestamp() > now:
                    retry_after = max(retry_after, math.ceil(stored_time(locked_until).timestamp() - now))
            if retry_after:
                return retry_after
            for kind, key in keys.items():
                self._count(cur, key, self._policies[kind], now)
        return 0

    def record_failure(self, username: str, address: str | None) -> None:
        """Counts a failure without reserving first (an attempt that was not reserved)."""
        now = self._clock()
        with self._db.transaction() as cur:
            for kind, key in _keys(username, address).items():
                self._count(cur, key, self._policies[kind], now)
            quiet = storable_time(now - max(policy.window for policy in self._policies.values()))
            cur.execute(
                "DELETE FROM console_login_failures WHERE last_failed_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                (quiet, quiet),
            )

    def record_success(self, username: str, address: str | None = None) -> None:
        """Clears the username's count and takes the address's reserved attempt back."""
        keys = _keys(username, address)
        with self._db.transaction() as cur:
            cur.execute("DELETE FROM console_login_failures WHERE throttle_key = ?", (keys["user"],))
            if "ip" in keys:  # atomic decrements: concurrent successes must not lose one
                cur.execute("UPDATE console_login_failures SET failures = failures - 1 WHERE throttle_key = ? AND failures > 0",
                            (keys["ip"],))
                cur.execute("UPDATE console_login_failures SET locked_until = NULL WHERE throttle_key = ? AND failures < ?",
                            (keys["ip"], self._policies["ip"].limit))

    def _locked_row(self, cur, key: str, now: float) -> tuple:
        stamp = storable_time(now)
        cur.execute(
            "INSERT INTO console_login_failures (throttle_key, failures, first_failed_at, last_failed_at, locked_until)"
            " VALUES (?, 0, ?, ?, NULL) ON CONFLICT (throttle_key) DO NOTHING",
            (key, stamp, stamp),
        )
        lock = " FOR UPDATE" if self._db.is_postgres else ""  # SQLite: the write transaction already serialises
        cur.execute(f"SELECT failures, last_failed_at, locked_until FROM console_login_failures WHERE throttle_key = ?{lock}", (key,))
        return cur.fetchone()

    def _count(self, cur, key: str, policy: ThrottlePolicy, now: float) -> None:
        stamp = storable_time(now)
        failures, last_failed_at, locked_until = self._locked_row(cur, key, now)
        quiet_since = max(stored_time(last_failed_at).timestamp(), stored_time(locked_until).timestamp() if locked_until else 0.0)
        failures = 1 if now - quiet_since > policy.window else failures + 1
        delay = policy.delay_after(failures)
        cur.execute(
            "UPDATE console_login_failures SET failures = ?, first_failed_at = CASE WHEN ? = 1 THEN ? ELSE first_failed_at END,"
            " last_failed_at = ?, locked_until = ? WHERE throttle_key = ?",
            (failures, failures, stamp, stamp, storable_time(now + delay) if delay else None, key),
        )


def _keys(username: str, address: str | None) -> dict[str, str]:
    keys = {"user": f"user:{normalise_username(username)[:256]}"}
    if address:
        keys["ip"] = f"ip:{address}"
    return keys
