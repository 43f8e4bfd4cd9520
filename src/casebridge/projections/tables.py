"""Read-model tables described once, rendered for SQLite and PostgreSQL.

Each read-model module declares its `Table`s; `schema.py` renders them for migrations and
`rebuild.py` renders them again under a shadow name (`<table>__next`) to build a fresh copy
beside the live one. Shadow tables get only their primary key while they fill; secondary
indexes are created when the shadow is swapped in, which is both faster and keeps index
names unique.
"""

from __future__ import annotations

from dataclasses import dataclass

# Abstract column types -> (PostgreSQL, SQLite). Timestamps are timestamptz on PostgreSQL
# and fixed-width ISO-8601 UTC text on SQLite (which sorts correctly as text).
_TYPES = {
    "TEXT": ("TEXT", "TEXT"),
    "INT": ("BIGINT", "INTEGER"),
    "TS": ("TIMESTAMPTZ", "TEXT"),
    "BOOL": ("BOOLEAN", "INTEGER"),
    "REAL": ("DOUBLE PRECISION", "REAL"),
}

SHADOW_SUFFIX = "__next"


@dataclass(frozen=True)
class Index:
    name: str
    columns: str  # e.g. "jurisdiction, case_id" or "updated_at DESC, id"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, abstract type + constraints, e.g. "TEXT NOT NULL")
    primary_key: tuple[str, ...]
    indexes: tuple[Index, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def pg_type(self, column: str) -> str:
        spec = dict(self.columns)[column]
        return _TYPES[spec.partition(" ")[0]][0].lower()

    def create_table(self, dialect: str, suffix: str = "") -> str:
        cols = []
        for name, spec in self.columns:
            kind, _, rest = spec.partition(" ")
            pg, sqlite = _TYPES[kind]
            cols.append(f"{name} {pg if dialect == 'postgresql' else sqlite}{(' ' + rest) if rest else ''}")
        table = self.name + suffix
        pk = f"CONSTRAINT {table}_pkey PRIMARY KEY ({', '.join(self.primary_key)})"
        return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)}, {pk})"

    def create_indexes(self) -> list[str]:
        return [f"CREATE INDEX IF NOT EXISTS {ix.name} ON {self.name} ({ix.columns})" for ix in self.indexes]

    def statements(self, dialect: str) -> list[str]:
        return [self.create_table(dialect), *self.create_indexes()]


def col(name: str, spec: str) -> tuple[str, str]:
    return (name, spec)
