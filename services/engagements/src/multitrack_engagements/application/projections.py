"""Other services' events, applied: an accepted invitation opens an engagement, and its
withdrawal moves the engagement to closing; lessons, partnerships, evaluations, the
consortium's track labels and its catalogues of methods and trainers fill the read models,
and each change recomputes the lesson deliveries it touches; partners and members name the
organizations an IATI report shows. The consumer runtime commits.

Each handler takes the current version of its event: the runtime reads a record of an older
one (a rebuild replays them) through the upcasters of ``events.upcasting``.
"""

from __future__ import annotations

from dataclasses import replace

from multitrack_engagements.application.deliveries import (
    deliver_to_opened,
    refresh_engagement,
    refresh_lesson,
)
from multitrack_engagements.application.engagements import status_changed
from multitrack_engagements.application.ports import EngagementsUoW, EvaluationSeen, TrackLabel
from multitrack_engagements.domain.engagement import Engagement, engagement_id_for
from multitrack_engagements.domain.lessons import Lesson
from multitrack_engagements.domain.methods import CataloguedMethod
from multitrack_engagements.domain.organizations import MemberSeen, PartnerSeen
from multitrack_engagements.domain.partnerships import Partnership
from multitrack_engagements.domain.training import CataloguedTrainer
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.events import engagements as events
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.evaluation import (
    EvaluationCompleted,
    LessonContextV3,
    LessonRecordedV3,
    LessonRetiredV2,
    LessonRevisedV3,
    ReferenceChanged,
)
from multitrack_shared.events.invitations import InvitationAcceptedV2, InvitationWithdrawnV2
from multitrack_shared.events.partners import (
    MemberJoined,
    PartnerRegistered,
    PartnershipEnded,
    PartnershipFormed,
    PartnerUpdated,
    TrainerCatalogued,
)
from multitrack_shared.events.vocabulary import CatalogueOrigin
from multitrack_shared.matching import LessonScope

TRACK_KIND = "track"
METHOD_KIND = "method"


async def on_invitation_accepted(event: InvitationAcceptedV2, uow: EngagementsUoW) -> None:
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
    await deliver_to_opened(uow, engagement)


async def on_invitation_withdrawn(event: InvitationWithdrawnV2, uow: EngagementsUoW) -> None:
    """The inviter took back the invitation an engagement rests on: the engagement begins
    closing, reason ``invitation_withdrawn``, dated by the withdrawal. An invitation withdrawn
    before acceptance opened nothing; an engagement already closing or closed stays as it is,
    so a redelivery publishes nothing. The invitation's topic keeps one invitation's events in
    order, so its acceptance has always been applied first."""
    engagement = await uow.engagements.get(engagement_id_for(event.invitation_id))
    if engagement is None:
        return
    change = engagement.invitation_withdrawn(event.withdrawn_at)
    if change is None:
        return
    await uow.engagements.save(engagement)
    uow.publish(status_changed(engagement.id, change))


async def on_evaluation_completed(event: EvaluationCompleted, uow: EngagementsUoW) -> None:
    """Keep each evaluation's dates: closing looks for a final one."""
    await uow.evaluations.put(
        EvaluationSeen(
            evaluation_id=event.evaluation_id,
            engagement_id=event.engagement_id,
            period_start=event.period_start,
            period_end=event.period_end,
            completed_at=event.completed_at,
        )
    )


async def on_lesson_recorded(event: LessonRecordedV3, uow: EngagementsUoW) -> None:
    lesson = Lesson.recorded(
        await uow.lessons.get(event.lesson_id),
        lesson_id=event.lesson_id,
        statement=event.statement,
        confidence=event.confidence.value,
        scope=_scope(event.context),
        recorded_at=event.recorded_at,
        owner_org=event.ownership.owner_org,
        visibility=event.ownership.visibility.value,
    )
    await _apply_lesson(uow, lesson)


async def on_lesson_revised(event: LessonRevisedV3, uow: EngagementsUoW) -> None:
    lesson = Lesson.revised(
        await uow.lessons.get(event.lesson_id),
        lesson_id=event.lesson_id,
        revision=event.revision,
        statement=event.statement,
        confidence=event.confidence.value,
        scope=_scope(event.context),
    )
    await _apply_lesson(uow, lesson)


async def on_lesson_retired(event: LessonRetiredV2, uow: EngagementsUoW) -> None:
    earlier = await uow.lessons.get(event.lesson_id)
    lesson = earlier.retired() if earlier else Lesson.retired_unseen(event.lesson_id)
    await _apply_lesson(uow, lesson)


