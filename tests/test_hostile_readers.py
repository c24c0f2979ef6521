"""Damaged and hostile documents (issue 13, points 1-3, reader part): a clear E
finding, never an internal error (E009) or a traceback, bounded memory and
time.  The fixtures are in tests/fixtures/hostile/ (made by
tests/hostile_make.py; provenance in tests/fixtures/README.md)."""

from __future__ import annotations

import errno
import json
import pathlib
import subprocess
import sys
import time
import types

import pytest

from clihelp import run
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.readers import ReadError, read
from xxgk_lint.linter.runner import Settings, check_file

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import hostile_make  # noqa: E402

HOSTILE = pathlib.Path(__file__).parent / "fixtures" / "hostile"
FILES = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".docx", ".odt", ".ofd", ".pdf", ".html", ".txt"))

# what each fixture must give: E007 naming the damage, or a normal read
EXPECTED = {
    "docx-version-99.docx": ("E007", "zip file version 9.9"),
    "docx-method-lzma-bogus.docx": ("E007", "压缩方式"),
    "docx-method-unknown.docx": ("E007", "压缩方式"),
    "docx-content-types-empty.docx": ("E007", "Content_Types"),
    "docx-rels-no-target.docx": ("E007", "结构已损坏"),
    "docx-doc-rels-no-target.docx": ("E007", "结构已损坏"),
    "docx-rels-not-rels.docx": ("E007", "结构已损坏"),
    "docx-numbering-negative-start.docx": (None, None),
    "docx-body-not-word.docx": ("E007", "w:document/w:body"),
    "docx-content-types-other-root.docx": ("E007", "AttributeError"),
    "docx-rels-external-body.docx": ("E007", "结构已损坏"),
    # found by bench/fuzz.py (seed 1, input 24): a zip directory giving a negative member offset
    "fuzz-1-24-bad-header-offset.docx": ("E007", "bad local header offset"),
    # found by bench/fuzz.py (seed 20261204, input 57742): text placed at a NaN position on a page
    "fuzz-20261204-57742-nan-position.pdf": (None, None),
}
for _label in ("abc", "1.5", "nan", "inf", "1e400"):
    EXPECTED[f"odt-span-{_label}.odt"] = ("E007", "table:number-columns-spanned")
    EXPECTED[f"odt-space-count-{_label}.odt"] = (None, None)
    for _what in ("x", "size", "boundary"):
        EXPECTED[f"ofd-{_what}-{_label}.ofd"] = (None, None)
EXPECTED["odt-space-count-1e9.odt"] = (None, None)
EXPECTED["ofd-deltax-g-repeats.ofd"] = (None, None)


