"""The FastAPI application factory: the composition root of the HTTP service.

`create_app(settings)` wires storage, the application, the projections, the OAuth
authorization server, the GraphQL schema and the console. Nothing else picks concrete
infrastructure.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from casebridge import __version__
from casebridge.api.oauth import router as oauth_router
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth import AuthConfig, AuthServices
from casebridge.infra.database import Database
from casebridge.infra.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    db = Database(settings.database)

    app = FastAPI(
        title="CaseBridge",
        version=__version__,
        docs_url="/docs" if settings.is_development else None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.is_development else None,
    )
    app.state.settings = settings
    app.state.db = db

    # OAuth: token endpoint, metadata and JWKS; the bearer-token validator for the API.
    auth = AuthServices.build(db, AuthConfig.from_env(), JurisdictionRegistry.load(settings.jurisdictions_file or None))
    app.state.auth = auth
    app.state.token_validator = auth.validator
    app.include_router(oauth_router)
    app.router.on_shutdown.append(auth.close)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        try:
            db.ping()
        except Exception as exc:  # storage down: say so, the process stays up
            return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ready"})

    @app.on_event("shutdown")
    def _close() -> None:
        db.close()

    return app
