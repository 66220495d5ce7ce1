"""/engagements/{id}/harm-register over HTTP: incidents and risks counted by side and role,
linked to the analysis's dividers, the activity rule, and what other organizations see."""

from __future__ import annotations

from typing import Any

import httpx

from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.testing.tokens import TokenSource

from .conftest import Database, OpenEngagement, activity_body, analysis_body


def risk_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "risk",
        "category": "security",
        "severity": "high",
        "noted_on": "2026-01-10",
        "place": "Carmen de Bolívar",
        "description": "Armed men asked Rosa Villa who attends the dialogues.",
        "affected": [{"role": "participant", "count": 6, "side": "land claimants"}],
        "dividers": ["Competing land claims"],
    }
    return {**body, **changes}


async def an_engagement_with_its_analysis(
    client: httpx.AsyncClient, open_engagement: OpenEngagement
) -> str:
    engagement_id = await open_engagement()
    analysed = await client.post(f"/engagements/{engagement_id}/analyses", json=analysis_body())
    assert analysed.status_code == 201, analysed.text
    return engagement_id


async def test_an_open_high_risk_holds_back_activities_in_its_place_until_it_is_mitigated(
    client: httpx.AsyncClient, open_engagement: OpenEngagement, db: Database
) -> None:
    engagement_id = await an_engagement_with_its_analysis(client, open_engagement)
    register = f"/engagements/{engagement_id}/harm-register"

    risk = await client.post(register, json=risk_body())
    held_back = await client.post(f"/engagements/{engagement_id}/activities", json=activity_body())
    mitigated = await client.post(
        f"{register}/{risk.json()['id']}/review",
        json={"mitigation": "Meet in the parish hall; no attendance lists."},
        headers={"If-Match": risk.headers["ETag"]},
    )
    held = await client.post(f"/engagements/{engagement_id}/activities", json=activity_body())

    assert risk.status_code == 201, risk.text
    assert (held_back.status_code, held_back.json()["error"]["code"]) == (
        409,
        "mitigation_required",
    )
    assert mitigated.status_code == 200, mitigated.text
    assert mitigated.json()["mitigated"] is True
    assert held.status_code == 201, held.text
    types = await db.outbox_types()
    assert types.count("multitrack.engagement.harm_recorded.v1") == 1
    assert types.count("multitrack.engagement.harm_reviewed.v1") == 1


async def test_an_incident_links_to_an_activity_and_names_only_the_analysis_dividers(
    client: httpx.AsyncClient, open_engagement: OpenEngagement
) -> None:
    engagement_id = await an_engagement_with_its_analysis(client, open_engagement)
    activity = await client.post(f"/engagements/{engagement_id}/activities", json=activity_body())
    register = f"/engagements/{engagement_id}/harm-register"
    incident = risk_body(kind="incident", severity="medium", activity_ids=[activity.json()["id"]])

    recorded = await client.post(register, json=incident)
    unknown = await client.post(register, json={**incident, "dividers": ["Made up"]})

    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["activity_ids"] == [activity.json()["id"]]
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "unknown_divider")


async def test_other_organizations_see_counts_and_codes_but_not_places_or_what_happened(
    client: httpx.AsyncClient, open_engagement: OpenEngagement, tokens: TokenSource
) -> None:
    engagement_id = await an_engagement_with_its_analysis(client, open_engagement)
    register = f"/engagements/{engagement_id}/harm-register"
    await client.post(register, json=risk_body())
    other = tokens.auth("org-b", "coordinator")

    (own,) = (await client.get(register)).json()
    (seen,) = (await client.get(register, auth=other)).json()
    refused = await client.post(register, json=risk_body(), auth=other)

    assert own["place"] == "Carmen de Bolívar"
    assert (seen["place"], seen["description"], seen["dividers"]) == (None, None, None)
    assert (seen["severity"], seen["affected"][0]["count"]) == ("high", 6)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_owner")


async def test_a_risk_of_another_organizations_engagement_holds_back_an_activity_in_its_place(
    client: httpx.AsyncClient, open_engagement: OpenEngagement, tokens: TokenSource
) -> None:
    mine = await open_engagement()
    org_b = tokens.auth("org-b", "coordinator")
    theirs = await open_engagement(
        ownership=Ownership(owner_org="org-b", visibility=Visibility.owner)
    )
    analysed = await client.post(
        f"/engagements/{theirs}/analyses", json=analysis_body(), auth=org_b
    )
    assert analysed.status_code == 201, analysed.text
    risk = await client.post(f"/engagements/{theirs}/harm-register", json=risk_body(), auth=org_b)
    assert risk.status_code == 201, risk.text

    held_back = await client.post(f"/engagements/{mine}/activities", json=activity_body())
    mitigated = await client.post(
        f"/engagements/{theirs}/harm-register/{risk.json()['id']}/review",
        json={"mitigation": "Meet in the parish hall; no attendance lists."},
        auth=org_b,
    )
    held = await client.post(f"/engagements/{mine}/activities", json=activity_body())

    assert held_back.status_code == 409, held_back.text
    error = held_back.json()["error"]
    assert (error["code"], error["fields"][0]["field"]) == ("risk_recorded_by_others", "place")
    assert "org-b" in error["message"]
    assert [s for s in ("Armed men", "Rosa Villa", theirs) if s in held_back.text] == []
    assert mitigated.status_code == 200, mitigated.text
    assert held.status_code == 201, held.text
