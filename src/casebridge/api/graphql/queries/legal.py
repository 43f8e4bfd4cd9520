"""The legal operations: `caseHistory`, `caseAsOf`, `verifyCase` and `caseAccess`.

Each needs `history:read` and a case the caller's jurisdiction may see (otherwise null,
as for `case`). Answers are rebuilt from the stored events; the read models only say
whether the caller may see the case and which related streams it may see.
"""

from __future__ import annotations

import base64
from datetime import datetime
from uuid import UUID

import strawberry
from strawberry import Info

from casebridge.api.graphql.context import BadUserInputError
from casebridge.api.graphql.types.enums import CaseCategory, CaseOutcome, CaseRole, CaseStatus, SubjectKind
from casebridge.api.graphql.types.history import (
    CaseAccessGrant,
    CaseHistoryConnection,
    CaseState,
    CaseVerification,
    CheckpointInfo,
    EventActor,
    HistoryEdge,
    HistoryEvent,
    HistoryPageInfo,
    PastEvidence,
    PastPendingTransfer,
    PastSubject,
)
from casebridge.application.history import MAX_PAGE, HistoryEntry, LegalReplay
from casebridge.domain.access import sources_held
from casebridge.domain.case import Case
from casebridge.domain.errors import ValidationError
from casebridge.infra.audit.checkpoints import Checkpointer
from casebridge.infra.audit.verification import verify_stream_against_checkpoint
from casebridge.infra.event_log import SqlEventLog
from casebridge.projections.related import related_streams

HISTORY = "history:read"


def case_history(info: Info, case_id: strawberry.ID, first: int = 50, after: str | None = None) -> CaseHistoryConnection | None:
    context, case = _visible_case(info, case_id)
    if case is None:
        return None
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInputError(f"first must be between 1 and {MAX_PAGE}")
    read_models, j, key = context.services.read_models, context.jurisdiction, str(case)
    related = [UUID(r.id) for r in read_models.evidence_requests.for_cases(j, [key])[key]]
    related += [UUID(a.id) for a in read_models.joint_actions.for_cases(j, [key])[key]]
    entries, more = _replay(context).history(case, related, first=first, after=_position(after))
    edges = [HistoryEdge(cursor=_cursor(e.position), node=_event(e)) for e in entries]
    return CaseHistoryConnection(edges=edges, page_info=HistoryPageInfo(
        has_next_page=more, end_cursor=edges[-1].cursor if edges else after))


def case_as_of(info: Info, case_id: strawberry.ID, version: int | None = None, at: datetime | None = None) -> CaseState | None:
    context, case_uuid = _visible_case(info, case_id)
    if case_uuid is None:
        return None
    replay = _replay(context)
    try:
        case = replay.case_as_of(case_uuid, version=version, at=at)
    except ValidationError as exc:
        raise BadUserInputError(f"{exc.field}: {exc.message}") from None
    if case is None:
        return None
    return _state(case, replay.timestamp_of(case_uuid, case.version))


def verify_case(info: Info, case_id: strawberry.ID) -> CaseVerification | None:
    context, case = _visible_case(info, case_id)
    if case is None:
        return None
    db = context.services.read_models.db
    report = verify_stream_against_checkpoint(context.services.application.recorder, Checkpointer(db), case)
    checkpoint = report.checkpoint
    return CaseVerification(
        valid=report.valid, event_count=report.event_count, head_digest=report.head_digest,
        first_invalid_version=report.first_invalid_version, problem=report.problem,
        checkpoint=CheckpointInfo(version=checkpoint.version, checkpointed_at=datetime.fromisoformat(checkpoint.checkpointed_at))
        if checkpoint else None,
    )


def case_access(info: Info, case_id: strawberry.ID, at: datetime) -> list[CaseAccessGrant] | None:
    context, case = _visible_case(info, case_id)
    if case is None:
        return None
    if at.tzinfo is None:
        raise BadUserInputError("at: needs a time zone")
    read_models, j, key = context.services.read_models, context.jurisdiction, str(case)
    held = sources_held(read_models.cases.visibility.grants([key])[key], j)  # how the caller sees the case now
    related = [stream for stream, _ in related_streams(read_models.db, case)]
    return [
        CaseAccessGrant(code=g.jurisdiction, reason=CaseRole(g.reason.value),
                        source=None if g.from_case else strawberry.ID(g.source))
        for g in _replay(context).access_on(case, related, at, held=held)
    ]


def _visible_case(info: Info, case_id: strawberry.ID) -> tuple[object, UUID | None]:
    context = info.context
    context.require(HISTORY)
    try:
        case = UUID(str(case_id))
    except ValueError:
        return context, None
    if context.services.read_models.cases.get(context.jurisdiction, str(case)) is None:
        return context, None
    return context, case


def _replay(context) -> LegalReplay:
    return LegalReplay(context.services.application, SqlEventLog(context.services.read_models.db))


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"h:{position}".encode()).decode()


def _position(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "h":
            raise ValueError(kind)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise BadUserInputError("after is not a cursor this server issued") from None


def _event(e: HistoryEntry) -> HistoryEvent:
    actor = EventActor(client_id=e.actor.client_id, jurisdiction=e.actor.jurisdiction, user=e.actor.user) if e.actor else None
    return HistoryEvent(position=e.position, stream_id=strawberry.ID(str(e.stream_id)), stream_type=e.stream_type,
                        version=e.version, type=e.type, occurred_at=e.occurred_at, actor=actor, data=e.data, digest=e.digest)


def _state(case: Case, as_of: datetime) -> CaseState:
    transfer = case.pending_transfer
    return CaseState(
        id=strawberry.ID(str(case.id)), version=case.version, as_of=as_of, reference=case.reference, title=case.title,
        summary=case.summary, status=CaseStatus[case.status.name],
        outcome=CaseOutcome[case.outcome.name] if case.outcome else None, category=CaseCategory[case.category.name],
        legal_basis=case.legal_basis,
        subject=PastSubject(name=case.subject.name, kind=SubjectKind[case.subject.kind.name],
                            identifier=case.subject.identifier, product_codes=list(case.subject.product_codes)),
        handling_code=case.handling_jurisdiction, former_codes=list(case.former_handlers),
        pending_transfer=PastPendingTransfer(to_code=transfer.to, reason=transfer.reason) if transfer else None,
        evidence=[PastEvidence(id=strawberry.ID(eid), title=item.title, sha256=item.sha256, description=item.description)
                  for eid, item in case.evidence.items()],
    )
