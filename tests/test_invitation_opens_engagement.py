"""The first flow across four processes and a real broker: invitation accepted → engagement."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform


async def test_an_accepted_invitation_opens_an_engagement_in_the_engagements_service(
    start_platform: StartPlatform, tokens: TokenSource
) -> None:
    platform = await start_platform()
    async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator")) as http:
        invitations = platform.url("invitations")
        body = invitation_body()
        created = await http.post(f"{invitations}/invitations", json=body)
        assert created.status_code == 201, created.text
        invitation_id = created.json()["id"]
        assessed = await http.put(
            f"{invitations}/invitations/{invitation_id}/assessment", json=assessment_body()
        )
        assert assessed.status_code == 200, assessed.text
        accepted = await http.post(
            f"{invitations}/invitations/{invitation_id}/decision", json=acceptance_body()
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "accepted"

        async def opened() -> dict[str, Any] | None:
            found = await http.get(
                f"{platform.url('engagements')}/engagements",
                params={"invitation_id": invitation_id},
            )
            return found.json()[0] if found.json() else None

        engagement = await eventually(opened, what="engagement opened from the invitation")

        start = date.fromisoformat(engagement["start_date"])
        assert engagement["status"] == "listening"
        assert engagement["owner_org"] == "org-a"  # the organization that accepted
        assert engagement["conflict"]["country"] == "CO"
        assert engagement["purpose"].startswith("Dialogue facilitation")
        assert date.fromisoformat(engagement["committed_until"]) == start.replace(
            year=start.year + 5
        )
        single = await http.get(f"{platform.url('engagements')}/engagements/{engagement['id']}")
        assert single.json() == engagement


async def test_every_service_is_ready_and_the_engagements_service_refuses_a_create_call(
    start_platform: StartPlatform, tokens: TokenSource
) -> None:
    platform = await start_platform()
    async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator")) as http:
        for name in platform.services:

            async def ready(url: str = platform.url(name)) -> bool:
                return (await http.get(f"{url}/health/ready")).status_code == 200

            await eventually(ready, what=f"{name} ready")

        refused = await http.post(
            f"{platform.url('engagements')}/engagements", json={"conflict": "anything"}
        )
        assert refused.status_code == 405
        assert refused.json()["error"]["code"] == "engagement_opens_from_invitation_only"
        listed = await http.get(f"{platform.url('engagements')}/engagements")
        assert listed.json() == []
