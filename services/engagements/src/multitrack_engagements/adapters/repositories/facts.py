"""What coverage and lesson matching know about engagements, read in a handful of queries
(the same handful for one engagement or for many)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_engagements.adapters.repositories.engagements import to_engagement
from multitrack_engagements.adapters.tables import (
    ActivityRow,
    AnalysisRow,
    EngagementRow,
    HeardPartyRow,
    PartnerTrackRow,
)
from multitrack_engagements.domain.engagement import Engagement, Status
from multitrack_engagements.domain.facts import ActivityFacts, EngagementFacts, PartnerSource
from multitrack_engagements.domain.lessons import Whereabouts
from multitrack_shared.conflict import ConflictDescription


class SqlFactsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of(self, engagement: Engagement) -> EngagementFacts:
        (facts,) = await self.of_each([engagement])
        return facts

    async def of_opened(self, engagement: Engagement) -> EngagementFacts:
        partners = await self._partners([engagement.id])
        return EngagementFacts(engagement=engagement, partners=tuple(partners[engagement.id]))

    async def of_ids(self, engagement_ids: Collection[str]) -> list[EngagementFacts]:
        if not engagement_ids:
            return []
        query = (
            select(EngagementRow)
            .where(col(EngagementRow.id).in_(sorted(engagement_ids)))
            .order_by(col(EngagementRow.id))
        )
        rows = (await self._session.exec(query)).all()
        return await self.of_each([to_engagement(row) for row in rows])

    async def of_each(self, engagements: Sequence[Engagement]) -> list[EngagementFacts]:
        if not engagements:
            return []
        ids = [e.id for e in engagements]
        actors = await self._latest_actor_tracks(ids)
        heard = await self._heard_tracks(ids)
        activities = await self._activities(ids)
        partners = await self._partners(ids)
        return [
            EngagementFacts(
                engagement=e,
                actor_tracks=tuple(actors.get(e.id, ())),
                heard_tracks=tuple(heard[e.id]),
                activities=tuple(activities[e.id]),
                partners=tuple(partners[e.id]),
            )
            for e in engagements
        ]

    async def whereabouts(self) -> list[Whereabouts]:
        query = select(
            EngagementRow.id, EngagementRow.owner_org, EngagementRow.status, EngagementRow.conflict
        )
        return [
            Whereabouts(
                engagement_id=engagement_id,
                owner_org=owner_org,
                closed=status == Status.closed.value,
                conflict=ConflictDescription(**conflict),
            )
            for engagement_id, owner_org, status, conflict in (
                await self._session.exec(query)
            ).all()
        ]

    def _scoped(self, query: Any, column: Any, only: Sequence[str]) -> Any:
        return query.where(column.in_(only))

    async def _latest_actor_tracks(self, only: Sequence[str]) -> dict[str, list[int]]:
        query = self._scoped(
            select(AnalysisRow.engagement_id, AnalysisRow.version, AnalysisRow.actors),
            AnalysisRow.engagement_id,
            only,
        ).order_by(col(AnalysisRow.engagement_id), col(AnalysisRow.version))
        latest: dict[str, list[int]] = {}
        for engagement_id, _, actors in (await self._session.exec(query)).all():
            latest[engagement_id] = [actor["track"] for actor in actors]  # later versions win
        return latest

    async def _heard_tracks(self, only: Sequence[str]) -> defaultdict[str, list[int]]:
        query = self._scoped(
            select(HeardPartyRow.engagement_id, HeardPartyRow.track),
            HeardPartyRow.engagement_id,
            only,
        )
        heard: defaultdict[str, list[int]] = defaultdict(list)
        for engagement_id, track in (await self._session.exec(query)).all():
            heard[engagement_id].append(track)
        return heard

    # Only the columns the facts need, not whole rows: an activity's participants and
    # facilitators, and the ORM's identity map, would cost more than the facts themselves.
    # (SQLAlchemy's ``select``: SQLModel's takes at most four columns.)

    async def _activities(self, only: Sequence[str]) -> defaultdict[str, list[ActivityFacts]]:
        query = self._scoped(
            select_columns(
                col(ActivityRow.engagement_id),
                col(ActivityRow.tracks),
                col(ActivityRow.methods),
                col(ActivityRow.peacebuilding_kind),
                col(ActivityRow.rpp_quadrant),
            ),
            ActivityRow.engagement_id,
            only,
        )
        found: defaultdict[str, list[ActivityFacts]] = defaultdict(list)
        for engagement_id, tracks, methods, kind, quadrant in (
            await self._session.exec(query)
        ).all():
            found[engagement_id].append(
                ActivityFacts(
                    tracks=tuple(tracks),
                    methods=tuple(m["name"] for m in methods),
                    peacebuilding_kind=kind,
                    rpp_quadrant=quadrant,
                )
            )
        return found

    async def _partners(self, only: Sequence[str]) -> defaultdict[str, list[PartnerSource]]:
        query = self._scoped(
            select_columns(
                col(PartnerTrackRow.engagement_id),
                col(PartnerTrackRow.partnership_id),
                col(PartnerTrackRow.partner_name),
                col(PartnerTrackRow.tracks),
                col(PartnerTrackRow.ended),
            ),
            PartnerTrackRow.engagement_id,
            only,
        ).order_by(col(PartnerTrackRow.partnership_id))
        found: defaultdict[str, list[PartnerSource]] = defaultdict(list)
        for engagement_id, partnership_id, name, tracks, ended in (
            await self._session.exec(query)
        ).all():
            found[engagement_id].append(PartnerSource(partnership_id, name, tuple(tracks), ended))
        return found
