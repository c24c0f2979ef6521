"""The shape of ``templates/template-versions.yaml``, checked before the data is used.

A typo in the template data must fail loudly, never switch a rule off in
silence: an unknown key (``lable:``), a missing required key, a value of the
wrong type, a regular expression that does not compile all raise
``TemplateDataError`` naming the path in the YAML
(``versions.gb2021.tables[1].rows[0]: unknown key 'lable'``).  References
between parts of the data (a section's tables, a rule's row, a deadline's kind
of body) are checked by ``templates.py`` once the objects are built.

Keys that only document the data (``note``, ``confidence``, ``sources`` ...)
are declared too, as ``DOC`` (any value): they are known, so their typos are
caught like the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class TemplateDataError(ValueError):
    """The template data breaks its schema; ``path`` is where, in the YAML."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"template-versions.yaml: {path or '(top level)'}: {problem}")
        self.path = path
        self.problem = problem


# -- schema nodes: each checks a value at a path ---------------------------------------------------

class Node:
    def check(self, value: Any, path: str) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Type(Node):
    """A scalar of one of ``types`` (bool is not an int here)."""
    types: tuple[type, ...]
    name: str

    def check(self, value: Any, path: str) -> None:
        if isinstance(value, bool) and bool not in self.types or not isinstance(value, self.types):
            raise TemplateDataError(path, f"expected {self.name}, found {_shown(value)}")


class Doc(Node):
    """Documentation only: any value."""

    def check(self, value: Any, path: str) -> None:
        return


@dataclass(frozen=True)
class Enum(Node):
    values: tuple[Any, ...]

    def check(self, value: Any, path: str) -> None:
        if value not in self.values:
            raise TemplateDataError(path, f"expected one of {', '.join(map(str, self.values))}; found {_shown(value)}")


@dataclass(frozen=True)
class Regex(Node):
    """A string that compiles as a regular expression."""

    def check(self, value: Any, path: str) -> None:
        STR.check(value, path)
        try:
            re.compile(value)
        except re.error as err:
            raise TemplateDataError(path, f"not a valid regular expression ({err})") from None


@dataclass(frozen=True)
class Label(Node):
    """A label printed in reports: one run of text, no whitespace (a note is no label)."""

    def check(self, value: Any, path: str) -> None:
        STR.check(value, path)
        if not value.strip() or any(c.isspace() for c in value):
            raise TemplateDataError(path, f"expected a label (no spaces), found {value!r}: notes go under 'notes'")


@dataclass(frozen=True)
class ListOf(Node):
    item: Node

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise TemplateDataError(path, f"expected a list, found {_shown(value)}")
        for n, item in enumerate(value):
            self.item.check(item, f"{path}[{n}]")


@dataclass(frozen=True)
class MapOf(Node):
    """A mapping with free keys (strings) and values of one shape."""
    value: Node

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise TemplateDataError(path, f"expected a mapping, found {_shown(value)}")
        for key, item in value.items():
            self.value.check(item, _join(path, key))


class Either(Node):
    """The first of ``options`` the value fits."""

    def __init__(self, *options: Node) -> None:
        self.options = options

    def check(self, value: Any, path: str) -> None:
        errors = []
        for option in self.options:
            try:
                option.check(value, path)
                return
            except TemplateDataError as err:
                errors.append(err)
        raise max(errors, key=lambda e: len(e.path))  # the error of the option that fit furthest


@dataclass(frozen=True)
class Opt:
    """An optional key of a record."""
    spec: Node


@dataclass(frozen=True)
class Record(Node):
    """A mapping with exactly these keys (those wrapped in ``Opt`` may be left out)."""
    fields: dict[str, Node | Opt]

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise TemplateDataError(path, f"expected a mapping, found {_shown(value)}")
        unknown = [k for k in value if k not in self.fields]
        if unknown:
            raise TemplateDataError(path, f"unknown key '{unknown[0]}' (known keys: {', '.join(self.fields)})")
        for key, spec in self.fields.items():
            if key in value:
                (spec.spec if isinstance(spec, Opt) else spec).check(value[key], _join(path, key))
            elif not isinstance(spec, Opt):
                raise TemplateDataError(path, f"missing required key '{key}'")


STR = Type((str,), "a string")
INT = Type((int,), "an integer")
BOOL = Type((bool,), "true or false")
NULL = Type((type(None),), "null")
DOC = Doc()
STRS = ListOf(STR)
LABEL = Label()


def check(value: Any, spec: Node, path: str = "") -> None:
    """Raise ``TemplateDataError`` where ``value`` does not fit ``spec``."""
    spec.check(value, path)


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, list) else repr(value)


# -- the template data --------------------------------------------------------------------------

YEARS = ListOf(Either(INT, NULL))  # [first, last]; last null = open-ended (length checked on load)
MONTH_DAY = STR                     # "MM-DD", checked on load
VARIANT = Either(STR, Record({"label": STR, "seen": Opt(STR)}))  # a wording seen, and where

