"""One handler per command, grouped by the aggregate it changes."""

from __future__ import annotations

from typing import Any

from casebridge.application.command_loop import Handler
from casebridge.application.handlers import cases, evidence_requests, joint_actions, leads

HANDLERS: dict[type, Handler] = {**cases.HANDLERS, **evidence_requests.HANDLERS, **joint_actions.HANDLERS,
                             **leads.HANDLERS}


def handler_for(command: Any) -> Handler:
    try:
        return HANDLERS[type(command)]
    except KeyError:
        raise TypeError(f"no handler for {type(command).__name__}") from None
