"""`lead(id)` and `leads(first, after, filter)`: the holding jurisdiction's leads only."""

from __future__ import annotations

import strawberry
from strawberry import Info

from casebridge.api.graphql.context import BadUserInputError
from casebridge.api.graphql.hardening import MAX_PAGE_SIZE
from casebridge.api.graphql.types.lead import Lead, LeadConnection, LeadEdge, LeadFilter, LeadPageInfo
from casebridge.projections.leads import LeadFilter as RowFilter
from casebridge.projections.views import InvalidCursorError

READ = "cases:read"


def lead(info: Info, id: strawberry.ID) -> Lead | None:
    context = info.context
    context.require(READ)
    return context.services.read_models.leads.get(context.jurisdiction, str(id))


def leads(info: Info, first: int = 20, after: str | None = None, filter: LeadFilter | None = None) -> LeadConnection:
    context = info.context
    context.require(READ)
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise BadUserInputError(f"first must be between 1 and {MAX_PAGE_SIZE}")
    f = filter or LeadFilter()
    row_filter = RowFilter(status=f.status.value if f.status else None, source=f.source.value if f.source else None,
                           subject_identifier=f.subject_identifier)
    try:
        page = context.services.read_models.leads.page(context.jurisdiction, first=first, after=after, filter=row_filter)
    except InvalidCursorError:
        raise BadUserInputError("after is not a cursor this server issued") from None
    return LeadConnection(
        edges=[LeadEdge(cursor=c, node=row) for row, c in zip(page.items, page.cursors, strict=True)],  # type: ignore[arg-type]
        page_info=LeadPageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
    )
