"""Key rotation: old tokens keep verifying until they cannot be valid, then the key goes."""

from __future__ import annotations

import pytest
from joserfc import jws

from casebridge.infra.auth import AuthConfig, AuthServices, InvalidTokenError


def issue(auth: AuthServices) -> str:
    return auth.issuer.issue(client_id="client-1", jurisdiction="330000", scopes={"cases:read"}).access_token


def _header(token: str) -> dict:
    """The JOSE header, read without verifying (only to see which key signed)."""
    return jws.extract_compact(token.encode()).headers()


def published_kids(auth: AuthServices) -> set[str]:
    return {key["kid"] for key in auth.keys.jwks()["keys"]}


def test_a_token_signed_before_rotation_still_verifies_after_it(auth, clock):
    before = issue(auth)
    clock.advance(60)

    auth.keys.rotate()

    assert auth.validator.validate(before).client_id == "client-1"


def test_after_rotation_new_tokens_use_the_new_kid_and_the_jwks_lists_both(auth, clock):
    old_kid = _header(issue(auth))["kid"]

    new_key = auth.keys.rotate()
    after = issue(auth)

    assert _header(after)["kid"] == new_key.kid != old_kid
    assert published_kids(auth) == {old_kid, new_key.kid}
    assert auth.validator.validate(after).jurisdiction == "330000"


def test_a_retired_key_leaves_the_jwks_once_its_tokens_can_no_longer_be_valid(auth, clock):
    before = issue(auth)
    old_kid = _header(before)["kid"]
    new_key = auth.keys.rotate()

    clock.advance(auth.config.key_retention_seconds - 1)
    assert published_kids(auth) == {old_kid, new_key.kid}

    clock.advance(2)
    assert published_kids(auth) == {new_key.kid}
    with pytest.raises(InvalidTokenError):
        auth.validator.validate(before)


def test_a_rotation_by_another_process_is_picked_up(db, jurisdictions, clock, auth):
    config = AuthConfig()
    other = AuthServices.build(db, config, jurisdictions, clock=clock)
    first_kid = _header(issue(auth))["kid"]

    rotated = other.keys.rotate()
    from_other = issue(other)

    # Verifying a token with a kid this process has not seen reloads the keys at once...
    assert auth.validator.validate(from_other).client_id == "client-1"
    # ...and signing switches to the new key once the cache is due for a refresh.
    clock.advance(config.key_refresh_seconds)
    assert _header(issue(auth))["kid"] == rotated.kid != first_kid
