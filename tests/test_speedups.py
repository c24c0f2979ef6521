"""The shortcuts taken for speed give the same answers as the long way.

Label patterns are compiled only for keys whose squeezed form occurs in the
squeezed text (tables, leftover labels); plugins are looked for with
importlib.metadata only when an entry_points.txt names the group; start-up
data is cached only in a directory no other user can write.  If a pattern
gains a new kind of gap, these tests fail until the squeeze learns it too.
"""

from __future__ import annotations

import os
import random
import sys

import pytest

from xxgk_lint.linter import datacache, registry, tabletokens
from xxgk_lint.linter.ntext import fold_key
from xxgk_lint.linter.templates import load
from xxgk_lint.rules import leftover

GAPS = [" ", "\t", "\n", "  ", " 12 ", "\n3.5 ", " -4 ", "\n+7\n", " ١٢ ", "|", " | ", "\u3000", "\xa0"]
MARKS = ['"', ",", ".", ":", "、", "，", ";", "", "[", "]", "(", ")"]


def _printed(key: str, rng: random.Random) -> str:
    """``key`` as a report might print it: marks swapped or dropped, gaps and debris between characters."""
    out = []
    for ch in key:
        if ch in "()" and rng.random() < 0.3:
            ch = {"(": "[", ")": "]"}[ch]
        if ch in ',.:"' and rng.random() < 0.5:
            ch = rng.choice(MARKS)
        out.append(ch)
        if rng.random() < 0.25:
            out.append(rng.choice(GAPS))
        if rng.random() < 0.02:
            out.append(rng.choice("x一0"))
    text = "".join(out)
    if rng.random() < 0.3:
        text = text[:rng.randint(0, len(text))]
    return "".join(rng.choice("a一 \n5(") for _ in range(rng.randint(0, 5))) + text + "尾"


def _labels() -> list[str]:
    templates = load()
    labels = {label for v in templates.versions.values() for t in v.tables.values() for r in t.rows
              for label in (r.label, *r.variants) if label}
    return sorted(labels | {x for v in templates.leftover_labels.values() for x in v})


def test_a_table_key_that_matches_is_in_the_squeezed_text():
    rng = random.Random(11)
    keys = sorted({k for v in load().versions.values() for t in v.tables.values() for r in t.rows
                   for k in tabletokens._row_keys(r)})
    matched = 0
    for _ in range(20000):
        key = rng.choice(keys)
        text = _printed(key, rng)
        if tabletokens._compiled(key).search(text):
            matched += 1
            assert tabletokens._squeezed_key(key) in tabletokens._squeeze(text), (key, text)
    # the test exercises matches, not only misses (fewer since numeric debris between a
    # label's list number and its words no longer matches: issue 12)
    assert matched > 4000


def test_a_leftover_label_that_matches_is_in_the_squeezed_text():
    rng = random.Random(12)
    labels = _labels()
    matched = 0
    for _ in range(20000):
        label = rng.choice(labels)
        key = fold_key(label)
        text = _printed(key, rng)
        regex = leftover._label_regex(label)
        if "|" in key:
            continue  # never pruned
        if regex.search(text):
            matched += 1
            assert key in leftover._squeezed(text), (label, text)
        if regex.match(text):
            assert leftover._squeezed(text).startswith(key), (label, text)
    assert matched > 3000


def _dist(root, name: str, entry_points: str) -> None:
    info = root / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def test_plugins_are_looked_for_only_when_a_distribution_names_the_group(tmp_path, monkeypatch):
    other = tmp_path / "other"
    _dist(other, "unrelated", "[console_scripts]\nx = y:z\n")
    monkeypatch.setattr(sys, "path", [str(other), str(tmp_path / "missing")])
    assert not registry._may_declare_plugins()
    assert list(registry._entry_points()) == []
    pack = tmp_path / "pack"
    _dist(pack, "some_pack", "[xxgk_lint.rules]\nQ = some_pack_rules\n")
    monkeypatch.setattr(sys, "path", [str(other), str(pack)])
    assert registry._may_declare_plugins()
    assert [ep.name for ep in registry._entry_points()] == ["Q"]
    zipped = tmp_path / "lib.zip"
    zipped.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip archive: importlib.metadata would look inside
    monkeypatch.setattr(sys, "path", [str(zipped)])
    assert registry._may_declare_plugins()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="ownership and modes are POSIX")
def test_start_up_data_is_cached_only_where_no_one_else_can_write(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    datacache.directory.cache_clear()
    try:
        found = datacache.directory()
        assert found == str(tmp_path / "xxgk-lint")
        assert os.stat(found).st_mode & 0o777 == 0o700
        os.chmod(found, 0o777)  # open to everyone: not trusted any more
        datacache.directory.cache_clear()
        assert datacache.directory() != found
    finally:
        os.chmod(tmp_path / "xxgk-lint", 0o700)
        datacache.directory.cache_clear()
