"""Executing a document cheaply when it only reads rows.

graphql-core completes every field of a response the same general way: a path, a
resolve-info object, an argument dict, a completion chain through non-null, list and
object wrappers, a sub-selection lookup. For a page of 20 cases that machinery costs several
times the SQL. Most of our schema needs none of it: scalars are plain row attributes, and
the remaining fields are small resolvers of (root) or (root, info) that read a loader or the
jurisdiction registry.

`FastPathExecutor` completes such fields inline while executing a selection set: a leaf is
one `getattr` and one output coercion; an object or list of objects is completed the same
way, recursively, when everything under it qualifies. Whatever does not qualify (arguments,
abstract types, a null where a value is required, any exception) is handed to the ordinary
path, which re-runs it and behaves exactly as graphql-core always does (errors, their paths,
null propagation). The response keeps the selection's order.

Which fields qualify is decided once, when the schema is built (`register_fast_fields`), and
kept on the schema object itself (`FastFields`), keyed by type and field name.

`GraphQLPipeline` is the one way every transport (HTTP POST and GET, graphql-transport-ws)
prepares a document (limits, then parse and validate, cached only when valid), checks the
replay budget, executes and shapes errors.

Why a fast executor at all: `bench/bench_pipeline.py` measures a page of 20 cases through
this executor and through strawberry's own execution context on the same prepared document.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any
from uuid import UUID

from graphql import (
    ExecutionResult,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLError,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    Undefined,
    execute,
    is_leaf_type,
    subscribe,
)
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from casebridge.api.graphql.errors import log_errors, shape
from casebridge.api.graphql.hardening import (
    MAX_REPLAYED_EVENTS,
    DocumentPolicy,
    PreparedDocument,
    replay_refusal,
    replayed_case_ids,
)

HISTORY_SCOPE = "history:read"

log = logging.getLogger(__name__)

FAST_FIELDS = "casebridge.fast_fields"  # the key of the schema's `FastFields` in its `extensions`
_EXPECTED = {
    "execute_fields": ["self", "parent_type", "source_value", "path", "grouped_field_set", "position_context"],
    "collect_subfields": ["self", "return_type", "field_details_list"],
}


class _Fallback(Exception):
    """This field needs the ordinary path.

    Raised as a new instance every time: one shared instance, raised again and again, kept
    the traceback of each raise chained to the last, and with it every frame (executor,
    context, request, response) of every request that ever fell back: ~20 KB a request."""

    __slots__ = ()


class FastFields:
    """Which fields of one schema the fast path reads inline, by (type name, field name), and
    the output coercers of its leaf types, by type name. Lives on the schema it describes."""

    def __init__(self) -> None:
        self.leaves: dict[tuple[str, str], tuple[str, Any, bool]] = {}  # (attribute, leaf type, non-null)
        self.attributes: dict[tuple[str, str], str] = {}  # objects and lists read as a plain attribute
        self.resolvers: dict[tuple[str, str], tuple[Any, bool]] = {}  # (function of (root) or (root, info), wants info)
        self.coercers: dict[str, Any] = {}


class _ContextInfo:
    """What our small resolvers use of `info`: the context. Anything else sends the field
    down the ordinary path (the attribute lookup fails, the field falls back)."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


