"""Every state change leaves an audit entry, written in the same transaction as the change: who
(subject, organization, client, kind), what (record type and id, action), from which request
or event. Consortium admins read them; nobody changes them."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from aiokafka import ConsumerRecord
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy import MetaData, Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from multitrack_shared.db.engine import create_engine, session_factory
from multitrack_shared.events.common import Ownership
from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.consumer import ConsumerRuntime, Subscription
from multitrack_shared.messaging.outbox import Outbox
from multitrack_shared.messaging.pruning import prune_messaging_tables
from multitrack_shared.messaging.tables import messaging_tables
from multitrack_shared.testing.inprocess import apply_events
from multitrack_shared.testing.tokens import TokenSource

from .memos import (
    AUDIT_LOG,
    Memo,
    MemoFlagged,
    MemosUnitOfWork,
    MemoWritten,
    metadata,
    on_memo_flagged,
)

consumer_of_flags = Subscription({MemoFlagged: on_memo_flagged})
memos_table = metadata.tables["memos"]
A_MEMO = {
    "title": "Elders met",
    "visibility": "owner",
    "contact_name": "Ana Ruiz",
    "why": "Ana asked",
}


async def rows(app: FastAPI, table: Table) -> list[Any]:
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(select(table))).all())


async def subject_of(tokens: TokenSource, organization: str | None, role: str) -> str:
    token = await tokens.for_client(organization, role)
    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


async def write_memo(api: httpx.AsyncClient, **changes: Any) -> str:
    written = await api.post("/memos", json={**A_MEMO, **changes})
    assert written.status_code == 201, written.text
    return str(written.json()["id"])


async def test_a_change_through_the_api_is_audited_with_its_caller_and_request(
    memos: FastAPI, api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    written = await api.post("/memos", json=A_MEMO, headers={"X-Request-ID": "req-write-1"})
    memo_id = written.json()["id"]
    retitled = await api.put(
        f"/memos/{memo_id}/title",
        json={"title": "Elders met twice"},
        headers={"X-Request-ID": "r2"},
    )
    assert (written.status_code, retitled.status_code) == (201, 200)

    write, retitle = sorted(await rows(memos, AUDIT_LOG), key=lambda r: r.seq)
    (event,) = await rows(memos, memos.state.runtime.tables.outbox)
    subject = await subject_of(tokens, "org-a", "coordinator")
    assert {k: v for k, v in write._mapping.items() if k not in ("seq", "at")} == {
        "record_type": "memo",
        "record_id": memo_id,
        "action": "multitrack.memo.written.v1",
        "actor_kind": "client",
        "actor_subject": subject,
        "actor_organization": "org-a",
        "actor_client": "org-a-coordinator",
        "request_id": "req-write-1",
        "event_id": event.event_id,
    }
    assert (retitle.record_id, retitle.action, retitle.event_id) == (memo_id, "retitled", None)
    assert (retitle.actor_subject, retitle.request_id) == (subject, "r2")
    assert abs(write.at.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=1)
    # the audit holds who and what, never what the body said
    assert not [v for row in (write, retitle) for v in row if isinstance(v, str) and "Ana" in v]


async def test_a_refused_change_leaves_no_audit_entry(
    memos: FastAPI, api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    memo_id = await write_memo(api, visibility="consortium")
    before = await rows(memos, AUDIT_LOG)

    other = await api.put(
        f"/memos/{memo_id}/title", json={"title": "Mine now"}, auth=tokens.auth("org-b")
    )
    evaluator = await api.put(
        f"/memos/{memo_id}/title",
        json={"title": "Mine now"},
        auth=tokens.auth("org-a", "evaluator"),
    )

    assert (other.status_code, other.json()["error"]["code"]) == (403, "not_owner")
    assert (evaluator.status_code, evaluator.json()["error"]["code"]) == (403, "role_required")
    assert await rows(memos, AUDIT_LOG) == before


async def change_then_fail(uow: MemosUnitOfWork, memo: Memo) -> None:
    async with uow:
        await uow.memos.add(memo)
        ownership = Ownership(owner_org="org-a")
        uow.publish(MemoWritten(memo_id=memo.id, ownership=ownership, title=memo.title))
        uow.record_change("memo", memo.id, "noted")
        raise RuntimeError("fails after the change, before the commit")


async def change_refused_at_commit(uow: MemosUnitOfWork, memo: Memo) -> None:
    async with uow:
        await uow.memos.add(memo)  # an id taken already: the database refuses it at commit
        uow.record_change("memo", memo.id, "written twice")
        await uow.commit()


async def test_the_audit_entry_is_kept_or_lost_with_the_change(memos: FastAPI) -> None:
    runtime = memos.state.runtime
    memo = Memo(id=str(uuid.uuid4()), owner_org="org-a", visibility="owner", title="t")
    async with runtime.new_uow() as uow:
        await uow.memos.add(memo)
        await uow.commit()

    with pytest.raises(RuntimeError, match="after the change"):
        await change_then_fail(runtime.new_uow(), replace(memo, id=str(uuid.uuid4())))
    with pytest.raises(IntegrityError):
        await change_refused_at_commit(runtime.new_uow(), memo)

    assert await rows(memos, AUDIT_LOG) == []
    assert await rows(memos, runtime.tables.outbox) == []
    assert len(await rows(memos, memos_table)) == 1


async def test_a_change_applied_from_a_consumed_event_is_by_the_service_itself(
    memos: FastAPI, api: httpx.AsyncClient
) -> None:
    memo_id = await write_memo(api)
    flagged = Envelope.wrap(MemoFlagged(memo_id=memo_id), "/multitrack/elsewhere")
    value = flagged.to_kafka().value
    record = ConsumerRecord(
        "multitrack.memos.v1",
        0,
        7,
        0,
        0,
        memo_id.encode(),
        value,
        None,
        0,
        len(value),
        list(flagged.to_kafka().headers.items()),
    )
    runtime = memos.state.runtime
    consumer = ConsumerRuntime(
        runtime.settings,
        Subscription({MemoFlagged: on_memo_flagged}),
        runtime.new_uow,
        runtime.tables,
    )

    await consumer.process(record)
    await apply_events(memos, consumer_of_flags, [MemoFlagged(memo_id=memo_id)])

    by_consumer, by_harness = [r for r in await rows(memos, AUDIT_LOG) if r.action == "flagged"]
    assert (by_consumer.actor_kind, by_consumer.actor_subject) == ("service", "service:memos")
    assert (by_consumer.actor_organization, by_consumer.actor_client) == (None, "memos")
    assert (by_consumer.record_id, by_consumer.request_id) == (memo_id, flagged.id)
    assert (by_harness.actor_kind, by_harness.actor_subject) == ("service", "service:memos")
    assert (await api.get(f"/memos/{memo_id}")).json()["flagged"] is True


async def test_a_unit_of_work_without_an_audit_log_refuses_to_record_a_change(
    tmp_path: Any,
) -> None:

    sessions = session_factory(create_engine("sqlite+aiosqlite:///:memory:"))
    uow = MemosUnitOfWork(sessions, Outbox(messaging_tables(MetaData()), "/t"), lambda: None)

    async with uow:
        with pytest.raises(RuntimeError, match="audit"):
            uow.record_change("memo", "m-1", "noted")


async def test_only_consortium_admins_read_the_audit(
    memos: FastAPI, api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    first = await write_memo(api)
    await write_memo(api, title="Second")
    await api.put(f"/memos/{first}/title", json={"title": "First, again"})
    admin = tokens.auth(None, "consortium-admin")

    anonymous = await api.get("/audit", auth=None)
    coordinator = await api.get("/audit")
    of_first = await api.get("/audit", params={"record_id": first}, auth=admin)
    of_org_a = await api.get("/audit", params={"organization": "org-a", "limit": 2}, auth=admin)
    rest = await api.get(
        "/audit",
        params={"organization": "org-a", "after": of_org_a.json()["next_after"]},
        auth=admin,
    )
    of_org_b = await api.get("/audit", params={"organization": "org-b"}, auth=admin)
    too_many = await api.get("/audit", params={"limit": 1000}, auth=admin)

    assert anonymous.status_code == 401
    assert (coordinator.status_code, coordinator.json()["error"]["code"]) == (403, "role_required")
    assert [e["action"] for e in of_first.json()["entries"]] == [
        "multitrack.memo.written.v1",
        "retitled",
    ]
    assert len(of_org_a.json()["entries"]) == 2
    assert [e["action"] for e in rest.json()["entries"]] == ["retitled"]
    assert rest.json()["next_after"] is None
    assert of_org_b.json() == {"entries": [], "next_after": None}
    assert too_many.status_code == 422


async def test_the_audit_log_is_what_its_migration_creates_and_pruning_leaves_it(
    memos: FastAPI, api: httpx.AsyncClient
) -> None:
    await write_memo(api)
    runtime = memos.state.runtime

    def differences(connection: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))

    async with runtime.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
    await prune_messaging_tables(
        runtime.engine,
        runtime.tables,
        runtime.settings,
        now=datetime.now(UTC) + timedelta(days=3650),
    )
    assert len(await rows(memos, AUDIT_LOG)) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"after": 2**63}, "query.after", id="after-past-bigint"),
        pytest.param({"after": -1}, "query.after", id="after-negative"),
        pytest.param({"record_id": "memo\x00"}, "query.record_id", id="record-id-nul"),
        pytest.param({"record_id": "m" * 101}, "query.record_id", id="record-id-long"),
        pytest.param({"organization": "org-\u202ea"}, "query.organization", id="org-bidi"),
        pytest.param({"organization": "  "}, "query.organization", id="org-blank"),
    ],
)
async def test_the_audit_refuses_parameters_out_of_bounds_naming_them(
    api: httpx.AsyncClient, tokens: TokenSource, params: dict[str, Any], field: str
) -> None:
    response = await api.get("/audit", params=params, auth=tokens.auth(None, "consortium-admin"))

    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["error"]["fields"]] == [field]


async def test_the_audit_pages_after_the_last_position_a_sequence_holds(
    api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    await write_memo(api)

    response = await api.get(
        "/audit", params={"after": 2**63 - 1}, auth=tokens.auth(None, "consortium-admin")
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"entries": [], "next_after": None}
