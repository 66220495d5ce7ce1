"""The SQL side of forwarding, on SQLite and on PostgreSQL: a record's owner is the latest one an
event named, read from the database even within the transaction that wrote it; an event is
stored once, its insert telling whether it was new; active subscriptions are read once per
unit of work, and a change through that unit reads them again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from multitrack_partners.adapters.repositories.forwarded import SqlForwardedEventRepository
from multitrack_partners.adapters.repositories.subscriptions import SqlSubscriptionRepository
from multitrack_partners.adapters.tables import metadata
from multitrack_partners.application.webhook_ports import RecordOwner
from multitrack_partners.domain.subscriptions import ForwardedEvent, Subscription
from multitrack_shared.db.engine import SessionFactory, create_engine, session_factory

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
async def sessions(either_database: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(either_database)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield session_factory(engine)
    await engine.dispose()


def an_event(event_id: str, subject: str = "eng-1") -> ForwardedEvent:
    return ForwardedEvent(
        id=event_id,
        type="multitrack.engagement.opened.v1",
        source="engagements",
        subject=subject,
        time=NOW,
        data={"engagement_id": subject},
        owner_org="org-a",
        visibility="owner",
    )


def a_subscription(subscription_id: str) -> Subscription:
    return Subscription(
        id=subscription_id,
        owner_org="org-a",
        sink="https://partner.example.org/hook",
        types=(),
        filters=(),
        sealed_secret="sealed",
        created_at=NOW,
    )


async def test_a_record_s_owner_is_the_latest_named_even_within_one_transaction(
    sessions: SessionFactory,
) -> None:
    async with sessions() as session:
        store = SqlForwardedEventRepository(session)
        assert await store.owner_of("eng-1") is None
        await store.put_owner("eng-1", RecordOwner("org-a", "owner"))
        assert await store.owner_of("eng-1") == RecordOwner("org-a", "owner")
        await store.put_owner("eng-1", RecordOwner("org-a", "consortium"))
        assert await store.owner_of("eng-1") == RecordOwner("org-a", "consortium")
        await session.commit()

    async with sessions() as session:
        store = SqlForwardedEventRepository(session)
        assert await store.owner_of("eng-1") == RecordOwner("org-a", "consortium")
        assert await store.owner_of("eng-2") is None


async def test_an_event_is_stored_once_and_its_insert_tells_whether_it_was_new(
    sessions: SessionFactory,
) -> None:
    async with sessions() as session:
        store = SqlForwardedEventRepository(session)
        assert await store.add(an_event("ev-1"))
        assert not await store.add(an_event("ev-1"))
        assert await store.add(an_event("ev-2", subject="eng-2"))
        await session.commit()

    async with sessions() as session:
        store = SqlForwardedEventRepository(session)
        assert not await store.add(an_event("ev-2"))
        stored = await store.since(NOW)
        assert [(e.id, e.subject, e.data) for e in stored] == [
            ("ev-1", "eng-1", {"engagement_id": "eng-1"}),
            ("ev-2", "eng-2", {"engagement_id": "eng-2"}),
        ]
        assert stored[0].seq < stored[1].seq


async def test_active_subscriptions_are_read_once_per_unit_and_again_after_its_own_change(
    sessions: SessionFactory,
) -> None:
    async with sessions() as forwarding, sessions() as api:
        applying = SqlSubscriptionRepository(forwarding)
        assert await applying.active() == []

        await SqlSubscriptionRepository(api).add(a_subscription("sub-1"))
        await api.commit()
        # Committed meanwhile elsewhere: the next unit sees it, this one kept what it read.
        assert await applying.active() == []

        await applying.add(a_subscription("sub-2"))
        assert sorted(s.id for s in await applying.active()) == ["sub-1", "sub-2"]

    async with sessions() as session:
        assert [s.id for s in await SqlSubscriptionRepository(session).active()] == ["sub-1"]
