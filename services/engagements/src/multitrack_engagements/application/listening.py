"""Use cases on the listening ledger."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.lookup import (
    Shown,
    changeable_engagement,
    listening_summary,
    readable_engagement,
    shown,
)
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.listening import HeardParty, ListeningSummary
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events import engagements as events
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class RecordHeard:
    engagement_id: str
    who: str
    side: str
    track: int
    needs: tuple[str, ...]
    heard_by: str
    heard_on: date


@dataclass(frozen=True)
class ListeningLedger:
    entries: list[HeardParty]
    summary: ListeningSummary


async def record_heard(
    cmd: RecordHeard, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> HeardParty:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
        engagement.require_not_closed("record a hearing")
        entry = HeardParty(
            id=str(uuid.uuid4()),
            engagement_id=engagement.id,
            who=cmd.who,
            side=cmd.side,
            track=cmd.track,
            needs=cmd.needs,
            heard_by=cmd.heard_by,
            heard_on=cmd.heard_on,
            recorded_at=clock(),
        )
        await uow.listening.add(entry)
        uow.publish(
            events.PartyHeard(
                engagement_id=engagement.id,
                hearing_id=entry.id,
                side=entry.side,
                track=entry.track,
                heard_on=entry.heard_on,
            )
        )
        await refresh_engagement(uow, engagement)
        await uow.commit()
    return entry


async def listening_ledger(
    engagement_id: str, caller: Principal, uow: EngagementsUoW
) -> Shown[ListeningLedger]:
    async with uow:
        return await ledger_of(await readable_engagement(uow, engagement_id, caller), caller, uow)


async def ledger_of(
    engagement: Engagement, caller: Principal, uow: EngagementsUoW
) -> Shown[ListeningLedger]:
    """The listening ledger of an engagement already read, inside the caller's open unit."""
    ledger = ListeningLedger(
        entries=await uow.listening.of_engagement(engagement.id),
        summary=await listening_summary(uow, engagement.id),
    )
    return shown(ledger, engagement, caller)
