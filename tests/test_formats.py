"""Output formats: the JSON contract, json-lines, concise, SARIF (schema-valid),
GitHub annotations (errors first, truncation notice), JUnit."""

import io
import json
import pathlib
import re
import shutil
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from clihelp import FIXTURES, SCAFFOLD, WRONG_TITLE, run, unreadable, write
from xxgk_lint.linter.diagnostics import Diagnostic, FileResult, Severity, Span
from xxgk_lint.linter.model.document import Document
from xxgk_lint.linter.reporters import FORMATS, github, junit

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
    missing = unreadable(tmp_path / "missing.txt")
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
    # a finding about the whole file: line 1 (GitHub places a result only with a region)
    assert e001["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


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
    assert suites[str(good)].get("failures") == "0" and len(suites[str(good)]) == 1
    # the S104 warning is below the default --fail-on error: a passing case that keeps its message
    case = next(c for c in suites[str(report)] if c.get("name") == "S104 section-title")
    assert case.get("line") == "68" and case.find("failure") is None
    assert case.find("system-out").text.startswith("[warning] ")
    failing = [c for c in suites[str(report)] if c.find("failure") is not None]
    assert suites[str(report)].get("failures") == str(len(failing))
    assert {c.find("failure").get("type") for c in failing} <= {"error"}
    # with --fail-on warning it fails, as the exit code does
    code, out, _ = run("check", "--format", "junit", "--fail-on", "warning", report)
    root = ET.fromstring(out.split("\n", 1)[1])
    case = next(c for c in root[0] if c.get("name") == "S104 section-title")
    assert code == 1 and case.find("failure").get("type") == "warning" and root.get("failures") == str(len(root[0]))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_renders_an_unreadable_file(fmt, tmp_path):
    code, out, _ = run("check", "--format", fmt, unreadable(tmp_path / "missing.txt"))
    assert code == 2 and (out.strip() or fmt == "text")



# ---- GitHub's workflow command syntax, escaping and the cut-off notice

# ::error file={name},line={line},endLine={endLine},col={col},endColumn={endColumn},title={title}::{message}
# (docs.github.com, "Workflow commands for GitHub Actions"; escaping as in @actions/core's command.ts)
COMMAND = re.compile(r"^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:]*)(?:,[a-zA-Z]+=[^,:]*)*)::(.*)$")


def _commands(out: str):
    found = []
    for line in out.splitlines():
        m = COMMAND.match(line)
        assert m, line
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        assert "\r" not in line and "%" not in m.group(3).replace("%25", "").replace("%0D", "").replace("%0A", "")
        found.append((m.group(1), props, m.group(3)))
    return found


def _unescape(value: str) -> str:
    return value.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",") \
        .replace("%25", "%")


def test_github_command_syntax_and_property_escaping(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = write(tmp_path / "a,b:c 100%" / "报告.txt", TWO)
    code, out, _ = run("check", "--format", "github", "./a,b:c 100%/报告.txt")
    assert code == 1
    commands = _commands(out)
    assert [level for level, _, _ in commands][:1] == ["error"]
    for _level, props, _message in commands:
        assert set(props) <= {"file", "line", "endLine", "col", "endColumn", "title"}
        assert props["file"] == "a%2Cb%3Ac 100%25/报告.txt"  # relative, without "./", escaped
        assert _unescape(props["file"]) == str(report.relative_to(tmp_path))
        assert int(props["line"]) >= 1 and int(props["endLine"]) >= int(props["line"])
        if "col" in props:
            assert int(props["endColumn"]) >= int(props["col"]) >= 1
        code_, rule = _unescape(props["title"]).split(" ")
        assert re.fullmatch(r"[A-Z]\d{3}", code_) and re.fullmatch(r"[a-z0-9-]+", rule)


def test_github_paths_relative_to_the_workspace(tmp_path, monkeypatch):
    report = write(tmp_path / "repo" / "reports" / "r.txt", WRONG_TITLE)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    (level, props, _), = _commands(run("check", "--format", "github", report)[1])
    assert props["file"] == "reports/r.txt"
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "elsewhere"))  # outside: the path as given
    (level, props, _), = _commands(run("check", "--format", "github", report)[1])
    assert _unescape(props["file"]) == str(report)


def test_github_message_escaping():
    doc = Document("r.txt", "txt", "a\nb\n", [])
    diag = Diagnostic("一行\r\n两行 100% a::b, c:d", Span(0, 1), "S101", "section-missing", Severity.ERROR)
    out = io.StringIO()
    github.render([FileResult("r.txt", [diag], doc)], None, out)
    assert out.getvalue() == ("::error file=r.txt,line=1,endLine=1,col=1,endColumn=2,title=S101 section-missing::"
                              "一行%0D%0A两行 100%25 a::b, c:d\n")  # in the message only %, CR and LF are escaped


