"""How far a replay from the beginning has come, as the operator's progress bar reads it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from multitrack_shared.messaging.replay import Replay

pytestmark = pytest.mark.unit


def test_a_replay_counts_from_each_partitions_first_offset_to_its_end_at_assignment() -> None:
    replay = Replay(started_at=datetime.now(UTC))
    assert (replay.assigned, replay.finished_at) == (False, None)

    replay.assign({("t", 0): 10, ("t", 1): 0}, {("t", 0): 14, ("t", 1): 2})
    assert (replay.total, replay.done) == (6, 0)

    replay.passed(("t", 0), 13, applied=True)
    replay.passed(("t", 1), 2, applied=False)
    assert (replay.done, replay.applied, replay.finished_at) == (5, 1, None)

    replay.passed(("t", 0), 20, applied=True)  # records written since count as done
    assert (replay.done, replay.applied) == (6, 2)
    assert replay.finished_at is not None


def test_a_replay_of_empty_topics_is_done_when_assigned() -> None:
    replay = Replay(started_at=datetime.now(UTC))
    replay.assign({("t", 0): 5}, {("t", 0): 5})
    assert replay.finished_at is not None
