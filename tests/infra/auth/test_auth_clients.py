"""The client store: registration, idempotent fixed clients, revocation, secret hashing."""

from __future__ import annotations

import pytest

from casebridge.infra.auth import (
    ClientConflictError,
    ClientRegistrationError,
    ClientStore,
    UnknownScopeError,
)

DEMO_SECRET = "demo-secret-for-the-shanghai-bureau-0001"


def test_client_secret_is_stored_only_as_a_salted_hash(db):
    store = ClientStore(db)
    one = store.create(jurisdiction="310000", scope="cases:read")
    two = store.create(jurisdiction="310000", scope="cases:read", client_secret=one.client_secret)

    rows = db.query("SELECT client_id, secret_hash FROM oauth_clients ORDER BY client_id")

    hashes = [secret_hash for _, secret_hash in rows]
    assert one.client_secret not in " ".join(hashes)
    assert hashes[0] != hashes[1]  # same secret, different salt
    assert store.get(one.client_id).check_secret(one.client_secret)
    assert not store.get(two.client_id).check_secret(one.client_secret + "x")


def test_creating_the_same_fixed_client_again_returns_it_unchanged(db):
    store = ClientStore(db)
    first = store.create(jurisdiction="330000", scope="cases:read cases:write", name="Zhejiang demo",
                         client_id="demo-zhejiang", client_secret=DEMO_SECRET)

    again = store.create(jurisdiction="330000", scope="cases:write cases:read", name="Zhejiang demo",
                         client_id="demo-zhejiang", client_secret=DEMO_SECRET)

    assert again == first
    assert [c.client_id for c in store.list_all()] == ["demo-zhejiang"]


def test_a_fixed_client_id_with_other_attributes_is_a_conflict(db):
    store = ClientStore(db)
    store.create(jurisdiction="330000", scope="cases:read", client_id="demo-zhejiang", client_secret=DEMO_SECRET)

    with pytest.raises(ClientConflictError):
        store.create(jurisdiction="330000", scope="cases:read cases:write", client_id="demo-zhejiang", client_secret=DEMO_SECRET)
    with pytest.raises(ClientConflictError):
        store.create(jurisdiction="330000", scope="cases:read", client_id="demo-zhejiang", client_secret=DEMO_SECRET + "2")


def test_a_revoked_client_is_not_active_and_revoking_again_is_harmless(db, clock):
    store = ClientStore(db, clock=clock)
    created = store.create(jurisdiction="440000", scope="history:read")

    revoked = store.revoke(created.client_id)
    store.revoke(created.client_id)

    assert revoked.is_revoked
    assert store.find_active(created.client_id) is None
    assert store.get(created.client_id).revoked_at == revoked.revoked_at


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"jurisdiction": "999999", "scope": "cases:read"},
        {"jurisdiction": "310000", "scope": "cases:read admin"},
        {"jurisdiction": "310000", "scope": ""},
        {"jurisdiction": "310000", "scope": "cases:read", "client_id": "has:colon", "client_secret": DEMO_SECRET},
        {"jurisdiction": "310000", "scope": "cases:read", "client_id": "short-secret", "client_secret": "too-short"},
    ],
    ids=["unknown jurisdiction", "unknown scope", "no scope", "client id with a colon", "short secret"],
)
def test_an_invalid_registration_writes_nothing(db, request_kwargs):
    store = ClientStore(db)

    with pytest.raises((ClientRegistrationError, UnknownScopeError)):
        store.create(**request_kwargs)

    assert store.list_all() == []