def _results(errors: int, warnings: int, notices: int) -> list[FileResult]:
    doc = Document("r.txt", "txt", "a\nb\n", [])
    diags = [Diagnostic(f"e{i}", Span(0, 1), "S101", "section-missing", Severity.ERROR) for i in range(errors)]
    diags += [Diagnostic(f"w{i}", Span(2, 3), "S104", "section-title", Severity.WARNING) for i in range(warnings)]
    diags += [Diagnostic(f"n{i}", Span(2, 3), "C105", "x", Severity.INFO) for i in range(notices)]
    return [FileResult("r.txt", diags[::-1], doc)]


@pytest.mark.parametrize("counts, notice", [
    ((10, 10, 10), None),  # exactly the limits: nothing is cut, no notice
    ((11, 0, 0), "另有 1 个错误不会"),
    ((0, 12, 0), "另有 2 个警告不会"),
    ((0, 0, 11), "另有 2 个提示不会"),  # the notice itself takes one of the ten notices
    ((11, 0, 10), "另有 1 个错误，1 个提示不会"),
    ((30, 30, 30), "共 90 个问题；"),
])
def test_github_cut_off_notice(counts, notice):
    out = io.StringIO()
    github.render(_results(*counts), None, out)
    lines = out.getvalue().splitlines()
    levels = [line.split(" ", 1)[0] for line in lines]
    if notice is None:
        assert not lines[0].startswith("::notice title=xxgk-lint::")
        assert levels == ["::error"] * 10 + ["::warning"] * 10 + ["::notice"] * 10
        return
    assert lines[0].startswith("::notice title=xxgk-lint::") and notice in lines[0], lines[0]
    # every finding is still printed (the log has them all), errors first
    assert levels[1:] == ["::error"] * counts[0] + ["::warning"] * counts[1] + ["::notice"] * counts[2]


def test_github_notice_in_english(tmp_path):
    out = io.StringIO()
    from xxgk_lint.linter.i18n import language

    with language("en"):
        github.render(_results(12, 0, 0), None, out)
    assert out.getvalue().splitlines()[0] == (
        "::notice title=xxgk-lint::12 findings; GitHub shows at most 10 error, 10 warning and 10 notice "
        "annotations per step, so 2 errors will not be shown as annotations. All findings are in this step's "
        "log and in the SARIF/JSON output.")


def test_word_findings_say_where_they_are_in_the_document(tmp_path):
    docx = tmp_path / "r.docx"
    shutil.copy(FIXTURES / "documents" / "report.docx", docx)
    _, items = _json(docx)
    first = items[0]
    assert first["location"]["kind"] == "docx" and "位置" not in first["message"]  # json: location is a field
    code, out, _ = run("check", "--format", "github", docx)
    assert all("（位置：第 " in message for _, props, message in _commands(out) if "file" in props)
    code, out, _ = run("check", "--format", "concise", docx)
    assert "（位置：第 " in out.splitlines()[0]
    code, out, _ = run("check", "--format", "github", "--lang", "en", docx)
    assert all(" (location: " in message for _, props, message in _commands(out) if "file" in props)


# ---- SARIF for every input format, and stable fingerprints

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sarif_of_word_pdf_and_web_pages_validates(tmp_path, lang):
    for name in ("report.docx", "report.pdf", "report.odt", "report_gov_gbk.html"):
        shutil.copy(FIXTURES / "documents" / name, tmp_path / name)
    write(tmp_path / "r.txt", TWO)
    code, out, _ = run("check", "--format", "sarif", "--lang", lang, tmp_path, unreadable(tmp_path / "missing.txt"))
    sarif = json.loads(out)
    assert [e.message for e in _validator().iter_errors(sarif)] == []
    results = sarif["runs"][0]["results"]
    assert {pathlib.PurePosixPath(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).suffix
            for r in results} >= {".docx", ".pdf", ".odt", ".html", ".txt"}
    for r in results:
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
        kind = r["properties"]["location"]["kind"]
        if kind in ("docx", "pdf", "odt"):
            assert r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith(kind + ":")
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all(results[i].get("ruleIndex") is None or rules[results[i]["ruleIndex"]]["id"] == results[i]["ruleId"]
               for i in range(len(results)))


