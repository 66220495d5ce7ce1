"""No event that crosses the platform carries personal data, across four processes and a broker.

The demo story is played on real processes, then what it leaves out: an individual's
invitation withdrawn with a reason, a lesson revised and retired, a track-one briefing with the
officials met, a partner's contact people, a partnership ended, an engagement paused and closed
early with notes (after an exit plan, without a final evaluation, for a reason naming people),
and followed up after its closure. Every request body is recorded as it is sent. Once every
outbox has been sent, every topic is read from the beginning, and every event on it:

- is of a version still published (none superseded);
- carries only fields its model declares, none of them marked personal or may-name-people
  (checked on the raw JSON, field path by field path);
- contains none of the names and free texts the story sent in personal and free-text fields
  (a substring scan, which catches a field someone forgot to mark).
"""

from __future__ import annotations

import asyncio
import json
import re
import types
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import BaseModel

import multitrack_shared.events  # noqa: F401  (registers every event module)
from multitrack_shared.auth.personal import marking_of
from multitrack_shared.events.envelope import Envelope, IntegrationEvent
from multitrack_shared.messaging.access import OPERATOR
from multitrack_shared.messaging.topics import EVENT_TOPICS, PARTNER_FEED, TopicSpec, all_topics
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.consortium import Consortium
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import Platform

from .conftest import StartPlatform, load_demo
from .test_lessons_loop import story_on

if TYPE_CHECKING:  # at run time the demo is loaded from its file, by load_demo()
    from deploy.demo.demo import Story

demo = load_demo()

FREE_TEXT = {"rationale", "reason", "note", "why", "evidence", "narrative", "summary",
             "description", "needs", "causes", "dividers", "connectors", "place", "who",
             "heard_by", "assessed_by", "decided_by", "evaluated_by", "officials", "handover",
             "no_final_evaluation_reason"}  # fmt: skip
"""Request fields whose every string names a person or is free text that may name one."""
NAMES_WITHIN = {"inviter", "actors", "facilitators", "contact_people", "trainer"}
"""Request fields whose items' strings name people (or may: an actor, an inviter)."""
PEOPLE_LISTS = {"participants"}
"""Request fields that are lists of people's names (an analysis's participants)."""
PUBLISHED_AS_WORDED = "/reference/"
"""Reference data is the consortium's vocabulary, published as it is worded (descriptions
included): nothing a request there sends is confided."""
TRAINERS = "/trainers"
"""A trainer's body: its name is a person's."""
SHORTEST = 8
"""Shorter values are words a code or a count may share ("survey", "board"): not scanned."""
CODE = re.compile(r"[a-z_]+")
"""A code sent in a free-text field's place (a closing reason: ``safety``) travels."""


def confided(body: Any, within: str | None = None) -> Iterator[str]:
    """Every string of a request body sent in a personal or free-text field."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key in FREE_TEXT or (within in NAMES_WITHIN and key in {"name", "email"}):
                yield from (s for s in _strings(value))
            elif key in PEOPLE_LISTS and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from confided(value, key if key in NAMES_WITHIN else within)
    elif isinstance(body, list):
        for item in body:
            yield from confided(item, within)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def undeclared_or_marked(model: type[BaseModel], data: Any, prefix: str = "") -> Iterator[str]:
    """Each field path of a raw payload that ``model`` does not declare or marks personal."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        path, field = f"{prefix}{key}", model.model_fields.get(key)
        if field is None:
            yield f"{path} (undeclared)"
        elif (marking := marking_of(field)) is not None:
            yield f"{path} ({marking.value})"
        else:
            for nested, items in _nested(field.annotation, value, path):
                for item_path, item in items:
                    yield from undeclared_or_marked(nested, item, f"{item_path}.")


