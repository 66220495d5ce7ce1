"""One minimum commitment and one refusal of it: the HTTP schema answers with the domain's own
rule and message, and the published event and the documentation state the same minimum."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from multitrack_invitations.domain.criteria import DEFAULT_CRITERIA
from multitrack_invitations.domain.invitation import (
    Assessment,
    CriterionVerdict,
    Decision,
    Invitation,
    Inviter,
    Verdict,
)
from multitrack_shared.commitment import MIN_COMMITMENT_YEARS
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import DomainError
from multitrack_shared.events.invitations import InvitationAcceptedV2
from multitrack_shared.testing.samples import (
    CRITERIA,
    acceptance_body,
    assessment_body,
    invitation_body,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def the_domains_refusal(years: int) -> DomainError:
    """What ``Invitation.accept`` raises for ``years``, on an invitation ready to accept."""
    invitation = Invitation.receive(
        id="inv-1",
        owner_org="imtd",
        visibility="consortium",
        inviter=Inviter("Council of Elders", "community council", 4, True, "rural communities"),
        conflict=ConflictDescription(name="Montes de María land conflict", country="CO"),
        support_requested="Dialogue facilitation",
        channel="letter",
        received_at=NOW,
    )
    met = {c: CriterionVerdict(Verdict.met) for c in CRITERIA}
    invitation.assess(
        Assessment(met, assessed_by="assessment team", assessed_at=NOW), DEFAULT_CRITERIA
    )
    decision = Decision(True, "Invited by a party.", "board", NOW, commitment_years=years)
    with pytest.raises(DomainError) as refused:
        invitation.accept(decision)
    return refused.value


async def under_assessment(client: httpx.AsyncClient) -> str:
    received = await client.post("/invitations", json=invitation_body())
    invitation_id = str(received.json()["id"])
    assessed = await client.put(f"/invitations/{invitation_id}/assessment", json=assessment_body())
    assert assessed.status_code == 200, assessed.text
    return invitation_id


async def test_a_commitment_under_the_minimum_is_refused_with_the_domains_rule_and_message(
    client: httpx.AsyncClient,
) -> None:
    invitation_id = await under_assessment(client)
    years = MIN_COMMITMENT_YEARS - 1

    response = await client.post(
        f"/invitations/{invitation_id}/decision", json=acceptance_body(commitment_years=years)
    )

    refused = the_domains_refusal(years)
    assert response.status_code == 422
    problems: list[dict[str, Any]] = response.json()["error"]["fields"]
    assert problems == [
        {"field": "body.commitment_years", "rule": refused.code, "message": refused.message}
    ]
    assert refused.code == "commitment_too_short"
    assert refused.field == "commitment_years"
    assert str(MIN_COMMITMENT_YEARS) in refused.message


async def test_a_commitment_of_exactly_the_minimum_is_accepted_and_published(
    client: httpx.AsyncClient,
) -> None:
    invitation_id = await under_assessment(client)

    response = await client.post(
        f"/invitations/{invitation_id}/decision",
        json=acceptance_body(commitment_years=MIN_COMMITMENT_YEARS),
    )

    assert response.status_code == 200, response.text
    assert response.json()["decision"]["commitment_years"] == MIN_COMMITMENT_YEARS


def test_the_api_documentation_and_the_accepted_event_state_the_same_minimum(app: FastAPI) -> None:
    documented = app.openapi()["components"]["schemas"]["DecisionCreate"]["properties"]
    published = InvitationAcceptedV2.model_json_schema()["properties"]

    assert documented["commitment_years"]["minimum"] == MIN_COMMITMENT_YEARS
    assert documented["commitment_years"]["default"] == MIN_COMMITMENT_YEARS
    assert published["commitment_years"]["minimum"] == MIN_COMMITMENT_YEARS
