"""Use cases on the engagement itself. Opening is not one of them: an engagement opens only
from an accepted invitation (``projections.on_invitation_accepted``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.lookup import (
    changeable_engagement,
    listening_summary,
    readable_engagement,
)
from multitrack_engagements.application.ports import EngagementFilter, EngagementsUoW
from multitrack_engagements.domain.engagement import (
    ClosingReason,
    Engagement,
    Status,
    StatusChange,
)
from multitrack_engagements.domain.health import CommitmentHealth, commitment_health, quiet_cutoff
from multitrack_shared.auth.policy import may_see_personal, scope_of
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import DomainError
from multitrack_shared.events import engagements as events
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition


@dataclass(frozen=True)
class EngagementView:
    engagement: Engagement
    health: CommitmentHealth
    personal: bool
    """Whether the caller sees the engagement's personal data."""


@dataclass(frozen=True)
class ChangeStatus:
    engagement_id: str
    to: Status
    reason: ClosingReason | None = None
    note: str | None = None
    precondition: Precondition = ANY_VERSION
    no_final_evaluation_reason: str | None = None
    """Why it closes without a final evaluation, when there is none."""


async def get_engagement(
    engagement_id: str, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> EngagementView:
    async with uow:
        return view_of(await readable_engagement(uow, engagement_id, caller), caller, clock)


async def search_engagements(
    where: EngagementFilter, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> list[EngagementView]:
    """The engagements the caller may read that ``where`` asks for; the rest are never seen."""
    where = replace(where, scope=scope_of(caller))
    if where.quiet is not None:
        where = replace(where, quiet_cutoff=quiet_cutoff(clock().date()))
    async with uow:
        return [view_of(e, caller, clock) for e in await uow.engagements.search(where)]


async def change_status(
    cmd: ChangeStatus, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> EngagementView:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller, cmd.precondition)
        summary = await listening_summary(uow, engagement.id)
        change = engagement.change_status(
            cmd.to,
            at=clock(),
            listening_complete=summary.complete,
            reason=cmd.reason,
            note=cmd.note,
            final_evaluation_id=await _final_evaluation(uow, engagement),
            no_final_evaluation_reason=cmd.no_final_evaluation_reason,
        )
        await uow.engagements.save(engagement)
        uow.publish(status_changed(engagement.id, change))
        if engagement.closed:
            closure = engagement.ending.closure
            uow.publish(
                events.EngagementClosed(
                    engagement_id=engagement.id,
                    early=engagement.ends_early(change.at.date()),
                    reason=engagement.closing_reason.value if engagement.closing_reason else None,
                    closed_at=change.at,
                    final_evaluation_id=closure.final_evaluation_id if closure else None,
                )
            )
            await refresh_engagement(uow, engagement)
        await uow.commit()
    return view_of(engagement, caller, clock)


@dataclass(frozen=True)
class LinkConflict:
    engagement_id: str
    conflict_id: str | None
    """None unlinks it."""
    precondition: Precondition = ANY_VERSION


async def link_conflict(
    cmd: LinkConflict, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> EngagementView:
    """Link an open engagement to the shared conflict it works on, move it to another, or
    unlink it. Its lessons are matched again at once (a lesson naming the conflict reaches it);
    the conflict's compass reads the link directly, and the event carries it to the other
    services' views of the conflict. Linking it again to the same conflict changes nothing."""
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller, cmd.precondition)
        country = await _conflict_country(uow, cmd.conflict_id, caller)
        previous = engagement.link_conflict(cmd.conflict_id, country=country)
        if previous != cmd.conflict_id:
            await uow.engagements.save(engagement)
            uow.publish(
                events.ConflictLinked(
                    engagement_id=engagement.id,
                    conflict_id=cmd.conflict_id,
                    previous_conflict_id=previous,
                    linked_at=clock(),
                )
            )
            await refresh_engagement(uow, engagement)
            await uow.commit()
    return view_of(engagement, caller, clock)


async def _conflict_country(
    uow: EngagementsUoW, conflict_id: str | None, caller: Principal
) -> str | None:
    """Where the shared conflict lies, if the caller may see it; one it may not see is
    unknown to it (422, like one that does not exist: the link names it in the body)."""
    if conflict_id is None:
        return None
    conflict = await uow.conflicts.get(conflict_id)
    if conflict is None or not scope_of(caller).admits(conflict.owner_org, conflict.visibility):
        raise DomainError(
            f"no shared conflict {conflict_id} is known (register it first: POST /conflicts)",
            field="conflict_id",
            code="unknown_conflict",
        )
    return conflict.profile.country


def status_changed(engagement_id: str, change: StatusChange) -> events.EngagementStatusChangedV2:
    return events.EngagementStatusChangedV2(
        engagement_id=engagement_id,
        from_status=change.from_status.value,
        to_status=change.to_status.value,
        reason=change.reason.value if change.reason else None,
        changed_at=change.at,
    )


async def _final_evaluation(uow: EngagementsUoW, engagement: Engagement) -> str | None:
    """The evaluation completed last since the engagement began closing, if any."""
    since = engagement.closing_since
    if since is None:
        return None
    final = await uow.evaluations.latest_since(engagement.id, since)
    return final.evaluation_id if final else None


def view_of(engagement: Engagement, caller: Principal, clock: Clock) -> EngagementView:
    health = commitment_health(
        start=engagement.start_date,
        committed_until=engagement.committed_until,
        last_activity_on=engagement.last_activity_on,
        today=clock().date(),
    )
    return EngagementView(engagement, health, may_see_personal(caller, engagement.owner_org))
