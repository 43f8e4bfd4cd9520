"""Domain errors: values with a stable machine `code`, raised before any event is triggered.

The codes are the contract's problem codes (docs/contract.md): VALIDATION names the field,
INVALID_STATE says which state forbids the command, FORBIDDEN says the caller's
jurisdiction may see the object but not do this to it.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "DOMAIN_ERROR"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# -- bad input ---------------------------------------------------------------------------


class ValidationError(DomainError):
    code = "VALIDATION"


class BlankFieldError(ValidationError):
    def __init__(self, field: str) -> None:
        super().__init__(f"{field} must not be blank", field=field)


class FieldTooLongError(ValidationError):
    def __init__(self, field: str, limit: int) -> None:
        super().__init__(f"{field} must be at most {limit} characters", field=field)


class UnacceptableCharacterError(ValidationError):
    """Text holding a character no read model, export or database column can keep (NUL and
    other control characters, lone surrogates), or, in an identifier, one that hides or
    reorders what a reader sees (bidi controls, zero-width characters)."""

    def __init__(self, field: str, position: int, character: str) -> None:
        super().__init__(f"{field} contains an unacceptable character U+{ord(character):04X} at position {position}",
                         field=field)


class InvalidSha256Error(ValidationError):
    def __init__(self, field: str = "sha256") -> None:
        super().__init__(f"{field} must be a SHA-256 digest: 64 hexadecimal characters", field=field)


class UnknownJurisdictionError(ValidationError):
    def __init__(self, code: str, field: str = "jurisdiction") -> None:
        super().__init__(f"unknown jurisdiction code {code!r}", field=field)
        self.jurisdiction = code


class SameJurisdictionError(ValidationError):
    pass


class ReferenceTakenError(ValidationError):
    def __init__(self, reference: str) -> None:
        super().__init__(f"case reference {reference!r} is already in use", field="reference")


class InvalidDueDateError(ValidationError):
    pass


class DetailRequiredError(ValidationError):
    def __init__(self) -> None:
        super().__init__("a refusal for reason OTHER needs a detail", field="detail")


class NotSubordinateError(ValidationError):
    def __init__(self) -> None:
        super().__init__("a case is assigned only to a jurisdiction below the assigning one", field="jurisdiction")


class CollectiveDecisionRequiredError(ValidationError):
    def __init__(self) -> None:
        super().__init__("the decision period was extended once already: a further extension needs the "
                         "recorded collective decision of the organ's leadership", field="collectiveDecision")


# -- state ---------------------------------------------------------------------------------


class InvalidStateError(DomainError):
    code = "INVALID_STATE"


class CaseClosedError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the case is closed")


class CaseNotClosedError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the case is not closed")


class TransferAlreadyPendingError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("a transfer of this case is already pending")


class NoPendingTransferError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("no transfer of this case is pending")


class OnwardTransferNotAllowedError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__(
            "this case was received by transfer and may not be transferred onward; "
            "ask a common superior jurisdiction to designate the handling jurisdiction"
        )


class EvidenceRequestClosedError(InvalidStateError):
    def __init__(self, status: str) -> None:
        super().__init__(f"the evidence request is {status.lower()}, not open")


class EvidenceRequestExpiredError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the evidence request is past its due date; it can no longer be extended")


class ClarificationPendingError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("a clarification is pending: the clock is paused until the applicant answers it")


class NoClarificationPendingError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("no clarification of this evidence request is pending")


class JointActionClosedError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the joint action is closed")


class InvitationAnsweredError(InvalidStateError):
    def __init__(self, status: str) -> None:
        super().__init__(f"the invitation was already answered ({status.lower()})")


class TaskAlreadyCompletedError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the task is already completed")


class OpenTasksRemainError(InvalidStateError):
    pass


class NoCommonSuperiorError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the two jurisdictions have no common superior to decide the dispute")


class DesignatedHandlerError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the handling jurisdiction was designated or assigned by a superior and may not move "
                         "the case by itself; only a superior may designate another handler")


class CaseSuspendedError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the case is suspended (中止); resume it first")


class CaseNotSuspendedError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the case is not suspended")


class NoDecisionClockError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("this case has no decision period running (opened before decision periods were recorded)")


class DecisionClockPausedError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the decision period is already paused")


class DecisionClockRunningError(InvalidStateError):
    def __init__(self) -> None:
        super().__init__("the decision period is not paused")


# -- who may do what -----------------------------------------------------------------------


class NotPermittedError(DomainError):
    """The caller's jurisdiction may see the object but may not do this to it."""

    code = "FORBIDDEN"


class NotHandlingJurisdictionError(NotPermittedError):
    def __init__(self) -> None:
        super().__init__("only the handling jurisdiction may do this")


class NotCaseHandlerError(NotPermittedError):
    """A jurisdiction that sees a case read-only (a former handler, a transfer target, a
    supervisor, a party to a request or an action) may not share it on."""

    def __init__(self) -> None:
        super().__init__("only the handling jurisdiction may link its case into a joint action", field="caseIds")


class NotTransferTargetError(NotPermittedError):
    def __init__(self) -> None:
        super().__init__("only the jurisdiction the transfer is addressed to may answer it")


class NotCommonSuperiorError(NotPermittedError):
    def __init__(self) -> None:
        super().__init__(
            "only a common superior of the handling and the designated jurisdiction may designate jurisdiction"
        )


class NotSuperiorError(NotPermittedError):
    def __init__(self) -> None:
        super().__init__("only a superior of the handling jurisdiction takes a case over")


class NotRequestedJurisdictionError(NotPermittedError):
    def __init__(self) -> None:
        super().__init__("only the requested jurisdiction may answer this evidence request")


class NotApplicantError(NotPermittedError):
    def __init__(self) -> None:
        super().__init__("only the applicant jurisdiction may do this")


class NotCoordinatorError(NotPermittedError):
    def __init__(self) -> None:
        super().__init__("only the coordinating jurisdiction may do this")


class NotInvitedError(NotPermittedError):
    def __init__(self) -> None:
        super().__init__("your jurisdiction is not invited to this joint action")


class NotAssigneeError(NotPermittedError):
    def __init__(self) -> None:
        super().__init__("only the assignee may complete this task")


# -- lookups -------------------------------------------------------------------------------


class NotFoundError(DomainError):
    """The object does not exist, or does not exist for the caller's jurisdiction."""

    code = "NOT_FOUND"


class TaskNotFoundError(NotFoundError):
    def __init__(self, task_id: str) -> None:
        super().__init__(f"no task {task_id!r} in this joint action", field="taskId")
