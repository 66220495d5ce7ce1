"""Error bodies: ``{"error": {"code", "message", "fields": [{"field", "rule", "message"}]}}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError, OperationalError

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
    status: {"model": ErrorBody, "description": text}
    for status, text in {
        401: "No valid bearer token: missing, expired, not signed by the consortium's identity "
        "provider, or meant for another audience. `WWW-Authenticate` says so.",
        403: "The caller may not do this: a role too weak, or a record of another organization.",
        404: "Not found, or not visible to the caller.",
        409: "The record's state does not allow this, or another request changed it since "
        "this one read it (`concurrent_update`); nothing was written.",
        413: "Body larger than the documented limit.",
        422: "Invalid input or a broken rule; the body names the field.",
        503: "The database or the identity provider is unavailable; nothing was written, "
        "retry later.",
    }.items()
}


def error_response(
    status: int, code: str, message: str, fields: list[FieldProblem]
) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, fields=fields))
    return JSONResponse(status_code=status, content=body.model_dump())


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            FieldProblem(
                # pydantic marks a bad dict key with a "[key]" step; the key itself names it.
                field=".".join(str(part) for part in err.get("loc", ()) if part != "[key]"),
                rule=str(err.get("type", "invalid")),
                message=str(err.get("msg", "invalid")),
            )
            for err in exc.errors()
        ]
        names = ", ".join(p.field for p in problems)
        return error_response(422, "validation_error", f"Invalid input: {names}", problems)

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError) -> JSONResponse:
        # Nothing was committed, so nothing was accepted: the client may retry as it is.
        response = error_response(
            503, "database_unavailable", "The database is unavailable; nothing was written.", []
        )
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(IntegrityError)
    async def _concurrent_write(_: Request, exc: IntegrityError) -> JSONResponse:
        # A uniqueness rule the database enforces: another request got there first.
        return error_response(
            409, "conflicting_write", "Another request changed this record first; retry.", []
        )

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        fields = (
            [FieldProblem(field=exc.field, rule=exc.code, message=exc.message)] if exc.field else []
        )
        response = error_response(exc.status_code, exc.code, exc.message, fields)
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
