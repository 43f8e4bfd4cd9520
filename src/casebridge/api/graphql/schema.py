"""The GraphQL schema, built once per process, and the executor that runs it.

The schema carries no strawberry extensions: every transport runs documents through one
pipeline (`execution.GraphQLPipeline`: limits and the prepared-document cache, execution,
error shaping), so nothing can apply to one transport and silently skip another.

`strawberry export-schema casebridge.api.graphql.schema:schema --output schema.graphql` (or, without
strawberry's CLI extra, `python -m casebridge.api.graphql.export > schema.graphql`: the same text).
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.schema.config import StrawberryConfig

from casebridge.api.graphql.execution import executor_class, register_fast_fields
from casebridge.api.graphql.mutations import Mutation
from casebridge.api.graphql.queries import Query
from casebridge.api.graphql.subscriptions import Subscription
from casebridge.api.graphql.types.problems import PROBLEM_TYPES
from casebridge.api.graphql.types.scalars import DateTime

executor = executor_class()
schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=PROBLEM_TYPES,
    config=StrawberryConfig(auto_camel_case=True),
    scalar_overrides={datetime: DateTime},
    execution_context_class=executor,
)
register_fast_fields(schema._schema)

