"""The one way a mutation runs: check the scope, call the command, turn an expected
failure into a problem value, wait until the read models show the write, read it back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar, Union
from uuid import UUID

import strawberry
from strawberry import Info

from casebridge.api.graphql.context import GraphQLContext, ReadModelLagError
from casebridge.api.graphql.types.problems import (
    ConflictProblem,
    ForbiddenProblem,
    InvalidStateProblem,
    NotFoundProblem,
    ValidationProblem,
    problem_from,
)
from casebridge.application.app import CaseBridge
from casebridge.application.idempotency import CommandResult
from casebridge.domain import values
from casebridge.domain.errors import DomainError
from casebridge.projections.waiter import ProjectionLagError

S = TypeVar("S")

EXPECTED_VERSION = "Change only if the object is still at this version; otherwise CONFLICT and nothing changes."
CLIENT_MUTATION_ID = "Idempotency key: the same key from the same client applies once and returns the same result."
NOT_APPLICABLE_VERSION = "Accepted for uniformity; a new object has no earlier version to compare."


def result_union(name: str, success: type) -> Any:
    """`<Name>Result = <Name>Success | NotFoundProblem | ConflictProblem | InvalidStateProblem
    | ValidationProblem | ForbiddenProblem`."""
    members = Union[success, NotFoundProblem, ConflictProblem, InvalidStateProblem, ValidationProblem, ForbiddenProblem]  # noqa: UP007
    return Annotated[members, strawberry.union(f"{name}Result")]


def run(
    info: Info,
    scope: str,
    command: Callable[[CaseBridge, Any], CommandResult],
    present: Callable[[GraphQLContext, CommandResult], S],
) -> Any:
    context: GraphQLContext = info.context
    context.require(scope)  # raises FORBIDDEN before anything is read or written
    try:
        _check_key(info)
        result = command(context.services.application, context.actor)
    except DomainError as error:
        return problem_from(error)
    settle(context, result.position)
    return present(context, result)


def _check_key(info: Info) -> None:
    """The idempotency key is hashed, never stored, but must still be text that can be encoded."""
    given = info.selected_fields[0].arguments.get("input") if info.selected_fields else None
    key = given.get("clientMutationId") if isinstance(given, dict) else None
    if key is not None:
        values.identifier_text(key, "clientMutationId", limit=200)


def settle(context: GraphQLContext, position: int) -> None:
    """Read-your-writes: return once every read model has applied the log up to `position`."""
    try:
        context.services.waiter.wait_for(position, timeout=context.services.write_timeout)
    except ProjectionLagError:
        raise ReadModelLagError() from None
    context.fresh_loaders()


def uuid_of(value: str, not_found: Callable[[], DomainError]) -> UUID:
    """An id from the input; one that cannot be an id names nothing (NOT_FOUND)."""
    try:
        return UUID(str(value))
    except ValueError:
        raise not_found() from None


def read_case(context: GraphQLContext, result: CommandResult) -> Any:
    row = context.services.read_models.cases.get(context.jurisdiction, str(result.aggregate_id))
    if row is not None:
        context.loaders.cases_seen([row])
    return row


def read_evidence_request(context: GraphQLContext, result: CommandResult) -> Any:
    row = context.services.read_models.evidence_requests.get(context.jurisdiction, str(result.aggregate_id))
    if row is not None:
        context.loaders.requests_seen([row])
    return row


def read_joint_action(context: GraphQLContext, result: CommandResult) -> Any:
    row = context.services.read_models.joint_actions.get(context.jurisdiction, str(result.aggregate_id))
    if row is not None:
        context.loaders.actions_seen([row])
    return row
