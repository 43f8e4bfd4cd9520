"""Signing keys in the database: created on first need, once, even under a race; rotated."""

from __future__ import annotations

import threading

from casebridge.infra.auth import KeyRing, SigningKeyStore
from casebridge.infra.database import Database


def test_the_first_signing_key_is_created_on_first_need(db, clock):
    store = SigningKeyStore(db, clock=clock)
    assert store.load_all() == []

    key = store.ensure_active()

    assert key.is_active and key.algorithm == "ES256"
    assert store.ensure_active().kid == key.kid
    assert [k.kid for k in store.load_all()] == [key.kid]


def test_processes_creating_the_first_key_at_once_end_with_exactly_one_active_key(settings, clock):
    processes = 8
    databases = [Database(settings.database) for _ in range(processes)]
    for d in databases:
        d.ping()  # connected before the race starts
    rings = [KeyRing(SigningKeyStore(d, clock=clock), refresh_seconds=30, retention_seconds=660, clock=clock) for d in databases]
    start = threading.Barrier(processes)
    kids: list[str] = []
    errors: list[BaseException] = []

    def first_signing_key(ring: KeyRing) -> None:
        try:
            start.wait()
            kids.append(ring.signing_key().kid)
        except BaseException as exc:  # noqa: BLE001 - reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=first_signing_key, args=(ring,)) for ring in rings]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        keys = SigningKeyStore(databases[0]).load_all()
        assert len(keys) == 1 and keys[0].is_active
        assert set(kids) == {keys[0].kid}
    finally:
        for d in databases:
            d.close()


def test_rotation_retires_the_active_key_and_keeps_only_its_public_half(db, clock):
    store = SigningKeyStore(db, clock=clock)
    old = store.ensure_active()
    clock.advance(60)

    new = store.rotate()

    keys = {k.kid: k for k in store.load_all()}
    assert new.kid != old.kid and keys[new.kid].is_active
    assert keys[old.kid].retired_at is not None and not keys[old.kid].is_active
    private_jwk = db.query_one("SELECT private_jwk FROM oauth_signing_keys WHERE kid = ?", (old.kid,))[0]
    assert private_jwk is None
    assert not keys[old.kid].key.is_private
