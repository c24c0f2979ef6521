"""Output formats: the JSON contract, json-lines, concise, SARIF (schema-valid),
GitHub annotations (errors first, truncation notice), JUnit."""

import io
import json
import pathlib
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from clihelp import FIXTURES, SCAFFOLD, WRONG_TITLE, run, write
from xxgk_lint.linter.diagnostics import Diagnostic, FileResult, Severity, Span
from xxgk_lint.linter.document import Document
from xxgk_lint.linter.reporters import FORMATS, github

CONTRACT = ["path", "line", "column", "end_line", "end_column", "location", "code", "rule", "severity", "message"]
# S104 (warning, line 68) and a bad total in table 3 (error) -- two findings in one file
TWO = WRONG_TITLE.replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 4 0 0 0 0 0 4")


@pytest.fixture
def report(tmp_path) -> pathlib.Path:
    return write(tmp_path / "报告 a,b.txt", TWO)


def _json(report, *extra):
    code, out, _ = run("check", "--format", "json", *extra, report)
    return code, json.loads(out)


def test_json_contract(report):
    code, items = _json(report)
    assert code == 1
    assert len(items) >= 2
    s104 = next(i for i in items if i["code"] == "S104")
    assert list(s104)[:10] == CONTRACT
    assert (s104["line"], s104["column"], s104["severity"], s104["rule"]) == (68, 1, "warning", "section-title")
    assert s104["location"] == {"kind": "text", "line": 68, "column": 1}
    assert "五、存在的主要问题及改进情况" in json.dumps(s104["data"], ensure_ascii=False)


def test_json_lines_equals_json(report):
    _, items = _json(report)
    code, out, _ = run("check", "--format", "json-lines", report)
    assert [json.loads(line) for line in out.splitlines()] == items


def test_concise_one_line_per_finding(report):
    _, items = _json(report)
    code, out, _ = run("check", "--format", "concise", report)
    lines = out.splitlines()
    assert len(lines) == len(items)
    assert f"{report}:68:1: S104 [警告] " in out


def test_text_has_excerpt_and_caret(report):
    code, out, _ = run("check", "--format", "text", report)
    assert "   68 | 五、存在的问题及改进情况" in out
    assert "^^^" in out


def _validator():
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def test_sarif_validates_against_the_schema(report, tmp_path):
    missing = tmp_path / "missing.txt"
    code, out, _ = run("check", "--format", "sarif", report, missing)
    assert code == 2
    sarif = json.loads(out)
    errors = [e.message for e in _validator().iter_errors(sarif)]
    assert errors == []
    run_ = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and run_["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert {"S104", "E001"} <= set(rules)
    assert "## 如何忽略" in rules["S104"]["help"]["markdown"]
    s104 = next(r for r in run_["results"] if r["ruleId"] == "S104")
    region = s104["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"]) == (68, 1, 68)
    assert region["endColumn"] == 1 + len("五、存在的问题及改进情况")
    assert s104["level"] == "warning" and rules["S104"] is run_["tool"]["driver"]["rules"][s104["ruleIndex"]]
    uri = s104["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in uri and "%" in uri  # a URI, not a raw path
    e001 = next(r for r in run_["results"] if r["ruleId"] == "E001")
    assert "region" not in e001["locations"][0]["physicalLocation"]


def test_sarif_fingerprint_ignores_line_numbers(tmp_path):
    a = write(tmp_path / "r.txt", WRONG_TITLE)
    first = json.loads(run("check", "--format", "sarif", a)[1])["runs"][0]["results"][0]
    write(tmp_path / "r.txt", WRONG_TITLE.replace("一、总体情况\n", "一、总体情况\n新增一段文字。\n\n"))
    second = json.loads(run("check", "--format", "sarif", a)[1])["runs"][0]["results"][0]
    assert first["locations"] != second["locations"]
    assert first["partialFingerprints"] == second["partialFingerprints"]


def test_sarif_for_a_clean_run_is_valid(tmp_path):
    sarif = json.loads(run("check", "--format", "sarif", write(tmp_path / "ok.txt", SCAFFOLD))[1])
    assert list(_validator().iter_errors(sarif)) == [] and sarif["runs"][0]["results"] == []


def test_github_annotations(report):
    code, out, _ = run("check", "--format", "github", report)
    lines = out.splitlines()
    assert lines[0].startswith("::error ")  # errors first
    warning = next(line for line in lines if line.startswith("::warning "))
    name = str(report).replace(":", "%3A").replace(",", "%2C")
    message = next(i for i in _json(report)[1] if i["code"] == "S104")["message"]
    assert warning == f"::warning file={name},line=68,endLine=68,col=1,endColumn=13,title=S104 section-title::{message}"
    assert "%2C" in warning.split("::")[1]  # the comma in the file name is escaped
    assert "::notice title=xxgk-lint::" not in out  # nothing was cut off


def _fake_results(errors: int, warnings: int) -> list[FileResult]:
    doc = Document("r.txt", "txt", "a\nb\n", [])
    diags = [Diagnostic(f"错误{i}\n第二行 100%", Span(0, 1), "S101", "section-missing", Severity.ERROR)
             for i in range(errors)]
    diags += [Diagnostic(f"警告{i}", Span(2, 3), "S104", "section-title", Severity.WARNING) for i in range(warnings)]
    return [FileResult("r.txt", diags[::-1], doc)]  # warnings before errors in the input


def test_github_says_when_annotations_are_cut_off():
    out = io.StringIO()
    github.render(_fake_results(12, 3), None, out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("::notice title=xxgk-lint::") and "2 个错误" in lines[0]
    body = lines[1:]
    assert len(body) == 15
    assert all(line.startswith("::error ") for line in body[:12])
    assert all(line.startswith("::warning ") for line in body[12:])
    assert body[0].endswith("::错误11%0A第二行 100%25")  # message escaping


def test_junit(report, tmp_path):
    good = write(tmp_path / "good.txt", SCAFFOLD)
    code, out, _ = run("check", "--format", "junit", report, good)
    root = ET.fromstring(out.split("\n", 1)[1])
    suites = {s.get("name"): s for s in root}
    assert suites[str(report)].get("failures") == str(len(suites[str(report)]))
    assert suites[str(good)].get("failures") == "0" and len(suites[str(good)]) == 1
    case = next(c for c in suites[str(report)] if c.get("name") == "S104 section-title")
    assert case.get("line") == "68" and case.find("failure").get("type") == "warning"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_renders_an_unreadable_file(fmt, tmp_path):
    code, out, _ = run("check", "--format", fmt, tmp_path / "missing.txt")
    assert code == 2 and (out.strip() or fmt == "text")
