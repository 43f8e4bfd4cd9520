"""The application's first look at who may see a case (`application/sight.py`), answered by
the visibility read model: one indexed lookup and the read model's position, compared with
the head of the log. A hidden case and an id that names nothing take the same path."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from casebridge.infra.database import Database

_LOOKUP = ("SELECT (SELECT COUNT(*) FROM rm_case_visibility WHERE case_id = ? AND jurisdiction = ?), "
           "(SELECT position FROM projection_positions WHERE name = 'visibility')")


class ReadModelSight:
    def __init__(self, db: Database, log_head: Callable[[], int]) -> None:
        self._db = db
        self._log_head = log_head

    def may_see(self, jurisdiction: str, case_id: UUID) -> bool | None:
        row = self._db.query_one(_LOOKUP, (str(case_id), jurisdiction))
        if row is None:
            return None
        if row[0]:
            return True
        # Not (yet) visible: certain only if the read model has applied the whole log.
        caught_up = row[1] is not None and int(row[1]) >= self._log_head()
        return False if caught_up else None
