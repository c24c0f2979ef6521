"""Accuracy of xxgk-lint on hand-verified real reports (recall and error precision).

Run from the repository root:

    python bench/accuracy.py                      # tests/fixtures/accuracy, table on stdout
    python bench/accuracy.py DIR [DIR ...]        # other accuracy sets
    python bench/accuracy.py --json               # machine-readable result
    python bench/accuracy.py --split heldout      # only one split in the lists of misses

Each report ``<stem>.<ext>`` has a truth file ``<stem>.yaml`` (format: docs/accuracy.md):
its verified ``defects`` (family, acceptable ``codes``, ``anchor`` text, severity) and
its ``split`` (``heldout`` or ``dev``).  The installed linter is run through its CLI,
``python -m xxgk_lint check --format json --exit-zero --isolated --no-cache``, so the
figures are those of the code a user runs; repository configuration is ignored.

Scoring (the rules of the accuracy corpus):
- a defect is *found* when a finding has one of its ``codes`` and lies within
  ±3 lines of a line containing its ``anchor`` (anchor null: anywhere).  A defect
  with ``codes: []`` has no rule yet and counts as missed;
- an error-level finding is *true* when it matches a verified defect: the
  finding's code family (its letter) is the defect's family or the family of one
  of its codes, and it lies within ±3 lines of the defect's anchor (anchor null:
  anywhere); every other error-level finding is a false error;
- recall = found / defects, error precision = true errors / error findings, by
  family (S A P L N C X E) and in total, for ``heldout`` and ``dev`` separately.
  E010 (table-unreadable, a warning) is counted and listed on its own.

Lines are those of the text the linter reads (the reader's Document text), the
same lines the findings point at, so anchors work for .txt, .html and .docx alike.
Reports with ``complete: false`` are listed and skipped.  Not a timed test.

``--column-window N`` (off by default, not part of the shared scoring rules): on
pages flattened onto one long line every finding is "within 3 lines" of every
anchor; with it, a finding on the anchor's own line must also overlap the
anchor's columns widened by N characters.  Use it to see how much of a score on
such pages is owed to the line rule.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

import yaml

FAMILIES = ("S", "A", "P", "L", "N", "C", "X", "E")
SPLITS = ("heldout", "dev")
LINE_WINDOW = 3
REPORT_EXTS = (".txt", ".md", ".html", ".htm", ".shtml", ".docx", ".doc", ".pdf", ".odt", ".ofd")
DEFAULT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "tests", "fixtures", "accuracy")


@dataclass
class Defect:
    report: str
    id: str
    family: str
    codes: list[str]
    severity: str
    anchor: str | None
    what: str
    anchor_lines: list[int] = field(default_factory=list)
    # (line, first column, last column) of every occurrence, 1-based: for --column-window
    anchor_spans: list[tuple[int, int, int]] = field(default_factory=list)
    found_by: list[dict] = field(default_factory=list)


@dataclass
class Report:
    stem: str
    path: str
    truth: dict
    split: str
    defects: list[Defect]
    findings: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- loading

def find_reports(dirs: list[str]) -> tuple[list[Report], list[str]]:
    """Pair every ``<stem>.yaml`` with its report file; return (reports, skipped notes)."""
    reports, skipped = [], []
    for d in dirs:
        if not os.path.isdir(d):
            skipped.append(f"{d}: no such directory")
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".yaml"):
                continue
            stem = name[:-5]
            truth_path = os.path.join(d, name)
            with open(truth_path, encoding="utf-8") as f:
                truth = yaml.safe_load(f) or {}
            candidates = [os.path.join(d, stem + ext) for ext in REPORT_EXTS
                          if os.path.exists(os.path.join(d, stem + ext))]
            if not candidates:
                skipped.append(f"{stem}: no report file beside {name}")
                continue
            if truth.get("complete") is False:
                skipped.append(f"{stem}: complete: false")
                continue
            split = truth.get("split") or "heldout"
            if split not in SPLITS:
                skipped.append(f"{stem}: unknown split {split!r}")
                continue
            defects = []
            for i, raw in enumerate(truth.get("defects") or []):
                codes = [str(c) for c in (raw.get("codes") or [])]
                family = str(raw.get("family") or (codes[0][0] if codes else "?")).upper()
                defects.append(Defect(
                    report=stem, id=str(raw.get("id") or f"d{i + 1}"), family=family, codes=codes,
                    severity=str(raw.get("severity") or "error"),
                    anchor=raw.get("anchor"), what=str(raw.get("what") or "")))
            report = Report(stem=stem, path=os.path.abspath(candidates[0]), truth=truth,
                            split=split, defects=defects)
            report.problems.extend(_check_truth(report))
            reports.append(report)
    return reports, skipped


def _check_truth(report: Report) -> list[str]:
    """Slips in a truth file that would silently distort the figures."""
    problems = []
    ids = [d.id for d in report.defects]
    if len(set(ids)) != len(ids):
        problems.append("defect ids repeat")
    for d in report.defects:
        if d.family not in FAMILIES:
            problems.append(f"{d.id}: family {d.family!r} is not one of {' '.join(FAMILIES)}")
        odd = [c for c in d.codes if c[:1] != d.family]
        if odd:
            problems.append(f"{d.id}: codes {odd} are not of family {d.family}")
        if d.severity not in ("error", "warning"):
            problems.append(f"{d.id}: severity {d.severity!r} is not error or warning")
    return problems


def document_lines(path: str) -> list[str]:
    """The lines of the text the linter reads (what finding lines refer to)."""
    try:
        from xxgk_lint.linter.readers import read
        return read(path).text.split("\n")
    except Exception:  # unreadable: fall back to the raw file, anchors may still match
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().split("\n")


def locate_anchors(report: Report) -> None:
    lines = document_lines(report.path)
    for d in report.defects:
        if d.anchor is None:
            continue
        d.anchor_spans = [(i + 1, col + 1, col + len(d.anchor))
                          for i, text in enumerate(lines) for col in _occurrences(text, d.anchor)]
        d.anchor_lines = sorted({line for line, _, _ in d.anchor_spans})
        if not d.anchor_lines:
            report.problems.append(f"{d.id}: anchor {d.anchor!r} occurs on no line")


# ---------------------------------------------------------------- linting

def run_linter(reports: list[Report], python: str = sys.executable) -> None:
    """Run the CLI once over all reports (one per report given ``previous:``)."""
    batch = [r for r in reports if not r.truth.get("previous")]
    singles = [r for r in reports if r.truth.get("previous")]
    base = [python, "-m", "xxgk_lint", "check", "--format", "json", "--exit-zero",
            "--isolated", "--no-cache", "-j", "1"]
    jobs = []
    if batch:
        jobs.append((base + [r.path for r in batch], batch))
    for r in singles:
        prev = os.path.join(os.path.dirname(r.path), str(r.truth["previous"]))
        jobs.append((base + ["--previous", prev, r.path], [r]))
    for cmd, group in jobs:
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
        try:
            findings = json.loads(proc.stdout or "[]")
        except json.JSONDecodeError:
            raise SystemExit(f"xxgk-lint gave no JSON (exit {proc.returncode}):\n{proc.stderr[-2000:]}") from None
        by_path = {os.path.normcase(os.path.abspath(r.path)): r for r in group}
        for item in findings:
            r = by_path.get(os.path.normcase(os.path.abspath(item.get("path", ""))))
            if r is not None:
                r.findings.append(item)


# ---------------------------------------------------------------- scoring

def _occurrences(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def near(line: int, anchor_lines: list[int]) -> bool:
    return any(abs(line - a) <= LINE_WINDOW for a in anchor_lines)


# Optional stricter matching for pages flattened onto one long line, where "±3 lines"
# accepts any finding on the page: a finding on the anchor's own line must then also
# overlap the anchor's columns widened by this many characters.  None: lines only.
COLUMN_WINDOW: int | None = None


def near_finding(f: dict, d: Defect) -> bool:
    line = int(f.get("line") or 0)
    if COLUMN_WINDOW is None:
        return near(line, d.anchor_lines)
    first = int(f.get("column") or 1)
    last = int(f.get("end_column") or first) if int(f.get("end_line") or line) == line else 10 ** 9
    for a_line, a_first, a_last in d.anchor_spans:
        if a_line != line:
            if abs(line - a_line) <= LINE_WINDOW:
                return True
        elif first <= a_last + COLUMN_WINDOW and last >= a_first - COLUMN_WINDOW:
            return True
    return False


def defect_matches_finding(d: Defect, f: dict, *, by_family: bool) -> bool:
    """by_family=False: a finding that *finds* the defect (one of its codes);
    by_family=True: a finding the defect makes *true* (same code family)."""
    code = str(f.get("code", ""))
    if by_family:
        families = {d.family} | {c[:1] for c in d.codes}
        if code[:1] not in families:
            return False
    elif code not in d.codes:
        return False
    if d.anchor is None:
        return True
    return near_finding(f, d)


def score(reports: list[Report]) -> dict:
    """Match findings to defects; return per-split tables and the lists."""
    result = {"splits": {}, "reports": []}
    for r in reports:
        for d in r.defects:
            d.found_by = [f for f in r.findings if defect_matches_finding(d, f, by_family=False)]
    per_split = {s: _empty_table() for s in SPLITS + ("all",)}
    lists = {s: {"missed": [], "false_errors": [], "e010": []} for s in SPLITS + ("all",)}
    for r in reports:
        rep_row = {"stem": r.stem, "split": r.split, "defects": len(r.defects), "found": 0,
                   "errors": 0, "true_errors": 0, "e010": 0, "problems": r.problems}
        _score_defects(r, rep_row, per_split, lists)
        _score_findings(r, rep_row, per_split, lists)
        result["reports"].append(rep_row)
    for s, table in per_split.items():
        total = {"defects": 0, "found": 0, "errors": 0, "true_errors": 0}
        for fam in FAMILIES + ("?",):
            for k in total:
                total[k] += table[fam][k]
            _ratios(table[fam])
        table["total"] = _ratios(total)
        table["reports"] = sum(1 for r in reports if s == "all" or r.split == s)
        result["splits"][s] = {"table": table, **lists[s]}
    return result


def _score_defects(r: Report, rep_row: dict, per_split: dict, lists: dict) -> None:
    """Count the report's defects found and missed (recall)."""
    for d in r.defects:
        found = bool(d.found_by)
        rep_row["found"] += found
        for s in (r.split, "all"):
            row = per_split[s][d.family if d.family in FAMILIES else "?"]
            row["defects"] += 1
            row["found"] += found
            if not found:
                lists[s]["missed"].append({
                    "report": r.stem, "id": d.id, "family": d.family, "codes": d.codes,
                    "severity": d.severity, "anchor": d.anchor,
                    "anchor_lines": d.anchor_lines, "what": d.what,
                    "nearby": _nearby(r, d)})


