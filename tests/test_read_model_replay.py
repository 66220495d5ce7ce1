"""Every read model is rebuilt from events alone.

After the demo story has run, each service in turn is stopped, its read-model tables dropped,
and started again: it replays the topics it consumes from the beginning, and every answer built
from other services' events comes back the same.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

from multitrack_shared.testing.consortium import Consortium
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import Platform

from .conftest import StartPlatform, load_demo
from .test_lessons_loop import story_on

demo = load_demo()


def read_model_tables(service: str) -> list[str]:
    """The tables the service declares as read models, from its own composition root."""
    module = __import__(f"multitrack_{service}.bootstrap", fromlist=["bootstrap"])
    settings_class = next(
        v for k, v in vars(module).items() if k.endswith("Settings") and k != "ServiceSettings"
    )
    runtime = module.bootstrap(settings_class(database_url="sqlite+aiosqlite:///:memory:"))
    return [table.name for table in runtime.read_models]


def answers(story: Any, ids: dict[str, str]) -> dict[str, Any]:
    """What the platform answers now; a record not yet there counts as an answer (its status)."""
    p = story.p

    def get(url: str) -> Any:
        response = story.http.get(url)
        return response.json() if response.status_code == 200 else response.status_code

    return {
        "invitation lessons": get(f"{p.invitations}/invitations/{ids['inv_sucre']}/lessons"),
        "assessment": get(f"{p.invitations}/invitations/{ids['inv_company']}")["assessment"],
        "inbox e1": get(f"{p.engagements}/engagements/{ids['e1']}/lessons"),
        "briefing e2": get(f"{p.engagements}/engagements/{ids['e2']}/briefing"),
        "coverage e1": get(f"{p.engagements}/engagements/{ids['e1']}/coverage"),
        "suggestions e1": get(f"{p.partners}/engagements/{ids['e1']}/suggested-partners"),
        "inclusion e1": get(f"{p.partners}/engagements/{ids['e1']}/inclusion"),
        "digest e1": get(f"{p.evaluation}/engagements/{ids['e1']}/digest"),
        "lesson": get(f"{p.evaluation}/lessons/{ids['lesson']}"),
    }


def all_found(answered: dict[str, Any]) -> bool:
    return not any(isinstance(answer, int) for answer in answered.values())


async def settled(story: Any, ids: dict[str, str]) -> dict[str, Any]:
    """The answers once the last events have reached everyone: every record is there and two
    reads a second apart agree."""
    previous = await asyncio.to_thread(answers, story, ids)
    for _ in range(30):
        await asyncio.sleep(1)
        current = await asyncio.to_thread(answers, story, ids)
        if current == previous and all_found(current):
            return current
        previous = current
    raise AssertionError("the platform's answers kept changing for 30 seconds")


async def drop_tables(database_url: str, tables: list[str]) -> None:
    connection = await asyncpg.connect(
        database_url.replace("postgresql+asyncpg://", "postgresql://")
    )
    try:
        for table in tables:
            await connection.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    finally:
        await connection.close()


async def test_dropping_each_services_read_models_and_replaying_gives_the_same_answers(
    start_platform: StartPlatform, consortium: Consortium
) -> None:
    platform: Platform = await start_platform()
    story = story_on(platform, consortium)
    ids = await asyncio.to_thread(demo.play, story)
    before = await settled(story, ids)

    for service in ("invitations", "engagements", "partners", "evaluation"):
        tables = read_model_tables(service)
        assert tables, f"{service} declares no read model"
        process = platform.services[service]
        process.stop()
        await drop_tables(process.env["MULTITRACK_DATABASE_URL"], tables)
        process.start()
        process.wait_live()

        async def same(service: str = service) -> bool:
            return await asyncio.to_thread(answers, story, ids) == before

        await eventually(same, within=90, what=f"{service}'s answers after its replay")
