"""`jurisdictions(level, parent, search, first)`: the registry of bureaus. Any valid token may ask.

A capped list, not a connection: the registry is reference data of a few thousand entries in
code order, small enough that one call with no filter returns all of it (the console's lookup),
and filters narrow it (a province's prefectures, a search box).
"""

from __future__ import annotations

import re

from strawberry import Info

from casebridge.api.graphql.context import ApiError
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, JurisdictionLevel
from casebridge.domain import jurisdictions as registry_module
from casebridge.domain.errors import UnknownJurisdictionError

MAX_RESULTS = 5000
MAX_SEARCH = 50
_CODE = re.compile(r"[0-9]{6,12}")


class InvalidQueryArgumentError(ApiError):
    """A bad argument: `VALIDATION` with the argument named in `extensions.field`."""

    code = "VALIDATION"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.extensions["field"] = field


def jurisdictions(
    info: Info,
    level: JurisdictionLevel | None = None,
    parent: str | None = None,
    search: str | None = None,
    first: int = MAX_RESULTS,
) -> list[Jurisdiction]:
    if not 1 <= first <= MAX_RESULTS:
        raise InvalidQueryArgumentError("first", f"must be between 1 and {MAX_RESULTS}")
    if parent is not None and not _CODE.fullmatch(parent):
        raise InvalidQueryArgumentError("parent", "a jurisdiction code is 6 digits (a field office's 7 to 12)")
    if search is not None:
        search = search.strip()
        if len(search) > MAX_SEARCH:
            raise InvalidQueryArgumentError("search", f"must be at most {MAX_SEARCH} characters")
    registry = info.context.services.registry
    try:
        found = registry.find(
            level=registry_module.JurisdictionLevel(level.value) if level is not None else None,
            parent=parent, search=search or None, limit=first,
        )
    except UnknownJurisdictionError as exc:
        raise InvalidQueryArgumentError("parent", exc.message) from None
    return found  # type: ignore[return-value]
