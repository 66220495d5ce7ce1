"""Trainings and their follow-ups through the HTTP API: a training records its curriculum,
trainers and follow-up intervals and shows its trainees by sex and role; a follow-up of it
answers one of those intervals; the events carry ids, counts and intervals only."""

from __future__ import annotations

from typing import Any

from multitrack_shared.events.common import Visibility

from .conftest import (
    OTHER,
    Api,
    Database,
    Deliver,
    OpenEngagement,
    activity_body,
    catalogued_trainer,
    follow_up_body,
)

TRAINING = {
    "curriculum": ["Active listening", "Mediating boundary disputes"],
    "trainers": ["trainer-1", "trainer-2"],
    "follow_up_months": [3, 6],
}


async def a_training(api: Api, engagement_id: str) -> dict[str, Any]:
    await api.active(engagement_id)
    return await api.activity(
        engagement_id,
        kind="training",
        held_on="2025-06-10",
        designed_locally=True,
        training=TRAINING,
    )


async def test_a_training_shows_its_details_and_its_trainees_by_sex_and_role(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()

    training = await a_training(api, engagement_id)

    assert training["designed_locally"] is True
    assert training["training"]["curriculum"] == TRAINING["curriculum"]
    assert training["training"]["follow_up_months"] == [3, 6]
    assert sorted((t["sex"], t["role"], t["count"]) for t in training["training"]["trainees"]) == [
        ("female", "participant", 12),
        ("male", "delegate", 3),
    ]
    (listed,) = (await api.client.get(f"/engagements/{engagement_id}/activities")).json()
    assert listed["training"] == training["training"]
    (event,) = [r for r in await db.outbox() if "activity_recorded" in r.event_type]
    assert event.data["training"] == {
        "trainer_ids": ["trainer-1", "trainer-2"],
        "follow_up_months": [3, 6],
    }
    assert event.data["designed_locally"] is True
    assert "Active listening" not in str(event.data)


async def test_a_training_naming_a_trainer_its_organization_cannot_see_is_refused(
    open_engagement: OpenEngagement, api: Api, db: Database, deliver: Deliver
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    await deliver(catalogued_trainer("org-b-own", OTHER, Visibility.owner))
    before = await db.snapshot()

    for trainers, field in [
        (["trainer-1", "trainer-9"], "training.trainers.1"),
        (["org-b-own"], "training.trainers.0"),
    ]:
        refused = await api.client.post(
            f"/engagements/{engagement_id}/activities",
            json=activity_body(kind="training", training={**TRAINING, "trainers": trainers}),
        )

        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["code"] == "unknown_trainer"
        assert refused.json()["error"]["fields"][0]["field"] == field
    assert await db.snapshot() == before


async def test_a_training_without_its_details_is_refused_and_nothing_is_written(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    before = await db.snapshot()

    response = await api.client.post(
        f"/engagements/{engagement_id}/activities",
        json={"kind": "training", **_without_kind()},
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "training_details_required"
    assert await db.snapshot() == before


async def test_a_follow_up_of_a_training_answers_one_of_its_intervals(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()
    training = await a_training(api, engagement_id)
    url = f"/engagements/{engagement_id}/follow-ups"

    kept = await api.created(
        url,
        follow_up_body(
            held_on="2025-12-10",
            participants_reached=10,
            using_skills=6,
            training_id=training["id"],
            months_after=6,
        ),
    )
    before = await db.snapshot()
    off_interval = await api.client.post(
        url, json=follow_up_body(training_id=training["id"], months_after=4)
    )
    half_named = await api.client.post(url, json=follow_up_body(months_after=3))

    assert (kept["training_id"], kept["months_after"], kept["skills_share"]) == (
        training["id"],
        6,
        0.6,
    )
    assert off_interval.status_code == 422
    assert off_interval.json()["error"]["code"] == "not_a_set_interval"
    assert half_named.status_code == 422
    assert half_named.json()["error"]["fields"][0]["field"] == "training_id"
    assert await db.snapshot() == before
    (event,) = [r for r in await db.outbox() if "follow_up_recorded" in r.event_type]
    assert (event.data["training_id"], event.data["months_after"]) == (training["id"], 6)


def _without_kind() -> dict[str, Any]:
    from .conftest import activity_body

    body = activity_body()
    del body["kind"]
    return body
