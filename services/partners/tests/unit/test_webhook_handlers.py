"""Subscriptions, forwarding and deliveries on in-memory fakes: which events a subscription
gets, in what order, how failures are retried and when a subscription is disabled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from multitrack_partners.application import deliveries, forwarding, subscriptions
from multitrack_partners.bootstrap import counted_in
from multitrack_partners.domain.deliveries import DeliveryStatus, Outcome, RetryPolicy
from multitrack_partners.domain.subscriptions import (
    EventFilter,
    FilterDialect,
    FilteredAttribute,
    SubscriptionStatus,
)
from multitrack_shared.auth.principal import Role
from multitrack_shared.errors import DomainError, Forbidden, NotFound
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.engagements import EngagementStatusChanged, EngagementStatusChangedV2
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.messaging.topics import PARTNER_FEED
from multitrack_shared.observability.metrics import ServiceMetrics
from multitrack_shared.testing.principals import acting_for
from multitrack_shared.testing.superseded import as_superseded

from ..conftest import an_engagement_opened
from ..fakes import FakePartnersUnitOfWork
from ..webhook_fakes import PlainSeal, RecordingSender

pytestmark = pytest.mark.unit

NOW = datetime.now(UTC) + timedelta(days=1)
"""After the events applied below, which are dated when they are applied (the suite takes
less than a day)."""
SINK = "https://partner.example.org/hook"
POLICY = RetryPolicy(3, timedelta(seconds=10), timedelta(seconds=25))


def clock() -> datetime:
    return NOW


async def subscribed(
    uow: FakePartnersUnitOfWork,
    organization: str = "org-a",
    types: tuple[str, ...] = (),
    filters: tuple[EventFilter, ...] = (),
) -> str:
    cmd = subscriptions.Subscribe(SINK, types, filters, allow_loopback_http=False)
    caller = acting_for(organization, Role.partner_system)
    created = await subscriptions.subscribe(cmd, caller, uow, clock, PlainSeal())
    return created.subscription.id


async def consume(uow: FakePartnersUnitOfWork, *events: IntegrationEvent) -> None:
    for event in events:
        await uow.consume(forwarding.on_any_event, event)


def changed(engagement_id: str, to: str) -> EngagementStatusChangedV2:
    return EngagementStatusChangedV2(
        engagement_id=engagement_id, from_status="listening", to_status=to, changed_at=NOW
    )


def delivered_subjects(uow: FakePartnersUnitOfWork, subscription_id: str) -> list[str]:
    found = [d for d in uow.deliveries.deliveries.values() if d.subscription_id == subscription_id]
    events = uow.forwarded_events.events
    return [events.get(d.event_id).subject for d in sorted(found, key=lambda d: d.seq)]  # type: ignore[union-attr]  # every delivery names a stored event


async def test_a_subscription_is_its_organization_s_and_its_secret_is_sealed() -> None:
    uow = FakePartnersUnitOfWork()
    cmd = subscriptions.Subscribe(SINK, (), (), allow_loopback_http=False)

    created = await subscriptions.subscribe(
        cmd, acting_for("org-a", Role.coordinator), uow, clock, PlainSeal()
    )

    assert created.subscription.owner_org == "org-a"
    assert created.secret.startswith("whsec_")
    assert created.subscription.sealed_secret == f"sealed:{created.secret}"
    with pytest.raises(Forbidden):
        await subscriptions.subscribe(
            cmd, acting_for("org-a", Role.evaluator), uow, clock, PlainSeal()
        )


@pytest.mark.parametrize(
    ("sink", "local", "allowed"),
    [
        ("https://partner.example.org/hook", False, True),
        ("http://127.0.0.1:8080/hook", True, True),
        ("http://localhost/hook", True, True),
        ("http://[::1]:8080/hook", True, True),
        ("http://127.0.0.1:8080/hook", False, False),
        ("http://partner.example.org/hook", True, False),
        ("http://10.0.0.8/hook", True, False),
        ("https://[::1/hook", False, False),
        ("https://partner.example.org:99999/hook", False, False),
    ],
)
async def test_sinks_are_https_and_http_only_to_loopback_in_local_mode(
    sink: str, local: bool, allowed: bool
) -> None:
    uow = FakePartnersUnitOfWork()
    cmd = subscriptions.Subscribe(sink, (), (), allow_loopback_http=local)
    caller = acting_for("org-a", Role.partner_system)
    if allowed:
        await subscriptions.subscribe(cmd, caller, uow, clock, PlainSeal())
    else:
        with pytest.raises(DomainError) as refused:
            await subscriptions.subscribe(cmd, caller, uow, clock, PlainSeal())
        assert refused.value.field == "sink"
        assert uow.nothing_committed


async def test_an_owner_only_record_s_events_reach_its_organization_only_and_never_the_feed() -> (
    None
):
    uow = FakePartnersUnitOfWork()
    ours = await subscribed(uow, "org-a")
    theirs = await subscribed(uow, "org-b")
    private = Ownership(owner_org="org-a", visibility=Visibility.owner)

    await consume(
        uow,
        an_engagement_opened("eng-private", ownership=private),
        changed("eng-private", "active"),
        an_engagement_opened("eng-shared"),
        changed("eng-shared", "active"),
    )

    assert delivered_subjects(uow, ours) == [
        "eng-private",
        "eng-private",
        "eng-shared",
        "eng-shared",
    ]
    assert delivered_subjects(uow, theirs) == ["eng-shared", "eng-shared"]
    assert [(e.subject, topic) for e, topic in uow.forwarded] == [("eng-shared", PARTNER_FEED)] * 2


async def test_an_unknown_owner_s_event_goes_to_nobody_and_consortium_news_to_all() -> None:
    uow = FakePartnersUnitOfWork()
    ours = await subscribed(uow, "org-a")
    reference = ReferenceChanged(
        key="track:4",
        kind="track",
        code="4",
        label="Track 4",
        description="Private citizens",
        active=True,
        changed_at=NOW,
    )

    await consume(uow, changed("eng-never-opened", "active"), reference)

    assert delivered_subjects(uow, ours) == ["track:4"]
    assert [e.subject for e, _ in uow.forwarded] == ["track:4"]


async def test_types_and_filters_choose_the_events() -> None:
    uow = FakePartnersUnitOfWork()
    opened_only = await subscribed(uow, types=("multitrack.engagement.opened.v1",))
    one_subject = await subscribed(
        uow,
        filters=(
            EventFilter(FilterDialect.prefix, FilteredAttribute.type, "multitrack.engagement."),
            EventFilter(FilterDialect.exact, FilteredAttribute.subject, "eng-2"),
        ),
    )

    await consume(
        uow,
        an_engagement_opened("eng-1"),
        an_engagement_opened("eng-2"),
        changed("eng-2", "active"),
    )

    assert delivered_subjects(uow, opened_only) == ["eng-1", "eng-2"]
    assert delivered_subjects(uow, one_subject) == ["eng-2", "eng-2"]


async def test_a_superseded_version_is_never_passed_on_but_its_owner_is_noted() -> None:
    uow = FakePartnersUnitOfWork()
    ours = await subscribed(uow)
    opened = an_engagement_opened("eng-1")
    old = as_superseded(changed("eng-1", "active"), EngagementStatusChanged, note="by the river")

    await consume(uow, opened, old)

    assert delivered_subjects(uow, ours) == ["eng-1"]
    assert await uow.forwarded_events.owner_of("eng-1") is not None


async def test_the_same_event_applied_twice_is_passed_on_once() -> None:
    uow = FakePartnersUnitOfWork()
    ours = await subscribed(uow)
    opened = an_engagement_opened("eng-1")
    await uow.consume(forwarding.on_any_event, opened)
    envelope = uow.forwarded[0][0]

    uow.consumed = envelope
    async with uow:
        await forwarding.on_any_event(opened, uow)
        await uow.commit()

    assert delivered_subjects(uow, ours) == ["eng-1"]
    assert len(uow.forwarded) == 1


def deliverer(uow: FakePartnersUnitOfWork, sender: RecordingSender) -> deliveries.Deliverer:
    return deliveries.Deliverer(
        unit=lambda: uow,
        sender=sender,
        clock=clock,
        policy=POLICY,
        lease=timedelta(seconds=30),
        jitter=lambda: 0.0,
    )


async def test_a_failed_delivery_waits_its_back_off_and_holds_back_those_behind_it() -> None:
    uow = FakePartnersUnitOfWork()
    ours = await subscribed(uow)
    await consume(uow, an_engagement_opened("eng-1"), changed("eng-1", "active"))
    sender = RecordingSender(Outcome(None, "refused"), Outcome(204))

    assert await deliveries.deliver_pending(ours, deliverer(uow, sender)) == 0
    assert len(sender.sent) == 1
    head = await uow.deliveries.next_pending(ours)
    assert head is not None
    assert (head.attempts, head.next_attempt_at, head.last_error) == (
        1,
        NOW + timedelta(seconds=10),
        "refused",
    )
    assert await uow.subscriptions.due(NOW, 10) == []
    assert await uow.subscriptions.due(NOW + timedelta(seconds=10), 10) == [ours]


def test_the_back_off_doubles_up_to_the_longest_and_jitter_takes_up_to_half_off() -> None:
    assert [POLICY.delay(n, 0.0).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 25, 25]
    assert POLICY.delay(1, 0.999).total_seconds() == pytest.approx(5.005)


async def test_every_due_delivery_is_sent_in_order_while_the_sink_takes_them() -> None:
    uow = FakePartnersUnitOfWork()
    ours = await subscribed(uow)
    await consume(uow, an_engagement_opened("eng-1"), changed("eng-1", "active"))
    sender = RecordingSender(Outcome(204))

    assert await deliveries.deliver_pending(ours, deliverer(uow, sender)) == 2

    log = await uow.deliveries.log(ours, None, 10, 0)
    assert [d.status for d in log] == [DeliveryStatus.delivered] * 2
    assert [event_id for _, event_id in sender.sent] == [d.event_id for d in reversed(log)]


async def test_a_delivery_failing_every_try_dies_and_disables_its_subscription() -> None:
    uow = FakePartnersUnitOfWork()
    ours = await subscribed(uow)
    await consume(uow, an_engagement_opened("eng-1"))
    sender = RecordingSender(Outcome(503, "the sink answered 503"))
    moments = iter(NOW + timedelta(minutes=n) for n in range(10))

    worker = deliverer(uow, sender)
    for _ in range(POLICY.max_attempts):
        now = next(moments)
        await deliveries.deliver_pending(
            ours, worker.__class__(**{**worker.__dict__, "clock": lambda now=now: now})
        )

    subscription = await uow.subscriptions.get(ours)
    assert subscription is not None
    assert subscription.status is SubscriptionStatus.disabled
    (dead,) = await uow.deliveries.log(ours, DeliveryStatus.dead, 10, 0)
    assert dead.attempts == POLICY.max_attempts
    assert ("subscription", ours, "disabled") in [
        (c.record_type, c.record_id, c.action) for c in uow.recorded
    ]

    enabled = await subscriptions.enable_subscription(
        ours, acting_for("org-a", Role.coordinator), uow
    )
    assert enabled.status is SubscriptionStatus.active
    with pytest.raises(NotFound):  # another organization's subscription is not there for it
        await subscriptions.enable_subscription(ours, acting_for("org-b", Role.coordinator), uow)


async def test_a_redelivery_resends_what_the_subscription_wants_since_a_time() -> None:
    uow = FakePartnersUnitOfWork()
    ours = await subscribed(uow)
    private = Ownership(owner_org="org-b", visibility=Visibility.owner)
    await consume(
        uow, an_engagement_opened("eng-1"), an_engagement_opened("eng-b", ownership=private)
    )
    caller = acting_for("org-a", Role.partner_system)

    made = await subscriptions.redeliver_since(
        ours, NOW - timedelta(days=365 * 100), caller, uow, clock
    )

    assert made == 1
    log = await uow.deliveries.log(ours, None, 10, 0)
    assert [(d.redelivery, d.status) for d in log] == [
        (True, DeliveryStatus.pending),
        (False, DeliveryStatus.pending),
    ]


async def test_each_try_is_observed_by_its_outcome_for_the_metrics() -> None:
    uow = FakePartnersUnitOfWork()
    ours = await subscribed(uow)
    await consume(uow, an_engagement_opened("eng-1"), changed("eng-1", "active"))
    observed: list[tuple[str, float]] = []
    sender = RecordingSender(Outcome(204), Outcome(None, "refused"))
    worker = deliverer(uow, sender)
    worker = worker.__class__(
        **{**worker.__dict__, "observe": lambda outcome, took: observed.append((outcome, took))}
    )

    await deliveries.deliver_pending(ours, worker)

    assert [outcome for outcome, _ in observed] == ["received", "failed"]
    assert all(took >= 0 for _, took in observed)


def test_the_partners_service_counts_delivery_tries_in_its_metrics() -> None:
    metrics = ServiceMetrics("partners")
    observe = counted_in(metrics)

    observe("received", 0.02)
    observe("dead", 1.5)

    rendered = metrics.render().decode()
    assert 'multitrack_webhook_deliveries_total{outcome="received",service="partners"} 1.0' in (
        rendered
    )
    assert 'multitrack_webhook_deliveries_total{outcome="dead",service="partners"} 1.0' in rendered
    assert 'multitrack_webhook_delivery_seconds_count{service="partners"} 2.0' in rendered
