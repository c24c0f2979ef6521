"""The self-contained HTML report: findings at their spans, marked table cells, escaping, no network."""

from __future__ import annotations

import html
import json
import pathlib
import re
from html.parser import HTMLParser

import pytest
from conftest import seed

from xxgk_lint.linter.diagnostics import Diagnostic, FileResult, Severity, Span
from xxgk_lint.linter.reporters.html import render_html
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import Settings, check_file


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def check(path, registry) -> FileResult:
    settings = Settings()
    return check_file(str(path), registry, settings.rules_for(str(path), registry), settings)


class Elements(HTMLParser):
    """Every element's attributes and its text (nested text included)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in ("input", "meta", "br"):
            self.open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i]["tag"] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data


def elements(page: str) -> list[dict]:
    parser = Elements()
    parser.feed(page)
    return parser.elements


def by_id(page: str) -> dict[str, dict]:
    return {e["attrs"]["id"]: e for e in elements(page) if "id" in e["attrs"]}


def test_seed_report_shows_every_finding_at_its_span(registry):
    result = check(seed("003"), registry)
    assert {d.code for d in result.diagnostics} >= {"A102", "A301", "S203"}
    page = render_html([result], registry)
    found = by_id(page)
    text = result.document.text
    for n, diag in enumerate(result.diagnostics):
        did = f"r0-d{n}"
        assert diag.code in found[did]["text"]
        assert diag.message in found[did]["text"]  # the message, unescaped by the parser, is shown whole
        assert found[did]["attrs"]["data-sev"] == diag.severity.value
        # the highlight opening this finding holds the first piece of its span's text
        mark = found[f"{did}-m"]
        assert mark["tag"] == "mark"
        first_piece = text[diag.span.start:diag.span.end].split("\n")[0]
        assert mark["text"] and first_piece.startswith(mark["text"])


def test_summary_filters_and_rule_docs(registry):
    result = check(seed("003"), registry)
    page = render_html([result], registry)
    assert "2019年格式" in page and "报告年度 2020 年" in page  # version and why
    assert "银川市兴庆区" in page
    assert re.search(r"错误 <b>1</b>", page) and re.search(r"警告 <b>2</b>", page)
    boxes = [e["attrs"] for e in elements(page) if e["tag"] == "input"]
    assert {(b["data-filter"], b["value"]) for b in boxes} == {("sev", "error"), ("sev", "warning"),
                                                               ("fam", "A"), ("fam", "S")}
    for code in ("A102", "A301", "S203"):
        assert html.escape(registry.rules[code].doc.splitlines()[0]) in page


def test_marked_cells_and_expected_value(registry):
    result = check(seed("003"), registry)
    page = render_html([result], registry)
    cells = {(e["attrs"]["data-row"], e["attrs"]["data-col"]): e for e in elements(page)
             if e["tag"] == "td" and e["attrs"].get("data-row") and e["attrs"].get("data-col")}
    # A102: the 自然人 and 总计 cells of （七）总计 are suspects whose consistent value is 24
    for col in ("c_natural", "c_total"):
        cell = cells[("r3_7", col)]
        classes = cell["attrs"]["class"].split()
        assert {"xr-marked", "xr-strong", "sev-error"} <= set(classes)
        assert cell["text"].startswith("25") and "应为 24" in cell["text"]
    # a cell taking part in the failed balance is marked, but not as the suspect
    involved = cells[("r1", "c_natural")]["attrs"]["class"].split()
    assert "xr-marked" in involved and "xr-strong" not in involved
    # a cell of no finding is not marked
    assert "xr-marked" not in cells[("r1", "c_commercial")]["attrs"]["class"].split()


def test_no_network_resources(registry):
    results = [check(seed(p), registry) for p in ("000", "003")]
    page = render_html(results, registry)
    assert not re.search(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<link\b|@import|url\(", page, re.I)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_report_text_is_escaped(registry, tmp_path):
    path = tmp_path / "evil.txt"
    path.write_text("<script>alert(1)</script>\n一、总体情况\n\"><img src=x onerror=alert(2)>\n", encoding="utf-8")
    result = check(path, registry)
    result.path = "<b>evil</b>.txt"
    page = render_html([result], registry)
    assert "<script>alert(1)</script>" not in page
    assert "script&gt;alert(1)&lt;/script&gt;" in page  # a highlight may open before it
    assert "<img src=x" not in page
    assert "<b>evil</b>" not in page
    assert len(re.findall(r"<script>", page)) == 1  # only the page's own script


def test_data_shapes_from_other_rules(registry):
    """Cells named in data are marked whatever the rule; absent or odd keys are ignored."""
    result = check(seed("003"), registry)
    cell = result.report.tables["t3"].rows["r2"].values["c_total"]
    result.diagnostics = [
        Diagnostic("单格问题", cell.span, "X901", "x-one", Severity.WARNING,
                   {"table": "t3", "row": "r2", "column": "c_total", "expected": "9"}),
        Diagnostic("列表问题", None, "X902", "x-two", Severity.INFO,
                   {"cells": [{"table": "t4", "row": "count", "column": "rev_total"}, {"row": "r1"}, "junk", {}]}),
        Diagnostic("整行问题", Span(0, 0), "X903", "x-three", Severity.ERROR, {"table": "t3", "row": "r4"}),
        Diagnostic("不存在的表", Span(1, 2), "X904", "x-four", Severity.ERROR,
                   {"table": "t9", "row": "r1", "column": "c1", "cells": None}),
    ]
    page = render_html([result], registry)
    cells = {(e["attrs"]["data-row"], e["attrs"]["data-col"]): e for e in elements(page)
             if e["tag"] == "td" and e["attrs"].get("data-row")}
    single = cells[("r2", "c_total")]
    assert {"xr-marked", "xr-strong", "sev-warning"} <= set(single["attrs"]["class"].split())
    assert "应为 9" in single["text"]
    assert "xr-marked" in cells[("count", "rev_total")]["attrs"]["class"]  # table named per cell
    rows = [e for e in elements(page) if e["tag"] == "tr" and "xr-marked" in e["attrs"].get("class", "")]
    assert any("四、结转下年度继续办理" in r["text"] for r in rows)  # the whole-row finding
    for message in ("单格问题", "列表问题", "整行问题", "不存在的表"):
        assert message in page


def test_unreadable_file_shows_its_e_finding(registry, tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"this is not a zip")
    result = check(path, registry)
    page = render_html([result], registry)
    assert result.diagnostics[0].code.startswith("E")
    assert "整个文件的问题" in page and html.escape(result.diagnostics[0].message) in page


def test_clean_report_says_so(registry, tmp_path):
    result = check(seed("003"), registry)
    result.diagnostics = []
    page = render_html([result], registry)
    assert "未发现问题" in page


def test_check_format_html_writes_a_self_contained_report(tmp_path):
    import json
    import subprocess
    import sys

    from conftest import seed

    out = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", "--format", "html", "--output", str(out),
                           str(seed("003"))], capture_output=True, text=True)
    assert proc.returncode == 1  # the report has an error-level finding
    page = out.read_text(encoding="utf-8")
    assert "http://" not in page.replace("http://www.xqq.gov.cn", "") and "https://" not in page
    listing = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", "--format", "json", str(seed("003"))],
                             capture_output=True, text=True)
    for item in json.loads(listing.stdout):  # the same findings as the command line
        assert item["code"] in page


def test_serve_command_is_available():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "xxgk_lint", "serve", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "--port" in proc.stdout


# ---- language: --lang en gives an English page, its words from the message catalogue

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# what stays in the report's own language: its text, its tables (template labels), the rule
# documentation (written in Chinese), the facts read from it, and the findings' messages
# (checked against message_en separately)
REPORT_OWN = ("xr-src", "xr-table-wrap", "xr-doc", "xr-msg", "xr-imsg", "xr-data", "xr-path")


def _page_words(page: str) -> str:
    """The page's own words: its text and tooltips without what REPORT_OWN names, and without
    quotations (“…”: a message may quote the report)."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(page)
    for cls in REPORT_OWN:
        for el in root.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]'):
            el.drop_tree()
    for el in root.xpath("//script|//style"):
        el.drop_tree()
    tips = " ".join(v for el in root.iter() if isinstance(el.tag, str)
                    for k, v in el.attrib.items() if k in ("title", "aria-label", "content"))
    return re.sub(r"“[^”]*”", "", root.text_content() + " " + tips)


