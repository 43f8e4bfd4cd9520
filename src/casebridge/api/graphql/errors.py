"""What a client sees of an error: expected ones as they are (with `extensions.code`),
anything unexpected as `INTERNAL` with the request id, its details in the server log only."""

from __future__ import annotations

import logging
import re

from graphql import GraphQLError, GraphQLSyntaxError

from casebridge.api.graphql.context import ApiError
from casebridge.infra.database import StorageUnavailableError

log = logging.getLogger("casebridge.api.graphql")

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
INTERNAL_MESSAGE = "Internal error. Quote the requestId when reporting it."
UNAVAILABLE_MESSAGE = "The storage is unavailable right now; try again shortly."


def is_expected(error: GraphQLError) -> bool:
    original = error.original_error
    if isinstance(original, StorageUnavailableError):
        return False  # logged in full; shown as UNAVAILABLE
    if original is None or isinstance(original, (ApiError, GraphQLError)):
        return True
    # No path: the request itself was wrong (a variable that does not coerce, ...).
    return not error.path


def shape(error: GraphQLError, request_id: str, *, development: bool) -> GraphQLError:
    """The error as the client may see it."""
    if isinstance(error.original_error, StorageUnavailableError):  # its text may name hosts: never shown
        return GraphQLError(UNAVAILABLE_MESSAGE, error.nodes, error.source, error.positions, error.path,
                            extensions={"code": "UNAVAILABLE", "requestId": request_id})
    if not is_expected(error):
        return GraphQLError(INTERNAL_MESSAGE, error.nodes, error.source, error.positions, error.path,
                            extensions={"code": "INTERNAL", "requestId": request_id})
    extensions = dict(error.extensions or {})
    if "code" not in extensions:
        original = error.original_error
        if isinstance(original, ApiError):
            extensions.update(original.extensions)
        elif isinstance(error, GraphQLSyntaxError):
            extensions["code"] = "GRAPHQL_PARSE_FAILED"
        else:  # validation errors carry their code already: this is input (variables) not fitting
            extensions["code"] = "BAD_USER_INPUT"
    message = error.message if development else _SUGGESTION.sub("", error.message)
    if message == error.message and extensions == error.extensions:
        return error
    return GraphQLError(message, error.nodes, error.source, error.positions, error.path, extensions=extensions)


def log_errors(errors: list[GraphQLError], request_id: str) -> None:
    for error in errors:
        if is_expected(error):
            log.debug("request %s: %s", request_id, error.message)
        else:
            log.error("request %s failed at %s: %s", request_id, error.path, error.message, exc_info=error.original_error)
