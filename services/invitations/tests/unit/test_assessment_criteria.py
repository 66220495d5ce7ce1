"""Assessment against the consortium's criteria, on in-memory fakes: the criteria in force are
the defaults as the consortium changed them (from ``reference.changed`` events); an assessment
gives each a verdict and keeps which were essential; accepting overrides every unmet criterion
and every essential one left unknown."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from multitrack_invitations.application.invitations import (
    AssessInvitation,
    DecideInvitation,
    assess_invitation,
    criteria_in_force,
    decide_invitation,
)
from multitrack_invitations.application.projections import on_reference_changed
from multitrack_invitations.domain.criteria import DEFAULT_CRITERIA, in_force
from multitrack_invitations.domain.invitation import CriterionVerdict, Status, Verdict
from multitrack_shared.auth.principal import Role
from multitrack_shared.errors import DomainError
from multitrack_shared.events import invitations as events
from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.testing.principals import acting_for

from ..fakes import FakeInvitationsUnitOfWork
from .test_invitation_handlers import COORDINATOR, an_invitation, clock, holding, verdicts

pytestmark = pytest.mark.unit

CHANGED_AT = datetime(2025, 2, 1, tzinfo=UTC)


def criterion_changed(code: str, *, days: int = 0, **changes: object) -> ReferenceChanged:
    fields: dict[str, object] = {
        "key": f"assessment_criterion:{code}",
        "kind": "assessment_criterion",
        "code": code,
        "label": f"{code} as the consortium words it",
        "description": "Reworded.",
        "active": True,
        "procedure": "partnership",
        "essential": False,
        "changed_at": CHANGED_AT + timedelta(days=days),
    }
    return ReferenceChanged.model_validate({**fields, **changes})


async def consumed(*changes: ReferenceChanged) -> FakeInvitationsUnitOfWork:
    uow = await holding(an_invitation())
    for change in changes:
        await uow.consume(on_reference_changed, change)
    return uow


def with_unknown(*codes: str) -> dict[str, CriterionVerdict]:
    return {**verdicts(), **{c: CriterionVerdict(Verdict.unknown, "not known yet") for c in codes}}


def acceptance(**overrides: str) -> DecideInvitation:
    return DecideInvitation("inv-1", True, "Invited by a party.", "board", overrides, 5)


async def assessed_with(uow: FakeInvitationsUnitOfWork, found: dict[str, CriterionVerdict]) -> None:
    await assess_invitation(AssessInvitation("inv-1", found, "team"), COORDINATOR, uow, clock)


def test_without_changes_the_defaults_are_in_force_in_their_order() -> None:
    assert in_force([]) == list(DEFAULT_CRITERIA)


def test_a_change_rewords_a_default_in_place_and_an_addition_comes_last() -> None:
    reworded = replace(DEFAULT_CRITERIA[2], label="Officials can be briefed")
    added = replace(DEFAULT_CRITERIA[0], code="safe_access", label="Safe access")
    switched_off = replace(DEFAULT_CRITERIA[0], active=False)

    found = in_force([added, reworded, switched_off])

    assert [c.code for c in found] == [c.code for c in DEFAULT_CRITERIA[1:]] + ["safe_access"]
    assert found[1].label == "Officials can be briefed"


async def test_a_criterion_changed_is_kept_and_an_older_change_never_wins() -> None:
    uow = await consumed(
        criterion_changed("local_partners", days=2, essential=True),
        criterion_changed("local_partners", days=1, label="Older wording"),
    )

    kept = await uow.criteria.get("local_partners")

    assert kept is not None
    assert (kept.essential, kept.label) == (True, "local_partners as the consortium words it")


async def test_other_reference_data_is_not_kept_as_a_criterion() -> None:
    uow = await consumed(criterion_changed("trust", kind="standard_procedure"))

    assert await uow.criteria.changed() == []


async def test_a_criterion_the_consortium_adds_needs_a_verdict_and_one_switched_off_none() -> None:
    uow = await consumed(
        criterion_changed("safe_access", procedure="engagement"),
        criterion_changed("women_included", active=False),
    )
    codes = [c.code for c in await criteria_in_force(COORDINATOR, uow)]
    without_added = {c: v for c, v in verdicts().items() if c != "women_included"}

    with pytest.raises(DomainError) as missing:
        await assessed_with(uow, without_added)
    with pytest.raises(DomainError) as switched_off:
        await assessed_with(uow, {**verdicts(), "safe_access": CriterionVerdict(Verdict.met)})
    await assessed_with(uow, {**without_added, "safe_access": CriterionVerdict(Verdict.met)})

    assert codes[-1] == "safe_access"
    assert "women_included" not in codes
    assert (missing.value.code, missing.value.field) == ("verdict_missing", "verdicts.safe_access")
    assert (switched_off.value.code, switched_off.value.field) == (
        "unknown_criterion",
        "verdicts.women_included",
    )
    kept = await uow.invitations.get("inv-1")
    assert kept is not None
    assert kept.status is Status.under_assessment


async def test_an_essential_criterion_left_unknown_needs_an_override_to_accept() -> None:
    uow = await consumed()
    await assessed_with(uow, with_unknown("do_no_harm"))

    commits = uow.commits
    with pytest.raises(DomainError) as refused:
        await decide_invitation(acceptance(), COORDINATOR, uow, clock)
    refused_commits = uow.commits - commits
    await decide_invitation(
        acceptance(do_no_harm="A risk review is under way with the partners."),
        COORDINATOR,
        uow,
        clock,
    )

    assert (refused.value.code, refused.value.field) == (
        "override_required",
        "overrides.do_no_harm",
    )
    assert "essential and unknown" in refused.value.message
    assert refused_commits == 0
    accepted = [e for e in uow.published if isinstance(e, events.InvitationAcceptedV2)]
    assert [e.overridden_criteria for e in accepted] == [["do_no_harm"]]


async def test_an_unknown_verdict_on_a_criterion_not_essential_needs_no_override() -> None:
    uow = await consumed()
    await assessed_with(uow, with_unknown("women_included"))

    with pytest.raises(DomainError) as refused:
        await decide_invitation(acceptance(women_included="why"), COORDINATOR, uow, clock)
    view = await decide_invitation(acceptance(), COORDINATOR, uow, clock)

    assert refused.value.code == "override_not_needed"
    assert view.invitation.status is Status.accepted


async def test_a_criterion_made_essential_after_the_assessment_does_not_change_its_decision() -> (
    None
):
    uow = await consumed()
    await assessed_with(uow, with_unknown("local_partners"))
    await uow.consume(on_reference_changed, criterion_changed("local_partners", essential=True))

    view = await decide_invitation(acceptance(), COORDINATOR, uow, clock)

    assert view.invitation.status is Status.accepted
    assert view.invitation.assessment is not None
    assert "local_partners" not in view.invitation.assessment.essential


async def test_a_criterion_made_essential_counts_for_the_next_assessment() -> None:
    uow = await consumed(criterion_changed("local_partners", essential=True))
    await assessed_with(uow, with_unknown("local_partners"))

    with pytest.raises(DomainError) as refused:
        await decide_invitation(acceptance(), COORDINATOR, uow, clock)

    assert refused.value.field == "overrides.local_partners"


async def test_every_platform_role_reads_the_criteria_and_a_caller_without_one_does_not() -> None:
    uow = FakeInvitationsUnitOfWork()
    roleless = replace(acting_for("imtd"), roles=frozenset())

    for role in Role:
        found = await criteria_in_force(acting_for("imtd", role), uow)
        assert len(found) == len(DEFAULT_CRITERIA)
    with pytest.raises(DomainError) as refused:
        await criteria_in_force(roleless, uow)

    assert refused.value.code == "role_required"
