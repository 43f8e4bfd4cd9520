"""`DateTime`: ISO 8601 with a time-zone offset, both ways."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry


def _serialize(value: datetime) -> str:
    if value.tzinfo is None:  # the read models store UTC; never emit a time without its zone
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _parse(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("a DateTime is an ISO 8601 string")
    # Python reads "Z" and offsets; a value without a zone is refused by the commands
    # that take it, with the field named.
    return datetime.fromisoformat(value)


DateTime = strawberry.scalar(
    name="DateTime",
    description="A date and time, ISO 8601 with a time-zone offset, e.g. 2025-03-01T09:30:00+08:00.",
    serialize=_serialize,
    parse_value=_parse,
)
