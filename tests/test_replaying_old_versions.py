"""A topic holding records of superseded versions is read right, live and when replayed.

Records of ``invitation.accepted.v1`` (naming the inviter, with the decision's rationale and
the overrides' reasons) and ``lesson.recorded.v1`` / ``lesson.revised.v1`` (with their
evidence) are put on the topics the way a producer of the time wrote them, beside a current
``lesson.recorded.v2``. The engagements service, which maps only the current versions, opens the
engagement and fills its lesson inbox from them through the upcasters; its read models are then
dropped and the topics replayed from the beginning, and the answers are the same, with none of
the text the old versions carried.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from multitrack_engagements.domain.engagement import engagement_id_for
from multitrack_shared.events import evaluation as ev
from multitrack_shared.events import invitations as inv
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.envelope import Envelope, IntegrationEvent
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.testing.broker import SUPER_USER, Broker
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import Platform
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform
from .test_read_model_replay import drop_tables, read_model_tables

AT = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
CONFIDED = "Rosa Elena Pacheco Villamil"
CONFLICT = ConflictContext(name="Upper valley land dispute", country="CO", conflict_type="land")


def old_records(invitation_id: str, lesson_id: str, later_lesson_id: str) -> list[IntegrationEvent]:
    return [
        inv.InvitationAccepted(
            invitation_id=invitation_id,
            ownership=Ownership(owner_org="org-a", visibility=Visibility.owner),
            inviter=inv.Inviter(name=CONFIDED, kind="council", track=3, is_party_to_conflict=True),
            conflict=CONFLICT,
            support_requested="A dialogue between the valley's communities",
            rationale=f"{CONFIDED} asked us in person",
            overridden_criteria={"local_partners": f"{CONFIDED} will find them"},
            commitment_years=6,
            accepted_at=AT,
        ),
        ev.LessonRecorded(
            lesson_id=lesson_id,
            ownership=Ownership(owner_org="org-b"),
            statement="Land disputes need every family heard",
            evidence=f"{CONFIDED}'s notes",
            confidence=Confidence.medium,
            context=ev.LessonContext(countries=["CO"], conflict_types=["land"]),
            recorded_at=AT,
        ),
        ev.LessonRevised(
            lesson_id=lesson_id,
            revision=2,
            statement="Land disputes need every family heard, the absent ones too",
            evidence=f"{CONFIDED}'s second notes",
            confidence=Confidence.high,
            context=ev.LessonContext(countries=["CO"], conflict_types=["land"]),
            revised_at=AT,
        ),
        ev.LessonRecordedV2(
            lesson_id=later_lesson_id,
            ownership=Ownership(owner_org="org-b"),
            statement="Land registries outlast the dialogue",
            confidence=Confidence.low,
            context=ev.LessonContext(countries=["CO"]),
            recorded_at=AT,
        ),
    ]


async def put_on_topics(broker: Broker, namespace: str, events: list[IntegrationEvent]) -> None:
    """Each event on its topic as its producer wrote it: keyed, in CloudEvents binary mode."""
    producer = AIOKafkaProducer(**broker.client_options(SUPER_USER), enable_idempotence=True)
    await producer.start()
    try:
        for event in events:
            message = Envelope.wrap(event, "/multitrack/replay-test").to_kafka()
            await producer.send_and_wait(
                event.topic.qualified(namespace),
                value=message.value,
                key=event.partition_key().encode(),
                headers=list(message.headers.items()),
            )
    finally:
        await producer.stop()


async def test_records_of_superseded_versions_are_read_right_live_and_on_a_replay(
    start_platform: StartPlatform, kafka_broker: Broker, topic_namespace: str, tokens: TokenSource
) -> None:
    platform: Platform = await start_platform()
    invitation_id, lesson_id, later = "inv-replay-1", "lesson-replay-1", "lesson-replay-2"
    engagement_id = engagement_id_for(invitation_id)
    engagements = platform.url("engagements")
    http = httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator"))

    async def answers() -> dict[str, Any] | None:
        engagement = await http.get(f"{engagements}/engagements/{engagement_id}")
        inbox = await http.get(f"{engagements}/engagements/{engagement_id}/lessons")
        if engagement.status_code != 200 or inbox.status_code != 200:
            return None
        delivered = {d["lesson_id"]: d for d in inbox.json()}
        return (
            {"engagement": engagement.json(), "inbox": delivered} if len(delivered) == 2 else None
        )

    async with http:
        await put_on_topics(
            kafka_broker, topic_namespace, old_records(invitation_id, lesson_id, later)
        )

        async def settled() -> dict[str, Any] | None:
            # The two lessons may sit on two partitions, each applied in its own transaction:
            # the later lesson can show before the first one's revision is applied.
            found = await answers()
            return found if found and found["inbox"][lesson_id]["revision"] == 2 else None

        live = await eventually(
            settled, within=60, what="the engagement and its two lessons, the first revised"
        )

        engagement, inbox = live["engagement"], live["inbox"]
        assert (engagement["owner_org"], engagement["visibility"]) == ("org-a", "owner")
        assert engagement["invitation_id"] == invitation_id
        assert engagement["purpose"] == "A dialogue between the valley's communities"
        assert engagement["conflict"]["name"] == CONFLICT.name
        assert inbox[lesson_id]["statement"].endswith("the absent ones too")
        assert inbox[lesson_id]["confidence"] == "high"
        assert inbox[later]["statement"] == "Land registries outlast the dialogue"
        assert CONFIDED not in repr(live)

        process = platform.services["engagements"]
        process.stop()
        await drop_tables(process.env["MULTITRACK_DATABASE_URL"], read_model_tables("engagements"))
        process.start()
        await asyncio.to_thread(process.wait_live)

        async def replayed() -> bool:
            return await answers() == live

        await eventually(replayed, within=90, what="the same answers after the replay")