async def _apply_lesson(uow: EngagementsUoW, lesson: Lesson) -> None:
    await uow.lessons.save(lesson)
    await refresh_lesson(uow, lesson)


def _scope(context: LessonContextV3) -> LessonScope:
    return LessonScope.of(
        countries=context.countries,
        regions=context.regions,
        conflict_types=context.conflict_types,
        phases=context.phases,
        tracks=context.tracks,
        methods=context.methods,
        peacebuilding_kinds=context.peacebuilding_kinds,
        rpp_quadrants=[q.value for q in context.rpp_quadrants],
        conflict_ids=context.conflict_ids,
    )


async def on_partnership_formed(event: PartnershipFormed, uow: EngagementsUoW) -> None:
    earlier = await uow.partnerships.get(event.partnership_id)
    partnership = (
        earlier or Partnership(event.partnership_id, event.engagement_id, event.partner_id)
    ).formed(
        partner_name=event.partner_name,
        tracks=tuple(event.partner_tracks),
        role=event.role,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
    )
    await _apply_partnership(uow, partnership)


async def on_partnership_ended(event: PartnershipEnded, uow: EngagementsUoW) -> None:
    earlier = await uow.partnerships.get(event.partnership_id)
    partnership = (
        earlier or Partnership(event.partnership_id, event.engagement_id, event.partner_id)
    ).ending(event.ends_on)
    await _apply_partnership(uow, partnership)


async def _apply_partnership(uow: EngagementsUoW, partnership: Partnership) -> None:
    await uow.partnerships.save(partnership)
    engagement = await uow.engagements.get(partnership.engagement_id)
    if engagement is not None:  # otherwise its opening, whenever it comes, takes this in
        await refresh_engagement(uow, engagement)


async def on_reference_changed(event: ReferenceChanged, uow: EngagementsUoW) -> None:
    """Keep the consortium's latest wording of each track and its catalogue of methods;
    older changes never win."""
    if event.kind == METHOD_KIND:
        await _catalogue_method(event, uow)
        return
    if event.kind != TRACK_KIND:
        return
    earlier = await uow.track_labels.get(event.code)
    if earlier is not None and earlier.changed_at > event.changed_at:
        return
    await uow.track_labels.save(
        TrackLabel(
            code=event.code,
            label=event.label,
            description=event.description,
            active=event.active,
            changed_at=event.changed_at,
        )
    )


async def _catalogue_method(event: ReferenceChanged, uow: EngagementsUoW) -> None:
    earlier = await uow.methods.get(event.code)
    if (earlier is not None and earlier.changed_at > event.changed_at) or event.origin is None:
        return
    await uow.methods.save(
        CataloguedMethod(
            code=event.code,
            label=event.label,
            origin=CatalogueOrigin(event.origin),
            active=event.active,
            changed_at=event.changed_at,
        )
    )


async def on_trainer_catalogued(event: TrainerCatalogued, uow: EngagementsUoW) -> None:
    """Keep the trainer's id, whose it is and who sees it: a training names it by id."""
    await uow.trainers.put(
        CataloguedTrainer(
            trainer_id=event.trainer_id,
            owner_org=event.ownership.owner_org,
            visibility=event.ownership.visibility.value,
            local=event.local,
        )
    )


async def on_partner_registered(event: PartnerRegistered, uow: EngagementsUoW) -> None:
    """Know the partner by name and IATI identity: funders and implementers are reported."""
    await uow.organizations.put_partner(
        PartnerSeen(
            partner_id=event.partner_id,
            name=event.name,
            owner_org=event.ownership.owner_org,
            visibility=event.ownership.visibility.value,
            iati_org_id=event.iati_org_id,
            iati_org_type=event.iati_org_type,
        )
    )


async def on_partner_updated(event: PartnerUpdated, uow: EngagementsUoW) -> None:
    """The partner's whole public profile as it now is; its ownership never changes. The
    partner's events keep their order (one key), so its registration came first."""
    earlier = await uow.organizations.partner(event.partner_id)
    if earlier is None:
        return
    await uow.organizations.put_partner(
        replace(
            earlier,
            name=event.name,
            iati_org_id=event.iati_org_id,
            iati_org_type=event.iati_org_type,
        )
    )


async def on_member_joined(event: MemberJoined, uow: EngagementsUoW) -> None:
    """Know the member: the owner of an engagement reports it in IATI."""
    await uow.organizations.put_member(
        MemberSeen(
            member_id=event.member_id,
            name=event.name,
            organization=event.organization,
            iati_org_id=event.iati_org_id,
            iati_org_type=event.iati_org_type,
        )
    )
