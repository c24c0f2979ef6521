"""Fuzzer for the readers and the whole check path (issue 13).

Every input is a seeded mutation of a real document from tests/fixtures
(docx, odt, ofd, pdf, html, txt/md): at the byte level, at the zip-member level
(drop, duplicate, rename, swap, truncate, re-compress, lying size fields,
odd methods and versions) and at the XML/markup level (attributes set to
"abc", "-1", "1.5", "NaN", "1e400", huge counts; elements deleted, duplicated,
nested deep; tags cut).  Input ``i`` of a run with seed ``S`` is a pure
function of (S, i), so any input can be rebuilt with ``--only i``.

Each input runs through the real path -- ``readers.read`` + ``build_report``
+ every rule (``runner.check_file``) + the ``parse`` JSON view -- in a worker
process with an address-space limit (RLIMIT_AS) and a wall-clock limit.
Recorded per input: the E codes, internal errors (E009, or any exception that
escapes: a traceback), hangs (the worker killed at the limit: CPU seconds, so
that a machine busy with other work does not turn slow scheduling into
"hangs"; or 20 times the limit in wall time), the CPU time, and
the worker's peak resident memory (ru_maxrss; workers are recycled so the peak
is attributable).  Failing inputs are kept in ``--out``/crashes with their
provenance.

    python bench/fuzz.py --count 2000 --seed 1 --jobs 2            # a run
    python bench/fuzz.py --seed 1 --only 1234 --keep /tmp/x         # rebuild input 1234
    nice -n 19 python bench/fuzz.py --count 100000 --seed 7 --out bench/fuzz-out

The test suite runs a bounded slice (tests/test_fuzz_slice.py).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import pathlib
import random
import re
import select
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FORMATS = ("docx", "odt", "ofd", "pdf", "html", "txt")
ZIP_FORMATS = ("docx", "odt", "ofd")
MEMORY_GOAL = 1024 * 1024 * 1024  # issue 13: peak memory under 1 GiB for any input

# values that broke parsers of numbers, counts and coordinates before
INTERESTING = ["abc", "-1", "-15", "0", "1.5", "NaN", "nan", "inf", "-inf", "1e400", "1e308", "999999999",
               "1000000000", "99999999999999999999", "", " ", "٣", "１２", "0x10", "+5", "1,5", "\u0000",
               "1" * 400, "-0", "00000000001"]
INTERESTING_BYTES = [b"\x00", b"\xff", b"\xff\xfe", b"\xef\xbb\xbf", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;",
                     b"]]>", b"<![CDATA[", b"\t" * 64, b" " * 4096, b"|" * 64, b"-" * 64, b"%PDF-1.7", b"%%EOF",
                     b"PK\x03\x04", b"\r", b"\n" * 32, "一、".encode(), "（一）".encode(), "\ufffd".encode()]


# -- seeds ---------------------------------------------------------------------------

def seed_files(max_bytes: int = 400_000) -> dict[str, list[pathlib.Path]]:
    found: dict[str, list[pathlib.Path]] = {f: [] for f in FORMATS}
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file() or "hostile" in path.parts or "fuzz" in path.parts:
            continue
        ext = path.suffix.lower().lstrip(".")
        ext = {"htm": "html", "md": "txt"}.get(ext, ext)
        if ext in found and path.stat().st_size <= max_bytes:
            found[ext].append(path)
    return {k: v for k, v in found.items() if v}


# -- mutations -----------------------------------------------------------------------

def mutate_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    buf = bytearray(data)
    ops = []
    for _ in range(rng.choice((1, 1, 2, 3, 8))):
        op = rng.choice(("flip", "set", "insert", "delete", "truncate", "duplicate", "interesting"))
        if not buf:
            buf += b"\x00"
        at = rng.randrange(len(buf))
        if op == "flip":
            buf[at] ^= 1 << rng.randrange(8)
        elif op == "set":
            buf[at] = rng.randrange(256)
        elif op == "insert":
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == "delete":
            del buf[at:at + rng.randint(1, 256)]
        elif op == "truncate":
            del buf[at:]
        elif op == "duplicate":
            length = rng.randint(1, 4096)
            buf[at:at] = buf[at:at + length] * rng.randint(1, 8)
        else:
            buf[at:at] = rng.choice(INTERESTING_BYTES)
        ops.append(f"{op}@{at}")
    return bytes(buf), "bytes:" + ",".join(ops)


_ATTR = re.compile(rb'(\s[\w:.-]+=")([^"]{0,64})(")')
_ELEMENT = re.compile(rb"<([\w:.-]+)(?:\s[^<>]*)?>[^<]{0,200}</\1>|<[\w:.-]+(?:\s[^<>]*)?/>")


def mutate_markup(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Markup-aware edits on XML or HTML text (regex-level, so that broken
    input can be produced too)."""
    ops = []
    for _ in range(rng.choice((1, 1, 2, 4))):
        op = rng.choice(("attr", "attr", "attr", "del-element", "dup-element", "nest", "cut-tag", "text",
                         "numbers"))
        if op == "attr":
            attrs = list(_ATTR.finditer(data))
            if not attrs:
                continue
            m = rng.choice(attrs)
            value = rng.choice(INTERESTING).encode("utf-8")
            data = data[:m.start(2)] + value + data[m.end(2):]
            ops.append(f"attr:{m.group(1).strip().decode('utf-8', 'replace')}={value[:12]!r}")
        elif op in ("del-element", "dup-element", "nest"):
            edited = _edit_element(rng, data, op)
            if edited is None:
                continue
            data, at = edited
            ops.append(f"{op}@{at}")
        elif op == "cut-tag":
            positions = [m.start() for m in re.finditer(rb"<", data)]
            if not positions:
                continue
            at = rng.choice(positions)
            data = data[:at] + data[at + rng.randint(1, 12):]
            ops.append(f"cut@{at}")
        elif op == "text":
            positions = [m.end() for m in re.finditer(rb">", data)]
            if not positions:
                continue
            at = rng.choice(positions)
            data = data[:at] + rng.choice(INTERESTING_BYTES + [v.encode() for v in INTERESTING]) + data[at:]
            ops.append(f"text@{at}")
        else:  # change numbers in text content (table values, coordinates)
            nums = list(re.finditer(rb"\d+(?:\.\d+)?", data))
            if not nums:
                continue
            for m in rng.sample(nums, min(len(nums), rng.randint(1, 20))):
                value = rng.choice(INTERESTING).encode("utf-8")
                data = data[:m.start()] + value + data[m.end():] if len(value) == m.end() - m.start() else data
            ops.append("numbers")
    return data, "markup:" + ",".join(ops)


