"""Which error statuses each operation documents, decided once from the operation's shape.

Every operation of a service's own resources needs a caller, so may answer 401 and 403; one
with a body may answer 400, 413, 415; one with a path id, 404; a write, 409; one taking
``If-Match``, 412; any with input, 422; every one, 503 (``ERROR_RESPONSES``). This table is the
one place those statuses are documented; a route adds only what its shape cannot tell
(``responses=`` for an ``ETag`` header, say).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from multitrack_shared.http.auth import OPEN_PATHS
from multitrack_shared.http.errors import ErrorBody
from multitrack_shared.http.versions import IF_MATCH

Operation = dict[str, Any]

WRITES = frozenset({"post", "put", "patch", "delete"})


def needs_a_token(_: str, __: Operation) -> bool:
    """Every operation documented here: only ``OPEN_PATHS`` are served without a token."""
    return True


def has_body(_: str, operation: Operation) -> bool:
    return "requestBody" in operation


def has_path_id(_: str, operation: Operation) -> bool:
    return any(p.get("in") == "path" for p in operation.get("parameters", []))


def has_input(method: str, operation: Operation) -> bool:
    return has_body(method, operation) or bool(operation.get("parameters"))


def writes(method: str, _: Operation) -> bool:
    return method in WRITES


def takes_if_match(_: str, operation: Operation) -> bool:
    return any(
        p.get("in") == "header" and str(p.get("name", "")).lower() == IF_MATCH.lower()
        for p in operation.get("parameters", [])
    )


DOCUMENTED_ERRORS: tuple[tuple[int, str, Callable[[str, Operation], bool]], ...] = (
    (400, "The body is not well-formed JSON in UTF-8 (`malformed_json`).", has_body),
    (
        401,
        "No valid bearer token: missing, expired, not signed by the consortium's identity "
        "provider, or meant for another audience. `WWW-Authenticate` says so.",
        needs_a_token,
    ),
    (
        403,
        "The caller may not do this: a role too weak, or a record of another organization.",
        needs_a_token,
    ),
    (
        404,
        "No such record, or none the caller may see (`not_found`, or the rule's own code).",
        has_path_id,
    ),
    (
        409,
        "The record's state does not allow this, or another request changed it since this one "
        "read it (`concurrent_update`) or got there first (`conflicting_write`); nothing was "
        "written.",
        writes,
    ),
    (
        412,
        "`If-Match` names a version the record is no longer at (`precondition_failed`): "
        "nothing was written.",
        takes_if_match,
    ),
    (413, "The body is larger than the documented limit (`body_too_large`).", has_body),
    (415, "The body is not JSON (`unsupported_media_type`).", has_body),
    (422, "Invalid input or a broken rule; the body names the field and the rule.", has_input),
)
"""(status, what it means, which operations can answer it)."""


def document_errors(document: dict[str, Any]) -> dict[str, Any]:
    """Add each operation's error statuses to an OpenAPI ``document``, with the error body.

    Only operations of the service's own resources, recognised by their documented 503 outside
    ``OPEN_PATHS``, get them; health and the event catalogue keep their own answers. FastAPI's
    default 422 schema, replaced everywhere, is dropped from the components.
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    error_body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_body.pop("$defs", {}))
    schemas["ErrorBody"] = error_body
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for path, operations in document.get("paths", {}).items():
        if path in OPEN_PATHS:
            continue
        for method, operation in operations.items():
            responses = operation.get("responses", {})
            if "503" not in responses:
                continue
            responses.pop("422", None)
            for status, description, applies in DOCUMENTED_ERRORS:
                if applies(method, operation):
                    responses.setdefault(
                        str(status), {"description": description, "content": content}
                    )
            operation["responses"] = dict(sorted(responses.items()))
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document
