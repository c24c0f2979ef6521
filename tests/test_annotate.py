"""``xxgk-lint annotate``: a copy of the drafter's .docx with one Word comment per finding,
anchored on the paragraph, runs or table cell the finding is about.

The comment ranges are read back from the saved file and located independently of the
annotate module (body paragraphs counted, table rows counted, grid columns summed from
gridBefore/gridSpan), then compared with the finding's position from the reader."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from helpers import findings
from readers_util import DOCUMENTS, docx_from_text
from xxgk_lint.linter.annotate import AUTHOR, NO_POSITION_NOTE, annotate_document
from xxgk_lint.linter.diagnostics import Diagnostic, Severity, Span
from xxgk_lint.linter.readers.office import soffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


def _sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t"))


def _comments(path) -> dict[int, dict]:
    """Each comment of a saved .docx: its author, text and where its range starts -- the body
    paragraph number, or (table, row, column) of the cell -- located from the XML alone."""
    with zipfile.ZipFile(path) as zf:
        body = etree.fromstring(zf.read("word/document.xml")).find(W + "body")
        notes = etree.fromstring(zf.read("word/comments.xml"))
    found = {}
    for note in notes.iter(W + "comment"):
        found[int(note.get(W + "id"))] = {"author": note.get(W + "author"),
                                          "text": "\n".join(_text(p) for p in note.iter(W + "p"))}
    paragraphs = [c for c in body if c.tag == W + "p"]
    tables = [c for c in body if c.tag == W + "tbl"]
    for start in body.iter(W + "commentRangeStart"):
        info = found[int(start.get(W + "id"))]
        ends = [e for e in body.iter(W + "commentRangeEnd") if e.get(W + "id") == start.get(W + "id")]
        assert len(ends) == 1
        info["end_parent"] = ends[0].getparent()
        tc = next((a for a in start.iterancestors(W + "tc")), None)
        if tc is None:
            p = start.getparent()
            info["where"] = {"paragraph": paragraphs.index(p) + 1}
            info["element"] = p
            continue
        tr = tc.getparent()
        tbl = tr.getparent()
        before = tr.find(f"{W}trPr/{W}gridBefore")
        col = int(before.get(W + "val")) if before is not None else 0
        for sibling in tr.iterchildren(W + "tc"):
            if sibling is tc:
                break
            span = sibling.find(f"{W}tcPr/{W}gridSpan")
            col += int(span.get(W + "val")) if span is not None else 1
        info["where"] = {"table": tables.index(tbl) + 1, "row": list(tbl.iterchildren(W + "tr")).index(tr) + 1,
                         "col": col + 1}
        info["element"] = tc
    return found


def _documents(tmp_path) -> list[Path]:
    """Every .docx in tests/fixtures (but the damaged ones the reader tests keep in hostile/, which
    cannot be read: see test_a_damaged_docx_is_refused_with_a_message), and each seed report saved
    as .docx (as the browser test does)."""
    paths = sorted(p for p in FIXTURES.rglob("*.docx") if "hostile" not in p.parts)
    for seed in SEEDS:
        out = tmp_path / (seed.stem + ".docx")
        docx_from_text(seed, out)
        paths.append(out)
    return paths


def test_every_finding_is_a_comment_on_its_paragraph_or_cell(tmp_path):
    documents = _documents(tmp_path)
    assert any(p.parent == DOCUMENTS for p in documents)
    total = 0
    for source in documents:
        before = _sha(source)
        result = findings(source)
        out = tmp_path / "out" / (source.stem + "-检查意见.docx")
        placed = annotate_document(str(source), result, str(out))
        assert _sha(source) == before, "the original is never touched"
        comments = _comments(out)
        assert len(comments) == len(result.diagnostics) == len(placed), source
        for diag, where in zip(result.diagnostics, placed):
            comment = comments[where.comment_id]
            assert comment["author"] == AUTHOR
            assert comment["text"].startswith(f"{diag.code} ") and diag.message in comment["text"]
            if diag.span is None:
                assert comment["where"] == {"paragraph": 1} and NO_POSITION_NOTE in comment["text"]
                continue
            location = result.document.location(diag.span.start)
            expected = {k: location[k] for k in ("paragraph", "table", "row", "col") if k in location}
            assert comment["where"] == expected, (source.name, diag.code, diag.message)
            # the element commented on holds the text the reader saw there
            line = result.document.line_text(result.document.line_col(diag.span.start)[0])
            shown = _text(comment["element"]).strip()
            assert (line.strip().endswith(shown) if shown else not line.strip()) or \
                " ".join(shown.split()) == " ".join(line.split()), (source.name, diag.code, line, shown)
            total += 1
    assert total > 40  # the seeds and the fixture carry many positioned findings


def test_the_copy_reads_as_the_original(tmp_path):
    """Comments change nothing the reader sees: the copy gets the same findings at the same places."""
    source = DOCUMENTS / "report.docx"
    result = findings(source)
    out = tmp_path / "copy.docx"
    annotate_document(str(source), result, str(out))
    again = findings(out)
    assert [(d.code, d.message, result.document.location(d.span.start) if d.span else None)
            for d in result.diagnostics] == \
           [(d.code, d.message, again.document.location(d.span.start) if d.span else None)
            for d in again.diagnostics]


def test_merged_cells_and_runs(tmp_path):
    """A cell to the right of a horizontally merged cell, a vertically merged cell and a
    finding on one run of a paragraph of several runs each get the comment in the right place."""
    import docx

    word = docx.Document()
    paragraph = word.add_paragraph()
    for piece in ("本年收到申请", "25", "件。"):
        paragraph.add_run(piece)
    table = word.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并"
    table.cell(0, 2).text = "甲"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "纵向"
    table.cell(2, 3).text = "99"
    word.add_paragraph("")  # an empty paragraph
    source = tmp_path / "merged.docx"
    word.save(source)
    result = findings(source, select=("S101",))
    doc = result.document
    line_of = {tuple(sorted((k, v) for k, v in info.items() if k != "excerpt")): i
               for i, info in enumerate(doc.line_info)}

    def span_of(**where):
        start = doc.line_starts[line_of[tuple(sorted(where.items()))]]
        return Span(start, start + 1)

    run_start = doc.text.index("25")
    result.diagnostics = [
        Diagnostic("数字有误", Span(run_start, run_start + 2), code="A301", rule="r", severity=Severity.WARNING,
                   data={"expected": 24, "found": 25}),
        Diagnostic("右侧单元格", span_of(kind="docx", table=1, row=1, col=3), code="A103", rule="r",
                   severity=Severity.ERROR),
        Diagnostic("纵向合并", span_of(kind="docx", table=1, row=2, col=1), code="A104", rule="r",
                   severity=Severity.ERROR),
        Diagnostic("空段落", span_of(kind="docx", paragraph=2), code="S104", rule="r", severity=Severity.INFO),
        Diagnostic("整个文件", None, code="P201", rule="r", severity=Severity.INFO),
    ]
    out = tmp_path / "merged-检查意见.docx"
    annotate_document(str(source), result, str(out))
    comments = _comments(out)
    by_code = {c["text"].split(" ")[0]: c for c in comments.values()}
    run_comment = next(str(i) for i, c in comments.items() if c["text"].startswith("A301"))
    assert by_code["A103"]["where"] == {"table": 1, "row": 1, "col": 3} and _text(by_code["A103"]["element"]) == "甲"
    assert by_code["A104"]["where"] == {"table": 1, "row": 2, "col": 1} and _text(by_code["A104"]["element"]) == "纵向"
    assert by_code["S104"]["where"] == {"paragraph": 2}
    assert by_code["P201"]["where"] == {"paragraph": 1} and NO_POSITION_NOTE in by_code["P201"]["text"]
    assert "实际：25　应为：24" in by_code["A301"]["text"]
    # the run-level anchor: the range holds exactly the run "25"
    with zipfile.ZipFile(out) as zf:
        body = etree.fromstring(zf.read("word/document.xml")).find(W + "body")
    first = body.find(W + "p")
    items = [(c.tag, _text(c)) for c in first]
    start = next(i for i, c in enumerate(first) if c.tag == W + "commentRangeStart" and c.get(W + "id") == run_comment)
    end = next(i for i, c in enumerate(first) if c.tag == W + "commentRangeEnd" and c.get(W + "id") == run_comment)
    assert [text for tag, text in items[start + 1:end] if tag == W + "r"] == ["25"], items


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "xxgk_lint", "annotate", *args], capture_output=True, text=True,
                          cwd=cwd)


def test_command(tmp_path):
    source = tmp_path / "报告.docx"
    shutil.copy(DOCUMENTS / "report.docx", source)
    before = _sha(source)
    run = _cli(str(source), "-o", str(tmp_path / "报告-检查意见.docx"))
    assert run.returncode == 0, run.stderr
    assert "条批注" in run.stdout and "原文件未改动" in run.stdout
    assert len(_comments(tmp_path / "报告-检查意见.docx")) == len(findings(source).diagnostics)
    assert _sha(source) == before
    default = _cli(str(source))  # without -o: next to the original
    assert default.returncode == 0 and (tmp_path / "报告-检查意见.docx").is_file()
    same = _cli(str(source), "-o", str(source))
    assert same.returncode == 2 and "原文件" in same.stderr and _sha(source) == before
    text = tmp_path / "r.txt"
    text.write_text("一、总体情况\n", encoding="utf-8")
    other = _cli(str(text))
    assert other.returncode == 2 and ".docx" in other.stderr and "--format html" in other.stderr
    broken = tmp_path / "broken.docx"
    broken.write_bytes((DOCUMENTS / "report.docx").read_bytes()[:3000])
    damaged = _cli(str(broken))
    assert damaged.returncode == 2 and "E00" not in damaged.stdout and "Traceback" not in damaged.stderr
    assert not (tmp_path / "broken-检查意见.docx").exists()
    missing = _cli(str(tmp_path / "nowhere.docx"))
    assert missing.returncode == 2 and "找不到" in missing.stderr


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_copy(tmp_path):
    """The copy opens cleanly in LibreOffice: it converts to PDF with the report's text and the
    comments as notes.  With XXGK_SCREENSHOT_DIR set, the page with table 2 becomes the PNG in
    docs/guide.md (pdftoppm)."""
    out = tmp_path / "report-检查意见.docx"
    result = findings(DOCUMENTS / "report.docx")
    annotate_document(str(DOCUMENTS / "report.docx"), result, str(out))
    profile = (tmp_path / "profile").as_uri()
    filters = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", filters,
                    "--outdir", str(tmp_path), str(out)], capture_output=True, timeout=180, check=False)
    pdf = tmp_path / "report-检查意见.pdf"
    assert pdf.is_file()
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
        from pdfminer.pdftypes import resolve1

        notes = [a for page in document.pages for a in (resolve1(page.page_obj.annots) or [])
                 if str(resolve1(a).get("Subtype")) == "/'Text'"]
    assert "收到和处理政府信息公开申请情况" in text
    assert len(notes) == len(result.diagnostics)  # LibreOffice exports each comment as a PDF note
    target = os.environ.get("XXGK_SCREENSHOT_DIR")
    if target and shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "3", "-l", "3", "-singlefile", str(pdf),
                        str(Path(target) / "annotate-page")], check=True, capture_output=True)


OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"


def _odt_annotations(path) -> list[dict]:
    """Each office:annotation of a saved .odt in document order: creator, text, and where it
    sits (paragraph number among the body's paragraphs, or table/row/column), from the XML."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("content.xml"))
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    paragraphs = [p for p in body.iter(TEXT + "p", TEXT + "h")
                  if not any(a.tag in (TABLE + "table-cell", OFFICE + "annotation") for a in p.iterancestors())]
    tables = [t for t in body.iter(TABLE + "table") if not any(a.tag == TABLE + "table" for a in t.iterancestors())]
    found = []
    for note in body.iter(OFFICE + "annotation"):
        assert note[0].tag == DC + "creator" and note[1].tag == DC + "date"  # ODF's order
        info = {"author": note.findtext(DC + "creator"),
                "text": "\n".join("".join(p.itertext()) for p in note.iter(TEXT + "p")),
                "name": note.get(OFFICE + "name")}
        cell = next((a for a in note.iterancestors(TABLE + "table-cell")), None)
        if cell is None:
            info["where"] = {"paragraph": paragraphs.index(note.getparent()) + 1}
        else:
            row = cell.getparent()
            table = next(row.iterancestors(TABLE + "table"))
            rows = list(table.iter(TABLE + "table-row"))
            # ODF writes a covered-table-cell for every column a spanning cell covers, so the
            # column is the count of the cells before this one, each with its repeat count
            col = 0
            for sibling in row:
                if sibling is cell:
                    break
                if sibling.tag in (TABLE + "table-cell", TABLE + "covered-table-cell"):
                    col += int(sibling.get(TABLE + "number-columns-repeated", "1"))
            info["where"] = {"table": tables.index(table) + 1, "row": rows.index(row) + 1, "col": col + 1}
        found.append(info)
    return found


def test_odt_copy_has_one_annotation_per_finding_in_the_right_place(tmp_path):
    """OpenDocument text too (odfdo): every finding an office:annotation on its paragraph or cell;
    the original unchanged; the copy reads as the original."""
    source = DOCUMENTS / "report.odt"
    before = _sha(source)
    result = findings(source)
    out = tmp_path / "report-检查意见.odt"
    from xxgk_lint.linter.annotate import annotate_odt_document

    placed = annotate_odt_document(str(source), result, str(out))
    assert _sha(source) == before
    notes = {n["text"]: n for n in _odt_annotations(out)}
    assert len(notes) == len(result.diagnostics) == len(placed)
    assert len({n["name"] for n in notes.values()}) == len(notes)
    positioned = 0
    for diag in result.diagnostics:
        note = next(n for text, n in notes.items() if text.startswith(f"{diag.code} ") and diag.message in text)
        assert note["author"] == AUTHOR
        location = result.document.location(diag.span.start)
        assert note["where"] == {k: location[k] for k in ("paragraph", "table", "row", "col") if k in location}
        positioned += 1
    assert positioned > 30
    run = _cli(str(source), "-o", str(tmp_path / "cli.odt"))
    assert run.returncode == 0 and f"{len(result.diagnostics)} 条批注" in run.stdout


def test_annotated_odt_reads_as_the_original(tmp_path):
    # the comments sit inside the table cells: the reader must not take their text as the cell's
    from xxgk_lint.linter.annotate import annotate_odt_document

    result = findings(DOCUMENTS / "report.odt")
    out = tmp_path / "copy.odt"
    annotate_odt_document(str(DOCUMENTS / "report.odt"), result, str(out))
    again = findings(out)
    assert [(d.code, d.message) for d in again.diagnostics] == [(d.code, d.message) for d in result.diagnostics]


def test_a_damaged_docx_is_refused_with_a_message(tmp_path):
    hostile = sorted((FIXTURES / "hostile").glob("*.docx"))
    refused = 0
    for source in hostile:
        before = _sha(source)
        out = tmp_path / (source.stem + "-检查意见.docx")
        run = _cli(str(source), "-o", str(out))
        assert "Traceback" not in run.stderr and _sha(source) == before, source.name
        if run.returncode == 2:  # unreadable: said so, and no copy
            assert "无法给" in run.stderr and not out.exists(), (source.name, run.stderr)
            refused += 1
        else:  # odd but readable (a negative list start): annotated as usual
            assert run.returncode == 0 and out.exists(), (source.name, run.stderr)
    assert refused >= 5
