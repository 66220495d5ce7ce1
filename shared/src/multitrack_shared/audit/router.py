"""``GET /audit``: a service's audit entries, for consortium admins only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Table

from multitrack_shared.audit.trail import MAX_PAGE, AuditQuery, read_audit
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.http.auth import require_roles
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Position
from multitrack_shared.validation import Name, RecordId


class AuditEntryPublic(BaseModel):
    seq: int = Field(description="Position in this service's audit log; pages continue after it.")
    at: datetime = Field(description="When the change was committed (UTC).")
    record_type: str = Field(description="Kind of record changed.", examples=["invitation"])
    record_id: str = Field(description="Id of the record changed.")
    action: str = Field(
        description="What was done: the event type published, or the change recorded.",
        examples=["multitrack.invitation.accepted.v1"],
    )
    actor_kind: str = Field(description="person, client, service (an event applied) or anonymous.")
    actor_subject: str | None = Field(description="The identity provider's id of the actor.")
    actor_organization: str | None = Field(description="The organization the actor acted for.")
    actor_client: str | None = Field(description="The client the actor's token was issued to.")
    request_id: str | None = Field(
        description="The request's X-Request-ID, or the id of the event the service applied."
    )
    event_id: str | None = Field(description="The event the change published, if any.")


class AuditPage(BaseModel):
    entries: list[AuditEntryPublic] = Field(description="Oldest first.")
    next_after: int | None = Field(
        description="Pass as `after` for the next page; null when this page is the last."
    )


def audit_router(table: Table) -> APIRouter:
    router = APIRouter(tags=["audit"])

    @router.get(
        "/audit",
        summary="Who changed what, when (consortium admins)",
        responses=ERROR_RESPONSES,
    )
    async def audit_entries(
        request: Request,
        _admin: Annotated[Principal, require_roles(Role.consortium_admin)],
        record_id: Annotated[
            RecordId | None, Query(description="Only this record's entries.")
        ] = None,
        organization: Annotated[
            Name | None,
            Query(description="Only changes made by this organization's actors."),
        ] = None,
        after: Annotated[
            Position | None, Query(description="Only entries after this seq (paging).")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 50,
    ) -> AuditPage:
        query = AuditQuery(record_id, organization, after, limit)
        async with request.app.state.runtime.engine.connect() as connection:
            entries = await read_audit(connection, table, query)
        return AuditPage(
            entries=[AuditEntryPublic.model_validate(e, from_attributes=True) for e in entries],
            next_after=entries[-1].seq if len(entries) == limit else None,
        )

    return router
