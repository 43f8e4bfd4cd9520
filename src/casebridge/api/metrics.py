"""Prometheus metrics: HTTP traffic per route, and the projections' lag read at scrape time.

Each app gets its own registry (several apps in one test process never share counters).
The middleware is plain ASGI, not `BaseHTTPMiddleware`, so it adds no task per request.
With `CASEBRIDGE_METRICS_TOKEN` set, a scrape must send `Authorization: Bearer <token>`
(compared in constant time); without it, 401: the metrics show write activity of every
jurisdiction.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.responses import Response

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("casebridge_http_requests_total", "HTTP requests", ["method", "route", "status"],
                                registry=self.registry)
        self.latency = Histogram("casebridge_http_request_seconds", "HTTP request latency", ["method", "route"],
                                 registry=self.registry,
                                 buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
        self.commands = Counter("casebridge_commands_total", "GraphQL mutations by outcome", ["mutation", "outcome"],
                                registry=self.registry)

    def watch_projections(self, positions: Callable[[], dict[str, int]], head: Callable[[], int],
                          failures: Callable[[], list[Any]] | None = None) -> None:
        self.registry.register(_ProjectionLag(positions, head))
        if failures is not None:
            self.registry.register(_ProjectionFailures(failures))

    def response(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE)

    def response_for(self, authorization: str | None, token: str | None) -> Response:
        """The metrics, or 401 when a token is configured and the request does not carry it."""
        if token is not None and not _bearer_matches(authorization or "", token):
            return Response("A bearer token is required for /metrics.\n", status_code=401, media_type="text/plain",
                            headers={"WWW-Authenticate": 'Bearer realm="casebridge-metrics"', "Cache-Control": "no-store"})
        return self.response()


def _bearer_matches(authorization: str, token: str) -> bool:
    scheme, _, presented = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode("utf-8", "replace"), token.encode())


class _ProjectionLag(Collector):
    def __init__(self, positions: Callable[[], dict[str, int]], head: Callable[[], int]) -> None:
        self._positions, self._head = positions, head

    def collect(self):
        head = GaugeMetricFamily("casebridge_event_log_head", "Position of the newest event in the log")
        position = GaugeMetricFamily("casebridge_projection_position", "Last log position applied", labels=["projection"])
        lag = GaugeMetricFamily("casebridge_projection_lag_events", "Events not yet applied", labels=["projection"])
        try:
            current = self._head()
            positions = self._positions()
        except Exception:  # storage down: /readyz says so; the scrape still answers
            return
        head.add_metric([], current)
        for name, pos in sorted(positions.items()):
            position.add_metric([name], pos)
            lag.add_metric([name], max(0, current - pos))
        yield from (head, position, lag)


class _ProjectionFailures(Collector):
    """Read models stopped before an event they cannot apply, from the database (the worker may
    be another process): the failed attempts so far, and the position of the event."""

    def __init__(self, failures: Callable[[], list[Any]]) -> None:
        self._failures = failures

    def collect(self):
        attempts = CounterMetricFamily("casebridge_projection_failures", "Failed attempts to apply the event a read "
                                       "model is stopped at", labels=["projection"])
        position = GaugeMetricFamily("casebridge_projection_failed_position",
                                     "Log position of the event a read model cannot apply", labels=["projection"])
        try:
            failures = self._failures()
        except Exception:  # storage down: /readyz says so; the scrape still answers
            return
        for f in failures:
            attempts.add_metric([f.name], f.attempts)
            position.add_metric([f.name], f.position)
        yield from (attempts, position)


class MetricsMiddleware:
    """Counts and times every HTTP request by its route template (never the raw path,
    which would let clients create unbounded label values)."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "GET")
            self.metrics.requests.labels(method, template, str(status["code"])).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - start)
