"""The OpenAPI document: what a partner reading /docs relies on."""

from __future__ import annotations

from typing import Any

import pytest

from multitrack_invitations.bootstrap import InvitationsSettings
from multitrack_invitations.main import create_app


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    settings = InvitationsSettings(
        database_url="sqlite+aiosqlite:///:memory:", oidc_issuer="http://idp.example/realms/x"
    )
    return create_app(settings).openapi()


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, methods in spec["paths"].items()
        if path.startswith("/invitations")
        for method, operation in methods.items()
    ]


def request_schemas(spec: dict[str, Any]) -> set[str]:
    """Names of every schema a request body uses, nested ones included."""
    schemas = spec["components"]["schemas"]
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    walk(schemas[name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for _, _, operation in operations(spec):
        walk(operation.get("requestBody", {}))
    return found


def test_the_invitations_api_has_eight_operations_including_the_matching_lessons(
    spec: dict[str, Any],
) -> None:
    assert {(m, p) for m, p, _ in operations(spec)} == {
        ("post", "/invitations"),
        ("get", "/invitations"),
        ("get", "/invitations/summaries"),
        ("get", "/invitations/{invitation_id}"),
        ("put", "/invitations/{invitation_id}/assessment"),
        ("post", "/invitations/{invitation_id}/decision"),
        ("post", "/invitations/{invitation_id}/withdrawal"),
        ("get", "/invitations/{invitation_id}/lessons"),
    }


def test_every_route_has_a_summary_a_description_and_the_error_responses(
    spec: dict[str, Any],
) -> None:
    for method, path, operation in operations(spec):
        assert operation.get("summary"), (method, path)
        assert len(operation.get("description", "")) > 40, (method, path)
        expected = {"401", "403", "422", "429", "503"}
        if "{invitation_id}" in path:
            expected |= {"404"}
        if method in ("post", "put"):
            expected |= {"400", "409", "413", "415"}
        if method in ("post", "put") and "{invitation_id}" in path:
            expected |= {"412"}  # a change of an existing invitation takes If-Match
        errors = {status for status in operation["responses"] if status >= "400"}
        assert errors == expected, (method, path)


def test_every_field_of_every_request_body_has_an_example(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    inputs = {name for name in request_schemas(spec) if "properties" in schemas[name]}

    assert {"InvitationCreate", "InviterIn", "ConflictIn", "AssessmentCreate"} <= inputs
    missing = [
        f"{name}.{field}"
        for name in inputs
        for field, prop in schemas[name]["properties"].items()
        if not prop.get("examples")
    ]
    assert missing == []


def test_every_search_parameter_is_documented_with_an_example(spec: dict[str, Any]) -> None:
    parameters = spec["paths"]["/invitations"]["get"]["parameters"]

    names = {p["name"] for p in parameters}
    assert {"region", "conflict_type", "phase", "inviter_side"} <= names
    assert [p["name"] for p in parameters if not _has_example(p)] == []


def _has_example(parameter: dict[str, Any]) -> bool:
    schema = parameter.get("schema", {})
    options = [schema, *schema.get("anyOf", [])]
    return bool(parameter.get("examples") or any(o.get("examples") for o in options))
