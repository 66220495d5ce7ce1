"""The operator's command line against the running platform: ``status`` shows a group's lag,
``event`` follows one event from its producer's outbox to every consumer, a dead-lettered
event is replayed and applied, and ``rebuild`` gives back the same answers.

``multitrack`` runs as the installed console script, with a credentials file as ``make run``
writes it: the consortium admin's client and the broker's operator login.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from multitrack_engagements.entrypoints.consumers import handlers as engagements
from multitrack_evaluation.entrypoints.consumers import handlers as evaluation
from multitrack_invitations.entrypoints.consumers import handlers as invitations
from multitrack_partners.entrypoints.consumers import handlers as partners
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.consortium import Consortium, kafka_access
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import Platform

from .conftest import StartPlatform, load_demo
from .test_lessons_loop import open_elsewhere, story_on
from .test_read_model_replay import answers, settled

pytestmark = [pytest.mark.broker, pytest.mark.postgres]

demo = load_demo()
CONSUMED_TYPES = {
    service: {event.event_type for event in handlers}
    for service, handlers in {
        "invitations": invitations,
        "engagements": engagements,
        "partners": partners,
        "evaluation": evaluation,
    }.items()
}
HELD = "held_by_the_operator_test"


@dataclass
class Cli:
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(Path(sys.executable).parent / "multitrack"), *args]
        return subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=300)

    async def json(self, *args: str, status: int | None = 0) -> Any:
        done = await asyncio.to_thread(self.run, "--json", *args)
        if status is not None:
            assert done.returncode == status, f"multitrack {' '.join(args)}: {done.stderr}"
        return json.loads(done.stdout)


@pytest.fixture
def cli_for(
    kafka_broker: Broker, consortium: Consortium, topic_namespace: str, tmp_path: Path
) -> Any:
    def cli(platform: Platform) -> Cli:
        credentials = tmp_path / "credentials.json"
        passwords = {f"KAFKA_PASSWORD_{p.upper()}": pw for p, pw in kafka_broker.passwords.items()}
        consortium.write(credentials, kafka_access(kafka_broker.bootstrap, passwords, "operator"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("MULTITRACK_")}
        env |= {
            "MULTITRACK_CLI_CREDENTIALS": str(credentials),
            "MULTITRACK_TOPIC_NAMESPACE": topic_namespace,
            **{f"MULTITRACK_CLI_{s.upper()}_URL": p.url for s, p in platform.services.items()},
        }
        return Cli(env)

    return cli


def event_of(story: Any, service_url: str, record_id: str, action: str) -> str:
    """The id of the event ``action`` (a type, less its version) published about a record,
    from the service's audit log."""
    entries = story.call(
        "GET", f"{service_url}/audit", 200, actor=demo.CONSORTIUM_ADMIN, record_id=record_id
    )["entries"]
    return str(next(e["event_id"] for e in entries if e["action"].startswith(action)))


