"""The GraphQL schema, built once per process, and the two extensions every operation runs
through: the prepared-document cache (parse + validate + limits, keyed by query text) and
the error shaping (codes, masking, no suggestions in production).

`strawberry export-schema casebridge.api.graphql.schema:schema --output schema.graphql` (or, without
strawberry's CLI extra, `python -m casebridge.api.graphql.export > schema.graphql`: the same text).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig

from casebridge.api.graphql.errors import log_errors, shape
from casebridge.api.graphql.execution import executor_class, register_fast_fields
from casebridge.api.graphql.mutations import Mutation
from casebridge.api.graphql.queries import Query
from casebridge.api.graphql.subscriptions import Subscription
from casebridge.api.graphql.types.problems import PROBLEM_TYPES
from casebridge.api.graphql.types.scalars import DateTime


class PreparedDocuments(SchemaExtension):
    """Parse and validate from the context's `DocumentPolicy` cache instead of per request."""

    def on_parse(self) -> Iterator[None]:
        ec = self.execution_context
        context = ec.context
        prepared = context.documents.prepare(ec.query)
        if prepared.document is None:
            raise prepared.errors[0]
        ec.graphql_document = prepared.document
        self._errors = list(prepared.errors)
        yield

    def on_validate(self) -> Iterator[None]:
        self.execution_context.pre_execution_errors = self._errors
        yield


class ShapedErrors(SchemaExtension):
    """Expected errors keep their message and gain a code; unexpected ones are masked."""

    def on_operation(self) -> Iterator[None]:
        yield
        ec = self.execution_context
        result = ec.result
        errors = getattr(result, "errors", None)
        if errors:
            context = ec.context
            result.errors = [shape(e, context.request_id, development=context.documents.development) for e in errors]

    def on_stream_result(self, result: Any) -> Iterator[None]:  # subscriptions: each pushed result
        if getattr(result, "errors", None):
            context = self.execution_context.context
            result.errors = [shape(e, context.request_id, development=context.documents.development) for e in result.errors]
        yield


class CaseBridgeSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        context = getattr(execution_context, "context", None)
        log_errors(errors, getattr(context, "request_id", "-"))


executor = executor_class()
schema = CaseBridgeSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=PROBLEM_TYPES,
    extensions=[ShapedErrors, PreparedDocuments],
    config=StrawberryConfig(auto_camel_case=True),
    scalar_overrides={datetime: DateTime},
    execution_context_class=executor,
)
register_fast_fields(schema._schema)

