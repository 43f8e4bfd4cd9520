"""Talking HTTP to the real ASGI app, and getting tokens from it."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth import AuthConfig, AuthServices


class AsgiClient:
    """A synchronous face over httpx's async ASGI transport: one event loop per request."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)


def request_token(http: AsgiClient, client_id: str, client_secret: str, **form: str) -> httpx.Response:
    return http.post("/oauth/token", data={"grant_type": "client_credentials", **form}, auth=(client_id, client_secret))


def use_clock(app: FastAPI, clock) -> AuthServices:
    """Rewires the app's auth services onto `clock`, so a test can move time."""
    services = AuthServices.build(app.state.db, AuthConfig(), JurisdictionRegistry.load(), clock=clock)
    app.state.auth = services
    app.state.token_validator = services.validator
    return services
