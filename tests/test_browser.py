"""The real page in headless Chromium (Debian package ``chromium``, driven by Playwright).

Set XXGK_SCREENSHOT_DIR to keep the screenshots (docs/screenshots/ was made this way).
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import pathlib
import queue
import re
import signal
import subprocess
import sys
import threading

import pytest
from conftest import seed

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing (pip install playwright)")
pytest.importorskip("uvicorn")

from readers_util import docx_from_text  # noqa: E402
from webserver import running  # noqa: E402

from xxgk_lint.linter import webapp  # noqa: E402
from xxgk_lint.linter.readers import read  # noqa: E402
from xxgk_lint.linter.registry import load_registry  # noqa: E402
from xxgk_lint.linter.runner import Settings, check_file  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
LIMIT = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def url():
    with running(webapp.create_app()) as base:
        yield base


@pytest.fixture(scope="module")
def small_url():
    with running(webapp.create_app(max_upload_bytes=LIMIT)) as base:
        yield base


@pytest.fixture(scope="module")
def seed_files(browser, tmp_path_factory) -> dict[str, pathlib.Path]:
    """Seed 003 (real table-3 defects) saved as a Word document and as a PDF, made once."""
    folder = tmp_path_factory.mktemp("seed-files")
    files = {"docx": folder / "兴庆区2020年报告.docx", "pdf": folder / "兴庆区2020年报告.pdf"}
    docx_from_text(seed("003"), files["docx"])
    pdf_of(seed("003"), files["pdf"], browser)
    return files


@pytest.fixture(scope="module")
def served():
    """The page started the way README.md says (``xxgk-lint serve``; a free port here): its URL."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "xxgk_lint", "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        first = lines.get(timeout=60)
        found = re.match(r"xxgk-lint 检查页面已启动：(http://127\.0\.0\.1:\d+/)$", first.strip())
        assert found, first
        yield found.group(1)
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            proc.wait(timeout=20)
        finally:
            proc.kill()
        stderr = proc.stderr.read()
        proc.stderr.close()
    assert proc.returncode == 0 and "Traceback" not in stderr, stderr


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@contextlib.contextmanager
def opened(browser, base: str):
    """A fresh tab on the page at ``base``; afterwards: no script error, nothing loaded from
    anywhere but the server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("request", lambda r: None if r.url.startswith(base) else problems.append("outside request " + r.url))
    tab.goto(base)
    yield tab
    context.close()
    assert problems == []


@pytest.fixture
def page(browser, url):
    with opened(browser, url) as tab:
        yield tab


def shot(tab, name: str, tmp_path) -> None:
    """Screenshot of the viewport, or of one element (a Locator)."""
    keep = os.environ.get("XXGK_SCREENSHOT_DIR")
    target = pathlib.Path(keep) if keep else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(target / name))
    assert (target / name).stat().st_size > 1000


def cli(path):
    registry = load_registry()
    settings = Settings()
    return check_file(str(path), registry, settings.rules_for(str(path), registry), settings)


def drop(tab, path) -> None:
    """Choose the file with the page's "选择文件" button."""
    tab.set_input_files("#file", str(path))
    tab.wait_for_selector("#results .xr-file", timeout=15000)


def drag_and_drop(tab, path) -> None:
    """Drop the file onto the dashed box, as the drafter drags it from the desktop."""
    data = base64.b64encode(pathlib.Path(path).read_bytes()).decode()
    tab.evaluate("""([name, b64]) => {
      const bin = atob(b64), bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name));
      const box = document.getElementById('drop');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        box.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
      }
    }""", [pathlib.Path(path).name, data])
    tab.wait_for_selector("#results .xr-file", timeout=15000)


