"""The seam to eventsourcing, stated as tests: what chain.py and the log readers rely on.
When an upgrade of the library changes one of these, this fails first, naming what moved."""

from __future__ import annotations

import dataclasses
import inspect
from eventsourcing.persistence import DatetimeAsISO, EventStore, JSONTranscoder, Mapper, StoredEvent, UUIDAsHex

from casebridge.application.chain import PREV_KEY, with_prev
from casebridge.domain.values import Actor, CaseCategory, Subject, SubjectKind


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_library_mapper_maps_one_event_at_a_time():
    assert _parameters(Mapper.__init__) == ["self", "transcoder", "compressor", "cipher"]
    assert _parameters(Mapper.to_stored_event) == ["self", "domain_event"]


def test_stored_events_have_the_fields_the_chain_digests():
    fields = [f.name for f in dataclasses.fields(StoredEvent)]
    assert fields == ["originator_id", "originator_version", "topic", "state"]


def test_the_library_event_store_is_a_mapper_and_a_recorder_with_put():
    assert _parameters(EventStore.__init__) == ["self", "mapper", "recorder"]
    assert _parameters(EventStore.put) == ["self", "domain_events", "kwargs"]


def test_the_library_mapper_stores_an_events_attributes_so_a_link_added_to_them_is_stored():
    from casebridge.application.transcodings import register_casebridge_transcodings
    from casebridge.domain.case import Case

    transcoder = JSONTranscoder()
    transcoder.register(UUIDAsHex())
    transcoder.register(DatetimeAsISO())
    register_casebridge_transcodings(transcoder)
    case = Case.open(actor=Actor("hz", "330100"), reference="R-1", title="t", summary="s",
                     subject=Subject.create("Shop", SubjectKind.LIVESTREAM_SELLER), category=CaseCategory.COUNTERFEIT)
    event = case.collect_events()[0]
    stored = Mapper(transcoder).to_stored_event(with_prev(event, "ab" * 32))
    assert transcoder.decode(stored.state)[PREV_KEY] == "ab" * 32
    assert PREV_KEY not in vars(event)  # the event itself is left as it was
    assert (stored.originator_id, stored.originator_version) == (event.originator_id, event.originator_version)
