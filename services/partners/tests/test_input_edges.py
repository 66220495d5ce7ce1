"""The partners API at its edge: out-of-range numbers, bodies that are not JSON, control and
bidirectional characters, each refused with the error body."""

from __future__ import annotations

import httpx
import pytest

MEMBER = {"name": "Institute for Multi-Track Diplomacy", "roles": ["lead"]}


@pytest.mark.parametrize("path", ["/partners", "/members", "/partnerships"])
async def test_an_offset_past_what_a_database_holds_is_a_422_not_an_overflow(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path, params={"offset": 2**63})

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "query.offset"


async def test_a_member_sent_as_text_is_a_415_and_nothing_joins(
    client: httpx.AsyncClient, admin: httpx.Auth
) -> None:
    response = await client.post(
        "/members", content=b"name=IMTD", headers={"content-type": "text/plain"}, auth=admin
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert (await client.get("/members")).json() == []


@pytest.mark.parametrize(
    ("name", "rule"),
    [("Institute\x00", "control_character"), ("\u2066Institute\u2069", "bidi_control")],
)
async def test_a_member_name_with_a_nul_or_an_isolate_is_refused_naming_the_field(
    client: httpx.AsyncClient, admin: httpx.Auth, name: str, rule: str
) -> None:
    response = await client.post("/members", json={**MEMBER, "name": name}, auth=admin)

    assert response.status_code == 422
    assert [(p["field"], p["rule"]) for p in response.json()["error"]["fields"]] == [
        ("body.name", rule)
    ]
