"""``multitrack topics``: every topic of the platform, its partitions and records."""

from __future__ import annotations

from collections import defaultdict

from multitrack_cli.broker import Broker
from multitrack_cli.platform import Platform
from multitrack_cli.render import table
from multitrack_cli.report import Report
from multitrack_shared.messaging.topics import all_topics


async def topics(platform: Platform) -> Report:
    namespace = platform.settings.topic_namespace
    async with Broker(platform.operator_settings()) as operator:
        offsets = await operator.topics()
    by_topic = defaultdict(list)
    for o in offsets:
        by_topic[o.topic].append(o)
    data = {}
    for spec in all_topics():
        name = spec.qualified(namespace)
        partitions = by_topic.get(name, [])
        data[name] = {
            "exists": bool(partitions),
            "partitions": len(partitions),
            "records": sum(p.end - p.start for p in partitions),
            "ends": [p.end for p in partitions],
            "description": spec.description,
        }
    rows = [
        [name, t["partitions"] if t["exists"] else "missing", t["records"], t["description"]]
        for name, t in data.items()
    ]
    return Report(data, table(["topic", "partitions", "records", "what it carries"], rows))
