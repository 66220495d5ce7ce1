"""The invitation use cases on in-memory fakes: what each publishes when it succeeds, that a
refused one publishes and keeps nothing, and that each asks the access policy about its caller."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from multitrack_invitations.application.invitations import (
    AssessInvitation,
    DecideInvitation,
    ReceiveInvitation,
    WithdrawInvitation,
    assess_invitation,
    decide_invitation,
    get_invitation,
    receive_invitation,
    search_invitations,
    withdraw_invitation,
)
from multitrack_invitations.application.lessons import matching_lessons
from multitrack_invitations.application.ports import InvitationFilter
from multitrack_invitations.domain.criteria import DEFAULT_CRITERIA
from multitrack_invitations.domain.invitation import (
    Assessment,
    CriterionVerdict,
    Invitation,
    Inviter,
    Status,
    Verdict,
)
from multitrack_invitations.domain.lessons import Lesson, Wording
from multitrack_shared.auth.principal import Role
from multitrack_shared.commitment import CommitmentTooShort
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import Conflict, DomainError, NotFound
from multitrack_shared.events import invitations as events
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.testing.principals import acting_for
from multitrack_shared.testing.samples import CRITERIA, invitation_body

from ..fakes import FakeInvitationsUnitOfWork

pytestmark = pytest.mark.unit

RECEIVED_AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2025, 3, 10, 15, 0, tzinfo=UTC)
COORDINATOR = acting_for("imtd", Role.coordinator)
"""A coordinator of the organization owning the invitations below."""
INVITER = Inviter(**invitation_body()["inviter"])
CONFLICT = ConflictDescription(**invitation_body()["conflict"])

PUBLISHED_INVITER = events.InviterProfile(
    kind="community council",
    track=4,
    is_party_to_conflict=True,
    side="rural communities",
)
PUBLISHED_CONFLICT = ConflictContext(
    name="Montes de María land conflict",
    country="CO",
    region="Caribbean region",
    conflict_type="land",
    phase="post-agreement",
)


def clock() -> datetime:
    return NOW


def verdicts(*unmet: str) -> dict[str, CriterionVerdict]:
    return {
        c: CriterionVerdict(Verdict.unmet if c in unmet else Verdict.met, f"{c} checked")
        for c in CRITERIA
    }


def an_invitation(invitation_id: str = "inv-1", **changes: Any) -> Invitation:
    fields: dict[str, Any] = {
        "id": invitation_id,
        "owner_org": "imtd",
        "visibility": "consortium",
        "inviter": INVITER,
        "conflict": CONFLICT,
        "support_requested": "Dialogue facilitation",
        "channel": "letter",
        "received_at": RECEIVED_AT,
        "arrived_on": RECEIVED_AT.date(),
        "other_parties_aware": True,
    }
    return Invitation(**{**fields, **changes})


ESSENTIAL = frozenset(c.code for c in DEFAULT_CRITERIA if c.essential)


def assessed(*unmet: str, **changes: Any) -> Invitation:
    fields: dict[str, Any] = {
        "status": Status.under_assessment,
        "assessment": Assessment(verdicts(*unmet), "assessment team", RECEIVED_AT),
    }
    return an_invitation(**{**fields, **changes})


def a_lesson(lesson_id: str, **context: list[str]) -> Lesson:
    return Lesson(
        lesson_id=lesson_id,
        revision=1,
        wording=Wording("Listen first", "high", context),
        owner_org="imtd",
        recorded_at=RECEIVED_AT,
    )


async def holding(*invitations: Invitation) -> FakeInvitationsUnitOfWork:
    uow = FakeInvitationsUnitOfWork()
    for invitation in invitations:
        await uow.invitations.add(invitation)
    return uow


def receiving(**changes: Any) -> ReceiveInvitation:
    fields: dict[str, Any] = {
        "visibility": "owner",
        "inviter": INVITER,
        "conflict": CONFLICT,
        "support_requested": "Dialogue facilitation",
        "channel": "letter",
        "other_parties_aware": None,
        "arrived_on": date(2025, 3, 8),
    }
    return ReceiveInvitation(**{**fields, **changes})


# --- receiving --------------------------------------------------------------------------------


async def test_receiving_keeps_the_invitation_and_publishes_it_received() -> None:
    uow = FakeInvitationsUnitOfWork()

    view = await receive_invitation(receiving(), COORDINATOR, uow, clock)

    invitation = view.invitation
    assert await uow.invitations.get(invitation.id) == invitation
    assert (invitation.status, invitation.received_at, invitation.arrived_on) == (
        Status.received,
        NOW,
        date(2025, 3, 8),
    )
    assert uow.published == [
        events.InvitationReceivedV2(
            invitation_id=invitation.id,
            ownership=Ownership(owner_org="imtd", visibility=Visibility.owner),
            inviter=PUBLISHED_INVITER,
            conflict=PUBLISHED_CONFLICT,
            received_at=NOW,
        )
    ]
    assert INVITER.name not in uow.published[0].model_dump_json()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        pytest.param(
            {"inviter": Inviter("Council", "council", 4, is_party_to_conflict=True)},
            "side_required",
            id="party-without-side",
        ),
        pytest.param(
            {"arrived_on": NOW.date() + timedelta(days=2)}, "arrived_in_future", id="tomorrow"
        ),
    ],
)
async def test_an_invitation_refused_at_intake_is_neither_kept_nor_published(
    changes: dict[str, Any], code: str
) -> None:
    uow = FakeInvitationsUnitOfWork()

    with pytest.raises(DomainError) as refused:
        await receive_invitation(receiving(**changes), COORDINATOR, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert len(uow.invitations.invitations) == 0


# --- assessing --------------------------------------------------------------------------------


async def test_assessing_records_the_verdicts_publishes_the_unmet_criteria_and_shows_lessons() -> (
    None
):
    uow = await holding(an_invitation())
    await uow.lessons.put(a_lesson("reaches", countries=["CO"]))
    await uow.lessons.put(a_lesson("elsewhere", countries=["KE"]))
    cmd = AssessInvitation("inv-1", verdicts("local_partners"), "assessment team")

    view = await assess_invitation(cmd, COORDINATOR, uow, clock)

    kept = await uow.invitations.get("inv-1")
    assert kept is not None
    assert kept.status is Status.under_assessment
    assert kept.assessment == Assessment(
        verdicts("local_partners"), "assessment team", NOW, essential=ESSENTIAL
    )
    assert [m.lesson.lesson_id for m in view.matching_lessons] == ["reaches"]
    assert uow.published == [
        events.InvitationAssessed(
            invitation_id="inv-1",
            verdicts={c: ("unmet" if c == "local_partners" else "met") for c in CRITERIA},
            unmet_criteria=["local_partners"],
            assessed_at=NOW,
        )
    ]


async def test_an_assessment_missing_a_verdict_is_refused_and_nothing_is_kept() -> None:
    uow = await holding(an_invitation())
    partial: dict[str, CriterionVerdict] = {
        c: v for c, v in verdicts().items() if c != "do_no_harm"
    }

    with pytest.raises(DomainError) as refused:
        await assess_invitation(AssessInvitation("inv-1", partial, "team"), COORDINATOR, uow, clock)

    assert refused.value.code == "verdict_missing"
    assert uow.nothing_committed
    assert await uow.invitations.get("inv-1") == an_invitation()


async def test_a_declined_invitation_cannot_be_assessed_again() -> None:
    uow = await holding(an_invitation(status=Status.declined))

    with pytest.raises(Conflict) as refused:
        await assess_invitation(
            AssessInvitation("inv-1", verdicts(), "team"), COORDINATOR, uow, clock
        )

    assert refused.value.code == "invalid_transition"
    assert uow.nothing_committed


# --- deciding ---------------------------------------------------------------------------------


def deciding(accept: bool = True, **changes: Any) -> DecideInvitation:
    fields: dict[str, Any] = {
        "invitation_id": "inv-1",
        "accept": accept,
        "rationale": "Invited by a party; criteria met.",
        "decided_by": "board",
        "overrides": {},
        "commitment_years": 6,
    }
    return DecideInvitation(**{**fields, **changes})


async def test_accepting_publishes_the_acceptance_with_the_overridden_codes_and_commitment() -> (
    None
):
    uow = await holding(assessed("local_partners"))
    overrides = {"local_partners": "Partners are being found with the diocese."}

    view = await decide_invitation(deciding(overrides=overrides), COORDINATOR, uow, clock)

    assert view.invitation.status is Status.accepted
    assert (await uow.invitations.get("inv-1")) == view.invitation
    assert uow.published == [
        events.InvitationAcceptedV2(
            invitation_id="inv-1",
            ownership=Ownership(owner_org="imtd", visibility=Visibility.consortium),
            inviter=PUBLISHED_INVITER,
            conflict=PUBLISHED_CONFLICT,
            support_requested="Dialogue facilitation",
            overridden_criteria=["local_partners"],
            commitment_years=6,
            accepted_at=NOW,
        )
    ]
    published = uow.published[0].model_dump_json()
    assert "criteria met" not in published
    assert "diocese" not in published
    assert view.invitation.decision is not None
    assert view.invitation.decision.overrides == overrides  # kept here, where it was decided


async def test_declining_keeps_its_rationale_and_publishes_the_decline_without_it() -> None:
    uow = await holding(an_invitation())

    cmd = deciding(accept=False, rationale="Not invited")

    view = await decide_invitation(cmd, COORDINATOR, uow, clock)

    assert view.invitation.status is Status.declined
    assert view.invitation.decision is not None
    assert view.invitation.decision.commitment_years is None
    assert view.invitation.decision.rationale == "Not invited"
    assert uow.published == [events.InvitationDeclinedV2(invitation_id="inv-1", declined_at=NOW)]


@pytest.mark.parametrize(
    ("invitation", "cmd", "refusal", "code"),
    [
        pytest.param(
            assessed("do_no_harm"),
            deciding(),
            DomainError,
            "override_required",
            id="unmet-without-override",
        ),
        pytest.param(
            assessed(),
            deciding(overrides={"do_no_harm": "why not"}),
            DomainError,
            "override_not_needed",
            id="override-of-a-met-criterion",
        ),
        pytest.param(
            assessed(), deciding(rationale="  "), DomainError, "rationale_required", id="no-why"
        ),
        pytest.param(
            an_invitation(), deciding(), Conflict, "invalid_transition", id="not-yet-assessed"
        ),
        pytest.param(
            assessed(status=Status.withdrawn),
            deciding(accept=False),
            Conflict,
            "invalid_transition",
            id="decline-a-withdrawn",
        ),
    ],
)
async def test_a_refused_decision_publishes_nothing_and_leaves_the_invitation_as_it_was(
    invitation: Invitation, cmd: DecideInvitation, refusal: type[DomainError], code: str
) -> None:
    uow = await holding(invitation)

    with pytest.raises(refusal) as refused:
        await decide_invitation(cmd, COORDINATOR, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert await uow.invitations.get("inv-1") == invitation


async def test_an_acceptance_shorter_than_the_minimum_commitment_is_refused() -> None:
    uow = await holding(assessed())

    with pytest.raises(CommitmentTooShort):
        await decide_invitation(deciding(commitment_years=4), COORDINATOR, uow, clock)

    assert uow.nothing_committed


# --- withdrawing ------------------------------------------------------------------------------


async def test_withdrawing_an_accepted_invitation_keeps_the_reason_and_publishes_without_it() -> (
    None
):
    uow = await holding(assessed(status=Status.accepted))

    cmd = WithdrawInvitation("inv-1", "Talks moved")

    view = await withdraw_invitation(cmd, COORDINATOR, uow, clock)

    assert view.invitation.status is Status.withdrawn
    assert (await uow.invitations.get("inv-1")) == view.invitation
    assert view.invitation.withdrawal_reason == "Talks moved"
    assert uow.published == [events.InvitationWithdrawnV2(invitation_id="inv-1", withdrawn_at=NOW)]


async def test_a_declined_invitation_cannot_be_withdrawn() -> None:
    uow = await holding(an_invitation(status=Status.declined))

    with pytest.raises(Conflict) as refused:
        await withdraw_invitation(WithdrawInvitation("inv-1", None), COORDINATOR, uow, clock)

    assert refused.value.code == "invalid_transition"
    assert uow.nothing_committed


# --- not found, and reading -------------------------------------------------------------------


@pytest.mark.parametrize(
    "act",
    [
        pytest.param(
            lambda uow: assess_invitation(
                AssessInvitation("nope", verdicts(), "t"), COORDINATOR, uow, clock
            ),
            id="assess",
        ),
        pytest.param(
            lambda uow: decide_invitation(deciding(invitation_id="nope"), COORDINATOR, uow, clock),
            id="decide",
        ),
        pytest.param(
            lambda uow: withdraw_invitation(
                WithdrawInvitation("nope", None), COORDINATOR, uow, clock
            ),
            id="withdraw",
        ),
        pytest.param(lambda uow: get_invitation("nope", COORDINATOR, uow), id="get"),
        pytest.param(lambda uow: matching_lessons("nope", COORDINATOR, uow), id="matching-lessons"),
    ],
)
async def test_an_unknown_invitation_is_not_found_and_nothing_is_published(
    act: Callable[[FakeInvitationsUnitOfWork], Awaitable[object]],
) -> None:
    uow = await holding(an_invitation())

    with pytest.raises(NotFound) as refused:
        await act(uow)

    assert (refused.value.field, refused.value.message) == ("invitation_id", "no invitation nope")
    assert uow.nothing_committed


async def test_reading_an_invitation_shows_lessons_only_once_it_is_assessed() -> None:
    uow = await holding(an_invitation("fresh"), assessed(invitation_id="seen"))
    await uow.lessons.put(a_lesson("in-colombia", countries=["CO"]))

    fresh = await get_invitation("fresh", COORDINATOR, uow)
    seen = await get_invitation("seen", COORDINATOR, uow)

    assert fresh.matching_lessons == []
    assert [m.lesson.lesson_id for m in seen.matching_lessons] == ["in-colombia"]
    assert uow.nothing_committed


async def test_the_search_filters_newest_first_and_shows_lessons_of_assessed_ones_only() -> None:
    uow = await holding(
        an_invitation("old", received_at=RECEIVED_AT - timedelta(days=3)),
        assessed(invitation_id="new"),
        an_invitation("kenya", conflict=ConflictDescription("Marsabit", "KE")),
    )
    await uow.lessons.put(a_lesson("in-colombia", countries=["CO"]))

    found = await search_invitations(InvitationFilter(country="CO"), COORDINATOR, uow)

    assert [(v.invitation.id, len(v.matching_lessons)) for v in found] == [("new", 1), ("old", 0)]


async def test_the_matching_lessons_of_any_invitation_are_ranked_best_first() -> None:
    uow = await holding(an_invitation())
    await uow.lessons.put(a_lesson("same-type-only", conflict_types=["land"]))
    await uow.lessons.put(a_lesson("same-country", countries=["CO"]))
    await uow.lessons.put(a_lesson("same-place", countries=["CO"], regions=["Caribbean region"]))
    await uow.lessons.put(a_lesson("country-and-type", countries=["CO"], conflict_types=["land"]))

    found = await matching_lessons("inv-1", COORDINATOR, uow)

    assert [m.lesson.lesson_id for m in found] == [
        "same-place",
        "country-and-type",
        "same-country",
    ]
    assert uow.nothing_committed
