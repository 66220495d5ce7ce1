"""Consumer handlers: other services' events into the read models. The runtime commits.

Replay-safe by construction: each handler is an upsert keyed by ids from the event, uses the
event's own timestamps (never the clock), publishes nothing and touches no state this
service owns. Dropping the read models and replaying every event rebuilds the same answers,
from the ``.v1`` events still on the topics too: the runtime reads them as the current version
(``events.upcasting``), without the free text they carried.
"""

from __future__ import annotations

from multitrack_evaluation.application.ports import EvaluationUoW
from multitrack_evaluation.domain import facts as f
from multitrack_evaluation.domain.lessons import Response
from multitrack_shared.events import engagements as eng
from multitrack_shared.events import partners as par
from multitrack_shared.times import utc


async def on_engagement_opened(event: eng.EngagementOpened, uow: EvaluationUoW) -> None:
    c = event.conflict
    await uow.digests.put_engagement(
        f.EngagementHeader(
            engagement_id=event.engagement_id,
            owner_org=event.ownership.owner_org,
            visibility=event.ownership.visibility.value,
            name=c.name,
            country=c.country,
            region=c.region,
            conflict_type=c.conflict_type,
            phase=c.phase,
            purpose=event.purpose,
            inviter_track=event.inviter_track,
            start_date=event.start_date,
            committed_until=event.committed_until,
            opened_at=utc(event.opened_at),
            conflict_id=c.conflict_id,
        )
    )


async def on_conflict_linked(event: eng.ConflictLinked, uow: EvaluationUoW) -> None:
    """An engagement linked to a shared conflict after it opened: the conflict's trends count
    it from then on."""
    await uow.digests.link_conflict(event.engagement_id, event.conflict_id)


async def on_status_changed(event: eng.EngagementStatusChangedV2, uow: EvaluationUoW) -> None:
    change = f.StatusChange(
        from_status=event.from_status,
        to_status=event.to_status,
        reason=event.reason,
        changed_at=utc(event.changed_at),
    )
    await uow.digests.put_status_change(event.engagement_id, change)


async def on_engagement_closed(event: eng.EngagementClosed, uow: EvaluationUoW) -> None:
    await uow.digests.close_engagement(
        event.engagement_id, utc(event.closed_at), event.early, event.reason
    )


async def on_analysis_recorded(event: eng.ConflictAnalysisRecorded, uow: EvaluationUoW) -> None:
    analysis = f.Analysis(
        version=event.version,
        analysed_on=event.analysed_on,
        sides=list(event.sides),
        actor_tracks=list(event.actor_tracks),
        actors_by_role=dict(event.actors_by_role),
        dividers=event.dividers,
        connectors=event.connectors,
    )
    await uow.digests.put_analysis(event.engagement_id, analysis)


async def on_party_heard(event: eng.PartyHeard, uow: EvaluationUoW) -> None:
    hearing = f.Hearing(
        hearing_id=event.hearing_id, side=event.side, track=event.track, heard_on=event.heard_on
    )
    await uow.digests.put_hearing(event.engagement_id, hearing)


async def on_activity_recorded(event: eng.ActivityRecordedV2, uow: EvaluationUoW) -> None:
    activity = f.Activity(
        activity_id=event.activity_id,
        kind=event.kind,
        held_on=event.held_on,
        tracks=list(event.tracks),
        peacebuilding_kind=event.peacebuilding_kind,
        rpp_quadrant=event.rpp_quadrant.value,
        methods=[f.Method(m.name, m.origin.value, m.code) for m in event.methods],
        local_facilitators=event.local_facilitators,
        external_facilitators=event.external_facilitators,
        led_locally=event.led_locally,
        participants=[
            f.Participants(p.sex.value, p.role.value, p.track, p.side, p.count)
            for p in event.participants
        ],
        designed_locally=(
            event.designed_locally if isinstance(event, eng.ActivityRecordedV2) else None
        ),
    )
    await uow.digests.put_activity(event.engagement_id, activity)


async def on_follow_up_recorded(event: eng.FollowUpRecorded, uow: EvaluationUoW) -> None:
    follow_up = f.FollowUp(
        follow_up_id=event.follow_up_id,
        held_on=event.held_on,
        participants_reached=event.participants_reached,
        using_skills=event.using_skills,
        training_id=event.training_id,
        months_after=event.months_after,
    )
    await uow.digests.put_follow_up(event.engagement_id, follow_up)


async def on_liaison_recorded(event: eng.LiaisonRecorded, uow: EvaluationUoW) -> None:
    liaison = f.Liaison(
        liaison_id=event.liaison_id,
        institution=event.institution,
        kind=event.kind,
        held_on=event.held_on,
    )
    await uow.digests.put_liaison(event.engagement_id, liaison)


async def on_lesson_responded(event: eng.LessonRespondedV2, uow: EvaluationUoW) -> None:
    response = Response(
        engagement_id=event.engagement_id, response=event.response, at=utc(event.responded_at)
    )
    await uow.responses.record(event.lesson_id, response)


async def on_partnership_formed(event: par.PartnershipFormed, uow: EvaluationUoW) -> None:
    partnership = f.Partnership(
        partnership_id=event.partnership_id,
        partner_id=event.partner_id,
        partner_name=event.partner_name,
        role=event.role,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        partner_tracks=list(event.partner_tracks),
        partner_is_local=event.partner_is_local,
        partner_women_led=event.partner_women_led,
        formed_at=utc(event.formed_at),
    )
    await uow.digests.put_partnership(event.engagement_id, partnership)


async def on_partnership_ended(event: par.PartnershipEnded, uow: EvaluationUoW) -> None:
    await uow.digests.end_partnership(event.partnership_id, event.ends_on, utc(event.ended_at))
