"""Scale-out on PostgreSQL: two `casebridge serve --no-projections` processes and one
`casebridge worker` on one database (a private schema of the test instance), the same
registered clients talking to both."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from scale.live import Caller, Deployment, Process, free_port

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("store", [pytest.param("postgres", marks=pytest.mark.postgres)])]

SUBJECT = {"name": "Shenzhen Spark Electronics", "kind": "MANUFACTURER", "identifier": "91440300MA5XXXXX2"}
OPEN_CASE = """mutation($input: OpenCaseInput!) { openCase(input: $input) {
  __typename ... on OpenCaseSuccess { case { id version } } ... on Problem { code message } } }"""
ADD_EVIDENCE = """mutation($input: AddEvidenceInput!) { addEvidence(input: $input) {
  __typename ... on AddEvidenceSuccess { case { id version evidence { title } } }
  ... on Problem { code message } ... on ConflictProblem { currentVersion } } }"""
CASE = "query($id: ID!) { case(id: $id) { id title version evidence { title } } }"


class Cluster:
    def __init__(self, deployment: Deployment, a: Process, b: Process, worker: Process) -> None:
        self.deployment, self.a, self.b, self.worker = deployment, a, b, worker

    def caller(self, jurisdiction: str = "440300") -> Caller:
        return self.deployment.caller(jurisdiction).sign_in(self.a)  # one token, good at either process

    def open_case(self, caller: Caller, server: Process, title: str) -> dict:
        return caller.data(server, OPEN_CASE, {"input": {"title": title, "summary": "Overheating power banks.",
                                                         "subject": SUBJECT, "category": "PRODUCT_QUALITY"}})["openCase"]["case"]


@pytest.fixture
def cluster(settings, tmp_path) -> Iterator[Cluster]:
    # Behind one load balancer every replica names the same public issuer in its tokens.
    deployment = Deployment(settings.database.raw, tmp_path, CASEBRIDGE_ISSUER="http://localhost:8443")
    try:
        worker = deployment.worker()
        a = deployment.serve(projections=False, port=free_port())
        b = deployment.serve(projections=False, port=free_port())
        yield Cluster(deployment, a, b, worker)
        assert worker.alive() and a.alive() and b.alive(), deployment.outputs()
    finally:
        deployment.close()


def test_the_same_change_sent_to_two_api_processes_with_one_expected_version_is_applied_exactly_once(cluster):
    caller = cluster.caller()
    case = cluster.open_case(caller, cluster.a, "Power banks: one winner per round")
    version = case["version"]
    for round_ in range(8):
        start = threading.Barrier(2)
        answers: dict[str, dict] = {}

        def send(server: Process, name: str) -> None:
            payload = {"input": {"caseId": case["id"], "title": f"round {round_} via {name}", "sha256": "e" * 64,
                                 "expectedVersion": version}}
            with httpx.Client(timeout=60) as http:
                start.wait()
                answers[name] = caller.post(server, ADD_EVIDENCE, payload, client=http).json()["data"]["addEvidence"]

        threads = [threading.Thread(target=send, args=(cluster.a, "A")), threading.Thread(target=send, args=(cluster.b, "B"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        kinds = sorted(answer["__typename"] for answer in answers.values())
        assert kinds == ["AddEvidenceSuccess", "ConflictProblem"], answers
        winner = next(a for a in answers.values() if a["__typename"] == "AddEvidenceSuccess")
        loser = next(a for a in answers.values() if a["__typename"] == "ConflictProblem")
        assert winner["case"]["version"] == version + 1
        assert loser["code"] == "CONFLICT"
        version += 1

    for server in (cluster.a, cluster.b):
        seen = caller.data(server, CASE, {"id": case["id"]})["case"]
        assert seen["version"] == version == 1 + 8
        assert len(seen["evidence"]) == 8


def test_a_write_answered_by_one_process_is_read_at_once_through_the_other(cluster):
    caller = cluster.caller()
    for i in range(10):
        writer, reader = (cluster.a, cluster.b) if i % 2 == 0 else (cluster.b, cluster.a)
        case = cluster.open_case(caller, writer, f"Read-your-writes {i}")
        seen = caller.data(reader, CASE, {"id": case["id"]})["case"]  # no sleep, no retry
        assert seen is not None and seen["title"] == f"Read-your-writes {i}" and seen["version"] == 1
        added = caller.data(reader, ADD_EVIDENCE, {"input": {"caseId": case["id"], "title": f"label {i}",
                                                             "sha256": "f" * 64}})["addEvidence"]
        assert added["__typename"] == "AddEvidenceSuccess"
        seen = caller.data(writer, CASE, {"id": case["id"]})["case"]
        assert seen["version"] == 2 and [e["title"] for e in seen["evidence"]] == [f"label {i}"]


def test_a_retry_sent_to_the_other_process_with_the_same_client_mutation_id_returns_the_original_result(cluster):
    caller = cluster.caller()
    case = cluster.open_case(caller, cluster.a, "Retried through another replica")
    payload = {"input": {"caseId": case["id"], "title": "invoice", "sha256": "d" * 64, "expectedVersion": 1,
                         "clientMutationId": "invoice-upload-1"}}
    first = caller.data(cluster.a, ADD_EVIDENCE, payload)["addEvidence"]
    retried = caller.data(cluster.b, ADD_EVIDENCE, payload)["addEvidence"]  # expectedVersion 1 is stale by now
    assert first["__typename"] == retried["__typename"] == "AddEvidenceSuccess"
    assert retried["case"]["version"] == first["case"]["version"] == 2
    assert len(caller.data(cluster.b, CASE, {"id": case["id"]})["case"]["evidence"]) == 1


def test_a_write_whose_answer_was_lost_to_a_stalled_worker_is_returned_not_conflicted_on_retry(cluster):
    """An ambiguous failure: the command is committed, but the read models cannot show it
    before the server's wait ends (the worker is stalled), so the client gets an error. Its
    retry, with the same key and the now-stale expectedVersion, gets the original result."""
    caller = cluster.caller()
    case = cluster.open_case(caller, cluster.a, "Answer lost")
    payload = {"input": {"caseId": case["id"], "title": "photo", "sha256": "c" * 64, "expectedVersion": 1,
                         "clientMutationId": "photo-upload-1"}}
    cluster.worker.popen.send_signal(19)  # SIGSTOP: the worker holds its lock but applies nothing
    try:
        lost = caller.post(cluster.a, ADD_EVIDENCE, payload, timeout=60).json()
        assert [e["extensions"]["code"] for e in lost["errors"]] == ["READ_MODEL_LAGGING"], lost
    finally:
        cluster.worker.popen.send_signal(18)  # SIGCONT
    retried = caller.data(cluster.b, ADD_EVIDENCE, payload)["addEvidence"]
    assert retried["__typename"] == "AddEvidenceSuccess", retried
    assert retried["case"]["version"] == 2 and [e["title"] for e in retried["case"]["evidence"]] == ["photo"]


def test_replicas_that_name_different_issuers_refuse_each_others_tokens(settings, tmp_path):
    """Replicas must share CASEBRIDGE_ISSUER (README, docs/scaling.md): without it each `serve
    --port P` names http://localhost:P its issuer, and a token is only good where it was issued."""
    deployment = Deployment(settings.database.raw, tmp_path)
    try:
        a = deployment.serve(projections=False, port=free_port())
        b = deployment.serve(projections=False, port=free_port())
        caller = deployment.caller("440300").sign_in(a)
        assert caller.post(a, "{ me { clientId } }").status_code == 200
        refused = caller.post(b, "{ me { clientId } }")
        assert refused.status_code == 401 and "issuer" in refused.headers["www-authenticate"]
    finally:
        deployment.close()
