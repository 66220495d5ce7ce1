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
from multitrack_shared.http.idempotency import HEADER as IDEMPOTENCY_KEY
from multitrack_shared.http.idempotency import KEY_PATTERN
from multitrack_shared.http.versions import IF_MATCH

Operation = dict[str, Any]

WRITES = frozenset({"post", "put", "patch", "delete"})

IDEMPOTENCY_KEY_PARAMETER: dict[str, Any] = {
    "name": IDEMPOTENCY_KEY,
    "in": "header",
    "required": False,
    "description": "Makes a retry safe: the same key with the same body answers the first "
    "answer again (status, body, `ETag`, `Location`; `Idempotent-Replayed: true`) and writes "
    "nothing more; with another body, 422 `idempotency_key_reused`. Keys belong to the "
    "caller's organization (or client) and to the operation, and are kept for "
    "`MULTITRACK_IDEMPOTENCY_HOURS` (24 by default). A UUID is a good key.",
    "schema": {"type": "string", "pattern": KEY_PATTERN},
    "example": "5f1c2d9e-7b4a-4f0e-9a61-3c2b8d7e4a10",
}
"""The IETF draft's header, on every POST and PUT that writes through a unit of work."""

RETRY_AFTER = {
    "description": "Seconds to wait before a request can be let through.",
    "schema": {"type": "integer", "minimum": 1},
}


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


def takes_idempotency_key(_: str, operation: Operation) -> bool:
    return any(p.get("name") == IDEMPOTENCY_KEY for p in operation.get("parameters", []))


DOCUMENTED_ERRORS: tuple[tuple[int, str, Callable[[str, Operation], bool]], ...] = (
    (400, "The body is not well-formed JSON in UTF-8 (`malformed_json`).", has_body),
    (
        400,
        "`Idempotency-Key` is not 1 to 255 printable ASCII characters (`idempotency_key_invalid`).",
        takes_idempotency_key,
    ),
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
        409,
        "With an `Idempotency-Key`: a request with that key is still being done "
        "(`request_in_progress`), or was done but its answer held a secret, not kept "
        "(`answer_not_kept`).",
        takes_idempotency_key,
    ),
    (
        412,
        "`If-Match` names a version the record is no longer at (`precondition_failed`): "
        "nothing was written.",
        takes_if_match,
    ),
    (413, "The body is larger than the documented limit (`body_too_large`).", has_body),
    (415, "The body is not JSON (`unsupported_media_type`).", has_body),
    (
        422,
        "Invalid input or a broken rule; the body names the field and the rule. With an "
        "`Idempotency-Key` already sent with another body: `idempotency_key_reused`.",
        has_input,
    ),
    (
        429,
        "Too many requests from the caller's client or organization (`rate_limited`); "
        "`Retry-After` gives the seconds to wait.",
        needs_a_token,
    ),
)
"""(status, what it means, which operations can answer it)."""


def document_idempotency_keys(document: dict[str, Any], writes: set[str]) -> dict[str, Any]:
    """Add the ``Idempotency-Key`` header to each POST and PUT of ``writes`` (``METHOD path``,
    the operations whose unit of work commits with the key's answer)."""
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method in ("post", "put") and f"{method.upper()} {path}" in writes:
                operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY_PARAMETER))
    return document


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
            reasons: dict[str, list[str]] = {}
            for status, description, applies in DOCUMENTED_ERRORS:
                if applies(method, operation) and str(status) not in responses:
                    reasons.setdefault(str(status), []).append(description)
            for code, descriptions in reasons.items():
                responses[code] = {"description": " ".join(descriptions), "content": content}
            if "429" in responses:
                responses["429"]["headers"] = {"Retry-After": RETRY_AFTER}
            operation["responses"] = dict(sorted(responses.items()))
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document
