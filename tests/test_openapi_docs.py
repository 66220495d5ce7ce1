"""Each service's OpenAPI documents every resource, with examples and the error body."""

from __future__ import annotations

from typing import Any

import pytest

from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.processes import SERVICES


@pytest.fixture(autouse=True)
def identity_provider(keycloak: IdentityProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    """A service whose operations take a caller is built only with the issuer it trusts."""
    monkeypatch.setenv("MULTITRACK_OIDC_ISSUER", keycloak.issuer.url)


def spec_of(service: str) -> dict[str, Any]:
    module = __import__(f"multitrack_{service}.main", fromlist=["create_app"])
    return dict(module.create_app().openapi())


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def has_examples(spec: dict[str, Any], schema: dict[str, Any], seen: set[str]) -> bool:
    if "examples" in schema or "example" in schema:
        return True
    ref = schema.get("$ref")
    if ref:
        if ref in seen:
            return False
        return has_examples(spec, resolve(spec, schema), seen | {ref})
    nested = [
        *schema.get("properties", {}).values(),
        *schema.get("anyOf", []),
        *schema.get("allOf", []),
    ]
    if "items" in schema:
        nested.append(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        nested.append(schema["additionalProperties"])
    return any(has_examples(spec, s, seen) for s in nested)


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_has_a_summary_and_documents_the_error_body(service: str) -> None:
    spec = spec_of(service)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{service} {method} {path} has no summary"
            if path.startswith(("/health", "/events", "/metrics")):
                continue
            responses = operation["responses"]
            errors = [responses[status] for status in responses if status >= "400"]
            assert errors, f"{service} {method} {path}: no error documented"
            for error in errors:
                schema = error["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in responses, f"{service} {method} {path}: no 422"


@pytest.mark.parametrize("service", SERVICES)
def test_every_request_body_carries_examples(service: str) -> None:
    spec = spec_of(service)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body is None:
                continue
            schema = body["content"]["application/json"]["schema"]
            assert has_examples(spec, schema, set()), f"{service} {method} {path}: no examples"


CONDITIONAL_WRITES = {
    "invitations": {
        ("put", "/invitations/{invitation_id}/assessment"),
        ("post", "/invitations/{invitation_id}/decision"),
        ("post", "/invitations/{invitation_id}/withdrawal"),
    },
    "engagements": {
        ("post", "/engagements/{engagement_id}/status"),
        ("post", "/engagements/{engagement_id}/extension"),
        ("put", "/engagements/{engagement_id}/exit-plan"),
        ("put", "/engagements/{engagement_id}/conflict"),
        ("put", "/conflicts/{conflict_id}"),
        ("post", "/engagements/{engagement_id}/harm-register/{entry_id}/review"),
    },
    "partners": {
        ("put", "/partners/{partner_id}"),
        ("post", "/partnerships/{partnership_id}/end"),
        ("post", "/subscriptions/{subscription_id}/enable"),
        ("post", "/subscriptions/{subscription_id}/disable"),
    },
    "evaluation": {
        ("put", "/lessons/{lesson_id}"),
        ("post", "/lessons/{lesson_id}/retirement"),
        ("put", "/reference/{kind}/{code}"),
    },
}
"""The writes that change an existing record: each takes If-Match. A new PUT, PATCH or DELETE
must join them (the test below fails until it does)."""


def takes_if_match(operation: dict[str, Any]) -> bool:
    return any(
        p["in"] == "header" and p["name"].lower() == "if-match"
        for p in operation.get("parameters", [])
    )


def answers_etag(operation: dict[str, Any]) -> bool:
    success = next(code for code in operation["responses"] if code.startswith("2"))
    return "ETag" in operation["responses"][success].get("headers", {})


@pytest.mark.parametrize("service", SERVICES)
def test_writes_on_an_existing_record_take_if_match_and_document_412_and_the_new_etag(
    service: str,
) -> None:
    spec = spec_of(service)
    conditional = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if takes_if_match(operation):
                conditional.add((method, path))
                assert "412" in operation["responses"], f"{service} {method} {path}: no 412"
                assert "409" in operation["responses"], f"{service} {method} {path}: no 409"
                assert answers_etag(operation), f"{service} {method} {path}: no ETag"
            elif method in {"put", "patch", "delete"}:
                raise AssertionError(f"{service} {method} {path} takes no If-Match")
    assert conditional == CONDITIONAL_WRITES[service]


@pytest.mark.parametrize("service", SERVICES)
def test_every_read_of_one_record_documents_its_etag(service: str) -> None:
    spec = spec_of(service)
    for path, operations in spec["paths"].items():
        read = operations.get("get")
        if read is None or not path.endswith("}"):
            continue  # a collection, or a view computed from several records
        if path.startswith("/operations/"):
            continue  # an operator's view of the messaging, not a record that changes by version
        schema = read["responses"]["200"]["content"]["application/json"]["schema"]
        if resolve(spec, schema).get("type") == "array":
            continue  # a list, such as one kind of reference data
        assert answers_etag(read), f"{service} GET {path}: no ETag"
