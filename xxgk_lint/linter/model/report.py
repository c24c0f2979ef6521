"""The report tree the parser builds (``parse.py``): sections, headings,
paragraphs, the facts the report states, and its tables."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Hashable, Iterator, TypeVar

from ..diagnostics import Span
from ..ntext import NText, fold_key
from ..templates import SectionDef, TemplateSet, TemplateVersion
from .document import Document
from .lines import Line
from .tables import TableData

T = TypeVar("T")


@dataclass
class Fact:
    """A value the report states, where it states it, and how it was found."""

    value: object
    span: Span | None
    source: str  # e.g. "title", "period", "body", "option"


@dataclass
class Heading:
    level: int  # 1 一、 / 2 （一） / 3 1. / 4 （1）
    number: int  # 1-based value of the marker
    marker: str  # the marker as printed (source text), e.g. "（一）" or "(一)"
    title: str  # normalised title text without the marker
    span: Span  # the heading line (or its title part in a long line)
    marker_span: Span
    line: Line


@dataclass
class Paragraph:
    text: NText

    @property
    def span(self) -> Span:
        return self.text.span()


@dataclass
class Section:
    heading: Heading | None
    children: list["Section"] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    table_lines: list[Line] = field(default_factory=list)
    template: SectionDef | None = None  # the mandated section this one was matched to

    @property
    def level(self) -> int:
        return self.heading.level if self.heading else 0

    @property
    def span(self) -> Span:
        spans = [self.heading.span] if self.heading else []
        spans += [p.span for p in self.paragraphs] + [ln.text.span() for ln in self.table_lines]
        spans += [c.span for c in self.children]
        return Span.cover(spans) if spans else Span(0, 0)

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all_paragraphs(self) -> Iterator[Paragraph]:
        for sec in self.walk():
            if sec is not self and sec.heading is not None:
                yield Paragraph(sec.heading.line.text)
            yield from sec.paragraphs

    def body_text(self) -> str:
        """The prose under this section (headings of sub-sections included)."""
        return "\n".join(p.text.text for p in self.all_paragraphs())


@dataclass
class Period:
    start: _dt.date | None
    end: _dt.date | None
    span: Span
    raw: str


@dataclass
class StatedNumber:
    """A number stated in prose, e.g. 收到申请 75 件."""

    value: Decimal
    raw: str
    unit: str
    span: Span
    context: str  # the clause around the number, normalised


@dataclass
class Report:
    path: str
    document: Document
    lines: list[Line]
    templates: TemplateSet
    version: str  # the template the report is checked against
    version_reason: str
    label_version: str | None  # the version whose table labels the report uses
    title: Fact | None
    agency: Fact | None
    year: Fact | None
    period: Period | None
    publication_date: Fact | None
    front: Section  # title, metadata and preamble before the first 一、
    sections: list[Section]
    tables: dict[str, TableData]
    stated_numbers: list[StatedNumber] = field(default_factory=list)
    version_evidence: dict[str, list[str]] = field(default_factory=dict)
    # the same body's report for the year before, when the run has it
    previous: "Report | None" = None
    # the effective settings for this file (settings.Settings), set by the runner
    settings: object = None
    # the date under the signature (落款), also when the page gives a publication date
    signature_date: Fact | None = None
    # the kind of body its name says (facts.infer_body_kind): department | government | township | None
    inferred_body_kind: Fact | None = None
    # what rules derive from the report and share (see memo): it lives and dies with the report
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per report and ``key``: a value several rules derive
        from the report (the table identity findings, the prose sentences, the
        heading slips) is worked out by the first rule that asks for it."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def body_kind(self) -> str | None:
        """department | government | township, or None when unknown: the configuration
        (``body-kind``) wins over the kind inferred from the agency name."""
        configured = getattr(self.settings, "body_kind", None)
        if configured:
            return configured
        inferred = self.inferred_body_kind.value if self.inferred_body_kind else None
        return inferred if isinstance(inferred, str) else None

    @property
    def body_kind_source(self) -> str:
        """Where ``body_kind`` comes from: "config", "agency" or "" (unknown, no name)."""
        if getattr(self.settings, "body_kind", None):
            return "config"
        return "agency" if self.inferred_body_kind is not None else ""

    @property
    def template(self) -> TemplateVersion:
        return self.templates.versions[self.version]

    @property
    def report_year(self) -> int | None:
        if not self.year:
            return None
        year = self.year.value  # an int from the text, the period or the option
        return year if isinstance(year, int) else int(str(year))

    def table_labels_in_text(self, table_id: str) -> list[str]:
        """The labels of the template's table ``table_id`` that the text of its
        section contains, when they are evidence that the table is there
        (at least two, and two thirds of them); [] otherwise.

        The labels are the table's captions and data-row labels, or, for a table
        whose data row has no label (table 4), its column headings.  A section
        that only names a few of them in a sentence ("未发生行政复议、行政诉讼")
        does not hold its table."""
        tdef = self.template.tables.get(table_id)
        sec = self.section(tdef.section) if tdef is not None and tdef.section else None
        if tdef is None or sec is None:
            return []
        labels = [r.label for r in tdef.rows if r.label and (r.kind == "data" or r.id.startswith("caption"))]
        if not any(r.kind == "data" and r.label for r in tdef.rows):
            labels = list(dict.fromkeys(part for label in tdef.column_labels.values() for part in label.split("·")))
        parts = [sec.heading.line.plain[len(sec.heading.marker):]] if sec.heading else []
        for s in sec.walk():
            parts += [p.text.text for p in s.paragraphs] + [ln.plain for ln in s.table_lines]
            if s is not sec and s.heading is not None:
                parts.append(s.heading.line.plain)
        text = fold_key("\n".join(parts))
        found = [label for label in labels if fold_key(label) in text]
        return found if len(found) >= 2 and 3 * len(found) >= 2 * len(labels) else []

    def section(self, no: str) -> Section | None:
        """The top-level section matched to the template section ``no``."""
        return next((s for s in self.sections if s.template and s.template.no == no), None)

    def table(self, table_id: str) -> TableData | None:
        return self.tables.get(table_id)

    def headings(self) -> Iterator[Heading]:
        for top in [self.front, *self.sections]:
            for sec in top.walk():
                if sec.heading:
                    yield sec.heading

    def paragraphs(self) -> Iterator[Paragraph]:
        for top in [self.front, *self.sections]:
            yield from top.all_paragraphs()

    def text_lines(self) -> Iterator[Line]:
        """All non-blank logical lines with their kinds (for text rules)."""
        return (ln for ln in self.lines if ln.kind not in ("BLANK", "FURNITURE"))
