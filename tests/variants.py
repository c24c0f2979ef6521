"""Layout and wording variants of the real reports in ``tests/fixtures``.

Each variant is the same report written the way other real reports write it:
a sentence of prose before a table, a table inside a sub-section, header and
label wordings seen in real reports, a section heading with 与/及/和 for 、, a
section title in other words, a row's cells run together into one digit run,
the old 统计表 as text, Word and HTML.  A variant changes how the report is
written, never what it says, so it must give the original's findings: no
structure (S) or content (C) error the original does not have, the same
arithmetic (A) findings (compared by code and table cells, not by line), and
the same table values.

The variants are made at test time from the fixtures (nothing is stored).
Every edit is placed with the positions the linter itself reads from the
original (heading and cell spans), so a variant edits exactly what it names.
"""

from __future__ import annotations

import functools
import pathlib
import re
import tempfile
from dataclasses import dataclass, field

from xxgk_lint.linter.parse import build_report
from xxgk_lint.linter.readers import read
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import Settings, check_file

FIXTURES = pathlib.Path(__file__).parent / "fixtures"

# every complete real report (the excerpts are partial: they have no tables to vary)
REAL_REPORTS = sorted([*(FIXTURES / "seeds").glob("*.txt"), *(FIXTURES / "real").glob("*"),
                       FIXTURES / "documents" / "report.txt", FIXTURES / "documents" / "shuyang-fgj-2023.html",
                       FIXTURES / "documents" / "hzq2023_working.pdf"])

# Pending work of other helpers (branch names): a variant that needs it is xfail with this reason.
PENDING_DIGITS = ("i12-arith: a digit run whose only reading breaks its row's identity is read and reported "
                  "as an A error (issue 12 item 4); today it becomes E010 and the row's A finding is lost")
PENDING_OLD_TABLE = "i12-oldtable: the old 统计表's cells are read from {layout} (issue 12 item 3)"

_WORKDIR = pathlib.Path(tempfile.mkdtemp(prefix="xxgk-variants-"))


@dataclass
class Variant:
    fixture: str
    name: str
    text: str | None = None  # the variant as a text report, or
    render: object = None  # a callable writing the variant file into a directory, returning its path
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{self.fixture}::{self.name}"


@dataclass
class Base:
    """The report a fixture's variants are made from, as a text report."""

    fixture: str
    text: str
    report: object = None
    result: object = None
    extra: dict = field(default_factory=dict)


# -- linting --------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _registry():
    return load_registry(include_plugins=False)


def lint_path(path: pathlib.Path):
    registry = _registry()
    rules = registry.select(["ALL"])
    result = check_file(str(path), registry, rules, Settings(["ALL"], []))
    report = build_report(read(str(path)))
    return report, result


def lint_text(text: str, name: str):
    path = _WORKDIR / name
    path.write_text(text, encoding="utf-8")
    return lint_path(path)


# -- what must stay the same -----------------------------------------------------------

def _cells(data: dict) -> tuple:
    cells = data.get("cells") or []
    if not isinstance(cells, list):
        return ()
    return tuple(sorted((c.get("row"), c.get("column")) for c in cells if isinstance(c, dict)))


def a_keys(result) -> set:
    """The arithmetic findings, by code, table and the cells they name."""
    return {(d.code, d.data.get("table"), d.data.get("quantity"), _cells(d.data))
            for d in result.diagnostics if d.code.startswith("A")}


def sc_error_keys(result) -> set:
    """The structure and content errors, by code and what they name."""
    return {(d.code, d.data.get("section"), d.data.get("table"), d.data.get("row"))
            for d in result.diagnostics
            if d.code[0] in "SC" and getattr(d.severity, "value", d.severity) == "error"}


def table_values(report) -> dict:
    return {(tid, rid, cid): (cell.kind, str(cell.value) if cell.value is not None else cell.raw)
            for tid, table in report.tables.items() for rid, row in table.rows.items()
            for cid, cell in row.values.items()}