def _score_findings(r: Report, rep_row: dict, per_split: dict, lists: dict) -> None:
    """Count the report's E010 findings and its errors, true or false (precision)."""
    for f in r.findings:
        code = str(f.get("code", ""))
        if code == "E010":
            rep_row["e010"] += 1
            matched = any(defect_matches_finding(d, f, by_family=True) for d in r.defects)
            for s in (r.split, "all"):
                lists[s]["e010"].append(_finding_row(r, f, matched))
                per_split[s]["E010"]["count"] += 1
                per_split[s]["E010"]["matched"] += matched
        if f.get("severity") != "error":
            continue
        true = any(defect_matches_finding(d, f, by_family=True) for d in r.defects)
        rep_row["errors"] += 1
        rep_row["true_errors"] += true
        for s in (r.split, "all"):
            row = per_split[s][code[:1] if code[:1] in FAMILIES else "?"]
            row["errors"] += 1
            row["true_errors"] += true
            if not true:
                lists[s]["false_errors"].append(_finding_row(r, f, False))


def _empty_table() -> dict:
    table = {fam: {"defects": 0, "found": 0, "errors": 0, "true_errors": 0} for fam in FAMILIES + ("?",)}
    table["E010"] = {"count": 0, "matched": 0}
    return table


def _ratios(row: dict) -> dict:
    row["recall"] = row["found"] / row["defects"] if row["defects"] else None
    row["precision"] = row["true_errors"] / row["errors"] if row["errors"] else None
    return row


