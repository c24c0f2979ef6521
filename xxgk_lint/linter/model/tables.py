"""What the table reader (``tables.py``) saw in a template table: cells,
rows, and the problems that make a row unreliable to check."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..diagnostics import Span
from ..ntext import NText
from ..templates import ColumnDef, RowDef, TableDef


@dataclass
class CellValue:
    """One value cell.  ``kind``: number | blank | placeholder | missing."""

    raw: str
    kind: str
    value: Decimal | None
    span: Span | None
    inferred: bool = False  # split out of a run of digits
    settled_by: str = ""  # a run with several readings settled by "prose" or "previous" (digitruns.py)


@dataclass
class RowData:
    row: RowDef
    label_span: Span
    values: dict[str, CellValue]
    columns: list[ColumnDef]
    # a header row some reports fill in with the sum of its children (（三）不予公开
    # printed with values, or a 小计 row under it); not in the template, checked when present
    subtotal: bool = False

    @property
    def span(self) -> Span:
        spans = [self.label_span] + [c.span for c in self.values.values() if c.span]
        return Span.cover(spans)


@dataclass
class ReadProblem:
    """Something that makes a table unreliable to check; never a guess.

    What the reader saw, not a finding's words: the rule that reports the
    problem words it (S203 the cell counts, E010 the digit runs, A108 a run no
    reading fits)."""

    kind: str  # extra-cells | extra-cells-resolved | short-row | ambiguous-split | no-split | inconsistent-run
    span: Span
    row_id: str
    # what was found, as the finding's data: found (the cells), expected_cells, digits (a run), readings (how many)
    data: dict = field(default_factory=dict)
    label: str = ""  # the row's label in the template
    split_limit: int = 0  # a digit run cut more ways than this was not enumerated (0: every way was tried)
    relations: str = ""  # the old 统计表: the relations of the row its readings were held against
    # an inconsistent run: the closest readings, each with the relations it breaks,
    # (identity, column or None for the row's own relations, left side, right side as printed)
    broken: list = field(default_factory=list)


@dataclass
class TableData:
    definition: TableDef
    version: str
    span: Span
    rows: dict[str, RowData]
    missing_rows: list[str]
    problems: list[ReadProblem]
    matched_labels: int
    matched_columns: int = 0  # the table's column headers (4+ characters) found in its text
    # rows whose digit runs split several ways: (tokens, candidate pieces)
    pending: dict = field(default_factory=dict, repr=False)
    # the table's text stream (spans of cells settled later, by digitruns.py)
    stream: NText | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.definition.id

    def cell(self, row_id: str, col_id: str) -> CellValue | None:
        row = self.rows.get(row_id)
        return row.values.get(col_id) if row else None

    def value(self, row_id: str, col_id: str) -> Decimal | None:
        cell = self.cell(row_id, col_id)
        return cell.value if cell else None

    def unreliable_rows(self) -> set[str]:
        return {p.row_id for p in self.problems if p.kind != "extra-cells-resolved"}
