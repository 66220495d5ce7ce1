"""How an engagement's ending (exit plan, extensions, closure, follow-ups' tally) is kept: one
JSON document on its row, null until something of it is recorded."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from multitrack_engagements.domain.ending import (
    Closure,
    Ending,
    ExitPlan,
    Extension,
    FollowUpTally,
)

NOTHING_YET = Ending()


def ending_json(ending: Ending) -> dict[str, Any] | None:
    if ending == NOTHING_YET:
        return None
    plan = ending.exit_plan
    return {
        "exit_plan": None
        if plan is None
        else {
            "handover": plan.handover,
            "planned_end_on": plan.planned_end_on.isoformat(),
            "follow_up_until": plan.follow_up_until.isoformat(),
            "planned_at": plan.planned_at.isoformat(),
        },
        "extensions": [
            {
                "previous_until": e.previous_until.isoformat(),
                "committed_until": e.committed_until.isoformat(),
                "at": e.at.isoformat(),
            }
            for e in ending.extensions
        ],
        "closure": asdict(ending.closure) if ending.closure else None,
        "follow_ups": asdict(ending.follow_ups),
    }


def ending_of(data: dict[str, Any] | None) -> Ending:
    if data is None:
        return NOTHING_YET
    plan = data["exit_plan"]
    return Ending(
        exit_plan=None
        if plan is None
        else ExitPlan(
            handover=plan["handover"],
            planned_end_on=date.fromisoformat(plan["planned_end_on"]),
            follow_up_until=date.fromisoformat(plan["follow_up_until"]),
            planned_at=datetime.fromisoformat(plan["planned_at"]),
        ),
        extensions=tuple(
            Extension(
                previous_until=date.fromisoformat(e["previous_until"]),
                committed_until=date.fromisoformat(e["committed_until"]),
                at=datetime.fromisoformat(e["at"]),
            )
            for e in data["extensions"]
        ),
        closure=Closure(**data["closure"]) if data["closure"] else None,
        follow_ups=FollowUpTally(**data["follow_ups"]),
    )
