"""The evaluation API at its edge: out-of-range numbers, malformed JSON, control and
bidirectional characters in prose, each refused with the error body."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


def a_lesson(**changes: Any) -> dict[str, Any]:
    return {
        "statement": "Hear every side before the first joint dialogue.",
        "evidence": "Three dialogue rounds in 2024.",
        "confidence": "medium",
        "context": {"countries": ["CO"]},
        **changes,
    }


@pytest.mark.parametrize("path", ["/lessons", "/evaluations", "/engagements"])
async def test_an_offset_past_what_a_database_holds_is_a_422_not_an_overflow(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path, params={"offset": 9223372036854775808})

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "query.offset"


async def test_malformed_json_is_a_400_and_no_lesson_is_recorded(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/lessons", content=b'{"statement": ', headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"
    assert (await client.get("/lessons")).json() == []


@pytest.mark.parametrize(
    ("statement", "rule"),
    [("Hear every side\x00", "control_character"), ("Hear \u202bevery side", "bidi_control")],
)
async def test_prose_with_a_nul_or_an_embedding_is_refused_naming_the_field(
    client: httpx.AsyncClient, statement: str, rule: str
) -> None:
    response = await client.post("/lessons", json=a_lesson(statement=statement))

    assert response.status_code == 422
    assert [(p["field"], p["rule"]) for p in response.json()["error"]["fields"]] == [
        ("body.statement", rule)
    ]


async def test_prose_keeps_its_line_breaks_and_tabs(client: httpx.AsyncClient) -> None:
    evidence = "Three rounds:\n\t2024-03, 2024-06,\r\n\t2024-09."

    response = await client.post("/lessons", json=a_lesson(evidence=evidence))

    assert response.status_code == 201, response.text
    assert response.json()["evidence"] == evidence