def pdf_of(text_path, out_path, browser) -> None:
    """A PDF of a text report, printed by Chromium: its paragraphs, and its tables as ruled tables
    (the PDF reader then finds them by their lines, as in an exported Word document)."""
    doc = read(str(text_path))
    parts = []
    for block in doc.blocks:
        if block.kind == "table":
            rows = [[doc.text[c.start:c.end].strip() for c in row] for row in block.rows]
            width = max(len(r) for r in rows)
            parts.append("<table>" + "".join(
                "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r + [""] * (width - len(r))) + "</tr>"
                for r in rows) + "</table>")
            continue
        line = doc.text[block.start:block.end]
        heading = re.match(r"^\s{0,3}(#{1,4})\s+(.*)$", line)
        line = re.sub(r"\*\*|__", "", heading.group(2) if heading else line)
        if line.strip():
            tag = f"h{len(heading.group(1))}" if heading else "p"
            parts.append(f"<{tag}>{html.escape(line)}</{tag}>")
    page = ("<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Zen Hei','Noto Sans CJK SC',"
            "sans-serif;font-size:11pt}table{border-collapse:collapse;font-size:8pt}td{border:1px solid #000;"
            "padding:1px 3px}</style></head><body>" + "\n".join(parts) + "</body></html>")
    tab = browser.new_page()
    try:
        tab.set_content(page)
        tab.pdf(path=str(out_path), format="A4")
    finally:
        tab.close()


def cli_json(*paths) -> dict[pathlib.Path, list[dict]]:
    """``xxgk-lint check --format json`` on the files, as a separate command: each file's findings."""
    proc = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    found = json.loads(proc.stdout)
    return {p: [f for f in found if f["path"] == str(p)] for p in paths}


def where_words(location: dict) -> str:
    """How the page should name a JSON location (written out here, not taken from the renderer)."""
    if location["kind"] in ("pdf", "ofd"):
        return f"第 {location['page']} 页，第 {location['line']} 行"
    if "table" in location:
        return f"第 {location['table']} 个表格，第 {location['row']} 行，第 {location['col']} 列"
    if "paragraph" in location:
        return f"第 {location['paragraph']} 段"
    return f"第 {location['line']} 行"


def gutter_of(tab, mark) -> tuple[str, str]:
    """The number beside the line holding ``mark`` (a number repeated on the following lines is
    shown once: the nearest above) and the page/table heading above it."""
    return tuple(mark.evaluate("""m => {
      let line = m.closest('.xr-line'), number = '';
      for (let at = line; at && !number; at = at.previousElementSibling) {
        if (at.classList.contains('xr-line')) { number = at.querySelector('.xr-ln').textContent; }
      }
      let sep = line.previousElementSibling;
      while (sep && !sep.classList.contains('xr-sep')) { sep = sep.previousElementSibling; }
      return [number, sep ? sep.textContent : ''];
    }"""))


def shot_of(tab, locator, name: str, tmp_path, pad: int = 10) -> None:
    """Screenshot of one element, whole: from a full-page capture, so the sticky filter bar
    stays in its place above and does not cover it."""
    keep = os.environ.get("XXGK_SCREENSHOT_DIR")
    target = pathlib.Path(keep) if keep else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    tab.evaluate("window.scrollTo(0, 0)")  # unscrolled, the sticky bar sits in its own place
    box = locator.bounding_box()
    clip = {"x": max(0, box["x"] - pad), "y": max(0, box["y"] - pad),
            "width": box["width"] + 2 * pad, "height": box["height"] + 2 * pad}
    tab.screenshot(path=str(target / name), full_page=True, clip=clip)
    assert (target / name).stat().st_size > 1000