def _nested(annotation: Any, value: Any, path: str) -> Iterator[tuple[type[BaseModel], Any]]:
    """The model a field holds, with its values in ``value`` and their paths."""
    origin, args = get_origin(annotation), get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, [(path, value)]
    elif origin is Annotated or origin in (Union, types.UnionType):
        for arg in args if origin is not Annotated else args[:1]:
            yield from _nested(arg, value, path)
    elif origin in (list, tuple) and isinstance(value, list):
        for nested, _ in _nested(args[0], None, path):
            yield nested, [(f"{path}[]", item) for item in value]
    elif origin is dict and isinstance(value, dict):
        for nested, _ in _nested(args[-1], None, path):
            yield nested, [(f"{path}{{}}", item) for item in value.values()]


def what_the_demo_leaves_out(story: Story, ids: dict[str, str]) -> None:
    p, call = story.p, story.call
    individual = {"name": "Rosa Elena Pacheco Villamil", "kind": "private citizen", "track": 4,
                  "is_party_to_conflict": True, "side": "returning families"}  # fmt: skip
    invitation = story.invite(
        inviter=individual, conflict=demo.montes_de_maria(), support="Accompaniment of returns"
    )
    withdrawal = {"reason": "Rosa Elena fears reprisals from the armed guards."}
    call("POST", f"{p.invitations}/invitations/{invitation}/withdrawal", 200, withdrawal)
    lesson = f"{p.evaluation}/lessons/{ids['lesson']}"
    call("PUT", lesson, 200, actor=demo.ORG_A_EVALUATOR, body={
        "statement": "Open land dialogues with women-led listening circles, then mixed sessions.",
        "evidence": "Interviews with Doña Carmen Julio and the San Onofre circle, years 1-4.",
        "confidence": "high",
        "context": {"regions": ["Caribbean region"], "conflict_types": ["land"], "tracks": [4]},
    })  # fmt: skip
    call("POST", f"{lesson}/retirement", 200, {"reason": "Doña Carmen Julio withdrew consent."},
         actor=demo.ORG_A_EVALUATOR)  # fmt: skip
    engagement = f"{p.engagements}/engagements/{ids['e1']}"
    call("POST", f"{engagement}/liaison", 201, {
        "institution": "Gobernación de Bolívar", "officials": ["Secretary Camilo Ortega Ruiz"],
        "kind": "briefing", "held_on": "2027-03-01",
        "summary": "Camilo Ortega Ruiz asked to be told before each session.",
    })  # fmt: skip
    (partner,) = [x for x in call("GET", f"{p.partners}/partners", 200)
                  if x["name"] == "Mujeres Tejiendo Paz"]  # fmt: skip
    profile = {k: partner[k] for k in ("name", "kind", "tracks", "countries", "is_local",
                                       "women_led", "womens_rights_org")}  # fmt: skip
    contacts = [{"name": "Luz Mery Díaz", "email": "luz.mery@example.org", "role": "coordinator"}]
    call("PUT", f"{p.partners}/partners/{partner['id']}", 200,
         {**profile, "tracks": [4, 5, 6], "contact_people": contacts})  # fmt: skip
    (partnership,) = call("GET", f"{p.partners}/partnerships", 200, engagement_id=ids["e1"])
    call("POST", f"{p.partners}/partnerships/{partnership['id']}/end", 200,
         {"ends_on": "2028-12-31"})  # fmt: skip
    call("PUT", f"{engagement}/exit-plan", 200, {
        "handover": "The circles go on under Luz Mery Díaz and Don Aurelio Mercado.",
        "planned_end_on": demo.today_anywhere().isoformat(),
        "follow_up_until": demo.today_anywhere().isoformat(),
    })  # fmt: skip
    for change in ({"to": "paused", "note": "Don Aurelio Mercado asked for a pause."},
                   {"to": "closing", "reason": "safety",
                    "note": "Threats against Don Aurelio Mercado's family."},
                   {"to": "closed", "no_final_evaluation_reason":
                    "Evaluator Julián Castro Ortega could not travel."}):  # fmt: skip
        call("POST", f"{engagement}/status", 200, change)
    call("POST", f"{engagement}/follow-ups", 201, {
        "held_on": demo.today_anywhere().isoformat(), "participants_reached": 6,
        "using_skills": 4, "note": "Tomasa Herrera Julio mediates boundary disputes now.",
    })  # fmt: skip


