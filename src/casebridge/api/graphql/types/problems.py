"""Expected failures of mutations, as values in the result unions (never as errors)."""

from __future__ import annotations

import strawberry

from casebridge.domain.errors import DomainError


@strawberry.interface(description="Why a mutation changed nothing. `code` is stable; `message` is for people.")
class Problem:
    code: str
    message: str


@strawberry.type(description="The object does not exist, or does not exist for your jurisdiction.")
class NotFoundProblem(Problem):
    field: str = strawberry.field(description="The input field naming the missing object.")


@strawberry.type(description="The object changed since you read it (stale expectedVersion) or concurrently; reload and retry.")
class ConflictProblem(Problem):
    current_version: int | None = strawberry.field(default=None, description="The version the object is at now, when known.")


@strawberry.type(description="The object's state does not allow this, e.g. accepting a transfer that is not pending.")
class InvalidStateProblem(Problem):
    pass


@strawberry.type(description="The input is not acceptable; `field` names the input field (dotted path).")
class ValidationProblem(Problem):
    field: str


@strawberry.type(description="Your jurisdiction may see the object but may not do this to it.")
class ForbiddenProblem(Problem):
    pass


PROBLEM_TYPES = (NotFoundProblem, ConflictProblem, InvalidStateProblem, ValidationProblem, ForbiddenProblem)


def problem_from(error: DomainError) -> Problem:
    """The problem value for a domain error; an error with an unknown code is not expected."""
    code, message = error.code, error.message
    if code == "NOT_FOUND":
        return NotFoundProblem(code=code, message=message, field=error.field or "id")
    if code == "CONFLICT":
        return ConflictProblem(code=code, message=message, current_version=getattr(error, "current_version", None))
    if code == "INVALID_STATE":
        return InvalidStateProblem(code=code, message=message)
    if code == "VALIDATION":
        return ValidationProblem(code=code, message=message, field=error.field or "input")
    if code == "FORBIDDEN":
        return ForbiddenProblem(code=code, message=message)
    raise error
