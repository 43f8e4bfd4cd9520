"""The time source of the auth code: injectable, so tests control expiry without sleeping."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]  # seconds since the epoch


def system_clock() -> float:
    return time.time()


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def stored_time(value: object) -> datetime | None:
    """A timestamp read back from either store: PostgreSQL gives datetimes, SQLite ISO text."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def storable_time(seconds: float) -> str:
    """ISO 8601 with offset: SQLite keeps it as text, PostgreSQL casts it to timestamptz."""
    return utc(seconds).isoformat(timespec="microseconds")
