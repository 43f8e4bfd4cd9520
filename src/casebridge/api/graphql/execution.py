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
        self._plans: dict[int, tuple[Any, Any]] = {}  # id(field group) -> (the group, its plan)

    def execute_fields(self, parent_type, source_value, path, grouped_field_set, position_context):  # noqa: ANN001, ANN201
        if not self._fast:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        done: dict[str, Any] = {}
        others: dict[str, Any] = {}
        for response_name, field_details_list in grouped_field_set.items():
            try:
                step = _step(parent_type, response_name, field_details_list)
                done[response_name] = self._run(step, source_value)
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

    def _run(self, step: tuple, source: Any) -> Any:
        _, kind, a, b, c = step
        if kind is _LEAF:
            value = getattr(source, a)
            if value is None:
                if c:
                    raise _FALLBACK
                return None
            return b(value)
        if kind is _TYPENAME:
            return a
        if kind is _ATTRIBUTE:
            return self._complete(b, c, getattr(source, a))
        function, wants_info = a
        return self._complete(b, c, function(source, self._info) if wants_info else function(source))

    def _complete(self, return_type: Any, field_details_list: Any, value: Any) -> Any:
        non_null = isinstance(return_type, GraphQLNonNull)
        named = return_type.of_type if non_null else return_type
        if value is None:
            if non_null:
                raise _FALLBACK
            return None
        if isinstance(named, GraphQLList):
            if not isinstance(value, (list, tuple)):
                raise _FALLBACK
            item_type = named.of_type
            return [self._complete(item_type, field_details_list, item) for item in value]
        if is_leaf_type(named):
            return _coercer(named)(value)
        plan = self._plan(named, field_details_list)
        run = self._run
        return {step[0]: run(step, value) for step in plan}

    def _plan(self, named: Any, field_details_list: Any) -> tuple:
        """How to complete an object for this field group: one step per response key. Built
        once per request and field group, reused for every item of a list."""
        cached = self._plans.get(id(field_details_list))
        if cached is not None:
            return cached[1]
        if not isinstance(named, GraphQLObjectType) or named.is_type_of is not None:
            raise _FALLBACK  # abstract types and checked object types take the ordinary path
        grouped_field_set = self.collect_subfields(named, field_details_list)[0]
        plan = tuple(_step(named, name, details) for name, details in grouped_field_set.items())
        self._plans[id(field_details_list)] = (field_details_list, plan)  # the group kept alive: its id stays unique
        return plan


_LEAF, _TYPENAME, _ATTRIBUTE, _RESOLVER = "leaf", "typename", "attribute", "resolver"


def _step(parent_type: GraphQLObjectType, response_name: str, field_details_list: Any) -> tuple:
    """(response name, kind, a, b, c) for one field of `parent_type`, or _Fallback."""
    name = field_details_list[0].node.name.value
    if name == "__typename":
        return (response_name, _TYPENAME, parent_type.name, None, None)
    field = parent_type.fields.get(name)
    key = id(field)
    leaf = _LEAVES.get(key)
    if leaf is not None:
        attribute, leaf_type, non_null = leaf
        return (response_name, _LEAF, attribute, _coercer(leaf_type), non_null)
    attribute = _ATTRIBUTES.get(key)
    if attribute is not None:
        return (response_name, _ATTRIBUTE, attribute, field.type, field_details_list)
    resolver = _RESOLVERS.get(key)
    if resolver is not None:
        return (response_name, _RESOLVER, resolver, field.type, field_details_list)
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
