"""The authorization server: registered clients and console users, the token endpoint
(client credentials; authorization code with PKCE for the console), access tokens signed with
the active key, authorization codes and revoked tokens, and the RFC 8414 metadata."""
