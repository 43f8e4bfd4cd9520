"""`CASEBRIDGE_DATABASE_URL`, parsed: which store, and how to reach it.

Unset or `sqlite:///PATH` for the embedded SQLite file, `postgresql://USER:PASS@HOST:PORT/DB`
for PostgreSQL (docs/contract.md, "Running it"). Kept apart from `settings` so the storage
code needs nothing else of the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_SQLITE_PATH = "./var/casebridge.db"


class SettingsError(ValueError):
    """A setting has a value CaseBridge cannot use."""


@dataclass(frozen=True)
class DatabaseUrl:
    """A parsed `CASEBRIDGE_DATABASE_URL`."""

    dialect: str  # "sqlite" or "postgresql"
    path: str = ""  # sqlite file
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = ""  # optional PostgreSQL schema (`?schema=NAME`), used to isolate tests
    raw: str = field(default="", repr=False)

    @classmethod
    def parse(cls, url: str | None) -> DatabaseUrl:
        if not url:
            return cls(dialect="sqlite", path=DEFAULT_SQLITE_PATH, raw=f"sqlite:///{DEFAULT_SQLITE_PATH}")
        if url.startswith("sqlite:///"):
            path = url[len("sqlite:///") :]
            if not path:
                raise SettingsError("CASEBRIDGE_DATABASE_URL: sqlite URL needs a file path, e.g. sqlite:///./var/casebridge.db")
            return cls(dialect="sqlite", path=path, raw=url)
        parts = urlsplit(url)
        if parts.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
            dbname = parts.path.lstrip("/")
            if not dbname:
                raise SettingsError("CASEBRIDGE_DATABASE_URL: postgresql URL needs a database name")
            query = parse_qs(parts.query)
            schema = (query.get("schema") or [""])[0]
            if schema and not schema.replace("_", "").isalnum():
                raise SettingsError("CASEBRIDGE_DATABASE_URL: schema must be letters, digits and underscores")
            return cls(
                dialect="postgresql",
                host=parts.hostname or "127.0.0.1",
                port=parts.port or 5432,
                user=unquote(parts.username or ""),
                password=unquote(parts.password or ""),
                dbname=dbname,
                schema=schema,
                raw=url,
            )
        raise SettingsError(
            f"CASEBRIDGE_DATABASE_URL: unsupported scheme {parts.scheme!r}; use sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/DB"
        )

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def redacted(self) -> str:
        if self.is_sqlite:
            return f"sqlite:///{self.path}"
        suffix = f"?schema={self.schema}" if self.schema else ""
        return f"postgresql://{self.user or ''}@{self.host}:{self.port}/{self.dbname}{suffix}"

    def psycopg_conninfo(self) -> str:
        from psycopg.conninfo import make_conninfo

        kwargs = {"host": self.host, "port": self.port, "dbname": self.dbname}
        if self.user:
            kwargs["user"] = self.user
        if self.password:
            kwargs["password"] = self.password
        if self.schema:
            kwargs["options"] = f"-c search_path={self.schema}"
        return make_conninfo("", **kwargs)

    def eventsourcing_env(self) -> dict[str, str]:
        """The environment that configures the eventsourcing library's store."""
        if self.is_sqlite:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.path,
                "SQLITE_LOCK_TIMEOUT": "10",
                # Tables are created by `casebridge migrate`, never raced at start-up.
                "CREATE_TABLE": "n",
            }
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user or "postgres",
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_PRE_PING": "y",
            "POSTGRES_LOCK_TIMEOUT": "5",
            "CREATE_TABLE": "n",
            # Never POSTGRES_ENABLE_DB_FUNCTIONS: with it the library's subscription loses events.
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env
