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


def main() -> int:
    from bench import bench_bulk, bench_filings

    rows = []
    print("filings engine vs naive docxtpl …", flush=True)
    rows += bench_filings.run()
    print("bulk job of 10 000 filings through a Celery worker …", flush=True)
    rows += bench_bulk.run(10_000)
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "Ratios compare against a baseline measured in the same run.",
        "",
        "| figure | target | measured | baseline | ratio |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = row.get("ratio")
        lines.append(f"| {row['figure']} | {fmt(row.get('target'))} | {fmt(row.get('measured'))} | "
                     f"{fmt(row.get('baseline'))} | {f'{ratio:.1f}×' if isinstance(ratio, (int, float)) else fmt(ratio)} |")
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
