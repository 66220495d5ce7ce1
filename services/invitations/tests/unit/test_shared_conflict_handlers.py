"""An invitation naming a shared conflict, on in-memory fakes: the conflict must be one the
read model knows, that the caller may see, in the invitation's country; a conflict event keeps
the read model as the conflict now is."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from multitrack_invitations.application.invitations import receive_invitation
from multitrack_invitations.application.projections import on_conflict_changed
from multitrack_invitations.domain.conflicts import KnownConflict
from multitrack_shared.errors import DomainError
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.conflicts import ConflictRegistered, ConflictRevised
from multitrack_shared.events.invitations import InvitationReceivedV2

from ..fakes import FakeInvitationsUnitOfWork
from .test_invitation_handlers import CONFLICT, COORDINATOR, clock, receiving

pytestmark = pytest.mark.unit

AT = datetime(2025, 2, 1, tzinfo=UTC)


def known(conflict_id: str, **changes: object) -> KnownConflict:
    fields: dict[str, object] = {
        "conflict_id": conflict_id,
        "owner_org": "org-b",
        "visibility": "consortium",
        "name": "Montes de María land conflict",
        "country": CONFLICT.country,
        "changed_at": AT,
    }
    return KnownConflict(**{**fields, **changes})  # type: ignore[arg-type]


async def test_an_invitation_naming_a_known_conflict_publishes_it_received_with_it() -> None:
    uow = FakeInvitationsUnitOfWork()
    await uow.conflicts.put(known("c-1"))

    view = await receive_invitation(
        receiving(conflict=replace(CONFLICT, conflict_id="c-1")), COORDINATOR, uow, clock
    )

    assert view.invitation.conflict.conflict_id == "c-1"
    (event,) = uow.published
    assert isinstance(event, InvitationReceivedV2)
    assert event.conflict.conflict_id == "c-1"


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        (None, "unknown_conflict"),
        (known("c-1", visibility="owner"), "unknown_conflict"),
        (known("c-1", country="KE"), "conflict_elsewhere"),
    ],
)
async def test_an_unknown_hidden_or_elsewhere_conflict_refuses_the_invitation(
    stored: KnownConflict | None, code: str
) -> None:
    uow = FakeInvitationsUnitOfWork()
    if stored is not None:
        await uow.conflicts.put(stored)

    with pytest.raises(DomainError) as refused:
        await receive_invitation(
            receiving(conflict=replace(CONFLICT, conflict_id="c-1")), COORDINATOR, uow, clock
        )

    assert refused.value.code == code
    assert uow.nothing_committed


async def test_conflict_events_keep_the_read_model_as_the_conflict_now_is() -> None:
    uow = FakeInvitationsUnitOfWork()
    common: dict[str, Any] = {
        "conflict_id": "c-1",
        "ownership": Ownership(owner_org="org-b", visibility=Visibility.owner),
        "name": "Montes de María",
    }

    registered = ConflictRegistered(**common, country="KE", registered_at=AT)
    revised = ConflictRevised(**common, country="CO", revised_at=AT)

    await uow.consume(on_conflict_changed, registered)
    await uow.consume(on_conflict_changed, revised)

    assert await uow.conflicts.get("c-1") == known(
        "c-1", visibility="owner", name="Montes de María", country="CO"
    )
