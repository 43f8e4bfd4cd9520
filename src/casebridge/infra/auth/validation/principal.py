"""Who is calling: the verified identity behind one bearer token."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """A client acting for one jurisdiction with a set of scopes, taken from a verified token."""

    client_id: str
    subject: str
    jurisdiction: str
    scopes: frozenset[str]
    token_id: str | None = None
    issuer: str | None = None  # an external OpenID provider's issuer; None: CaseBridge's own server
    key_id: str | None = None  # the `kid` that signed it (a revoked key stops it at once)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
