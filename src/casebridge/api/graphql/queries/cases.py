"""`case(id)` and `cases(first, after, filter)`: only what the caller's jurisdiction may see."""

from __future__ import annotations

import strawberry
from strawberry import Info

from casebridge.api.graphql.context import BadUserInputError, InvalidArgumentError
from casebridge.api.graphql.hardening import MAX_PAGE_SIZE
from casebridge.api.graphql.queries.jurisdictions import InvalidQueryArgumentError
from casebridge.api.graphql.types.case import Case, CaseConnection, CaseEdge, CaseFilter, PageInfo
from casebridge.domain.errors import ValidationError
from casebridge.domain.values import identifier_text, text
from casebridge.domain.credit_code import CreditCode, InvalidCreditCodeError
from casebridge.projections.views import CaseFilter as RowFilter
from casebridge.projections.views import InvalidCursorError

READ = "cases:read"
MAX_FILTER_TEXT = 200  # characters; far below SQLite's LIKE pattern limit (50,000 bytes)


def case(info: Info, id: strawberry.ID) -> Case | None:
    context = info.context
    context.require(READ)
    row = context.services.read_models.cases.get(context.jurisdiction, str(id))
    if row is not None:
        context.loaders.cases_seen([row])
    return row


def cases(
    info: Info,
    first: int = 20,
    after: str | None = None,
    filter: CaseFilter | None = None,
) -> CaseConnection:
    context = info.context
    context.require(READ)
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise BadUserInputError(f"first must be between 1 and {MAX_PAGE_SIZE}")
    try:
        page = context.services.read_models.cases.page(
            context.jurisdiction, first=first, after=after, filter=_row_filter(filter))
    except InvalidCursorError:
        raise BadUserInputError("after is not a cursor this server issued") from None
    context.loaders.cases_seen(page.items)
    return CaseConnection(
        edges=[CaseEdge(cursor=cursor, node=row) for row, cursor in zip(page.items, page.cursors, strict=True)],  # type: ignore[arg-type]
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
    )


def _row_filter(given: CaseFilter | None) -> RowFilter:
    if given is None:
        return RowFilter()
    try:  # the domain's one check for text: what no column can hold never reaches SQL
        search = text(given.text, "filter.text", limit=MAX_FILTER_TEXT) if given.text and given.text.strip() else None
        handling = (identifier_text(given.handling_jurisdiction, "filter.handlingJurisdiction", limit=12)
                    if given.handling_jurisdiction is not None else None)
    except ValidationError as exc:
        raise InvalidArgumentError(exc.message, exc.field or "filter") from None
    return RowFilter(
        status=_value(given.status),
        category=_value(given.category),
        handling_jurisdiction=handling,
        subject_kind=_value(given.subject_kind),
        text=search,
        role=_value(given.role),
        credit_code=_credit_code(given.credit_code),
        store=given.store.strip() if given.store and given.store.strip() else None,
    )


def _credit_code(given: str | None) -> str | None:
    if given is None or not given.strip():
        return None
    try:
        return CreditCode.parse(given, field="filter.creditCode").value
    except InvalidCreditCodeError as error:
        raise InvalidQueryArgumentError("filter.creditCode", error.message) from None


def _value(member) -> str | None:
    return None if member is None else member.value