def differences(base: Base, report, result) -> list[str]:
    """What the variant reads or finds differently from its original (empty: none)."""
    problems = []
    new_errors = sc_error_keys(result) - sc_error_keys(base.result)
    if new_errors:
        shown = [d for d in result.diagnostics
                 if (d.code, d.data.get("section"), d.data.get("table"), d.data.get("row")) in new_errors]
        problems.append("new S/C errors: " + "; ".join(f"{d.code} {d.message}" for d in shown))
    a_base, a_var = a_keys(base.result), a_keys(result)
    if a_base != a_var:
        problems.append(f"A findings differ: lost {sorted(a_base - a_var)}, new {sorted(a_var - a_base)}")
    v_base, v_var = table_values(base.report), table_values(report)
    if v_base != v_var:
        lost = sorted(set(v_base.items()) - set(v_var.items()))[:8]
        new = sorted(set(v_var.items()) - set(v_base.items()))[:8]
        problems.append(f"table values differ: original {lost} variant {new}")
    return problems


# -- the original as a text report ------------------------------------------------------

def text_twin(path: pathlib.Path) -> str:
    """A file read by the linter, written back as a text report: each paragraph
    a line, each table row its cells joined by tabs (as ``documents/report.txt``)."""
    doc = read(str(path))
    if path.suffix == ".txt":
        return doc.text
    out = []
    for block in doc.blocks:
        if block.kind == "table" and block.rows:
            for row in block.rows:
                out.append("\t".join(re.sub(r"\s+", " ", doc.text[c.start:c.end]).strip() for c in row))
        else:
            out.append(re.sub(r"[ \t]*\n[ \t]*", " ", doc.text[block.start:block.end]))
    return "\n".join(out) + "\n"


@functools.lru_cache(maxsize=None)
def base(fixture: str) -> Base:
    path = FIXTURES / fixture
    text = text_twin(path)
    report, result = lint_text(text, "base-" + path.stem + ".txt")
    return Base(fixture, text, report, result)


# -- edits ------------------------------------------------------------------------------

def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _first_table_line(sec):
    for s in sec.walk():
        if s.table_lines:
            return s.table_lines[0]
    return None


def _insert_before_table(b: Base, sec, line_text: str) -> str | None:
    """``line_text`` put right before the section's table: on a line of its own,
    or, in a report flattened onto one line, in the running text."""
    first = _first_table_line(sec)
    if first is None:
        return None
    pos = first.text.span().start
    if _line_start(b.text, pos) == pos:
        return _apply(b.text, [(pos, pos, line_text + "\n")])
    return _apply(b.text, [(pos, pos, line_text + " ")])


_TABLE_SECTIONS = {"二": "主动公开情况", "三": "收到和处理政府信息公开申请情况", "四": "行政复议、行政诉讼情况"}


def prose_before_table(b: Base):
    year = b.report.report_year or 2022
    for no in _TABLE_SECTIONS:
        sec = b.report.section(no)
        if sec is None or not any(t.definition.section == no for t in b.report.tables.values()):
            continue
        text = _insert_before_table(b, sec, f"{year}年，未有需要另行说明的情况。")
        if text:
            yield f"prose-before-table-{no}", text


def table_in_subsection(b: Base):
    for no, name in _TABLE_SECTIONS.items():
        sec = b.report.section(no)
        if sec is None or sec.children or not any(t.definition.section == no for t in b.report.tables.values()):
            continue  # a section with sub-sections already has its table inside one
        text = _insert_before_table(b, sec, f"（一）{name}")
        if text:
            yield f"table-in-subsection-{no}", text


# Header and label wordings of real reports: (official, seen instead, where it was seen)
LABEL_VARIANTS = [
    ("本年新公开数量", "本年公开数量", "issue 12 (real 2019/2020 reports)"),
    ("勾稽", "钩稽", "issue 12 (real reports)"),
    ("本机关不掌握相关政府信息", "本机关不掌握相关信息", "seed 003; spec §8"),
    ("危及“三安全一稳定”", '危及"三安全一稳定"', "spec §8 (straight quotes, common)"),
    ("逾期不补正、行政机关不再处理", "逾期不补正，行政机关不再处理", "spec §8"),
    ("要求行政机关确认或重新出具", "要求行政机关确认或者重新出具", "template label_variants"),
    ("采购总金额", "采购总金额(万元)", "seed 003; spec §8"),
    ("规章", "规章(设区的市、自治州人民政府应提供相关数据)", "spec §8 (Hubei 2020 reports)"),
]


