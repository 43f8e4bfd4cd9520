"""What every resolver sees: the caller, the services, and this request's loaders.

The principal is verified once per request (HTTP) or once per connection (WebSocket)
before anything runs. Scopes are checked on root fields only (`require`); visibility is
never checked here: the read models filter by jurisdiction in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from casebridge.api.graphql.loaders import Loaders
from casebridge.domain.jurisdictions import Jurisdiction, JurisdictionRegistry
from casebridge.domain.values import Actor
from casebridge.infra.auth import Principal

if TYPE_CHECKING:
    from casebridge.api.graphql.execution import GraphQLPipeline
    from casebridge.api.graphql.hardening import DocumentPolicy
    from casebridge.application.app import CaseBridge
    from casebridge.projections.views import ReadModels


class Waiter(Protocol):
    """Read-your-writes: returns once every read model has applied the log up to `position`,
    raises `ProjectionLagError` after `timeout` seconds."""

    def wait_for(self, position: int, timeout: float = 5.0) -> None: ...


class Runtime(Waiter, Protocol):
    """The server's running parts as GraphQL needs them (`casebridge.api.app.ServerRuntime`):
    the application, `None` until the server has started, and the read-your-writes waiter."""

    application: CaseBridge | None


class ApiError(Exception):
    """An expected failure shown to the client as it is: a message and `extensions.code`."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = {"code": code or self.code}


class MissingScopeError(ApiError):
    code = "FORBIDDEN"

    def __init__(self, scope: str) -> None:
        super().__init__(f"This operation needs the {scope} scope; nothing was changed.")


class BadUserInputError(ApiError):
    code = "BAD_USER_INPUT"


class InvalidArgumentError(ApiError):
    """A query argument that cannot be what it claims (VALIDATION, the argument named)."""

    code = "VALIDATION"

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.extensions["field"] = field


class ReadModelLagError(ApiError):
    code = "READ_MODEL_LAGGING"

    def __init__(self) -> None:
        super().__init__(
            "The change was recorded but is not readable yet; repeat the request with the same "
            "clientMutationId to read the result."
        )


@dataclass(frozen=True)
class GraphQLServices:
    """The long-lived collaborators, built once by the app factory."""

    runtime: Runtime
    read_models: ReadModels
    registry: JurisdictionRegistry
    pipeline: GraphQLPipeline  # prepare, execute, shape errors: the same for every transport
    validate_token: Callable[[str], Principal]
    feed: Any = None  # casebridge.api.graphql.subscriptions.ProjectionFeed
    live: Any = None  # casebridge.api.graphql.live.PrincipalSlots: WebSocket caps per principal
    write_timeout: float = 10.0
    _unknown: dict[str, Jurisdiction] = field(default_factory=dict, repr=False, compare=False)

    @property
    def documents(self) -> DocumentPolicy:
        return self.pipeline.documents

    @property
    def application(self) -> CaseBridge:
        application = self.runtime.application
        if application is None:
            raise RuntimeError("the server has not started: no application to run commands")
        return application

    @property
    def waiter(self) -> Waiter:
        return self.runtime

    def jurisdiction(self, code: str) -> Jurisdiction:
        """The registry entry for `code`; a code the registry no longer knows still shows."""
        if code in self.registry:
            return self.registry.get(code)
        known = self._unknown.get(code)
        if known is None:
            known = self._unknown.setdefault(code, Jurisdiction(code=code, name=code, name_en=code, parent=None))
        return known


class GraphQLContext:
    """One request (or one WebSocket connection) worth of state."""

    def __init__(self, services: GraphQLServices, principal: Principal | None, request_id: str) -> None:
        self.services = services
        self.principal = principal
        self.request_id = request_id
        self.connection_params: dict[str, Any] | None = None  # set by the WebSocket handshake
        self.live: Any = None  # the WebSocket connection's standing (live.LiveConnection), re-checked per push
        self.compiled: dict | None = None  # the document's compiled getters (see execution.py)
        self.now = datetime.now(UTC)
        self._loaders: Loaders | None = None

    @property
    def documents(self) -> DocumentPolicy:
        return self.services.documents

    @property
    def jurisdiction(self) -> str:
        assert self.principal is not None, "the principal is verified before execution"
        return self.principal.jurisdiction

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self.services.read_models, self.jurisdiction)
        return self._loaders

    def fresh_loaders(self) -> Loaders:
        """Forget what this request read: after a write, nothing cached before it is trusted."""
        self._loaders = None
        self.now = datetime.now(UTC)
        return self.loaders

    def require(self, scope: str) -> Principal:
        principal = self.principal
        if principal is None or scope not in principal.scopes:
            raise MissingScopeError(scope)
        return principal

    @cached_property
    def actor(self) -> Actor:
        principal = self.principal
        assert principal is not None
        # An external provider's token may name a person besides the client.
        user = principal.subject if principal.subject != principal.client_id else None
        # The issuer keeps an external provider's client apart from a local client of the same
        # client_id: in the events, and in whose idempotency keys are whose.
        return Actor(client_id=principal.client_id, jurisdiction=principal.jurisdiction, user=user,
                     issuer=principal.issuer)
