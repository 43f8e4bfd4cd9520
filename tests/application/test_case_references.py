"""Case references: generated per jurisdiction and year (`330100-2025-00001`), or given by hand;
unique in the deployment either way, enforced by the event store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from domain.helpers import CHINA, HANGZHOU, NINGBO, SHENZHEN, SUZHOU

from casebridge.application.references import ReferenceSequence
from casebridge.domain.errors import ReferenceTakenError, ValidationError


def reference(app, case_id) -> str:
    return app.get_case(case_id).reference


def test_generated_references_are_sequential_per_jurisdiction_and_year(app, open_case, clock):
    hangzhou = [reference(app, open_case(HANGZHOU)) for _ in range(3)]
    ningbo = reference(app, open_case(NINGBO))
    clock.now = datetime(2026, 1, 5, 9, 0, tzinfo=CHINA)
    next_year = reference(app, open_case(HANGZHOU))

    assert hangzhou == ["330100-2025-00001", "330100-2025-00002", "330100-2025-00003"]
    assert ningbo == "330200-2025-00001"
    assert next_year == "330100-2026-00001"


def test_the_year_of_a_reference_is_the_year_in_china(app, open_case, clock):
    clock.now = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)  # already 2026-01-01 01:00 in China
    assert reference(app, open_case(HANGZHOU)) == "330100-2026-00001"


def test_the_sequence_is_shared_by_every_instance_on_the_database(app, make_app, open_case):
    other = make_app()
    first = reference(app, open_case(HANGZHOU))
    second = reference(other, open_case(HANGZHOU, on=other))
    assert (first, second) == ("330100-2025-00001", "330100-2025-00002")


def test_a_given_reference_is_kept_trimmed(app, open_case):
    assert reference(app, open_case(HANGZHOU, reference="  杭市监处〔2025〕17号 ")) == "杭市监处〔2025〕17号"


def test_a_given_reference_is_unique_and_a_second_use_writes_nothing(app, open_case, nothing_written):
    open_case(HANGZHOU, reference="HZ-2025-017")

    with nothing_written(), pytest.raises(ReferenceTakenError) as info:
        open_case(NINGBO, reference=" HZ-2025-017")

    assert (info.value.code, info.value.field) == ("VALIDATION", "reference")


def test_a_given_reference_that_looks_generated_cannot_be_generated_again(app, open_case, nothing_written):
    generated = reference(app, open_case(HANGZHOU))
    with nothing_written(), pytest.raises(ReferenceTakenError):
        open_case(HANGZHOU, reference=generated)


def test_generation_skips_a_number_taken_by_hand(app, open_case):
    open_case(HANGZHOU, reference="330100-2025-00002")

    generated = [reference(app, open_case(HANGZHOU)) for _ in range(3)]

    assert generated == ["330100-2025-00001", "330100-2025-00003", "330100-2025-00004"]


def test_a_reference_in_another_jurisdictions_generated_shape_is_refused_taken_or_not(app, open_case, nothing_written):
    taken = reference(app, open_case(SUZHOU))

    answers = []
    for ref in (taken, "320500-2025-00999"):
        with nothing_written(), pytest.raises(ReferenceTakenError) as info:
            open_case(SHENZHEN, reference=ref)
        answers.append((info.value.code, info.value.field, info.value.message))

    assert answers[0] == answers[1] == ("VALIDATION", "reference", answers[0][2])
    assert taken not in answers[0][2] and SUZHOU not in answers[0][2]


def test_a_taken_reference_is_answered_only_after_every_other_field_is_valid(app, open_case, nothing_written):
    open_case(HANGZHOU, reference="HZ-2025-017")

    with nothing_written(), pytest.raises(ValidationError) as info:
        open_case(NINGBO, reference="HZ-2025-017", title="  ")

    assert info.value.field == "title"


def test_the_sequence_is_loaded_through_the_repository_across_snapshots(app, open_case):
    for _ in range(3):
        open_case(HANGZHOU)
    sequence = app.repository.get(ReferenceSequence.id_for(HANGZHOU, 2025))
    assert (sequence.number, sequence.version) == (3, 3)
