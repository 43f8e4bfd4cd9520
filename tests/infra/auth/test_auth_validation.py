"""The token validator on our own tokens: what it accepts and everything it refuses."""

from __future__ import annotations

import json

import pytest
from auth_token_helpers import hmac_signed_with, our_claims, signed, unsigned
from joserfc.jwk import ECKey

from casebridge.infra.auth import InvalidTokenError, Principal


@pytest.fixture
def token(auth):
    return auth.issuer.issue(client_id="client-1", jurisdiction="310000", scopes={"cases:read", "history:read"})


def test_a_token_we_issued_gives_its_principal(auth, token):
    principal = auth.validator.validate(token.access_token)

    assert principal == Principal(
        client_id="client-1",
        subject="client-1",
        jurisdiction="310000",
        scopes=frozenset({"cases:read", "history:read"}),
        token_id=token.token_id,
        issuer=None,  # our own server's token: only an external provider's issuer is named
        key_id=auth.keys.signing_key().kid,
    )
    assert principal.has_scope("history:read") and not principal.has_scope("cases:write")


def test_a_token_is_still_accepted_within_the_leeway_after_it_expires(auth, token, clock):
    clock.advance(auth.config.token_ttl + auth.config.leeway - 1)

    assert auth.validator.validate(token.access_token).client_id == "client-1"


def test_an_expired_token_is_refused(auth, token, clock):
    clock.advance(auth.config.token_ttl + auth.config.leeway + 1)

    with pytest.raises(InvalidTokenError, match="expired"):
        auth.validator.validate(token.access_token)


def test_a_token_signed_by_another_key_under_our_kid_is_refused(auth, clock):
    ours = auth.keys.signing_key()
    impostor = ECKey.generate_key("P-256", private=True)

    forged = signed(impostor, our_claims(auth.config, clock()), kid=ours.kid)

    with pytest.raises(InvalidTokenError, match="signature"):
        auth.validator.validate(forged)


def test_a_token_with_an_unknown_kid_is_refused(auth, clock):
    auth.keys.signing_key()
    stranger = ECKey.generate_key("P-256", private=True, auto_kid=True)

    with pytest.raises(InvalidTokenError, match="signing key is unknown"):
        auth.validator.validate(signed(stranger, our_claims(auth.config, clock())))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "another-api"}, "aud"),
        ({"aud": ["another-api", "yet-another"]}, "aud"),
        ({"jurisdiction": None}, "jurisdiction"),
        ({"jti": None}, "jti"),
        ({"jurisdiction": "999999"}, "jurisdiction"),
        ({"sub": "someone-else"}, "subject"),
        ({"iat": 1_900_000_000}, "iat"),
    ],
    ids=["wrong audience", "wrong audience list", "no jurisdiction", "no jti", "unknown jurisdiction", "subject is not the client", "issued in the future"],
)
def test_a_correctly_signed_token_with_bad_claims_is_refused(auth, clock, overrides, reason):
    key = auth.keys.signing_key()

    with pytest.raises(InvalidTokenError, match=reason):
        auth.validator.validate(signed(key.key, our_claims(auth.config, clock(), **overrides)))


def test_a_token_from_another_issuer_is_refused_even_when_signed_by_our_key(auth, clock):
    key = auth.keys.signing_key()

    with pytest.raises(InvalidTokenError, match="issuer"):
        auth.validator.validate(signed(key.key, our_claims(auth.config, clock(), iss="https://evil.example")))


@pytest.mark.parametrize("typ", ["JWT", None, "at+jwt+x"])
def test_our_token_whose_type_is_not_at_jwt_is_refused(auth, clock, typ):
    key = auth.keys.signing_key()

    with pytest.raises(InvalidTokenError, match="type"):
        auth.validator.validate(signed(key.key, our_claims(auth.config, clock()), typ=typ))


def test_an_unsigned_token_is_refused(auth, clock):
    key = auth.keys.signing_key()

    with pytest.raises(InvalidTokenError, match="algorithm"):
        auth.validator.validate(unsigned(our_claims(auth.config, clock()), kid=key.kid))


@pytest.mark.parametrize("secret_form", ["jwk", "pem"])
def test_an_hs256_token_keyed_with_our_public_key_is_refused(auth, clock, secret_form):
    key = auth.keys.signing_key()
    public = json.dumps(key.public_jwk).encode() if secret_form == "jwk" else key.key.as_pem(private=False)

    with pytest.raises(InvalidTokenError, match="algorithm"):
        auth.validator.validate(hmac_signed_with(public, our_claims(auth.config, clock()), kid=key.kid))


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "a.b", "e30.e30.", "x" * 10_000])
def test_garbage_is_refused_as_malformed(auth, garbage):
    with pytest.raises(InvalidTokenError):
        auth.validator.validate(garbage)
