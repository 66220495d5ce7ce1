"""One writer wins on a partner and on a partnership; conditional writes by ETag.
In-process, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from multitrack_partners.bootstrap import PartnersSettings
from multitrack_shared.testing.inprocess import ServiceTables, offline_settings
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.races import STALE_TAG, all_at_once, until_overlapped

from .conftest import Register

UPDATED = "multitrack.partner.updated.v1"
ENDED = "multitrack.partnership.ended.v1"
REVISIONS = 24


@pytest.fixture
def settings(tmp_path: Path, either_database: str, keycloak: IdentityProvider) -> PartnersSettings:
    return offline_settings(
        PartnersSettings, tmp_path, either_database, oidc_issuer=keycloak.issuer.url
    )


def a_profile(n: int) -> dict[str, Any]:
    """The n-th of many different revisions of one partner's profile."""
    return {
        "name": f"Red de Mujeres del Caribe {n}",
        "kind": "Women's organization",
        "tracks": [1 + n % 9],
        "countries": [["CO", "PA", "VE", "EC"][n % 4]],
        "is_local": True,
        "women_led": True,
        "womens_rights_org": True,
        "contact_people": [],
    }


async def test_of_concurrent_revisions_from_one_version_exactly_one_is_kept_whole(
    client: httpx.AsyncClient, db: ServiceTables, register: Register
) -> None:
    async def storm() -> tuple[str, list[httpx.Response]]:
        path = f"/partners/{(await register())['id']}"
        tag = (await client.get(path)).headers["ETag"]
        return path, await all_at_once(
            client.put(path, json=a_profile(n), headers={"If-Match": tag}) for n in range(REVISIONS)
        )

    path, won = await until_overlapped(storm, refusals=frozenset({409, 412}))
    winner = won.json()
    assert (await client.get(path)).json() == winner
    # The list indexes belong to the winning revision alone, not to a mixture of several.
    ours = winner["id"]
    countries = [r.country for r in await db.rows("partner_countries") if r.partner_id == ours]
    tracks = [r.track for r in await db.rows("partner_tracks") if r.partner_id == ours]
    assert (countries, tracks) == (winner["countries"], winner["tracks"])
    updates = [r for r in await db.outbox() if r.event_type == UPDATED]
    assert [r.message_key for r in updates] == [winner["id"]]


async def test_of_50_concurrent_ends_of_one_partnership_exactly_one_ends_it(
    client: httpx.AsyncClient, db: ServiceTables, partner: dict[str, Any]
) -> None:
    body = {
        "partner_id": partner["id"],
        "engagement_id": "eng-1",
        "role": "co_facilitator",
        "starts_on": "2026-04-01",
    }
    last_days = [f"2026-{month:02}-{day:02}" for month in (5, 6) for day in range(1, 26)]

    async def storm() -> tuple[str, list[httpx.Response]]:
        path = f"/partnerships/{(await client.post('/partnerships', json=body)).json()['id']}"
        return path, await all_at_once(
            client.post(f"{path}/end", json={"ends_on": day}) for day in last_days
        )

    path, won = await until_overlapped(storm)
    winner = won.json()
    read = (await client.get(path)).json()
    assert read["ends_on"] == winner["ends_on"]
    ended = [
        row.data["ends_on"]
        for row in await db.outbox()
        if row.event_type == ENDED and row.data["partnership_id"] == winner["id"]
    ]
    assert ended == [winner["ends_on"]]


async def test_partner_writes_answer_the_new_etag_and_refuse_a_stale_one_with_412(
    client: httpx.AsyncClient, db: ServiceTables, partner: dict[str, Any]
) -> None:
    path = f"/partners/{partner['id']}"
    first = (await client.get(path)).headers["ETag"]
    assert first == f'"{partner["id"]}.1"'

    revised = await client.put(path, json=a_profile(1), headers={"If-Match": first})
    assert revised.status_code == 200, revised.text
    assert revised.headers["ETag"] == f'"{partner["id"]}.2"'
    before = await db.snapshot()

    stale = await client.put(path, json=a_profile(2), headers={"If-Match": first})

    assert stale.status_code == 412, stale.text
    assert stale.json()["error"]["code"] == STALE_TAG
    assert await db.snapshot() == before


async def test_members_and_partnerships_are_read_with_their_etag(
    client: httpx.AsyncClient, admin: httpx.Auth, partner: dict[str, Any]
) -> None:
    joined = await client.post("/members", json={"name": "IMTD", "roles": ["lead"]}, auth=admin)
    member_id = joined.json()["id"]
    formed = await client.post(
        "/partnerships",
        json={
            "partner_id": partner["id"],
            "engagement_id": "eng-1",
            "role": "co_facilitator",
            "starts_on": "2026-04-01",
        },
    )
    partnership_id = formed.json()["id"]

    assert joined.headers["ETag"] == f'"{member_id}.1"'
    assert (await client.get(f"/members/{member_id}")).headers["ETag"] == f'"{member_id}.1"'
    assert formed.headers["ETag"] == f'"{partnership_id}.1"'
    ended = await client.post(
        f"/partnerships/{partnership_id}/end",
        json={"ends_on": "2026-09-30"},
        headers={"If-Match": formed.headers["ETag"]},
    )
    assert ended.status_code == 200, ended.text
    assert ended.headers["ETag"] == f'"{partnership_id}.2"'
    read = await client.get(f"/partnerships/{partnership_id}")
    assert read.headers["ETag"] == ended.headers["ETag"]