def shown_findings(tab) -> list[tuple[str, str]]:
    anns = tab.locator("#results .xr-text .xr-ann, #results .xr-block > .xr-ann")
    return [(anns.nth(i).locator(".xr-code").inner_text(), anns.nth(i).locator(".xr-msg").inner_text())
            for i in range(anns.count())]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_report_as_word_and_pdf_shows_what_the_command_line_shows(browser, served, seed_files, tmp_path, kind):
    """The drafter's way: the page started by the README command, seed 003 saved as .docx and
    as .pdf dropped on it; the page shows what ``check --format json`` says about the same file --
    the same findings in the same order, each at its place in the text under the number the
    location names, and the table cells marked with their expected values."""
    path = seed_files[kind]
    expected = cli_json(path)[path]
    codes = [f["code"] for f in expected]
    assert {"A102", "A301"} <= set(codes)  # the seed's real table-3 defects are found in this format too
    document = read(str(path))
    with opened(browser, served) as tab:
        if kind == "docx":
            shot(tab, "page-start.png", tmp_path)
        drag_and_drop(tab, path)
        assert tab.locator("#results .xr-path").inner_text() == path.name
        count = {s: sum(f["severity"] == s for f in expected) for s in ("error", "warning", "info")}
        assert f"错误 {count['error']} 个，警告 {count['warning']} 个，提示 {count['info']} 个" in \
            tab.locator("#status").inner_text()
        assert tab.locator(".xr-summary").inner_text().count("2019年格式") == 1
        anns = tab.locator("#results .xr-text .xr-ann")
        assert anns.count() == len(expected)
        for n, finding in enumerate(expected):
            ann = tab.locator(f"#r0-d{n}")
            assert ann.locator(".xr-code").inner_text() == finding["code"]
            assert ann.locator(".xr-msg").inner_text() == finding["message"]
            assert ann.get_attribute("data-sev") == finding["severity"]
            assert ann.locator(".xr-loc").inner_text() == where_words(finding["location"])
            # the highlight holds the finding's text: its span from line/column, read here
            starts = document.line_starts
            begin = starts[finding["line"] - 1] + finding["column"] - 1
            end = starts[finding["end_line"] - 1] + finding["end_column"] - 1
            mark = tab.locator(f"#r0-d{n}-m")
            assert mark.inner_text() == document.text[begin:end].split("\n")[0]
            number, heading = gutter_of(tab, mark)
            loc = finding["location"]
            if kind == "pdf":
                # the gutter numbers a paragraph (or a table row) by where it starts; the finding
                # names the printed line holding its own text (issue 15 point 3)
                shown_from = starts[finding["line"] - 1]
                for block in document.blocks:
                    for row in block.rows or ():
                        if row and min(c.start for c in row) <= begin <= max(c.end for c in row):
                            shown_from = min(c.start for c in row)
                first = document.location(shown_from)
                assert (number, heading) == (str(first["line"]), f"第 {first['page']} 页")
                here = document.location(begin)
                assert (loc["page"], loc["line"]) == (here["page"], here["line"])
            elif "table" in loc:
                assert (number, heading) == (f"行{loc['row']}", f"第 {loc['table']} 个表格")
            else:
                assert number == str(loc["paragraph"])
            # the cells the finding names are marked; its suspects show the value that fits
            data = finding.get("data") or {}
            for check in data.get("checks") or []:
                for cell in check["cells"]:
                    td = tab.locator(f'td[data-row="{cell["row"]}"][data-col="{cell["column"]}"]')
                    assert "xr-marked" in td.get_attribute("class").split()
            for suspect in data.get("suspects") or []:
                td = tab.locator(f'td[data-row="{suspect["row"]}"][data-col="{suspect["column"]}"]')
                classes = td.get_attribute("class").split()
                assert {"xr-strong", "xr-suspect", f"sev-{finding['severity']}"} <= set(classes)
                assert f"应为 {suspect['consistent_value']}？" in td.inner_text()
        total = tab.locator('td[data-row="r3_7"][data-col="c_natural"]')
        assert total.inner_text().startswith("25") and "应为 24？" in total.inner_text()
        if kind == "docx":
            shot(tab, "page-summary.png", tmp_path)
            shot_of(tab, tab.locator(".xr-table-wrap").nth(1), "page-table.png", tmp_path)
        else:
            a102 = tab.locator(f"#r0-d{codes.index('A102')}-m")
            a102.evaluate("m => window.scrollTo(0, m.getBoundingClientRect().top + window.scrollY - 300)")
            shot(tab, "page-text.png", tmp_path)


