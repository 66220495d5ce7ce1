"""The broker's own limits: Kafka's producer and consumer performance tools, and aiokafka
alone producing and consuming the same records, with the platform's producer settings
(``messaging.kafka.new_producer``: idempotent, ``acks=all``)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
import time

from aiokafka import AIOKafkaConsumer, TopicPartition

from multitrack_shared.messaging.kafka import client_security, ensure_topics, new_producer
from multitrack_shared.messaging.topics import TopicSpec
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.paths import repo_root

from .ground import Ground

RECORD_BYTES = 512
RAW = TopicSpec("bench.raw.v1", 6, "Records of the raw producer and consumer limits.")
TOOLS = TopicSpec("bench.tools.v1", 6, "Records of Kafka's own performance tools.")


def limit_settings(ground: Ground, namespace: str) -> ServiceSettings:
    return ServiceSettings(service_name="bench", topic_namespace=namespace, **ground.super_user())


async def create_topics(settings: ServiceSettings) -> None:
    await ensure_topics(settings, [RAW, TOOLS])


# ------------------------------------------------------------------ Kafka's own tools


def _tool(ground: Ground, main_class: str, *args: str) -> str:
    env = {**os.environ, **(ground.broker.script_env or {})}
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    done = subprocess.run(
        [str(repo_root() / "deploy/kafka/broker.sh"), "tool", main_class, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout


def _client_config(ground: Ground) -> list[str]:
    """The tools' client configuration option: the super user's login on a closed broker."""
    if not ground.broker.secured:
        return []
    env = {**os.environ, **(ground.broker.script_env or {})}
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    done = subprocess.run(
        [str(repo_root() / "deploy/kafka/broker.sh"), "admin-config"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return [done.stdout.strip().splitlines()[-1]]


def kafka_producer_perf(ground: Ground, settings: ServiceSettings, records: int) -> float:
    """``ProducerPerformance``: records/s of ``records`` 512-byte records, acks=all, idempotent."""
    out = _tool(
        ground,
        "org.apache.kafka.tools.ProducerPerformance",
        "--topic", TOOLS.qualified(settings.topic_namespace),
        "--num-records", str(records),
        "--record-size", str(RECORD_BYTES),
        "--throughput", "-1",
        *(["--producer.config", *config] if (config := _client_config(ground)) else []),
        "--producer-props",
        f"bootstrap.servers={ground.broker.bootstrap}",
        "acks=all",
        "enable.idempotence=true",
    )  # fmt: skip
    summary = [line for line in out.splitlines() if "records sent" in line][-1]
    found = re.search(r"([\d.]+) records/sec", summary)
    assert found is not None, summary
    return float(found.group(1))


def kafka_consumer_perf(ground: Ground, settings: ServiceSettings, records: int) -> float:
    """``ConsumerPerformance``: records/s fetched (``fetch.nMsg.sec``: the group's join, a few
    seconds the tool counts in ``nMsg.sec``, left out)."""
    out = _tool(
        ground,
        "org.apache.kafka.tools.ConsumerPerformance",
        "--bootstrap-server", ground.broker.bootstrap,
        "--topic", TOOLS.qualified(settings.topic_namespace),
        "--messages", str(records),
        *(["--consumer.config", *config] if (config := _client_config(ground)) else []),
        "--group", f"bench-perf-{time.monotonic_ns()}",
        "--timeout", "60000",
    )  # fmt: skip
    lines = [line for line in out.splitlines() if line.strip()]
    header = next(i for i, line in enumerate(lines) if line.startswith("start.time"))
    columns = [c.strip() for c in lines[header].split(",")]
    values = [v.strip() for v in lines[header + 1].split(",")]
    return float(values[columns.index("fetch.nMsg.sec")])


# ------------------------------------------------------------------ aiokafka alone


async def aiokafka_produce(settings: ServiceSettings, duration: float) -> float:
    """Records/s acknowledged by the platform's producer sending as fast as it can."""
    producer = new_producer(settings)
    await producer.start()
    topic = RAW.qualified(settings.topic_namespace)
    value = b"x" * RECORD_BYTES
    acked = 0
    try:
        started = time.monotonic()
        deadline = started + duration
        n = 0
        while time.monotonic() < deadline:
            futures = [
                await producer.send(topic, value=value, key=str(n + i).encode()) for i in range(500)
            ]
            n += len(futures)
            await asyncio.gather(*futures)
            acked += len(futures)
        return acked / (time.monotonic() - started)
    finally:
        await producer.stop()


def _raw_consumer(settings: ServiceSettings) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_auto_commit=False,
        isolation_level="read_committed",
        **client_security(settings),
    )


async def aiokafka_consume(settings: ServiceSettings, duration: float) -> float:
    """Records/s read from the beginning of the topic the producer filled."""
    consumer = _raw_consumer(settings)
    await consumer.start()
    try:
        topic = RAW.qualified(settings.topic_namespace)
        partitions = [TopicPartition(topic, p) for p in range(RAW.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        total = sum(ends.values())
        read = 0
        started = time.monotonic()
        deadline = started + duration
        while read < total and time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=200, max_records=5000)).values():
                read += len(batch)
        return read / (time.monotonic() - started)
    finally:
        await consumer.stop()


async def aiokafka_round_trips(settings: ServiceSettings, count: int) -> list[float]:
    """Milliseconds from a send to its record read back, one record at a time."""
    producer = new_producer(settings)
    consumer = _raw_consumer(settings)
    await producer.start()
    await consumer.start()
    topic = RAW.qualified(settings.topic_namespace)
    try:
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        await consumer.seek_to_end(partition)
        latencies = []
        for n in range(count):
            marker = f"rt-{n}-{time.monotonic_ns()}".encode()
            sent = time.monotonic()
            await producer.send_and_wait(topic, value=marker, partition=0)
            while True:
                batches = await consumer.getmany(partition, timeout_ms=1000)
                if any(r.value == marker for r in batches.get(partition, [])):
                    break
            latencies.append((time.monotonic() - sent) * 1000)
            await asyncio.sleep(0.005)
        return latencies
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()
        await producer.stop()
