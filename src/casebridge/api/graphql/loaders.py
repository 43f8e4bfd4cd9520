"""Batched reads for one request: a page of cases and everything under it in a constant
number of SQL queries.

Synchronous sibling batching (no event loop needed): whenever rows enter the response
(a page of cases, the requests of those cases...), their ids are registered with every
loader keyed by them. The first `load` that misses fetches all registered ids in one
batch call of the read models; its siblings then hit the cache. Loaders live for one
request, so nothing cached outlives it; a mutation starts afresh after its write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from casebridge.projections.views import ReadModels

V = TypeVar("V")


class BatchLoader(Generic[V]):
    __slots__ = ("_cache", "_default", "_fetch", "_wanted")

    def __init__(self, fetch: Callable[[list[str]], dict[str, V]], default: Callable[[], V]) -> None:
        self._fetch = fetch
        self._default = default
        self._cache: dict[str, V] = {}
        self._wanted: dict[str, None] = {}

    def want(self, keys: Iterable[str]) -> None:
        cache = self._cache
        for key in keys:
            if key not in cache:
                self._wanted[key] = None

    def load(self, key: str) -> V:
        try:
            return self._cache[key]
        except KeyError:
            pass
        keys = list(self._wanted)
        if key not in self._wanted:
            keys.append(key)
        self._wanted.clear()
        found = self._fetch(keys)
        for k in keys:
            self._cache[k] = found[k] if k in found else self._default()
        return self._cache[key]

    def flush(self) -> bool:
        """Fetch every registered key now; False when there was nothing to fetch."""
        if not self._wanted:
            return False
        self.load(next(iter(self._wanted)))
        return True

    def prime(self, key: str, value: V) -> None:
        self._cache[key] = value
        self._wanted.pop(key, None)


def _none() -> None:
    return None


def _with_request_items(rm: ReadModels, jurisdiction: str) -> Callable[[list[str]], dict[str, list[Any]]]:
    """A case's evidence: what its handlers added, and what the requests on it the caller is a
    party to were answered with (协助调查), each with its provenance, in the order collected."""
    def fetch(ids: list[str]) -> dict[str, list[Any]]:
        own, answered = rm.cases.evidence(ids), rm.evidence_requests.case_items(jurisdiction, ids)
        return {i: sorted([*own.get(i, []), *answered.get(i, [])], key=lambda e: (e.collected_at, e.id)) for i in ids}

    return fetch


class Loaders:
    """Every relation the schema resolves in batches, for one caller's jurisdiction."""

    def __init__(self, read_models: ReadModels, jurisdiction: str) -> None:
        rm = read_models
        j = jurisdiction
        self.jurisdiction = j
        # keyed by case id
        self.case = BatchLoader(self._visible_cases(rm, j), _none)
        self.case_evidence = BatchLoader(_with_request_items(rm, j), list)
        # Who sees the case, as far as this caller may be told (domain/access.py `disclosed`).
        self.case_participants = BatchLoader(lambda ids: rm.cases.visibility.participants_for(j, ids), list)
        self.case_transfers = BatchLoader(rm.transfers.for_cases, list)
        self.case_requests = BatchLoader(self._seeing_requests(lambda ids: rm.evidence_requests.for_cases(j, ids)), list)
        self.case_actions = BatchLoader(self._seeing_actions(lambda ids: rm.joint_actions.for_cases(j, ids)), list)
        # keyed by evidence request id
        self.request_items = BatchLoader(rm.evidence_requests.items, list)
        # keyed by joint action id
        self.action_participants = BatchLoader(rm.joint_actions.participants, list)
        self.action_tasks = BatchLoader(rm.joint_actions.tasks, list)
        self.action_case_ids = BatchLoader(self._wanting_cases(rm.joint_actions.case_ids), list)
        self.action_linked_cases = BatchLoader(rm.joint_actions.linked_cases, list)

    # -- rows entering the response ---------------------------------------------------------

    def cases_seen(self, rows: Sequence[Any]) -> None:
        ids = [row.id for row in rows]
        for row in rows:
            self.case.prime(row.id, row)
        for loader in (self.case_evidence, self.case_participants, self.case_transfers, self.case_requests, self.case_actions):
            loader.want(ids)

    def requests_seen(self, rows: Sequence[Any]) -> None:
        self.request_items.want(row.id for row in rows)
        self.case.want(row.case_id for row in rows)

    def actions_seen(self, rows: Sequence[Any]) -> None:
        ids = [row.id for row in rows]
        for loader in (self.action_participants, self.action_tasks, self.action_case_ids, self.action_linked_cases):
            loader.want(ids)

    def transfers_seen(self, rows: Sequence[Any]) -> None:
        self.case.want(row.case_id for row in rows)

    # -- batch functions that register what they found ------------------------------------

    def _visible_cases(self, rm: ReadModels, j: str) -> Callable[[list[str]], dict[str, Any]]:
        def fetch(ids: list[str]) -> dict[str, Any]:
            found = rm.cases.get_many(j, ids)
            self.cases_seen(list(found.values()))
            return found

        return fetch

    def _seeing_requests(self, fetch_many: Callable[[list[str]], dict[str, list[Any]]]) -> Callable[[list[str]], dict[str, list[Any]]]:
        def fetch(ids: list[str]) -> dict[str, list[Any]]:
            found = fetch_many(ids)
            self.requests_seen([row for rows in found.values() for row in rows])
            return found

        return fetch

    def _seeing_actions(self, fetch_many: Callable[[list[str]], dict[str, list[Any]]]) -> Callable[[list[str]], dict[str, list[Any]]]:
        def fetch(ids: list[str]) -> dict[str, list[Any]]:
            found = fetch_many(ids)
            self.actions_seen([row for rows in found.values() for row in rows])
            return found

        return fetch

    def _wanting_cases(self, fetch_many: Callable[[list[str]], dict[str, list[str]]]) -> Callable[[list[str]], dict[str, list[str]]]:
        def fetch(ids: list[str]) -> dict[str, list[str]]:
            found = fetch_many(ids)
            self.case.want(case_id for case_ids in found.values() for case_id in case_ids)
            return found

        return fetch

    def flush_all(self, rounds: int = 5) -> None:
        """Fetch everything registered so far, and what that brings in, a few levels deep."""
        loaders = [value for value in vars(self).values() if isinstance(value, BatchLoader)]
        for _ in range(rounds):
            if not any([loader.flush() for loader in loaders]):
                return

    def visible_cases(self, case_ids: Iterable[str]) -> list[Any]:
        """The cases among `case_ids` the caller may see, in the given order."""
        ids = list(case_ids)
        self.case.want(ids)
        return [row for row in (self.case.load(i) for i in ids) if row is not None]
