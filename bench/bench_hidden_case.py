"""acceptTransfer on an existing case the caller may not see vs on a random id: p50 of each,
through POST /graphql (the real app, in process, real tokens), on a case with some history.

    python bench/bench_hidden_case.py [--database-url URL] [--events 50] [--rounds 400]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid

from fastapi.testclient import TestClient

from casebridge.api.app import create_app
from casebridge.infra.auth import ClientStore
from casebridge.infra.migrations import migrate
from casebridge.infra.settings import Settings

ACCEPT = """mutation($input: AcceptTransferInput!) { acceptTransfer(input: $input) { __typename ... on Problem { code } } }"""
OPEN = """mutation($input: OpenCaseInput!) { openCase(input: $input) { ... on OpenCaseSuccess { case { id } } } }"""
ADD = """mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { __typename } }"""
TRANSFER = """mutation($input: RequestTransferInput!) { requestTransfer(input: $input) { __typename } }"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=400)
    args = parser.parse_args()
    settings = Settings.from_env({"CASEBRIDGE_DATABASE_URL": args.database_url})
    migrate(settings)
    app = create_app(settings)
    with TestClient(app, base_url="http://localhost:8000") as http:
        def token(jurisdiction: str) -> str:
            c = ClientStore(app.state.db).create(jurisdiction=jurisdiction, scope="cases:read cases:write", name="bench")
            r = http.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": c.client_id,
                                                 "client_secret": c.client_secret})
            return r.json()["access_token"]

        hangzhou, shenzhen = token("330100"), token("440300")

        def gql(tok: str, query: str, variables: dict) -> dict:
            return http.post("/graphql", json={"query": query, "variables": variables},
                             headers={"Authorization": f"Bearer {tok}"}).json()

        case_id = gql(hangzhou, OPEN, {"input": {"title": "t", "summary": "s", "category": "COUNTERFEIT",
                                                  "subject": {"name": "n", "kind": "MANUFACTURER"}}})["data"]["openCase"]["case"]["id"]
        for i in range(args.events):
            gql(hangzhou, ADD, {"input": {"caseId": case_id, "title": f"item {i}", "sha256": f"{i:064x}"}})
        gql(hangzhou, TRANSFER, {"input": {"caseId": case_id, "to": "310000", "reason": "r"}})

        def p50(case: str | None) -> float:
            times = []
            for _ in range(args.rounds):
                target = case or str(uuid.uuid4())
                start = time.perf_counter()
                body = gql(shenzhen, ACCEPT, {"input": {"caseId": target}})
                times.append(time.perf_counter() - start)
                assert body["data"]["acceptTransfer"]["code"] == "NOT_FOUND", body
            return statistics.median(times) * 1000

        p50(None), p50(case_id)  # warm up
        hidden, unknown = p50(case_id), p50(None)
    store = args.database_url.split(":")[0]
    print(f"{store}: case with {args.events + 2} events; acceptTransfer p50 "
          f"hidden {hidden:.2f} ms, random id {unknown:.2f} ms, ratio {hidden / unknown:.2f}")


if __name__ == "__main__":
    main()
