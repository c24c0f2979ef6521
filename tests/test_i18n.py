"""English messages (``--lang en`` / ``XXGK_LINT_LANG=en``): every finding of
every rule, reader and table problem has an English text built from the same
values; reporters print the chosen language; Chinese stays the default."""

from __future__ import annotations

import ast
import json
import pathlib
import pickle
import re
import zipfile

import pytest

from conftest import FIXTURES, PINGTAN
from xxgk_lint.linter import i18n
from xxgk_lint.linter.diagnostics import Diagnostic, FileResult, Severity, Span
from xxgk_lint.linter.parse import build_report
from xxgk_lint.linter.readers import ReadError, read
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.reporters import render
from xxgk_lint.linter.ruledocs import examples
from xxgk_lint.linter.runner import Settings, check_file
from xxgk_lint.rules import cross

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "xxgk_lint"
REGISTRY = load_registry(include_plugins=False)
ALL_RULES = REGISTRY.select(["ALL"])
SCAFFOLD = (FIXTURES / "rule-example-scaffold.txt").read_text(encoding="utf-8")

# CJK ideographs, CJK punctuation (、。), full-width forms (，（）＋) and the like
_CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


@pytest.fixture(autouse=True)
def _default_language(monkeypatch):
    """Each test starts in the default language and leaves no choice behind."""
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    with i18n.language(None):  # restores the choice and the environment afterwards
        i18n.set_language(None)
        yield


def english_problems(diag: Diagnostic) -> list[str]:
    """Why ``diag`` has no proper English message ([] when it has one):
    report text quoted with “…” or "…" may stay Chinese, nothing else."""
    text = diag.message_en
    if not text or not text.strip():
        return [f"{diag.code}: no English message for “{diag.message}”"]
    outside = _QUOTED.sub("", text)
    found = _CJK.findall(outside)
    return [f"{diag.code}: Chinese outside quotes ({''.join(found)}) in: {text}"] if found else []


def assert_english(diagnostics) -> None:
    problems = [p for d in diagnostics for p in english_problems(d)]
    assert problems == [], "\n".join(problems)


def _check(path, rules=ALL_RULES, **settings):
    return check_file(str(path), REGISTRY, rules, Settings(**settings))


# -- the language choice ---------------------------------------------------------------------

def test_chinese_by_default_english_from_the_environment_or_the_setting(monkeypatch):
    assert i18n.current_language() == "zh"
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    assert i18n.current_language() == "en"
    monkeypatch.setenv(i18n.ENV_VAR, "en_US.UTF-8")
    assert i18n.current_language() == "en"
    monkeypatch.setenv(i18n.ENV_VAR, "klingon")  # unknown: the default (the CLI refuses it)
    assert i18n.current_language() == "zh"
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    i18n.set_language("zh")  # the explicit choice beats the environment ...
    assert i18n.current_language() == "zh"
    import os

    assert os.environ[i18n.ENV_VAR] == "zh"  # ... and is exported for worker processes
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_the_language_block_restores_the_choice_and_the_environment(monkeypatch):
    import os

    with i18n.language("en"):
        assert i18n.current_language() == "en" and os.environ[i18n.ENV_VAR] == "en"
    assert i18n.current_language() == "zh" and i18n.ENV_VAR not in os.environ
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    with i18n.language("zh"):
        assert i18n.current_language() == "zh"
    assert i18n.current_language() == "en" and os.environ[i18n.ENV_VAR] == "en"


def test_a_diagnostic_carries_both_texts_and_picks_one():
    diag = Diagnostic("缺少第二部分", Span(0, 1), message_en="Section 2 is missing")
    assert diag.text("zh") == "缺少第二部分" and diag.text("en") == "Section 2 is missing"
    assert diag.text() == "缺少第二部分"
    i18n.set_language("en")
    assert diag.text() == "Section 2 is missing"
    # a finding without English (a third-party rule) keeps its Chinese
    assert Diagnostic("插件的提示").text() == "插件的提示"


def test_bilingual_strings_bring_their_english_into_a_diagnostic_and_survive_pickling():
    message = i18n.bilingual("文件已损坏", "The file is damaged")
    assert message == "文件已损坏" and i18n.english_of(message) == "The file is damaged"
    again = pickle.loads(pickle.dumps(message))
    assert again == "文件已损坏" and again.en == "The file is damaged"
    diag = Diagnostic(message, None, "E007")  # the runner builds read errors like this
    assert diag.message_en == "The file is damaged" and type(diag.message) is str
    diag = pickle.loads(pickle.dumps(diag))
    assert diag.text("en") == "The file is damaged"
    assert i18n.bilingual("只有中文", "") == "只有中文" and i18n.english_of("只有中文") == ""


