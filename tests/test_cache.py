"""The result cache: identical output, no re-check on a hit, corrupt entries ignored."""

import json
import shutil
import time

import pytest

from clihelp import run
from xxgk_lint.linter.cache import FORMAT_VERSION
from conftest import PINGTAN, SEEDS


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    for f in SEEDS + PINGTAN:
        shutil.copy(f, root / f.name)
    return root


def _entries(cache_dir):
    return sorted((cache_dir / ("v" + FORMAT_VERSION)).glob("*/*.json"))


def test_cache_hit_gives_identical_output_without_checking(tree, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    t0 = time.perf_counter()
    first = run("check", tree, "--format", "json", "--cache-dir", cache, "-j", "1")
    cold = time.perf_counter() - t0
    assert len(_entries(cache)) >= 14  # 14 files (+ cross-year entries)
    assert (cache / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")

    from xxgk_lint.linter import runner

    def boom(*args, **kwargs):
        raise AssertionError("a cached file was checked again")

    monkeypatch.setattr(runner, "check_file", boom)
    monkeypatch.setattr(runner, "parse_file", boom)
    t0 = time.perf_counter()
    second = run("check", tree, "--format", "json", "--cache-dir", cache, "-j", "1")
    warm = time.perf_counter() - t0
    assert second == first
    assert warm < cold / 2
    # every format is served from the same entries: text excerpts, csv, sarif
    monkeypatch.undo()
    for fmt in ("text", "csv", "sarif", "junit"):
        fresh = run("check", tree, "--format", fmt, "--no-cache")
        monkeypatch.setattr(runner, "check_file", boom)
        assert run("check", tree, "--format", fmt, "--cache-dir", cache) == fresh, fmt
        monkeypatch.undo()


def test_a_changed_file_or_setting_is_checked_again(tree, tmp_path):
    cache = tmp_path / "cache"
    target = tree / PINGTAN[3].name
    run("check", target, "--format", "json", "--cache-dir", cache)
    target.write_text(target.read_text(encoding="utf-8").replace("平潭综合实验区", "平潭综合实验区管委会", 1),
                      encoding="utf-8")
    after = run("check", target, "--format", "json", "--cache-dir", cache)
    assert after == run("check", target, "--format", "json", "--no-cache")
    only_p = run("check", target, "--format", "json", "--select", "P", "--cache-dir", cache)
    assert {i["code"][0] for i in json.loads(only_p[1])} <= {"P"}
    assert only_p == run("check", target, "--format", "json", "--select", "P", "--no-cache")
    warn = run("check", target, "--format", "json", "--severity", "P201=warning", "--cache-dir", cache)
    assert all(i["severity"] == "warning" for i in json.loads(warn[1]) if i["code"] == "P201")


def test_corrupt_cache_entries_are_ignored(tree, tmp_path):
    cache = tmp_path / "cache"
    first = run("check", tree, "--format", "json", "--cache-dir", cache)
    entries = _entries(cache)
    for n, entry in enumerate(entries):
        entry.write_bytes([b"", b"{not json", b"[]", b'{"diagnostics": 3}', b"\xff\xfe"][n % 5])
    assert run("check", tree, "--format", "json", "--cache-dir", cache) == first
    # the bad entries were replaced by good ones
    assert all(json.loads(e.read_text(encoding="utf-8"))["entry"]["diagnostics"] is not None for e in _entries(cache))


def _rewrite(entry_file, change):
    """Edit a stored entry in place."""
    stored = json.loads(entry_file.read_text(encoding="utf-8"))
    change(stored)
    entry_file.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")


WRONG_SHAPES = [
    lambda s: s["entry"]["diagnostics"].append({"code": 3}),  # a finding of the wrong shape
    lambda s: s["entry"]["diagnostics"].append("A101"),
    lambda s: s["entry"].update(view={"format": "txt"}),  # a view without positions
    lambda s: s["entry"].update(pair="平潭"),
    lambda s: s.update(entry=[]),
    lambda s: s.pop("sha256"),
]


@pytest.mark.parametrize("change", WRONG_SHAPES)
def test_cache_entries_of_the_wrong_shape_are_misses(tree, tmp_path, change):
    """Before: a JSON entry of the wrong shape made the run print a traceback
    and exit 1.  Now it is a miss: the file is checked again."""
    cache = tmp_path / "cache"
    first = run("check", tree, "--format", "json", "--cache-dir", cache, "-j", "1")
    for entry in _entries(cache):
        _rewrite(entry, change)
    assert run("check", tree, "--format", "json", "--cache-dir", cache, "-j", "1") == first


def test_cache_entry_with_emptied_findings_does_not_hide_them(tree, tmp_path):
    """Before: an entry whose findings were emptied hid them.  The checksum
    of the entry's own content no longer matches: a miss."""
    cache = tmp_path / "cache"
    first = run("check", tree, "--format", "json", "--cache-dir", cache, "-j", "1")
    assert json.loads(first[1])
    for entry in _entries(cache):
        _rewrite(entry, lambda s: s["entry"].update(diagnostics=[]))
    assert run("check", tree, "--format", "json", "--cache-dir", cache, "-j", "1") == first


def test_cache_entry_of_another_engine_is_a_miss(tree, tmp_path):
    cache = tmp_path / "cache"
    first = run("check", tree, "--format", "json", "--cache-dir", cache, "-j", "1")

    def other_engine(stored):
        stored["entry"]["diagnostics"] = []
        from xxgk_lint.linter.cache import checksum

        stored["sha256"] = checksum(stored["entry"])  # consistent, but not this engine's
        stored["engine"] = "0" * 64

    for entry in _entries(cache):
        _rewrite(entry, other_engine)
    assert run("check", tree, "--format", "json", "--cache-dir", cache, "-j", "1") == first


def test_no_cache_writes_nothing(tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("XXGK_LINT_CACHE_DIR", raising=False)
    run("check", tree, "--format", "json", "--no-cache")
    assert not (tmp_path / ".xxgk-lint_cache").exists()
    run("check", tree / PINGTAN[0].name, "--format", "json")
    assert (tmp_path / ".xxgk-lint_cache" / ("v" + FORMAT_VERSION)).is_dir()  # default: the current directory


def test_cache_sits_next_to_the_configuration(tree, tmp_path, monkeypatch):
    monkeypatch.delenv("XXGK_LINT_CACHE_DIR", raising=False)
    (tree / "xxgk-lint.toml").write_text('ignore = ["P201"]\n', encoding="utf-8")
    monkeypatch.chdir(tree)
    run("check", PINGTAN[0].name, "--format", "json")
    assert (tree / ".xxgk-lint_cache" / ("v" + FORMAT_VERSION)).is_dir()


def test_unreadable_files_are_not_cached(tmp_path):
    cache = tmp_path / "cache"
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a zip file")
    code, out, _ = run("check", bad, "--format", "json", "--cache-dir", cache)
    assert code == 2 and json.loads(out)[0]["code"].startswith("E")
    assert _entries(cache) == []


def test_unwritable_cache_only_costs_speed(tree, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    code, out, _ = run("check", tree / PINGTAN[0].name, "--format", "json", "--cache-dir", tmp_path / "cache" / "x")
    assert out == run("check", tree / PINGTAN[0].name, "--format", "json", "--no-cache")[1]


def test_baseline_from_cached_results_matches(tree, tmp_path):
    cache = tmp_path / "cache"
    fresh, cached = tmp_path / "fresh.json", tmp_path / "cached.json"
    run("check", tree, "--no-cache", "--write-baseline", fresh)
    run("check", tree, "--cache-dir", cache)  # fill
    run("check", tree, "--cache-dir", cache, "--write-baseline", cached)
    assert json.loads(cached.read_text(encoding="utf-8")) == json.loads(fresh.read_text(encoding="utf-8"))
    code, out, _ = run("check", tree, "--cache-dir", cache, "--baseline", cached, "--format", "json")
    assert json.loads(out) == []
