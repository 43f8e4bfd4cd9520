"""Keyset pagination of cases: newest first by (updated_at, id), stable across pages, with filters."""

from __future__ import annotations

import pytest

from casebridge.domain.values import CaseCategory
from casebridge.projections.views import CaseFilter, InvalidCursorError

from .conftest import HANGZHOU, SHANGHAI, ZHEJIANG, actor, open_case


def all_pages(rm, jurisdiction, first, flt=None):
    ids, after, pages = [], None, 0
    while True:
        page = rm.cases.page(jurisdiction, first=first, after=after, filter=flt or CaseFilter())
        ids += [c.id for c in page.items]
        assert page.cursors == [] or page.end_cursor == page.cursors[-1]
        pages += 1
        if not page.has_next_page:
            return ids, pages
        after = page.end_cursor


def expected(rm, jurisdiction, predicate):
    rows = [r for r in rm.cases.get_many(jurisdiction, everything(rm)).values() if predicate(r)]
    by_id = sorted(rows, key=lambda r: r.id)
    return [r.id for r in sorted(by_id, key=lambda r: r.updated_at, reverse=True)]  # stable: ties stay by id


def everything(rm):
    return [r[0] for r in rm.db.query("SELECT id FROM rm_cases")]


@pytest.fixture
def many_cases(app, catch_up):
    categories = [CaseCategory.COUNTERFEIT, CaseCategory.PRICING, CaseCategory.FOOD_SAFETY]
    for i in range(23):
        open_case(app, actor(HANGZHOU if i % 3 else SHANGHAI), f"Case {i} {'milk' if i % 4 == 0 else 'shoes'}",
                  category=categories[i % 3])
    catch_up()


def test_pages_walk_every_visible_case_once_newest_first(rm, many_cases):
    ids, pages = all_pages(rm, ZHEJIANG, 4)
    assert ids == expected(rm, ZHEJIANG, lambda r: True)
    assert len(ids) == 15 and len(set(ids)) == 15 and pages == 4  # Hangzhou's cases, seen by its supervisor


def test_filters_apply_on_every_page(rm, many_cases):
    flt = CaseFilter(category="PRICING", status="OPEN", handling_jurisdiction=HANGZHOU)
    ids, _ = all_pages(rm, HANGZHOU, 2, flt)
    assert ids == expected(rm, HANGZHOU, lambda r: r.category == "PRICING" and r.handling_jurisdiction == HANGZHOU)
    assert ids


def test_text_search_is_a_case_insensitive_substring_of_title_reference_or_subject(rm, many_cases):
    ids, _ = all_pages(rm, SHANGHAI, 3, CaseFilter(text="MILK"))
    assert ids == expected(rm, SHANGHAI, lambda r: "milk" in r.title)
    assert all_pages(rm, SHANGHAI, 3, CaseFilter(text="100%_"))[0] == []


def test_a_case_updated_between_pages_moves_to_the_front_without_repeating(app, rm, catch_up, many_cases):
    first = rm.cases.page(ZHEJIANG, first=5)
    last_on_first_page = first.items[-1].id
    from uuid import UUID

    app.revise_case(actor(HANGZHOU), UUID(last_on_first_page), title="revised")
    catch_up()
    rest, _ = all_pages_after(rm, ZHEJIANG, 5, first.end_cursor)
    assert last_on_first_page not in rest
    assert len(set(rest)) == len(rest) == 10


def all_pages_after(rm, jurisdiction, first, after):
    ids, pages = [], 0
    while True:
        page = rm.cases.page(jurisdiction, first=first, after=after)
        ids += [c.id for c in page.items]
        pages += 1
        if not page.has_next_page:
            return ids, pages
        after = page.end_cursor


def test_a_cursor_not_issued_by_the_api_is_refused(rm, many_cases):
    with pytest.raises(InvalidCursorError):
        rm.cases.page(SHANGHAI, first=5, after="not-a-cursor")
