"""Use cases of the engagements service. Opening happens only here, from an accepted invitation."""

from __future__ import annotations

from multitrack_engagements.application.ports import EngagementFilter, EngagementsUoW
from multitrack_engagements.domain.model import ConflictDescription, Engagement
from multitrack_shared.errors import NotFound
from multitrack_shared.events import engagements as events
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.invitations import InvitationAccepted


async def on_invitation_accepted(event: InvitationAccepted, uow: EngagementsUoW) -> None:
    """Open the engagement the accepted invitation calls for. The caller commits.

    The consumer runtime runs this inside its unit of work, together with the inbox row.
    """
    engagement = Engagement.open_from_invitation(
        invitation_id=event.invitation_id,
        owner_org=event.ownership.owner_org,
        visibility=event.ownership.visibility.value,
        purpose=event.support_requested,
        conflict=ConflictDescription(**event.conflict.model_dump()),
        inviter_track=event.inviter.track,
        commitment_years=event.commitment_years,
        accepted_at=event.accepted_at,
    )
    if await uow.engagements.get(engagement.id) is not None:
        return
    await uow.engagements.add(engagement)
    uow.publish(
        events.EngagementOpened(
            engagement_id=engagement.id,
            invitation_id=engagement.invitation_id,
            ownership=Ownership(
                owner_org=engagement.owner_org, visibility=Visibility(engagement.visibility)
            ),
            conflict=ConflictContext(**event.conflict.model_dump()),
            inviter_track=engagement.inviter_track,
            start_date=engagement.start_date,
            committed_until=engagement.committed_until,
            opened_at=engagement.opened_at,
        )
    )


async def get_engagement(engagement_id: str, uow: EngagementsUoW) -> Engagement:
    async with uow:
        engagement = await uow.engagements.get(engagement_id)
    if engagement is None:
        raise NotFound(f"no engagement {engagement_id}", field="engagement_id")
    return engagement


async def search_engagements(where: EngagementFilter, uow: EngagementsUoW) -> list[Engagement]:
    async with uow:
        return await uow.engagements.search(where)
