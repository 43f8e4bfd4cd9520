"""The committed `schema.graphql` is the schema the server runs, and it keeps the names of docs/contract.md."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema

from casebridge.api.graphql.export import schema_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"
REGENERATE = ("the schema drifted from schema.graphql; if the change is meant, regenerate it with "
              "`strawberry export-schema casebridge.api.graphql.schema:schema --output schema.graphql` "
              "(or `python -m casebridge.api.graphql.export > schema.graphql`) and review the diff")


def test_the_committed_schema_file_is_the_schema_the_server_runs():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl() + "\n", REGENERATE


def test_the_schema_has_every_operation_and_enum_value_the_contract_names():
    schema = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert {"me", "jurisdictions", "case", "cases", "inbox", "evidenceRequest", "jointAction"} <= set(schema.query_type.fields)
    mutations = ["openCase", "requestTransfer", "acceptTransfer", "declineTransfer", "withdrawTransfer",
                 "designateJurisdiction", "addEvidence", "closeCase", "requestEvidence", "fulfilEvidenceRequest",
                 "refuseEvidenceRequest", "proposeJointAction", "joinJointAction", "declineJointAction",
                 "assignJointTask", "completeJointTask", "closeJointAction", "reviseCase", "reopenCase",
                 "acknowledgeEvidenceRequest", "extendEvidenceRequest", "withdrawEvidenceRequest", "askClarification",
                 "answerClarification", "takeOverCase", "assignCase",
                 "extendDecisionPeriod", "pauseCaseClock", "resumeCaseClock", "suspendCase", "resumeCase"]
    for name in mutations:
        field = schema.mutation_type.fields[name]
        assert list(field.args) == ["input"], name
        type_name = name[0].upper() + name[1:]
        input_fields = set(schema.get_type(f"{type_name}Input").fields)
        assert {"expectedVersion", "clientMutationId"} <= input_fields, name
        result = schema.get_type(f"{type_name}Result")
        assert {t.name for t in result.types} == {f"{type_name}Success", "NotFoundProblem", "ConflictProblem",
                                                   "InvalidStateProblem", "ValidationProblem", "ForbiddenProblem"}
    problem = schema.get_type("Problem")
    assert set(problem.fields) == {"code", "message"}
    assert "field" in schema.get_type("ValidationProblem").fields
    enums = {
        "SubjectKind": {"PLATFORM_OPERATOR", "MARKETPLACE_SELLER", "LIVESTREAM_SELLER", "MANUFACTURER", "NATURAL_PERSON"},
        "CaseCategory": {"PRODUCT_QUALITY", "COUNTERFEIT", "FALSE_ADVERTISING", "PRICING", "FOOD_SAFETY",
                         "PERSONAL_INFORMATION", "OTHER"},
        "CaseStatus": {"OPEN", "DISPUTED", "SUSPENDED", "CLOSED"},
        "CaseOutcome": {"PENALTY_DECISION", "NO_PENALTY", "NO_VIOLATION", "FILING_REVOKED", "TERMINATED",
                        "REFERRED_TO_POLICE", "REFERRED_TO_OTHER_AGENCY", "MERGED"},
        "RefusalReason": {"NOT_NEEDED_AFTER_CONSULTATION", "CONFIDENTIALITY_NOT_ACCEPTED", "PROCEEDINGS_ALREADY_OPEN",
                          "OUTSIDE_COMPETENCE", "INSUFFICIENT_INFORMATION", "OTHER"},
        "EvidenceRequestStatus": {"OPEN", "FULFILLED", "REFUSED", "WITHDRAWN"},
        "JointActionStatus": {"ACTIVE", "CLOSED"},
        "JointActionParticipantStatus": {"COORDINATOR", "INVITED", "JOINED", "DECLINED"},
        "JointTaskStatus": {"OPEN", "COMPLETED"},
    }
    for name, values in enums.items():
        assert values <= set(schema.get_type(name).values), name
    refusal = schema.get_type("RefusalReason").values
    assert {n for n, v in refusal.items() if v.deprecation_reason is None} == {"OUTSIDE_COMPETENCE", "OTHER"}
    case_fields = {"id", "reference", "title", "summary", "status", "handlingJurisdiction", "subject", "category",
                   "pendingTransfer", "participants", "evidence", "evidenceRequests", "jointActions", "version",
                   "openedAt", "updatedAt"}
    assert case_fields <= set(schema.get_type("Case").fields)
    assert {"id", "case", "applicant", "requested", "description", "status", "dueAt", "overdue", "items",
            "refusalReason", "paused", "clarification", "competentJurisdiction", "findingsNote"} <= set(
        schema.get_type("EvidenceRequest").fields)
    assert "provenance" in schema.get_type("Evidence").fields
    assert {"id", "title", "coordinator", "participants", "cases", "tasks", "status"} <= set(
        schema.get_type("JointAction").fields)
    assert {"inboxChanged"} <= set(schema.subscription_type.fields)
