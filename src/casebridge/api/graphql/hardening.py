"""Limits on what one GraphQL document may ask for (the OWASP GraphQL cheat sheet).

Every transport (HTTP POST and GET, graphql-transport-ws) prepares its documents here, with
the same limits, in this order: the size of the text (before anything else, before any cache),
then parsing with a token cap, then our limits (depth, aliases, cost), then the spec rules. Only a
document that passed all of them is kept, in an LRU cache keyed by the query text, so the cache
can never be filled with oversized or refused documents (an 8 MB subscription once was). The
rules are classes fixed at import, so the cache is never defeated by a per-request rule.

Fields that rebuild a case from its events (`verifyCase`, `caseAccess`, `caseAsOf`) cost what
they replay, which only the read model knows: `replayed_case_ids` lists the cases an operation
would replay, and the pipeline refuses it before executing when their streams hold more than
`MAX_REPLAYED_EVENTS` events together.

The limits walk the document once, expanding fragments, and stop as soon as a limit is
crossed: a fragment bomb costs at most `MAX_VISITS` steps.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    ValidationRule,
    VariableNode,
    get_named_type,
    parse,
    specified_rules,
    validate,
)

MAX_BODY_BYTES = 64 * 1024  # a request body above this is refused with 413 before parsing
MAX_DOCUMENT_BYTES = MAX_BODY_BYTES  # a query text above this is refused on every transport, before parsing
MAX_TOKENS = 2_000  # lexical tokens per document (parsing costs about 5 µs a token)
MAX_COMMENTS = 500
MAX_DEPTH = 10  # nested selections; introspection fields are not counted
MAX_ALIASES = 30
MAX_PAGE_SIZE = 100  # the largest `first` a connection serves
MAX_COST = 50_000  # fields the response may contain, lists multiplied by their size
ASSUMED_LIST_SIZE = 5  # the size counted for lists without `first` (participants, evidence...)
MAX_VISITS = 50_000  # steps of the limits walk itself, fragments expanded

MAX_REPLAYED_EVENTS = 10_000  # events the replaying fields of one operation may rebuild together

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
REPLAYING_FIELDS = frozenset({"verifyCase", "caseAccess", "caseAsOf"})  # each replays its case's stream


def _error(message: str, code: str, nodes=None) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": code})


class _LimitCrossed(Exception):
    def __init__(self, error: GraphQLError) -> None:
        self.error = error


class QueryLimitsRule(ValidationRule):
    """Depth, aliases and cost of every operation, measured in one walk."""

    def enter_document(self, node: DocumentNode, *_args) -> object:
        schema = self.context.schema
        fragments = {d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)}
        for definition in node.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            root = schema.get_root_type(definition.operation)
            if root is None:
                continue  # reported by the spec rules
            walk = _Walk(schema, fragments)
            try:
                walk.selections(definition.selection_set, root, depth=1, multiplier=1, path=frozenset())
            except _LimitCrossed as crossed:
                self.report_error(crossed.error)
                continue
        return self.SKIP  # one walk is enough; no need to visit every node again


class _Walk:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.aliases = 0
        self.cost = 0
        self.visits = 0

    def selections(self, selection_set: SelectionSetNode | None, parent, *, depth: int, multiplier: int,
                   path: frozenset[str]) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            self.visits += 1
            if self.visits > MAX_VISITS:
                raise _LimitCrossed(_error("The query is too complex.", "QUERY_TOO_COMPLEX"))
            if isinstance(selection, FieldNode):
                self.field(selection, parent, depth=depth, multiplier=multiplier, path=path)
            elif isinstance(selection, InlineFragmentNode):
                cond = selection.type_condition
                target = self.schema.get_type(cond.name.value) if cond else parent
                self.selections(selection.selection_set, target, depth=depth, multiplier=multiplier, path=path)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in path:
                    continue  # unknown fragments and cycles are reported by the spec rules
                target = self.schema.get_type(fragment.type_condition.name.value)
                self.selections(fragment.selection_set, target, depth=depth, multiplier=multiplier, path=path | {name})

    def field(self, node: FieldNode, parent, *, depth: int, multiplier: int, path: frozenset[str]) -> None:
        name = node.name.value
        if name in INTROSPECTION_FIELDS:
            return  # refused outright in production; unlimited in development for the IDE
        if node.alias is not None:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _LimitCrossed(_error(f"The query uses more than {MAX_ALIASES} aliases.", "TOO_MANY_ALIASES", [node]))
        if depth > MAX_DEPTH:
            raise _LimitCrossed(_error(f"The query is nested more than {MAX_DEPTH} levels deep.", "QUERY_TOO_DEEP", [node]))
        self.cost += multiplier
        if self.cost > MAX_COST:
            raise _LimitCrossed(_error(
                f"The query may return more than {MAX_COST} fields; ask for fewer or smaller pages.", "QUERY_TOO_COMPLEX", [node]))
        if node.selection_set is None:
            return
        field_type = None
        if isinstance(parent, GraphQLObjectType) or hasattr(parent, "fields"):
            definition = parent.fields.get(name)
            field_type = definition.type if definition is not None else None
        in_connection = getattr(parent, "name", "").endswith("Connection")  # edges: already counted by `first`
        child_multiplier = multiplier * (1 if in_connection else _list_size(node, field_type))
        child_parent = get_named_type(field_type) if field_type is not None else None
        self.selections(node.selection_set, child_parent, depth=depth + 1, multiplier=child_multiplier, path=path)


def _list_size(node: FieldNode, field_type) -> int:
    """How many items a field may return, for the cost: `first` when given, else an estimate."""
    for argument in node.arguments or ():
        if argument.name.value == "first":
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(1, int(value.value))
            if isinstance(value, VariableNode):
                return MAX_PAGE_SIZE  # unknown until execution: count the largest page
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    if isinstance(field_type, GraphQLList):
        return ASSUMED_LIST_SIZE
    return 1


class NoIntrospectionRule(ValidationRule):
    """In production the schema is not explained to strangers (`__typename` stays allowed)."""

    def enter_field(self, node: FieldNode, *_args) -> None:
        if node.name.value in INTROSPECTION_FIELDS:
            self.report_error(_error("Introspection is disabled.", "INTROSPECTION_DISABLED", [node]))


@dataclass(frozen=True)
class PreparedDocument:
    """A parsed and validated document (or why it was refused), shared by every request
    that sends the same query text."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    # The fast executor's compiled getters for this document, or None when what is selected
    # may depend on variables (directives): then they are compiled per request.
    compiled: dict | None = field(default=None, compare=False, repr=False)

    def operation_type(self, operation_name: str | None) -> OperationType | None:
        """The type of the operation that would run, or None when it cannot be picked."""
        if self.document is None:
            return None
        operations = [d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is None:
            return operations[0].operation if len(operations) == 1 else None
        for operation in operations:
            if operation.name is not None and operation.name.value == operation_name:
                return operation.operation
        return None


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    size: int


class DocumentPolicy:
    """Parses and validates query texts under one environment's rules; keeps the valid ones."""

    def __init__(self, schema: GraphQLSchema, *, development: bool, cache_size: int = 512) -> None:
        self.schema = schema
        self.development = development
        # The limits run first and alone: an abusive document is refused before the spec
        # rules (some quadratic in the number of fields) ever see it.
        self.limit_rules = (QueryLimitsRule,) if development else (QueryLimitsRule, NoIntrospectionRule)
        self.rules = tuple(specified_rules)
        self._cache: OrderedDict[str, PreparedDocument] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._hits = self._misses = 0

    def prepare(self, query: str) -> PreparedDocument:
        """The document for `query`, or why it is refused (each error with `extensions.code`)."""
        if _too_large(query):
            return PreparedDocument(None, (_error(
                f"The query may be at most {MAX_DOCUMENT_BYTES} bytes.", "REQUEST_TOO_LARGE"),))
        with self._lock:
            prepared = self._cache.get(query)
            if prepared is not None:
                self._cache.move_to_end(query)
                self._hits += 1
                return prepared
            self._misses += 1
        prepared = self._prepare(query)
        if not prepared.errors:  # refused documents are never kept: sending them again costs a parse, no memory
            with self._lock:
                self._cache[query] = prepared
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return prepared

    def cache_info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._cache))

    def _prepare(self, query: str) -> PreparedDocument:
        try:
            document = parse(query, max_lexical_tokens=MAX_TOKENS, max_comments=MAX_COMMENTS)
        except GraphQLError as error:
            code = "TOO_MANY_TOKENS" if "more than" in error.message else "GRAPHQL_PARSE_FAILED"
            return PreparedDocument(None, (_with_code(error, code),))
        errors = validate(self.schema, document, self.limit_rules)
        if not errors:
            errors = validate(self.schema, document, self.rules, hide_suggestions=not self.development)
        compiled = None if errors or "@" in query else {}
        return PreparedDocument(document, tuple(_with_code(e, "GRAPHQL_VALIDATION_FAILED") for e in errors), compiled)


