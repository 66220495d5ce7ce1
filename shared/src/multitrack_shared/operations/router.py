"""``/operations/…``: what an operator asks a running service, for consortium admins only.

The state lives in the service's database (outbox, inbox), in its running consumer (what it
retries, how far a replay has come) and on its dead-letter topic, which the service reads
itself: so the operator's command line needs no database access and writes nothing to the
broker.
"""

from __future__ import annotations

from typing import Annotated, Any

from aiokafka.errors import KafkaError
from fastapi import APIRouter, Depends, Path, Query, Request, status

from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.errors import Conflict, Unavailable
from multitrack_shared.http.auth import require_roles
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.messaging.consumer import ConsumerRuntime
from multitrack_shared.messaging.replay import Replay
from multitrack_shared.messaging.topics import dead_letter_topic
from multitrack_shared.operations.dead_letters import DeadLetter, read_dead_letters
from multitrack_shared.operations.ledger import (
    inbox_entries,
    outbox_entry,
    outbox_summary,
    table_rows,
)
from multitrack_shared.operations.schemas import (
    AppliedRecord,
    DeadLetterPage,
    DeadLetterPublic,
    EffectiveSettings,
    EventState,
    MessagingState,
    OutboxRecord,
    OutboxState,
    RebuildState,
    Replayed,
    ReplayRequest,
    ReplayResult,
    RetryingEvent,
)
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings_view import masked
from multitrack_shared.validation import Name, RecordId

Admin = Annotated[Principal, require_roles(Role.consortium_admin)]


def _runtime(request: Request) -> ServiceRuntime[Any]:
    runtime: ServiceRuntime[Any] = request.app.state.runtime
    return runtime


Runtime = Annotated[ServiceRuntime[Any], Depends(_runtime)]


def _consumer(runtime: ServiceRuntime[Any]) -> ConsumerRuntime[Any]:
    if runtime.consumer is None:
        raise Conflict(
            f"{runtime.settings.service_name} consumes no events.", code="consumes_nothing"
        )
    return runtime.consumer


