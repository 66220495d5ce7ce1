"""``multitrack <command>``: the operator's command line.

    multitrack status                       services, broker, lag per group, outbox, dead letters
    multitrack event <id>                   where one event is, in every consumer group
    multitrack dlq list [--service S] [--type T] [--waiting]
    multitrack dlq replay (--event ID ... | --type T) [--service S]
    multitrack rebuild <service>            replay a service's read models from its topics
    multitrack topics                       every topic, its partitions and records
    multitrack settings [--reference]       the settings in effect, secrets masked

``--json`` prints the data instead of the text. The exit status is 1 when what was asked for
is not so (a service down, an event unknown, a replay that failed again), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence

from multitrack_cli.commands import dlq, event, rebuild, settings, status, topics
from multitrack_cli.platform import OperatorError, Platform
from multitrack_cli.reference import page
from multitrack_cli.render import ProgressBar
from multitrack_cli.report import Report
from multitrack_cli.settings import SERVICES, CliSettings


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="multitrack", description="Operate a running Multitrack platform."
    )
    root.add_argument("--json", action="store_true", help="print the data as JSON")
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="services, broker, lag, outbox, dead letters")
    where = commands.add_parser("event", help="where one event is")
    where.add_argument("event_id")
    letters = commands.add_parser("dlq", help="dead-lettered events").add_subparsers(
        dest="dlq_command", required=True
    )
    listing = letters.add_parser("list", help="list dead letters")
    listing.add_argument("--service", choices=SERVICES, action="append")
    listing.add_argument("--type", dest="event_type")
    listing.add_argument("--waiting", action="store_true", help="only those not applied since")
    again = letters.add_parser("replay", help="send dead letters back to their consumer")
    again.add_argument("--service", choices=SERVICES, action="append")
    chosen = again.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--event", dest="event_ids", action="append", default=[])
    chosen.add_argument("--type", dest="event_type")
    rebuilding = commands.add_parser("rebuild", help="rebuild a service's read models")
    rebuilding.add_argument("service", choices=SERVICES)
    rebuilding.add_argument("--within", type=float, default=600, help="seconds to wait at most")
    rebuilding.add_argument("--no-progress", action="store_true")
    commands.add_parser("topics", help="topics, partitions, records")
    shown = commands.add_parser("settings", help="the settings in effect, secrets masked")
    shown.add_argument("--reference", action="store_true", help="print docs/settings.md")
    shown.add_argument("--local", action="store_true", help="the command line's own only")
    return root


async def run(args: argparse.Namespace, cli_settings: CliSettings) -> Report:
    if args.command == "settings" and args.local:
        return settings.own(cli_settings)
    platform = Platform(cli_settings)
    try:
        services = getattr(args, "service", None)
        if args.command == "status":
            return await status.status(platform)
        if args.command == "event":
            return await event.where_is(platform, args.event_id)
        if args.command == "dlq" and args.dlq_command == "list":
            return await dlq.list_dead_letters(
                platform, services or SERVICES, args.event_type, args.waiting
            )
        if args.command == "dlq":
            return await dlq.replay(platform, services or SERVICES, args.event_ids, args.event_type)
        if args.command == "rebuild":
            bar = None if args.no_progress or args.json else ProgressBar()
            return await rebuild.rebuild(platform, args.service, args.within, bar)
        if args.command == "topics":
            return await topics.topics(platform)
        return await settings.effective(platform)
    finally:
        await platform.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "settings" and args.reference:
        sys.stdout.write(page())
        return 0
    try:
        report = asyncio.run(run(args, CliSettings()))
    except OperatorError as exc:
        print(f"multitrack: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.data, indent=2, default=str))
    else:
        print("\n".join(report.lines))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
