"""Where reporters' personal data is sealed (issue 11 §7): one key per lead, kept outside the
event log so that destroying it erases the reporter while the log stays intact. The
composition root supplies the implementation (infra/reporter_keys.py)."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from casebridge.domain.errors import ValidationError
from casebridge.domain.lead import Reporter


class ReporterVault(Protocol):
    def seal(self, lead_id: UUID, reporter: Reporter) -> str: ...

    def open(self, lead_id: UUID | str, sealed: str) -> Reporter | None: ...

    def open_many(self, sealed_by_lead: dict[str, str]) -> dict[str, Reporter]: ...

    def destroy(self, lead_id: UUID) -> None: ...


class NoReporterVaultError(ValidationError):
    def __init__(self) -> None:
        super().__init__("this deployment keeps no reporter keys: a lead cannot name its reporter", field="reporter")