async def database_execute(platform: Platform, service: str, statement: str) -> None:
    url = platform.services[service].env["MULTITRACK_DATABASE_URL"]
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def test_the_operator_sees_lag_follows_an_event_replays_a_dead_letter_and_rebuilds(
    start_platform: StartPlatform, consortium: Consortium, cli_for: Any
) -> None:
    platform = await start_platform()
    story = story_on(platform, consortium)
    cli: Cli = cli_for(platform)
    ids = await asyncio.to_thread(demo.play, story)

    # status: with partners stopped, what engagements publishes waits for its group.
    platform.services["partners"].stop()
    _invitation, engagement = await asyncio.to_thread(open_elsewhere, story)
    opened = await asyncio.to_thread(
        event_of, story, platform.url("engagements"), engagement, "multitrack.engagement.opened"
    )

    async def partners_behind() -> Any:
        status = await cli.json("status", status=None)
        return status if status["groups"]["partners"]["lag"] >= 1 else None

    stalled = await eventually(partners_behind, within=60, what="partners' lag in status")
    assert stalled["services"]["partners"]["health"]["status"] == "unreachable"
    assert stalled["broker"]["status"] == "reachable"
    meanwhile = await cli.json("event", opened)
    assert meanwhile["producer"] == "engagements"
    assert "partners" in meanwhile["unreachable"]

    platform.services["partners"].start()
    platform.services["partners"].wait_live()

    async def caught_up() -> Any:
        status = await cli.json("status", status=None)
        lags = {s: g["lag"] for s, g in status["groups"].items()}
        return status if set(lags) == set(CONSUMED_TYPES) and not any(lags.values()) else None

    healthy = await eventually(caught_up, within=90, what="every group caught up")
    assert {s["health"]["status"] for s in healthy["services"].values()} == {"ok"}
    text = await asyncio.to_thread(cli.run, "status")
    assert text.returncode == 0, text.stderr
    assert "Consumer groups" in text.stdout
    assert "partners" in text.stdout

    # event: from engagements' outbox to every group that applies its type.
    async def everywhere() -> Any:
        found = await cli.json("event", opened)
        done = {c["state"] for c in found["consumers"].values()} == {"applied"}
        return found if done else None

    followed = await eventually(everywhere, within=60, what="the event applied everywhere")
    event_type = followed["event_type"]
    assert followed["producer"] == "engagements"
    assert followed["outbox"]["state"] == "sent"
    published = followed["published"]
    assert published["topic"].startswith("multitrack.engagements.v1.")
    assert set(followed["consumers"]) == {s for s, t in CONSUMED_TYPES.items() if event_type in t}
    for consumer in followed["consumers"].values():
        assert consumer["handler"].endswith("projections.on_engagement_opened")
        assert (consumer["topic"], consumer["partition"], consumer["offset"]) == (
            published["topic"],
            published["partition"],
            published["offset"],
        )

    # dlq: engagements cannot open an engagement while its table refuses new rows.
    await database_execute(
        platform,
        "engagements",
        f"ALTER TABLE engagements ADD CONSTRAINT {HELD} CHECK (false) NOT VALID",
    )
    held = await asyncio.to_thread(
        story.invite,
        inviter={
            "name": "Council of Elders",
            "kind": "community council",
            "track": 4,
            "is_party_to_conflict": True,
            "side": "farmers",
        },
        conflict={
            "name": "Jonglei land dispute",
            "country": "SS",
            "region": "Jonglei",
            "conflict_type": "resource",
            "phase": "escalation",
        },
        support="Dialogue between farming and herding communities",
    )
    await asyncio.to_thread(story.assess, held)
    await asyncio.to_thread(story.accept, held, "Invited by a party; criteria met.")
    accepted = await asyncio.to_thread(
        event_of, story, platform.url("invitations"), held, "multitrack.invitation.accepted"
    )

    async def dead_lettered() -> Any:
        found = await cli.json("event", accepted)
        state = found["consumers"].get("engagements", {})
        return state if state.get("state") == "dead_lettered" else None

    letter = await eventually(dead_lettered, within=60, what="the acceptance dead-lettered")
    assert HELD in letter["error"]
    listed = await cli.json("dlq", "list", "--service", "engagements", "--waiting")
    assert accepted in {d["event_id"] for d in listed["engagements"]}

    await database_execute(
        platform, "engagements", f"ALTER TABLE engagements DROP CONSTRAINT {HELD}"
    )
    replayed = await cli.json("dlq", "replay", "--event", accepted)
    assert [
        (e["event_id"], e["outcome"]) for e in replayed["replayed"]["engagements"]["replayed"]
    ] == [(accepted, "applied")]
    applied = (await cli.json("event", accepted))["consumers"]["engagements"]
    assert applied["state"] == "applied"
    assert applied["handler"].endswith("projections.on_invitation_accepted")
    assert (await asyncio.to_thread(story.engagement_of, held))["invitation_id"] == held
    assert not (await cli.json("dlq", "list", "--waiting"))["engagements"]

    # rebuild: each service's read models again from its topics, and the same answers.
    before = await settled(story, ids)
    for service in ("invitations", "engagements", "partners", "evaluation"):
        done = await asyncio.to_thread(cli.run, "rebuild", service)
        assert done.returncode == 0, done.stderr
        assert f"{service}: read models rebuilt" in done.stdout
        assert "100%" in done.stderr  # the progress bar reached its end
        assert await asyncio.to_thread(answers, story, ids) == before, service

    # topics and settings, the passwords masked.
    listed_topics = await cli.json("topics")
    assert all(t["exists"] for t in listed_topics.values())
    assert listed_topics[published["topic"]]["records"] > 0
    shown = await asyncio.to_thread(cli.run, "--json", "settings")
    effective = json.loads(shown.stdout)
    has_password = bool(platform.services["engagements"].env.get("MULTITRACK_KAFKA_PASSWORD"))
    assert effective["engagements"]["MULTITRACK_KAFKA_PASSWORD"] == ("***" if has_password else "")
    assert (
        effective["engagements"]["MULTITRACK_TOPIC_NAMESPACE"]
        == (platform.services["engagements"].env["MULTITRACK_TOPIC_NAMESPACE"])
    )
    passwords = [p.env.get("MULTITRACK_KAFKA_PASSWORD", "") for p in platform.services.values()]
    assert not [p for p in passwords if p and p in shown.stdout]