class FastPathExecutor(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._fields: FastFields | None = (self.schema.extensions or {}).get(FAST_FIELDS)
        self._fast = self._fields is not None and not (manager and getattr(manager, "middlewares", None))
        self._info = _ContextInfo(self.context_value)
        # Compiled getters outlive the request when the context offers the document's own
        # cache (documents without directives: what is selected does not depend on variables).
        shared = getattr(self.context_value, "compiled", None)
        self._compiled: dict[Any, Any] = shared if shared is not None else {}
        self._local: dict[tuple[int, int], Any] = {}  # (id(type), id(field group)) -> getter, this request
        self._groups: list[Any] = []  # the field groups keyed above, kept alive so their ids stay unique

    def execute_fields(self, parent_type, source_value, path, grouped_field_set, position_context):  # noqa: ANN001, ANN201
        if not self._fast:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        done: dict[str, Any] = {}
        others: dict[str, Any] = {}
        info = self._info
        for response_name, field_details_list in grouped_field_set.items():
            try:
                done[response_name] = self._getter(parent_type, field_details_list)(source_value, info)
            except Exception:  # _Fallback, or anything the ordinary path will report properly
                others[response_name] = field_details_list
        if not others:
            return done
        rest = super().execute_fields(parent_type, source_value, path, others, position_context)
        if self.is_awaitable(rest):
            async def merged() -> dict[str, Any]:
                return _in_order(grouped_field_set, done, await rest)

            return merged()
        return _in_order(grouped_field_set, done, rest)

    # -- compiling a field group into a getter of (parent value, info) ----------------------------

    def _getter(self, parent_type: GraphQLObjectType, field_details_list: Any) -> Any:
        local_key = (id(parent_type), id(field_details_list))
        getter = self._local.get(local_key)
        if getter is None:
            key = (parent_type.name, tuple(id(details.node) for details in field_details_list))
            getter = self._compiled.get(key)
            if getter is None:
                try:
                    getter = self._compile_field(parent_type, field_details_list)
                except _Fallback:
                    getter = _fall_back
                self._compiled[key] = getter
            self._local[local_key] = getter
            self._groups.append(field_details_list)
        return getter

    def _compile_field(self, parent_type: GraphQLObjectType, field_details_list: Any) -> Any:
        name = field_details_list[0].node.name.value
        if name == "__typename":
            type_name = parent_type.name
            return lambda source, info: type_name
        field = parent_type.fields.get(name)
        fields = self._fields
        assert fields is not None
        key = (parent_type.name, name)
        leaf = fields.leaves.get(key)
        if leaf is not None:
            attribute, leaf_type, non_null = leaf
            coerce = _coercer(fields, leaf_type)

            def read_leaf(source: Any, info: Any) -> Any:
                value = getattr(source, attribute)
                if value is None:
                    if non_null:
                        raise _Fallback
                    return None
                return coerce(value)

            return read_leaf
        attribute = fields.attributes.get(key)
        if attribute is not None:
            complete = self._compile_value(field.type, field_details_list)
            return lambda source, info: complete(getattr(source, attribute), info)
        resolver = fields.resolvers.get(key)
        if resolver is None:
            raise _Fallback
        function, wants_info = resolver
        complete = self._compile_value(field.type, field_details_list)
        if wants_info:
            return lambda source, info: complete(function(source, info), info)
        return lambda source, info: complete(function(source), info)

    def _compile_value(self, return_type: Any, field_details_list: Any) -> Any:
        """A function of (resolved value, info) completing it as `return_type`, raising _Fallback
        where the ordinary path must decide (a null for a non-null type, an unexpected shape)."""
        if isinstance(return_type, GraphQLNonNull):
            inner = self._compile_value(return_type.of_type, field_details_list)

            def non_null(value: Any, info: Any) -> Any:
                if value is None:
                    raise _Fallback
                return inner(value, info)

            return non_null
        if isinstance(return_type, GraphQLList):
            item = self._compile_value(return_type.of_type, field_details_list)

            def list_of(value: Any, info: Any) -> Any:
                if value is None:
                    return None
                if not isinstance(value, (list, tuple)):
                    raise _Fallback
                return [item(entry, info) for entry in value]

            return list_of
        if is_leaf_type(return_type):
            assert self._fields is not None
            coerce = _coercer(self._fields, return_type)
            return lambda value, info: None if value is None else coerce(value)
        if not isinstance(return_type, GraphQLObjectType) or return_type.is_type_of is not None:
            raise _Fallback  # abstract types and checked object types take the ordinary path
        grouped_field_set = self.collect_subfields(return_type, field_details_list)[0]
        getters = tuple((name, self._getter(return_type, details)) for name, details in grouped_field_set.items())

        def object_of(value: Any, info: Any) -> Any:
            if value is None:
                return None
            return {name: getter(value, info) for name, getter in getters}

        return object_of


def _fall_back(source: Any, info: Any) -> Any:
    raise _Fallback


def _coercer(fields: FastFields, leaf_type: Any) -> Any:
    """The output coercion of a scalar or enum, with shortcuts for values already in shape."""
    coercer = fields.coercers.get(leaf_type.name)
    if coercer is not None:
        return coercer
    general = leaf_type.coerce_output_value

    def coerce(value: Any) -> Any:
        coerced = general(value)
        if coerced is None or coerced is Undefined:
            raise _Fallback
        return coerced

    if leaf_type is GraphQLString or leaf_type is GraphQLID:
        def coercer(value: Any) -> Any:
            return value if type(value) is str else coerce(value)
    elif leaf_type is GraphQLBoolean:
        def coercer(value: Any) -> Any:
            return value if type(value) is bool else coerce(value)
    elif leaf_type is GraphQLInt:
        def coercer(value: Any) -> Any:
            return value if type(value) is int and -(2**31) <= value < 2**31 else coerce(value)
    elif isinstance(leaf_type, GraphQLEnumType):
        names = {value.value: name for name, value in leaf_type.values.items() if isinstance(value.value, str)}

        def coercer(value: Any) -> Any:
            return names[value] if type(value) is str and value in names else coerce(value)
    else:
        coercer = coerce
    fields.coercers[leaf_type.name] = coercer
    return coercer


def _in_order(grouped_field_set: dict[str, Any], done: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    """The response keys in selection order, as the ordinary path would have produced them."""
    if not done:
        return rest
    out = {}
    for name in grouped_field_set:
        if name in done:
            out[name] = done[name]
        elif name in rest:
            out[name] = rest[name]
    return out


def register_fast_fields(schema: GraphQLSchema) -> FastFields:
    """Decides which fields qualify and keeps the answer on `schema` (its `extensions`)."""
    fields = FastFields()
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        if type_ in (schema.query_type, schema.mutation_type, schema.subscription_type):
            continue  # root fields check scopes and take arguments: always the ordinary path
        for name, field in type_.fields.items():
            definition = (field.extensions or {}).get("strawberry-definition")
            if definition is None or field.args or definition.extensions or definition.permission_classes:
                continue
            if getattr(field.resolve, "_is_default", False):
                non_null = isinstance(field.type, GraphQLNonNull)
                named = field.type.of_type if non_null else field.type
                if is_leaf_type(named):
                    fields.leaves[type_.name, name] = (definition.python_name, named, non_null)
                else:
                    fields.attributes[type_.name, name] = definition.python_name
                continue
            direct = _direct_resolver(definition)
            if direct is not None:
                fields.resolvers[type_.name, name] = direct
    schema.extensions = {**(schema.extensions or {}), FAST_FIELDS: fields}
    return fields


def _direct_resolver(definition: Any) -> tuple[Any, bool] | None:
    """(function, wants info) for a plain synchronous resolver of (root) or (root, info)."""
    resolver = definition.base_resolver
    if resolver is None or definition.is_async:
        return None
    function = resolver.wrapped_func
    names = list(inspect.signature(function).parameters)
    if names == ["root"]:
        return function, False
    if names == ["root", "info"]:
        return function, True
    return None


def executor_class() -> type[StrawberryGraphQLCoreExecutionContext]:
    """The fast executor, or strawberry's own if graphql-core's executor changed shape."""
    for method, expected in _EXPECTED.items():
        try:
            names = list(inspect.signature(getattr(StrawberryGraphQLCoreExecutionContext, method)).parameters)
        except (TypeError, ValueError, AttributeError):
            names = []
        if names != expected:
            log.warning("graphql-core's %s changed (%s); running without the fast path", method, names)
            return StrawberryGraphQLCoreExecutionContext
    return FastPathExecutor


class GraphQLPipeline:
    """The one way a document is prepared, executed and answered, whatever carried it.

    `prepare` applies every limit before any cache (`DocumentPolicy`); `execute` (HTTP) and
    `subscribe` (WebSocket) check the replay budget, run the document on graphql-core with the
    same executor, and give back results whose errors are already shaped (codes, masking) and
    logged. Transports only translate: status codes, protocol messages."""

    def __init__(self, schema: GraphQLSchema, documents: DocumentPolicy, executor: type) -> None:
        self.schema = schema
        self.documents = documents
        self.executor = executor
        self.max_replayed_events = MAX_REPLAYED_EVENTS

    @property
    def development(self) -> bool:
        return self.documents.development

    def prepare(self, query: str) -> PreparedDocument:
        return self.documents.prepare(query)

    def execute(self, prepared: PreparedDocument, context: Any, variables: dict[str, Any] | None,
                operation_name: str | None) -> ExecutionResult:
        """Runs a prepared query or mutation synchronously (resolvers reached over HTTP are synchronous)."""
        assert prepared.document is not None and not prepared.errors
        refusal = self._over_budget(prepared, context, variables, operation_name)
        if refusal is not None:
            return self._answered(ExecutionResult(None, [refusal]), context)
        context.compiled = prepared.compiled
        result = execute(
            self.schema, prepared.document, context_value=context, variable_values=variables,
            operation_name=operation_name, executor_class=self.executor, is_awaitable=optimized_is_awaitable,
            hide_suggestions=not self.development,
        )
        if inspect.isawaitable(result):
            close = getattr(result, "close", None)
            if close is not None:
                close()
            raise RuntimeError("a resolver reached over HTTP is asynchronous")
        return self._answered(result, context)

    async def subscribe(self, prepared: PreparedDocument, context: Any, variables: dict[str, Any] | None,
                        operation_name: str | None) -> AsyncIterator[ExecutionResult] | ExecutionResult:
        """The stream of a prepared subscription, or one result saying why it cannot start."""
        assert prepared.document is not None and not prepared.errors
        refusal = self._over_budget(prepared, context, variables, operation_name)
        if refusal is not None:
            return self._answered(ExecutionResult(None, [refusal]), context)
        source = subscribe(
            self.schema, prepared.document, context_value=context, variable_values=variables,
            operation_name=operation_name, executor_class=self.executor, hide_suggestions=not self.development,
        )
        if inspect.isawaitable(source):
            source = await source
        if isinstance(source, ExecutionResult):
            return self._answered(source, context)
        return self._stream(source, context)

    async def _stream(self, source: AsyncIterator[ExecutionResult], context: Any) -> AsyncIterator[ExecutionResult]:
        try:
            async for result in source:
                yield self._answered(result, context)
        except Exception as error:  # graphql-core does not report what fails between results
            yield self._answered(ExecutionResult(None, [GraphQLError(str(error), original_error=error)]), context)
        finally:
            close = getattr(source, "aclose", None)
            if close is not None:
                await close()

    def shaped(self, errors: Sequence[GraphQLError], request_id: str) -> list[GraphQLError]:
        return [shape(e, request_id, development=self.development) for e in errors]

    def _answered(self, result: ExecutionResult, context: Any) -> ExecutionResult:
        if result.errors:
            log_errors(result.errors, context.request_id)
            result.errors = self.shaped(result.errors, context.request_id)
        return result

    def _over_budget(self, prepared: PreparedDocument, context: Any, variables: dict[str, Any] | None,
                     operation_name: str | None) -> GraphQLError | None:
        """Refuses an operation whose replaying fields would rebuild more than `max_replayed_events`
        events together, counted from the read model's stream lengths of the cases the caller may
        see (an invisible case counts nothing, as it replays nothing). One such field alone is
        always served, however long its case."""
        assert prepared.document is not None
        ids = replayed_case_ids(prepared.document, operation_name, variables)
        principal = context.principal
        if len(ids) < 2 or principal is None or HISTORY_SCOPE not in principal.scopes:
            return None  # nothing to add up; a missing scope is refused by the fields themselves
        keys = []
        for case_id in ids:
            try:
                keys.append(str(UUID(case_id)))
            except ValueError:
                continue  # the field itself reports a malformed id
        lengths = {row.id: row.version for row in context.loaders.visible_cases(dict.fromkeys(keys))}
        events = sum(lengths.get(key, 0) for key in keys)
        return replay_refusal(events, self.max_replayed_events) if events > self.max_replayed_events else None