@pytest.fixture
def memory_guard():
    """At most 1.5 GiB more address space while the test runs: a file that
    expands to gigabytes fails the test (MemoryError) instead of exhausting
    the machine."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    size = next(int(ln.split()[1]) * 1024 for ln in open("/proc/self/status") if ln.startswith("VmSize:"))
    limit = size + 1536 * 1024 ** 2
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="module")
def registry():
    return load_registry(include_plugins=False)


def test_every_fixture_has_an_expectation():
    assert {p.name for p in FILES} == set(EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_hostile_file_gives_a_clear_finding(path, registry, memory_guard):
    settings = Settings()
    started = time.perf_counter()
    result = check_file(str(path), registry, settings.rules_for(str(path), registry), settings)
    assert time.perf_counter() - started < 10
    codes = {d.code for d in result.diagnostics if d.code.startswith("E")}
    assert "E009" not in codes, [str(d.message) for d in result.diagnostics if d.code == "E009"]
    code, words = EXPECTED[path.name]
    if code is None:
        assert not codes, [str(d.message) for d in result.diagnostics if d.code.startswith("E")]
        assert result.report is not None
    else:
        assert codes == {code}
        message = str(next(d.message for d in result.diagnostics if d.code == code))
        assert words in message
        assert "内部错误" not in message


@pytest.mark.parametrize("name", ["docx-rels-no-target.docx", "docx-version-99.docx", "odt-span-abc.odt",
                                  "ofd-size-abc.ofd"])
def test_parse_command_prints_an_e_message_not_a_traceback(name, memory_guard):
    code, out, err = run("parse", HOSTILE / name)  # catch_exceptions=False: a traceback fails the test
    if name.startswith("ofd"):
        assert code == 0 and "年度" in out
    else:
        assert code == 2 and "E007" in err and "Traceback" not in err


def test_negative_list_start_is_shown_as_digits():
    doc = read(str(HOSTILE / "docx-numbering-negative-start.docx"))
    assert doc.text.startswith("-15、")


def test_space_counts_are_strict_and_capped(memory_guard):
    from lxml import etree

    from xxgk_lint.linter.readers import odt

    def spaces(value):
        el = etree.fromstring(f'<text:p xmlns:text="{odt.TEXT[1:-1]}">a<text:s text:c="{value}"/>b</text:p>')
        return odt.text_of(el)

    assert spaces("3") == "a   b"
    for bad in ("abc", "1.5", "NaN", "inf", "1e400", "-2", ""):
        assert spaces(bad) == "a b"
    assert spaces("1000000000") == "a" + " " * odt.MAX_SPACES + "b"


def test_ofd_repeat_shorthand_is_bounded_by_the_text(memory_guard):
    from xxgk_lint.linter.readers.ofd import _deltas

    assert _deltas("1 g 3 2.5 4", 10) == [1.0, 2.5, 2.5, 2.5, 4.0]
    started = time.perf_counter()
    assert len(_deltas("g 10000 1 " * 20000, 7)) == 7
    assert len(_deltas("g 999999999999 1", 3)) == 3
    assert time.perf_counter() - started < 0.5
    assert _deltas("NaN inf 1e400 abc 2", 10) == [2.0]


def test_unreadable_file_is_e001(monkeypatch, tmp_path):
    """A file the user may not read (mode 000; the tests may run as root, so
    the permission error is raised by hand)."""
    from xxgk_lint.linter.readers import docx

    path = tmp_path / "r.docx"
    path.write_bytes((HOSTILE.parent / "documents" / "report.docx").read_bytes())

    def refuse(_path):
        raise PermissionError(errno.EACCES, "Permission denied", str(_path))

    monkeypatch.setattr(docx, "_refuse_non_zip", refuse)
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E001" and "Permission denied" in info.value.message


_CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]),) * 2)
from xxgk_lint.linter.readers import ReadError, read
started = time.perf_counter()
try:
    read(sys.argv[1])
    code = None
except ReadError as exc:
    code = exc.code
except MemoryError:
    code = "MemoryError"
# the peak of this process image (ru_maxrss would carry the parent's size over the exec)
peak = next(int(ln.split()[1]) * 1024 for ln in open("/proc/self/status") if ln.startswith("VmHWM:"))
print(json.dumps({"code": code, "seconds": time.perf_counter() - started, "rss": peak}))
"""


def _read_bounded(path, limit=1024 ** 3) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(limit)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_lying_zip_header_is_refused_before_it_inflates(tmp_path):
    """A .docx part whose zip header claims 8 KB but which inflates to 300 MB
    (python-docx used to inflate it whole: 2 GB for a bigger one)."""
    path = tmp_path / "lying.docx"
    path.write_bytes(hostile_make.lying_docx(300 * 1024 * 1024))
    answer = _read_bounded(path)
    assert answer["code"] == "E007"
    assert answer["rss"] < 200 * 1024 ** 2 and answer["seconds"] < 5


@pytest.mark.parametrize("name", ["odt-space-count-1e9.odt", "ofd-deltax-g-repeats.ofd"])
def test_repeat_counts_stay_small(name):
    answer = _read_bounded(HOSTILE / name)
    assert answer["code"] is None
    assert answer["rss"] < 200 * 1024 ** 2 and answer["seconds"] < 5


def test_a_line_of_spaces_is_read_in_linear_time():
    from xxgk_lint.linter.readers.text import blocks_from_text

    for line in (" " * 40000, "|" + " " * 40000 + "x", "-- " + " " * 40000 + "x"):
        started = time.perf_counter()
        blocks_from_text("a\tb\n" + line + "\n")
        assert time.perf_counter() - started < 0.5
    # the separator row of a Markdown table is still recognised
    blocks = blocks_from_text("| a | b |\n| --- | :--: |\n| 1 | 2 |")
    assert [b.kind for b in blocks] == ["table"] and len(blocks[0].rows) == 2


