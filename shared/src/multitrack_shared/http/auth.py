"""Who is calling: the one dependency every operation takes, and its documentation.

A route names its caller with ``CallerDep`` (any authenticated caller) or with
``require_roles(...)`` (a caller holding one of the roles)::

    async def create_lesson(body: LessonCreate, caller: CallerDep, uow: UowDep) -> ...
    async def add_member(..., admin: Annotated[Principal, require_roles(Role.consortium_admin)])

The bearer token is verified by the runtime's ``TokenVerifier``; a missing, expired, forged or
foreign token answers 401 with the error body and ``WWW-Authenticate: Bearer``. The caller is
bound to the request's log lines and to its unit of work. ``OPEN_PATHS`` are the only paths
served to anyone; ``unguarded_operations`` finds an operation that forgot its caller, and
``protected_operations`` lists those a service's access tests must cover.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

import structlog
from fastapi import Depends, FastAPI, Request, Security
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from multitrack_shared.auth.policy import require_role
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.auth.tokens import TokenVerifier
from multitrack_shared.errors import DomainError, Unauthenticated, Unavailable

OPEN_PATHS = frozenset(
    {
        "/health",
        "/health/live",
        "/health/ready",
        "/docs",
        "/docs/oauth2-redirect",
        "/redoc",
        "/openapi.json",
        "/events/asyncapi.json",
        "/metrics",
    }
)
"""Served without a token: probes, the API and event documentation, metrics. Nothing else."""

_NOT_YET = object()
BEARER_SCHEME = "bearer"
OAUTH2_SCHEME = "oauth2"

_documented_bearer = HTTPBearer(
    scheme_name=BEARER_SCHEME,
    bearerFormat="JWT",
    description="An access token of the consortium's identity provider (audience multitrack).",
    auto_error=False,  # the token is read and refused below, with the error body
)


async def authenticated_caller(request: Request) -> Principal | None:
    """The caller the request's bearer token names, verified once per request; None without one.

    A token that does not verify raises ``Unauthenticated``. A service with no identity
    provider configured authenticates nobody: every request is anonymous there.
    """
    cached: Principal | object | None = getattr(request.state, "caller", _NOT_YET)
    if cached is None or isinstance(cached, Principal):
        return cached
    token = _bearer_token(request)
    verifier: TokenVerifier | None = request.app.state.runtime.verifier
    caller = None if token is None or verifier is None else await verifier.verify(token)
    if caller is not None:
        structlog.contextvars.bind_contextvars(
            subject=caller.subject, organization=caller.organization, client_id=caller.client_id
        )
    request.state.caller = caller
    return caller


async def caller_if_any(request: Request) -> Principal | None:
    """The verified caller, or None when the token is missing or does not verify (for what
    runs before the routes, which refuse such a request themselves)."""
    try:
        return await authenticated_caller(request)
    except DomainError:
        return None


async def current_principal(
    request: Request,
    _documented: Annotated[HTTPAuthorizationCredentials | None, Security(_documented_bearer)],
) -> Principal:
    caller = await authenticated_caller(request)
    if caller is not None:
        return caller
    if request.app.state.runtime.verifier is None:
        raise Unavailable(
            "This service has no identity provider configured.", code="authentication_unavailable"
        )
    raise Unauthenticated("This operation needs a bearer token.", code="token_missing")


CallerDep = Annotated[Principal, Depends(current_principal)]
"""The authenticated caller of an operation: 401 without a valid bearer token."""


def require_roles(role: Role, *more: Role) -> Any:
    """A dependency giving the caller when it holds one of the roles; 403 otherwise."""

    async def caller_holding_role(caller: CallerDep) -> Principal:
        require_role(caller, role, *more)
        return caller

    return Depends(caller_holding_role)


def needs_caller(app: FastAPI) -> bool:
    """Whether any of the app's operations takes a caller."""
    return any(caller for _, _, caller in _operations(app))


def protected_operations(app: FastAPI) -> list[str]:
    """``METHOD path`` of every operation outside ``OPEN_PATHS``: each must take a caller."""
    return sorted(
        f"{method} {path}"
        for path, methods, _ in _operations(app)
        if path not in OPEN_PATHS
        for method in methods
    )


def unguarded_operations(app: FastAPI) -> list[str]:
    """``METHOD path`` of every operation outside ``OPEN_PATHS`` that takes no caller."""
    return sorted(
        f"{method} {path}"
        for path, methods, caller in _operations(app)
        if path not in OPEN_PATHS and not caller
        for method in methods
    )


def operations_depending_on(app: FastAPI, dependency: Callable[..., Any]) -> set[str]:
    """``METHOD path`` of every operation that takes ``dependency``, however deep."""
    return {
        f"{method} {context.path}"
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and any(d.call is dependency for d in _dependencies(context.dependant))
        for method in context.methods or ()
    }


def _operations(app: FastAPI) -> Iterator[tuple[str, set[str], bool]]:
    """Path, methods and whether it takes a caller, of every operation, included ones too."""
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue  # the docs, the OpenAPI document: not operations
        dependant: Dependant = context.dependant
        caller = any(d.call is current_principal for d in _dependencies(dependant))
        yield str(context.path), set(context.methods or ()), caller


def declare_security(app: FastAPI, token_url: str) -> None:
    """OpenAPI: an operation taking a caller accepts a bearer token, or client credentials
    exchanged at ``token_url``, so that /docs' "Authorize" works either way."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes[OAUTH2_SCHEME] = {
            "type": "oauth2",
            "description": "Client credentials of a consortium client (a partner system, an "
            "integration); people sign in through the consortium's console.",
            "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": {}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                security = operation.get("security", [])
                if {BEARER_SCHEME: []} in security:
                    security.append({OAUTH2_SCHEME: []})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend it


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from _dependencies(dependency)
