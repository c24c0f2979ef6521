"""Baselines: accepted findings, for formats that cannot carry comments.

A baseline file lists findings by *fingerprint*: the rule code plus the
finding's structural location (section, table, row, column, identity from
``Diagnostic.data``, the row/column ids of the cells it names) and the text
its span is anchored to, with spaces removed, and (version 2) the values it
is about: the found and computed sides of an identity and the value of every
cell it names.  Line numbers are never part of a fingerprint, so editing a
report above a finding keeps it accepted; changing the anchored text, the
cell it is about, or a value in a row that was already wrong makes it a new
finding.  Version 1 baselines (without values) are still read and matched
with version 1 fingerprints.  Identical fingerprints in one file are
numbered (``#2``...) so that a second copy of a finding is not hidden by the
first one's entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter

BASELINE_VERSION = 2
READABLE_VERSIONS = (1, 2)
STRUCTURAL_KEYS = ("section", "table", "block", "row", "column", "identity", "quantity", "field")
_SPACE = re.compile(r"\s+")


def _values(data: dict) -> list[str]:
    """The values a finding is about (version 2): a changed number in a row
    that was already wrong is a new finding, not the accepted one."""
    parts = [f"{key}={data[key]}" for key in ("found", "computed") if isinstance(data.get(key), (str, int, float))
             and not isinstance(data.get(key), bool)]
    cells = data.get("cells")
    if isinstance(cells, list):
        values = sorted(f"{c.get('report', '')}{c.get('row')}/{c.get('column')}={c.get('value', c.get('raw'))}"
                        for c in cells if isinstance(c, dict) and (c.get("row") or c.get("column")))
        if values:
            parts.append("values=" + ",".join(values))
    return parts


def structural_key(result, diag, version: int = BASELINE_VERSION) -> str:
    """Where a finding is, without line numbers: the structural ids of its
    data, the cells it names, and the text it is anchored to; from version 2
    also the values it is about."""
    data = diag.data or {}
    parts = []
    for key in STRUCTURAL_KEYS:
        value = data.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            parts.append(f"{key}={value}")
    cells = data.get("cells")
    if isinstance(cells, list) and all(isinstance(c, dict) for c in cells):
        ids = sorted({f"{c.get('row')}/{c.get('column')}" for c in cells if c.get("row") or c.get("column")})
        if ids:
            parts.append("cells=" + ",".join(ids))
    if result.document is not None and diag.span is not None:
        anchored = _SPACE.sub("", result.document.text[diag.span.start:diag.span.end])[:100]
        if anchored:
            parts.append("text=" + anchored)
    if version >= 2:
        parts.extend(_values(data))
    return ";".join(parts) or "file"


def fingerprints(result, version: int = BASELINE_VERSION) -> list[str]:
    """One stable fingerprint per diagnostic of ``result`` (same order)."""
    seen: Counter[str] = Counter()
    out = []
    for diag in result.diagnostics:
        base = f"{diag.code}:{structural_key(result, diag, version)}"
        seen[base] += 1
        out.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return out


def short(fingerprint: str) -> str:
    """A compact hash of a fingerprint (for SARIF partialFingerprints)."""
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32]


def _key_path(path: str, baseline_file: str) -> str:
    base = os.path.dirname(os.path.abspath(baseline_file))
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")


class BaselineError(Exception):
    """An unusable baseline file; the message in the run's language."""

    def __init__(self, zh: str, en: str = ""):
        self.zh, self.en = zh, en
        super().__init__(zh)

    def __str__(self) -> str:
        from .i18n import text

        return text(self.zh, self.en)


class Table(dict):
    """path (relative to the baseline file) -> fingerprint counts, and the
    baseline's version (its fingerprints are computed the same way)."""

    version = BASELINE_VERSION


def load(baseline_file: str) -> Table:
    """path (relative to the baseline file) -> fingerprint counts."""
    try:
        with open(baseline_file, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise BaselineError(f"无法读取基线文件 {baseline_file}：{exc.strerror or exc}",
                            f"cannot read the baseline file {baseline_file}: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"基线文件 {baseline_file} 不是合法的 JSON：{exc}",
                            f"the baseline file {baseline_file} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS or not isinstance(
            data.get("findings"), list):
        raise BaselineError(f"基线文件 {baseline_file} 格式不对（应为 xxgk-lint 写出的第 {BASELINE_VERSION} 版基线）",
                            f"the baseline file {baseline_file} is not a version {BASELINE_VERSION} baseline "
                            f"written by xxgk-lint")
    table = Table()
    table.version = data["version"]
    for item in data["findings"]:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str) or not isinstance(
                item.get("fingerprint"), str):
            raise BaselineError(f"基线文件 {baseline_file} 中有一条记录缺少 path 或 fingerprint：{item!r}",
                                f"an entry of the baseline file {baseline_file} lacks path or fingerprint: {item!r}")
        table.setdefault(item["path"], Counter())[item["fingerprint"]] += 1
    return table


def _acceptable(diag) -> bool:
    """Every finding can be accepted, E findings of files that could not be
    read too (like ``--ignore E003`` can drop them)."""
    return True


def write(baseline_file: str, results) -> int:
    findings = []
    for result in results:
        for diag, fp in zip(result.diagnostics, fingerprints(result)):
            if not _acceptable(diag):
                continue
            findings.append({"path": _key_path(result.path, baseline_file), "code": diag.code,
                             "fingerprint": fp, "message": diag.message})
    findings.sort(key=lambda f: (f["path"], f["fingerprint"]))
    if os.path.dirname(baseline_file):
        os.makedirs(os.path.dirname(baseline_file), exist_ok=True)
    with open(baseline_file, "w", encoding="utf-8") as fh:
        json.dump({"version": BASELINE_VERSION, "tool": "xxgk-lint", "findings": findings}, fh,
                  ensure_ascii=False, indent=2)
        fh.write("\n")
    return len(findings)


def apply(results, table: dict[str, Counter], baseline_file: str) -> int:
    """Drop findings listed in the baseline; returns how many were dropped."""
    dropped = 0
    for result in results:
        accepted = Counter(table.get(_key_path(result.path, baseline_file), {}))
        kept = []
        for diag, fp in zip(result.diagnostics, fingerprints(result, getattr(table, "version", BASELINE_VERSION))):
            if accepted[fp] > 0 and _acceptable(diag):
                accepted[fp] -= 1
                dropped += 1
            else:
                kept.append(diag)
        result.diagnostics = kept
    return dropped
