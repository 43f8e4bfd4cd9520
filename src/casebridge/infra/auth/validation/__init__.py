"""Validation of bearer tokens into a `Principal`: ours (by the signing keys) or an external
OpenID provider's (by its JWKS), and whether the principal is still in good standing. Knows
nothing of how tokens are issued."""
