"""A cheap first look at who may see a case, before the case is loaded.

Loading a case that exists but is hidden costs more than looking up an id that names
nothing; told apart, the two let a caller learn that a case exists. A `CaseSight` (the read
side's visibility rows, wired by the composition root) answers from one indexed lookup:
`False` when the caller certainly may not see the case (the case is then refused without
loading it, exactly as an unknown id is), `True` or `None` (not known yet: the read side is
behind the log) when the case must be loaded and the domain's rule decides.
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class CaseSight(Protocol):
    def may_see(self, jurisdiction: str, case_id: UUID) -> bool | None: ...
