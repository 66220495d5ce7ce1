"""The invitations API at its edge: out-of-range numbers, bodies that are not JSON, control and
bidirectional characters, each refused with the error body before anything is written."""

from __future__ import annotations

import httpx
import pytest

from multitrack_shared.testing.samples import invitation_body


async def test_an_offset_past_what_a_database_holds_is_a_422_not_an_overflow(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/invitations", params={"offset": 9223372036854775808})

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "query.offset"


async def test_a_bare_number_is_not_read_as_a_received_instant(client: httpx.AsyncClient) -> None:
    response = await client.get("/invitations", params={"received_to": "0.5"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["rule"] == "datetime_type"


@pytest.mark.parametrize(
    ("content_type", "status", "code"),
    [
        ("text/plain", 415, "unsupported_media_type"),
        ("application/xml", 415, "unsupported_media_type"),
        ("application/json", 400, "malformed_json"),
    ],
)
async def test_a_body_that_is_not_json_is_refused_with_the_error_body(
    client: httpx.AsyncClient, content_type: str, status: int, code: str
) -> None:
    response = await client.post(
        "/invitations", content=b"<invitation/>", headers={"content-type": content_type}
    )

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert (await client.get("/invitations")).json() == []


@pytest.mark.parametrize(
    ("inviter_name", "rule"),
    [("Council\x00of Elders", "control_character"), ("Council \u202eof Elders", "bidi_control")],
)
async def test_a_name_with_a_nul_or_an_override_is_refused_naming_the_field(
    client: httpx.AsyncClient, inviter_name: str, rule: str
) -> None:
    body = invitation_body()
    body["inviter"] = {**body["inviter"], "name": inviter_name}

    response = await client.post("/invitations", json=body)

    assert response.status_code == 422
    assert [(p["field"], p["rule"]) for p in response.json()["error"]["fields"]] == [
        ("body.inviter.name", rule)
    ]


async def test_the_support_requested_keeps_its_line_breaks(client: httpx.AsyncClient) -> None:
    support = "Dialogue facilitation:\n- land claimants\n- returning families"

    response = await client.post("/invitations", json=invitation_body(support_requested=support))

    assert response.status_code == 201, response.text
    assert response.json()["support_requested"] == support
