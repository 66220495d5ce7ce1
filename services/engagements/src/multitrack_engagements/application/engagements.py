"""Use cases on the engagement itself. Opening happens only here, from an accepted invitation."""

from __future__ import annotations

from dataclasses import dataclass, replace

from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.lookup import listening_summary, require_engagement
from multitrack_engagements.application.ports import EngagementFilter, EngagementsUoW
from multitrack_engagements.domain.health import CommitmentHealth, commitment_health, quiet_cutoff
from multitrack_engagements.domain.model import (
    ClosingReason,
    ConflictDescription,
    Engagement,
    Status,
)
from multitrack_shared.events import engagements as events
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.invitations import InvitationAccepted
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class EngagementView:
    engagement: Engagement
    health: CommitmentHealth


@dataclass(frozen=True)
class ChangeStatus:
    engagement_id: str
    to: Status
    reason: ClosingReason | None = None
    note: str | None = None


async def on_invitation_accepted(event: InvitationAccepted, uow: EngagementsUoW) -> None:
    """Open the engagement the accepted invitation calls for. The caller commits.

    Idempotent by the engagement's derived id: a redelivery or a replay publishes nothing and
    only recomputes the engagement's deliveries (a read model, rebuilt by a replay).
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
    existing = await uow.engagements.get(engagement.id)
    if existing is not None:
        await refresh_engagement(uow, existing)
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
            purpose=engagement.purpose,
            inviter_track=engagement.inviter_track,
            start_date=engagement.start_date,
            committed_until=engagement.committed_until,
            opened_at=engagement.opened_at,
        )
    )
    await refresh_engagement(uow, engagement)


async def get_engagement(engagement_id: str, uow: EngagementsUoW, clock: Clock) -> EngagementView:
    async with uow:
        return _view(await require_engagement(uow, engagement_id), clock)


async def search_engagements(
    where: EngagementFilter, uow: EngagementsUoW, clock: Clock
) -> list[EngagementView]:
    if where.quiet is not None:
        where = replace(where, quiet_cutoff=quiet_cutoff(clock().date()))
    async with uow:
        return [_view(e, clock) for e in await uow.engagements.search(where)]


async def change_status(cmd: ChangeStatus, uow: EngagementsUoW, clock: Clock) -> EngagementView:
    async with uow:
        engagement = await require_engagement(uow, cmd.engagement_id)
        summary = await listening_summary(uow, engagement.id)
        change = engagement.change_status(
            cmd.to,
            at=clock(),
            listening_complete=summary.complete,
            reason=cmd.reason,
            note=cmd.note,
        )
        await uow.engagements.save(engagement)
        uow.publish(
            events.EngagementStatusChanged(
                engagement_id=engagement.id,
                from_status=change.from_status.value,
                to_status=change.to_status.value,
                reason=change.reason.value if change.reason else None,
                note=change.note,
                changed_at=change.at,
            )
        )
        if engagement.closed:
            uow.publish(
                events.EngagementClosed(
                    engagement_id=engagement.id,
                    early=engagement.ends_early(change.at.date()),
                    reason=engagement.closing_reason.value if engagement.closing_reason else None,
                    closed_at=change.at,
                )
            )
            await refresh_engagement(uow, engagement)
        await uow.commit()
    return _view(engagement, clock)


def _view(engagement: Engagement, clock: Clock) -> EngagementView:
    health = commitment_health(
        start=engagement.start_date,
        committed_until=engagement.committed_until,
        last_activity_on=engagement.last_activity_on,
        today=clock().date(),
    )
    return EngagementView(engagement, health)