def operations_router() -> APIRouter:
    router = APIRouter(prefix="/operations", tags=["operations"], responses=ERROR_RESPONSES)

    @router.get("/messaging", summary="Outbox, consumer and retries (consortium admins)")
    async def messaging(_admin: Admin, runtime: Runtime) -> MessagingState:
        settings = runtime.settings
        consumer = runtime.consumer
        summary = await outbox_summary(runtime.engine, runtime.tables)
        return MessagingState(
            service=settings.service_name,
            consumer_group=settings.consumer_group,
            consumed_topics=[
                t.qualified(settings.topic_namespace)
                for t in (consumer.subscription.topics if consumer else ())
            ],
            consumed_types=[
                e.event_type for e in (consumer.subscription.handlers if consumer else ())
            ],
            dead_letter_topic=dead_letter_topic(settings.service_name).qualified(
                settings.topic_namespace
            ),
            outbox=OutboxState(**vars(summary)),
            consumer=runtime.consumer_state,
            retrying=[
                RetryingEvent(**vars(r)) for r in (consumer.retrying.values() if consumer else ())
            ],
        )

    @router.get("/events/{event_id}", summary="Where one event stands here (consortium admins)")
    async def event(
        _admin: Admin,
        runtime: Runtime,
        event_id: Annotated[RecordId, Path(description="The event's id.")],
    ) -> EventState:
        written = await outbox_entry(runtime.engine, runtime.tables, event_id)
        inbox = (await inbox_entries(runtime.engine, runtime.tables, [event_id])).get(event_id)
        consumer = runtime.consumer
        retrying = consumer.retrying.get(event_id) if consumer else None
        applied = None
        if inbox is not None:
            found = consumer.subscription.handler_for(inbox.event_type) if consumer else None
            applied = AppliedRecord(
                applied_at=inbox.applied_at,
                handler=f"{found.__module__}.{found.__qualname__}" if found else None,
                topic=inbox.topic,
                partition=inbox.partition,
                offset=inbox.offset,
            )
        return EventState(
            event_id=event_id,
            service=runtime.settings.service_name,
            outbox=OutboxRecord(**vars(written)) if written else None,
            applied=applied,
            retrying=RetryingEvent(**vars(retrying)) if retrying else None,
        )

    @router.get("/dead-letters", summary="Events this service could not apply (consortium admins)")
    async def dead_letters(
        _admin: Admin,
        runtime: Runtime,
        event_type: Annotated[Name | None, Query(description="Only this type.")] = None,
    ) -> DeadLetterPage:
        letters = [
            d
            for d in await _dead_letters_of(runtime)
            if event_type is None or d.event_type == event_type
        ]
        applied = await inbox_entries(
            runtime.engine, runtime.tables, [d.event_id for d in letters if d.event_id]
        )
        return DeadLetterPage(
            service=runtime.settings.service_name,
            dead_letters=[
                _public(d, applied[d.event_id].applied_at if d.event_id in applied else None)
                for d in letters
            ],
        )

    @router.post(
        "/dead-letters/replay",
        summary="Send dead-lettered events back to this service's consumer (consortium admins)",
    )
    async def replay(_admin: Admin, runtime: Runtime, body: ReplayRequest) -> ReplayResult:
        consumer = _consumer(runtime)
        letters = await _dead_letters_of(runtime)
        applied = await inbox_entries(
            runtime.engine, runtime.tables, [d.event_id for d in letters if d.event_id]
        )
        chosen = _latest_by_event(
            d
            for d in letters
            if d.event_id is not None
            and (
                d.event_id in body.event_ids
                or (d.event_type == body.event_type and d.event_id not in applied)
            )
        )
        replayed = [
            Replayed(event_id=d.event_id, outcome=(await consumer.process(d.original())).value)
            for d in chosen
        ]
        found = {d.event_id for d in chosen}
        return ReplayResult(
            service=runtime.settings.service_name,
            replayed=replayed,
            not_found=[i for i in body.event_ids if i not in found],
        )

    @router.post(
        "/read-models/rebuild",
        status_code=status.HTTP_202_ACCEPTED,
        summary="Rebuild the read models from the topics, now (consortium admins)",
    )
    async def rebuild(_admin: Admin, runtime: Runtime) -> RebuildState:
        _consumer(runtime)
        if not runtime.read_models:
            raise Conflict(
                f"{runtime.settings.service_name} keeps no read models.", code="no_read_models"
            )
        await runtime.rebuild_while_running()
        return await _rebuild_state(runtime)

    @router.get("/read-models/rebuild", summary="How far a rebuild has come (consortium admins)")
    async def rebuild_progress(_admin: Admin, runtime: Runtime) -> RebuildState:
        return await _rebuild_state(runtime)

    @router.get("/settings", summary="The settings in effect, secrets masked (consortium admins)")
    async def effective_settings(_admin: Admin, runtime: Runtime) -> EffectiveSettings:
        return EffectiveSettings(
            service=runtime.settings.service_name, settings=masked(runtime.settings)
        )

    return router


async def _dead_letters_of(runtime: ServiceRuntime[Any]) -> list[DeadLetter]:
    try:
        return await read_dead_letters(runtime.settings)
    except (KafkaError, TimeoutError, OSError) as exc:
        raise Unavailable(
            f"The broker does not answer: {type(exc).__name__}.", code="broker_unavailable"
        ) from exc


def _public(letter: DeadLetter, applied_at: Any) -> DeadLetterPublic:
    return DeadLetterPublic(
        event_id=letter.event_id,
        event_type=letter.event_type,
        error=letter.error,
        attempts=letter.attempts,
        failed_at=letter.failed_at,
        origin=f"{letter.origin_topic}/{letter.origin_partition}@{letter.origin_offset}",
        dead_letter_offset=letter.dead_letter_offset,
        applied_at=applied_at,
    )


def _latest_by_event(letters: Any) -> list[DeadLetter]:
    """One record per event, its latest dead letter (a replay that failed again adds one)."""
    latest: dict[str, DeadLetter] = {}
    for letter in letters:
        latest.pop(letter.event_id, None)
        latest[letter.event_id] = letter
    return list(latest.values())


async def _rebuild_state(runtime: ServiceRuntime[Any]) -> RebuildState:
    replay: Replay | None = runtime.consumer.replay if runtime.consumer else None
    state = "none"
    if replay is not None:
        state = "done" if replay.finished_at else "replaying" if replay.assigned else "waiting"
    return RebuildState(
        service=runtime.settings.service_name,
        state=state,
        started_at=replay.started_at if replay else None,
        finished_at=replay.finished_at if replay else None,
        total=replay.total if replay else 0,
        done=replay.done if replay else 0,
        applied=replay.applied if replay else 0,
        read_models=await table_rows(runtime.engine, runtime.read_models),
    )
