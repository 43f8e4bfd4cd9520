"""Building tokens by hand, to see what the validator does with forged and odd ones."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from joserfc import jwt
from joserfc.jwk import Key

from casebridge.infra.auth import AuthConfig


def our_claims(config: AuthConfig, now: float, **overrides) -> dict:
    claims = {
        "iss": config.issuer,
        "sub": "client-1",
        "aud": config.audience,
        "exp": int(now) + 600,
        "iat": int(now),
        "jti": "token-1",
        "client_id": "client-1",
        "scope": "cases:read",
        "jurisdiction": "310000",
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def signed(key: Key, claims: dict, *, alg: str = "ES256", typ: str | None = "at+jwt", kid: str | None = None) -> str:
    header = {"alg": alg, "kid": kid if kid is not None else key.kid}
    if typ is not None:
        header["typ"] = typ
    return jwt.encode(header, claims, key, algorithms=[alg], default_type=None)


def unsigned(claims: dict, *, kid: str) -> str:
    """`alg: none`: a token with no signature at all."""
    return f"{_segment({'alg': 'none', 'typ': 'at+jwt', 'kid': kid})}.{_segment(claims)}."


def hmac_signed_with(secret: bytes, claims: dict, *, kid: str) -> str:
    """HS256 keyed with `secret`: the classic attack keys it with the server's public key."""
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'at+jwt', 'kid': kid})}.{_segment(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _segment(obj: dict) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
