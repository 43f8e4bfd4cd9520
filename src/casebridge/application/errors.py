"""Errors of the use-case layer: lookups and concurrency."""

from __future__ import annotations

from casebridge.domain.errors import DomainError, NotFoundError, ReferenceTakenError, ValidationError


class CaseNotFoundError(NotFoundError):
    def __init__(self, field: str = "caseId") -> None:
        super().__init__("no such case", field=field)


class EvidenceRequestNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("no such evidence request", field="requestId")


class JointActionNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("no such joint action", field="jointActionId")


class ConflictError(DomainError):
    """The aggregate changed since the caller read it (stale expectedVersion), or a
    concurrent change kept winning the race."""

    code = "CONFLICT"

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(message, field="expectedVersion")
        self.current_version = current_version


class CommandIdReusedError(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            "this clientMutationId was already used by this client for a different command", field="clientMutationId"
        )


class ReferenceNotAvailableError(ReferenceTakenError):
    """A chosen reference that cannot be had: taken, or in another jurisdiction's generated
    shape. One answer for both, which never says whose it is or whether it exists."""

    def __init__(self) -> None:
        ValidationError.__init__(
            self, "this case reference is not available; choose another, or leave it out to have one issued",
            field="reference",
        )
