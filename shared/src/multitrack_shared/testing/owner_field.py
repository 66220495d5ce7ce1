"""The owner of a new record while the services move it from the request body to the token.

A service that has adopted the access policy takes a new record's owner from the caller's
token and refuses an ``owner_org`` in the body (an unknown field); one that has not yet
requires it there. Clients that must work with both (the demo, the cross-service tests) send
it only where the operation's request schema, in the service's own OpenAPI document, still
lists it, and then as the organization the caller acts for: the record ends up with the same
owner either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OWNER_FIELD = "owner_org"


def lists_owner_field(openapi: Mapping[str, Any], path: str, method: str = "post") -> bool:
    """Whether the request body of ``method path`` in ``openapi`` has an ``owner_org``."""
    operation = openapi["paths"][path][method]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return OWNER_FIELD in schema.get("properties", {})


def with_owner(body: Mapping[str, Any], organization: str, *, listed: bool) -> dict[str, Any]:
    """``body`` with ``owner_org`` = ``organization`` if ``listed``, without it otherwise."""
    shaped = {name: value for name, value in body.items() if name != OWNER_FIELD}
    if listed:
        shaped[OWNER_FIELD] = organization
    return shaped
