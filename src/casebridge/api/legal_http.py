"""`GET /cases/{case_id}/export`: the court export over HTTP (the CLI's `casebridge export`).

Needs a bearer token with `history:read` for a jurisdiction that may see the case; it
contains the case's stream and the evidence requests and joint actions concerning it that
the jurisdiction may see. Anything it may not see answers 404, like a case that does not exist.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from casebridge.api.auth import authenticate_request
from casebridge.infra.audit.checkpoints import Checkpointer
from casebridge.infra.audit.export import build_export
from casebridge.infra.audit.keys import AuditKeyStore
from casebridge.infra.auth import Principal
from casebridge.infra.event_log import SqlEventLog
from casebridge.projections.waiter import min_live_position

router = APIRouter()


@router.get("/cases/{case_id}/export", include_in_schema=False)
async def export_case(case_id: str, request: Request, principal: Principal = Depends(authenticate_request)) -> Response:
    if "history:read" not in principal.scopes:
        raise HTTPException(403, "This export needs the history:read scope.",
                            headers={"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="history:read"'})
    try:
        case = UUID(case_id)
    except ValueError:
        raise HTTPException(404, "No such case.") from None
    data = await run_in_threadpool(_build, request, principal.jurisdiction, case)
    if data is None:
        raise HTTPException(404, "No such case.")
    return Response(data, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="casebridge-case-{case.hex}.json"',
        "Cache-Control": "no-store",
    })


def _build(request: Request, jurisdiction: str, case: UUID) -> bytes | None:
    state = request.app.state
    read_models, db = state.read_models, state.db
    log = SqlEventLog(db)
    # What this jurisdiction may see is the read models' answer, so the export is complete up
    # to the position every read model had reached before they were asked (never past the log).
    upto = min(min_live_position(db), log.head())
    key = str(case)
    row = read_models.cases.get(jurisdiction, key)
    if row is None:
        return None
    streams = [(case, "Case")]
    streams += [(UUID(r.id), "EvidenceRequest") for r in read_models.evidence_requests.for_cases(jurisdiction, [key])[key]]
    streams += [(UUID(a.id), "JointAction") for a in read_models.joint_actions.for_cases(jurisdiction, [key])[key]]
    return build_export(log, Checkpointer(db), AuditKeyStore(db),
                        case_id=case, reference=row.reference, streams=streams, complete_up_to=upto)
