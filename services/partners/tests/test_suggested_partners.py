"""GET /engagements/{id}/suggested-partners: who already works where the engagement works."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


async def suggestions(client: httpx.AsyncClient, engagement_id: str = "eng-1") -> Any:
    response = await client.get(f"/engagements/{engagement_id}/suggested-partners")
    assert response.status_code == 200, response.text
    return response.json()


async def names(client: httpx.AsyncClient, engagement_id: str = "eng-1") -> list[str]:
    return [s["name"] for s in await suggestions(client, engagement_id)]


@pytest.fixture
async def engagement(open_engagement: Any) -> Any:
    """eng-1 in Colombia, invited by a party working in track 4."""
    return await open_engagement("eng-1", inviter_track=4)


async def test_only_partners_working_in_the_engagements_country_are_suggested(
    client: httpx.AsyncClient, register: Any, engagement: Any
) -> None:
    await register(name="In Colombia", countries=["CO", "PE"])
    await register(name="In Kenya", countries=["KE"])

    assert await names(client) == ["In Colombia"]


async def test_gap_fillers_come_first_then_local_then_most_shared_tracks_then_women_led_then_name(
    client: httpx.AsyncClient, register: Any, engagement: Any, record_activity: Any
) -> None:
    await record_activity("act-1", tracks=[7])  # the engagement's tracks: 4 and 7
    common = {"countries": ["CO"], "womens_rights_org": False}
    await register(name="Abroad, both tracks", is_local=False, tracks=[4, 7], **common)
    await register(name="Local, no track", is_local=True, tracks=[2], women_led=True, **common)
    await register(name="Local, one track", is_local=True, tracks=[4], women_led=False, **common)
    await register(name="Local, both tracks", is_local=True, tracks=[4, 7], **common)
    await register(name="B local, one track, women-led", tracks=[7], women_led=True, **common)
    await register(name="A local, one track, women-led", tracks=[4], women_led=True, **common)

    assert await names(client) == [
        "Local, no track",  # of the engagement's: it alone reaches a track it lacks (2)
        "Local, both tracks",
        "A local, one track, women-led",
        "B local, one track, women-led",
        "Local, one track",
        "Abroad, both tracks",
    ]


async def test_each_suggestion_says_why(
    client: httpx.AsyncClient, register: Any, engagement: Any, record_activity: Any
) -> None:
    await record_activity("act-1", tracks=[7, 5])
    await register(name="Both", is_local=True, women_led=True, tracks=[4, 7])
    await register(name="Abroad", is_local=False, women_led=False, tracks=[5])

    both, abroad = await suggestions(client)

    assert both["name"] == "Both"
    assert both["partner_id"]
    assert both["reasons"] == ["local", "works in CO", "shares tracks 4, 7", "women-led"]
    assert both["shared_tracks"] == [4, 7]
    assert abroad["reasons"] == ["works in CO", "shares track 5"]
    assert abroad["shared_tracks"] == [5]
    assert "contact_people" not in both


async def test_partners_already_in_a_running_or_coming_partnership_on_it_are_left_out(
    client: httpx.AsyncClient, register: Any, engagement: Any, open_engagement: Any
) -> None:
    running = await register(name="Running")
    coming = await register(name="Coming")
    over = await register(name="Over")
    elsewhere = await register(name="Partner elsewhere")
    await open_engagement("eng-2")
    for partner, engagement_id, starts_on, ends_on in [
        (running, "eng-1", "2026-01-01", None),
        (coming, "eng-1", "2026-06-01", "2026-12-31"),
        (over, "eng-1", "2025-01-01", "2026-03-01"),  # the clock says 2026-03-02
        (elsewhere, "eng-2", "2026-01-01", None),
    ]:
        body = {
            "partner_id": partner["id"],
            "engagement_id": engagement_id,
            "role": "host",
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
        assert (await client.post("/partnerships", json=body)).status_code == 201

    assert sorted(await names(client)) == ["Over", "Partner elsewhere"]


async def test_a_partnership_ended_early_frees_the_partner_after_its_last_day(
    client: httpx.AsyncClient, register: Any, engagement: Any
) -> None:
    partner = await register(name="Ended")
    body = {
        "partner_id": partner["id"],
        "engagement_id": "eng-1",
        "role": "trainer",
        "starts_on": "2026-01-01",
    }
    partnership = (await client.post("/partnerships", json=body)).json()
    assert await names(client) == []

    await client.post(f"/partnerships/{partnership['id']}/end", json={"ends_on": "2026-03-01"})

    assert await names(client) == ["Ended"]


async def test_a_revised_profile_changes_the_suggestions(
    client: httpx.AsyncClient, register: Any, engagement: Any
) -> None:
    partner = await register(name="Moving", countries=["CO"])
    profile = {k: v for k, v in partner.items() if k in {"name", "kind", "tracks", "is_local"}}
    profile |= {"countries": ["KE"], "women_led": True, "womens_rights_org": False}

    assert (await client.put(f"/partners/{partner['id']}", json=profile)).status_code == 200

    assert await names(client) == []


async def test_the_number_of_suggestions_is_limited_on_request(
    client: httpx.AsyncClient, register: Any, engagement: Any
) -> None:
    for n in range(3):
        await register(name=f"Partner {n}")

    response = await client.get("/engagements/eng-1/suggested-partners", params={"limit": 2})

    assert [s["name"] for s in response.json()] == ["Partner 0", "Partner 1"]


async def test_an_unknown_engagement_answers_404_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/engagements/eng-unheard-of/suggested-partners")

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "engagement_id"


@pytest.mark.parametrize("limit", [0, 501, "many"])
async def test_a_bad_limit_answers_422_naming_it(
    client: httpx.AsyncClient, engagement: Any, limit: Any
) -> None:
    response = await client.get("/engagements/eng-1/suggested-partners", params={"limit": limit})

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "query.limit"


async def test_partners_reaching_the_tracks_the_engagement_lacks_come_first_until_one_joins_it(
    client: httpx.AsyncClient, register: Any, engagement: Any
) -> None:
    common = {"countries": ["CO"], "is_local": True, "women_led": False}
    await register(name="A, track 4 only", tracks=[4], **common)  # the inviter's: covered
    religious = await register(name="B, religious", tracks=[7], **common)
    await register(name="C, religious too", tracks=[7], **common)

    first = await suggestions(client)
    body = {
        "partner_id": religious["id"],
        "engagement_id": "eng-1",
        "role": "host",
        "starts_on": "2026-01-01",
    }
    assert (await client.post("/partnerships", json=body)).status_code == 201
    then = await suggestions(client)

    assert [(s["name"], s["fills_gaps"]) for s in first] == [
        ("B, religious", [7]),
        ("C, religious too", [7]),
        ("A, track 4 only", []),
    ]
    assert first[0]["reasons"][0] == "reaches track 7, which the engagement lacks"
    # track 7 is now reached through the partner that joined: nothing left favours the other
    assert [(s["name"], s["fills_gaps"]) for s in then] == [
        ("A, track 4 only", []),
        ("C, religious too", []),
    ]
