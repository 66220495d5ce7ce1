"""The loop that matters most, across four processes and a real broker.

A lesson recorded in evaluation reaches every matching ongoing engagement and the assessment of
every matching new invitation, and no other; responses are counted back on the lesson; a revised
lesson updates everywhere it reached and a retired one is withdrawn.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from multitrack_shared.testing.consortium import Consortium
from multitrack_shared.testing.processes import Platform

from .conftest import StartPlatform, load_demo

if TYPE_CHECKING:  # at run time the demo is loaded from its file, by load_demo()
    from deploy.demo.demo import Story

demo = load_demo()


def story_on(platform: Platform, consortium: Consortium) -> Story:
    """The demo's story on ``platform``, its actors the clients of the demo consortium."""
    story: Story = demo.Story(
        demo.Platform(
            *(platform.url(n) for n in ("invitations", "engagements", "partners", "evaluation"))
        ),
        demo.Actors(consortium),
        out=lambda _line: None,
        patience=90,
    )
    return story


def open_elsewhere(story: Story) -> tuple[str, str]:
    """An ongoing engagement in Kenya, opened before the lesson exists."""
    invitation = story.invite(
        inviter={
            "name": "Elders of Marsabit",
            "kind": "community council",
            "track": 4,
            "is_party_to_conflict": True,
            "side": "herders",
        },
        conflict={
            "name": "Marsabit grazing conflict",
            "country": "KE",
            "region": "Northern Kenya",
            "conflict_type": "resource",
            "phase": "escalation",
        },
        support="Dialogue between herder communities",
    )
    story.assess(invitation)
    story.accept(invitation, "Invited by a party; criteria met.")
    return invitation, story.engagement_of(invitation)["id"]


async def test_a_lesson_reaches_matching_engagements_and_invitations_only_and_responses_count_back(
    start_platform: StartPlatform, consortium: Consortium
) -> None:
    platform = await start_platform()
    story = story_on(platform, consortium)
    p = story.p
    kenya_invitation, kenya_engagement = await asyncio.to_thread(open_elsewhere, story)

    ids = await asyncio.to_thread(demo.play, story)
    lesson = ids["lesson"]

    # Every matching ongoing engagement: Montes de María (same region) got it in its inbox.
    await asyncio.to_thread(
        story.wait_for,
        "the lesson in the ongoing engagement's inbox",
        lambda: lesson in story.lesson_ids(story.inbox(ids["e1"])),
    )
    # ...and no other: the Kenyan engagement and invitation never see it.
    assert lesson not in story.lesson_ids(story.inbox(kenya_engagement))
    kenya_lessons = story.call(
        "GET", f"{p.invitations}/invitations/{kenya_invitation}/lessons", 200
    )
    assert lesson not in story.lesson_ids(kenya_lessons)
    # The declined company invitation is in the same region: its assessment lists it too.
    company = story.call("GET", f"{p.invitations}/invitations/{ids['inv_company']}", 200)
    assert lesson in {m["lesson_id"] for m in company["assessment"]["matching_lessons"]}

    # Revised: the new wording reaches the inbox and the assessment.
    revised_statement = "Open land dialogues with women-led listening circles, then mixed sessions."
    story.call(
        "PUT",
        f"{p.evaluation}/lessons/{lesson}",
        200,
        {
            "statement": revised_statement,
            "evidence": "Montes de María and Sucre, years 1-4.",
            "confidence": "high",
            "context": {"regions": ["Caribbean region"], "conflict_types": ["land"], "tracks": [4]},
        },
        actor=demo.ORG_A_EVALUATOR,
    )

    def revised_everywhere() -> bool:
        inbox = {i["lesson_id"]: i for i in story.inbox(ids["e1"])}
        listed = {
            i["lesson_id"]: i
            for i in story.call(
                "GET", f"{p.invitations}/invitations/{ids['inv_sucre']}/lessons", 200
            )
        }
        return (
            inbox.get(lesson, {}).get("statement") == revised_statement
            and listed.get(lesson, {}).get("statement") == revised_statement
        )

    await asyncio.to_thread(story.wait_for, "the revision everywhere", revised_everywhere)

    # Retired: withdrawn from the open inbox and the assessments; Sucre's response stays counted.
    story.call(
        "POST",
        f"{p.evaluation}/lessons/{lesson}/retirement",
        200,
        {"reason": "Superseded by the regional guidance note."},
        actor=demo.ORG_A_EVALUATOR,
    )

    def withdrawn_everywhere() -> bool:
        listed = story.call("GET", f"{p.invitations}/invitations/{ids['inv_company']}/lessons", 200)
        return lesson not in story.lesson_ids(
            story.inbox(ids["e1"])
        ) and lesson not in story.lesson_ids(listed)

    await asyncio.to_thread(story.wait_for, "the retirement everywhere", withdrawn_everywhere)
    counted = story.call("GET", f"{p.evaluation}/lessons/{lesson}", 200)
    assert counted["responses"]["applied"] == 1
    assert counted["active"] is False


async def test_a_lesson_naming_a_conflict_reaches_an_engagement_linked_to_it_after_it_opened(
    start_platform: StartPlatform, consortium: Consortium
) -> None:
    """Short: one engagement, opened before the conflict's shared record, linked to it; the
    lesson that names only the conflict reaches it, and evaluation's view of the conflict
    follows the link."""
    platform = await start_platform()
    story = story_on(platform, consortium)
    p = story.p

    def linked_and_taught() -> tuple[str, str, dict[str, Any]]:
        _, engagement = open_elsewhere(story)
        conflict = story.create(
            p.engagements,
            "/conflicts",
            {"name": "Marsabit grazing conflict", "country": "KE", "conflict_type": "resource"},
        )
        story.call(
            "PUT",
            f"{p.engagements}/engagements/{engagement}/conflict",
            200,
            {"conflict_id": conflict["id"]},
        )
        lesson = story.create(
            p.evaluation,
            "/lessons",
            {
                "statement": "Meet the herder communities apart before any joint session.",
                "evidence": "Two joint sessions broke up in the first year.",
                "confidence": "medium",
                "context": {"conflict_ids": [conflict["id"]]},
            },
            actor=demo.ORG_A_EVALUATOR,
        )

        def reached() -> list[dict[str, Any]]:
            return [i for i in story.inbox(engagement) if i["lesson_id"] == lesson["id"]]

        [item] = story.wait_for("the lesson in the linked engagement's inbox", reached)
        return engagement, conflict["id"], item

    engagement, conflict_id, item = await asyncio.to_thread(linked_and_taught)

    assert item["reasons"] == [f"same conflict: {conflict_id}"]

    def trends_name_it() -> bool:
        answer = story.http.get(
            f"{p.evaluation}/conflicts/{conflict_id}/trends",
            auth=story.actors.auth(demo.ORG_A_EVALUATOR),
        )
        return answer.status_code == 200 and answer.json()["engagement_ids"] == [engagement]

    await asyncio.to_thread(story.wait_for, "the conflict's trends in evaluation", trends_name_it)
