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

Which fields qualify is decided once, when the schema is built (`register_fast_fields`).
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLBoolean,
    GraphQLEnumType,
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
)
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

log = logging.getLogger(__name__)

_EXPECTED = {
    "execute_fields": ["self", "parent_type", "source_value", "path", "grouped_field_set", "position_context"],
    "collect_subfields": ["self", "return_type", "field_details_list"],
}
# id(GraphQLField) -> how to read it inline
_LEAVES: dict[int, tuple[str, Any, bool]] = {}  # (attribute, leaf type, non-null)
_ATTRIBUTES: dict[int, str] = {}  # objects and lists read as a plain attribute of the parent
_RESOLVERS: dict[int, tuple[Any, bool]] = {}  # (function of (root) or (root, info), wants info)


class _Fallback(Exception):
    """This field needs the ordinary path."""


_FALLBACK = _Fallback()


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
        self._fast = not (manager and getattr(manager, "middlewares", None))
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
        key = id(field)
        leaf = _LEAVES.get(key)
        if leaf is not None:
            attribute, leaf_type, non_null = leaf
            coerce = _coercer(leaf_type)

            def read_leaf(source: Any, info: Any) -> Any:
                value = getattr(source, attribute)
                if value is None:
                    if non_null:
                        raise _FALLBACK
                    return None
                return coerce(value)

            return read_leaf
        attribute = _ATTRIBUTES.get(key)
        if attribute is not None:
            complete = self._compile_value(field.type, field_details_list)
            return lambda source, info: complete(getattr(source, attribute), info)
        resolver = _RESOLVERS.get(key)
        if resolver is None:
            raise _FALLBACK
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
                    raise _FALLBACK
                return inner(value, info)

            return non_null
        if isinstance(return_type, GraphQLList):
            item = self._compile_value(return_type.of_type, field_details_list)

            def list_of(value: Any, info: Any) -> Any:
                if value is None:
                    return None
                if not isinstance(value, (list, tuple)):
                    raise _FALLBACK
                return [item(entry, info) for entry in value]

            return list_of
        if is_leaf_type(return_type):
            coerce = _coercer(return_type)
            return lambda value, info: None if value is None else coerce(value)
        if not isinstance(return_type, GraphQLObjectType) or return_type.is_type_of is not None:
            raise _FALLBACK  # abstract types and checked object types take the ordinary path
        grouped_field_set = self.collect_subfields(return_type, field_details_list)[0]
        getters = tuple((name, self._getter(return_type, details)) for name, details in grouped_field_set.items())

        def object_of(value: Any, info: Any) -> Any:
            if value is None:
                return None
            return {name: getter(value, info) for name, getter in getters}

        return object_of


def _fall_back(source: Any, info: Any) -> Any:
    raise _FALLBACK


_COERCERS: dict[int, Any] = {}


def _coercer(leaf_type: Any) -> Any:
    """The output coercion of a scalar or enum, with shortcuts for values already in shape."""
    coercer = _COERCERS.get(id(leaf_type))
    if coercer is not None:
        return coercer
    general = leaf_type.coerce_output_value

    def coerce(value: Any) -> Any:
        coerced = general(value)
        if coerced is None or coerced is Undefined:
            raise _FALLBACK
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
    _COERCERS[id(leaf_type)] = coercer
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


def register_fast_fields(schema: GraphQLSchema) -> None:
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        if type_ in (schema.query_type, schema.mutation_type, schema.subscription_type):
            continue  # root fields check scopes and take arguments: always the ordinary path
        for field in type_.fields.values():
            definition = (field.extensions or {}).get("strawberry-definition")
            if definition is None or field.args or definition.extensions or definition.permission_classes:
                continue
            if getattr(field.resolve, "_is_default", False):
                non_null = isinstance(field.type, GraphQLNonNull)
                named = field.type.of_type if non_null else field.type
                if is_leaf_type(named):
                    _LEAVES[id(field)] = (definition.python_name, named, non_null)
                else:
                    _ATTRIBUTES[id(field)] = definition.python_name
                continue
            direct = _direct_resolver(definition)
            if direct is not None:
                _RESOLVERS[id(field)] = direct


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


def execute_prepared(schema: GraphQLSchema, document: DocumentNode, *, executor: type, context: Any,
                     variables: dict[str, Any] | None, operation_name: str | None, development: bool) -> ExecutionResult:
    """Runs an already parsed and validated document, synchronously, straight on graphql-core
    (what strawberry's `execute_sync` does after its extensions, without re-doing their work)."""
    result = execute(
        schema, document, context_value=context, variable_values=variables, operation_name=operation_name,
        executor_class=executor, is_awaitable=optimized_is_awaitable, hide_suggestions=not development,
    )
    if inspect.isawaitable(result):  # only synchronous resolvers serve HTTP
        close = getattr(result, "close", None)
        if close is not None:
            close()
        raise RuntimeError("a resolver reached over HTTP is asynchronous")
    return result
