"""OpenAPI links from each create call to the operations on what it created.

``POST /partners`` answers 201 with the partner, whose ``id`` is the ``{partner_id}`` of
``GET /partners/{partner_id}``, ``PUT`` on it and so on; ``POST
/engagements/{engagement_id}/analyses`` answers with a ``version``, the ``{version}`` of
``GET /engagements/{engagement_id}/analyses/{version}``. Written into the document from its own
paths and schemas, so a client (or a stateful fuzzer) can follow them and no route repeats them.
When the create call answers an ``ETag`` and the operation takes ``If-Match``, the link sends
the one back in the other: a write over the version just created.
"""

from __future__ import annotations

import re
from typing import Any

from multitrack_shared.http.openapi import takes_if_match
from multitrack_shared.http.versions import IF_MATCH

_PARAMETER = re.compile(r"\{([^}]+)\}")


def link_created_resources(document: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = document.get("paths", {})
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        if created is None:
            continue
        fields = _response_fields(document, created)
        tagged = "ETag" in created.get("headers", {})
        links = {
            operation["operationId"]: {
                "operationId": operation["operationId"],
                "parameters": wiring | (_precondition(method, operation) if tagged else {}),
            }
            for target, target_operations in paths.items()
            for method, operation in target_operations.items()
            if "operationId" in operation and (wiring := _wiring(path, target, fields)) is not None
        }
        if links:
            created["links"] = links
    return document


def _wiring(source: str, target: str, fields: set[str]) -> dict[str, str] | None:
    """How each path parameter of ``target`` is filled after a create at ``source``, or None
    when ``target`` is not below what ``source`` created."""
    prefix = f"{source}/{{"
    if not target.startswith(prefix):
        return None
    new, *_ = _PARAMETER.findall(target[len(source) :])
    if new in fields:
        created_from = f"$response.body#/{new}"
    elif new.endswith("_id") and "id" in fields:
        created_from = "$response.body#/id"
    else:
        return None
    known = _PARAMETER.findall(source)
    later = [name for name in _PARAMETER.findall(target) if name not in known and name != new]
    if later:  # a second new parameter: nothing the create answered says what it is
        return None
    return {new: created_from} | {name: f"$request.path.{name}" for name in known}


def _precondition(method: str, operation: dict[str, Any]) -> dict[str, str]:
    if not takes_if_match(method, operation):
        return {}
    return {f"header.{IF_MATCH}": "$response.header.ETag"}


def _response_fields(document: dict[str, Any], response: dict[str, Any]) -> set[str]:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    schemas = document.get("components", {}).get("schemas", {})
    while "$ref" in schema:
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return set(schema.get("properties", {}))
