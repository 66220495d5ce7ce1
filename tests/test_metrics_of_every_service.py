"""Every running service's ``/metrics``, scraped before and after a scenario that crosses all
four: the HTTP, outbox and consumer families move, labelled by route template and never by a
record's id."""

from __future__ import annotations

import importlib
from collections import defaultdict

import httpx
from prometheus_client.parser import text_string_to_metric_families

from multitrack_shared.messaging.consumer import consumed_topics
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import SERVICES, Platform
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform

Scrape = dict[str, list[tuple[dict[str, str], float]]]

LESSON = {
    "visibility": "consortium",
    "statement": "Open land dialogues with listening circles before mixed sessions.",
    "evidence": "Attendance of returning women tripled.",
    "confidence": "medium",
    "context": {"regions": ["Caribbean region"], "conflict_types": ["land"], "tracks": [4]},
}
READS = {
    "invitations": "/invitations",
    "engagements": "/engagements",
    "partners": "/partners",
    "evaluation": "/lessons",
}


async def scrape(http: httpx.AsyncClient, url: str) -> Scrape:
    answer = await http.get(f"{url}/metrics", auth=None)
    assert answer.status_code == 200, answer.text
    samples: Scrape = defaultdict(list)
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            samples[sample.name].append((sample.labels, sample.value))
    return samples


def total(scrape: Scrape, name: str, **labels: str) -> float:
    return sum(v for have, v in scrape.get(name, []) if labels.items() <= have.items())


async def play(http: httpx.AsyncClient, platform: Platform, tokens: TokenSource) -> str:
    """An invitation accepted (invitations → engagements → partners and evaluation) and a lesson
    (evaluation → invitations and engagements); a read of every service."""
    invitations = platform.url("invitations")
    created = (await http.post(f"{invitations}/invitations", json=invitation_body())).json()
    await http.put(f"{invitations}/invitations/{created['id']}/assessment", json=assessment_body())
    await http.post(f"{invitations}/invitations/{created['id']}/decision", json=acceptance_body())
    lesson = await http.post(
        f"{platform.url('evaluation')}/lessons", json=LESSON, auth=tokens.auth("org-a", "evaluator")
    )
    assert lesson.status_code == 201, lesson.text
    for service, path in READS.items():
        assert (await http.get(f"{platform.url(service)}{path}")).status_code == 200
    read = await http.get(f"{invitations}/invitations/{created['id']}")
    assert read.status_code == 200
    return str(created["id"])


async def test_every_service_exports_http_outbox_and_lag_families_that_move(
    start_platform: StartPlatform, tokens: TokenSource
) -> None:
    platform = await start_platform({"MULTITRACK_HEALTH_PROBE_SECONDS": "0.5"})
    async with httpx.AsyncClient(timeout=30, auth=tokens.auth("org-a", "coordinator")) as http:
        before = {s: await scrape(http, platform.url(s)) for s in SERVICES}
        invitation = await play(http, platform, tokens)

        async def moved() -> dict[str, Scrape] | None:
            after = {s: await scrape(http, platform.url(s)) for s in SERVICES}
            applied = {
                s: total(after[s], "multitrack_consumer_events_total", outcome="applied")
                > total(before[s], "multitrack_consumer_events_total", outcome="applied")
                for s in SERVICES
            }
            # A partition's lag is known once the consumer has fetched from it; partners reads
            # every topic, and under load some are fetched after the first event is applied.
            fetched = {
                s: lagged_partitions(after[s]) == every_partition_consumed_by(s, platform)
                for s in SERVICES
            }
            return after if all(applied.values()) and all(fetched.values()) else None

        after = await eventually(
            moved, within=90, what="every consumer applied an event and fetched every partition"
        )

    for service in SERVICES:
        old, new = before[service], after[service]
        requests = "multitrack_http_requests_total"
        assert total(new, requests, route=READS[service], status="200") > total(
            old, requests, route=READS[service], status="200"
        ), service
        assert total(new, "multitrack_http_request_duration_seconds_count") > total(
            old, "multitrack_http_request_duration_seconds_count"
        )
        assert {labels["service"] for labels, _ in new[requests]} == {service}
        for family in ("multitrack_outbox_pending", "multitrack_outbox_oldest_age_seconds"):
            assert new[family], (service, family)
        assert total(new, "multitrack_consumer_handler_seconds_count") > total(
            old, "multitrack_consumer_handler_seconds_count"
        )
        assert lagged_partitions(new) == every_partition_consumed_by(service, platform), service
        assert total(new, "multitrack_consumer_degraded") == 0
        assert total(new, "multitrack_broker_up") == 1
        assert not any(
            invitation in str(labels) for samples in new.values() for labels, _ in samples
        )
    for producer in ("invitations", "engagements", "evaluation"):
        published = "multitrack_outbox_published_total"
        assert total(after[producer], published) > total(before[producer], published), producer
    route = "/invitations/{invitation_id}"
    assert total(after["invitations"], "multitrack_http_requests_total", route=route) == 1


def lagged_partitions(scrape: Scrape) -> set[tuple[str, str]]:
    return {
        (labels["topic"], labels["partition"]) for labels, _ in scrape["multitrack_consumer_lag"]
    }


def every_partition_consumed_by(service: str, platform: Platform) -> set[tuple[str, str]]:
    """One replica per service: it holds every partition of every topic it reads."""
    handlers = importlib.import_module(f"multitrack_{service}.bootstrap").SERVICE.handlers
    namespace = platform.services[service].env["MULTITRACK_TOPIC_NAMESPACE"]
    return {
        (topic.qualified(namespace), str(partition))
        for topic in consumed_topics(handlers)
        for partition in range(topic.partitions)
    }
