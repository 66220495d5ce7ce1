"""The growth rule on made-up series: a leak fails, a settled series passes, whatever the
warm-up, the noise or a saw-tooth of prunings does."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from .growth import Limit, judge
from .report import judge_all, samples_table, verdict_table, write_files, writes_within
from .sampling import SERIES, Sample

pytestmark = pytest.mark.unit

MINUTES = [float(60 * m) for m in range(31)]
LIMIT = Limit(absolute=10)
WARM_UP = 360.0
RETENTION = 300.0


def test_a_steady_leak_grows_without_bound() -> None:
    leaking = [200 + 2 * m for m in range(31)]  # 2 MB a minute on 200 MB
    verdict = judge(MINUTES, leaking, LIMIT, WARM_UP)
    assert verdict.grows
    assert verdict.rise == pytest.approx(30.0)
    assert verdict.judged == 16


def test_a_series_that_settles_after_its_warm_up_does_not_grow() -> None:
    settling = [200 - 80 * math.exp(-m / 2) for m in range(31)]  # fills its caches, then holds
    assert not judge(MINUTES, settling, LIMIT, WARM_UP).grows


def test_noise_around_a_level_does_not_grow() -> None:
    noise = random.Random(11)
    noisy = [200 + noise.uniform(-15, 15) for _ in range(31)]
    assert not judge(MINUTES, noisy, LIMIT, WARM_UP).grows


def test_a_saw_tooth_of_prunings_does_not_grow() -> None:
    rows = [300 + 40 * ((m * 7) % 5) for m in range(31)]  # filled, then pruned, again and again
    assert not judge(MINUTES, rows, Limit(absolute=50), WARM_UP).grows


def test_a_rise_below_the_absolute_floor_is_not_growth_even_from_nothing() -> None:
    lag = [0.0] * 25 + [0, 1, 3, 2, 4, 5]
    assert not judge(MINUTES, lag, Limit(absolute=20), WARM_UP).grows


def test_a_rise_small_beside_the_level_is_not_growth() -> None:
    slow = [1000 + m for m in range(31)]  # 15 on a level of 1000 across the judged half
    assert not judge(MINUTES, slow, Limit(absolute=10), WARM_UP).grows


def test_a_backlog_that_keeps_growing_from_nothing_grows() -> None:
    lag = [0.0] * 10 + [float(5 * m) for m in range(21)]
    assert judge(MINUTES, lag, Limit(absolute=20), WARM_UP).grows


def test_growth_during_the_warm_up_alone_is_not_judged() -> None:
    """A warm-up past the middle of the run moves the window's start to its end."""
    rising_then_flat = [float(min(m, 20) * 10) for m in range(31)]
    assert judge(MINUTES, rising_then_flat, LIMIT, warm_up_s=1260).judged == 10
    assert not judge(MINUTES, rising_then_flat, LIMIT, warm_up_s=1260).grows
    assert judge(MINUTES, rising_then_flat, LIMIT, WARM_UP).grows


def test_too_few_samples_are_not_judged() -> None:
    verdict = judge([0.0, 60.0, 120.0], [1.0, 100.0, 1000.0], LIMIT, warm_up_s=90)
    assert (verdict.judged, verdict.grows) == (0, False)


def test_the_soak_names_the_one_series_of_the_one_service_that_leaks() -> None:
    samples = [_sample(m, leak=3.0 * m) for m in range(31)]
    judged = judge_all(samples, WARM_UP, RETENTION)
    growing = [(j.service, j.series) for j in judged if j.verdict.grows]
    assert growing == [("engagements", "fds")]
    assert len(judged) == 2 * len(SERIES)
    assert "| engagements | fds | 100 | 190 |" in verdict_table(judged)
    assert samples_table(samples).count("\n") == 31


def test_the_samples_and_their_verdicts_are_written_with_a_plot(tmp_path: Path) -> None:
    samples = [_sample(m, leak=0.0) for m in range(31)]
    judged = judge_all(samples, WARM_UP, RETENTION)
    written, plotted = write_files(tmp_path, samples, judged, {"warm_up_s": WARM_UP})
    data = json.loads(written.read_text())
    assert len(data["samples"]) == 31
    assert data["samples"][3]["services"]["engagements"]["fds"] == 100.0
    assert not any(v["verdict"]["grows"] for v in data["verdicts"])
    assert plotted.read_bytes().startswith(b"\x89PNG")


def test_retained_rows_that_follow_a_quickening_pace_do_not_grow() -> None:
    """Other work leaves the machine at the middle of the run: twice the writes a minute, so
    twice the rows within the retention window, pruned all the same."""
    pace = [100 if m < 15 else 200 for m in range(31)]
    accepted = [sum(pace[:m]) for m in range(31)]
    samples = [_retained(m, accepted[m], accepted[m] - accepted[max(0, m - 5)]) for m in range(31)]
    judged = {(j.service, j.series): j.verdict for j in judge_all(samples, WARM_UP, RETENTION)}
    assert not judged[("invitations", "outbox_rows")].grows
    raw = judge(MINUTES, [s.services["invitations"]["outbox_rows"] for s in samples], LIMIT, 0)
    assert raw.grows, "counted, not per write, the same rows would look like a leak"


def test_retained_rows_that_pruning_no_longer_holds_grow() -> None:
    """Pruning stops at minute 16: every row written since stays."""
    accepted = [100 * m for m in range(31)]
    held = [accepted[m] - accepted[max(0, m - 5)] for m in range(31)]
    rows = [held[m] if m <= 16 else held[16] + accepted[m] - accepted[16] for m in range(31)]
    samples = [_retained(m, accepted[m], rows[m]) for m in range(31)]
    judged = {(j.service, j.series): j.verdict for j in judge_all(samples, WARM_UP, RETENTION)}
    assert judged[("invitations", "outbox_rows")].grows


def test_the_writes_of_a_window_are_read_between_samples() -> None:
    samples = [_retained(m, 100 * m, 0) for m in range(5)]
    assert writes_within(samples, 4, 120.0) == pytest.approx(200.0)
    assert writes_within(samples, 4, 90.0) == pytest.approx(150.0)
    assert writes_within(samples, 2, 600.0) == pytest.approx(200.0)  # since the first sample


def _retained(minute: int, accepted: int, outbox_rows: float) -> Sample:
    steady = {"rss_mb": 130.0, "fds": 100.0, "connections": 10.0, "inbox_rows": 0.0, "lag": 0.0}
    return Sample(60.0 * minute, accepted, {"invitations": steady | {"outbox_rows": outbox_rows}})


def _sample(minute: int, leak: float) -> Sample:
    steady = {"rss_mb": 130.0, "fds": 100.0, "connections": 10.0, "outbox_rows": 40.0}
    steady |= {"inbox_rows": 40.0, "lag": 0.0}
    return Sample(
        at_s=60.0 * minute,
        accepted=70 * minute,
        services={"invitations": dict(steady), "engagements": steady | {"fds": 100.0 + leak}},
    )