def label_wording(b: Base):
    """Every label variant the report's tables can take, applied inside the tables only."""
    regions = [t.span for t in b.report.tables.values()]
    # the header rows above a table's first row label belong to it too
    lines = [ln for ln in b.report.lines if ln.kind == "TROW"]
    regions += [ln.text.span() for ln in lines]
    for official, seen, _where in LABEL_VARIANTS:
        edits = []
        for m in re.finditer(re.escape(official), b.text):
            if any(r.start <= m.start() and m.end() <= r.end for r in regions):
                if seen.startswith(official) and b.text.startswith(seen, m.start()):
                    continue
                edits.append((m.start(), m.end(), seen))
        if edits:
            yield f"label-{seen}", _apply(b.text, edits)


def _table_regions(b: Base) -> list:
    return [t.span for t in b.report.tables.values()] + [ln.text.span() for ln in b.report.lines if ln.kind == "TROW"]


# Label typography of real reports (spec §8: seeds 003 and 004): half-width brackets, a space after a list marker
TYPOGRAPHY = [
    ("half-width-brackets", re.compile(r"[（）]"), lambda m: "(" if m.group() == "（" else ")"),
    ("spaced-list-markers", re.compile(r"(?<![\d.])([1-8])\.(?=[\u4e00-\u9fff])"), lambda m: m.group(1) + ". "),
]


def label_typography(b: Base):
    regions = _table_regions(b)
    for name, pattern, repl in TYPOGRAPHY:
        edits = [(m.start(), m.end(), repl(m)) for m in pattern.finditer(b.text)
                 if any(r.start <= m.start() and m.end() <= r.end for r in regions)]
        if edits:
            yield f"labels-{name}", _apply(b.text, edits)


def heading_conjunction(b: Base):
    """四、政府信息公开行政复议、行政诉讼情况 written with 与/及/和 (和/及: corpus
    preambles of 南京高淳 2022, 杨凌 2022, 平潭 2024/2025)."""
    sec = b.report.section("四")
    if sec is None:
        return
    head = sec.heading
    at = b.text.find("、", head.marker_span.end, head.span.end)
    if at < 0:
        return
    for word in "与及和":
        yield f"heading-with-{word}", _apply(b.text, [(at, at + 1, word)])


def deviating_title(b: Base):
    sec = b.report.section("五")
    if sec is None:
        return
    head = sec.heading
    yield "title-五-明年工作计划", _apply(b.text, [(head.marker_span.end, head.span.end, "存在的主要问题及明年工作计划")])


_SEPARATOR = re.compile(r"^[ \t|]+$")


def _flatten_row(b: Base, row, cells) -> list[tuple[int, int, str]] | None:
    """Edits that run the row's cells together.  In running text the spaces
    between them go; a grid row (tabs, bars) becomes the text row extraction
    prints: its label, a space, the run."""
    gaps = [(a.span.end, c.span.start) for a, c in zip(cells, cells[1:])]
    if not all(s < e and _SEPARATOR.match(b.text[s:e]) for s, e in gaps):
        return None
    if not any("\t" in b.text[s:e] or "|" in b.text[s:e] for s, e in gaps):
        return [(s, e, "") for s, e in gaps]
    label = row.label_span
    start, end = _line_start(b.text, label.start), b.text.find("\n", cells[-1].span.end)
    end = len(b.text) if end < 0 else end
    if label.end <= label.start or "\n" in b.text[start:end] or _line_start(b.text, cells[0].span.start) != start:
        return None  # not a grid row on one line (a label wrapped, an unlabeled row)
    head = re.sub(r"[\t|]+", " ", b.text[start:label.end]).strip()  # outer labels (三、本年度办理结果) stay
    return [(start, end, head + " " + "".join(c.raw for c in cells))]


def flattened_digits(b: Base):
    """The cells of a row run together ("0 0 0 0 0 0 0" -> "0000000") where the
    run has exactly one reading: every cell a single digit, as many digits as cells."""
    row_findings = {(d.data.get("table"), c.get("row")) for d in b.result.diagnostics
                    if d.code in ("A103", "A104") for c in (d.data.get("cells") or []) if isinstance(c, dict)}
    for tid, table in b.report.tables.items():
        edits, pending = [], False
        for rid, row in table.rows.items():
            cells = list(row.values.values())
            if len(cells) < 2 or getattr(row, "subtotal", False):
                continue
            if not all(c.kind == "number" and not c.inferred and len(c.raw) == 1 and c.raw.isdigit() for c in cells):
                continue
            row_edits = _flatten_row(b, row, cells)
            if row_edits:
                edits += row_edits
                pending |= (tid, rid) in row_findings
        if edits:
            yield f"flattened-digits-{tid}", _apply(b.text, edits), PENDING_DIGITS if pending else None


