"""`make bench`: run every benchmark and write bench/RESULTS.md.

Each figure is reported with its target and, where there is one, the ratio to a
baseline measured in the same run on the same machine. None of this is a unit test.
"""
from __future__ import annotations

import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        model = cpu
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}"


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ")
    return str(value)


def main(argv: list[str] | None = None) -> int:
    """``make bench``. ``BENCH_SIZES`` (default 10000,100000) sets the case counts of the page
    benchmark, ``BENCH_PG_URL`` adds PostgreSQL, ``BENCH_HTTP_SIZE`` the size of the gunicorn
    load run (default: the largest size); ``BENCH_SKIP`` = comma-separated of filings,bulk,pages."""
    from bench import bench_bulk, bench_filings, bench_pages

    skip = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
    http_size = int(os.environ.get("BENCH_HTTP_SIZE", max(sizes)))
    load_before = os.getloadavg()
    started = datetime.now(timezone.utc)
    rows = []
    if "filings" not in skip:
        print("filings engine vs naive docxtpl …", flush=True)
        rows += bench_filings.run()
    if "bulk" not in skip:
        print("bulk job of 10 000 filings through a Celery worker …", flush=True)
        rows += bench_bulk.run(10_000)
    if "pages" not in skip:
        print(f"pages at {sizes} cases, nightly job, HTTP load …", flush=True)
        rows += bench_pages.run(sizes, http_size=http_size)
    load_after = os.getloadavg()
    pg = os.environ.get("BENCH_PG_URL")
    lines = [
        "# Benchmark results",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC on {machine()}.",
        f"Load average (1/5/15 min) before: {' / '.join(f'{x:.2f}' for x in load_before)}, "
        f"after: {' / '.join(f'{x:.2f}' for x in load_after)} (the machine is shared; figures under load are slower).",
        "Databases: SQLite (a file under a temporary directory)"
        + (", PostgreSQL (`BENCH_PG_URL`)" if pg else "; PostgreSQL not run (set `BENCH_PG_URL`)") + ".",
        "Each figure states its data size. Page figures: p95 in ms over the timed requests (after warm-up)"
        " through the Flask test client, logged in; p50 in the note. "
        "Ratios compare against a baseline measured in the same run.",
        "Data: `bench/datagen.py` (synthetic, realistic: statuses over the whole course, deadlines, payments,"
        " outcomes, Swedish names). 1 000 000 cases: `BENCH_SIZES=1000000 make bench` or"
        " `python -m bench.bench_pages --sizes 1000000` (see README, Performance).",
        "",
        "| figure | target | measured | baseline | ratio | note |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = row.get("ratio")
        note = row.get("note") or (f"p50 {row['p50']} ms, {row['requests']} requests" if "p50" in row else "")
        lines.append(f"| {row['figure']} | {fmt(row.get('target'))} | {fmt(row.get('measured'))} | "
                     f"{fmt(row.get('baseline'))} | {f'{ratio:.1f}×' if isinstance(ratio, (int, float)) else fmt(ratio)} "
                     f"| {note} |")
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
