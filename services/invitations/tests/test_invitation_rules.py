"""The invitation's rules, on the domain model alone: no database, no HTTP, no broker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from multitrack_invitations.domain.criteria import DEFAULT_CRITERIA
from multitrack_invitations.domain.invitation import (
    Assessment,
    CriterionVerdict,
    Decision,
    Invitation,
    Inviter,
    Status,
    Verdict,
)
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.testing.samples import CRITERIA

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def an_inviter(**changes: Any) -> Inviter:
    fields: dict[str, Any] = {
        "name": "Council of Elders of Montes de María",
        "kind": "community council",
        "track": 4,
        "is_party_to_conflict": True,
        "side": "rural communities",
    }
    return Inviter(**{**fields, **changes})


def an_invitation(**changes: Any) -> Invitation:
    fields: dict[str, Any] = {
        "id": "inv-1",
        "owner_org": "imtd",
        "visibility": "consortium",
        "inviter": an_inviter(),
        "conflict": ConflictDescription(name="Montes de María land conflict", country="CO"),
        "support_requested": "Dialogue facilitation",
        "channel": "letter",
        "received_at": NOW,
    }
    return Invitation.receive(**{**fields, **changes})


def an_assessment(unmet: tuple[str, ...] = (), leave_out: tuple[str, ...] = ()) -> Assessment:
    verdicts = {
        c: CriterionVerdict(Verdict.unmet if c in unmet else Verdict.met, note=f"{c} checked")
        for c in CRITERIA
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


def under_assessment(unmet: tuple[str, ...] = ()) -> Invitation:
    invitation = an_invitation()
    invitation.assess(an_assessment(unmet=unmet), DEFAULT_CRITERIA)
    return invitation


def test_a_new_invitation_starts_as_received() -> None:
    assert an_invitation().status is Status.received


def test_an_invitation_arrived_on_no_given_day_arrived_the_day_it_was_received() -> None:
    assert an_invitation().arrived_on == date(2025, 3, 1)


def test_an_invitation_keeps_an_earlier_arrival_day_such_as_a_letters_date() -> None:
    assert an_invitation(arrived_on=date(2025, 2, 20)).arrived_on == date(2025, 2, 20)


def test_an_arrival_day_ahead_of_utc_but_already_today_somewhere_is_accepted() -> None:
    late_evening = datetime(2025, 3, 1, 22, 0, tzinfo=UTC)  # 2 March already in Auckland

    invitation = an_invitation(received_at=late_evening, arrived_on=date(2025, 3, 2))

    assert invitation.arrived_on == date(2025, 3, 2)


def test_an_invitation_that_arrives_after_the_day_it_was_received_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        an_invitation(arrived_on=date(2025, 3, 3))

    assert raised.value.field == "arrived_on"
    assert raised.value.code == "arrived_in_future"


@pytest.mark.parametrize("side", [None, "", "  "])
def test_an_inviter_party_to_the_conflict_without_a_side_is_refused(side: str | None) -> None:
    with pytest.raises(DomainError) as raised:
        an_invitation(inviter=an_inviter(side=side))

    assert raised.value.field == "inviter.side"
    assert raised.value.code == "side_required"


def test_an_inviter_that_is_not_a_party_may_stand_on_no_side() -> None:
    inviter = an_inviter(is_party_to_conflict=False, side=None, kind="religious body", track=7)

    assert an_invitation(inviter=inviter).inviter.side is None


def test_a_verdict_for_every_criterion_puts_the_invitation_under_assessment() -> None:
    invitation = an_invitation()

    invitation.assess(an_assessment(unmet=("do_no_harm",)), DEFAULT_CRITERIA)

    assert invitation.status is Status.under_assessment
    assert invitation.assessment is not None
    assert invitation.assessment.unmet == ["do_no_harm"]


@pytest.mark.parametrize("missing", list(CRITERIA))
def test_an_assessment_missing_a_criterion_is_refused_naming_that_criterion(
    missing: str,
) -> None:
    invitation = an_invitation()

    with pytest.raises(DomainError) as raised:
        invitation.assess(an_assessment(leave_out=(missing,)), DEFAULT_CRITERIA)

    assert raised.value.field == f"verdicts.{missing}"
    assert raised.value.code == "verdict_missing"
    assert raised.value.status_code == 422
    assert invitation.status is Status.received
    assert invitation.assessment is None


def test_an_invitation_under_assessment_can_be_reassessed_and_the_new_verdicts_win() -> None:
    invitation = under_assessment(unmet=("local_partners",))

    invitation.assess(an_assessment(), DEFAULT_CRITERIA)

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
    invitation = under_assessment(unmet=("five_year_capacity",))
    overrides = {} if reason is None else {"five_year_capacity": reason}

    with pytest.raises(DomainError) as raised:
        invitation.accept(an_acceptance(overrides=overrides))

    assert raised.value.field == "overrides.five_year_capacity"
    assert raised.value.code == "override_required"
    assert invitation.status is Status.under_assessment
    assert invitation.decision is None


def test_accepting_with_an_unmet_criterion_overridden_with_a_reason_succeeds() -> None:
    invitation = under_assessment(unmet=("five_year_capacity",))
    overrides = {"five_year_capacity": "A second member co-funds years four and five."}

    invitation.accept(an_acceptance(overrides=overrides))

    assert invitation.status is Status.accepted
    assert invitation.decision is not None
    assert invitation.decision.overrides == overrides


def test_each_of_several_unmet_criteria_needs_its_own_override_reason() -> None:
    invitation = under_assessment(unmet=("do_no_harm", "local_partners"))

    with pytest.raises(DomainError) as raised:
        invitation.accept(an_acceptance(overrides={"do_no_harm": "Mitigation planned."}))

    assert raised.value.field == "overrides.local_partners"
    assert raised.value.code == "override_required"


def test_an_override_for_a_criterion_that_is_met_is_refused() -> None:
    invitation = under_assessment()

    with pytest.raises(DomainError) as raised:
        invitation.accept(an_acceptance(overrides={"do_no_harm": "Just in case."}))

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
    invitation = under_assessment(unmet=("local_partners",))

    invitation.decline(a_refusal())

    assert invitation.status is Status.declined


@pytest.mark.parametrize("rationale", ["", "   "])
def test_a_decision_without_a_rationale_is_refused_whether_accepting_or_declining(
    rationale: str,
) -> None:
    accepting, declining = under_assessment(), under_assessment()

    with pytest.raises(DomainError) as refused_acceptance:
        accepting.accept(an_acceptance(rationale=rationale))
    with pytest.raises(DomainError) as refused_decline:
        declining.decline(Decision(False, rationale, "board", NOW))

    for raised in (refused_acceptance, refused_decline):
        assert raised.value.field == "rationale"
        assert raised.value.code == "rationale_required"
    assert accepting.status is declining.status is Status.under_assessment


def test_a_declined_invitation_keeps_the_rationale_it_was_declined_for() -> None:
    invitation = under_assessment()

    invitation.decline(a_refusal())

    assert invitation.decision is not None
    assert invitation.decision.rationale == "No local partners."


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
        pytest.param(lambda inv: inv.assess(an_assessment(), DEFAULT_CRITERIA), id="assess"),
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
        invitation.assess(an_assessment(), DEFAULT_CRITERIA)
    with pytest.raises(Conflict):
        invitation.decline(a_refusal())
    assert invitation.status is Status.accepted


def accepted() -> Invitation:
    invitation = under_assessment()
    invitation.accept(an_acceptance())
    return invitation


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(an_invitation, id="received"),
        pytest.param(under_assessment, id="under-assessment"),
        pytest.param(accepted, id="accepted"),
    ],
)
def test_the_inviter_may_withdraw_at_any_time_until_a_decline(state: Any) -> None:
    invitation = state()

    invitation.withdraw(None, NOW)

    assert invitation.status is Status.withdrawn
    assert invitation.withdrawal_reason is None
    assert invitation.withdrawn_at == NOW
