"""Sign-in under concurrency, over HTTP on the real app with real threads: an attempt is
reserved before its password is checked (so parallel guesses never exceed the policy, in any
number of processes), and password checks beyond the per-process cap are answered 429 at once."""

from __future__ import annotations

import threading

import pytest
from argon2 import PasswordHasher
from test_authorization_code_helpers import PASSWORD, Browser

from casebridge.api.app import create_app
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth import AuthConfig, AuthServices

AUTH_ENV = ("CASEBRIDGE_ISSUER", "CASEBRIDGE_AUDIENCE", "CASEBRIDGE_TOKEN_TTL", "CASEBRIDGE_OIDC_ISSUER",
            "CASEBRIDGE_OIDC_AUDIENCE", "CASEBRIDGE_OIDC_JWKS_URL", "CASEBRIDGE_CONSOLE_REDIRECT_URIS",
            "CASEBRIDGE_LOGIN_CONCURRENCY")
WRONG = "wrong password!!"
# Slow enough that parallel checks overlap (the race the reservation closes), light enough for CI.
MEDIUM_ARGON2 = PasswordHasher(time_cost=2, memory_cost=8 * 1024, parallelism=1)


def served(settings, **env: str):
    app = create_app(settings)
    config = AuthConfig.from_env({**env})
    app.state.auth = AuthServices.build(app.state.db, config, JurisdictionRegistry.load(), password_hasher=MEDIUM_ARGON2)
    app.state.token_validator = app.state.auth.validator
    return app


@pytest.fixture
def apps(settings, monkeypatch):
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    made = []

    def make(**env: str):
        app = served(settings, **env)
        made.append(app)
        return app

    yield make
    for app in made:
        app.state.auth.close()
        app.state.db.close()


def in_parallel(attempts):
    """Runs each attempt in its own thread, released together; returns their responses."""
    start = threading.Barrier(len(attempts))
    results: list = [None] * len(attempts)

    def run(i, attempt):
        start.wait()
        results[i] = attempt()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_parallel_wrong_passwords_in_two_processes_get_no_more_checks_than_the_policy_allows(apps):
    one, two = apps(CASEBRIDGE_LOGIN_CONCURRENCY="64"), apps(CASEBRIDGE_LOGIN_CONCURRENCY="64")
    one.state.auth.users.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read")
    browsers = [Browser(one if n % 2 else two) for n in range(19)]
    pages = [browser.authorize() for browser in browsers]

    responses = in_parallel([lambda b=b, p=p: b.submit(p, "li.wei", WRONG) for b, p in zip(browsers, pages, strict=True)])

    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(401) == 5  # the policy: 5 checked, then locked
    assert statuses.count(429) == 14 and all(r.headers.get("retry-after") for r in responses if r.status_code == 429)
    assert Browser(one).sign_in("li.wei", PASSWORD).status_code == 429  # locked, even with the right password


def test_password_checks_beyond_the_cap_are_answered_429_at_once_and_not_counted(apps):
    app = apps(CASEBRIDGE_LOGIN_CONCURRENCY="1")
    app.state.auth.users.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read")
    browser = Browser(app)
    page = browser.authorize()

    with app.state.auth.sign_in.password_checks.slot() as held:  # another sign-in is being checked
        assert held
        busy = browser.submit(page, "li.wei", PASSWORD)

    assert busy.status_code == 429 and busy.headers["retry-after"] == "1"
    assert "busy" in busy.text
    for _ in range(4):
        assert Browser(app).sign_in("li.wei", WRONG).status_code == 401
    assert Browser(app).sign_in("li.wei", PASSWORD).status_code == 303  # the busy answer did not count


def test_parallel_sign_ins_never_run_more_password_checks_at_once_than_the_cap(apps):
    class GaugedHasher(PasswordHasher):
        running = 0
        most = 0
        lock = threading.Lock()

        def verify(self, hash, password):  # noqa: A002 (argon2's own parameter name)
            with GaugedHasher.lock:
                GaugedHasher.running += 1
                GaugedHasher.most = max(GaugedHasher.most, GaugedHasher.running)
            try:
                return super().verify(hash, password)
            finally:
                with GaugedHasher.lock:
                    GaugedHasher.running -= 1

    app = apps()
    config = AuthConfig.from_env({"CASEBRIDGE_LOGIN_CONCURRENCY": "2"})
    app.state.auth = AuthServices.build(app.state.db, config, JurisdictionRegistry.load(),
                                        password_hasher=GaugedHasher(time_cost=2, memory_cost=8 * 1024, parallelism=1))
    browsers = [Browser(app) for _ in range(12)]
    pages = [browser.authorize() for browser in browsers]

    responses = in_parallel([lambda b=b, p=p, n=n: b.submit(p, f"nobody{n}", WRONG)
                             for n, (b, p) in enumerate(zip(browsers, pages, strict=True))])

    assert 1 <= GaugedHasher.most <= 2
    assert all(r.status_code == 401 or (r.status_code == 429 and r.headers["retry-after"] == "1" and "busy" in r.text)
               for r in responses)


def test_an_unknown_user_costs_one_password_hash_like_a_known_one(apps, settings):
    class CountingHasher(PasswordHasher):
        verified: list[str] = []

        def verify(self, hash, password):  # noqa: A002 (argon2's own parameter name)
            CountingHasher.verified.append(hash)
            return super().verify(hash, password)

    app = apps()
    hasher = CountingHasher(time_cost=1, memory_cost=1024, parallelism=1)
    app.state.auth = AuthServices.build(app.state.db, AuthConfig.from_env({}), JurisdictionRegistry.load(), password_hasher=hasher)
    app.state.auth.users.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read")

    assert Browser(app).sign_in("li.wei", WRONG).status_code == 401
    assert Browser(app).sign_in("nobody.here", WRONG).status_code == 401

    known, unknown = CountingHasher.verified
    assert known.startswith("$argon2id$") and unknown.startswith("$argon2id$") and known != unknown


def test_a_successful_sign_in_takes_its_reservation_of_the_address_back(settings):
    from casebridge.infra.auth.sign_in.login_throttle import LoginThrottle
    from casebridge.infra.database import Database

    db = Database(settings.database)
    try:
        throttle = LoginThrottle(db)
        for n in range(19):
            throttle.record_failure(f"guess{n}", "10.0.0.9")
        for _ in range(3):  # a colleague behind the same gateway signs in three times
            assert throttle.reserve("li.wei", "10.0.0.9") == 0
            throttle.record_success("li.wei", "10.0.0.9")

        assert throttle.reserve("zhang.min", "10.0.0.9") == 0  # the 20th failure: reserved, and it locks
        assert throttle.reserve("wang.fang", "10.0.0.9") > 0
    finally:
        db.close()