COLUMN = Record({
    "id": STR, "label": STR,
    "role": Opt(Enum(("data", "label", "unit"))),   # label/unit columns hold no numbers
    "domain": Opt(Enum(("count", "signed", "amount"))),
    "children": Opt(ListOf(DOC)),                     # COLUMN, checked recursively below
    "in_column_names": Opt(BOOL),                     # a group header left out of its leaves' names
    "unit": Opt(STR), "note": Opt(DOC),
})
ROW = Record({
    "id": STR, "label": STR,
    "kind": Opt(Enum(("data", "header"))),
    "variants": Opt(ListOf(VARIANT)),
    "variant_notes": Opt(ListOf(DOC)),                # fragments remembered, not labels to match
    "parent": Opt(STR),
    "children": Opt(ListOf(DOC)),                     # ROW, checked recursively below
    "unit": Opt(STR),
    "domain": Opt(Enum(("count", "signed", "amount"))),
    "prose_words": Opt(STRS),
    "confidence": Opt(DOC), "note": Opt(DOC),
})
IDENTITY = Record({
    "id": STR, "kind": Enum(("stated", "implied", "heuristic")), "expr": STR,
    "per": Opt(Enum(("column", "row"))), "text": Opt(STR), "cross_year": Opt(BOOL),
    "code": Opt(STR), "prose": Opt(BOOL),  # both checked by the identity engine at load
    "note": Opt(DOC),
})
BLOCK = Record({
    "caption": STR, "columns": ListOf(COLUMN), "rows": ListOf(ROW),
    "domain": Opt(Enum(("count", "signed", "amount"))), "unit": Opt(DOC),
})
TABLE = Record({
    "id": STR,
    "section": Opt(STR),
    "caption": Opt(STR),
    "caption_variants": Opt(STRS),
    "alternative_to": Opt(STR),
    "columns": Opt(ListOf(COLUMN)),
    "rows": Opt(ListOf(ROW)),
    "blocks": Opt(ListOf(BLOCK)),
    "domain": Opt(Enum(("count", "signed", "amount"))),
    "corner_note": Opt(STR),
    "corner_note_variants": Opt(STRS),
    "identities": Opt(ListOf(IDENTITY)),
    "confidence": Enum(("high", "medium", "low")),
    "unit": Opt(DOC), "label_notes": Opt(DOC), "label_variants": Opt(DOC), "layout_note": Opt(DOC),
    "removed_from_gb2019": Opt(DOC),
})
SECTION = Record({
    "no": STR, "title": STR,
    "variants": Opt(ListOf(VARIANT)),
    "required": Opt(BOOL),
    "tables": Opt(STRS),
    "expected_content": Opt(STRS),
    # what the C rules look the section up by (TemplateVersion.section_for), at most one section each
    "role": Opt(Enum(("overview", "problems", "other_matters"))),
    "confidence": Opt(DOC), "note": Opt(DOC),
})
FREE_SECTIONS = Record({"fixed_titles": Enum((False,)), "observed_titles": STRS, "required_content": Opt(DOC)})
VERSION = Record({
    "id": STR,
    "display_name": STR,          # how findings and the HTML report name the version
    "uniform_format": BOOL,       # the national uniform format (six sections, tables 2-4), not the 统计表
    "expects_fee_statement": Opt(BOOL),
    "name": STR,                  # the format's own name
    "applies_to_report_years": YEARS,
    "superseded_by": Opt(STR),
    "issuing_document": Opt(Record({"number": STR, "title": Opt(STR), "attachment": Opt(STR), "issued": Opt(DOC),
                                    "published": Opt(DOC), "confidence": Opt(DOC)})),
    "sections": Either(ListOf(SECTION), FREE_SECTIONS),
    "tables": ListOf(TABLE),
    "issuing_documents": Opt(DOC), "published_by": Opt(DOC), "notes": Opt(DOC), "section_rules": Opt(DOC),
    "seeds": Opt(DOC), "explanatory_notes_verified": Opt(DOC), "explanatory_notes_unverified": Opt(DOC),
})
DEADLINE = Record({
    "bodies": STR,                # the article's words
    "body_kinds": STRS,           # kinds of rule_data.body_kinds it names, or [any]
    "followed_by": Opt(STRS),     # kinds the article does not name that go with this deadline
    "deadline": MONTH_DAY,        # of year Y+1 for a report on year Y
})
ARTICLE = Record({
    "summary": Opt(DOC), "confidence": Opt(DOC),
    "cited_as": Opt(STR), "cited_as_en": Opt(STR), "deadlines": Opt(ListOf(DEADLINE)),
    "required_content": Opt(DOC), "format_mandate": Opt(DOC),
})
REGULATION = Record({
    "title": STR, "order": STR, "in_force": STR, "applies_to_report_years": YEARS,
    "deadline_article": STR,
    "art_31": Opt(ARTICLE), "art_32": Opt(ARTICLE), "art_49": Opt(ARTICLE), "art_50": Opt(ARTICLE),
    "art_20_items_used_by_table_2": Opt(DOC),
})
CELL = Record({"table": STR, "row": STR, "column": STR})
TARGET = Record({"table": STR, "rows": STRS, "columns": STRS, "also_rows": Opt(STRS)})
REQUIRED_PART = Record({
    "id": STR, "name": STR, "searched": STR, "patterns": ListOf(Regex()),
    "anchor": Opt(Regex()), "headings": Opt(BOOL), "topic": Opt(Regex()), "heading": Opt(Regex()),
    "heading_unless": Opt(Regex()), "section_heading": Opt(Regex()), "section_patterns": Opt(ListOf(Regex())),
})
RULE_DATA = Record({
    "body_kinds": Record({"department": STRS, "government": STRS, "township": STRS, "unknown": STRS}),
    "body_kind_names": Record({k: Record({"zh": STR, "en": STR}) for k in ("department", "government", "township")}),
    "rows_not_for_body_kind": ListOf(Record({"table": STR, "row": STR, "body_kind": STR, "reason": STR})),
    "old_section_titles": STRS,
    "old_preamble_phrases": ListOf(Record({"phrase": STR, "current": STR})),
    "stale_citations": ListOf(Record({"name": STR, "pattern": Regex(), "from_year": INT, "use": STR})),
    "overview_topics": MapOf(STRS),
    "problem_terms": STRS, "improvement_terms": STRS,
    "fee_terms": STRS, "fee_charged_terms": STRS, "fee_not_charged_terms": STRS, "fee_statement_terms": STRS,
    "fee_amount_units": STRS,
    "prose_targets": Record({"gb": MapOf(TARGET), "old": MapOf(Either(TARGET, ListOf(TARGET)))}),
    "digit_run_cues": MapOf(MapOf(Record({"row": STRS, "require": Opt(STRS), "columns": MapOf(STRS),
                                          "default": Opt(STR)}))),
    # the prose rules' vocabulary: checked key by key, with its patterns, by linter/prosedata.py (templates.build runs it)
    "prose_vocabulary": Type((dict,), "a mapping"),
    "prose_partitions": ListOf(STRS),
    "prose_unit_kinds": ListOf(STRS),
    "year_column_headings": STRS,
    "report_year_statements": Record({"self_name": Regex(), "self_cues": STRS, "other_report_cues": STRS,
                                      "overview_section": STR, "year_work_sections": STRS}),
    "unpaid_fee_cell": CELL,
    "single_other_processing_row": Record({"table": STR, "version": STR, "row": STR, "shown_as": STR}),
    "old_required_content": ListOf(Record({"item": STR, "text": STR, "anchor": Opt(Regex()),
                                           "parts": ListOf(REQUIRED_PART)})),
    "traditional_script": Record({"markers": STR, "least": INT}),
    "preamble_part_count": Record({k: Regex() for k in ("subject", "count", "verb", "part_headings", "table_part")}),
})
TEMPLATE_DATA = Record({
    "schema_version": Enum((1,)),
    "compiled": STR,
    "normalisation": DOC,
    "sources": DOC,
    "law": Record({"regulation_2019": REGULATION, "regulation_2008": REGULATION,
                   "statistics_period": DOC, "information_processing_fee": DOC}),
    "versions": MapOf(VERSION),
    # labels of one version found in a report of another (L101, L102)
    "leftover_labels": Record({"old_stat_table_in_gb2019_or_gb2021": ListOf(LABEL), "gb2019_in_gb2021": ListOf(LABEL),
                               "notes": Opt(DOC)}),
    "version_detection": DOC,
    "rule_data": RULE_DATA,
})


def check_template_data(raw: Any) -> None:
    """Check the whole data, nested columns and rows included."""
    check(raw, TEMPLATE_DATA)
    for key, version in raw["versions"].items():
        for n, table in enumerate(version["tables"]):
            where = f"versions.{key}.tables[{n}]"
            parts = [(f"{where}.blocks[{b}]", blk) for b, blk in enumerate(table.get("blocks", []))] or [(where, table)]
            for base, part in parts:
                for c, col in enumerate(part.get("columns", [])):
                    _nested(col, COLUMN, f"{base}.columns[{c}]")
                for r, row in enumerate(part.get("rows", [])):
                    _nested(row, ROW, f"{base}.rows[{r}]")


def _nested(node: dict, spec: Record, path: str) -> None:
    for n, child in enumerate(node.get("children", [])):
        child_path = f"{path}.children[{n}]"
        check(child, spec, child_path)
        _nested(child, spec, child_path)
