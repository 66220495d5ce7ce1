"""The invitations API in-process, on a temporary SQLite file, with no broker.

Kafka at 127.0.0.1:1 never answers, so published events wait in the outbox, where these
tests read them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Table, func, select

from multitrack_invitations.adapters.tables import messaging, metadata
from multitrack_shared.http.deps import clock
from multitrack_shared.ports import Clock
from multitrack_shared.testing.samples import (
    CRITERIA,
    acceptance_body,
    assessment_body,
    invitation_body,
)

from .conftest import OWNER

INVITATIONS = metadata.tables["invitations"]
RECEIVED = "multitrack.invitation.received.v2"
ASSESSED = "multitrack.invitation.assessed.v1"
ACCEPTED = "multitrack.invitation.accepted.v2"
DECLINED = "multitrack.invitation.declined.v2"
WITHDRAWN = "multitrack.invitation.withdrawn.v2"
OVER_LIMIT = "x" * (256 * 1024 + 1)


async def rows(app: FastAPI, table: Table, order_by: Any = None) -> list[Any]:
    query = select(table) if order_by is None else select(table).order_by(order_by)
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def count(app: FastAPI, table: Table) -> int:
    async with app.state.runtime.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar())


async def outbox_types(app: FastAPI) -> list[str]:
    return [row.event_type for row in await rows(app, messaging.outbox, messaging.outbox.c.seq)]


async def snapshot(app: FastAPI) -> tuple[list[Any], int]:
    """Everything a refused request must leave as it was: the invitations and the outbox."""
    return await rows(app, INVITATIONS, INVITATIONS.c.id), await count(app, messaging.outbox)


async def received(client: httpx.AsyncClient, **changes: Any) -> str:
    response = await client.post("/invitations", json=invitation_body(**changes))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def assessed(client: httpx.AsyncClient, unmet: tuple[str, ...] = (), **changes: Any) -> str:
    invitation_id = await received(client, **changes)
    response = await client.put(
        f"/invitations/{invitation_id}/assessment", json=assessment_body(unmet)
    )
    assert response.status_code == 200, response.text
    return invitation_id


def fixed_clock(moment: datetime) -> Callable[[], Clock]:
    """A replacement for the clock dependency: FastAPI calls it with no arguments."""

    def dependency() -> Clock:
        return lambda: moment

    return dependency


def field_names(response: httpx.Response) -> list[str]:
    return [problem["field"] for problem in response.json()["error"]["fields"]]


async def test_receiving_an_invitation_answers_201_and_publishes_exactly_one_received_event(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.post("/invitations", json=invitation_body())

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received"
    assert body["conflict"]["country"] == "CO"
    assert body["assessment"] is None
    assert body["decision"] is None
    outbox = await rows(app, messaging.outbox)
    assert [row.event_type for row in outbox] == [RECEIVED]
    (event,) = outbox
    assert event.message_key == body["id"]
    assert event.data["invitation_id"] == body["id"]
    assert event.data["inviter"]["track"] == 4
    assert "name" not in event.data["inviter"]  # an individual may invite
    assert "support_requested" not in event.data
    assert event.sent_at is None


async def test_a_received_invitation_can_be_read_back(client: httpx.AsyncClient) -> None:
    created = (await client.post("/invitations", json=invitation_body())).json()

    response = await client.get(f"/invitations/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


async def test_receiving_assessing_and_accepting_publishes_three_events_in_order(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    invitation_id = await assessed(client, unmet=("local_partners",))
    reason = "A consortium member brings its own local partner."

    response = await client.post(
        f"/invitations/{invitation_id}/decision",
        json=acceptance_body(overrides={"local_partners": reason}),
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "accepted"
    assert body["decision"]["commitment_years"] == 5
    assert body["decision"]["overrides"] == {"local_partners": reason}
    outbox = await rows(app, messaging.outbox, messaging.outbox.c.seq)
    assert [row.event_type for row in outbox] == [RECEIVED, ASSESSED, ACCEPTED]
    assert [row.seq for row in outbox] == sorted(row.seq for row in outbox)
    assert {row.message_key for row in outbox} == {invitation_id}
    assessed_event, accepted_event = outbox[1].data, outbox[2].data
    assert assessed_event["unmet_criteria"] == ["local_partners"]
    assert set(assessed_event["verdicts"]) == set(CRITERIA)
    assert accepted_event["commitment_years"] == 5
    assert accepted_event["overridden_criteria"] == ["local_partners"]
    conflict = invitation_body()["conflict"]
    assert accepted_event["conflict"] == {**conflict, "conflict_id": None}  # none named
    assert accepted_event["ownership"] == {"owner_org": OWNER, "visibility": "consortium"}
    assert accepted_event["support_requested"] == invitation_body()["support_requested"]
    assert "rationale" not in accepted_event
    assert reason not in str(accepted_event)


async def test_declining_an_invitation_under_assessment_publishes_declined_without_why(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    invitation_id = await assessed(client, unmet=("do_no_harm",))

    response = await client.post(
        f"/invitations/{invitation_id}/decision",
        json={
            "outcome": "decline",
            "rationale": "Harm cannot be ruled out.",
            "decided_by": "board",
        },
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "declined"
    assert response.json()["decision"]["outcome"] == "decline"
    assert await outbox_types(app) == [RECEIVED, ASSESSED, DECLINED]
    declined = (await rows(app, messaging.outbox, messaging.outbox.c.seq))[-1]
    assert set(declined.data) == {"invitation_id", "declined_at"}
    assert response.json()["decision"]["rationale"] == "Harm cannot be ruled out."


async def test_a_received_invitation_can_be_declined_without_an_assessment(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    invitation_id = await received(client)

    response = await client.post(
        f"/invitations/{invitation_id}/decision",
        json={"outcome": "decline", "rationale": "Out of mandate.", "decided_by": "board"},
    )

    assert response.status_code == 200
    assert await outbox_types(app) == [RECEIVED, DECLINED]


async def test_withdrawing_an_invitation_keeps_the_reason_and_publishes_withdrawn_without_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    invitation_id = await received(client)

    response = await client.post(
        f"/invitations/{invitation_id}/withdrawal", json={"reason": "talks moved abroad"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["withdrawal_reason"] == "talks moved abroad"
    assert await outbox_types(app) == [RECEIVED, WITHDRAWN]
    withdrawn = (await rows(app, messaging.outbox, messaging.outbox.c.seq))[-1]
    assert set(withdrawn.data) == {"invitation_id", "withdrawn_at"}
    assert withdrawn.data["withdrawn_at"]


async def test_an_accepted_invitation_can_still_be_withdrawn(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    invitation_id = await assessed(client)
    await client.post(f"/invitations/{invitation_id}/decision", json=acceptance_body())

    response = await client.post(f"/invitations/{invitation_id}/withdrawal", json={})

    assert response.status_code == 200
    assert await outbox_types(app) == [RECEIVED, ASSESSED, ACCEPTED, WITHDRAWN]


async def test_withdrawing_a_declined_invitation_answers_409_and_publishes_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    invitation_id = await received(client)
    await client.post(
        f"/invitations/{invitation_id}/decision",
        json={"outcome": "decline", "rationale": "Out of mandate.", "decided_by": "board"},
    )
    before = await snapshot(app)

    response = await client.post(f"/invitations/{invitation_id}/withdrawal", json={})

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert field_names(response) == ["status"]
    assert await snapshot(app) == before


async def test_accepting_before_assessment_answers_409_and_publishes_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    invitation_id = await received(client)
    before = await snapshot(app)

    response = await client.post(f"/invitations/{invitation_id}/decision", json=acceptance_body())

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert await snapshot(app) == before


async def test_reading_an_unknown_invitation_answers_404_with_the_error_body(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/invitations/no-such-invitation")

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["fields"][0]["field"] == "invitation_id"
    assert "no-such-invitation" in error["message"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param("PUT", "assessment", assessment_body(), id="assess"),
        pytest.param("POST", "decision", acceptance_body(), id="decide"),
        pytest.param("POST", "withdrawal", {}, id="withdraw"),
    ],
)
async def test_acting_on_an_unknown_invitation_answers_404_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any]
) -> None:
    response = await client.request(method, f"/invitations/nobody/{path}", json=body)

    assert response.status_code == 404
    assert field_names(response) == ["invitation_id"]
    assert await snapshot(app) == ([], 0)


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


def with_inviter(**changes: Any) -> dict[str, Any]:
    return invitation_body(inviter={**invitation_body()["inviter"], **changes})


def with_conflict(**changes: Any) -> dict[str, Any]:
    return invitation_body(conflict={**invitation_body()["conflict"], **changes})


INVALID_INVITATIONS = [
    pytest.param(
        without(invitation_body(), "support_requested"), "body.support_requested", id="missing"
    ),
    pytest.param(
        invitation_body(inviter=without(invitation_body()["inviter"], "track")),
        "body.inviter.track",
        id="missing-nested",
    ),
    pytest.param(invitation_body(visibility="secret"), "body.visibility", id="unknown-enum"),
    pytest.param(with_inviter(track="x"), "body.inviter.track", id="track-wrong-type"),
    pytest.param(with_inviter(track=10), "body.inviter.track", id="track-out-of-range"),
    pytest.param(with_inviter(track=0), "body.inviter.track", id="track-zero"),
    pytest.param(with_conflict(country="ZZ"), "body.conflict.country", id="bad-country"),
    pytest.param(with_conflict(country="COL"), "body.conflict.country", id="three-letters"),
    pytest.param(with_inviter(name="   "), "body.inviter.name", id="blank-name"),
    pytest.param(invitation_body(owner_org=OWNER), "body.owner_org", id="owner-in-body"),
    pytest.param(invitation_body(secret="x"), "body.secret", id="unknown-field"),
    pytest.param(with_inviter(age=3), "body.inviter.age", id="unknown-nested-field"),
]


@pytest.mark.parametrize(("body", "field"), INVALID_INVITATIONS)
async def test_an_invalid_invitation_answers_422_naming_the_field_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/invitations", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert field in field_names(response)
    assert await count(app, INVITATIONS) == 0
    assert await count(app, messaging.outbox) == 0


def with_verdict(criterion: str, verdict: Any) -> dict[str, Any]:
    body = assessment_body()
    body["verdicts"][criterion] = verdict
    return body


def with_unknown_criterion() -> dict[str, Any]:
    body = assessment_body()
    body["verdicts"]["good_weather"] = {"verdict": "met"}
    return body


def with_criterion_left_out(criterion: str) -> dict[str, Any]:
    body = assessment_body()
    del body["verdicts"][criterion]
    return body


INVALID_ASSESSMENTS = [
    pytest.param(with_unknown_criterion(), "verdicts.good_weather", id="unknown-criterion"),
    pytest.param(
        with_verdict("do_no_harm", {"verdict": "probably"}),
        "body.verdicts.do_no_harm.verdict",
        id="bad-verdict",
    ),
    pytest.param(
        with_verdict("do_no_harm", {"verdict": "met", "mood": "good"}),
        "body.verdicts.do_no_harm.mood",
        id="unknown-field-in-verdict",
    ),
    pytest.param(without(assessment_body(), "assessed_by"), "body.assessed_by", id="missing"),
    pytest.param(
        with_criterion_left_out("local_partners"),
        "verdicts.local_partners",
        id="criterion-left-out",
    ),
]


@pytest.mark.parametrize(("body", "field"), INVALID_ASSESSMENTS)
async def test_an_invalid_assessment_answers_422_naming_the_field_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    invitation_id = await received(client)
    before = await snapshot(app)

    response = await client.put(f"/invitations/{invitation_id}/assessment", json=body)

    assert response.status_code == 422
    assert field in field_names(response), field_names(response)
    assert await snapshot(app) == before
    stored = (await client.get(f"/invitations/{invitation_id}")).json()
    assert stored["status"] == "received"
    assert stored["assessment"] is None


INVALID_DECISIONS = [
    pytest.param(acceptance_body(outcome="maybe"), (), "body.outcome", id="bad-outcome"),
    pytest.param(acceptance_body(commitment_years=4), (), "body.commitment_years", id="four-years"),
    pytest.param(
        acceptance_body(commitment_years="long"), (), "body.commitment_years", id="years-wrong-type"
    ),
    pytest.param(without(acceptance_body(), "rationale"), (), "body.rationale", id="missing"),
    pytest.param(
        {"outcome": "decline", "rationale": "   ", "decided_by": "board"},
        (),
        "body.rationale",
        id="decline-blank-rationale",
    ),
    pytest.param(
        {"outcome": "decline", "decided_by": "board"}, (), "body.rationale", id="decline-no-why"
    ),
    pytest.param(acceptance_body(unanimous=True), (), "body.unanimous", id="unknown-field"),
    pytest.param(
        acceptance_body(overrides={"good_weather": "sunny"}),
        (),
        "overrides.good_weather",
        id="override-unknown-criterion",
    ),
    pytest.param(
        acceptance_body(),
        ("five_year_capacity",),
        "overrides.five_year_capacity",
        id="unmet-without-override",
    ),
    pytest.param(
        acceptance_body(overrides={"do_no_harm": "just in case"}),
        (),
        "overrides.do_no_harm",
        id="override-not-needed",
    ),
]


@pytest.mark.parametrize(("body", "unmet", "field"), INVALID_DECISIONS)
async def test_an_invalid_decision_answers_422_naming_the_field_and_accepts_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    body: dict[str, Any],
    unmet: tuple[str, ...],
    field: str,
) -> None:
    invitation_id = await assessed(client, unmet=unmet)
    before = await snapshot(app)

    response = await client.post(f"/invitations/{invitation_id}/decision", json=body)

    assert response.status_code == 422
    assert field in field_names(response), field_names(response)
    assert await snapshot(app) == before
    assert ACCEPTED not in await outbox_types(app)
    stored = (await client.get(f"/invitations/{invitation_id}")).json()
    assert stored["status"] == "under_assessment"
    assert stored["decision"] is None


async def test_an_unmet_criterion_without_override_is_reported_under_the_override_required_rule(
    client: httpx.AsyncClient,
) -> None:
    invitation_id = await assessed(client, unmet=("do_no_harm",))

    response = await client.post(f"/invitations/{invitation_id}/decision", json=acceptance_body())

    error = response.json()["error"]
    assert error["code"] == "override_required"
    (problem,) = error["fields"]
    assert problem["field"] == "overrides.do_no_harm"
    assert problem["rule"] == "override_required"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"reason": "x", "by": "them"}, "body.by", id="unknown-field"),
        pytest.param({"reason": 12}, "body.reason", id="wrong-type"),
        pytest.param({"reason": "  "}, "body.reason", id="blank-reason"),
    ],
)
async def test_an_invalid_withdrawal_answers_422_naming_the_field_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    invitation_id = await received(client)
    before = await snapshot(app)

    response = await client.post(f"/invitations/{invitation_id}/withdrawal", json=body)

    assert response.status_code == 422
    assert field in field_names(response)
    assert await snapshot(app) == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param("POST", "", invitation_body(support_requested=OVER_LIMIT), id="receive"),
        pytest.param(
            "PUT",
            "/{id}/assessment",
            with_verdict("do_no_harm", {"verdict": "met", "note": OVER_LIMIT}),
            id="assess",
        ),
        pytest.param("POST", "/{id}/decision", acceptance_body(rationale=OVER_LIMIT), id="decide"),
        pytest.param("POST", "/{id}/withdrawal", {"reason": OVER_LIMIT}, id="withdraw"),
    ],
)
async def test_a_body_over_the_size_limit_answers_413_with_the_error_body_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any]
) -> None:
    invitation_id = await assessed(client)
    before = await snapshot(app)

    response = await client.request(
        method, "/invitations" + path.format(id=invitation_id), json=body
    )

    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "body_too_large"
    assert field_names(response) == ["body"]
    assert await snapshot(app) == before


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"status": "pending"}, "query.status", id="bad-status"),
        pytest.param({"country": "ZZ"}, "query.country", id="bad-country"),
        pytest.param({"track": 10}, "query.track", id="bad-track"),
        pytest.param({"received_from": "last week"}, "query.received_from", id="bad-date"),
        pytest.param({"limit": 0}, "query.limit", id="bad-limit"),
        pytest.param({"offset": -1}, "query.offset", id="bad-offset"),
    ],
)
async def test_searching_with_a_bad_query_parameter_answers_422_naming_it(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/invitations", params=params)

    assert response.status_code == 422
    assert field_names(response) == [field]


async def test_searching_filters_by_status_country_and_track(client: httpx.AsyncClient) -> None:
    colombia = await received(client, conflict={"name": "Colombia", "country": "CO"})
    kenya = await assessed(
        client,
        conflict={"name": "Kenya", "country": "KE"},
        inviter={**invitation_body()["inviter"], "track": 2},
    )
    peru = await assessed(client, conflict={"name": "Peru", "country": "PE"})
    await client.post(f"/invitations/{peru}/decision", json=acceptance_body())

    async def found(**params: Any) -> set[str]:
        response = await client.get("/invitations", params=params)
        brief = await client.get("/invitations/summaries", params=params)
        assert (response.status_code, brief.status_code) == (200, 200), response.text
        listed = [invitation["id"] for invitation in response.json()]
        # The brief list is the same search, in the same order.
        assert [invitation["id"] for invitation in brief.json()] == listed
        return set(listed)

    assert await found() == {colombia, kenya, peru}
    assert await found(status="received") == {colombia}
    assert await found(status="under_assessment") == {kenya}
    assert await found(status="accepted") == {peru}
    assert await found(status="declined") == set()
    assert await found(country="ke") == {kenya}
    assert await found(track=2) == {kenya}
    assert await found(track=4) == {colombia, peru}
    assert await found(track=4, country="CO") == {colombia}


async def test_searching_filters_by_the_received_window_bounds_included(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ids: dict[int, str] = {}
    for month in (1, 2, 3):
        moment = datetime(2025, month, 10, 9, 0, tzinfo=UTC)
        app.dependency_overrides[clock] = fixed_clock(moment)
        ids[month] = await received(client)
    app.dependency_overrides.clear()

    async def found(**params: Any) -> set[str]:
        response = await client.get("/invitations", params=params)
        assert response.status_code == 200, response.text
        return {invitation["id"] for invitation in response.json()}

    assert await found(received_from="2025-02-01T00:00:00Z") == {ids[2], ids[3]}
    assert await found(received_to="2025-02-28T00:00:00Z") == {ids[1], ids[2]}
    assert await found(
        received_from="2025-02-10T09:00:00Z", received_to="2025-02-10T09:00:00Z"
    ) == {ids[2]}
    assert await found(received_from="2025-04-01T00:00:00Z") == set()


async def test_searching_lists_the_most_recently_received_first(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ids = []
    for day in (1, 3, 2):
        moment = datetime(2025, 1, day, tzinfo=UTC)
        app.dependency_overrides[clock] = fixed_clock(moment)
        ids.append(await received(client))
    app.dependency_overrides.clear()

    listed = [i["id"] for i in (await client.get("/invitations")).json()]

    assert listed == [ids[1], ids[2], ids[0]]


async def test_a_received_window_bound_given_in_another_offset_means_the_same_instant(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.dependency_overrides[clock] = fixed_clock(datetime(2025, 2, 10, 9, 0, tzinfo=UTC))
    invitation_id = await received(client)
    app.dependency_overrides.clear()

    same_instant = await client.get(
        "/invitations", params={"received_from": "2025-02-10T10:00:00+01:00"}
    )
    an_hour_later = await client.get(
        "/invitations", params={"received_from": "2025-02-10T08:00:00-02:00"}
    )

    assert [i["id"] for i in same_instant.json()] == [invitation_id]
    assert an_hour_later.json() == []


async def test_a_database_outage_answers_503_with_an_error_body_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await app.state.runtime.engine.dispose()
    database = tmp_path / "invitations.db"
    moved = database.rename(tmp_path / "elsewhere.db")
    database.mkdir()  # the path is now a directory: SQLite cannot open it

    response = await client.post("/invitations", json=invitation_body())

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "database_unavailable"
    assert response.headers["retry-after"] == "5"
    database.rmdir()
    moved.rename(database)
    assert (await client.get("/invitations")).json() == []
