"""Inclusion figures, per engagement and for the consortium (standards 6 and 11)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from multitrack_shared.events.engagements import ParticipantCount

ROLES = [
    "facilitator",
    "mediator",
    "negotiator",
    "delegate",
    "technical_expert",
    "observer",
    "participant",
]


def people(sex: str, role: str, count: int, track: int = 4) -> ParticipantCount:
    return ParticipantCount.model_validate(
        {"sex": sex, "role": role, "track": track, "count": count}
    )


async def partnered(
    client: httpx.AsyncClient,
    partner: dict[str, Any],
    engagement_id: str,
    role: str = "host",
    auth: httpx.Auth | None = None,
) -> dict[str, Any]:
    """A partnership formed by the engagement's owner: org-a's coordinator, or ``auth``."""
    body = {
        "partner_id": partner["id"],
        "engagement_id": engagement_id,
        "role": role,
        "starts_on": "2026-04-01",
    }
    response = await (
        client.post("/partnerships", json=body)
        if auth is None
        else client.post("/partnerships", json=body, auth=auth)
    )
    assert response.status_code == 201, response.text
    partnership: dict[str, Any] = response.json()
    return partnership


async def figures(client: httpx.AsyncClient, path: str, **params: Any) -> Any:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
async def two_engagements(
    client: httpx.AsyncClient,
    register: Any,
    open_engagement: Any,
    record_activity: Any,
    other: httpx.Auth,
) -> None:
    """eng-1 (org-a): three partners, two activities; eng-2 (org-b, consortium-visible): one
    partner, one activity. org-a registered the partners, all consortium-visible."""
    await open_engagement("eng-1")
    await open_engagement("eng-2", ownership={"owner_org": "org-b"})
    local_women = await register(name="A", is_local=True, women_led=True, womens_rights_org=True)
    local = await register(name="B", is_local=True, women_led=False, womens_rights_org=False)
    abroad = await register(name="C", is_local=False, women_led=True, womens_rights_org=False)
    for partner in (local_women, local, abroad):
        await partnered(client, partner, "eng-1")
    await partnered(client, local_women, "eng-1", role="trainer")  # counted once
    await partnered(client, abroad, "eng-2", auth=other)
    await record_activity(
        "act-1",
        led_locally=True,
        participants=[
            people("female", "participant", 6),
            people("female", "participant", 2, track=7),
            people("male", "participant", 4),
            people("female", "facilitator", 1),
        ],
    )
    await record_activity(
        "act-2",
        led_locally=False,
        participants=[people("male", "mediator", 2), people("undisclosed", "participant", 1)],
    )
    await record_activity(
        "act-3", "eng-2", led_locally=True, participants=[people("female", "delegate", 3)]
    )


async def test_an_engagements_partner_figures_count_each_partner_once_with_shares(
    client: httpx.AsyncClient, two_engagements: None
) -> None:
    answer = await figures(client, "/engagements/eng-1/inclusion")

    assert answer["engagement_id"] == "eng-1"
    assert answer["partners"] == {
        "total": 3,
        "local": 2,
        "local_share": 0.667,
        "women_led": 2,
        "women_led_share": 0.667,
        "womens_rights_orgs": 1,
        "womens_rights_orgs_share": 0.333,
    }


async def test_an_engagements_participants_are_counted_with_women_by_role(
    client: httpx.AsyncClient, two_engagements: None
) -> None:
    participants = (await figures(client, "/engagements/eng-1/inclusion"))["participants"]

    assert participants["total"] == 16
    assert participants["women"] == 9
    assert participants["women_share"] == 0.562
    assert list(participants["by_role"]) == ROLES
    assert participants["by_role"]["participant"] == {"total": 13, "women": 8}
    assert participants["by_role"]["facilitator"] == {"total": 1, "women": 1}
    assert participants["by_role"]["mediator"] == {"total": 2, "women": 0}
    assert participants["by_role"]["observer"] == {"total": 0, "women": 0}


async def test_an_engagements_activities_show_the_share_led_locally(
    client: httpx.AsyncClient, two_engagements: None
) -> None:
    activities = (await figures(client, "/engagements/eng-1/inclusion"))["activities"]

    assert activities == {"total": 2, "led_locally": 1, "led_locally_share": 0.5}


async def test_an_ended_partnership_still_counts_its_partner(
    client: httpx.AsyncClient, register: Any, open_engagement: Any
) -> None:
    await open_engagement("eng-1")
    partnership = await partnered(client, await register(), "eng-1")
    await client.post(f"/partnerships/{partnership['id']}/end", json={"ends_on": "2026-05-01"})

    answer = await figures(client, "/engagements/eng-1/inclusion")

    assert answer["partners"]["total"] == 1


async def test_partner_figures_follow_the_partners_revised_profile(
    client: httpx.AsyncClient, register: Any, open_engagement: Any
) -> None:
    await open_engagement("eng-1")
    partner = await register(is_local=True)
    await partnered(client, partner, "eng-1")
    profile = {k: v for k, v in partner.items() if k in {"name", "kind", "tracks", "countries"}}
    profile |= {"is_local": False, "women_led": True, "womens_rights_org": True}
    await client.put(f"/partners/{partner['id']}", json=profile)

    answer = await figures(client, "/engagements/eng-1/inclusion")

    assert answer["partners"]["local"] == 0


async def test_an_engagement_with_nothing_yet_has_zero_counts_and_no_shares(
    client: httpx.AsyncClient, open_engagement: Any
) -> None:
    await open_engagement("eng-1")

    answer = await figures(client, "/engagements/eng-1/inclusion")

    assert answer["partners"]["total"] == 0
    assert answer["partners"]["local_share"] is None
    assert answer["participants"]["total"] == 0
    assert answer["participants"]["women_share"] is None
    assert answer["activities"] == {"total": 0, "led_locally": 0, "led_locally_share": None}


async def test_the_consortium_figures_cover_every_engagement(
    client: httpx.AsyncClient, two_engagements: None
) -> None:
    answer = await figures(client, "/inclusion")

    assert answer["owner_org"] is None
    assert answer["engagements"] == 2
    assert answer["partners"]["total"] == 3
    assert answer["participants"]["total"] == 19
    assert answer["participants"]["women"] == 12
    assert answer["participants"]["by_role"]["delegate"] == {"total": 3, "women": 3}
    assert answer["activities"] == {"total": 3, "led_locally": 2, "led_locally_share": 0.667}


async def test_one_members_figures_cover_only_its_engagements(
    client: httpx.AsyncClient, two_engagements: None
) -> None:
    org_b = await figures(client, "/inclusion", owner_org="org-b")
    org_a = await figures(client, "/inclusion", owner_org="org-a")
    nobody = await figures(client, "/inclusion", owner_org="nobody")

    assert org_b["owner_org"] == "org-b"
    assert org_b["engagements"] == 1
    assert org_b["partners"]["total"] == 1
    assert org_b["participants"]["total"] == 3
    assert org_b["activities"]["total"] == 1
    assert org_a["engagements"] == 1
    assert org_a["participants"]["total"] == 16
    assert nobody["engagements"] == 0
    assert nobody["participants"]["total"] == 0


async def test_an_unknown_engagement_has_no_figures(client: httpx.AsyncClient) -> None:
    response = await client.get("/engagements/eng-unheard-of/inclusion")

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "engagement_id"


@pytest.mark.parametrize("owner_org", ["", "   ", "x" * 201])
async def test_a_blank_or_overlong_member_answers_422_naming_it(
    client: httpx.AsyncClient, owner_org: str
) -> None:
    response = await client.get("/inclusion", params={"owner_org": owner_org})

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "query.owner_org"