def _finding_row(r: Report, f: dict, matched: bool) -> dict:
    return {"report": r.stem, "line": f.get("line"), "code": f.get("code"),
            "severity": f.get("severity"), "message": f.get("message"), "matched": matched}


def _nearby(r: Report, d: Defect) -> list[str]:
    """Codes of findings near the anchor: tells a developer a miss is a wrong code, not silence."""
    if d.anchor is None:
        return sorted({str(f.get("code")) for f in r.findings})
    return sorted({str(f.get("code")) for f in r.findings if near_finding(f, d)})


# ---------------------------------------------------------------- output

def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def render_text(result: dict, skipped: list[str], only: str | None, out=None) -> None:
    w = (out or sys.stdout).write
    for s in (SPLITS + ("all",)) if only is None else (only,):
        _render_split(w, s, result["splits"][s])
    rows = [r for r in result["reports"] if only in (None, "all", r["split"])]
    if rows:
        w("\n## per report\n\n| report | split | defects | found | errors | true | E010 |\n")
        w("|---|---|---:|---:|---:|---:|---:|\n")
        for r in rows:
            w(f"| {r['stem']} | {r['split']} | {r['defects']} | {r['found']} | {r['errors']} | "
              f"{r['true_errors']} | {r['e010']} |\n")
    problems = [(r["stem"], p) for r in result["reports"] for p in r["problems"]]
    if problems or skipped:
        w("\n### corpus problems\n")
        for note in skipped:
            w(f"- skipped {note}\n")
        for stem, p in problems:
            w(f"- {stem}: {p}\n")


