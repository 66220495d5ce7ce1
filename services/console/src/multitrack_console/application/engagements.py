"""The engagement page: compass, commitment timeline, parties heard, inclusion, analyses and
the lessons inbox; and what a coordinator records from it (activities, lesson responses)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from multitrack_console.application.forms import Filled, Outgoing, listed, number
from multitrack_console.application.ports import Json, PlatformApi
from multitrack_console.domain.compass import Compass, TrackWeight, draw_compass
from multitrack_console.domain.timeline import Timeline, draw_timeline

RESPONSES = ("applied", "adapted", "rejected")
RPP_QUADRANTS = (
    ("more_people_individual", "More people, individual level"),
    ("more_people_socio_political", "More people, socio-political level"),
    ("key_people_individual", "Key people, individual level"),
    ("key_people_socio_political", "Key people, socio-political level"),
)
ACTOR_ROLES = (
    ("party", "Party"),
    ("stakeholder", "Stakeholder"),
    ("spoiler", "Spoiler"),
    ("capacity_for_peace", "Capacity for peace"),
)
BLANK_ACTOR_ROWS = 3
"""Empty actor rows a new analysis version offers beside the latest version's actors."""
LIST_LIMIT = 200


@dataclass(frozen=True)
class EngagementView:
    engagement: Json
    compass: Compass
    timeline: Timeline
    coverage: Json
    activities: list[Json]
    listening: Json
    inclusion: Json | None
    analyses: list[Json]
    lessons: list[Json]

    @property
    def lesson_counts(self) -> dict[str, int]:
        counted = Counter(
            lesson["response"]["response"] for lesson in self.lessons if lesson["response"]
        )
        return {response: counted.get(response, 0) for response in RESPONSES}

    @property
    def track_choices(self) -> list[tuple[int, str]]:
        return [(int(t["track"]), f"{t['track']}. {t['label']}") for t in self.coverage["tracks"]]

    @property
    def awaiting(self) -> int:
        return sum(1 for lesson in self.lessons if lesson["response"] is None)


async def engagement_list(api: PlatformApi) -> list[Json]:
    found: list[Json] = await api.get("engagements", "/engagements", {"limit": LIST_LIMIT})
    return found


async def engagement_view(
    api: PlatformApi, engagement_id: str, today: date
) -> EngagementView | None:
    base = f"/engagements/{engagement_id}"
    # Two reads side by side: the page waits for the slower, not for their sum. The engagements
    # service answers everything it holds for the page in one read (one access check, one
    # transaction); a hidden or missing engagement answers 404 there and on the inclusion.
    overview, inclusion = await asyncio.gather(
        api.get_or_none("engagements", f"{base}/overview"),
        api.get_or_none("partners", f"{base}/inclusion"),
    )
    if overview is None:
        return None
    engagement, coverage, activities = (
        overview["engagement"],
        overview["coverage"],
        overview["activities"],
    )
    return EngagementView(
        engagement=engagement,
        compass=compass_of(coverage, activities),
        timeline=timeline_of(engagement, activities, today),
        coverage=coverage,
        activities=activities,
        listening=overview["listening"],
        inclusion=inclusion,
        analyses=sorted(overview["analyses"], key=lambda a: -int(a["version"])),
        lessons=overview["lessons"],
    )


def compass_of(coverage: Json, activities: list[Json]) -> Compass:
    """Each track weighed by parties heard, activities and partners there (coverage's sources)."""
    tracks = [
        TrackWeight(
            track=int(t["track"]),
            label=str(t["label"]),
            heard=int(t["sources"]["heard_parties"]),
            activities=int(t["sources"]["activities"]),
            partners=len(t["sources"]["partners"]),
            covered=bool(t["covered"]),
        )
        for t in coverage["tracks"]
    ]
    kinds = Counter(str(a["peacebuilding_kind"]) for a in activities)
    return draw_compass(tracks, dict(kinds))


def timeline_of(engagement: Json, activities: list[Json], today: date) -> Timeline:
    return draw_timeline(
        date.fromisoformat(engagement["start_date"]),
        date.fromisoformat(engagement["committed_until"]),
        today,
        [(date.fromisoformat(a["held_on"]), f"{a['kind']} in {a['place']}") for a in activities],
    )


async def record_activity(api: PlatformApi, engagement_id: str, body: Json) -> Json:
    return await api.post("engagements", f"/engagements/{engagement_id}/activities", body)


def activity_body(filled: Filled) -> Outgoing:
    """An activity, its tracks ticked one by one."""
    tracks = [number(track) for track in filled.all("tracks")]
    body = {
        "kind": filled.get("kind"),
        "held_on": filled.get("held_on"),
        "place": filled.get("place"),
        "tracks": tracks,
        "peacebuilding_kind": filled.get("peacebuilding_kind"),
        "rpp_quadrant": filled.get("rpp_quadrant"),
        "do_no_harm": {"note": filled.get("do_no_harm.note")},
    }
    return Outgoing(body, {f"tracks.{n}": "tracks" for n in range(len(tracks))})


async def respond_to_lesson(
    api: PlatformApi, engagement_id: str, lesson_id: str, response: str, why: str
) -> Json:
    return await api.post(
        "engagements",
        f"/engagements/{engagement_id}/lessons/{lesson_id}/response",
        {"response": response, "why": why},
    )


async def record_heard(api: PlatformApi, engagement_id: str, body: Json) -> Json:
    return await api.post("engagements", f"/engagements/{engagement_id}/listening", body)


def heard_body(filled: Filled) -> Outgoing:
    """A party heard, as the listening ledger takes it: needs typed one a line."""
    needs = filled.lines("needs")
    body = {
        "who": filled.get("who"),
        "side": filled.get("side"),
        "track": number(filled.get("track")),
        "needs": needs,
        "heard_by": filled.get("heard_by"),
        "heard_on": filled.get("heard_on"),
    }
    return Outgoing(body, listed("needs", needs))


async def record_analysis(api: PlatformApi, engagement_id: str, body: Json) -> Json:
    return await api.post("engagements", f"/engagements/{engagement_id}/analyses", body)


def analysis_body(filled: Filled) -> Outgoing:
    """A new version of the conflict analysis: the actor rows filled in (blank ones are not
    sent, so a refused actor is named by its row on the form), lists typed one item a line."""
    renames: dict[str, str] = {}
    actors: list[Json] = []
    for row in filled.rows("actors"):
        columns = {c: filled.get(f"actors.{row}.{c}") for c in ("name", "side", "track", "role")}
        if not (columns["name"] or columns["side"]):
            continue
        renames[f"actors.{len(actors)}"] = f"actors.{row}"
        actors.append({**columns, "track": number(columns["track"])})
    body: dict[str, Any] = {
        "analysed_on": filled.get("analysed_on"),
        "participants": filled.lines("participants"),
        "actors": actors,
    }
    renames.update(listed("participants", body["participants"]))
    for name in ("causes", "dividers", "connectors"):
        body[name] = filled.lines(name)
        renames.update(listed(name, body[name]))
    return Outgoing(body, renames)


def actor_rows(analyses: list[Json]) -> list[Json]:
    """The rows a new analysis version starts from: the latest version's actors, then blanks."""
    latest = analyses[0]["actors"] if analyses else []
    blank = {"name": "", "side": "", "track": "", "role": "party"}
    return [{**blank, **{k: v or "" for k, v in a.items()}} for a in latest] + [
        blank
    ] * BLANK_ACTOR_ROWS
