"""Explicit transcodings for the values stored in events.

The default JSON transcoder would silently turn a str-Enum into a plain string and a
tuple into a list (restored by the value objects and aggregates); every enum, date and value object gets its own named transcoding
here, so an event reads back exactly as it was written.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from casebridge.domain import values
from casebridge.domain.case import DecisionClock, DesignationPetition, PendingTransfer
from casebridge.domain.joint_action import JointTask
from casebridge.domain.lead import DeclineToFileReason, LeadSource, LeadStatus
from casebridge.domain.values import Actor, EvidenceItem, OutcomeDetails, PlatformOperator, Subject


class EnumAsName(Transcoding):
    def __init__(self, enum_cls: type[Enum]) -> None:
        self.type = enum_cls
        self.name = f"enum:{enum_cls.__name__}"

    def encode(self, obj: Enum) -> str:
        return obj.name

    def decode(self, data: str) -> Enum:
        return self.type[data]


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ValueObject(Transcoding):
    """A frozen dataclass stored as a dict of its fields (nested values transcoded too)."""

    def __init__(self, cls: type, name: str) -> None:
        self.type = cls
        self.name = name
        self._fields = [f.name for f in dataclasses.fields(cls)]

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self._fields}

    def decode(self, data: dict[str, Any]) -> Any:
        # JSON has no tuples: value objects hold sequences as tuples, so restore them.
        return self.type(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in self._fields})


class ActorAsDict(ValueObject):
    """An actor as it was always stored; `issuer` only when there is one (an external
    provider's token), so events of CaseBridge's own clients keep their exact shape and
    events stored before issuers were recorded read back with `issuer=None`."""

    def __init__(self) -> None:
        super().__init__(Actor, "actor")

    def encode(self, obj: Any) -> dict[str, Any]:
        data = super().encode(obj)
        if data.get("issuer") is None:
            data.pop("issuer", None)
        return data


class SubjectAsDict(ValueObject):
    """A subject as it was always stored: the fields issue 11 added (credit code, domicile, place
    of business, platform operator, store) only when set, so a subject without them keeps its
    exact stored shape, and subjects stored before them read back with them empty."""

    _ADDED = ("credit_code", "domicile", "place_of_business", "platform_operator", "store")

    def __init__(self) -> None:
        super().__init__(Subject, "subject")

    def encode(self, obj: Any) -> dict[str, Any]:
        data = super().encode(obj)
        for name in self._ADDED:
            if data.get(name) is None:
                data.pop(name, None)
        return data


ENUMS: tuple[type[Enum], ...] = tuple(
    obj for obj in vars(values).values() if isinstance(obj, type) and issubclass(obj, Enum) and obj is not Enum
)


def register_casebridge_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for enum_cls in ENUMS:
        transcoder.register(EnumAsName(enum_cls))
    transcoder.register(ActorAsDict())
    transcoder.register(SubjectAsDict())
    transcoder.register(ValueObject(PlatformOperator, "platform_operator"))
    transcoder.register(ValueObject(EvidenceItem, "evidence_item"))
    for enum_cls in (LeadSource, LeadStatus, DeclineToFileReason):  # leads (线索)
        transcoder.register(EnumAsName(enum_cls))
    # Not in any event, but in the aggregate state that snapshots store.
    transcoder.register(ValueObject(OutcomeDetails, "outcome_details"))
    transcoder.register(ValueObject(PendingTransfer, "pending_transfer"))
    transcoder.register(ValueObject(DesignationPetition, "designation_petition"))
    transcoder.register(ValueObject(DecisionClock, "decision_clock"))
    transcoder.register(ValueObject(JointTask, "joint_task"))
