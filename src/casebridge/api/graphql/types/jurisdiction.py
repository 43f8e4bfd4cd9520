"""Jurisdictions (administrative divisions, GB/T 2260 codes) and the caller itself."""

from __future__ import annotations

import strawberry
from strawberry import Info, Parent

from casebridge.domain.jurisdictions import Jurisdiction as JurisdictionEntry


def _parent(root: Parent[JurisdictionEntry], info: Info) -> Jurisdiction | None:
    return None if root.parent is None else info.context.services.jurisdiction(root.parent)


@strawberry.type(description="A market regulation authority's area: an administrative division.")
class Jurisdiction:
    code: str = strawberry.field(description="The administrative-division code, e.g. 310000 (Shanghai).")
    name: str
    name_en: str = strawberry.field(description="The English name.")
    parent: Jurisdiction | None = strawberry.field(resolver=_parent, description="The supervising jurisdiction.")


@strawberry.type(description="Who is calling: the OAuth client, its jurisdiction and the token's scopes.")
class Viewer:
    client_id: str
    jurisdiction: Jurisdiction
    scopes: list[str]


def jurisdiction_of(info: Info, code: str) -> JurisdictionEntry:
    return info.context.services.jurisdiction(code)
