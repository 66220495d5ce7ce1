"""Across processes and a real broker: withdrawing an accepted invitation moves its
engagement to closing in the engagements service; and the criteria a consortium admin
adjusts in evaluation are the ones the invitations service assesses against."""

from __future__ import annotations

from typing import Any

import httpx

from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform


async def test_withdrawing_an_accepted_invitation_moves_its_engagement_to_closing(
    start_platform: StartPlatform, tokens: TokenSource
) -> None:
    platform = await start_platform()
    invitations, engagements = platform.url("invitations"), platform.url("engagements")
    async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator")) as http:
        created = await http.post(f"{invitations}/invitations", json=invitation_body())
        invitation = f"{invitations}/invitations/{created.json()['id']}"
        assert (await http.put(f"{invitation}/assessment", json=assessment_body())).is_success
        assert (await http.post(f"{invitation}/decision", json=acceptance_body())).is_success

        async def engagement() -> dict[str, Any] | None:
            found = await http.get(
                f"{engagements}/engagements", params={"invitation_id": created.json()["id"]}
            )
            return found.json()[0] if found.json() else None

        opened = await eventually(engagement, what="engagement opened from the invitation")
        withdrawn = await http.post(
            f"{invitation}/withdrawal", json={"reason": "The council chose another mediator."}
        )
        assert withdrawn.status_code == 200, withdrawn.text

        async def closing() -> dict[str, Any] | None:
            found = await engagement()
            return found if found and found["status"] == "closing" else None

        closed_way = await eventually(closing, what="engagement closing after the withdrawal")

    assert opened["status"] == "listening"
    assert closed_way["closing_reason"] == "invitation_withdrawn"
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in closed_way["history"]] == [
        ("listening", "closing", "invitation_withdrawn")
    ]


async def test_a_criterion_the_consortium_makes_essential_reaches_the_assessment(
    start_platform: StartPlatform, tokens: TokenSource
) -> None:
    platform = await start_platform()
    invitations, evaluation = platform.url("invitations"), platform.url("evaluation")
    admin = tokens.auth(None, "consortium-admin")
    async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator")) as http:
        made_essential = await http.put(
            f"{evaluation}/reference/assessment_criterion/local_partners",
            json={
                "label": "Local partners are ready",
                "description": "Local peacebuilders commit to the work from the start.",
                "active": True,
                "essential": True,
            },
            auth=admin,
        )
        assert made_essential.status_code == 200, made_essential.text

        async def essential() -> bool:
            criteria = (await http.get(f"{invitations}/assessment-criteria")).json()
            return any(c["code"] == "local_partners" and c["essential"] for c in criteria)

        await eventually(essential, what="the criterion essential in invitations")
        created = await http.post(f"{invitations}/invitations", json=invitation_body())
        invitation = f"{invitations}/invitations/{created.json()['id']}"
        body = assessment_body()
        body["verdicts"]["local_partners"] = {"verdict": "unknown", "note": "Not asked yet."}
        assessed = await http.put(f"{invitation}/assessment", json=body)
        refused = await http.post(f"{invitation}/decision", json=acceptance_body())

    assert assessed.json()["assessment"]["needing_override"] == ["local_partners"]
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "override_required"
