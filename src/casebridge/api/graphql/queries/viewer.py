"""`me`: the caller. Any valid token may ask."""

from __future__ import annotations

from strawberry import Info

from casebridge.api.graphql.types.jurisdiction import Viewer
from casebridge.infra.auth.scopes import format_scope


def me(info: Info) -> Viewer:
    context = info.context
    principal = context.principal
    return Viewer(
        client_id=principal.client_id,
        jurisdiction=context.services.jurisdiction(principal.jurisdiction),  # type: ignore[arg-type]
        scopes=format_scope(principal.scopes).split(),
    )