def _too_large(query: str) -> bool:
    if len(query) > MAX_DOCUMENT_BYTES:
        return True
    return not query.isascii() and len(query.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES


def replayed_case_ids(document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any] | None) -> list[str]:
    """The `caseId` of every replaying field the operation would run (repeats included: each
    alias replays again). Ids that are not strings are left to the resolvers to refuse."""
    operation = _operation(document, operation_name)
    if operation is None:
        return []
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    found: list[str] = []

    def walk(selection_set: SelectionSetNode, seen: frozenset[str]) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in REPLAYING_FIELDS:
                    for argument in selection.arguments or ():
                        if argument.name.value == "caseId":
                            value = argument.value
                            if isinstance(value, VariableNode):
                                value = (variables or {}).get(value.name.value)
                            elif isinstance(value, StringValueNode):
                                value = value.value
                            if isinstance(value, str):
                                found.append(value)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in seen:
                    walk(fragments[name].selection_set, seen | {name})

    walk(operation.selection_set, frozenset())
    return found


def replay_refusal(events: int, limit: int = MAX_REPLAYED_EVENTS) -> GraphQLError:
    return _error(f"The query would replay {events} events; at most {limit} may be replayed in one "
                  "request. Ask about fewer cases at a time.", "QUERY_TOO_COMPLEX")


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == operation_name), None)


def _with_code(error: GraphQLError, code: str) -> GraphQLError:
    if error.extensions and "code" in error.extensions:
        return error
    error.extensions = {**(error.extensions or {}), "code": code}
    return error
