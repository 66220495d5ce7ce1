"""Entity tags over HTTP: ``ETag`` on what a route answers, ``If-Match`` on what it writes.

A route that reads or writes one record tags its answer::

    @router.get("/{invitation_id}", responses=TAGGED)
    async def read(invitation_id: str, uow: UowDep, response: Response) -> InvitationPublic:
        view = await handlers.get_invitation(invitation_id, uow)
        tag(response, view.invitation.id, view.invitation.version)

and a route that changes an existing record also takes ``if_match: IfMatch`` and hands it to
its command, whose handler checks it against the record it read (``Precondition.check``).
A missing ``If-Match`` is allowed: the version check on save still stops a lost update. The
412 such a route may answer is documented from the header it takes (``http.openapi``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Depends, Header, Response

from multitrack_shared.versioning import ANY_VERSION, Precondition, entity_tag

IF_MATCH = "If-Match"
_TAG = re.compile(r'(?:W/)?"[^"]*"')

_ETAG_HEADER = {
    "ETag": {
        "description": 'The record\'s strong entity tag, `"<id>.<version>"`; send it back in '
        "`If-Match` to write only over this version.",
        "schema": {"type": "string", "examples": ['"0b8e8f4e-5b7a-4c1e-9d55-8a0f6a2f1c3d.2"']},
    }
}


def tagged(status: int = 200) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of an operation answering one record with its ``ETag``."""
    return {status: {"headers": _ETAG_HEADER}}


TAGGED = tagged()


def if_match(
    value: Annotated[
        str | None,
        Header(
            alias=IF_MATCH,
            description="Write only if the record is still at this entity tag (its `ETag`); "
            "412 otherwise. `*` or no header: whatever its version.",
            examples=['"0b8e8f4e-5b7a-4c1e-9d55-8a0f6a2f1c3d.2"'],
        ),
    ] = None,
) -> Precondition:
    if value is None or value.strip() == "*":
        return ANY_VERSION
    # A weak tag never matches: If-Match compares strongly. Anything unreadable matches none.
    return Precondition(frozenset(_TAG.findall(value)))


IfMatch = Annotated[Precondition, Depends(if_match)]


def tag(response: Response, record_id: str, version: int) -> None:
    """Answer with the entity tag of ``record_id`` at ``version``."""
    response.headers["ETag"] = entity_tag(record_id, version)
