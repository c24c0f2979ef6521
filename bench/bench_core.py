"""Benchmark: parse + check time per text report, and CLI wall time.

Run from the repository root:  python bench/bench_core.py
Prints a Markdown table; the figures go into docs/performance.md by hand.
"""

from __future__ import annotations

import glob
import os
import platform
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from xxgk_lint.linter import tables  # noqa: E402
from xxgk_lint.linter.parse import build_report  # noqa: E402
from xxgk_lint.linter.readers import read  # noqa: E402
from xxgk_lint.linter.registry import load_registry  # noqa: E402

FILES = sorted(glob.glob("tests/fixtures/seeds/*.txt")) + sorted(glob.glob("tests/fixtures/real/*.txt"))


def per_report(repeat: int = 20) -> list[tuple[str, float, float, int]]:
    registry = load_registry(include_plugins=False)
    rules = registry.select(["ALL"])
    build_report(read(FILES[0]))  # warm caches (grammar, templates, regexes)
    rows = []
    for path in FILES:
        parse_times, check_times = [], []
        for _ in range(repeat):
            tables._cuts.cache_clear()  # measure cold, as a new report would be
            t0 = time.perf_counter()
            report = build_report(read(path))
            t1 = time.perf_counter()
            for rule in rules:
                list(rule.check(report))
            t2 = time.perf_counter()
            parse_times.append(t1 - t0)
            check_times.append(t2 - t1)
        rows.append((os.path.basename(path), statistics.median(parse_times) * 1000,
                     statistics.median(check_times) * 1000, os.path.getsize(path)))
    return rows


def cli_wall(path: str, *extra: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "xxgk_lint", "check", path, *extra], capture_output=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print("\n| report | bytes | read+parse ms | rules ms |\n|---|---:|---:|---:|")
    rows = per_report()
    for name, parse_ms, check_ms, size in rows:
        print(f"| {name} | {size} | {parse_ms:.1f} | {check_ms:.2f} |")
    total = [p + c for _, p, c, _ in rows]
    print(f"\nmedian per report: {statistics.median(total):.1f} ms, max {max(total):.1f} ms")
    print(f"CLI wall time, one report, no cache (best of 5): {cli_wall(FILES[3], '--no-cache') * 1000:.0f} ms")
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        print(f"CLI wall time, one report, cached (best of 5): "
              f"{cli_wall(FILES[3], '--cache-dir', cache) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
