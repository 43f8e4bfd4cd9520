"""Events are forever: Case.Opened events recorded before the subject had a credit code, places,
platform operator and store (issue 11 §6) keep their stored shape and replay; new ones round-trip."""

from __future__ import annotations

import dataclasses
import json

from domain.helpers import HANGZHOU, REGISTRY, actor

from casebridge.domain.values import CaseCategory, PlatformOperator, Subject, SubjectKind

CODE = "91330100MA2H000X0J"
# The Opened event's subject exactly as CaseBridge stored it before issue 11.
OLD_SUBJECT = {"_type_": "subject", "_data_": {
    "name": "Hangzhou Brightstar Trading Co., Ltd.", "kind": {"_type_": "enum:SubjectKind", "_data_": "MARKETPLACE_SELLER"},
    "identifier": "91330100MA2H000X0Q", "product_codes": ["SKU-1", "SKU-2"]}}


def open_with(app, subject: Subject):
    return app.open_case(actor(HANGZHOU), title="Counterfeit chargers", summary="Test purchases.", subject=subject,
                         category=CaseCategory.COUNTERFEIT).aggregate_id


def test_an_opened_event_stored_before_the_new_subject_fields_replays_with_them_empty(app):
    case_id = open_with(app, Subject.create("placeholder", SubjectKind.MANUFACTURER))
    [stored] = app.recorder.select_events(case_id)
    state = json.loads(bytes(stored.state))
    state["subject"] = OLD_SUBJECT

    opened = app.mapper.to_domain_event(dataclasses.replace(stored, state=json.dumps(state).encode()))
    case = opened.mutate(None)

    assert case.subject == Subject(name="Hangzhou Brightstar Trading Co., Ltd.", kind=SubjectKind.MARKETPLACE_SELLER,
                                   identifier="91330100MA2H000X0Q", product_codes=("SKU-1", "SKU-2"))
    assert (case.subject.credit_code, case.subject.platform_operator, case.subject.known_credit_code) == (None, None, None)


def test_a_subject_without_the_new_fields_is_stored_in_exactly_the_old_shape_and_loads_back(app):
    case_id = open_with(app, Subject.create("张某", SubjectKind.NATURAL_PERSON, "someone"))

    [stored] = app.recorder.select_events(case_id)

    assert set(json.loads(bytes(stored.state))["subject"]["_data_"]) == {"name", "kind", "identifier", "product_codes"}
    assert app.repository.get(case_id).subject == Subject(name="张某", kind=SubjectKind.NATURAL_PERSON, identifier="someone")


def test_a_subject_with_every_new_field_round_trips_through_the_store(app):
    subject = Subject.create("杭州明星贸易有限公司", SubjectKind.MARKETPLACE_SELLER, credit_code=CODE, domicile=HANGZHOU,
                             place_of_business="330106", platform_operator_name="淘宝",
                             platform_operator_credit_code="91330100799655058B", platform_operator_domicile="330106",
                             store="https://shop.example.cn/1", registry=REGISTRY)
    case_id = open_with(app, subject)

    loaded = app.repository.get(case_id).subject

    assert loaded == subject and type(loaded.platform_operator) is PlatformOperator
    [stored] = app.recorder.select_events(case_id)
    assert json.loads(bytes(stored.state))["subject"]["_data_"]["platform_operator"]["_type_"] == "platform_operator"


def test_the_idempotency_fingerprint_tells_subjects_apart_by_the_new_fields():
    from casebridge.application.commands import OpenCase

    plain = OpenCase(title="t", summary="s", subject=Subject.create("A", SubjectKind.MANUFACTURER),
                     category=CaseCategory.COUNTERFEIT, legal_basis=None, reference=None)
    coded = dataclasses.replace(plain, subject=Subject.create("A", SubjectKind.MANUFACTURER, credit_code=CODE))

    assert plain.fingerprint() != coded.fingerprint()
    assert "credit_code" not in repr(plain.subject)  # a plain subject reads as before issue 11 (stored fingerprints)
