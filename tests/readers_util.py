"""Helpers for the reader tests: summarise a report model so that reports
read from different formats can be compared, and write a .docx from a text."""

from __future__ import annotations

import pathlib
import re

from xxgk_lint.linter.parse import build_report
from xxgk_lint.linter.readers import read

DOCUMENTS = pathlib.Path(__file__).parent / "fixtures" / "documents"


def summary(report) -> dict:
    sections = []

    def walk(section, depth=0):
        heading = section.heading
        sections.append((depth, heading.number if heading else None, re.sub(r"\s+", "", heading.title) if heading else None))
        for child in section.children:
            walk(child, depth + 1)

    for section in report.sections:
        walk(section)
    tables = {
        tid: {(row_id, col_id): (cell.kind, cell.value) for row_id, row in table.rows.items()
              for col_id, cell in row.values.items()}
        for tid, table in report.tables.items()
    }
    period = report.period
    return {
        "version": report.version,
        "year": report.year.value if report.year else None,
        "period": (period.start, period.end) if period else None,
        "sections": sections,
        "tables": tables,
    }


def report_of(path) -> object:
    return build_report(read(str(path)))


def docx_from_text(text_path, out_path) -> None:
    """Write a .docx holding the same report as a text file: its paragraphs as
    Word paragraphs (Markdown headings as Word heading styles), its table rows
    as Word tables."""
    import docx

    doc = read(str(text_path))
    word = docx.Document()
    for block in doc.blocks:
        if block.kind == "table":
            rows = [[doc.text[c.start:c.end].strip() for c in row] for row in block.rows]
            width = max(len(r) for r in rows)
            table = word.add_table(rows=len(rows), cols=width)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            continue
        line = doc.text[block.start:block.end]
        m = re.match(r"^\s{0,3}(#{1,4})\s+(.*)$", line)
        line = re.sub(r"\*\*|__", "", m.group(2) if m else line)
        word.add_paragraph(line, style=f"Heading {len(m.group(1))}" if m else None)
    word.save(str(out_path))
