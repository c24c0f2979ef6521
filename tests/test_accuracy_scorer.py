"""bench/accuracy.py: the scorer's matching and arithmetic, on tiny synthetic accuracy sets.

The corpus figures themselves are not asserted (they are measured, in docs/accuracy.md).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCAFFOLD = os.path.join(ROOT, "tests", "fixtures", "rule-example-scaffold.txt")


def _load_scorer():
    spec = importlib.util.spec_from_file_location("accuracy", os.path.join(ROOT, "bench", "accuracy.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["accuracy"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


accuracy = _load_scorer()


def _write(tmp_path, stem, text, truth):
    (tmp_path / f"{stem}.txt").write_text(text, encoding="utf-8")
    (tmp_path / f"{stem}.yaml").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")


@pytest.fixture()
def accuracy_set(tmp_path):
    with open(SCAFFOLD, encoding="utf-8") as f:
        correct = f.read()
    # a: table 3 （七）总计 5 where the rows make 3 -> the linter reports an A error on that line
    broken_total = correct.replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 5 0 0 0 0 0 5")
    assert broken_total != correct
    _write(tmp_path, "a", broken_total, {
        "complete": True, "split": "heldout",
        "defects": [
            {"id": "d1", "family": "A", "codes": ["A101", "A102"], "severity": "error",
             "anchor": "（七）总计", "what": "总计 5, rows sum to 3"},
            # no rule for it: always missed
            {"id": "d2", "family": "C", "codes": [], "severity": "warning",
             "anchor": "六、其他需要报告的事项", "what": "no rule yet"},
            # right code, wrong place: not found
            {"id": "d3", "family": "A", "codes": ["A102"], "severity": "error",
             "anchor": "一、总体情况", "what": "far from any finding"},
        ]})
    # b: period says 2022 in a 2023 report -> P101 error, but the truth lists no defect: a false error
    wrong_period = correct.replace("自2023年1月1日起至2023年12月31日止", "自2022年1月1日起至2022年12月31日止")
    assert wrong_period != correct
    _write(tmp_path, "b", wrong_period, {"complete": True, "split": "dev", "defects": []})
    # c: incomplete -> skipped, never linted
    _write(tmp_path, "c", "一、总体情况\n", {"complete": False, "split": "heldout", "defects": []})
    return tmp_path


def test_scorer_on_real_linter_output(accuracy_set, capsys):
    assert accuracy.main([str(accuracy_set), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["skipped"] == ["c: complete: false"]

    held = result["splits"]["heldout"]
    t = held["table"]
    assert t["reports"] == 1
    assert (t["A"]["defects"], t["A"]["found"]) == (2, 1)
    assert (t["C"]["defects"], t["C"]["found"]) == (1, 0)
    assert (t["total"]["defects"], t["total"]["found"]) == (3, 1)
    assert t["total"]["recall"] == pytest.approx(1 / 3)
    # every error on a.txt sits on the broken 总计 row: all true
    assert t["total"]["errors"] >= 1
    assert t["total"]["true_errors"] == t["total"]["errors"]
    assert t["total"]["precision"] == 1.0
    assert {m["id"] for m in held["missed"]} == {"d2", "d3"}
    assert held["false_errors"] == []

    dev = result["splits"]["dev"]["table"]
    assert dev["total"]["defects"] == 0 and dev["total"]["recall"] is None
    assert (dev["P"]["errors"], dev["P"]["true_errors"]) == (1, 0)
    assert dev["total"]["precision"] == 0.0
    [false] = result["splits"]["dev"]["false_errors"]
    assert (false["report"], false["code"], false["line"]) == ("b", "P101", 3)

    both = result["splits"]["all"]["table"]["total"]
    assert both["errors"] == t["total"]["errors"] + 1
    assert both["true_errors"] == t["total"]["errors"]


def test_text_output_lists_misses_and_false_errors(accuracy_set, capsys):
    assert accuracy.main([str(accuracy_set)]) == 0
    out = capsys.readouterr().out
    assert "## heldout: 1 reports" in out
    assert "a d2 [C no rule]" in out
    assert "b:3 P101" in out
    assert "skipped c: complete: false" in out


def _report(findings, defects, split="heldout", anchor_lines=None):
    r = accuracy.Report(stem="r", path="r.txt", truth={}, split=split, defects=[], findings=findings)
    for i, (family, codes, anchor) in enumerate(defects):
        d = accuracy.Defect(report="r", id=f"d{i}", family=family, codes=codes, severity="error",
                            anchor=anchor, what="")
        d.anchor_lines = (anchor_lines or {}).get(anchor, [])
        r.defects.append(d)
    return r


def test_family_line_window_and_e010():
    findings = [
        {"code": "A101", "severity": "error", "line": 13, "message": ""},   # 3 lines off: finds d0
        {"code": "A103", "severity": "error", "line": 14, "message": ""},   # 4 lines off: false
        {"code": "S201", "severity": "error", "line": 10, "message": ""},   # wrong family: false
        {"code": "A104", "severity": "warning", "line": 10, "message": ""},  # warnings: no precision
        {"code": "E010", "severity": "warning", "line": 10, "message": ""},
    ]
    r = _report(findings, [("A", ["A101"], "x"), ("X", ["X101"], None)], anchor_lines={"x": [10]})
    result = accuracy.score([r])
    t = result["splits"]["heldout"]["table"]
    assert (t["A"]["found"], t["X"]["found"]) == (1, 0)
    assert (t["A"]["errors"], t["A"]["true_errors"]) == (2, 1)
    assert (t["S"]["errors"], t["S"]["true_errors"]) == (1, 0)
    assert t["total"]["precision"] == pytest.approx(1 / 3)
    assert t["E010"] == {"count": 1, "matched": 0}
    assert result["splits"]["dev"]["table"]["total"]["errors"] == 0


def test_anchor_null_matches_anywhere():
    findings = [{"code": "X101", "severity": "error", "line": 70, "message": ""}]
    r = _report(findings, [("X", ["X101"], None)])
    t = accuracy.score([r])["splits"]["heldout"]["table"]["total"]
    assert (t["found"], t["true_errors"], t["errors"]) == (1, 1, 1)


def test_column_window_on_a_flattened_line(monkeypatch):
    # one long line: the anchor at columns 501-504, findings at column 10 and column 480
    findings = [
        {"code": "A101", "severity": "error", "line": 10, "column": 10, "end_line": 10, "end_column": 20,
         "message": ""},
        {"code": "A101", "severity": "error", "line": 10, "column": 480, "end_line": 10, "end_column": 490,
         "message": ""},
    ]
    r = _report(findings, [("A", ["A101"], "x")], anchor_lines={"x": [10]})
    r.defects[0].anchor_spans = [(10, 501, 504)]
    assert accuracy.score([r])["splits"]["heldout"]["table"]["total"]["true_errors"] == 2
    monkeypatch.setattr(accuracy, "COLUMN_WINDOW", 50)
    t = accuracy.score([r])["splits"]["heldout"]["table"]["total"]
    assert (t["found"], t["true_errors"], t["errors"]) == (1, 1, 2)
    monkeypatch.setattr(accuracy, "COLUMN_WINDOW", 5)
    t = accuracy.score([r])["splits"]["heldout"]["table"]["total"]
    assert (t["found"], t["true_errors"]) == (0, 0)
