"""Personal data in evaluation's answers: who evaluated (personal), and the narratives,
evidence, notes, retirement reasons and reasoning that may name people, are shown to the
people of the organization owning the record (its coordinators, evaluators, observers) and
withheld, nulled, from everyone else: partner systems, other organizations, consortium admins
and observers. A response's reasoning belongs to the responding engagement's organization."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from multitrack_evaluation.entrypoints.api.schemas.digests import DigestPublic
from multitrack_evaluation.entrypoints.api.schemas.evaluations import EvaluationPublic
from multitrack_evaluation.entrypoints.api.schemas.lessons import LessonDetail, LessonPublic
from multitrack_shared.auth.personal import marked_fields, withhold_personal
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.engagements import LessonResponded
from multitrack_shared.events.vocabulary import LessonResponse
from multitrack_shared.testing.access_matrix import values_at
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

from .access_world import World, a_world
from .conftest import OPENED_AT, OTHER, OWNER, Apply, opened

CONFIDED = ("Ana Ruiz asked for it.", "Luis Pérez led it.", "The armed group's envoy agreed.")
"""Why each engagement answered the lesson, as superseded events carried it: kept nowhere here."""


@pytest.fixture
async def world(client: httpx.AsyncClient, apply: Apply) -> World:
    """org-a's records, the shared lesson retired, and responses to it from org-a's shared
    engagement and from a consortium-visible and an owner-only engagement of org-b."""
    world = await a_world(client, apply)
    lesson = world.shared.lesson
    retired = await client.post(
        f"/lessons/{lesson}/retirement", json={"reason": "Marta Gil's interviews contradict it."}
    )
    assert retired.status_code == 200, retired.text
    private = Ownership(owner_org=OTHER, visibility=Visibility.owner)
    await apply(
        opened("eng-b", ownership=Ownership(owner_org=OTHER)),
        opened("eng-b-private", ownership=private),
        responded(world.shared.engagement, lesson, CONFIDED[0]),
        responded("eng-b", lesson, CONFIDED[1]),
        responded("eng-b-private", lesson, CONFIDED[2]),
    )
    return world


def responded(engagement_id: str, lesson_id: str, why: str) -> LessonResponded:
    return LessonResponded(
        engagement_id=engagement_id,
        lesson_id=lesson_id,
        response=LessonResponse.adapted,
        why=why,
        responded_at=OPENED_AT,
    )


def views(world: World) -> list[tuple[str, type[BaseModel], bool]]:
    """Path, the model it answers (or the model of its items) and whether it answers a list."""
    shared = world.shared
    return [
        (f"/evaluations/{shared.evaluation}", EvaluationPublic, False),
        ("/evaluations", EvaluationPublic, True),
        (f"/lessons/{shared.lesson}", LessonDetail, False),
        ("/lessons", LessonPublic, True),
        (f"/engagements/{shared.engagement}/digest", DigestPublic, False),
    ]


def marked_values(document: Any, model: type[BaseModel], many: bool) -> dict[str, list[Any]]:
    """Every value the answer holds at each marked path of its model."""
    items = document if many else [document]
    return {
        field.path: [value for item in items for value in values_at(item, field.path)]
        for field in marked_fields(model)
    }


async def test_the_owning_organizations_people_see_the_personal_data(
    client: httpx.AsyncClient, world: World, tokens: TokenSource, org_a_observer: BearerAuth
) -> None:
    for auth in (tokens.auth(OWNER, "evaluator"), tokens.auth(OWNER, "coordinator")):
        for path, model, many in views(world):
            answer = await client.get(path, auth=auth)
            assert answer.status_code == 200, answer.text
            for marked, values in marked_values(answer.json(), model, many).items():
                assert any(v is not None for v in values), f"{path}: {marked} withheld"
    observed = await client.get(f"/evaluations/{world.shared.evaluation}", auth=org_a_observer)
    assert observed.json()["evaluated_by"] == "external evaluation team"


async def test_everyone_else_gets_the_same_answer_with_the_personal_data_withheld(
    client: httpx.AsyncClient,
    world: World,
    tokens: TokenSource,
    admin: httpx.Auth,
    consortium_observer: BearerAuth,
) -> None:
    others = [
        tokens.auth(OWNER, "partner-system"),  # a system: personal data stays in the platform
        tokens.auth(OTHER, "evaluator"),
        admin,
        consortium_observer,
    ]
    for auth in others:
        for path, model, many in views(world):
            answer = await client.get(path, auth=auth)
            assert answer.status_code == 200, answer.text
            for marked, values in marked_values(answer.json(), model, many).items():
                assert values, f"{path}: nothing at {marked} to check"
                assert all(v is None for v in values), f"{path}: {marked} shown"
            if many:
                continue
            seen_by_owner = model.model_validate((await client.get(path)).json())
            withheld = withhold_personal(seen_by_owner, may_see_personal=False)
            assert _without_responses(answer.json()) == _without_responses(
                withheld.model_dump(mode="json")
            ), path


def _without_responses(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "responses"}


async def test_a_lessons_responses_are_those_of_engagements_the_caller_sees_and_say_no_why(
    client: httpx.AsyncClient, world: World, tokens: TokenSource, admin: httpx.Auth
) -> None:
    async def responses(auth: httpx.Auth) -> tuple[int, list[str]]:
        answer = await client.get(f"/lessons/{world.shared.lesson}", auth=auth)
        assert answer.status_code == 200, answer.text
        assert not any(why in answer.text for why in CONFIDED), answer.text
        shown = answer.json()["responses"]
        items = [r["engagement_id"] for r in shown["items"]]
        return shown["applied"] + shown["adapted"] + shown["rejected"], items

    mine = world.shared.engagement
    assert await responses(tokens.auth(OWNER, "evaluator")) == (2, ["eng-b", mine])
    assert await responses(tokens.auth(OTHER, "coordinator")) == (
        3,
        ["eng-b", "eng-b-private", mine],
    )
    assert await responses(admin) == (2, ["eng-b", mine])
    assert await responses(tokens.auth(OWNER, "partner-system")) == (2, ["eng-b", mine])