# -- the old 统计表 in other layouts ------------------------------------------------------

def _old_table_lines(b: Base) -> tuple[int, int] | None:
    """First and last line index (0-based) of the old 统计表's grid in the text."""
    table = b.report.tables.get("stat")
    if table is None:
        return None
    lines = b.text.split("\n")
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    first = max(i for i, s in enumerate(starts) if s <= table.span.start)
    last = max(i for i, s in enumerate(starts) if s <= table.span.end)
    while first > 0 and "\t" in lines[first - 1]:
        first -= 1  # the header row (统计指标 单位 统计数)
    return first, last


def _old_layout(b: Base, cell_lines) -> str:
    first, last = _old_table_lines(b)
    lines = b.text.split("\n")
    out = lines[:first]
    for ln in lines[first:last + 1]:
        if ln.strip():
            out.extend(cell_lines(ln.split("\t")))
    return "\n".join(out + lines[last + 1:])


def _write_docx(b: Base, directory: pathlib.Path) -> pathlib.Path:
    import docx

    first, last = _old_table_lines(b)
    lines = b.text.split("\n")
    document = docx.Document()
    for ln in lines[:first]:
        document.add_paragraph(ln)
    rows = [ln.split("\t") for ln in lines[first:last + 1] if ln.strip()]
    width = max(len(r) for r in rows)
    grid = document.add_table(rows=len(rows), cols=width)
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            grid.cell(r, c).text = value
    for ln in lines[last + 1:]:
        document.add_paragraph(ln)
    path = directory / (pathlib.Path(b.fixture).stem + "-old-table.docx")
    document.save(str(path))
    return path


def _write_html(b: Base, directory: pathlib.Path) -> pathlib.Path:
    from lxml import etree, html as lhtml

    first, last = _old_table_lines(b)
    lines = b.text.split("\n")
    root = lhtml.fromstring("<html><head><meta charset='utf-8'><title>年度报告</title></head><body></body></html>")
    body = root.find("body")
    for ln in lines[:first]:
        etree.SubElement(body, "p").text = ln
    table = etree.SubElement(body, "table", border="1")
    for ln in lines[first:last + 1]:
        if ln.strip():
            tr = etree.SubElement(table, "tr")
            for value in ln.split("\t"):
                etree.SubElement(tr, "td").text = value
    for ln in lines[last + 1:]:
        etree.SubElement(body, "p").text = ln
    path = directory / (pathlib.Path(b.fixture).stem + "-old-table.html")
    path.write_bytes(lhtml.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>"))
    return path


def old_table_layouts(b: Base):
    """The old 统计表 (a grid of tab-separated rows in the text) as spaced text, one
    cell per line, a Word table and an HTML table.  A 统计表 flattened into running
    text (平潭 2017/2018) has no grid to re-lay: those reports give no variant."""
    lines = _old_table_lines(b)
    if lines is None or not any("\t" in ln for ln in b.text.split("\n")[lines[0]:lines[1] + 1]):
        return
    yield "old-table-spaces", _old_layout(b, lambda cells: ["  ".join(c for c in cells if c.strip())])
    yield "old-table-value-per-line", _old_layout(b, lambda cells: [c for c in cells if c.strip()])
    yield ("old-table-docx", _write_docx, None)
    yield ("old-table-html", _write_html, None)


GENERATORS = [prose_before_table, table_in_subsection, label_wording, label_typography, heading_conjunction, deviating_title,
              flattened_digits, old_table_layouts]


def variants(fixture: str) -> list[Variant]:
    b = base(fixture)
    out = []
    for gen in GENERATORS:
        for item in gen(b):
            name, payload, *rest = item
            xfail = rest[0] if rest else None
            if callable(payload):
                out.append(Variant(fixture, name, render=payload, xfail=xfail))
            else:
                out.append(Variant(fixture, name, text=payload, xfail=xfail))
    return out


def run(variant: Variant):
    """(report, result) of the variant."""
    if variant.text is not None:
        name = re.sub(r"[^\w.-]", "_", variant.id) + ".txt"
        return lint_text(variant.text, name)
    return lint_path(variant.render(base(variant.fixture), _WORKDIR))
