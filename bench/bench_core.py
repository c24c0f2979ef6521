"""Benchmark: read + parse + rules time per text report, and CLI time.

Run from the repository root:  python bench/bench_core.py [--repeat 20]
Prints a Markdown table; the figures go into docs/performance.md by hand.

Per report: each report is checked ``--repeat`` times in one warm process;
the medians of wall time and of CPU time (``time.process_time``) are shown.
Caches keyed by a report's content (digit-run splits, squeezed table text)
are cleared before each repetition, so every run is what a new report costs;
caches of template data stay warm, as in any run after the first report.

CLI: ``xxgk-lint check examples/yinchuan-xingqing-2020.txt`` in a fresh
process, best and median of 7, wall and CPU (user + sys of the child), with
``--no-cache``, with an empty cache directory (a miss that writes the entry)
and with a filled one (a hit).  Other jobs on the machine inflate wall time
(and somewhat CPU time); the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from xxgk_lint.linter import digitsplit, tabletokens  # noqa: E402
from xxgk_lint.linter.parse import build_report  # noqa: E402
from xxgk_lint.linter.readers import read  # noqa: E402
from xxgk_lint.linter.registry import load_registry  # noqa: E402

FILES = sorted(glob.glob("tests/fixtures/seeds/*.txt")) + sorted(glob.glob("tests/fixtures/real/*.txt"))
EXAMPLE = "examples/yinchuan-xingqing-2020.txt"


def clear_report_caches() -> None:
    """Forget what earlier runs learnt from report content (not template data)."""
    digitsplit._cuts.cache_clear()
    digitsplit.to_decimal.cache_clear()
    tabletokens._squeezed_stream.cache_clear()


def per_report(repeat: int) -> list[tuple[str, int, float, float, float, float]]:
    """(name, bytes, median wall ms of read+parse, of rules, median CPU ms of read+parse, of rules)."""
    registry = load_registry(include_plugins=False)
    rules = registry.select(["ALL"])
    for path in FILES:  # warm what every run has warm after its first report (templates, regexes)
        report = build_report(read(path))
        for rule in rules:
            list(rule.check(report))
    rows = []
    for path in FILES:
        walls: list[tuple[float, float]] = []
        cpus: list[tuple[float, float]] = []
        for _ in range(repeat):
            clear_report_caches()
            w0, c0 = time.perf_counter(), time.process_time()
            report = build_report(read(path))
            w1, c1 = time.perf_counter(), time.process_time()
            for rule in rules:
                list(rule.check(report))
            w2, c2 = time.perf_counter(), time.process_time()
            walls.append((w1 - w0, w2 - w1))
            cpus.append((c1 - c0, c2 - c1))
        rows.append((os.path.basename(path), os.path.getsize(path),
                     statistics.median(w[0] for w in walls) * 1e3, statistics.median(w[1] for w in walls) * 1e3,
                     statistics.median(c[0] for c in cpus) * 1e3, statistics.median(c[1] for c in cpus) * 1e3))
    return rows


def console_scripts() -> list[str]:
    """``xxgk-lint`` as found on PATH (what a user types; may be a pyenv/asdf
    shim) and the one installed next to this interpreter, when they differ."""
    found = []
    on_path = shutil.which("xxgk-lint")
    beside = os.path.join(os.path.dirname(sys.executable), "xxgk-lint")
    for script in (on_path, beside if os.path.exists(beside) else None):
        if script and script not in found:
            found.append(script)
    return found or [f"{sys.executable} -m xxgk_lint"]


def cli_time(command: list[str], setup=None, repeat: int = 7) -> tuple[float, float, float, float]:
    """(best wall, median wall, best CPU, median CPU) in seconds; ``setup()`` runs before each."""
    walls, cpus = [], []
    for _ in range(repeat):
        if setup is not None:
            setup()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(command, capture_output=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), statistics.median(walls), min(cpus), statistics.median(cpus)


def _load() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20, help="runs of each report (medians)")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average before: {_load()}")
    print("\n| report | bytes | read+parse ms | rules ms | total ms | CPU: read+parse ms | CPU: rules ms | CPU: total ms |"
          "\n|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = per_report(args.repeat)
    for name, size, wp, wr, cp, cr in rows:
        print(f"| {name} | {size} | {wp:.1f} | {wr:.1f} | {wp + wr:.1f} | {cp:.1f} | {cr:.1f} | {cp + cr:.1f} |")
    walls = [wp + wr for _, _, wp, wr, _, _ in rows]
    cpus = [cp + cr for _, _, _, _, cp, cr in rows]
    print(f"\nper report (read + parse + rules): median {statistics.median(walls):.1f} ms wall, "
          f"{statistics.median(cpus):.1f} ms CPU; slowest {max(walls):.1f} ms wall, {max(cpus):.1f} ms CPU")

    from xxgk_lint.linter import cli as _cli

    cached = os.path.exists(importlib.util.cache_from_source(_cli.__file__))
    if sys.dont_write_bytecode and not cached:
        print("\nNOTE: no bytecode cache for the package (PYTHONDONTWRITEBYTECODE is set): every start below "
              "compiles xxgk_lint from source (≈ 120 ms here); a normal install has the .pyc files")
    print(f"\nCLI, `xxgk-lint check {EXAMPLE}`, 7 fresh processes (best / median):\n"
          "\n| command | cache | wall ms | CPU ms |\n|---|---|---:|---:|")
    bare = cli_time([sys.executable, "-c", "pass"])
    print(f"| `python -c pass` | - | {bare[0] * 1e3:.0f} / {bare[1] * 1e3:.0f} | {bare[2] * 1e3:.0f} / {bare[3] * 1e3:.0f} |")
    with tempfile.TemporaryDirectory() as tmp:
        cache = os.path.join(tmp, "cache")
        for script in console_scripts():
            base = script.split() + ["check", EXAMPLE]
            runs = [("--no-cache", base + ["--no-cache"], None),
                    ("empty (miss, writes)", base + ["--cache-dir", cache], lambda: shutil.rmtree(cache, True)),
                    ("filled (hit)", base + ["--cache-dir", cache], None)]
            for label, command, setup in runs:
                best_w, med_w, best_c, med_c = cli_time(command, setup)
                print(f"| `{script}` | {label} | {best_w * 1e3:.0f} / {med_w * 1e3:.0f} | "
                      f"{best_c * 1e3:.0f} / {med_c * 1e3:.0f} |")
    print(f"\nload average after: {_load()}")


if __name__ == "__main__":
    main()