def test_table_of_contents_detection_is_linear():
    from xxgk_lint.linter.classify import _table_of_contents

    lines = [types.SimpleNamespace(kind="PARA", plain=f"第{i}行") for i in range(200_000)]
    started = time.perf_counter()
    _table_of_contents(lines)
    assert time.perf_counter() - started < 2  # it copied the rest of the document for every line: minutes
    toc = [types.SimpleNamespace(kind="H1", plain=p) for p in ("一、总体情况……1", "二、主动公开……2", "三、申请……3")]
    body = [types.SimpleNamespace(kind="H1", plain=p) for p in ("一、总体情况", "二、主动公开", "三、申请")]
    _table_of_contents(toc + [types.SimpleNamespace(kind="PARA", plain="正文")] + body)
    assert [ln.kind for ln in toc] == ["PARA"] * 3 and [ln.kind for ln in body] == ["H1"] * 3


def test_text_beyond_the_character_limit_is_refused(monkeypatch, tmp_path):
    """A file whose text runs to millions of characters (a 20 MB text, or a small
    .docx that unpacks to it) would take minutes and gigabytes: E005."""
    import xxgk_lint.linter.readers as readers

    monkeypatch.setattr(readers, "MAX_TEXT_CHARS", 5000)
    path = tmp_path / "big.txt"
    path.write_text("一、总体情况\n" + "本机关依法公开政府信息。\n" * 1000, encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E005" and "5000" in info.value.message
    path.write_text("一、总体情况\n" + "本机关依法公开政府信息。\n" * 100, encoding="utf-8")
    assert read(str(path)).text.startswith("一、总体情况")


def test_table_row_of_many_empty_cells_is_read_in_linear_time(tmp_path):
    """Empty cells around a row's values were trimmed one slice at a time:
    quadratic in the cells of the row (30,000 tabs: seconds; 100,000: minutes)."""
    from xxgk_lint.linter.parse import build_report

    head = ["一、总体情况", "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"]
    path = tmp_path / "tabs.txt"
    path.write_text("\n".join(head + ["规章\t1\t2\t3" + "\t" * 60000, "行政规范性文件\t" + "\t" * 60000 + "4\t5\t6"]) + "\n",
                    encoding="utf-8")
    document = read(str(path))
    started = time.process_time()
    report = build_report(document)
    assert time.process_time() - started < 3
    assert report.tables


def test_pdf_page_of_half_a_million_characters_is_refused_in_bounded_memory(tmp_path):
    """Each glyph costs pdfplumber about 2 KB: a page showing 600,000 characters
    took 1.3 GB and 18 s of CPU before the layout objects were counted."""
    import pdfgen

    path = tmp_path / "dense.pdf"
    path.write_bytes(pdfgen.text_pdf(["x" * 100] * 5000))
    answer = _read_bounded(path)
    assert answer["code"] == "E005"
    assert answer["rss"] < 600 * 1024 ** 2


def test_numbers_stated_in_prose_are_found_in_linear_time():
    """A paragraph of long digit runs without a unit (a fuzzed OFD: 20 s of CPU)."""
    from xxgk_lint.linter.facts import _STATED

    text = ("本" * 50 + "1" * 4000 + " ") * 10 + "共收到申请12,345件，办结3.5万元"
    started = time.process_time()
    found = [(m.group("num"), m.group("unit")) for m in _STATED.finditer(text)]
    assert time.process_time() - started < 0.5
    assert found == [("12,345", "件"), ("3.5", "万元")]


def test_a_damaged_file_without_an_extension_is_named_in_either_language():
    from xxgk_lint.linter.readers import damaged

    error = damaged("", ValueError("bad"))
    assert error.code == "E007"
    assert error.message.startswith("该文件已损坏") and error.message_en.startswith("The file is damaged")
    assert damaged(".docx", ValueError("bad")).message_en.startswith("The Word file")