@pytest.mark.parametrize("path", [seed("003"), pathlib.Path(__file__).parent / "fixtures" / "real" / "pingtan-zhsyq-2020.txt"])
def test_lang_en_format_html_is_english_throughout(path, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", "--lang", "en", "--format", "html",
                           "--output", str(out), str(path)], capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Findings (" in page and "About the rule (" in page
    words = _page_words(page)
    assert not CJK.findall(words), sorted(set(CJK.findall(words)))
    # each finding's message is its English text
    def messages(lang):
        listing = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", "--lang", lang, "--format", "json",
                                  str(path)], capture_output=True, text=True)
        return [item["message"] for item in json.loads(listing.stdout)]

    english, chinese = messages("en"), messages("zh")
    assert english and len(english) == len(chinese)
    for message_en, message_zh in zip(english, chinese):
        assert html.escape(message_en, quote=True) in page
        assert html.escape(message_zh, quote=True) not in page


def test_default_page_is_chinese_and_render_html_takes_a_language(registry):
    result = check(seed("003"), registry)
    zh, en = render_html([result], registry), render_html([result], registry, lang="en")
    assert '<html lang="zh-CN">' in zh and "问题列表（" in zh and "错误" in zh
    assert '<html lang="en">' in en and "Findings (" in en and ">error<" in en
    assert render_html([result], registry) == zh  # the language given for one page does not stick


def test_style_and_script_are_package_files():
    from importlib import resources

    from xxgk_lint.linter.reporters.html import css, js

    folder = resources.files("xxgk_lint").joinpath("linter/reporters/html")
    assert css() == folder.joinpath("report.css").read_text("utf-8") and ":root{" in css()
    assert js() == folder.joinpath("report.js").read_text("utf-8") and "function xxgkInit" in js()


def test_package_data_globs_ship_every_data_file():
    """A non-editable install (pip install ., the CI) ships only what pyproject's package-data names:
    every file of the package that is not Python must match one of its globs."""
    import fnmatch

    root = pathlib.Path(__file__).parents[1]
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    globs = re.findall(r'"([^"]+)"', re.search(r"(?m)^xxgk_lint = \[(.*)\]$", text).group(1))
    package = root / "xxgk_lint"
    for path in package.rglob("*"):
        if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), f"{relative} is not in package-data"

