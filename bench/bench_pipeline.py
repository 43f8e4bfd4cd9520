"""The fast executor against strawberry's own execution context, in process, on the same
prepared document and the same rows: is `FastPathExecutor` worth keeping?

    python bench/bench_pipeline.py [--cases 20] [--rounds 300]

Seeds cases on a fresh SQLite file through the real app with a real token, then executes
`cases(first: 20)` through `GraphQLPipeline.execute` with each executor in turn (interleaved,
same context factory) and prints CPU time per request and the ratio.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from fastapi.testclient import TestClient
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from casebridge.api.app import create_app
from casebridge.api.graphql.context import GraphQLContext
from casebridge.api.graphql.execution import FastPathExecutor, GraphQLPipeline
from casebridge.api.graphql.schema import schema
from casebridge.infra.auth import ClientStore
from casebridge.infra.migrations import migrate
from casebridge.infra.settings import Settings

QUERY = """{ cases(first: 20) { edges { cursor node { id reference title summary status category version
  openedAt updatedAt handlingJurisdiction { code name } subject { name kind identifier }
  participants { jurisdiction { code } role } evidence { id title sha256 } } } pageInfo { hasNextPage endCursor } } }"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    for name in ("CASEBRIDGE_ISSUER", "CASEBRIDGE_AUDIENCE", "CASEBRIDGE_ENV"):
        os.environ.pop(name, None)
    settings = Settings.from_env({"CASEBRIDGE_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/bench.db"})
    migrate(settings)
    app = create_app(settings)
    with TestClient(app, base_url="http://localhost:8000") as http:
        client = ClientStore(app.state.db).create(jurisdiction="330100", scope="cases:read cases:write", name="bench")
        token = http.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client.client_id,
                                                 "client_secret": client.client_secret}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        mutation = """mutation($input: OpenCaseInput!) { openCase(input: $input) { __typename } }"""
        for n in range(args.cases):
            subject = {"name": f"Seller {n}", "kind": "MARKETPLACE_SELLER", "identifier": f"91330100MA{n:07d}"}
            body = {"query": mutation, "variables": {"input": {"title": f"Case {n}", "summary": "Counterfeit chargers",
                                                               "subject": subject, "category": "COUNTERFEIT"}}}
            http.post("/graphql", json=body, headers=headers).raise_for_status()
        services = app.state.graphql
        principal = services.validate_token(token)
        prepared = services.documents.prepare(QUERY)
        pipelines = {"fast": GraphQLPipeline(schema._schema, services.documents, FastPathExecutor),
                     "strawberry": GraphQLPipeline(schema._schema, services.documents, StrawberryGraphQLCoreExecutionContext)}
        spent = dict.fromkeys(pipelines, 0.0)
        for round_ in range(args.rounds + 20):
            for name, pipeline in pipelines.items():
                context = GraphQLContext(services, principal, "bench")
                started = time.process_time()
                result = pipeline.execute(prepared, context, None, None)
                if round_ >= 20:  # the first rounds warm caches
                    spent[name] += time.process_time() - started
                assert not result.errors and len(result.data["cases"]["edges"]) == min(20, args.cases), result.errors
    per = {name: spent[name] / args.rounds * 1000 for name in spent}
    print(f"cases(first: 20), {args.rounds} rounds, CPU ms per request:")
    for name, ms in per.items():
        print(f"  {name:<11} {ms:7.2f} ms")
    print(f"  strawberry / fast = {per['strawberry'] / per['fast']:.2f}x")


if __name__ == "__main__":
    main()
