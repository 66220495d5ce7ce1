"""Every SQL query on the engagement digests: the read models, and the evaluations they list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_evaluation.adapters.tables import (
    AttitudeMeasurementRow,
    DigestActivityRow,
    DigestAnalysisRow,
    DigestEngagementRow,
    DigestFollowUpRow,
    DigestHearingRow,
    DigestLiaisonRow,
    DigestPartnershipRow,
    DigestStatusChangeRow,
    EvaluationRow,
    LessonResponseRow,
    ReferenceItemRow,
)
from multitrack_evaluation.application.ports import EngagementFilter
from multitrack_evaluation.domain import facts as f
from multitrack_evaluation.domain.overdue import Standing
from multitrack_evaluation.domain.reference import ReferenceKind
from multitrack_shared.auth.policy import Scope
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.events.vocabulary import CatalogueOrigin
from multitrack_shared.times import utc


class SqlDigestRepository:
    """Writes from events, each an upsert, so an event applied again leaves the same rows;
    reads for the digests, the list of engagements and the overdue ones."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put_engagement(self, header: f.EngagementHeader) -> None:
        row = await self._session.get(DigestEngagementRow, header.engagement_id)
        opening = asdict(header)
        for closing in ("closed_at", "closed_early", "close_reason"):
            del opening[closing]  # set by the closing event only, never reset by the opening
        if row is None:
            row = DigestEngagementRow(**opening)
        else:
            for name, value in opening.items():
                setattr(row, name, value)
        self._session.add(row)

    async def close_engagement(
        self, engagement_id: str, at: datetime, early: bool, reason: str | None
    ) -> None:
        row = await self._session.get(DigestEngagementRow, engagement_id)
        if row is None:
            return  # engagement events share one partition: the opening always comes first
        row.closed_at, row.closed_early, row.close_reason = at, early, reason
        self._session.add(row)

    async def link_conflict(self, engagement_id: str, conflict_id: str | None) -> None:
        row = await self._session.get(DigestEngagementRow, engagement_id)
        if row is None:
            return  # engagement events share one partition: the opening always comes first
        row.conflict_id = conflict_id
        self._session.add(row)

    async def put_status_change(self, engagement_id: str, change: f.StatusChange) -> None:
        await self._session.merge(
            DigestStatusChangeRow(engagement_id=engagement_id, **asdict(change))
        )

    async def put_analysis(self, engagement_id: str, analysis: f.Analysis) -> None:
        await self._session.merge(
            DigestAnalysisRow(engagement_id=engagement_id, **asdict(analysis))
        )

    async def put_hearing(self, engagement_id: str, hearing: f.Hearing) -> None:
        await self._session.merge(DigestHearingRow(engagement_id=engagement_id, **asdict(hearing)))

    async def put_activity(self, engagement_id: str, activity: f.Activity) -> None:
        await self._session.merge(
            DigestActivityRow(engagement_id=engagement_id, **asdict(activity))
        )

    async def put_follow_up(self, engagement_id: str, follow_up: f.FollowUp) -> None:
        await self._session.merge(
            DigestFollowUpRow(engagement_id=engagement_id, **asdict(follow_up))
        )

    async def put_liaison(self, engagement_id: str, liaison: f.Liaison) -> None:
        await self._session.merge(DigestLiaisonRow(engagement_id=engagement_id, **asdict(liaison)))

    async def put_partnership(self, engagement_id: str, partnership: f.Partnership) -> None:
        row = await self._session.get(DigestPartnershipRow, partnership.partnership_id)
        formed = asdict(partnership)
        for ending in ("ended_at",):
            del formed[ending]  # set by the ending event only
        if row is None:
            row = DigestPartnershipRow(engagement_id=engagement_id, **formed)
        else:
            for name, value in formed.items():
                setattr(row, name, value)
        self._session.add(row)

    async def end_partnership(self, partnership_id: str, ends_on: date, at: datetime) -> None:
        row = await self._session.get(DigestPartnershipRow, partnership_id)
        if row is None:
            return  # a partnership's events share one partition: its forming comes first
        row.ends_on, row.ended_at = ends_on, at
        self._session.add(row)

    async def record(self, engagement_id: str) -> f.EngagementRecord | None:
        row = await self._session.get(DigestEngagementRow, engagement_id)
        if row is None:
            return None
        origins = await self._catalogued_origins()
        return f.EngagementRecord(
            header=_header(row),
            status_changes=await self._changes(engagement_id),
            analyses=[_analysis(r) for r in await self._of(DigestAnalysisRow, engagement_id)],
            hearings=[
                f.Hearing(r.hearing_id, r.side, r.track, r.heard_on)
                for r in await self._of(DigestHearingRow, engagement_id)
            ],
            activities=[
                _activity(r, origins) for r in await self._of(DigestActivityRow, engagement_id)
            ],
            liaisons=[
                f.Liaison(r.liaison_id, r.institution, r.kind, r.held_on)
                for r in await self._of(DigestLiaisonRow, engagement_id)
            ],
            partnerships=[
                _partnership(r) for r in await self._of(DigestPartnershipRow, engagement_id)
            ],
            lesson_answers=[
                f.LessonAnswer(r.lesson_id, r.response, utc(r.responded_at))
                for r in await self._of(LessonResponseRow, engagement_id)
            ],
            evaluations=[
                f.EvaluationDone(
                    r.id, r.period_start, r.period_end, r.evaluated_by, utc(r.completed_at)
                )
                for r in await self._of(EvaluationRow, engagement_id)
            ],
            follow_ups=[
                f.FollowUp(
                    r.follow_up_id,
                    r.held_on,
                    r.participants_reached,
                    r.using_skills,
                    r.training_id,
                    r.months_after,
                )
                for r in await self._of(DigestFollowUpRow, engagement_id)
            ],
            attitudes=[
                f.AttitudeReading(
                    r.id, r.instrument, r.side, r.administered_on, r.respondents, r.score
                )
                for r in await self._of(AttitudeMeasurementRow, engagement_id)
            ],
        )

    async def on_conflict(self, conflict_id: str, scope: Scope) -> list[f.EngagementRecord]:
        query = (
            select(DigestEngagementRow.engagement_id)
            .where(DigestEngagementRow.conflict_id == conflict_id, _visible(scope))
            .order_by(col(DigestEngagementRow.engagement_id))
        )
        found = [await self.record(e) for e in (await self._session.exec(query)).all()]
        return [r for r in found if r is not None]

    async def headers(self, where: EngagementFilter) -> list[tuple[f.EngagementHeader, str]]:
        query = select(DigestEngagementRow).where(_visible(where.scope))
        if where.country:
            query = query.where(DigestEngagementRow.country == where.country)
        query = (
            query.order_by(
                col(DigestEngagementRow.opened_at).desc(), col(DigestEngagementRow.engagement_id)
            )
            .offset(where.offset)
            .limit(where.limit)
        )
        rows = (await self._session.exec(query)).all()
        changes = await self._changes_of([r.engagement_id for r in rows])
        return [(_header(r), f.current_status(_header(r), changes[r.engagement_id])) for r in rows]

    async def standings(self, scope: Scope) -> list[Standing]:
        rows = (await self._session.exec(select(DigestEngagementRow).where(_visible(scope)))).all()
        changes = await self._changes_of([r.engagement_id for r in rows])
        last = select(EvaluationRow.engagement_id, func.max(EvaluationRow.completed_at)).group_by(
            col(EvaluationRow.engagement_id)
        )
        last_evaluated: dict[str, datetime] = {
            engagement_id: utc(at) for engagement_id, at in (await self._session.exec(last))
        }
        return [
            Standing(
                engagement_id=r.engagement_id,
                status=f.current_status(_header(r), changes[r.engagement_id]),
                opened_at=utc(r.opened_at),
                last_evaluated_at=last_evaluated.get(r.engagement_id),
            )
            for r in rows
        ]

    async def _catalogued_origins(self) -> dict[str, str]:
        """Each catalogued method's origin in the blend: the catalogue's word is the latest."""
        query = select(ReferenceItemRow.code, ReferenceItemRow.origin).where(
            ReferenceItemRow.kind == ReferenceKind.method.value
        )
        return {
            code: CatalogueOrigin(origin).in_blend.value
            for code, origin in (await self._session.exec(query)).all()
            if origin is not None
        }

    async def _of(self, row_type: Any, engagement_id: str) -> Sequence[Any]:
        query = select(row_type).where(row_type.engagement_id == engagement_id)
        return (await self._session.exec(query)).all()

    async def _changes(self, engagement_id: str) -> list[f.StatusChange]:
        return (await self._changes_of([engagement_id]))[engagement_id]

    async def _changes_of(self, engagement_ids: list[str]) -> dict[str, list[f.StatusChange]]:
        found: dict[str, list[f.StatusChange]] = defaultdict(list)
        if not engagement_ids:
            return found
        query = select(DigestStatusChangeRow).where(
            col(DigestStatusChangeRow.engagement_id).in_(engagement_ids)
        )
        for r in (await self._session.exec(query)).all():
            found[r.engagement_id].append(
                f.StatusChange(r.from_status, r.to_status, r.reason, utc(r.changed_at))
            )
        return found


