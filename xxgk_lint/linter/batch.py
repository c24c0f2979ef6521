"""Checking many files: a process pool, the result cache, and pairing reports
of the same agency in consecutive years for the X rules.

Phase 1 checks every file on its own (in worker processes, or in this process
with ``jobs=1``).  A worker returns a plain, JSON-ready *entry* -- the
serialised findings, a small :class:`DocumentView` with only what reporters
need, and the report's (agency, year) -- never the Document or Report.  The
parent keeps each entry zlib-compressed (:class:`Results` decodes one file at
a time for the reporter), so its memory grows by a few KB per file.  The same
entry is what the cache stores (entries and results: ``batchentries.py``).

Phase 2 pairs reports: ``--previous`` names the previous report of the single
checked file; otherwise reports with the same agency name (normalised) and
consecutive years are paired, the earlier one becoming ``report.previous``
of the later one.  A paired file is checked again with all its rules and the
previous report's model set; that result replaces its phase-1 result, so
suppression comments and U100 see the X findings too.  A series of one agency
is one task: each report of it is parsed once in phase 2.  When an agency has
two reports for the same year, neither is paired with its neighbours (which
one is "the" report is unknown).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from .batchentries import Finding, Results, _is_int, _pack, agency_key, light, to_entry, valid_entry

# below this many files to check, a pool costs more than it saves (start-up
# of a worker is about one import of the package) unless --jobs asks for it
MIN_POOL_FILES = 16


# ---------------------------------------------------------------- workers

_WORKER_REGISTRY = None


def _init_worker() -> None:
    global _WORKER_REGISTRY
    from .registry import load_registry

    _WORKER_REGISTRY = load_registry()


def _rules(registry, codes):
    return [registry.rules[c] for c in codes if c in registry.rules]


# after a file's time limit, how long a worker process may still take to stop
# (the SIGALRM cannot interrupt C code that never returns to Python) before
# it ends itself; the parent then checks that chunk's files one per process
GRACE_SECONDS = 5.0
WATCHDOG_EXIT = 86  # the exit status of a worker ended by its watchdog


def _watchdog(timeout: float | None):
    """In a worker process: a timer that ends the process when a file's check
    outlives ``timeout`` by GRACE_SECONDS.  None in the main process."""
    if not timeout or _WORKER_REGISTRY is None:
        return None
    import threading

    timer = threading.Timer(timeout + GRACE_SECONDS, os._exit, args=(WATCHDOG_EXIT,))
    timer.daemon = True
    timer.start()
    return timer


def check_many(items: list[tuple[int, str, Any, list[str]]], timeout: float | None = None,
               registry=None) -> list[tuple[int, dict]]:
    """Phase 1: (index, path, settings, rule codes) -> (index, entry).
    Each file has ``timeout`` seconds (the worker's main thread is
    interrupted: see runner.time_limit; a worker that does not stop ends
    itself, see _watchdog)."""
    from .runner import check_file

    registry = registry or _WORKER_REGISTRY
    out = []
    for index, path, settings, codes in items:
        timer = _watchdog(timeout)
        try:
            result = check_file(path, registry, _rules(registry, codes), settings, timeout=timeout)
        finally:
            if timer is not None:
                timer.cancel()
        out.append((index, to_entry(result)))
    return out


def check_series(context: str, items: list[tuple[int, str, Any, list[str]]], timeout: float | None = None,
                 registry=None) -> list[tuple[int, dict]]:
    """Phase 2: check ``items`` in order, each with the one before it (the
    first with ``context``) as its previous report."""
    from .runner import check_file, parse_file

    registry = registry or _WORKER_REGISTRY
    previous = parse_file(context, timeout)
    out = []
    for index, path, settings, codes in items:
        result = check_file(path, registry, _rules(registry, codes), settings, previous=previous, timeout=timeout)
        out.append((index, to_entry(result)))
        previous = result.report
    return out


# ---------------------------------------------------------------- the run

@dataclass
class Job:
    path: str
    settings: Any
    codes: list[str]
    hash: str | None = None
    key: str | None = None  # phase-1 cache key


class Batch:
    """Runs the checks of ``files`` [(path, Settings)]; see the module docstring."""

    def __init__(self, files, registry, jobs: int | None = None, cache=None, previous: str | None = None,
                 need_lines: bool = True, progress: Callable[[int, int], None] | None = None,
                 timeout: float | None = None):
        self.registry, self.cache, self.previous = registry, cache, previous
        self.timeout = timeout
        self.jobs = jobs
        self.need_lines = need_lines
        self.progress = progress or (lambda done, total: None)
        # rules_for matches every rule against the selectors: do it once per
        # distinct (select, ignores of the file, severity) -- all it depends on;
        # the path only through Settings.ignores_for -- not once per file
        chosen: dict[tuple, list[str]] = {}

        def codes(path, settings) -> list[str]:
            key = (tuple(settings.select), tuple(settings.ignores_for(path)), tuple(sorted(settings.severity.items())))
            if key not in chosen:
                chosen[key] = [r.code for r in settings.rules_for(path, registry)]
            return list(chosen[key])

        self.jobs_list = [Job(p, s, codes(p, s)) for p, s in files]
        self._pool = None
        self.done = 0
        self.total = len(self.jobs_list)

    # -- public

    def run(self) -> Results:
        count = len(self.jobs_list)
        self._packed: list[bytes] = [b""] * count
        self._light: list[list[Finding]] = [[] for _ in range(count)]
        try:
            pairs = self._phase1()
            self._phase2(pairs)
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
        return Results([job.path for job in self.jobs_list], self._packed, self._light, self.need_lines)

    def _keep(self, index: int, entry: dict) -> None:
        """Store a file's entry compressed (memory stays small per file)."""
        self._packed[index] = _pack(entry)
        self._light[index] = light(entry)

    # -- phases

    def _phase1(self) -> list:
        """Check every file on its own; returns each file's (agency, year) or None."""
        from .cache import make_key, settings_id

        pairs: list = [None] * len(self.jobs_list)
        engine = self._engine()
        todo = []
        for i, job in enumerate(self.jobs_list):
            entry = None
            if self.cache is not None:
                job.hash = self._hash(job.path)
                if job.hash is not None:
                    job.key = make_key(engine, settings_id(job.settings, job.codes),
                                       os.path.splitext(job.path)[1].lower(), job.hash)
                    entry = self.cache.get(job.key, engine, valid_entry)
            if entry is None:
                todo.append((i, job.path, job.settings, job.codes))
            else:
                self._keep(i, entry)
                pairs[i] = entry.get("pair")
        self._advance(len(self.jobs_list) - len(todo))
        for index, entry in self._execute(todo):
            self._keep(index, entry)
            pairs[index] = entry.get("pair")
            job = self.jobs_list[index]
            if self.cache is not None and job.key and entry.get("cacheable"):
                self.cache.put(job.key, entry, engine)
        return pairs

    def _phase2(self, pairs: list) -> None:
        from .cache import make_key

        links = self._links(pairs)  # index -> previous (index or path)
        if not links:
            return
        tasks: list[tuple[str, list]] = []  # (context path, items to recheck in order)
        keys: dict[int, str] = {}
        for chain in self._chains(links):
            current: list | None = None
            for i in chain:
                prev = links[i]
                prev_path = prev if isinstance(prev, str) else self.jobs_list[prev].path
                job = self.jobs_list[i]
                cached = None
                if self.cache is not None and job.key:
                    prev_hash = self._hash(prev_path) if isinstance(prev, str) else self.jobs_list[prev].hash
                    if prev_hash:
                        keys[i] = make_key(job.key, "previous", prev_hash, prev_path)
                        cached = self.cache.get(keys[i], self._engine(), valid_entry)
                if cached is not None:
                    self._keep(i, cached)
                    current = None
                    continue
                item = (i, job.path, job.settings, job.codes)
                if current is not None:
                    current.append(item)
                else:
                    current = [item]
                    tasks.append((prev_path, current))
        self.total += sum(len(items) for _, items in tasks)
        self._advance(0)
        for index, entry in self._execute_series(tasks):
            self._keep(index, entry)
            if self.cache is not None and index in keys and entry.get("cacheable"):
                self.cache.put(keys[index], entry, self._engine())

    def _links(self, pairs: list) -> dict[int, int | str]:
        """index -> the index of its previous report in this run (or the
        --previous file, or its report in the --previous folder)."""
        x_codes = {c for c in self.registry.rules if c.startswith("X")}
        wants = [bool(x_codes & set(job.codes)) for job in self.jobs_list]
        if self.previous and not os.path.isdir(self.previous):
            return {i: self.previous for i in range(len(self.jobs_list)) if wants[i]}
        by_key: dict[tuple[str, int], list[int]] = {}
        for i, pair in enumerate(pairs):
            if pair:
                by_key.setdefault((pair[0], pair[1]), []).append(i)
        links = {}
        for (agency, year), found in by_key.items():
            before = by_key.get((agency, year - 1))
            if len(found) == 1 and before and len(before) == 1 and wants[found[0]]:
                links[found[0]] = before[0]
        unpaired = [i for i, pair in enumerate(pairs) if pair and wants[i] and i not in links]
        if self.previous and unpaired:  # a folder: last year's report of each agency, where this run has none
            index = previous_index(self.previous, self.timeout, self.cache, self._engine())
            checked = {_same(job.path) for job in self.jobs_list}
            for i in unpaired:
                found = [p for p in index.get((pairs[i][0], pairs[i][1] - 1), []) if _same(p) not in checked]
                if len(found) == 1:  # two reports for that year: which one is "the" report is unknown
                    links[i] = found[0]
        return links

    @staticmethod
    def _chains(links: dict[int, int | str]) -> list[list[int]]:
        """Paired indexes grouped into series, earliest first."""
        heads = [i for i in links if not (isinstance(links[i], int) and links[i] in links)]
        nexts = {p: i for i, p in links.items() if isinstance(p, int)}
        chains = []
        for head in sorted(heads):
            chain, i = [head], head
            while i in nexts:
                i = nexts[i]
                chain.append(i)
            chains.append(chain)
        return chains

    # -- execution

    # generators: each result is stored (compressed) as soon as it arrives

    def _execute(self, todo: list) -> Iterator[tuple[int, dict]]:
        if not self._use_pool(len(todo)):
            for item in todo:
                yield from check_many([item], self.timeout, self.registry)
                self._advance(1)
            return
        size = max(1, min(16, len(todo) // (self._workers() * 4)))
        chunks = [todo[k:k + size] for k in range(0, len(todo), size)]
        yield from self._gather([(check_many, (chunk, self.timeout)) for chunk in chunks], [len(c) for c in chunks])

    def _execute_series(self, tasks: list) -> Iterator[tuple[int, dict]]:
        count = sum(len(items) for _, items in tasks)
        if not self._use_pool(count) or len(tasks) < 2:
            for context, items in tasks:
                yield from check_series(context, items, self.timeout, self.registry)
                self._advance(len(items))
            return
        yield from self._gather([(check_series, (context, items, self.timeout)) for context, items in tasks],
                                [len(items) for _, items in tasks])

    def _gather(self, calls, sizes) -> Iterator[tuple[int, dict]]:
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        pool = self._get_pool()
        futures = {pool.submit(fn, *args): k for k, (fn, args) in enumerate(calls)}
        failed = []
        for future in as_completed(futures):
            k = futures.pop(future)  # drop the future (and its result) once used
            try:
                done = future.result()
            except BrokenProcessPool:
                failed.append(k)  # a worker died (out of memory?): redo here
                continue
            yield from done
            self._advance(sizes[k])
        for k in sorted(failed):
            fn, args = calls[k]
            if fn is check_many:
                # a worker died: out of memory, or stuck past its time limit;
                # each of its files again in a process of its own, which is
                # ended when it outlives the limit -- never in this process
                for item in args[0]:
                    yield self._isolated(item)
            else:
                yield from fn(*args, registry=self.registry)
            self._advance(sizes[k])

    def _isolated(self, item) -> tuple[int, dict]:
        """Check one file in a new worker process; an E013 finding when the
        process outlives the time limit (it is killed) or dies."""
        import multiprocessing
        import time
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures import TimeoutError as FutureTimeout
        from concurrent.futures.process import BrokenProcessPool

        from .runner import _finish, _timed_out, _worker_died

        index, path = item[0], item[1]
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker)
        started = time.monotonic()
        try:
            # start-up of a worker (imports) is not the file's time
            wait = self.timeout + GRACE_SECONDS + 60 if self.timeout else None
            return pool.submit(check_many, [item], self.timeout).result(timeout=wait)[0]
        except (FutureTimeout, BrokenProcessPool):
            took = time.monotonic() - started
            stopped = bool(self.timeout) and took >= self.timeout
            result = _timed_out(path, self.timeout) if stopped else _worker_died(path)
            return index, to_entry(_finish(result, self.registry))
        finally:
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def _workers(self) -> int:
        return max(1, self.jobs or os.cpu_count() or 1)

    def _use_pool(self, count: int) -> bool:
        workers = self._workers()
        if workers <= 1 or count < 2:
            return False
        return self.jobs is not None or count >= MIN_POOL_FILES

    def _get_pool(self):
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn: workers start clean (no inherited locks from the
            # progress bar's thread); they load the registry once
            self._pool = ProcessPoolExecutor(max_workers=self._workers(),
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker)
        return self._pool

    # -- helpers

    def _advance(self, n: int) -> None:
        self.done += n
        self.progress(self.done, self.total)

    def _engine(self) -> str:
        if self.cache is None:
            return ""
        if getattr(self, "_engine_id", None) is None:
            from .cache import engine_id

            self._engine_id = engine_id(self.registry)  # walks the package's files: once per run
        return self._engine_id

    def _hash(self, path: str) -> str | None:
        from .cache import file_hash

        return file_hash(path)


def _same(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _valid_pair_entry(entry) -> bool:
    pair = entry.get("pair")
    return pair is None or (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
                            and _is_int(pair[1]))


def previous_index(folder: str, timeout: float | None = None, cache=None, engine: str = "") -> dict:
    """(agency, year) -> the report files of the folder (walked like a checked
    folder) with that agency and year.  Each file is parsed once; with a
    cache, its (agency, year) is kept under its content hash, so the
    pre-commit hook does not parse last year's reports at every commit."""
    from .cache import file_hash, make_key
    from .runner import iter_files, parse_file

    index: dict[tuple[str, int], list[str]] = {}
    for path in iter_files([folder]):
        digest = file_hash(path)
        if digest is None:
            continue  # not a regular or readable file: not a candidate
        key = make_key(engine, "agency", os.path.splitext(path)[1].lower(), digest) if cache is not None else None
        entry = cache.get(key, engine, _valid_pair_entry) if key else None
        if entry is None:
            entry = {"pair": list(agency_key(parse_file(path, timeout)) or []) or None}
            if key:
                cache.put(key, entry, engine)
        if entry["pair"]:
            index.setdefault((entry["pair"][0], entry["pair"][1]), []).append(path)
    return index


def previous_for(path: str, previous: str | None, timeout: float | None = None) -> str | None:
    """The previous report of ``path`` for ``--previous``: the file itself, or
    for a folder the one report of the same agency a year earlier in it."""
    from .runner import parse_file

    if not previous or not os.path.isdir(previous):
        return previous
    key = agency_key(parse_file(path, timeout))
    if key is None:
        return None
    found = [p for p in previous_index(previous, timeout).get((key[0], key[1] - 1), []) if _same(p) != _same(path)]
    return found[0] if len(found) == 1 else None


def run(files, registry, **options) -> Results:
    """Check ``files`` [(path, Settings)]; results in input order."""
    return Batch(files, registry, **options).run()
