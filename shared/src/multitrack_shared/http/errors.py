"""Error bodies: ``{"error": {"code", "message", "fields": [{"field", "rule", "message"}]}}``.

Every refusal a service gives, whoever gives it (a rule of the domain, request validation, the
framework's routing, the body checks in front of the app), has this body and a stable code.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from multitrack_shared.db.errors import CommitInDoubt
from multitrack_shared.db.errors import database_unavailable as is_outage
from multitrack_shared.errors import DomainError, Unauthenticated, Unavailable

REALM = "multitrack"


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. body.inviter.track.")
    rule: str = Field(description="Machine-readable rule that failed, e.g. missing, enum.")
    message: str = Field(description="Human-readable explanation.")


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable error code.")
    message: str = Field(description="Human-readable summary.")
    fields: list[FieldProblem] = Field(default_factory=list)


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {
        "model": ErrorBody,
        "description": "The database or the identity provider is unavailable: nothing was "
        "written, retry later (`database_unavailable`, `identity_provider_unavailable`). Or "
        "the database's link failed during the commit, which may have been kept: retry with "
        "the same Idempotency-Key to learn the outcome (`commit_outcome_unknown`).",
    }
}
"""What every operation of a service may answer; ``http.openapi`` adds, per operation, the
statuses its shape allows (400, 401, 403, 404, 409, 412, 413, 415, 422)."""

MALFORMED_JSON = "malformed_json"
UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"

# Codes of the refusals the framework gives before a route runs.
_FRAMEWORK_CODES = {
    400: MALFORMED_JSON,
    404: "not_found",
    405: "method_not_allowed",
    415: UNSUPPORTED_MEDIA_TYPE,
}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: list[FieldProblem],
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, fields=fields))
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


def malformed_json(reason: str) -> JSONResponse:
    return error_response(
        400,
        MALFORMED_JSON,
        "The body is not well-formed JSON.",
        [FieldProblem(field="body", rule=MALFORMED_JSON, message=reason)],
    )


def unsupported_media_type(sent: str | None) -> JSONResponse:
    return error_response(
        415,
        UNSUPPORTED_MEDIA_TYPE,
        f"The body must be JSON (application/json), not {sent or 'of no stated type'}.",
        [
            FieldProblem(
                field="header.content-type",
                rule=UNSUPPORTED_MEDIA_TYPE,
                message="application/json, or a +json type, in UTF-8",
            )
        ],
    )


def database_unavailable() -> JSONResponse:
    # Nothing was committed, so nothing was accepted: the client may retry as it is.
    return error_response(
        503,
        "database_unavailable",
        "The database is unavailable; nothing was written.",
        [],
        {"Retry-After": "5"},
    )


def commit_outcome_unknown() -> JSONResponse:
    return error_response(
        503,
        "commit_outcome_unknown",
        "The link to the database failed while the write was being committed: it may have "
        "been kept. Retry with the same Idempotency-Key to learn the outcome, or read the "
        "record before writing it again.",
        [],
        {"Retry-After": "5"},
    )


def allowed_methods(request: Request) -> str:
    """The methods the OpenAPI document lists for the requested path, for an ``Allow`` header.

    Starlette names only the methods of the first route matching the path, and a path can have
    several. A route left out of the document exists only to explain a refusal: not listed.
    """
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    methods = {
        method.upper()
        for template, operations in paths.items()
        if _template(template).fullmatch(request.scope["path"])
        for method in operations
        if method in _HTTP_METHODS
    }
    return ", ".join(sorted(methods))


_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


@cache
def _template(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)))


def _problems(exc: RequestValidationError) -> list[FieldProblem]:
    return [
        FieldProblem(
            # pydantic marks a bad dict key with a "[key]" step; the key itself names it.
            field=".".join(str(part) for part in err.get("loc", ()) if part != "[key]"),
            rule=str(err.get("type", "invalid")),
            message=str(err.get("msg", "invalid")),
        )
        for err in exc.errors()
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = _problems(exc)
        unreadable = [p for p in problems if p.rule == "json_invalid"]
        if unreadable:  # the body checks in front of the app normally answer first
            return malformed_json(unreadable[0].message)
        names = ", ".join(p.field for p in problems)
        return error_response(422, "validation_error", f"Invalid input: {names}", problems)

    @app.exception_handler(HTTPException)
    async def _framework(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 400:
            return malformed_json(str(exc.detail))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        code = _FRAMEWORK_CODES.get(exc.status_code, f"http_{exc.status_code}")
        return error_response(exc.status_code, code, str(exc.detail), [], headers)

    @app.exception_handler(CommitInDoubt)
    async def _commit_in_doubt(_: Request, exc: CommitInDoubt) -> JSONResponse:
        return commit_outcome_unknown()

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError) -> JSONResponse:
        return database_unavailable()

    @app.exception_handler(DBAPIError)
    async def _database_going(request: Request, exc: DBAPIError) -> JSONResponse:
        # A server shutting down or starting, or a connection lost, is an outage like any
        # other; any other driver error is a fault of the service and stays a 500.
        if is_outage(exc):
            return database_unavailable()
        raise exc

    @app.exception_handler(ConnectionError)
    async def _database_unreachable(_: Request, exc: ConnectionError) -> JSONResponse:
        # The driver opens connections itself and lets a refused one through unwrapped.
        return database_unavailable()

    @app.exception_handler(IntegrityError)
    async def _concurrent_write(_: Request, exc: IntegrityError) -> JSONResponse:
        # A uniqueness rule the database enforces: another request got there first.
        return error_response(
            409, "conflicting_write", "Another request changed this record first; retry.", []
        )

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        fields = (
            [FieldProblem(field=exc.field, rule=exc.code, message=exc.message)] if exc.field else []
        )
        headers = {"Allow": allowed_methods(request)} if exc.status_code == 405 else None
        response = error_response(exc.status_code, exc.code, exc.message, fields, headers)
        if isinstance(exc, Unauthenticated):
            response.headers["WWW-Authenticate"] = bearer_challenge(exc)
        if isinstance(exc, Unavailable):
            response.headers["Retry-After"] = "5"
        return response


def bearer_challenge(exc: Unauthenticated) -> str:
    """RFC 6750: no error code when no token came; ``invalid_token`` for one that failed."""
    if not exc.token_presented:
        return f'Bearer realm="{REALM}"'
    printable = exc.message.encode("ascii", "replace").decode("ascii")
    description = printable.replace("\\", "").replace('"', "'")
    return f'Bearer realm="{REALM}", error="invalid_token", error_description="{description}"'
