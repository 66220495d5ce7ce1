"""``python -m bench [--smoke] [--out DIR] [--credentials FILE]``: runs the suite, prints the
table, writes ``latest.json`` (the figures), ``latest-series.json`` (each repetition, the RSS
over time) and ``latest.png`` in ``DIR`` (``bench/results`` by default)."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from pathlib import Path

from multitrack_shared.logging import configure_logging

from .report import plot, table
from .run import run
from .scale import FULL, SMOKE

RESULTS = Path(__file__).parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="a few seconds each: proves it works")
    parser.add_argument(
        "--open-broker",
        action="store_true",
        help="a broker that admits anyone (no SASL, no ACLs): quicker to start",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the results go")
    parser.add_argument(
        "--credentials",
        type=Path,
        help="the demo consortium's credentials file: its people keep their passwords",
    )
    args = parser.parse_args(argv)
    # Stopped from outside, it stops what it started (broker, services) as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # The relay and consumer measured in this process log each event at INFO: warnings only.
    configure_logging("bench", level="WARNING", as_json=False)
    scale = SMOKE if args.smoke else FULL
    results = asyncio.run(
        run(scale, closed_broker=not args.open_broker, credentials=args.credentials)
    )
    document, series = results.as_json(), results.series_json()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(document, indent=2) + "\n")
    (args.out / "latest-series.json").write_text(json.dumps(series) + "\n")
    plot(document, series, args.out / "latest.png")
    print(table(document))
    print(f"\nwrote {args.out / 'latest.json'} and {args.out / 'latest.png'}", file=sys.stderr)
    return 1 if results.incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