def test_the_english_check_itself_catches_chinese_outside_quotes():
    assert english_problems(Diagnostic("x", message_en="Row “（七）总计” is wrong")) == []
    assert english_problems(Diagnostic("x", message_en="第三部分 is wrong"))
    assert english_problems(Diagnostic("x", message_en="Row “a”，column “b”"))  # a full-width comma
    assert english_problems(Diagnostic("x"))


# -- every finding on every fixture -------------------------------------------------------------

FIXTURE_FILES = sorted(p for d in ("seeds", "real", "excerpts", "documents") for p in (FIXTURES / d).iterdir()
                       if p.is_file() and p.suffix.lower() in (".txt", ".html", ".htm", ".pdf", ".docx", ".odt", ".ofd"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.name for p in FIXTURE_FILES])
def test_every_finding_on_the_fixtures_has_an_english_message(path):
    assert_english(_check(path).diagnostics)


def test_the_fixtures_exercise_many_rules():
    """The sweep above must not pass by finding nothing."""
    codes = {d.code for p in FIXTURE_FILES for d in _check(p).diagnostics}
    assert {"A101", "A102", "A103", "A104", "A202", "A301", "E008", "E010", "L102", "L103", "N101", "N104",
            "N201", "P102", "P201", "S001", "S101", "S104", "S201", "S202", "S203"} <= codes


# (U100/U101 come from linter/suppress.py: see test_suppression_findings_have_english_messages)
FAILING_EXAMPLES = [r for r in ALL_RULES if (ex := examples(r)["错误示例"]) is not None and ex.runnable
                    and r.family != "U"]


@pytest.mark.parametrize("rule_", FAILING_EXAMPLES, ids=[r.code for r in FAILING_EXAMPLES])
def test_each_rules_failing_example_has_english_messages(tmp_path, rule_):
    path = tmp_path / "example.txt"
    path.write_text(examples(rule_)["错误示例"].apply(SCAFFOLD), encoding="utf-8")
    result = _check(path, [rule_], select=[rule_.code])
    assert rule_.code in {d.code for d in result.diagnostics}
    assert_english(result.diagnostics)


# small reports for the branches that neither the fixtures nor the examples reach

def _edit(*pairs) -> str:
    text = SCAFFOLD
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


CRAFTED = {
    "period-invalid": (["P101"], lambda: _edit(("12月31日止", "2月30日止"))),
    "period-other-year": (["P101"], lambda: re.sub(r"统计期限自(\d{4})年1月1日起至(\d{4})年12月31日止",
                                                   lambda m: f"统计期限自{int(m.group(1)) - 1}年3月1日起至"
                                                             f"{int(m.group(2))}年12月31日止", SCAFFOLD, count=1)),
    "section-order-and-duplicate": (["S102", "S103", "S101"], lambda: SCAFFOLD.replace(
        "五、存在的主要问题及改进情况", "二、主动公开政府信息情况", 1).replace(
        "二、主动公开政府信息情况", "五、存在的主要问题及改进情况", 1)),
    "section-5-says-nothing": (["C101", "C105"], lambda: re.sub(
        r"(五、存在的主要问题及改进情况\n)(?:.*\n)*?(?=六、)", r"\1无。\n", SCAFFOLD, count=1)),
    "section-6-empty": (["C105"], lambda: re.sub(r"(六、其他需要报告的事项)\n(?:.*\n?)*", r"\1\n", SCAFFOLD, count=1)),
    "heading-duplicate-and-order": (["N102", "N103"], lambda: SCAFFOLD + "\n（一）甲\n（二）乙\n（二）丙\n（一）丁\n"),
    "signed-too-early": (["P202"], lambda: _edit(("2024年1月20日", "2023年1月20日"))),
    "signed-too-late": (["P201"], lambda: _edit(("2024年1月20日", "2024年3月5日"))),
    "fee-contradiction": (["C103"], lambda: _edit(("本年度未收取信息处理费。", "本年度未收取信息处理费。依法收取信息处理费200元。"))),
}


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_crafted_reports_have_english_messages(tmp_path, name):
    expected, make = CRAFTED[name]
    path = tmp_path / "crafted.txt"
    path.write_text(make(), encoding="utf-8")
    result = _check(path)
    found = {d.code for d in result.diagnostics}
    assert found & set(expected), f"{name}: expected one of {expected}, found {sorted(found)}"
    assert_english(result.diagnostics)