def test_real_report_shows_findings_and_marked_cells(page, tmp_path):
    path = seed("003")
    drop(page, path)
    expected = cli(path)
    assert shown_findings(page) == [(d.code, d.message) for d in expected.diagnostics]
    status = page.locator("#status").inner_text()
    assert "检查完成" in status and "错误 1 个，警告 2 个" in status
    assert "2019年格式" in page.locator(".xr-summary").inner_text()
    # the finding in the text: its highlight is where the span is
    a301 = next(d for d in expected.diagnostics if d.code == "A301")
    n = expected.diagnostics.index(a301)
    mark = page.locator(f"#r0-d{n}-m")
    assert mark.inner_text() == expected.document.text[a301.span.start:a301.span.end]
    # marked cells of table 3 with the value that would make the relations hold
    cell = page.locator('td[data-row="r3_7"][data-col="c_natural"]')
    assert "xr-strong" in cell.get_attribute("class") and "sev-error" in cell.get_attribute("class")
    assert "应为 24" in cell.inner_text()
    # clicking a marked cell brings its finding into view
    cell.click()
    a102 = page.locator(f"#r0-d{[d.code for d in expected.diagnostics].index('A102')}")
    page.wait_for_function("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
                           arg=a102.element_handle(), timeout=5000)
    # and clicking a highlight in the text does the same
    page.evaluate("window.scrollTo(0, 0)")
    mark.click()
    page.wait_for_function("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
                           arg=page.locator(f"#r0-d{n}").element_handle(), timeout=5000)


def test_filters_and_rule_documentation(page):
    drop(page, seed("003"))
    a102 = page.locator(".xr-text .xr-ann[data-sev=error]").first
    a301 = page.locator(".xr-text .xr-ann[data-fam=A][data-sev=warning]").first
    assert a102.is_visible() and a301.is_visible()
    page.locator(".xr-filters input[value=warning]").uncheck()
    assert a102.is_visible() and not a301.is_visible()
    page.locator(".xr-filters input[value=warning]").check()
    page.locator(".xr-filters input[value=A]").uncheck()
    assert not a102.is_visible() and not a301.is_visible()
    assert page.locator(".xr-text .xr-ann[data-fam=S]").first.is_visible()
    page.locator(".xr-filters input[value=A]").check()
    doc = a102.locator(".xr-doc")
    assert not doc.is_visible()
    a102.locator(".xr-ruledoc summary").click()
    assert doc.is_visible() and "检查什么" in doc.inner_text()


