"""Which error statuses each operation documents, decided once from the operation's shape.

An operation with a body may answer 400, 413, 415; one with a path id, 404; a write, 409;
any with input, 422; every one, 503 (``ERROR_RESPONSES``). Identity will add 401 and 403: one
line each in ``DOCUMENTED_ERRORS``. A route may still document more itself (``responses=``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from multitrack_shared.http.errors import ErrorBody

Operation = dict[str, Any]

WRITES = frozenset({"post", "put", "patch", "delete"})


def has_body(_: str, operation: Operation) -> bool:
    return "requestBody" in operation


def has_path_id(_: str, operation: Operation) -> bool:
    return any(p.get("in") == "path" for p in operation.get("parameters", []))


def has_input(method: str, operation: Operation) -> bool:
    return has_body(method, operation) or bool(operation.get("parameters"))


def writes(method: str, _: Operation) -> bool:
    return method in WRITES


DOCUMENTED_ERRORS: tuple[tuple[int, str, Callable[[str, Operation], bool]], ...] = (
    (400, "The body is not well-formed JSON in UTF-8 (`malformed_json`).", has_body),
    (404, "No such record (`not_found`, or the rule's own code).", has_path_id),
    (
        409,
        "The record's state does not allow this, or another request changed it first "
        "(`conflicting_write`).",
        writes,
    ),
    (413, "The body is larger than the documented limit (`body_too_large`).", has_body),
    (415, "The body is not JSON (`unsupported_media_type`).", has_body),
    (422, "Invalid input or a broken rule; the body names the field and the rule.", has_input),
)
"""(status, what it means, which operations can answer it)."""


def document_errors(document: dict[str, Any]) -> dict[str, Any]:
    """Add each operation's error statuses to an OpenAPI ``document``, with the error body.

    Only operations of the service's own resources, recognised by their documented 503, get
    them; health and the event catalogue keep their own answers. FastAPI's default 422 schema,
    replaced everywhere, is dropped from the components.
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    error_body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_body.pop("$defs", {}))
    schemas["ErrorBody"] = error_body
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for operations in document.get("paths", {}).values():
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