def test_cross_year_findings_have_english_messages(tmp_path):
    by_year = {int(p.stem[-4:]): p for p in PINGTAN}
    text = by_year[2022].read_text(encoding="utf-8").replace("二、上年结转政府信息公开申请数量 1000001",
                                                           "二、上年结转政府信息公开申请数量 2000002")
    (tmp_path / "pingtan-2022.txt").write_text(text, encoding="utf-8")
    report = build_report(read(str(tmp_path / "pingtan-2022.txt")))
    report.previous = build_report(read(str(by_year[2020])))  # not the year before (X103); carry-over off (X101)
    found = []
    for rule_ in (cross.cross_year_identity, cross.copied_from_last_year, cross.previous_report_mismatch):
        for d in rule_.check(report):
            d.code = rule_.code
            found.append(d)
    assert {"X101", "X103"} <= {d.code for d in found}
    assert_english(found)
    same = build_report(read(str(by_year[2022])))
    same.previous = build_report(read(str(by_year[2022])))  # the same text: copied
    copied = list(cross.copied_from_last_year.check(same))
    assert copied
    assert_english(copied)


# -- files that cannot be read --------------------------------------------------------------

def _zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


BROKEN = {
    "report.xlsx": lambda p: p.write_bytes(b"PK"),
    "empty.pdf": lambda p: p.write_bytes(b""),
    "noheader.pdf": lambda p: p.write_bytes(b"hello world"),
    "truncated.pdf": lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj\n"),
    "notzip.docx": lambda p: p.write_bytes(b"just text, not a zip"),
    "nobody.docx": lambda p: _zip(p, {"[Content_Types].xml": b"<Types/>"}),
    "dtd.docx": lambda p: _zip(p, {"word/document.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'}),
    "ole.docx": lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600),
    "nocontent.odt": lambda p: _zip(p, {"mimetype": b"application/vnd.oasis.opendocument.text"}),
    "nodocroot.ofd": lambda p: _zip(p, {"OFD.xml": b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>"}),
    "empty.html": lambda p: p.write_text("   ", encoding="utf-8"),
    "scripted.html": lambda p: p.write_text("<html><body><script>load()</script></body></html>", encoding="utf-8"),
    "big5.txt": lambda p: p.write_bytes("中華民國政府資訊公開".encode("big5") + b"\x81\xff\x00"),
    "old.wps": lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0 not really"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_read_errors_have_english_messages(tmp_path, name):
    path = tmp_path / name
    BROKEN[name](path)
    result = _check(path)
    assert [d.code[0] for d in result.diagnostics] == ["E"], result.diagnostics
    assert_english(result.diagnostics)


def test_a_missing_file_has_an_english_message(tmp_path):
    with pytest.raises(ReadError) as info:
        read(str(tmp_path / "nowhere.txt"))
    assert info.value.message_en.startswith("Cannot read the file")
    assert_english(_check(tmp_path / "nowhere.txt").diagnostics)


# -- nothing is left without English --------------------------------------------------------

def _calls(path: pathlib.Path, names: set[str]):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            yield node


def test_every_message_in_the_source_has_an_english_twin():
    """Branches no fixture reaches: each Diagnostic a rule builds and each
    reader ReadError passes its English text."""
    missing = []
    for path in sorted((PACKAGE / "rules").glob("*.py")):
        for call in _calls(path, {"Diagnostic"}):
            if not any(k.arg == "message_en" for k in call.keywords):
                missing.append(f"{path.name}:{call.lineno}")
    # the table reader words no finding: S203 and E010 word its ReadProblems (tests/test_read_problems.py)
    for call in _calls(PACKAGE / "linter" / "tables.py", {"ReadProblem"}):
        if len(call.args) > 4 or any(k.arg in ("message", "message_en") for k in call.keywords):
            missing.append(f"tables.py:{call.lineno} words a finding")
    for path in sorted((PACKAGE / "linter" / "readers").glob("*.py")):
        for call in _calls(path, {"ReadError", "_error"}):
            if len(call.args) < 4 and not any(k.arg == "message_en" for k in call.keywords):
                missing.append(f"readers/{path.name}:{call.lineno}")
    assert missing == []


# -- reporters -----------------------------------------------------------------------------

def _result(tmp_path) -> list[FileResult]:
    path = tmp_path / "report.txt"
    path.write_text(SCAFFOLD.replace("五、存在的主要问题及改进情况", "五、存在的问题及改进情况"), encoding="utf-8")
    result = _check(path)
    assert "S104" in {d.code for d in result.diagnostics}
    return [result]


def _render(fmt, results) -> str:
    import io

    out = io.StringIO()
    render(fmt, results, REGISTRY, out)
    return out.getvalue()


def test_machine_formats_put_the_chosen_language_in_message(tmp_path):
    results = _result(tmp_path)
    zh = json.loads(_render("json", results))
    assert any("与模板不一致" in item["message"] for item in zh)
    i18n.set_language("en")
    en = json.loads(_render("json", results))
    assert [item["code"] for item in en] == [item["code"] for item in zh]
    s104 = next(item for item in en if item["code"] == "S104")
    assert s104["message"].startswith("Section title “五、存在的问题及改进情况” differs from the template")
    assert "message_en" not in s104  # the contract: one message, in the chosen language
    lines = [json.loads(line) for line in _render("json-lines", results).splitlines()]
    assert lines == en
    sarif = json.loads(_render("sarif", results))
    assert any(r["message"]["text"] == s104["message"] for r in sarif["runs"][0]["results"])
    assert s104["message"] in _render("junit", results)
    assert "differs from the template" in _render("github", results)


def test_human_formats_in_english(tmp_path):
    results = _result(tmp_path)
    assert "[警告]" in _render("concise", results)
    i18n.set_language("en")
    concise = _render("concise", results)
    assert "[warning] Section title" in concise and not re.search(r"\[[^\]]*[\u4e00-\u9fff]", concise)
    text = _render("text", results)
    assert "Checked 1 file:" in text and "[warning]" in text and "检查了" not in text


def test_github_notice_about_hidden_annotations_in_english():
    results = [FileResult("r.txt", [Diagnostic("错", None, "S101", "section-missing", Severity.ERROR,
                                               message_en="Wrong") for _ in range(12)])]
    assert "GitHub 每个步骤最多显示" in _render("github", results)
    i18n.set_language("en")
    out = _render("github", results)
    assert out.splitlines()[0].startswith("::notice title=xxgk-lint::12 findings; GitHub shows at most 10 error")
    assert "2 errors will not be shown" in out and "::error" in out and "::Wrong" in out


def test_the_environment_variable_switches_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from xxgk_lint.linter.cli import main

    path = tmp_path / "report.txt"
    path.write_text(SCAFFOLD.replace("五、存在的主要问题及改进情况", "五、存在的问题及改进情况"), encoding="utf-8")
    args = ["check", str(path), "--format", "json", "--isolated", "--select", "S104"]
    zh = json.loads(CliRunner().invoke(main, args).output)
    assert "与模板不一致" in zh[0]["message"]
    en = json.loads(CliRunner(env={i18n.ENV_VAR: "en"}).invoke(main, args).output)
    assert en[0]["message"].startswith("Section title") and en[0]["data"] == zh[0]["data"]


# -- messages that come from outside the files this change owns ---------------------------------

def test_suppression_findings_have_english_messages(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(SCAFFOLD + "\n<!-- xxgk-lint: disable-next-line=S104 -->\n正文\n<!-- xxgk-lint: noqa=Q999 -->\n",
                    encoding="utf-8")
    result = _check(path)
    assert {"U100", "U101"} <= {d.code for d in result.diagnostics}
    assert_english(result.diagnostics)


def test_internal_errors_have_english_messages(tmp_path):
    from xxgk_lint.linter.registry import Rule

    def broken(report):
        raise RuntimeError("boom")

    rule_ = Rule("Z999", "broken-rule", Severity.ERROR, broken, "坏规则。", "test")
    path = tmp_path / "report.txt"
    path.write_text(SCAFFOLD, encoding="utf-8")
    result = check_file(str(path), REGISTRY, [rule_], Settings())
    assert [d.code for d in result.diagnostics] == ["E009"]
    assert_english(result.diagnostics)


def test_the_lang_option(tmp_path):
    import os

    from click.testing import CliRunner

    from xxgk_lint.linter.cli import main

    path = tmp_path / "report.txt"
    path.write_text(SCAFFOLD.replace("五、存在的主要问题及改进情况", "五、存在的问题及改进情况"), encoding="utf-8")
    args = ["check", str(path), "--format", "json", "--isolated", "--select", "S104", "--no-cache"]
    en = json.loads(CliRunner().invoke(main, args + ["--lang", "en"]).output)
    assert en[0]["message"].startswith("Section title")
    assert i18n.current_language() == "zh" and i18n.ENV_VAR not in os.environ  # nothing left behind
    assert "与模板不一致" in json.loads(CliRunner().invoke(main, args).output)[0]["message"]
    bad = CliRunner(env={i18n.ENV_VAR: "fr"}).invoke(main, args)  # an invalid choice fails loudly
    assert bad.exit_code == 2 and "lang" in bad.output.lower(), bad.output
    flag_wins = CliRunner(env={i18n.ENV_VAR: "en"}).invoke(main, args + ["--lang", "zh"])
    assert "与模板不一致" in json.loads(flag_wins.output)[0]["message"]
    workers = CliRunner().invoke(main, args + ["--lang", "en", "--jobs", "2"])
    assert json.loads(workers.output)[0]["message"].startswith("Section title")


def test_parse_output_follows_the_language_and_keeps_its_chinese_by_default():
    from click.testing import CliRunner

    from xxgk_lint.linter.cli import main

    path = str(FIXTURES / "real" / "pingtan-zhsyq-2020.txt")
    zh = CliRunner().invoke(main, ["parse", path]).output
    en = CliRunner().invoke(main, ["parse", "--lang", "en", path]).output
    env = CliRunner(env={i18n.ENV_VAR: "en"}).invoke(main, ["parse", path]).output
    assert "格式版本：" in zh and "统计期限：2020-01-01 至 2020-12-31" in zh and "章节" in zh
    assert en == env
    assert "Template version: the 2019 format" in en and "Statistics period: 2020-01-01 to 2020-12-31" in en
    assert "→ template section 1" in en and "Table t2 (read with the labels of gb2019" in en
    assert "格式版本" not in en and "章节" not in en and "（未" not in en
    # the JSON keeps its keys and values whatever the language
    assert CliRunner().invoke(main, ["parse", "--format", "json", "--lang", "en", path]).output == \
        CliRunner().invoke(main, ["parse", "--format", "json", path]).output


def test_web_page_and_its_results_follow_the_language(monkeypatch, tmp_path):
    from lxml import html as lxml_html

    from xxgk_lint.linter import webapp

    exts = [".docx", ".pdf", ".txt", ".html"]
    zh = webapp._page(exts, 20 * 1024 * 1024)
    assert '<html lang="zh-CN">' in zh and "把报告文件拖到这里" in zh and "支持 Word（.docx）" in zh
    words = json.loads(re.search(r"var XXGK=(\{.*?\});\n", zh).group(1))["words"]
    assert (words["error"], words["done"]) == ("错误", "“{file}”检查完成（{seconds} 秒）：{error} {errors} 个，"
                                                      "{warning} {warnings} 个，{info} {infos} 个。")
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    en = webapp._page(exts, 20 * 1024 * 1024)
    assert '<html lang="en">' in en and "Drop a report file here" in en and "Supported: Word (.docx)" in en
    root = lxml_html.fromstring(en)
    for el in root.xpath("//script|//style"):
        el.drop_tree()
    visible = root.text_content() + " ".join(el.get("placeholder") or el.get("aria-label") or "" for el in root.iter()
                                             if isinstance(el.tag, str))
    assert not re.search(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]", visible)
    script_words = json.loads(re.search(r"var XXGK=(\{.*?\});\n", en).group(1))["words"]
    assert not any(re.search(r"[\u4e00-\u9fff]", w) for w in script_words.values())
    # the results the page inserts are in the same language
    path = tmp_path / "report.txt"
    path.write_text((FIXTURES / "rule-example-scaffold.txt").read_text(encoding="utf-8").replace(
        "六、其他需要报告的事项", "六、其他需要报告的事项\n无。\n六、其他需要报告的事项", 1), encoding="utf-8")
    answer = webapp.check_path(str(path), "report.txt", load_registry())
    assert answer["counts"]["error"] >= 1
    assert "Findings (" in answer["html"] and "appears again" in answer["html"] and "问题列表" not in answer["html"]


def test_web_server_errors_follow_the_language(monkeypatch):
    import warnings

    from xxgk_lint.linter import webapp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from starlette.testclient import TestClient

    app = webapp.create_app()
    with TestClient(app) as client:
        zh = client.post("/api/check", files={"file": ("empty.txt", b"", "text/plain")}).json()["error"]
        monkeypatch.setenv(i18n.ENV_VAR, "en")
        en = client.post("/api/check", files={"file": ("empty.txt", b"", "text/plain")}).json()["error"]
        wrong = client.post("/api/check", content=b"x", headers={"content-type": "text/plain"}).json()["error"]
    assert zh == "“empty.txt”是空文件（0 字节）：请确认选择的是报告文件，或在原软件中重新保存后再检查。"
    assert en.startswith("“empty.txt” is empty (0 bytes)") and wrong.startswith("The request is not in the right format")
