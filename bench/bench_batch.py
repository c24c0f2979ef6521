"""Benchmark: batch throughput, peak memory, cache speed-up, CLI start-up, and
per-report check time for every input format.

Run from the repository root:  python bench/bench_batch.py [--files 3000] [--jobs 2]
Prints Markdown; the figures go into docs/performance.md by hand.  The corpus
is generated into a temporary directory (variants of the bundled real
reports: other agency names, other numbers, other publication days) and
deleted afterwards -- it is never committed.

Every run is timed by wall clock and by CPU (user + sys of the whole process
tree, from the kernel's accounting of waited-for children): other jobs on the
machine stretch the wall time, much less the CPU time.  The load average is
printed with each table.  Per format, read/parse/rules are medians of warm
runs with the caches of report content cleared (as for a new report); the
PDF row also gives the time per page.
"""

from __future__ import annotations

import argparse
import glob
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SEEDS = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/seeds/*.txt")))
REAL = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/real/pingtan-zhsyq-*.txt")))
# the same report in every format, plus web pages (a government site's and LibreOffice's HTML)
DOCUMENTS = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/documents/report.*"))
                   + glob.glob(os.path.join(ROOT, "tests/fixtures/documents/*.html")))
PLACES = "东西南北中新安平永兴和宁昌顺丰华明德"
KINDS = ("人民政府", "发展和改革局", "教育局", "公安局", "财政局", "自然资源局", "生态环境局", "交通运输局", "卫生健康委员会")


# ---------------------------------------------------------------- corpus

def _agency(rng: random.Random) -> str:
    return rng.choice(PLACES) + rng.choice(PLACES) + rng.choice(("县", "区", "市")) + rng.choice(KINDS)


def _vary_numbers(text: str, rng: random.Random, count: int = 6) -> str:
    """Change a few digits of prose numbers (not dates): other figures, same layout."""
    chars = list(text)
    spots = [i for i, ch in enumerate(chars) if ch.isdigit() and i + 1 < len(chars) and chars[i + 1] in "件个条次项人"]
    for i in rng.sample(spots, min(count, len(spots))):
        chars[i] = str(rng.randint(1, 9))
    return "".join(chars)


def make_corpus(directory: str, files: int, seed: int = 7) -> int:
    """``files`` reports: one-year reports of many agencies (from the seeds and
    single pingtan years) plus whole 2017-2025 series of some agencies (so
    cross-year pairing takes part).  Returns how many series were written."""
    rng = random.Random(seed)
    real_agency = "平潭综合实验区"
    written = series = 0
    while written < files:
        sub = os.path.join(directory, f"{written // 500:03d}")
        os.makedirs(sub, exist_ok=True)
        if rng.random() < 0.015 and written + len(REAL) <= files:  # an agency's 9-year series
            agency = _agency(rng)
            for path in REAL:
                text = open(path, encoding="utf-8").read().replace(real_agency, agency)
                with open(os.path.join(sub, f"s{series:04d}-{os.path.basename(path)}"), "w", encoding="utf-8") as fh:
                    fh.write(_vary_numbers(text, rng, 2))
                written += 1
            series += 1
            continue
        source = rng.choice(SEEDS + REAL)
        text = open(source, encoding="utf-8").read()
        if real_agency in text:
            text = text.replace(real_agency, _agency(rng))
        text = _vary_numbers(text, rng)
        with open(os.path.join(sub, f"r{written:05d}.txt"), "w", encoding="utf-8") as fh:
            fh.write(text)
        written += 1
    return series


# ---------------------------------------------------------------- measuring

def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def _own_rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0


PARENT_PEAK = [0]


CPU = [0.0]


def timed(cmd: list[str], cwd: str | None = None, sample_memory: bool = False) -> tuple[float, int, int]:
    """(wall seconds, exit code, peak RSS of the process tree in MB); the
    peak of the main process alone is left in PARENT_PEAK (MB), the CPU
    seconds of the whole tree (user + sys) in CPU."""
    peak = [0]
    PARENT_PEAK[0] = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if sample_memory:
        def sample():
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                PARENT_PEAK[0] = max(PARENT_PEAK[0], _own_rss_kb(proc.pid) // 1024)
                time.sleep(0.05)
        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
    code = proc.wait()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[0] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if sample_memory:
        thread.join()
    return wall, code, peak[0] // 1024


def _load() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def _clear_report_caches() -> None:
    """Forget what earlier runs learnt from report content (not template data)."""
    from xxgk_lint.linter import digitsplit, tabletokens
    digitsplit._cuts.cache_clear()
    digitsplit.to_decimal.cache_clear()
    tabletokens._squeezed_stream.cache_clear()


def _pdf_pages(path: str) -> int:
    try:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception:
        return 0


def _count_entries(cache: str) -> int:
    return sum(len(files) for _, _, files in os.walk(cache))


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "xxgk_lint", "check", *args]


def per_format(repeat: int = 10) -> list[tuple[str, float, float, float]]:
    """(file, read ms, parse ms, rules ms): medians, warm process."""
    from xxgk_lint.linter.parse import build_report
    from xxgk_lint.linter.readers import read
    from xxgk_lint.linter.registry import load_registry

    rules = load_registry(include_plugins=False).select(["ALL"])
    rows = []
    for path in DOCUMENTS + SEEDS + REAL:
        try:
            build_report(read(path))  # warm the reader's imports
        except Exception as exc:  # an optional stack missing: say so
            rows.append((os.path.basename(path) + f" ({type(exc).__name__})", 0, 0, 0))
            continue
        reads, parses, checks = [], [], []
        for _ in range(repeat):
            _clear_report_caches()
            t0 = time.perf_counter()
            doc = read(path)
            t1 = time.perf_counter()
            report = build_report(doc)
            t2 = time.perf_counter()
            for r in rules:
                list(r.check(report))
            t3 = time.perf_counter()
            reads.append(t1 - t0)
            parses.append(t2 - t1)
            checks.append(t3 - t2)
        name = os.path.relpath(path, ROOT)
        if path.endswith(".pdf"):
            name += f" ({_pdf_pages(path)} pages)"
        rows.append((name, statistics.median(reads) * 1e3, statistics.median(parses) * 1e3,
                     statistics.median(checks) * 1e3))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-formats", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average before: {_load()}")

    # start-up: one text report through the CLI (the example of the target)
    one = os.path.join(ROOT, "examples", "yinchuan-xingqing-2020.txt")
    runs = []
    for _ in range(7):
        runs.append((timed(cli(one, "--no-cache"))[0], CPU[0]))
    walls, cpus = sorted(w for w, _ in runs), sorted(c for _, c in runs)
    print(f"\nCLI (`python -m xxgk_lint`), one text report, no cache: wall best {walls[0] * 1e3:.0f} ms, median "
          f"{statistics.median(walls) * 1e3:.0f} ms; CPU best {cpus[0] * 1e3:.0f} ms, median {statistics.median(cpus) * 1e3:.0f} ms")
    walls = sorted(timed([sys.executable, "-c", "pass"])[0] for _ in range(5))
    print(f"bare `python -c pass`: best {walls[0] * 1e3:.0f} ms")

    if not args.skip_formats:
        print(f"\nload average: {_load()}\n\n| file | read ms | parse ms | rules ms | total ms |\n|---|---:|---:|---:|---:|")
        for name, r, p, c in per_format():
            print(f"| {name} | {r:.1f} | {p:.1f} | {c:.1f} | {r + p + c:.1f} |")

    work = tempfile.mkdtemp(prefix="xxgk-bench-")
    try:
        corpus = os.path.join(work, "corpus")
        series = make_corpus(corpus, args.files)
        cache = os.path.join(work, "cache")
        print(f"\ncorpus: {args.files} text reports ({series} agencies with a 2017-2025 series), "
              f"{sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs) // 1024} KB")
        print(f"\nload average: {_load()}\n"
              "\n| run | files | jobs | wall s | reports/s | CPU s (all processes) | CPU ms per report "
              "| peak RSS, all processes MB | peak RSS, main process MB |"
              "\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for count in sorted({min(500, args.files), args.files}):
            subset = os.path.join(work, f"subset-{count}")
            if count == args.files:
                subset = corpus
            else:
                os.makedirs(subset)
                names = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)[:count]
                for n in names:
                    shutil.copy(n, os.path.join(subset, os.path.basename(n)))
            for jobs in sorted({1, args.jobs}):
                if jobs == 1 and count > 500:
                    continue
                wall, code, peak = timed(cli(subset, "--format", "json", "--no-cache", "-j", str(jobs), "-o", os.devnull),
                                         sample_memory=True)
                print(f"| batch, json, no cache | {count} | {jobs} | {wall:.1f} | {count / wall:.0f} | {CPU[0]:.1f} | "
                      f"{CPU[0] / count * 1e3:.1f} | {peak} | {PARENT_PEAK[0]} |")
            wall, code, peak = timed(cli(subset, "--format", "json", "--no-cache", "--ignore", "X", "-j",
                                         str(args.jobs), "-o", os.devnull), sample_memory=True)
            print(f"| batch, json, no cache, X rules off (no pairing) | {count} | {args.jobs} | {wall:.1f} | "
                  f"{count / wall:.0f} | {CPU[0]:.1f} | {CPU[0] / count * 1e3:.1f} | {peak} | {PARENT_PEAK[0]} |")
        thousand = os.path.join(work, "subset-1000")
        os.makedirs(thousand)
        for n in sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)[:1000]:
            shutil.copy(n, os.path.join(thousand, os.path.basename(n)))
        cold, _, _ = timed(cli(thousand, "--format", "json", "--cache-dir", cache, "-j", str(args.jobs),
                               "-o", os.devnull))
        entries = _count_entries(cache)
        warm_runs = [(timed(cli(thousand, "--format", "json", "--cache-dir", cache, "-o", os.devnull))[0], CPU[0])
                     for _ in range(3)]
        warm = sorted(w for w, _ in warm_runs)
        if _count_entries(cache) != entries:
            print("WARNING: the re-runs wrote cache entries (misses): was the package edited meanwhile?")
        text_warm, _, _ = timed(cli(thousand, "--format", "text", "--cache-dir", cache, "-o", os.devnull))
        print(f"\ncache, 1000 reports (load average {_load()}): first run (fills the cache) {cold:.1f} s; unchanged "
              f"re-run best {warm[0]:.2f} s (median {statistics.median(warm):.2f} s, CPU best "
              f"{min(c for _, c in warm_runs):.2f} s, json); text format re-run {text_warm:.2f} s; "
              f"speed-up {cold / warm[0]:.0f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