def _edit_element(rng: random.Random, data: bytes, op: str) -> tuple[bytes, int] | None:
    """Delete, duplicate or deeply nest one element; None when there is none."""
    elems = list(_ELEMENT.finditer(data))
    if not elems:
        return None
    m = rng.choice(elems)
    piece = m.group(0)
    if op == "del-element":
        data = data[:m.start()] + data[m.end():]
    elif op == "dup-element":
        data = data[:m.start()] + piece * rng.choice((2, 3, 50, 2000)) + data[m.end():]
    else:
        tag = re.match(rb"<([\w:.-]+)", piece).group(1)
        depth = rng.choice((5, 50, 500, 5000))
        data = data[:m.start()] + (b"<" + tag + b">") * depth + piece + (b"</" + tag + b">") * depth + \
            data[m.end():]
    return data, m.start()


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def _zip(items: list[tuple[str, bytes, int]]) -> bytes:
    import warnings

    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as zf:
        warnings.simplefilter("ignore")  # duplicate member names are one of the mutations
        for name, data, method in items:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = method
            zf.writestr(info, data)
    return out.getvalue()


def mutate_zip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    items = [(i.filename, d, i.compress_type) for i, d in _members(data)]
    xml = [n for n, (name, _, _) in enumerate(items) if name.endswith((".xml", ".rels"))]
    ops = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        op = rng.choice(("markup", "markup", "markup", "markup", "drop", "dup", "rename", "swap", "truncate",
                         "garbage", "empty", "stored"))
        if not items:
            break
        n = rng.choice(xml) if xml and op in ("markup", "truncate", "empty") else rng.randrange(len(items))
        name, body, method = items[n]
        if op == "markup":
            body, how = mutate_markup(rng, body)
            items[n] = (name, body, method)
            ops.append(f"{name}:{how}")
            continue
        if op == "drop":
            del items[n]
            xml = [k for k, (nm, _, _) in enumerate(items) if nm.endswith((".xml", ".rels"))]
        elif op == "dup":
            items.append((name, body, method))
        elif op == "rename":
            items[n] = (rng.choice(("", "/", "../" + name, name.upper(), name + "x", "a" * 300)), body, method)
        elif op == "swap":
            m = rng.randrange(len(items))
            items[n], items[m] = (name, items[m][1], method), (items[m][0], body, items[m][2])
        elif op == "truncate":
            items[n] = (name, body[:rng.randrange(len(body) + 1)], method)
        elif op == "garbage":
            items[n] = (name, bytes(rng.randrange(256) for _ in range(rng.randint(0, 2048))), method)
        elif op == "empty":
            items[n] = (name, b"", method)
        else:
            items[n] = (name, body, zipfile.ZIP_STORED if method == zipfile.ZIP_DEFLATED else zipfile.ZIP_DEFLATED)
        ops.append(f"{op}:{name}")
    out = _zip(items)
    if rng.random() < 0.15:  # a lying or odd central directory
        out, how = _lie(rng, out)
        ops.append(how)
    return out, "zip:" + ",".join(ops)