@pytest.mark.parametrize("name", ["截断的报告.docx", "加密的报告.pdf", "空文件.txt"])
def test_broken_file_shows_a_clear_error(page, seed_files, tmp_path, name):
    from pdfgen import text_pdf

    broken = tmp_path / name
    if name.endswith(".docx"):  # the first half of a real Word file, as an interrupted copy leaves it
        whole = seed_files["docx"].read_bytes()
        broken.write_bytes(whole[:len(whole) // 2])
    elif name.endswith(".pdf"):
        broken.write_bytes(text_pdf(["Annual report"], encrypt=True))
    else:
        broken.write_bytes(b"")
        page.set_input_files("#file", str(broken))
        page.locator("#error").wait_for(state="visible")
        assert page.locator("#error").inner_text().startswith("“空文件.txt”是空文件（0 字节）")
        return
    drop(page, broken)
    block = page.locator("#results .xr-block").first
    assert "整个文件的问题" in block.inner_text()
    expected = r"E007.*Word 文件已损坏或不完整" if name.endswith(".docx") else r"E006.*PDF 文件已加密"
    assert re.search(expected, block.inner_text(), re.S)
    assert "Traceback" not in page.content() and "xxgk-lint-web-" not in page.content()
    if name.endswith(".docx"):
        shot(page, "page-broken.png", tmp_path)


def test_html_report_opens_offline_with_the_same_findings(browser, seed_files, tmp_path):
    """``check --format html``: one file, opened from disk with the network cut -- nothing is
    requested but the file itself, and it shows the command line's findings and marked cells."""
    word = seed_files["docx"]
    out = tmp_path / "检查结果.html"
    proc = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", "--format", "html", "--output", str(out),
                           str(word), str(seed("003"))], capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=120)
    assert proc.returncode == 1, proc.stderr
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    requested: list[str] = []

    def route(r):
        requested.append(r.request.url)
        r.continue_() if r.request.url == out.as_uri() else r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.goto(out.as_uri())
    tab.wait_for_load_state("load")
    sections = tab.locator(".xr-file")
    assert sections.count() == 2
    listing = cli_json(word, seed("003"))
    for i, path in enumerate([word, seed("003")]):
        section = sections.nth(i)
        expected = listing[path]
        anns = section.locator(".xr-text .xr-ann")
        assert [(anns.nth(k).locator(".xr-code").inner_text(), anns.nth(k).locator(".xr-msg").inner_text(),
                 anns.nth(k).locator(".xr-loc").inner_text()) for k in range(anns.count())] == \
            [(f["code"], f["message"], where_words(f["location"])) for f in expected]
        total = section.locator('td[data-row="r3_7"][data-col="c_natural"]')
        assert "xr-strong" in total.get_attribute("class") and "应为 24？" in total.inner_text()
    # filters and rule documentation work offline too
    first = sections.nth(0)
    warning = first.locator(".xr-text .xr-ann[data-sev=warning]").first
    first.locator(".xr-filters input[value=warning]").uncheck()
    assert not warning.is_visible()
    error = first.locator(".xr-text .xr-ann[data-sev=error]").first
    error.locator(".xr-ruledoc summary").click()
    assert error.locator(".xr-doc").is_visible()
    context.close()
    assert requested == [out.as_uri()] and problems == []


def test_too_large_file_is_refused(browser, small_url, tmp_path):
    with opened(browser, small_url) as page:
        _too_large_file_is_refused(page, tmp_path)


def _too_large_file_is_refused(page, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (LIMIT + 10))
    page.set_input_files("#file", str(big))  # the page refuses it before sending
    error = page.locator("#error")
    error.wait_for(state="visible")
    assert "文件太大" in error.inner_text() and "2 MB" in error.inner_text()
    page.evaluate("XXGK.maxBytes = 1e12")  # and the server refuses it too
    page.set_input_files("#file", str(big))
    page.wait_for_function("document.getElementById('error').textContent.includes('上限为 2 MB')")
    assert page.locator("#results").inner_text() == ""


def test_pasted_text(page):
    page.locator(".xw-paste summary").click()
    page.fill("#text", seed("003").read_text("utf-8"))
    page.click("#check-text")
    page.wait_for_selector("#results .xr-file")
    assert [c for c, _ in shown_findings(page)] == [d.code for d in cli(seed("003")).diagnostics]


def test_download_the_annotated_word_file(page, seed_files, tmp_path):
    """After a .docx is checked, "下载带批注的 Word 文件" downloads the copy with one comment per
    finding (the same as `xxgk-lint annotate`); a PDF gets no such button."""
    import zipfile

    drop(page, seed_files["docx"])
    button = page.locator("#annotate")
    assert button.is_visible() and button.inner_text() == "下载带批注的 Word 文件"
    with page.expect_download(timeout=30000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "兴庆区2020年报告-检查意见.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    with zipfile.ZipFile(saved) as zf:
        notes = zf.read("word/comments.xml").decode("utf-8")
    assert notes.count("<w:comment ") == len(cli(seed_files["docx"]).diagnostics) > 0
    page.wait_for_function("document.getElementById('status').textContent.indexOf('已下载') >= 0")
    drop(page, seed_files["pdf"])
    assert not button.is_visible()
