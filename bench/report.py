"""The table printed at the end of a run, and the plot written beside the JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def table(document: dict[str, Any]) -> str:
    rows = [("figure", "value", "limit", "limit value", "ratio", "target", "met")]
    for f in document["figures"]:
        rows.append(
            (
                f["name"],
                f"{_num(f['value'])} {f['unit']}",
                f["limit_name"] or "",
                "" if f["limit_value"] is None else _num(f["limit_value"]),
                "" if f["ratio"] is None else f"{f['ratio']:.3f}",
                f["target"] or "",
                {True: "yes", False: "NO", None: ""}[f["met"]],
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _num(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def plot(document: dict[str, Any], series: dict[str, Any], path: Path) -> None:
    """Latency percentiles, throughput beside its limits, and each service's RSS over time."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the plot goes to a file
    import matplotlib.pyplot as plt

    figures = {f["name"]: f for f in document["figures"]}
    fig, (lat, thr, mem) = plt.subplots(1, 3, figsize=(18, 5.5))

    latency = [
        (name.removeprefix("P."), f["value"], f["limit_value"])
        for name, f in figures.items()
        if name.startswith(("P.d.e2e_p", "P.a.intake_p", "P.e.lessons_loop_p"))
    ]
    xs = range(len(latency))
    lat.bar(xs, [v for _, v, _ in latency], color="tab:blue", label="Multitrack")
    lat.scatter(xs, [lim or 0 for _, _, lim in latency], color="tab:red", marker="_", s=400,
                label="limit (same percentile)", zorder=3)  # fmt: skip
    lat.set_xticks(list(xs), [n for n, _, _ in latency], rotation=60, ha="right", fontsize=7)
    if any(v > 0 for _, v, _ in latency):
        lat.set_yscale("log")
    lat.set_ylabel("ms (log)")
    lat.set_title("Latency percentiles")
    lat.legend(fontsize=8)

    throughput = [
        (name.removeprefix("P."), f["value"], f["limit_value"])
        for name, f in figures.items()
        if f["unit"] in {"req/s", "events/s"} and name.startswith("P.") and f["limit_value"]
    ]
    xs = range(len(throughput))
    width = 0.4
    thr.bar([x - width / 2 for x in xs], [v for _, v, _ in throughput], width, label="Multitrack")
    thr.bar([x + width / 2 for x in xs], [lim for _, _, lim in throughput], width, label="limit",
            color="tab:gray")  # fmt: skip
    if any(v > 0 for _, v, _ in throughput):
        thr.set_yscale("log")
    thr.set_xticks(list(xs), [n for n, _, _ in throughput], rotation=60, ha="right", fontsize=7)
    thr.set_ylabel("per second (log)")
    thr.set_title("Throughput beside its limit")
    thr.legend(fontsize=8)

    for service, points in sorted(series.get("rss_mib", {}).items()):
        mem.plot([t for t, _ in points], [m for _, m in points], label=service)
    mem.axhline(150, color="tab:red", linestyle="--", label="target 150 MiB")
    mem.set_xlabel("seconds into the run")
    mem.set_ylabel("RSS, MiB")
    mem.set_title("Each service's memory")
    mem.legend(fontsize=8)

    machine = document["machine"]
    fig.suptitle(f"make bench ({machine.get('scale')}), {machine.get('cpus')} CPUs")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
