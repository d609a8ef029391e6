"""The OpenAPI description is the contract: schemathesis (its default checks) generates
requests from `/openapi.json` of the real server and checks every answer: no 5xx, no status
the description does not list, every body matching its schema, auth enforced. Bounded: a few
dozen examples per operation.

`positive_data_acceptance` is left out: a schema cannot say "a decodable recording", "a URL
that resolves to a public address" or "a cursor this server issued", so schema-valid requests
are rightly refused with a documented 400."""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance


EXAMPLES_PER_OPERATION = 30


@pytest.fixture(scope="module")
def contract_key(server):
    return server.create_key()["api_key"]


def run_operation(operation, mode, base_url: str, key: str) -> str | None:
    """Up to EXAMPLES_PER_OPERATION generated requests; the first failure, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def check(case):
        case.call_and_validate(base_url=base_url, headers={"Authorization": f"Bearer {key}"},
                               excluded_checks=[positive_data_acceptance])

    try:
        check()
    except Exception as exc:  # one failure of this operation, reported with all the others
        return f"{type(exc).__name__}: {str(exc)[:1500]}"
    return None


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_matches_its_description(server, contract_key, mode):
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    failures, operations = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        failure = run_operation(operation, mode, server.url, contract_key)
        if failure:
            failures[operation.label] = failure
    assert operations >= 9
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())


def test_docs_work_offline(server):
    """Swagger UI's assets come from this server, not a CDN."""
    page = httpx.get(server.url + "/docs")
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert httpx.get(f"{server.url}/docs/assets/{asset}").status_code == 200


def test_description_declares_auth_and_no_422(server):
    spec = httpx.get(server.url + "/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"] == {**spec["components"]["securitySchemes"]["bearer"],
                                                                "type": "http", "scheme": "bearer"}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert "422" not in op["responses"], (method, path)
            assert op["security"] == [{"bearer": []}], (method, path)
            errors = [s for s in op["responses"] if s[0] in "45"]
            assert errors and all(op["responses"][s]["content"]["application/json"]["schema"]["$ref"]
                                  == "#/components/schemas/Error" for s in errors)
    create = spec["paths"]["/v1/transcripts"]["post"]["requestBody"]["content"]
    assert set(create) == {"multipart/form-data", "application/json", "application/x-www-form-urlencoded"}
    assert {p["name"] for p in spec["paths"]["/v1/transcripts"]["get"]["parameters"]} == {
        "limit", "cursor", "status", "created_after", "created_before"}
