"""Use cases on the Do No Harm register of an engagement."""

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
from multitrack_engagements.domain.dates import life_of
from multitrack_engagements.domain.do_no_harm import (
    Affected,
    HarmEntry,
    HarmKind,
    HarmStatus,
    Severity,
    require_known_links,
)
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import NotFound
from multitrack_shared.events import do_no_harm as events
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition


@dataclass(frozen=True)
class RecordHarm:
    engagement_id: str
    kind: HarmKind
    category: str
    severity: Severity
    noted_on: date
    place: str | None
    description: str
    affected: tuple[Affected, ...]
    activity_ids: tuple[str, ...] = ()
    dividers: tuple[str, ...] = ()
    connectors: tuple[str, ...] = ()
    mitigation: str | None = None


@dataclass(frozen=True)
class ReviewHarm:
    engagement_id: str
    entry_id: str
    mitigation: str | None
    status: HarmStatus | None
    precondition: Precondition = ANY_VERSION


async def record_harm(
    cmd: RecordHarm, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> HarmEntry:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
        now = clock()
        # noted, so within the engagement's life and never in the future (after closure too)
        life_of(engagement.start_date, None, now).require(cmd.noted_on, field="noted_on")
        entry = HarmEntry(
            id=str(uuid.uuid4()),
            engagement_id=engagement.id,
            kind=cmd.kind,
            category=cmd.category,
            severity=cmd.severity,
            noted_on=cmd.noted_on,
            place=cmd.place,
            description=cmd.description,
            affected=cmd.affected,
            activity_ids=cmd.activity_ids,
            dividers=cmd.dividers,
            connectors=cmd.connectors,
            mitigation=cmd.mitigation,
            recorded_at=now,
        )
        activities = {a.id for a in await uow.activities.of_engagement(engagement.id)}
        analysis = await uow.analyses.latest(engagement.id)
        require_known_links(
            entry,
            activities,
            analysis.dividers if analysis else (),
            analysis.connectors if analysis else (),
        )
        await uow.harm.add(entry)
        uow.publish(_recorded(entry))
        await uow.commit()
    return entry


async def review_harm(
    cmd: ReviewHarm, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> HarmEntry:
    async with uow:
        engagement = await changeable_engagement(uow, cmd.engagement_id, caller)
        entry = await uow.harm.get(cmd.entry_id)
        if entry is None or entry.engagement_id != engagement.id:
            raise NotFound(f"no entry {cmd.entry_id} in the register", field="entry_id")
        cmd.precondition.check(entry.id, entry.version)
        now = clock()
        entry.review(cmd.mitigation, cmd.status, now)
        await uow.harm.save(entry)
        uow.publish(
            events.HarmReviewed(
                engagement_id=entry.engagement_id,
                entry_id=entry.id,
                mitigated=entry.mitigated,
                status=entry.status.value,
                reviewed_at=now,
            )
        )
        await uow.commit()
    return entry


async def list_harm(
    engagement_id: str, caller: Principal, uow: EngagementsUoW
) -> Shown[list[HarmEntry]]:
    async with uow:
        engagement = await readable_engagement(uow, engagement_id, caller)
        return shown(await uow.harm.of_engagement(engagement_id), engagement, caller)


def _recorded(entry: HarmEntry) -> events.HarmRecorded:
    return events.HarmRecorded(
        engagement_id=entry.engagement_id,
        entry_id=entry.id,
        kind=entry.kind.value,
        category=entry.category,
        severity=entry.severity.value,
        noted_on=entry.noted_on,
        affected=[
            events.AffectedCount(side=a.side, role=a.role, count=a.count) for a in entry.affected
        ],
        activity_ids=list(entry.activity_ids),
        dividers=len(entry.dividers),
        connectors=len(entry.connectors),
        mitigated=entry.mitigated,
        status=entry.status.value,
        recorded_at=entry.recorded_at,
    )
