"""What rules derive from a report is kept on the report (``Report.memo``), not
in module-level caches: worked out once, shared by the rules that read it, and
gone with the report."""

from __future__ import annotations

import gc
import pathlib
import weakref

from helpers import findings_for_text, report_from_text

SCAFFOLD = (pathlib.Path(__file__).parent / "fixtures" / "rule-example-scaffold.txt").read_text(encoding="utf-8")


def test_memo_computes_once_per_report_and_key(tmp_path):
    report = report_from_text(tmp_path, SCAFFOLD)
    calls = []
    assert report.memo("k", lambda: calls.append(1) or ["v"]) == ["v"]
    assert report.memo("k", lambda: calls.append(1) or ["w"]) == ["v"]
    assert report.memo(("k", 2), lambda: calls.append(1) or ["x"]) == ["x"]
    assert len(calls) == 2
    other = report_from_text(tmp_path, SCAFFOLD, name="other.txt")
    assert other.memo("k", lambda: ["y"]) == ["y"]


def test_rules_share_what_they_derive_through_the_report(tmp_path):
    # N101-N103 read the heading slips, the A1xx rules the table findings, the A3xx rules the sentences
    text = SCAFFOLD.replace("（二）", "（三）", 1).replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 4 0 0 0 0 0 3")
    result = findings_for_text(tmp_path, text, select=["N101", "N102", "N103", "A101", "A102", "A301"])
    keys = set(result.report._memo)
    assert {"numbering.heading_slips", "arithmetic.table_findings"} <= keys
    assert any(isinstance(k, tuple) and k[0] == "prose.sentences" for k in keys)


def test_a_checked_report_is_not_kept_alive(tmp_path):
    """No cache outside the report holds on to it once the check is done."""
    result = findings_for_text(tmp_path, SCAFFOLD)
    assert result.report._memo
    gone = weakref.ref(result.report)
    del result
    gc.collect()
    assert gone() is None


def test_what_parse_derives_from_a_template_set_goes_with_it():
    """The labels distinct to each version are kept per template set (weakly), not by id():
    a template set no one holds any more is freed, its entry with it."""
    from importlib import resources

    from xxgk_lint.linter import parse
    from xxgk_lint.linter.templates import load_text

    templates = load_text(resources.files("xxgk_lint").joinpath("templates/template-versions.yaml").read_text("utf-8"))
    assert parse.detect_label_version([], templates) == (None, {v: [] for v in templates.versions})
    assert templates in parse._DISTINCT
    gone = weakref.ref(templates)
    del templates
    gc.collect()
    assert gone() is None