def _visible(scope: Scope) -> ColumnElement[bool]:
    row = DigestEngagementRow
    return visible_to(scope, col(row.owner_org), col(row.visibility))


def _header(r: DigestEngagementRow) -> f.EngagementHeader:
    return f.EngagementHeader(
        engagement_id=r.engagement_id,
        owner_org=r.owner_org,
        visibility=r.visibility,
        name=r.name,
        country=r.country,
        region=r.region,
        conflict_type=r.conflict_type,
        phase=r.phase,
        purpose=r.purpose,
        inviter_track=r.inviter_track,
        start_date=r.start_date,
        committed_until=r.committed_until,
        opened_at=utc(r.opened_at),
        closed_at=utc(r.closed_at),
        closed_early=r.closed_early,
        close_reason=r.close_reason,
        conflict_id=r.conflict_id,
    )


def _analysis(r: DigestAnalysisRow) -> f.Analysis:
    return f.Analysis(
        version=r.version,
        analysed_on=r.analysed_on,
        sides=list(r.sides),
        actor_tracks=list(r.actor_tracks),
        actors_by_role=dict(r.actors_by_role),
        dividers=r.dividers,
        connectors=r.connectors,
    )


def _activity(r: DigestActivityRow, origins: dict[str, str]) -> f.Activity:
    return f.Activity(
        activity_id=r.activity_id,
        kind=r.kind,
        held_on=r.held_on,
        tracks=list(r.tracks),
        peacebuilding_kind=r.peacebuilding_kind,
        rpp_quadrant=r.rpp_quadrant,
        methods=[f.Method(**m).as_catalogued(origins) for m in r.methods],
        local_facilitators=r.local_facilitators,
        external_facilitators=r.external_facilitators,
        led_locally=r.led_locally,
        participants=[f.Participants(**p) for p in r.participants],
        designed_locally=r.designed_locally,
    )


def _partnership(r: DigestPartnershipRow) -> f.Partnership:
    return f.Partnership(
        partnership_id=r.partnership_id,
        partner_id=r.partner_id,
        partner_name=r.partner_name,
        role=r.role,
        starts_on=r.starts_on,
        ends_on=r.ends_on,
        partner_tracks=list(r.partner_tracks),
        partner_is_local=r.partner_is_local,
        partner_women_led=r.partner_women_led,
        formed_at=utc(r.formed_at),
        ended_at=utc(r.ended_at),
    )
