"""Benchmark: naive docxtpl vs the filings engine, on a 3-page stämningsansökan.

    python bench/bench_filings.py                      # defaults below
    python bench/bench_filings.py --naive 20 --engine 500 --memory 2000

Same process, same machine, one core: documents per second for naive
docxtpl (load template, render, save — per document) and for the engine
(``filings.render``, which also validates), each the median over
interleaved rounds (the machine is shared: a slow moment hits both), their
ratio (target: engine at least 50× naive), and the resident memory after
1 000 and after 10 000 engine documents (target: flat).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from filings.context import build_context  # noqa: E402
from filings.engine import Engine, render_naive  # noqa: E402
from filings.sample import sample_input  # noqa: E402

KIND = "stamningsansokan"
TARGET_RATIO = 50.0
ROUNDS = 5


def rss_mib() -> float:
    """Current resident set size in MiB (Linux /proc; falls back to peak RSS)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):  # pragma: no cover - not Linux
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _n(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _rate(fn: Any, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - start)


def run(n_naive: int = 40, n_engine: int = 2000, n_memory: int = 10_000) -> list[dict[str, Any]]:
    """Measure; rows ``{"figure", "target", "measured", "baseline", "ratio"}``.

    ``n_memory`` engine documents are rendered for the memory figures; RSS is
    taken after the first 1 000 (or ``n_memory // 10`` if fewer) and after all.
    """
    engine = Engine()
    data = sample_input(KIND)
    context = build_context(KIND, data)
    path = engine.template_path(KIND)
    env = engine.env

    # warm up both (imports, first template preparation), and check they agree
    engine_doc = engine.render(KIND, data)
    render_naive(path, context, env)

    naive_rates, fast_rates = [], []
    for _ in range(ROUNDS):  # interleaved: each round measures both
        naive_rates.append(_rate(lambda: render_naive(path, build_context(KIND, data), env), max(1, n_naive // ROUNDS)))
        fast_rates.append(_rate(lambda: engine.render(KIND, data), max(1, n_engine // ROUNDS)))
    naive = statistics.median(naive_rates)
    fast = statistics.median(fast_rates)

    rows: list[dict[str, Any]] = [
        {
            "figure": f"naive docxtpl, docs/s (load+render+save, {KIND}, 1 core, median of {ROUNDS} rounds)",
            "target": "—",
            "measured": round(naive, 1),
            "baseline": None,
            "ratio": None,
        },
        {
            "figure": f"engine, docs/s (validate+render+zip, 1 core, median of {ROUNDS} interleaved rounds)",
            "target": f"≥ {TARGET_RATIO:.0f}× naive",
            "measured": round(fast, 1),
            "baseline": round(naive, 1),
            "ratio": round(fast / naive, 1),
        },
        {
            "figure": "engine document size, bytes",
            "target": "—",
            "measured": len(engine_doc),
            "baseline": None,
            "ratio": None,
        },
    ]

    first_mark = min(1000, max(1, n_memory // 10))
    gc.collect()
    rss_start = rss_mib()
    rss_first = rss_start
    for i in range(1, n_memory + 1):
        engine.render(KIND, data)
        if i == first_mark:
            gc.collect()
            rss_first = rss_mib()
    gc.collect()
    rss_end = rss_mib()
    rows.append(
        {
            "figure": f"RSS after {_n(first_mark)} engine docs, MiB",
            "target": "flat",
            "measured": round(rss_first, 1),
            "baseline": round(rss_start, 1),
            "ratio": round(rss_first / rss_start, 3),
        }
    )
    rows.append(
        {
            "figure": f"RSS after {_n(n_memory)} engine docs, MiB",
            "target": f"flat (≈ RSS after {first_mark})",
            "measured": round(rss_end, 1),
            "baseline": round(rss_first, 1),
            "ratio": round(rss_end / rss_first, 3),
        }
    )
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    cols = ["figure", "target", "measured", "baseline", "ratio"]
    cells = [[("" if r[c] is None else str(r[c])) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    line = " | ".join(c.ljust(w) for c, w in zip(cols, widths))
    sep = "-+-".join("-" * w for w in widths)
    body = [" | ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join([line, sep, *body])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--naive", type=int, default=40, help="naive docxtpl documents (default 40)")
    ap.add_argument("--engine", type=int, default=2000, help="engine documents for throughput (default 2000)")
    ap.add_argument(
        "--memory", type=int, default=10_000, help="engine documents for the memory figures (default 10000)"
    )
    args = ap.parse_args(argv)
    rows = run(n_naive=args.naive, n_engine=args.engine, n_memory=args.memory)
    print(format_table(rows))
    ratio = rows[1]["ratio"]
    print()
    print(
        f"engine/naive = {ratio}× (target ≥ {TARGET_RATIO:.0f}×): {'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
