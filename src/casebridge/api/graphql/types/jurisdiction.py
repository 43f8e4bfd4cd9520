"""Jurisdictions (administrative divisions, GB/T 2260 codes) and the caller itself."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry import Info, Parent

from casebridge.domain import jurisdictions as registry
from casebridge.domain.jurisdictions import Jurisdiction as JurisdictionEntry

JurisdictionLevel = strawberry.enum(
    Enum("JurisdictionLevel", {m.name: m.value for m in registry.JurisdictionLevel}),  # type: ignore[misc]
    description="The tier of a market-regulation bureau: SAMR, provincial, prefectural, county-level, "
                "or a field office (派出机构) a deployment configured.",
)


def _parent(root: Parent[JurisdictionEntry], info: Info) -> Jurisdiction | None:
    return None if root.parent is None else info.context.services.jurisdiction(root.parent)


@strawberry.type(description="A market regulation authority's area: an administrative division.")
class Jurisdiction:
    code: str = strawberry.field(description="The administrative-division code, e.g. 310000 (Shanghai).")
    name: str = strawberry.field(description="The bureau's name, e.g. 杭州市西湖区市场监督管理局.")
    name_en: str = strawberry.field(description="The English name (the Chinese name where none is known).")
    level: JurisdictionLevel = strawberry.field(  # type: ignore[valid-type]
        resolver=lambda root: JurisdictionLevel[root.level.name], description="The bureau's tier.")
    parent: Jurisdiction | None = strawberry.field(resolver=_parent, description="The supervising jurisdiction.")


@strawberry.type(description="Who is calling: the OAuth client, its jurisdiction and the token's scopes.")
class Viewer:
    client_id: str
    jurisdiction: Jurisdiction
    scopes: list[str]


def jurisdiction_of(info: Info, code: str) -> JurisdictionEntry:
    return info.context.services.jurisdiction(code)
