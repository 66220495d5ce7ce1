"""The demo's donor report, across four processes and a broker: once the story has played,
its first engagement exports as an IATI 2.03 activity valid against the standard's schema,
with the funding and budget lines the story recorded, the organizations in their roles as
partners and members learnt them from events, and none of the names or free texts the story
sent; the organization's report holds its shared engagements only."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

from multitrack_shared.testing.consortium import Consortium
from multitrack_shared.testing.iati import valid_iati

from .conftest import StartPlatform, load_demo
from .test_events_carry_nothing_personal import CODE, SHORTEST, confided
from .test_lessons_loop import story_on

demo = load_demo()


async def test_the_demo_reports_to_donors_in_iati_with_funding_budget_and_nothing_personal(
    start_platform: StartPlatform, consortium: Consortium
) -> None:
    platform = await start_platform()
    story = story_on(platform, consortium)
    sent: list[Any] = []
    story.http.event_hooks["request"].append(
        lambda request: sent.append(json.loads(request.content)) if request.content else None
    )
    ids = await asyncio.to_thread(demo.play, story)
    engagements = platform.url("engagements")

    one = await asyncio.to_thread(story.http.get, f"{engagements}/engagements/{ids['e1']}/iati")

    assert one.status_code == 200, one.text
    activity = valid_iati(one.content).find("iati-activity")
    assert activity is not None
    org_a_id, _ = demo.IATI_IDENTITIES["org-a"]
    assert activity.findtext("iati-identifier") == f"{org_a_id}-{ids['e1']}"
    roles = {(o.get("role"), o.findtext("narrative")) for o in activity.iter("participating-org")}
    assert {
        ("1", "Caribbean Peace Fund"),
        ("2", "Alder Peace Network"),
        ("3", "Alder Peace Network"),
        ("4", "Mujeres Tejiendo Paz"),
    } <= roles
    assert [b.findtext("value") for b in activity.iter("budget")] == ["150000"] * 3
    (grant,) = activity.iter("transaction")
    assert grant.findtext("value") == "450000"
    assert grant.findtext("provider-org/narrative") == "Caribbean Peace Fund"
    by_sex: Counter[str] = Counter()
    for actual in activity.iterfind("result/indicator/period/actual"):
        for sex in actual.iterfind("dimension[@name='sex']"):
            by_sex[str(sex.get("value"))] += int(str(actual.get("value")))
    assert by_sex == {"female": 14 + 2 + 9, "male": 9 + 4 + 7}  # the dialogue and the training

    secrets = {
        s for body in sent for s in confided(body)
        if len(s.strip()) >= SHORTEST and not CODE.fullmatch(s)
    }  # fmt: skip
    assert {"Luz Mery Díaz", "Ana Ruiz"} <= secrets
    report = await asyncio.to_thread(story.http.get, f"{engagements}/iati/activities.xml")
    assert report.status_code == 200, report.text
    reported = {
        str(a.findtext("iati-identifier")) for a in valid_iati(report.content).iter("iati-activity")
    }
    assert f"{org_a_id}-{ids['e1']}" in reported
    assert not any(ids["e2"] in identifier for identifier in reported)  # org-b's
    text = one.content.decode() + report.content.decode()
    assert {s for s in secrets if s in text} == set()
