"""A bounded, seeded slice of bench/fuzz.py (issue 13): mutated documents of
every format through read + check + the parse view in worker processes with a
memory and a CPU-time limit -- no internal error, no traceback, no hang, peak
memory under 1 GiB.  The full run and its figures: docs/reliability.md."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _fuzz():
    spec = importlib.util.spec_from_file_location("xxgk_fuzz", ROOT / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_inputs_are_reproducible():
    fuzz = _fuzz()
    seeds = fuzz.seed_files(60_000)
    assert set(seeds) == set(fuzz.FORMATS)
    for index in (0, 7, 101):
        assert fuzz.make_input(5, index, seeds) == fuzz.make_input(5, index, seeds)
    assert fuzz.make_input(5, 1, seeds)[2]["sha1"] != fuzz.make_input(6, 1, seeds)[2]["sha1"]


def test_seeded_slice_has_no_internal_error_hang_or_memory_blowup():
    fuzz = _fuzz()
    # small seeds only (the large PDFs take seconds each); the long run uses all
    stats = fuzz.run(seed=13, start=0, count=240, jobs=2, timeout=20, memory_limit=3 * 1024 ** 3, out=None,
                     progress=False, max_seed_bytes=60_000)
    assert stats["inputs"] == 240
    assert set(stats["by_format"]) == set(fuzz.FORMATS)
    assert stats["failures"] == []
    assert stats["internal_errors"] == stats["tracebacks"] == stats["hangs"] == 0
    assert stats["peak_memory"] < fuzz.MEMORY_GOAL
    assert stats["e_codes"].get("E007", 0) > 0  # the mutations do reach the damaged-file paths
