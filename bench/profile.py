"""``python -m bench.profile [--burst N] [--out DIR]``: where the end-to-end path spends its
time, as flame graphs of every service.

Starts the ground and the four services as ``make bench`` does (an open broker, PostgreSQL, the
identity provider), prepares N assessed invitations, then records each service with ``py-spy``
(``uvx py-spy``, run as a tool, not a dependency) while the burst of ``P.d.e2e_burst`` runs:
the accepts 16 at a time, until the last engagement is readable. Writes one SVG a service,
``e2e-burst-<service>.svg``, under ``DIR`` (``bench/results/profiles``) and prints the burst's
rate. The intake's own profile is ``deploy/perf/http_intake.py --flamegraph``.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from multitrack_shared.logging import configure_logging
from multitrack_shared.testing.processes import Platform

from .ground import provide_ground
from .workload import Api, at_most

PROFILES = Path(__file__).parent / "results" / "profiles"
REGION = "Bench profile region"
SAMPLES_PER_SECOND = 100


def recorders(platform: Platform, out: Path, prefix: str) -> list[subprocess.Popen[bytes]]:
    """One ``py-spy record`` a service, until it is sent SIGINT (then it writes its SVG)."""
    started = []
    for name, service in platform.services.items():
        assert service.process is not None, f"{name} was never started"
        command = ["uvx", "py-spy", "record", "--pid", str(service.process.pid)]
        command += ["--rate", str(SAMPLES_PER_SECOND), "--nonblocking"]
        command += ["--output", str(out / f"{prefix}-{name}.svg")]
        started.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
    return started


def stop_recording(recording: list[subprocess.Popen[bytes]]) -> None:
    for recorder in recording:
        recorder.send_signal(signal.SIGINT)
    for recorder in recording:
        recorder.wait(timeout=120)


async def profile_burst(burst: int, out: Path) -> float:
    async with provide_ground(closed_broker=False) as ground:
        platform = await ground.start_services(namespace=ground.namespace())
        try:
            async with Api.of_org_a(platform, ground.tokens) as api:
                invitations = await api.assessed_invitations(burst, REGION)
                recording = recorders(platform, out, "e2e-burst")
                await asyncio.sleep(2)  # py-spy attached before the first accept
                started = time.monotonic()
                try:
                    await at_most(16, [partial(api.accept, i) for i in invitations])
                    await api.all_readable(invitations)
                finally:
                    await asyncio.to_thread(stop_recording, recording)
                return burst / (time.monotonic() - started)
        finally:
            await asyncio.to_thread(platform.stop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--burst", type=int, default=100, help="assessed invitations accepted")
    parser.add_argument("--out", type=Path, default=PROFILES, help="where the SVGs go")
    args = parser.parse_args(argv)
    configure_logging("bench", level="WARNING", as_json=False)
    args.out.mkdir(parents=True, exist_ok=True)
    rate = asyncio.run(profile_burst(args.burst, args.out))
    print(f"burst of {args.burst} accepts: {rate:.1f} events/s; profiles in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
