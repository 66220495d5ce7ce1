"""The reconciler: holds every write of a workload to what the platform promises, reading the
services' databases and the topics themselves.

- every accepted write is in its database, its event is on the topic, and each consumer applied
  that event once (an acceptance opened exactly one engagement, its id is in the inbox);
- nothing exists for a refused write (no row, no state, no event);
- each invitation's events are on the topic in the order they were written;
- every accepted lesson is in the evaluation database, its event on the evaluation topic and
  applied by engagements and invitations; every accepted partner is in the partners database,
  its event on the partners topic and applied by engagements (when the workload writes them).

An unknown outcome (no answer, or a 503 ``commit_outcome_unknown``) may have been written or
not: either is fine, once, and whole (row, event and effects, or nothing).
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.access import OPERATOR
from multitrack_shared.messaging.topics import (
    ENGAGEMENTS,
    EVALUATION,
    INVITATIONS,
    PARTNERS,
    TopicSpec,
)
from multitrack_shared.testing.broker import Broker

from .workload import (
    ACCEPTED,
    ASSESSED,
    DECLINED,
    LESSON,
    LIFECYCLE,
    OPENED,
    PARTNER,
    RECEIVED,
    Outcome,
    Write,
)

BESIDE = {
    LESSON: ("evaluation", "SELECT id, statement AS marked FROM lessons", EVALUATION),
    PARTNER: ("partners", "SELECT id, name AS marked FROM partners", PARTNERS),
}
"""The workload's writes beside the invitations: the service whose table holds them (its rows'
id, and the text the write's marker ends), and the topic their events go to."""
APPLIED_BY = {LESSON: ("engagements", "invitations"), PARTNER: ("engagements",)}


@dataclass(frozen=True)
class Record:
    id: str
    key: str
    type: str


@dataclass
class Findings:
    accepted: int = 0
    published: int = 0
    duplicates_delivered: int = 0
    duplicates_absorbed: int = 0
    duplicate_effects: int = 0
    lost: int = 0
    out_of_order: int = 0
    phantoms: int = 0
    """Rows, state or events of refused writes: never printed as a field, always a failure."""
    detail: list[str] = field(default_factory=list)

    def line(self, scenario: str, recovery_s: float) -> str:
        return (
            f"scenario={scenario} accepted={self.accepted} published={self.published} "
            f"duplicates_delivered={self.duplicates_delivered} "
            f"duplicates_absorbed={self.duplicates_absorbed} "
            f"duplicate_effects={self.duplicate_effects} lost={self.lost} "
            f"out_of_order={self.out_of_order} recovery_s={recovery_s:.1f}"
        )

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicate_effects or self.out_of_order or self.phantoms)