def test_sarif_fingerprint_does_not_depend_on_how_the_path_is_spelt(tmp_path, monkeypatch):
    write(tmp_path / "reports" / "r.txt", WRONG_TITLE)
    monkeypatch.chdir(tmp_path)
    prints = []
    for spelling in ("reports/r.txt", "./reports/r.txt", "reports/../reports/r.txt", "."):
        (result,) = json.loads(run("check", "--format", "sarif", spelling)[1])["runs"][0]["results"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "reports/r.txt"
        prints.append(result["partialFingerprints"])
    assert all(p == prints[0] for p in prints)


# ---- JUnit: well-formed whatever the report text holds

def test_junit_is_well_formed_with_control_characters():
    doc = Document("r.txt", "txt", "a\nb\n", [])
    diags = [Diagnostic("换页\x0c符、空字符\x00、<标签> & “引号” 'x'", Span(0, 1), "S101", "section-missing",
                        Severity.ERROR),
             Diagnostic("第二个\n问题", Span(2, 3), "S104", "section-title", Severity.WARNING)]
    out = io.StringIO()
    junit.render([FileResult("a&<b>.txt", diags, doc), FileResult("ok.txt", [], doc)], None, out,
                 {"a&<b>.txt": "warning"})
    text = out.getvalue()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.split("\n", 1)[1])  # parses: well-formed
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == ("testsuites", "3", "2", "0")
    bad, ok = list(root)
    assert bad.get("name") == "a&<b>.txt" and (bad.get("tests"), bad.get("failures")) == ("2", "2")
    failure = bad.find("testcase/failure")
    assert failure.get("message") == "换页\ufffd符、空字符\ufffd、<标签> & “引号” 'x'" and failure.get("type") == "error"
    assert bad.findall("testcase")[1].find("failure").get("message") == "第二个\n问题"
    assert (ok.get("tests"), ok.get("failures"), [c.get("name") for c in ok]) == ("1", "0", ["xxgk-lint"])
    assert ok.find("testcase/failure") is None


def test_junit_of_a_directory_with_an_unreadable_file(tmp_path):
    write(tmp_path / "a.txt", TWO)
    write(tmp_path / "b.txt", SCAFFOLD)
    target = tmp_path / "out" / "junit.xml"
    missing = unreadable(tmp_path / "missing.txt")
    code, out, _ = run("check", "--format", "junit", "--output", target, tmp_path, missing)
    assert code == 2 and out == ""
    root = ET.parse(target).getroot()
    suites = {pathlib.Path(s.get("name")).name: s for s in root}
    assert set(suites) == {"a.txt", "b.txt", "missing.txt"}
    assert suites["missing.txt"].find("testcase").get("name") == "E001 unreadable-file"
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in root)


def test_statistics_and_summary_in_english(tmp_path):
    write(tmp_path / "a.txt", TWO)
    write(tmp_path / "b.txt", WRONG_TITLE)
    code, out, _ = run("check", "--statistics", "--lang", "en", tmp_path)
    assert out.splitlines()[-1].split() == [str(len(_json(tmp_path, "--lang", "en")[1])), "total", "(2", "files)"]
    code, out, err = run("check", "--format", "concise", "--lang", "en", tmp_path)
    assert "Summary: 2 files checked, 1 with errors" in err and "Findings per rule:" in err and "汇总" not in err


def test_the_example_workflow_uploads_a_valid_sarif_file(tmp_path, monkeypatch):
    """examples/github-workflow.yml: the SARIF step writes the file the upload step sends, and it validates."""
    import shlex

    import yaml

    workflow = yaml.safe_load((pathlib.Path(__file__).resolve().parents[1] / "examples" / "github-workflow.yml")
                              .read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["xxgk-lint"]["steps"]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    (sarif_step,) = [s for s in steps if "--format sarif" in s.get("run", "")]
    args = shlex.split(sarif_step["run"].replace("$REPORTS", workflow["env"]["REPORTS"]))
    assert args[0] == "xxgk-lint" and args[args.index("--output") + 1] == upload["with"]["sarif_file"]
    write(tmp_path / "reports" / "2023.txt", TWO)
    write(tmp_path / "reports" / "2022.txt", SCAFFOLD)
    shutil.copy(FIXTURES / "documents" / "report.docx", tmp_path / "reports" / "2021.docx")
    monkeypatch.chdir(tmp_path)
    assert run(*args[1:])[0] == 0  # --exit-zero: findings do not fail the step
    sarif = json.loads((tmp_path / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert [e.message for e in _validator().iter_errors(sarif)] == []
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"reports/2023.txt", "reports/2021.docx"}  # relative to the repository root