async def drained(platform: Platform) -> bool:
    """Every service's outbox sent: everything published is on the broker."""
    for process in platform.services.values():
        url = process.env["MULTITRACK_DATABASE_URL"].replace("postgresql+asyncpg", "postgresql")
        connection = await asyncpg.connect(url)
        try:
            unsent = await connection.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        finally:
            await connection.close()
        if unsent:
            return False
    return True


async def everything_on(broker: Broker, topic: TopicSpec, namespace: str) -> list[Envelope]:
    """Every record of ``topic``, from the beginning to its end now, read as the operator."""
    consumer = AIOKafkaConsumer(enable_auto_commit=False, **broker.client_options(OPERATOR))
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic.qualified(namespace), n) for n in range(topic.partitions)
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[Envelope] = []
        while any([await consumer.position(tp) < end for tp, end in ends.items()]):
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                found += [Envelope.from_kafka(r.headers, r.key, r.value) for r in records]
        return found
    finally:
        await consumer.stop()


async def test_no_event_published_while_the_story_plays_carries_anything_personal(
    start_platform: StartPlatform,
    kafka_broker: Broker,
    topic_namespace: str,
    consortium: Consortium,
) -> None:
    platform = await start_platform()
    story = story_on(platform, consortium)
    sent: list[Any] = []

    def keep(request: httpx.Request) -> None:
        if not request.content or PUBLISHED_AS_WORDED in request.url.path:
            return
        body = json.loads(request.content)
        sent.append({"trainer": body} if request.url.path.endswith(TRAINERS) else body)

    story.http.event_hooks["request"].append(keep)
    ids = await asyncio.to_thread(demo.play, story)
    await asyncio.to_thread(what_the_demo_leaves_out, story, ids)
    await eventually(lambda: drained(platform), within=60, what="every outbox sent")
    by_topic = {t: await everything_on(kafka_broker, t, topic_namespace) for t in all_topics()}

    # The partner feed carries copies of events: each is checked as the events are.
    carrying = (*EVENT_TOPICS, PARTNER_FEED)
    events = [e for t in carrying for e in by_topic[t]]
    assert [e for t, found in by_topic.items() if t not in carrying for e in found] == []
    published = {e.type for e in events}
    assert published >= {
        f"multitrack.{t}" for t in ("invitation.received.v2", "invitation.declined.v2",
        "invitation.accepted.v2", "invitation.withdrawn.v2", "engagement.analysis_recorded.v1",
        "engagement.party_heard.v1", "engagement.activity_recorded.v2",
        "engagement.liaison_recorded.v1", "engagement.status_changed.v2",
        "engagement.closed.v1", "engagement.lesson_responded.v2", "partner.updated.v1",
        "partnership.ended.v1", "lesson.recorded.v3", "lesson.revised.v3", "lesson.retired.v2")
    }  # fmt: skip
    models: dict[str, type[IntegrationEvent]] = IntegrationEvent.registry
    assert {t for t in published if models[t].superseded_by is not None} == set()
    assert {
        (e.type, path) for e in events for path in undeclared_or_marked(models[e.type], e.data)
    } == set()

    secrets = {
        s for body in sent for s in confided(body)
        if len(s.strip()) >= SHORTEST and not CODE.fullmatch(s)
    }  # fmt: skip
    assert {"Ana Ruiz", "Luz Mery Díaz", "Rosa Elena Pacheco Villamil"} <= secrets
    leaked = {
        (e.type, s)
        for e in events
        for s in secrets
        if s in json.dumps([e.subject, e.data], ensure_ascii=False)
    }
    assert leaked == set()