def _lie(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    import struct

    buf = bytearray(data)
    entries = [m.start() for m in re.finditer(rb"PK\x01\x02", buf)]
    if not entries:
        return data, "lie:none"
    pos = rng.choice(entries)
    field = rng.choice(("size", "csize", "method", "version", "flags", "offset"))
    local = struct.unpack_from("<I", buf, pos + 42)[0]
    try:
        if field == "size":
            value = rng.choice((0, 1, 100, 2 ** 31, 2 ** 32 - 1))
            struct.pack_into("<I", buf, pos + 24, value)
            if local + 26 <= len(buf):
                struct.pack_into("<I", buf, local + 22, value)
        elif field == "csize":
            struct.pack_into("<I", buf, pos + 20, rng.choice((0, 1, 2 ** 32 - 1)))
        elif field == "method":
            value = rng.choice((1, 9, 12, 14, 93, 98, 99, 77))
            struct.pack_into("<H", buf, pos + 10, value)
            if local + 10 <= len(buf):
                struct.pack_into("<H", buf, local + 8, value)
        elif field == "version":
            value = rng.choice((64, 99, 255, 65535))
            struct.pack_into("<H", buf, pos + 6, value)
        elif field == "flags":
            struct.pack_into("<H", buf, pos + 8, rng.choice((1, 8, 0x40, 0x2000, 0xFFFF)))
        else:
            struct.pack_into("<I", buf, pos + 42, rng.choice((0, 1, len(buf) - 10, 2 ** 32 - 1)))
    except struct.error:
        pass
    return bytes(buf), f"lie:{field}"


def mutate_text(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = data.split(b"\n")
    ops = []
    for _ in range(rng.choice((1, 2, 4))):
        op = rng.choice(("dup-line", "del-line", "tabs", "pipes", "spaces", "numbers", "encoding", "long"))
        n = rng.randrange(len(lines))
        if op == "dup-line":
            lines[n:n] = [lines[n]] * rng.choice((2, 10, 1000))
        elif op == "del-line":
            del lines[n:n + rng.randint(1, 20)]
            if not lines:
                lines = [b""]
        elif op == "tabs":
            lines[n] = lines[n].replace(b" ", b"\t") + b"\t" * rng.choice((1, 3, 100))
        elif op == "pipes":
            lines[n] = b"|" + lines[n].replace(b" ", b"|") + b"|"
            if rng.random() < 0.5:
                lines.insert(n + 1, b"|" + b"---|" * rng.randint(1, 30))
        elif op == "spaces":
            lines[n] = b" " * rng.choice((100, 5000, 40000)) + lines[n]
        elif op == "numbers":
            lines[n] = re.sub(rb"\d+", lambda m: rng.choice(INTERESTING).encode("utf-8"), lines[n])
        elif op == "encoding":
            try:
                text = b"\n".join(lines).decode("utf-8")
                enc = rng.choice(("gb18030", "utf-16", "utf-8-sig", "big5", "latin-1"))
                return text.encode(enc, "replace"), f"text:encoding={enc}"
            except UnicodeDecodeError:
                pass
        else:
            lines[n] = lines[n] * rng.choice((50, 500))
        ops.append(f"{op}@{n}")
    return b"\n".join(lines), "text:" + ",".join(ops)


def make_input(seed: int, index: int, seeds: dict[str, list[pathlib.Path]]) -> tuple[str, bytes, dict]:
    """Input ``index`` of run ``seed``: (extension, bytes, provenance)."""
    rng = random.Random(f"{seed}:{index}")
    formats = sorted(seeds)
    fmt = formats[index % len(formats)]  # round robin: every format gets its share
    source = rng.choice(seeds[fmt])
    data = source.read_bytes()
    ext = source.suffix.lower()
    level = rng.random()
    if fmt in ZIP_FORMATS and level < 0.7:
        try:
            data, how = mutate_zip(rng, data)
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            how = f"zip-failed:{exc}"
    elif fmt in ("html", "pdf") and level < 0.6:
        data, how = mutate_markup(rng, data)
    elif fmt == "txt" and level < 0.6:
        data, how = mutate_text(rng, data)
    else:
        data, how = mutate_bytes(rng, data)
    return ext, data, {"index": index, "seed": seed, "format": fmt, "source": str(source.relative_to(ROOT)),
                       "mutation": how[:500], "sha1": hashlib.sha1(data).hexdigest()}


# -- worker ---------------------------------------------------------------------------

def worker(memory_limit: int) -> None:
    """Read paths from stdin, check each, answer one JSON line per path."""
    import resource
    import traceback

    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 3000))
    from xxgk_lint.linter.explain import explain_json
    from xxgk_lint.linter.registry import load_registry
    from xxgk_lint.linter.runner import Settings, check_file

    registry = load_registry(include_plugins=False)
    settings = Settings()
    rules = settings.rules_for("x.txt", registry)
    for line in sys.stdin:
        path = line.rstrip("\n")
        started, cpu = time.perf_counter(), time.process_time()
        answer: dict = {}
        try:
            result = check_file(path, registry, rules, settings)
            codes = sorted({d.code for d in result.diagnostics})
            answer["codes"] = [c for c in codes if c.startswith("E")]
            answer["findings"] = len(result.diagnostics)
            internal = [d for d in result.diagnostics if d.code == "E009"]
            if internal:
                answer["internal"] = str(internal[0].message)[:400]
            memory = [d for d in result.diagnostics if (d.data or {}).get("reason") == "memory"]
            if memory:
                answer["memory_error"] = True
            if result.report is not None:
                json.dumps(explain_json(result.report), ensure_ascii=False, default=str)  # the parse view
        except BaseException as exc:  # noqa: BLE001 -- exactly what the fuzzer looks for
            answer["traceback"] = "".join(traceback.format_exception(exc))[-2000:]
        answer["seconds"] = round(time.perf_counter() - started, 3)
        answer["cpu"] = round(time.process_time() - cpu, 3)
        answer["maxrss"] = _peak_memory()
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def _peak_memory() -> int:
    """The worker's peak resident memory so far (VmHWM: this process image only)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Worker:
    def __init__(self, memory_limit: int):
        self.memory_limit = memory_limit
        self.proc = None
        self.done = 0
        self.start()

    def start(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", "--memory", str(self.memory_limit)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, env=env)
        self.done = 0
        self.baseline = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def submit(self, path: str) -> None:
        self.cpu_at_submit = self.cpu()
        self.proc.stdin.write(path + "\n")
        self.proc.stdin.flush()

    def cpu(self) -> float:
        """CPU seconds the worker has used: on a machine shared with other work
        a slow input is one that computes long, not one that waits for a core."""
        try:
            with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    def overdue(self, since: float, timeout: float) -> bool:
        """Over the limit: ``timeout`` CPU seconds, or 20 times that in wall time."""
        if time.time() - since > 20 * timeout:
            return True
        return time.time() - since > timeout and self.cpu() - self.cpu_at_submit > timeout

    def answer(self, timeout: float) -> dict | None:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        if not line:
            return {"died": self.proc.poll()}
        return json.loads(line)


def run(seed: int, start: int, count: int, jobs: int, timeout: float, memory_limit: int, out: pathlib.Path | None,
        recycle: int = 300, deadline: float | None = None, progress: bool = True,
        max_seed_bytes: int = 400_000) -> dict:
    seeds = seed_files(max_seed_bytes)
    tmp = tempfile.TemporaryDirectory(prefix="xxgk-fuzz-")
    workers = [Worker(memory_limit) for _ in range(jobs)]
    busy: dict[int, tuple[dict, str, float]] = {}
    stats = {"seed": seed, "start": start, "inputs": 0, "by_format": {}, "internal_errors": 0, "tracebacks": 0,
             "hangs": 0, "memory_errors": 0, "over_memory_goal": 0, "peak_memory": 0, "peak_memory_input": None,
             "slowest": 0.0, "slowest_input": None, "e_codes": {}, "failures": []}
    log = None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "crashes").mkdir(exist_ok=True)
        log = open(out / f"results-{seed}.jsonl", "a", encoding="utf-8")
    began = time.time()
    next_index = start
    try:
        while True:
            stop_feeding = next_index >= start + count or (deadline is not None and time.time() > deadline)
            for n, w in enumerate(workers):
                if n not in busy and not stop_feeding:
                    ext, data, meta = make_input(seed, next_index, seeds)
                    path = os.path.join(tmp.name, f"in-{n}{ext}")
                    with open(path, "wb") as handle:
                        handle.write(data)
                    w.submit(path)
                    busy[n] = (meta, path, time.time())
                    next_index += 1
                    stop_feeding = next_index >= start + count or (deadline is not None and time.time() > deadline)
            if not busy:
                break
            for meta, path, answer in _collect(busy, workers, timeout, recycle):
                _record(stats, meta, answer, path, out, log)
            if progress and stats["inputs"] % 200 == 0 and stats["inputs"]:
                rate = stats["inputs"] / max(time.time() - began, 1e-9)
                print(f"{stats['inputs']} inputs, {rate:.1f}/s, internal {stats['internal_errors']}, "
                      f"tracebacks {stats['tracebacks']}, hangs {stats['hangs']}, "
                      f"peak {stats['peak_memory'] // 1048576} MiB", file=sys.stderr, flush=True)
    finally:
        for w in workers:
            w.stop()
        tmp.cleanup()
        stats["seconds"] = round(time.time() - began, 1)
        if log is not None:
            log.close()
            (out / f"summary-{seed}.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1), "utf-8")
    return stats


def _collect(busy: dict[int, tuple[dict, str, float]], workers: list, timeout: float, recycle: int):
    """The answers ready now, each as (meta, path, answer), its worker freed (``busy``
    loses it); a hung or dead worker is restarted, a worker that has run ``recycle``
    inputs too."""
    for n in list(busy):
        meta, path, since = busy[n]
        w = workers[n]
        answer = w.answer(0.05 if len(busy) > 1 else 0.5)
        if answer is None and not w.overdue(since, timeout):
            continue
        del busy[n]
        if answer is None:
            answer = {"hang": True, "seconds": timeout}
            w.stop()
            w.start()
        elif "died" in answer:
            answer = {"died": answer["died"]}
            w.stop()
            w.start()
        else:
            w.done += 1
        yield meta, path, answer
        if w.done >= recycle:  # a fresh process: peak memory stays attributable
            w.stop()
            w.start()


def _record(stats: dict, meta: dict, answer: dict, path: str, out: pathlib.Path | None, log) -> None:
    stats["inputs"] += 1
    fmt = meta["format"]
    stats["by_format"][fmt] = stats["by_format"].get(fmt, 0) + 1
    for code in answer.get("codes", []):
        stats["e_codes"][code] = stats["e_codes"].get(code, 0) + 1
    seconds = answer.get("cpu", answer.get("seconds", 0.0))
    if seconds > stats["slowest"]:
        stats["slowest"], stats["slowest_input"] = seconds, meta["index"]
    rss = answer.get("maxrss", 0)
    if rss > stats["peak_memory"]:
        stats["peak_memory"], stats["peak_memory_input"] = rss, meta["index"]
    failure = None
    if "internal" in answer:
        stats["internal_errors"] += 1
        failure = "internal"
    if "traceback" in answer or "died" in answer:
        stats["tracebacks"] += 1
        failure = "traceback"
    if answer.get("hang"):
        stats["hangs"] += 1
        failure = "hang"
    if answer.get("memory_error"):
        stats["memory_errors"] += 1
        failure = "memory"
    if rss > MEMORY_GOAL:
        stats["over_memory_goal"] += 1
        failure = failure or "memory"
    record = dict(meta, **answer)
    if log is not None:
        log.write(json.dumps(record, ensure_ascii=False) + "\n")
    if failure:
        stats["failures"].append({"index": meta["index"], "kind": failure, "format": fmt,
                                  "mutation": meta["mutation"][:200],
                                  "detail": (answer.get("internal") or answer.get("traceback") or "")[-300:]})
        if out is not None:
            name = f"{failure}-{meta['seed']}-{meta['index']}{pathlib.Path(path).suffix}"
            with open(path, "rb") as src, open(out / "crashes" / name, "wb") as dst:
                dst.write(src.read())
            (out / "crashes" / (name + ".json")).write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="first input index")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="CPU seconds per input before it counts as a hang (or 20 times that in wall time)")
    parser.add_argument("--memory", type=int, default=3 * 1024 ** 3, help="RLIMIT_AS of a worker, in bytes")
    parser.add_argument("--minutes", type=float, default=None, help="stop feeding inputs after this long")
    parser.add_argument("--out", type=pathlib.Path, default=None)
    parser.add_argument("--only", type=int, default=None, help="write input N (with --keep) instead of running")
    parser.add_argument("--keep", type=pathlib.Path, default=None)
    parser.add_argument("--max-seed-bytes", type=int, default=400_000, help="leave out larger seed documents")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.memory)
        return 0
    if args.only is not None:
        ext, data, meta = make_input(args.seed, args.only, seed_files(args.max_seed_bytes))
        target = args.keep or pathlib.Path(f"fuzz-{args.seed}-{args.only}{ext}")
        if target.suffix != ext:
            target = target.with_suffix(ext)
        target.write_bytes(data)
        print(json.dumps(meta, ensure_ascii=False))
        return 0
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the workers on the way out
    deadline = time.time() + args.minutes * 60 if args.minutes else None
    stats = run(args.seed, args.start, args.count, args.jobs, args.timeout, args.memory, args.out,
                deadline=deadline, max_seed_bytes=args.max_seed_bytes)
    summary = {k: v for k, v in stats.items() if k != "failures"}
    summary["failures"] = stats["failures"][:20]
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    bad = stats["internal_errors"] + stats["tracebacks"] + stats["hangs"] + stats["memory_errors"] + \
        stats["over_memory_goal"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
