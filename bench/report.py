"""Writes bench/RESULTS.md from one `make bench` run's files (see bin/run-bench)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

TARGETS = {  # endpoint -> (percentile column, limit ms, what the issue asks)
    "search": ("95%", 150, "catalogue search p95 <= 150 ms, 50 users"),
    "item": ("95%", 100, "item page p95 <= 100 ms, 50 users"),
    "desk_check_out": ("95%", 100, "desk check-out p95 <= 100 ms, 50 desks"),
    "staff_report": ("95%", 1000, "staff report < 1 s"),
}


def sh(command: str) -> str:
    try:
        return subprocess.run(
            command, shell=True, capture_output=True, text=True, timeout=20
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine() -> list[str]:
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("free -m | awk '/Mem:/ {print $2}'")
    load = sh("cut -d' ' -f1-3 /proc/loadavg")
    redis = sh("redis-server --version | cut -d' ' -f1-3")
    return [
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {mem} MB RAM, {platform.platform()}",
        f"- Load average when the report was written: {load}",
        f"- Python {platform.python_version()}, "
        f"Django {sh('.venv/bin/python -m django --version')}, "
        f"{sh('psql --version')}, {redis}, "
        f"{sh('.venv/bin/gunicorn --version')}, "
        f"{sh('var/bench-venv/bin/locust --version')}",
    ]


def load_rows(out: Path, mix: str) -> list[dict[str, str]]:
    path = out / f"load-{mix}_stats.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def offered(rows: list[dict[str, str]], queries: dict, users: int) -> list[str]:
    """The think time each user class waited (from the locustfile) and the load it offers:
    users / (mean think time + mean response time) tasks a second, next to what was served."""
    think = queries.get("_think") or {}
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if not think or total is None:
        return []
    served = float(total["Requests/s"])
    mean_response = float(total["Average Response Time"] or 0) / 1000
    text = []
    for who, (low, high) in think.items():
        mean = (low + high) / 2
        text.append(
            f"Think time ({who}): {low:g}-{high:g} s between tasks, mean {mean:g} s; "
            f"{users} users offer about {users / (mean + mean_response):.1f} tasks/s "
            f"(a task is one to four requests); served {served:.1f} requests/s in all."
        )
    return [*text, ""]


def saturation(out: Path) -> list[str]:
    """Most requests a second with no think time (BENCH_MIX=saturate-*), if that was run."""
    lines = []
    for target in ("floor", "search"):
        rows = load_rows(out, f"saturate-{target}")
        total = next((r for r in rows if r["Name"] == "Aggregated"), None)
        if total is None or not int(total["Request Count"] or 0):
            continue
        lines.append(
            f"| {target} | {total['Request Count']} | {float(total['Requests/s']):.1f} | "
            f"{total['Failure Count']} | {total['50%']} | {total['95%']} |"
        )
    if not lines:
        return []
    users = os.environ.get("BENCH_SATURATE_USERS", "8")
    return [
        f"## Saturation ({users} users, no think time)",
        "",
        "The most the stack serves when nobody waits between requests (Locust on the same "
        "2 cores): the headroom above the human load of the mixes above.",
        "",
        "| endpoint | requests | max req/s | errors | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *lines,
        "",
    ]


WORD_CLASSES = ("common", "rare", "korean_fragment", "english")


def comparison(out: Path) -> list[str]:
    """Issue 13's ratios per word class: search p50 / login p50 (target <= 3) and search
    throughput / the plain Django full-text search's (bench/reference.py; target >= 2)."""

    def total(run: str) -> dict[str, str] | None:
        rows = load_rows(out, f"compare-{run}")
        found = next((r for r in rows if r["Name"] == "Aggregated"), None)
        return found if found and int(found["Request Count"] or 0) else None

    login = total("login")
    if login is None:
        return []
    login_p50 = float(login["50%"])
    lines = []
    for word_class in WORD_CLASSES:
        ours, theirs = total(f"search-{word_class}"), total(f"reference-{word_class}")
        if ours is None or theirs is None:
            continue
        latency = float(ours["50%"]) / login_p50 if login_p50 else 0.0
        throughput = float(ours["Requests/s"]) / max(float(theirs["Requests/s"]), 0.001)
        fast = "met" if latency <= 3 else "missed"
        more = "met" if throughput >= 2 else "missed"
        lines.append(
            f"| {word_class} | {ours['50%']} | {theirs['50%']} | {float(ours['Requests/s']):.1f} "
            f"| {float(theirs['Requests/s']):.1f} | {latency:.2f}× {fast} "
            f"| {throughput:.2f}× {more} |"
        )
    users = os.environ.get("BENCH_SATURATE_USERS", "8")
    return [
        f"## Search against the login page and a plain Django search ({users} users, "
        "no think time)",
        "",
        f"Login page p50 {login['50%']} ms. Reference: bench/reference.py (PostgreSQL full-text "
        "`SearchVector` over one name field, 24 results, no filters) on the same gunicorn.",
        "",
        "| word class | search p50 ms | reference p50 ms | search req/s | reference req/s "
        "| search p50 / login p50 (≤ 3) | search / reference req/s (≥ 2) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *lines,
        "",
    ]


def replica(out: Path) -> list[str]:
    """Whether the read-only pages read from a streaming replica (REPLICA=1 make bench)."""
    path = out / "replica.txt"
    status = path.read_text().strip() if path.exists() else ""
    if not status:
        return ["Replica: none (every read on the primary; `REPLICA=1 make bench` adds one).", ""]
    return [
        "Replica: read-only pages read from a streaming replica (bin/pg-replica):",
        "",
        "```",
        status,
        "```",
        "",
    ]


