"""The invitation's rules, on the domain model alone: no database, no HTTP, no broker."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from multitrack_invitations.domain.model import (
    Assessment,
    ConflictDescription,
    Criterion,
    CriterionVerdict,
    Decision,
    Invitation,
    Inviter,
    Status,
    Verdict,
)
from multitrack_shared.errors import Conflict, DomainError

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def an_invitation() -> Invitation:
    return Invitation(
        id="inv-1",
        owner_org="imtd",
        visibility="consortium",
        inviter=Inviter(
            name="Council of Elders of Montes de María",
            kind="community council",
            track=4,
            is_party_to_conflict=True,
        ),
        conflict=ConflictDescription(name="Montes de María land conflict", country="CO"),
        support_requested="Dialogue facilitation",
        channel="letter",
        received_at=NOW,
    )


def an_assessment(
    unmet: tuple[Criterion, ...] = (), leave_out: tuple[Criterion, ...] = ()
) -> Assessment:
    verdicts = {
        c: CriterionVerdict(Verdict.unmet if c in unmet else Verdict.met, note=f"{c} checked")
        for c in Criterion
        if c not in leave_out
    }
    return Assessment(verdicts=verdicts, assessed_by="assessment team", assessed_at=NOW)


def an_acceptance(**changes: Any) -> Decision:
    fields: dict[str, Any] = {
        "accepted": True,
        "rationale": "Invited by a party; local partners ready.",
        "decided_by": "board",
        "decided_at": NOW,
        "commitment_years": 5,
    }
    return Decision(**{**fields, **changes})


def a_refusal() -> Decision:
    return Decision(
        accepted=False, rationale="No local partners.", decided_by="board", decided_at=NOW
    )


def under_assessment(unmet: tuple[Criterion, ...] = ()) -> Invitation:
    invitation = an_invitation()
    invitation.assess(an_assessment(unmet=unmet))
    return invitation


def test_a_new_invitation_starts_as_received() -> None:
    assert an_invitation().status is Status.received


def test_a_verdict_for_every_criterion_puts_the_invitation_under_assessment() -> None:
    invitation = an_invitation()

    invitation.assess(an_assessment(unmet=(Criterion.do_no_harm,)))

    assert invitation.status is Status.under_assessment
    assert invitation.assessment is not None
    assert invitation.assessment.unmet == [Criterion.do_no_harm]


@pytest.mark.parametrize("missing", list(Criterion))
def test_an_assessment_missing_a_criterion_is_refused_naming_that_criterion(
    missing: Criterion,
) -> None:
    invitation = an_invitation()

    with pytest.raises(DomainError) as raised:
        invitation.assess(an_assessment(leave_out=(missing,)))

    assert raised.value.field == f"verdicts.{missing}"
    assert raised.value.code == "verdict_missing"
    assert raised.value.status_code == 422
    assert invitation.status is Status.received
    assert invitation.assessment is None


def test_an_invitation_under_assessment_can_be_reassessed_and_the_new_verdicts_win() -> None:
    invitation = under_assessment(unmet=(Criterion.local_partners,))

    invitation.assess(an_assessment())

    assert invitation.status is Status.under_assessment
    assert invitation.assessment is not None
    assert invitation.assessment.unmet == []


def test_accepting_with_every_criterion_met_records_the_decision() -> None:
    invitation = under_assessment()

    invitation.accept(an_acceptance())

    assert invitation.status is Status.accepted
    assert invitation.decision is not None
    assert invitation.decision.commitment_years == 5


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_accepting_with_an_unmet_criterion_and_no_override_reason_is_refused(
    reason: str | None,
) -> None:
    invitation = under_assessment(unmet=(Criterion.five_year_capacity,))
    overrides = {} if reason is None else {Criterion.five_year_capacity: reason}

    with pytest.raises(DomainError) as raised:
        invitation.accept(an_acceptance(overrides=overrides))

    assert raised.value.field == "overrides.five_year_capacity"
    assert raised.value.code == "override_required"
    assert invitation.status is Status.under_assessment
    assert invitation.decision is None


def test_accepting_with_an_unmet_criterion_overridden_with_a_reason_succeeds() -> None:
    invitation = under_assessment(unmet=(Criterion.five_year_capacity,))
    overrides = {Criterion.five_year_capacity: "A second member co-funds years four and five."}

    invitation.accept(an_acceptance(overrides=overrides))

    assert invitation.status is Status.accepted
    assert invitation.decision is not None
    assert invitation.decision.overrides == overrides


def test_each_of_several_unmet_criteria_needs_its_own_override_reason() -> None:
    invitation = under_assessment(unmet=(Criterion.do_no_harm, Criterion.local_partners))

    with pytest.raises(DomainError) as raised:
        invitation.accept(an_acceptance(overrides={Criterion.do_no_harm: "Mitigation planned."}))

    assert raised.value.field == "overrides.local_partners"
    assert raised.value.code == "override_required"


def test_an_override_for_a_criterion_that_is_met_is_refused() -> None:
    invitation = under_assessment()

    with pytest.raises(DomainError) as raised:
        invitation.accept(an_acceptance(overrides={Criterion.do_no_harm: "Just in case."}))

    assert raised.value.field == "overrides.do_no_harm"
    assert raised.value.code == "override_not_needed"
    assert invitation.status is Status.under_assessment


@pytest.mark.parametrize("years", [None, 0, 4])
def test_a_commitment_shorter_than_five_years_is_refused(years: int | None) -> None:
    invitation = under_assessment()

    with pytest.raises(DomainError) as raised:
        invitation.accept(an_acceptance(commitment_years=years))

    assert raised.value.field == "commitment_years"
    assert raised.value.code == "commitment_too_short"
    assert invitation.status is Status.under_assessment


def test_an_invitation_cannot_be_accepted_before_it_is_assessed() -> None:
    invitation = an_invitation()

    with pytest.raises(Conflict) as raised:
        invitation.accept(an_acceptance())

    assert raised.value.code == "invalid_transition"
    assert raised.value.status_code == 409
    assert raised.value.field == "status"
    assert invitation.status is Status.received


def test_a_received_invitation_can_be_declined_without_an_assessment() -> None:
    invitation = an_invitation()

    invitation.decline(a_refusal())

    assert invitation.status is Status.declined
    assert invitation.decision is not None
    assert invitation.decision.accepted is False


def test_an_invitation_under_assessment_can_be_declined() -> None:
    invitation = under_assessment(unmet=(Criterion.local_partners,))

    invitation.decline(a_refusal())

    assert invitation.status is Status.declined


def test_a_declined_invitation_can_no_longer_be_withdrawn() -> None:
    invitation = an_invitation()
    invitation.decline(a_refusal())

    with pytest.raises(Conflict) as raised:
        invitation.withdraw("changed our mind", NOW)

    assert raised.value.code == "invalid_transition"
    assert invitation.status is Status.declined
    assert invitation.withdrawn_at is None


def test_an_accepted_invitation_can_still_be_withdrawn_by_the_inviter() -> None:
    invitation = under_assessment()
    invitation.accept(an_acceptance())

    invitation.withdraw("new government", NOW)

    assert invitation.status is Status.withdrawn
    assert invitation.withdrawal_reason == "new government"
    assert invitation.withdrawn_at == NOW


@pytest.mark.parametrize(
    "act",
    [
        pytest.param(lambda inv: inv.assess(an_assessment()), id="assess"),
        pytest.param(lambda inv: inv.accept(an_acceptance()), id="accept"),
        pytest.param(lambda inv: inv.decline(a_refusal()), id="decline"),
        pytest.param(lambda inv: inv.withdraw(None, NOW), id="withdraw"),
    ],
)
def test_a_withdrawn_invitation_refuses_every_further_transition(act: Any) -> None:
    invitation = an_invitation()
    invitation.withdraw(None, NOW)

    with pytest.raises(Conflict) as raised:
        act(invitation)

    assert raised.value.code == "invalid_transition"
    assert invitation.status is Status.withdrawn


def test_an_accepted_invitation_cannot_be_reassessed_or_declined() -> None:
    invitation = under_assessment()
    invitation.accept(an_acceptance())

    with pytest.raises(Conflict):
        invitation.assess(an_assessment())
    with pytest.raises(Conflict):
        invitation.decline(a_refusal())
    assert invitation.status is Status.accepted
