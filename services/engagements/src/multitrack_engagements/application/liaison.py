"""Use cases on the track-one liaison log (standard procedure 3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from multitrack_engagements.application.lookup import (
    Shown,
    changeable_engagement,
    readable_engagement,
    shown,
)
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.liaison import LiaisonEntry
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events import engagements as events
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class RecordLiaison:
    engagement_id: str
    institution: str
    officials: tuple[str, ...]
    kind: str
    held_on: date
    summary: str


async def record_liaison(
    cmd: RecordLiaison, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> LiaisonEntry:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
        engagement.require_not_closed("record a liaison")
        entry = LiaisonEntry(
            id=str(uuid.uuid4()),
            engagement_id=engagement.id,
            institution=cmd.institution,
            officials=cmd.officials,
            kind=cmd.kind,
            held_on=cmd.held_on,
            summary=cmd.summary,
            recorded_at=clock(),
        )
        await uow.liaison.add(entry)
        uow.publish(
            events.LiaisonRecorded(
                engagement_id=engagement.id,
                liaison_id=entry.id,
                institution=entry.institution,
                kind=entry.kind,
                held_on=entry.held_on,
            )
        )
        await uow.commit()
    return entry


async def list_liaison(
    engagement_id: str, caller: Principal, uow: EngagementsUoW
) -> Shown[list[LiaisonEntry]]:
    async with uow:
        engagement = await readable_engagement(uow, engagement_id, caller)
        return shown(await uow.liaison.of_engagement(engagement_id), engagement, caller)