def _render_split(w, s: str, block: dict) -> None:
    """One split's table of recall and precision, then its missed defects, false errors and E010s."""
    table = block["table"]
    w(f"\n## {s}: {table['reports']} reports\n\n")
    w("| family | defects | found | recall | errors | true | precision |\n")
    w("|---|---:|---:|---:|---:|---:|---:|\n")
    for fam in FAMILIES + ("?", "total"):
        row = table[fam]
        if fam != "total" and not (row["defects"] or row["errors"]):
            continue
        w(f"| {fam} | {row['defects']} | {row['found']} | {_pct(row['recall'])} | "
          f"{row['errors']} | {row['true_errors']} | {_pct(row['precision'])} |\n")
    e010 = table["E010"]
    w(f"\nE010 (table-unreadable) findings: {e010['count']} ({e010['matched']} at a verified defect)\n")
    if block["missed"]:
        w(f"\n### missed defects ({len(block['missed'])})\n")
        for m in block["missed"]:
            where = ",".join(map(str, m["anchor_lines"])) or "?"
            codes = ",".join(m["codes"]) or "no rule"
            near_codes = ",".join(m["nearby"]) or "nothing"
            w(f"- {m['report']} {m['id']} [{m['family']} {codes}] line {where}: {m['what']}"
              f" (near it: {near_codes})\n")
    if block["false_errors"]:
        w(f"\n### false errors ({len(block['false_errors'])})\n")
        for e in block["false_errors"]:
            w(f"- {e['report']}:{e['line']} {e['code']} {e['message']}\n")
    if block["e010"]:
        w(f"\n### E010 findings ({len(block['e010'])})\n")
        for e in block["e010"]:
            w(f"- {e['report']}:{e['line']} {e['message']}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="*", default=[DEFAULT_DIR], help="accuracy set directories")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--split", choices=SPLITS + ("all",), help="show only this split (text output)")
    ap.add_argument("--column-window", type=int, metavar="N",
                    help="on the anchor's own line, also require the finding to overlap the anchor "
                         "widened by N characters (for pages flattened onto one line); default: lines only")
    args = ap.parse_args(argv)
    global COLUMN_WINDOW
    COLUMN_WINDOW = args.column_window
    reports, skipped = find_reports(args.dirs)
    if not reports:
        print("no complete reports with a .yaml truth file in " + ", ".join(args.dirs), file=sys.stderr)
        return 2
    for r in reports:
        locate_anchors(r)
    run_linter(reports)
    result = score(reports)
    result["skipped"] = skipped
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        render_text(result, skipped, args.split)
    return 0


if __name__ == "__main__":
    sys.exit(main())
