"""The report model: typed facts that rules read.

Rules import this package and the registry only.  Every fact carries the span
of source text it came from, so a finding points at the user's file.

The model is the foundation the pipeline builds on: readers fill a
:class:`Document`, the normaliser and classifier make :class:`Line` s, the
table reader fills :class:`TableData`, the parser assembles the
:class:`Report`.  The model imports none of them (``tests/test_layering.py``);
below it are only the leaf modules it is made of: ``diagnostics`` (spans and
findings), ``ntext`` (text that maps to source offsets), ``templates`` (the
template definitions), ``identities`` (the template's identity expressions) and
``prosedata`` (the prose rules' vocabulary, loaded with the template data).
"""

from __future__ import annotations

from ..catalogue import Msg, msg
from ..diagnostics import Diagnostic, Severity, Span
from ..identities import CrossYearIdentity, Identity, holds
from ..ntext import NText, fold_key, join as join_texts
from ..prosedata import ProseVocabulary, Quantity, Target, vocabulary
from ..templates import VERSION_NAMES, SectionDef, TableDef, TemplateSet, TemplateVersion
from .document import Block, Cell, Document
from .helpers import doc_start, rule_data
from .lines import Line
from ..numerals import CN_NUM, cn, cn_number, section_no_en
from .report import Fact, Heading, Paragraph, Period, Report, Section, StatedNumber
from .tables import CellValue, ReadProblem, RowData, TableData

__all__ = [
    "Block", "CN_NUM", "Cell", "CellValue", "CrossYearIdentity", "Diagnostic", "Document", "Fact", "Heading", "Identity",
    "Line", "Msg", "NText", "Paragraph", "Period", "ProseVocabulary", "Quantity", "ReadProblem", "Report", "RowData", "Section", "SectionDef", "Severity",
    "Span", "StatedNumber", "TableData", "TableDef", "Target", "TemplateSet", "TemplateVersion", "VERSION_NAMES",
    "cn", "cn_number", "doc_start", "fold_key", "holds", "join_texts", "msg",
    "rule_data", "section_no_en", "vocabulary",
]
