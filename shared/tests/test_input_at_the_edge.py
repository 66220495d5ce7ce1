"""Input at the edge: what every service refuses before a handler runs, and how it says so."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Query
from pydantic import TypeAdapter, ValidationError

from multitrack_shared.http.bodies import JsonBodies
from multitrack_shared.http.errors import install_error_handlers
from multitrack_shared.http.params import Limit, Offset, VersionNumber
from multitrack_shared.testing.inprocess import client_of
from multitrack_shared.validation import (
    INT32_MAX,
    CountryCode,
    Day,
    Flag,
    Instant,
    Name,
    Strict,
    Text,
    TrackNumber,
)

OVERFLOW = 2**63  # one past what SQLite and PostgreSQL can bind as an integer


class Thing(Strict):
    name: Name
    story: Text | None = None
    track: TrackNumber | None = None
    held_on: Day | None = None
    local: Flag | None = None
    country: CountryCode | None = None


def app() -> FastAPI:
    application = FastAPI()
    application.add_middleware(JsonBodies, max_bytes=4096)
    install_error_handlers(application)

    @application.post("/things")
    async def create(thing: Thing) -> Thing:
        return thing

    @application.get("/things")
    async def search(
        limit: Limit = 50,
        offset: Offset = 0,
        since: Annotated[Instant | None, Query()] = None,
        name: Annotated[Name | None, Query()] = None,
    ) -> dict[str, Any]:
        return {"limit": limit, "offset": offset, "since": since, "name": name}

    @application.get("/things/{thing_id}/versions/{version}")
    async def version(thing_id: Name, version: VersionNumber) -> dict[str, Any]:
        return {"thing_id": thing_id, "version": version}

    return application


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app()) as http:
        yield http


def refusal(response: httpx.Response) -> tuple[int, str, list[tuple[str, str]]]:
    error = response.json()["error"]
    assert error["message"]
    return (
        response.status_code,
        error["code"],
        [(problem["field"], problem["rule"]) for problem in error["fields"]],
    )


# --- numbers out of range -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "rule"),
    [
        ({"offset": OVERFLOW}, "query.offset", "less_than_equal"),
        ({"offset": INT32_MAX + 1}, "query.offset", "less_than_equal"),
        ({"offset": -1}, "query.offset", "greater_than_equal"),
        ({"limit": 0}, "query.limit", "greater_than_equal"),
        ({"limit": 501}, "query.limit", "less_than_equal"),
        ({"limit": OVERFLOW}, "query.limit", "less_than_equal"),
    ],
)
async def test_a_number_out_of_range_in_a_query_is_a_422_naming_it(
    client: httpx.AsyncClient, query: dict[str, int], field: str, rule: str
) -> None:
    response = await client.get("/things", params=query)

    assert refusal(response) == (422, "validation_error", [(field, rule)])


async def test_the_largest_offset_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.get("/things", params={"offset": INT32_MAX, "limit": 500})

    assert response.status_code == 200
    assert response.json()["offset"] == INT32_MAX


@pytest.mark.parametrize("version", [0, INT32_MAX + 1, OVERFLOW])
async def test_a_version_out_of_range_in_a_path_is_a_422_naming_it(
    client: httpx.AsyncClient, version: int
) -> None:
    response = await client.get(f"/things/a/versions/{version}")

    assert response.status_code == 422
    assert [f for f, _ in refusal(response)[2]] == ["path.version"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "a", "track": "4"},
        {"name": "a", "track": True},
        {"name": "a", "track": 4.5},
        {"name": "a", "track": OVERFLOW},
        {"name": "a", "local": "true"},
        {"name": "a", "local": 1},
        {"name": "a", "held_on": 0},
        {"name": "a", "held_on": "2025-01-01T00:00:00Z"},
        {"name": "a", "country": "Co"},
    ],
)
async def test_a_value_of_another_json_type_than_documented_is_refused(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    response = await client.post("/things", json=body)

    (field,) = body.keys() - {"name"}
    assert response.status_code == 422
    assert [f for f, _ in refusal(response)[2]] == [f"body.{field}"]


async def test_json_numbers_booleans_and_days_are_read_as_documented(
    client: httpx.AsyncClient,
) -> None:
    body = {"name": "a", "track": 4.0, "local": False, "held_on": "2025-01-31", "country": "co"}

    response = await client.post("/things", json=body)

    assert response.status_code == 200, response.text
    assert response.json() | {"name": "a"} == {
        **body,
        "track": 4,
        "country": "CO",
        "story": None,
    }


@pytest.mark.parametrize("since", ["0.5", "1700000000", "2025-01-01", "2025-01-01T09:00:00"])
async def test_an_instant_in_a_query_is_an_rfc3339_date_and_time_with_its_offset(
    client: httpx.AsyncClient, since: str
) -> None:
    response = await client.get("/things", params={"since": since})

    assert refusal(response) == (422, "validation_error", [("query.since", "datetime_type")])


async def test_an_instant_with_its_offset_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.get("/things", params={"since": "2025-02-10T10:00:00+01:00"})

    assert response.status_code == 200
    assert response.json()["since"] == "2025-02-10T10:00:00+01:00"


# --- bodies that are not JSON ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "Expecting property name"),
        (b'{"name": "a",}', "Expecting property name"),
        (b'{"name": NaN}', "NaN is not a JSON value"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"name": "\\ud800"}', "surrogate"),
        (b"[" * 1500 + b"]" * 1500, "nests too deeply"),
    ],
)
async def test_malformed_json_is_a_400_with_the_error_body(
    client: httpx.AsyncClient, content: bytes, reason: str
) -> None:
    response = await client.post(
        "/things", content=content, headers={"content-type": "application/json"}
    )

    assert refusal(response) == (400, "malformed_json", [("body", "malformed_json")])
    assert reason in response.json()["error"]["fields"][0]["message"]


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "text/xml",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin-1",
        None,
    ],
)
async def test_a_body_not_declared_json_is_a_415_with_the_error_body(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}

    response = await client.post("/things", content=b'{"name": "a"}', headers=headers)

    assert refusal(response) == (
        415,
        "unsupported_media_type",
        [("header.content-type", "unsupported_media_type")],
    )


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "application/merge-patch+json"],
)
async def test_json_with_a_charset_or_a_json_suffix_is_accepted(
    client: httpx.AsyncClient, content_type: str
) -> None:
    response = await client.post(
        "/things", content=b'{"name": "a"}', headers={"content-type": content_type}
    )

    assert response.status_code == 200
    assert response.json()["name"] == "a"


# --- text: control and bidirectional characters ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Red\x00de Mujeres", "control_character"),
        ("Red de\x1b[31m Mujeres", "control_character"),
        ("Red de Mujeres\x85", "control_character"),
        ("Red de\nMujeres", "control_character"),
        ("Red de\tMujeres", "control_character"),
        ("Red de\u2028Mujeres", "control_character"),
        ("Red \u202ede Mujeres", "bidi_control"),
        ("Red \u2066de\u2069 Mujeres", "bidi_control"),
        ("   ", "blank"),
        ("\u00a0\u3000", "blank"),
    ],
)
async def test_a_name_refuses_control_and_bidirectional_characters_naming_the_field_and_rule(
    client: httpx.AsyncClient, text: str, rule: str
) -> None:
    response = await client.post("/things", json={"name": text})

    assert refusal(response) == (422, "validation_error", [("body.name", rule)])


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("First line\x00", "control_character"),
        ("A bell\x07", "control_character"),
        ("Reads \u202bright to left", "bidi_control"),
        ("Isolated \u2067text\u2069", "bidi_control"),
        ("\n\t \r\n", "blank"),
    ],
)
async def test_prose_refuses_control_and_bidirectional_characters_naming_the_field_and_rule(
    client: httpx.AsyncClient, text: str, rule: str
) -> None:
    response = await client.post("/things", json={"name": "a", "story": text})

    assert refusal(response) == (422, "validation_error", [("body.story", rule)])


async def test_prose_keeps_its_line_breaks_and_tabs(client: httpx.AsyncClient) -> None:
    story = "First, we listened.\nThen:\r\n\t- both councils met;\n\t- they agreed."

    response = await client.post("/things", json={"name": "  Red de Mujeres ", "story": story})

    assert response.status_code == 200, response.text
    assert response.json()["story"] == story
    assert response.json()["name"] == "Red de Mujeres"


async def test_text_in_a_query_or_a_path_is_held_to_the_same_rules(
    client: httpx.AsyncClient,
) -> None:
    in_query = await client.get("/things", params={"name": "a\x00b"})
    in_path = await client.get("/things/a%E2%80%AEb/versions/1")

    assert refusal(in_query) == (422, "validation_error", [("query.name", "control_character")])
    assert refusal(in_path) == (422, "validation_error", [("path.thing_id", "bidi_control")])


SAMPLES = [
    "Montes de María",
    " padded ",
    "\u00a0",
    "",
    "a\x00",
    "tab\there",
    "line\nbreak",
    "crlf\r\n",
    "trailing newline\n",
    "\u202eoverride",
    "isolate\u2069",
    "emoji \U0001f54a",
    "\u200bzero width",
    "\x7fdel",
    "\x9fc1",
    "\ufeffbom",
]


@pytest.mark.parametrize("kind", [Name, Text])
@pytest.mark.parametrize("sample", SAMPLES)
def test_the_documented_pattern_accepts_exactly_what_validation_accepts(
    kind: Any, sample: str
) -> None:
    adapter = TypeAdapter(kind)
    pattern = adapter.json_schema()["pattern"]
    try:
        adapter.validate_python(sample)
        accepted = True
    except ValidationError:
        accepted = False

    # JSON Schema reads a pattern as ECMAScript does: `$` ends the text, where Python's `$`
    # would also match before a final line break.
    ecmascript = re.compile(pattern.removesuffix("$") + r"\Z")
    assert (ecmascript.search(sample) is not None) == accepted, repr(sample)


# --- routing refusals -----------------------------------------------------------------------


async def test_a_method_not_allowed_names_every_method_of_the_path(
    client: httpx.AsyncClient,
) -> None:
    response = await client.delete("/things")

    assert refusal(response) == (405, "method_not_allowed", [])
    assert response.headers["allow"] == "GET, POST"


async def test_an_unknown_path_is_a_404_with_the_error_body(client: httpx.AsyncClient) -> None:
    response = await client.get("/nothing/here")

    assert refusal(response) == (404, "not_found", [])
