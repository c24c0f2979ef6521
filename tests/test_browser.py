"""The real page in headless Chromium (Debian package ``chromium``, driven by Playwright).

Set XXGK_SCREENSHOT_DIR to keep the screenshots (docs/screenshots/ was made this way).
"""

from __future__ import annotations

import os
import pathlib
import re

import pytest
from conftest import FIXTURES, seed

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing (pip install playwright)")
pytest.importorskip("uvicorn")

from readers_util import docx_from_text  # noqa: E402
from webserver import running  # noqa: E402

from xxgk_lint.linter import webapp  # noqa: E402
from xxgk_lint.linter.registry import load_registry  # noqa: E402
from xxgk_lint.linter.runner import Settings, check_file  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
LIMIT = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def url():
    with running(webapp.create_app(max_upload_bytes=LIMIT)) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("request", lambda r: None if r.url.startswith(url) else problems.append("outside request " + r.url))
    tab.goto(url)
    yield tab
    context.close()
    assert problems == []  # no script error, nothing loaded from anywhere but the server


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
    tab.set_input_files("#file", str(path))
    tab.wait_for_selector("#results .xr-file", timeout=15000)


def shown_findings(tab) -> list[tuple[str, str]]:
    anns = tab.locator("#results .xr-text .xr-ann, #results .xr-block > .xr-ann")
    return [(anns.nth(i).locator(".xr-code").inner_text(), anns.nth(i).locator(".xr-msg").inner_text())
            for i in range(anns.count())]


def test_real_report_shows_findings_and_marked_cells(page, tmp_path):
    shot(page, "page-start.png", tmp_path)
    path = seed("003")
    drop(page, path)
    expected = cli(path)
    assert shown_findings(page) == [(d.code, d.message) for d in expected.diagnostics]
    status = page.locator("#status").inner_text()
    assert "检查完成" in status and "错误 1 个，警告 2 个" in status
    assert "2019年格式" in page.locator(".xr-summary").inner_text()
    shot(page, "page-summary.png", tmp_path)
    # the finding in the text: its highlight is where the span is
    a301 = next(d for d in expected.diagnostics if d.code == "A301")
    n = expected.diagnostics.index(a301)
    mark = page.locator(f"#r0-d{n}-m")
    assert mark.inner_text() == expected.document.text[a301.span.start:a301.span.end]
    # marked cells of table 3 with the value that would make the relations hold
    cell = page.locator('td[data-row="r3_7"][data-col="c_natural"]')
    assert "xr-strong" in cell.get_attribute("class") and "sev-error" in cell.get_attribute("class")
    assert "应为 24" in cell.inner_text()
    shot(page.locator(".xr-table-wrap").nth(1), "page-table.png", tmp_path)
    # clicking a marked cell brings its finding into view
    cell.click()
    page.wait_for_timeout(600)
    assert page.locator(f"#r0-d{[d.code for d in expected.diagnostics].index('A102')}").is_visible()
    mark.scroll_into_view_if_needed()
    page.mouse.wheel(0, -150)
    shot(page, "page-text.png", tmp_path)


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


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_word_and_pdf_show_the_same_findings_as_the_command_line(page, tmp_path, kind):
    if kind == "docx":
        path = tmp_path / "兴庆区2020年报告.docx"
        docx_from_text(seed("003"), path)
    else:
        path = FIXTURES / "documents" / "report.pdf"
    drop(page, path)
    expected = cli(path)
    assert shown_findings(page) == [(d.code, d.message) for d in expected.diagnostics]
    assert page.locator("#results .xr-path").inner_text() == path.name
    if kind == "docx":
        assert {"A102", "A301"} <= {d.code for d in expected.diagnostics}
        assert "应为 24" in page.locator('td[data-row="r3_7"][data-col="c_natural"]').inner_text()


def test_broken_file_shows_a_clear_error(page, tmp_path):
    broken = tmp_path / "损坏的报告.docx"
    broken.write_bytes(b"PK\x03\x04 not really a Word file")
    drop(page, broken)
    block = page.locator("#results .xr-block").first
    assert "整个文件的问题" in block.inner_text()
    assert re.search(r"E007.*Word 文件已损坏", block.inner_text(), re.S)
    assert "Traceback" not in page.content()
    shot(page, "page-broken.png", tmp_path)


def test_too_large_file_is_refused(page, tmp_path):
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
