"""What the console's sign-in keeps in the database, shared by API processes: authorization
codes redeemed once even when two processes race, and failed-login counts every process sees."""

from __future__ import annotations

import threading

import pytest

from casebridge.infra.auth.issuer.authorization_codes import (
    CODE_TTL,
    AuthorizationCodeReplayedError,
    AuthorizationCodeStore,
)
from casebridge.infra.auth.sign_in.login_throttle import LoginThrottle, ThrottlePolicy
from casebridge.infra.auth.issuer.revocations import TokenRevocations
from casebridge.infra.database import Database

CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.fixture
def codes(db, clock) -> AuthorizationCodeStore:
    return AuthorizationCodeStore(db, clock=clock)


def issue(codes: AuthorizationCodeStore) -> str:
    return codes.issue(client_id="casebridge-console", redirect_uri="http://localhost:8000/console/callback",
                       scope="cases:read", username="li.wei", code_challenge=CHALLENGE, code_challenge_method="S256")


def test_a_code_is_stored_only_as_its_hash(codes, db):
    code = issue(codes)

    stored = db.query_one("SELECT code_hash FROM oauth_authorization_codes")[0]
    assert code not in stored and len(stored) == 64


def test_a_code_is_bound_to_its_client(codes):
    code = issue(codes)

    assert codes.redeem(code, "another-client") is None
    assert codes.redeem(code, "casebridge-console").username == "li.wei"


def test_a_code_expires_after_sixty_seconds(codes, clock):
    code = issue(codes)
    clock.advance(CODE_TTL)

    assert codes.redeem(code, "casebridge-console") is None


def test_two_processes_redeeming_one_code_at_once_get_it_once(settings, clock):
    processes = [Database(settings.database), Database(settings.database)]
    stores = [AuthorizationCodeStore(db, clock=clock) for db in processes]
    code = issue(stores[0])
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def redeem(store: AuthorizationCodeStore) -> None:
        start.wait()
        try:
            outcomes.append("granted" if store.redeem(code, "casebridge-console") else "nothing")
        except AuthorizationCodeReplayedError:
            outcomes.append("replayed")

    threads = [threading.Thread(target=redeem, args=(store,)) for store in stores]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for db in processes:
            db.close()

    assert sorted(outcomes) == ["granted", "replayed"]


def test_a_replay_after_the_token_was_issued_revokes_it(codes, db, clock):
    code = issue(codes)
    grant = codes.redeem(code, "casebridge-console")
    assert codes.record_token(grant.code_hash, "token-1", 600)

    with pytest.raises(AuthorizationCodeReplayedError):
        codes.redeem(code, "casebridge-console")

    assert TokenRevocations(db, clock=clock).is_revoked("token-1")


def test_a_replay_before_the_token_is_recorded_keeps_the_token_from_being_handed_out(codes):
    code = issue(codes)
    grant = codes.redeem(code, "casebridge-console")
    with pytest.raises(AuthorizationCodeReplayedError):
        codes.redeem(code, "casebridge-console")

    assert codes.record_token(grant.code_hash, "token-1", 600) is False


def test_failed_logins_recorded_by_one_process_lock_the_username_in_another(settings, clock):
    one, other = Database(settings.database), Database(settings.database)
    try:
        for _ in range(5):
            LoginThrottle(one, clock=clock).record_failure("li.wei", "10.0.0.1")

        assert LoginThrottle(other, clock=clock).retry_after("li.wei", "10.0.0.2") == 60
    finally:
        one.close()
        other.close()


def test_the_lock_doubles_with_each_failure_up_to_its_ceiling():
    policy = ThrottlePolicy(limit=5)

    assert [policy.delay_after(n) for n in range(3, 12)] == [0, 0, 60, 120, 240, 480, 900, 900, 900]


def test_usernames_are_counted_whatever_their_case(db, clock):
    throttle = LoginThrottle(db, clock=clock)
    for name in ("Li.Wei", "LI.WEI", "li.wei", " li.wei ", "li.WEI"):
        throttle.record_failure(name, None)

    assert throttle.retry_after("li.wei", None) == 60


def test_old_quiet_counters_are_pruned(db, clock):
    throttle = LoginThrottle(db, clock=clock)
    throttle.record_failure("li.wei", "10.0.0.1")
    clock.advance(15 * 60 + 1)

    throttle.record_failure("zhang.min", "10.0.0.2")

    keys = {row[0] for row in db.query("SELECT throttle_key FROM console_login_failures")}
    assert keys == {"user:zhang.min", "ip:10.0.0.2"}
