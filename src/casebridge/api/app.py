"""The FastAPI application factory: the composition root of the HTTP service.

`create_app(settings)` wires storage, the application, the projections, the OAuth
authorization server, the GraphQL schema and the console. Nothing else picks concrete
infrastructure.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from casebridge import __version__
from casebridge.api.console import build_console_router
from casebridge.api.graphql import build_graphql_router, close_graphql
from casebridge.api.legal_http import router as legal_router
from casebridge.api.metrics import Metrics, MetricsMiddleware
from casebridge.api.oauth import router as oauth_router
from casebridge.api.request_limits import BodyTimeoutMiddleware
from casebridge.api.sight import ReadModelSight
from casebridge.application.app import CaseBridge
from casebridge.domain.calendar import WorkingDayCalendar
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.audit.checkpoints import Checkpointer, PeriodicCheckpoints
from casebridge.infra.auth import AuthServices
from casebridge.infra.database import Database
from casebridge.infra.reporter_keys import SqlReporterVault
from casebridge.infra.settings import Settings
from casebridge.projections.views import ReadModels
from casebridge.projections.waiter import ProjectionWaiter
from casebridge.projections.worker import ProjectionsHandle, start_projections


def create_app(settings: Settings | None = None, *, run_projections: bool = True) -> FastAPI:
    settings = settings or Settings.from_env()
    db = Database(settings.database)
    registry = JurisdictionRegistry.load(settings.jurisdictions_file or None)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The application and the projections open when the server starts, so an app that is
        # only constructed holds no connections or threads.
        runtime.start()
        app.state.application = runtime.application
        try:
            yield
        finally:
            auth.close()
            close_graphql(graphql)
            runtime.stop()
            db.close()

    app = FastAPI(
        title="CaseBridge",
        lifespan=lifespan,
        version=__version__,
        docs_url="/docs" if settings.is_development else None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.is_development else None,
    )
    app.state.settings = settings
    app.state.db = db

    # OAuth: token endpoint, metadata and JWKS; the bearer-token validator for the API.
    auth = AuthServices.build(db, settings.auth, registry)
    app.state.auth = auth
    app.state.token_validator = auth.validator
    app.include_router(oauth_router)

    # The application and its projections (started by `lifespan`) and GraphQL at /graphql.
    runtime = ServerRuntime(settings, db, registry, run_projections=run_projections)
    read_models = ReadModels(db)
    graphql = build_graphql_router(runtime=runtime, read_models=read_models, registry=registry,
                                   validate_token=auth.validator.validate, development=settings.is_development,
                                   live=settings.live)
    app.state.runtime = runtime
    app.state.read_models = read_models
    app.state.graphql = graphql.graphql_services  # type: ignore[attr-defined]
    app.include_router(graphql)

    # The console for people: the page at `/` and its assets (talks to /graphql and /oauth).
    app.include_router(build_console_router())

    # Court exports over HTTP (`casebridge export` on the command line).
    app.include_router(legal_router)

    # Prometheus: traffic per route, and the projections' lag read at scrape time.
    metrics = Metrics()
    metrics.watch_projections(read_models.positions, lambda: runtime.log_head(), read_models.failures)
    app.add_middleware(BodyTimeoutMiddleware, seconds=settings.requests.body_timeout)  # slow bodies: 408
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.state.metrics = metrics

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics(request: Request):
        return metrics.response_for(request.headers.get("authorization"), auth.config.metrics_token)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        try:
            db.ping()
            failing = read_models.failures()
        except Exception as exc:  # storage down: say so, the process stays up
            return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, status_code=503)
        if failing:  # still serving (the other read models keep going), but an operator must look
            return JSONResponse({"status": "degraded", "failingReadModels": [
                {"name": f.name, "position": f.position, "error": f.error, "attempts": f.attempts} for f in failing]})
        return JSONResponse({"status": "ready"})

    return app


class ServerRuntime:
    """The CaseBridge application and the projections of one server process, with the
    read-your-writes waiter in front of them. Opened by `start` (server start-up), closed by
    `stop`; without `run_projections` a separate `casebridge worker` projects and the waiter
    listens for its wake-ups."""

    def __init__(self, settings: Settings, db: Database, registry: JurisdictionRegistry, *, run_projections: bool) -> None:
        self._settings, self._db, self._registry, self._run = settings, db, registry, run_projections
        self.application: CaseBridge | None = None
        self.projections: ProjectionsHandle | None = None
        self.checkpoints: PeriodicCheckpoints | None = None
        self._waiter = ProjectionWaiter(db)

    def start(self) -> None:
        if self.application is not None:
            return
        self.application = CaseBridge(env=self._settings.database.eventsourcing_env(), registry=self._registry,
                                      calendar=WorkingDayCalendar.load(self._settings.holidays_file or None),
                                      sight=ReadModelSight(self._db, self.log_head),
                                      reporter_vault=SqlReporterVault(self._db))
        if self._run:
            self.projections = start_projections(self.application, self._db, self._registry)
            self._waiter = self.projections.waiter
            if self._settings.checkpoint_interval > 0:  # where the projections run, so do checkpoints
                self.checkpoints = PeriodicCheckpoints(Checkpointer(self._db), self._settings.checkpoint_interval).start()
        else:
            self._waiter.start()

    def log_head(self) -> int:
        return self.application.max_position() if self.application is not None else 0

    def wait_for(self, position: int, timeout: float = 5.0) -> None:
        self._waiter.wait_for(position, timeout)

    def stop(self) -> None:
        if self.checkpoints is not None:
            self.checkpoints.stop()
            self.checkpoints = None
        if self.projections is not None:
            self.projections.stop()
            self.projections = None
        else:
            self._waiter.stop()
        if self.application is not None:
            self.application.close()
            self.application = None
