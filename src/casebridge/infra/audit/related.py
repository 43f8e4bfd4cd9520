"""The streams that concern a case, found in the event log itself.

A court export must not depend on the read models having caught up: the evidence requests
and joint actions of a case are found from the events that created them
(`EvidenceRequest.Requested.case_id`, `JointAction.Proposed.case_ids`, the only events that
tie a stream to a case), read from the log up to a stated position.

Why a scan and not a write-side index: the library writes events in its own transaction, so
an index row "written atomically with the events" would mean replacing the recorder's insert;
a scan needs nothing new on the write path and cannot disagree with the log. It reads the log
a page at a time (memory: one page plus the streams found) and lets the database filter the
stored bytes for the case id's hex digits, which is how the transcoder stores a UUID; what it
finds is decoded and checked, so a case id quoted in some text never adds a stream. Cost: one
pass over the log per export (bench numbers in the README), fine for an operator's command.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.infra.event_log import SqlEventLog

PAGE = 1000


def streams_concerning(log: SqlEventLog, mapper: Any, case_id: UUID, upto: int) -> list[tuple[UUID, str]]:
    """(stream id, type) of the evidence requests, then the joint actions, concerning the case
    at log position `upto`, each group in the order the streams began."""
    # Compressed or encrypted states hide the hex digits from the database: then read everything.
    needle = "" if getattr(mapper, "compressor", None) or getattr(mapper, "cipher", None) else case_id.hex
    requests: dict[UUID, None] = {}
    actions: dict[UUID, None] = {}
    after = 0
    while True:
        page = log.mentioning(needle, after, upto, PAGE)
        for notification in page:
            event = mapper.to_domain_event(notification)
            if isinstance(event, EvidenceRequest.Requested) and event.case_id == case_id:
                requests[notification.originator_id] = None
            elif isinstance(event, JointAction.Proposed) and case_id in event.case_ids:
                actions[notification.originator_id] = None
        if len(page) < PAGE:
            break
        after = page[-1].id
    return [(r, "EvidenceRequest") for r in requests] + [(a, "JointAction") for a in actions]