def nodes(out: Path) -> list[str]:
    """bench/nodes.py's figures (NODES=1 make bench): two web nodes and two workers."""
    path = out / "nodes.txt"
    if not path.exists():
        return []
    return [
        "## Two nodes (bench/nodes.py, NODES=1)",
        "",
        "Two gunicorn nodes and two Celery workers on one database and one Redis, on the same "
        "2 cores: correctness across nodes, and what a second node costs here (not scale-out).",
        "",
        "```",
        path.read_text().strip(),
        "```",
        "",
    ]


def main() -> None:
    preset, out, generated = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    lines = [f"# Benchmark results — preset `{preset}`", "", *machine(), ""]
    lines += [
        "Figures from one run of `make bench PRESET=" + preset + "`; the load generator shares "
        "the machine's cores with gunicorn and PostgreSQL, so compare ratios within the run "
        "more than absolute times. Other engineers' test runs may have been loading the "
        "machine too (see the load average).",
        "",
        *replica(out),
        "## Data",
        "",
        "```",
        (out / "generate.txt").read_text() if (out / "generate.txt").exists() else "(reused)",
        (out / "rollups.txt").read_text() if (out / "rollups.txt").exists() else "",
        "```",
        "",
    ]
    targets = json.loads((out / "targets.json").read_text())
    skipped = {k: v["skipped"] for k, v in targets["scenarios"].items() if v["skipped"]}
    measured: dict[str, dict[str, str]] = {}
    for mix in ("residents", "desk", "reports"):
        rows = load_rows(out, mix)
        queries = {}
        if (out / f"queries-{mix}.json").exists():
            queries = json.loads((out / f"queries-{mix}.json").read_text())
        users = 4 if mix == "reports" else int(os.environ.get("BENCH_USERS", "50"))
        floor = next((r for r in rows if r["Name"] == "floor"), None)
        floor_p50 = float(floor["50%"]) if floor and floor["50%"] not in ("", "N/A") else 0
        lines += [f"## Load: {mix} mix ({users} users)", "", *offered(rows, queries, users)]
        lines += [
            "| endpoint | requests | req/s | errors | p50 ms | p95 ms | p99 ms | SQL/req "
            "| p50 / floor p50 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in rows:
            name = row["Name"]
            p50 = float(row["50%"]) if row["50%"] not in ("", "N/A") else 0
            ratio = f"{p50 / floor_p50:.1f}×" if floor_p50 and name != "Aggregated" else ""
            sql = f"{queries[name]:.1f}" if name in queries else ""
            lines.append(
                f"| {name} | {row['Request Count']} | {float(row['Requests/s']):.1f} | "
                f"{row['Failure Count']} | {row['50%']} | {row['95%']} | {row['99%']} | "
                f"{sql} | {ratio} |"
            )
            measured.setdefault(name, row)
        if not rows:
            lines.append("| (no load figures: see var/bench/*/locust-*.txt) | | | | | | | | |")
        lines.append("")
    lines += saturation(out)
    lines += comparison(out)
    if skipped:
        lines += ["Skipped scenarios (their pages are not in this checkout):", ""]
        lines += [f"- `{k}`: {v}" for k, v in skipped.items()] + [""]
    rss = (out / "rss.txt").read_text().split("\n") if (out / "rss.txt").exists() else []
    rss_mb = [int(line.split()[1]) // 1024 for line in rss if line.strip()]
    weight = {}
    if (out / "page-weight.json").exists() and (out / "page-weight.json").read_text().strip():
        weight = json.loads((out / "page-weight.json").read_text())
    lines += ["## Targets", "", "| target | measured | met? |", "| --- | --- | --- |"]
    for name, (column, limit, what) in TARGETS.items():
        found = measured.get(name)
        if found is None or found[column] in ("", "N/A"):
            lines.append(f"| {what} | not measured ({skipped.get(name, 'no figures')}) | — |")
        elif int(found["Failure Count"] or 0):
            # Refusals are fast: a time over failed requests says nothing about the target.
            lines.append(f"| {what} | {found['Failure Count']} failed requests | NO |")
        else:
            value = float(found[column])
            lines.append(
                f"| {what} | {column} {value:.0f} ms | {'yes' if value <= limit else 'NO'} |"
            )
    worst = max(rss_mb) if rss_mb else None
    lines.append(
        f"| web worker < 150 MB RSS | {worst} MB (max of {len(rss_mb)} workers, after load) | "
        f"{'yes' if worst is not None and worst < 150 else '—' if worst is None else 'NO'} |"
    )
    for page, info in weight.items():
        if "gzip_bytes" in info:
            kb = info["gzip_bytes"] / 1024
            lines.append(
                f"| first view `{page}` < 100 KB compressed HTML+CSS+JS | {kb:.1f} KB "
                f"({info['assets']} assets) | {'yes' if kb < 100 else 'NO'} |"
            )
    lines.append("| sweeps within 2× bare SQL, < 200 MB | see bench/sweeps.py output below | |")
    lines += ["", *nodes(out), "## Other benchmarks", ""]
    for script in ("sweeps", "catalogue_search", "desk", "reports", "homeshare_matching"):
        path = out / f"extra-{script}.txt"
        text = path.read_text().strip() if path.exists() else "not run"
        lines += [f"### bench/{script}.py", "", "```", text[-6000:], "```", ""]
    if generated:
        lines += [f"Generation: {generated}.", ""]
    notes = Path(__file__).with_name("RESULTS-notes.md")
    if notes.exists():  # the hand-written reading of the figures: why a target was missed
        lines += [notes.read_text(encoding="utf-8")]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
