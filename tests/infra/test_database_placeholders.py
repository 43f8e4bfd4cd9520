"""`?` is a parameter only where it is one: a literal '?' in SQL text, a comment or a value
stays as it is on both stores."""

from __future__ import annotations

import pytest

from casebridge.infra.database import Database


@pytest.fixture
def db(settings):
    database = Database(settings.database)
    yield database
    database.close()


def test_a_literal_question_mark_in_the_sql_is_not_taken_for_a_parameter(db):
    assert tuple(db.query_one("SELECT '?', ?", ("x",))) == ("?", "x")
    assert tuple(db.query_one("SELECT 'it''s ?', ? -- or is it?", ("y",))) == ("it's ?", "y")


def test_a_question_mark_in_a_value_and_in_a_like_pattern_works(db):
    assert tuple(db.query_one("SELECT ?", ("what?",))) == ("what?",)
    row = db.query_one("SELECT CASE WHEN ? LIKE '%?%' THEN 1 ELSE 0 END, CASE WHEN ? LIKE '%?%' THEN 1 ELSE 0 END",
                       ("a?b", "ab"))
    assert tuple(row) == (1, 0)


def test_a_quoted_identifier_holding_a_question_mark_is_kept(db):
    db.execute('CREATE TABLE IF NOT EXISTS "odd?name" (v TEXT)')
    db.execute('INSERT INTO "odd?name" (v) VALUES (?)', ("kept",))
    assert tuple(db.query_one('SELECT v FROM "odd?name" WHERE v = ?', ("kept",))) == ("kept",)