async def topic_records(broker: Broker, topic: TopicSpec, namespace: str) -> list[Record]:
    """Every record on ``topic`` up to its end, per partition in offset order."""
    consumer = AIOKafkaConsumer(enable_auto_commit=False, **broker.client_options(OPERATOR))
    await consumer.start()
    try:
        name = topic.qualified(namespace)
        partitions = [TopicPartition(name, p) for p in range(topic.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[Record] = []
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                for each in batch:
                    envelope = Envelope.from_kafka(each.headers, each.key, each.value)
                    records.append(Record(envelope.id, envelope.subject, envelope.type))
        return records
    finally:
        await consumer.stop()


async def connect(database_url: str) -> asyncpg.Connection:
    return await asyncpg.connect(database_url.replace("postgresql+asyncpg", "postgresql"))


async def rows(database_url: str, query: str, *arguments: object) -> list[asyncpg.Record]:
    connection = await connect(database_url)
    try:
        return list(await connection.fetch(query, *arguments))
    finally:
        await connection.close()


async def execute(database_url: str, statements: str) -> None:
    connection = await connect(database_url)
    try:
        await connection.execute(statements)
    finally:
        await connection.close()


@dataclass
class Reconciler:
    broker: Broker
    namespace: str
    databases: Mapping[str, str]

    async def reconcile(self, writes: Sequence[Write], redelivered: Sequence[str]) -> Findings:
        """``redelivered``: the ids of events a consumer was handed again after applying them
        (its logs say so)."""
        invitations, engagements, inbox, on_invitations, on_engagements = await asyncio.gather(
            rows(self.databases["invitations"], "SELECT id, support_requested, assessment, "
                 "decision FROM invitations"),
            rows(self.databases["engagements"], "SELECT invitation_id FROM engagements"),
            rows(self.databases["engagements"], "SELECT event_id FROM inbox"),
            topic_records(self.broker, INVITATIONS, self.namespace),
            topic_records(self.broker, ENGAGEMENTS, self.namespace),
        )  # fmt: skip
        found = Findings(accepted=sum(w.outcome is Outcome.accepted for w in writes))
        by_marker = {row["support_requested"].rsplit(" ", 1)[-1]: row for row in invitations}
        events = _first_of_each(on_invitations)
        applied = {row["event_id"] for row in inbox}
        opened = Counter(row["invitation_id"] for row in engagements)
        for write in writes:
            row = by_marker.get(write.marker)
            event = events.get((write.key or "", write.event_type))
            if write.outcome is Outcome.accepted:
                missing = _missing(write, row, event, applied, opened)
                if missing:
                    found.lost += 1
                    found.detail.append(f"lost {write.event_type} {write.key}: {missing}")
            elif write.outcome is Outcome.refused and _exists(write, row, event):
                found.phantoms += 1
                found.detail.append(
                    f"refused {write.event_type} {write.key} exists ({write.status})"
                )
            elif write.outcome is Outcome.unknown and _exists(write, row, event):
                # Kept or not, a write is kept whole: its row, its event, their effects.
                whole = write if write.key or row is None else replace(write, key=row["id"])
                its_event = events.get((whole.key or "", write.event_type))
                missing = _missing(whole, row, its_event, applied, opened)
                if missing:
                    found.lost += 1
                    outbox = await rows(
                        self.databases["invitations"],
                        "SELECT event_type, sent_at, parked_at, park_error FROM outbox "
                        "WHERE message_key = $1 ORDER BY seq",
                        whole.key,
                    )
                    found.detail.append(
                        f"half kept {write.event_type} {whole.key}: {missing} "
                        f"(answered {write.status}; outbox {[tuple(r) for r in outbox]})"
                    )
        acceptances = {r.key for r in events.values() if r.type == ACCEPTED}
        for invitation, count in opened.items():
            found.duplicate_effects += count - 1
            if invitation not in acceptances:
                found.phantoms += 1
                found.detail.append(f"engagement of {invitation}, never accepted")
        beside = await self._beside(writes, found)
        found.out_of_order = _out_of_order(on_invitations, found.detail)
        found.published = (
            len({r.id for r in on_invitations})
            + len({r.id for r in on_engagements if r.type == OPENED})
            + len({r.id for r in beside if r.type in BESIDE})
        )
        every_record = on_invitations + on_engagements + beside
        found.duplicates_delivered = _duplicates(every_record, redelivered)
        found.duplicates_absorbed = max(0, found.duplicates_delivered - found.duplicate_effects)
        return found

    async def _beside(self, writes: Sequence[Write], found: Findings) -> list[Record]:
        """Holds the lessons and partners written to the same promises as the invitations:
        in their database, on their topic, applied by each consumer (none of a refused one).
        Returns the records of their topics."""
        kinds = {w.event_type for w in writes} & BESIDE.keys()
        records: list[Record] = []
        inboxes = {
            name: {r["event_id"] for r in await rows(url, "SELECT event_id FROM inbox")}
            for name, url in self.databases.items()
            if any(name in APPLIED_BY[kind] for kind in kinds)
        }
        for kind in sorted(kinds):
            service, query, topic = BESIDE[kind]
            marked = await rows(self.databases[service], query)
            by_marker = {row["marked"].rsplit(" ", 1)[-1]: row["id"] for row in marked}
            on_topic = await topic_records(self.broker, topic, self.namespace)
            records += on_topic
            events = _first_of_each(on_topic)
            for write in (w for w in writes if w.event_type == kind):
                key = by_marker.get(write.marker)
                event = events.get((key or "", kind))
                if write.outcome is Outcome.accepted:
                    missing = _missing_beside(write, key, event, inboxes)
                    if missing:
                        found.lost += 1
                        found.detail.append(f"lost {kind} {write.key}: {missing}")
                elif write.outcome is Outcome.refused and (key or event):
                    found.phantoms += 1
                    found.detail.append(f"refused {kind} exists ({write.status})")
        return records


def _missing_beside(
    write: Write, key: str | None, event: Record | None, inboxes: Mapping[str, set[str]]
) -> str:
    if key is None or key != write.key:
        return "no row"
    if event is None:
        return "no event on the topic"
    absent = [name for name in APPLIED_BY[write.event_type] if event.id not in inboxes[name]]
    return f"not applied by {', '.join(absent)}" if absent else ""


def _duplicates(records: Sequence[Record], redelivered: Sequence[str]) -> int:
    """Copies of an event after its first: on a topic (sent twice), or handed to a consumer
    again (a crash or a rebalance before its offset was committed)."""
    copies = Counter(record.id for record in records)
    on_topics = sum(count - 1 for count in copies.values())
    return on_topics + sum(1 for event in redelivered if copies[event] < 2)


def _first_of_each(records: Sequence[Record]) -> dict[tuple[str, str], Record]:
    first: dict[tuple[str, str], Record] = {}
    for record in records:
        first.setdefault((record.key, record.type), record)
    return first


def _missing(
    write: Write,
    row: Any,
    event: Record | None,
    applied: set[str],
    opened: Mapping[str, int],
) -> str:
    """What of an accepted write is not where it must be ('' when everything is)."""
    if row is None or row["id"] != write.key:
        return "no row"
    if write.event_type == ASSESSED and not _written(row["assessment"]):
        return "no assessment"
    if write.event_type in (ACCEPTED, DECLINED) and not _written(row["decision"]):
        return "no decision"
    if event is None:
        return "no event on the topic"
    if write.event_type == ACCEPTED and (event.id not in applied or not opened.get(row["id"])):
        return "not applied by engagements"
    return ""


def _exists(write: Write, row: Any, event: Record | None) -> bool:
    """Whether anything of a refused write is there."""
    if write.event_type == RECEIVED:
        return row is not None
    if write.event_type == ASSESSED:
        return event is not None or (row is not None and _written(row["assessment"]))
    return event is not None or (row is not None and _written(row["decision"]))


def _written(column: str | None) -> bool:
    """Whether a JSON column holds a value: an absent one is stored as JSON ``null``, which
    asyncpg reads as the text ``'null'``, not as SQL NULL."""
    return column is not None and column != "null"


def _out_of_order(records: Sequence[Record], detail: list[str]) -> int:
    """Invitations whose events reached the topic in another order than they were written."""
    places: dict[str, list[int]] = defaultdict(list)
    seen: set[str] = set()
    for record in records:
        if record.id not in seen and record.type in LIFECYCLE:
            seen.add(record.id)
            places[record.key].append(LIFECYCLE[record.type])
    disordered = [key for key, order in places.items() if order != sorted(order)]
    detail.extend(f"out of order: {key} {places[key]}" for key in disordered)
    return len(disordered)
