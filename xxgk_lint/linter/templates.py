"""Template versions as data: loaded from ``templates/template-versions.yaml``.

Nothing about a template (section titles, table rows and columns, identities,
leftover labels) is written in code; rules and the parser read these objects.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .identities import TableIdentities, compile_table
from .ntext import fold_key

VERSION_IDS = ("old", "gb2019", "gb2021")
_DATA_KEYS = {"old": "old-2008", "gb2019": "gb2019", "gb2021": "gb2021"}
VERSION_NAMES = {
    "old": "2008年条例时期格式（《政府信息公开情况统计表》）",
    "gb2019": "2019年格式（国办公开办函〔2019〕60号）",
    "gb2021": "2021年格式（国办公开办函〔2021〕30号）",
}


def _clean_variant(text: str) -> str | None:
    """Variants in the data carry a note in parentheses after a space."""
    text = re.sub(r"\s+\((?:seed|Hangzhou|comma|code|from|S-).*\)\s*$", "", str(text)).strip()
    if "…" in text or not text:
        return None
    return text


@dataclass
class ColumnDef:
    id: str
    label: str
    domain: str = "count"  # count | signed | amount


@dataclass
class RowDef:
    id: str
    label: str
    kind: str = "data"  # data | header
    variants: list[str] = field(default_factory=list)
    parent: str | None = None
    block: int = 0  # index of the t2 block (caption) the row belongs to
    unit: str | None = None
    domain: str | None = None

    @property
    def keys(self) -> list[str]:
        return [fold_key(t) for t in [self.label, *self.variants] if t]


@dataclass
class BlockDef:
    caption: str
    columns: list[ColumnDef]


@dataclass
class IdentityDef:
    id: str
    kind: str  # stated | implied | heuristic
    expr: str
    per: str | None = None
    text: str | None = None
    note: str | None = None
    cross_year: bool = False
    code: str | None = None  # the rule reporting it (validated by identities.compile_table)
    prose: bool = False  # a relation written in words: documented, never evaluated


@dataclass
class TableDef:
    id: str
    section: str | None
    caption: str | None
    rows: list[RowDef]
    blocks: list[BlockDef]
    identities: list[IdentityDef]
    corner_note: str | None = None
    column_labels: dict[str, str] = field(default_factory=dict)
    corner_note_variants: list[str] = field(default_factory=list)  # other wordings real reports print
    # the identities parsed and validated at load (linter/identities.py)
    identity_set: TableIdentities = field(default_factory=TableIdentities, repr=False)

    def columns_for(self, row: RowDef) -> list[ColumnDef]:
        return self.blocks[row.block].columns

    @property
    def data_rows(self) -> list[RowDef]:
        return [r for r in self.rows if r.kind == "data"]

    def row(self, row_id: str) -> RowDef | None:
        return self._rows_by_id.get(row_id)

    @functools.cached_property
    def _rows_by_id(self) -> dict[str, RowDef]:
        """The first row of each id (rules look rows up thousands of times per
        report; the rows never change once loaded)."""
        index: dict[str, RowDef] = {}
        for r in self.rows:
            index.setdefault(r.id, r)
        return index

    def column_label(self, col_id: str) -> str:
        return self.column_labels.get(col_id, col_id)


@dataclass
class SectionDef:
    no: str
    title: str
    variants: list[str]
    required: bool
    tables: list[str]
    expected_content: list[str]

    @property
    def bare_title(self) -> str:
        """The title without its number, e.g. 总体情况."""
        return self.title.split("、", 1)[-1]


@dataclass
class TemplateVersion:
    id: str
    name: str
    years: tuple[int, int | None]
    fixed_sections: bool
    sections: list[SectionDef]
    observed_titles: list[str]
    tables: dict[str, TableDef]
    issuing_document: str | None
    raw: dict[str, Any]

    def section(self, no: str) -> SectionDef | None:
        return next((s for s in self.sections if s.no == no), None)


@dataclass(eq=False)
class TemplateSet:
    versions: dict[str, TemplateVersion]
    leftover_labels: dict[str, list[str]]
    raw: dict[str, Any]

    def for_year(self, year: int | None) -> str | None:
        if year is None:
            return None
        for vid in VERSION_IDS:
            low, high = self.versions[vid].years
            if year >= low and (high is None or year <= high):
                return vid
        return "old" if year < self.versions["gb2019"].years[0] else None

    def all_section_titles(self) -> list[str]:
        titles: list[str] = []
        for version in self.versions.values():
            for sec in version.sections:
                titles.append(sec.title)
                titles.extend(sec.variants)
            titles.extend(version.observed_titles)
        return titles


def _columns(raw_cols: list[dict], inherited_domain: str) -> tuple[list[ColumnDef], dict[str, str]]:
    """Leaf numeric columns in order (the label column and group headers are not data)."""
    leaves: list[ColumnDef] = []
    labels: dict[str, str] = {}

    def walk(cols: list[dict], prefix: str) -> None:
        for col in cols:
            label = col.get("label", "")
            if col.get("children"):
                if label and label != "申请人情况":
                    walk(col["children"], f"{prefix}·{label}" if prefix else label)
                else:
                    walk(col["children"], prefix)
                continue
            if col["id"] in ("label", "c_label", "unit"):
                continue
            labels[col["id"]] = f"{prefix}·{label}" if prefix and label else (label or prefix)
            leaves.append(ColumnDef(col["id"], label, col.get("domain", inherited_domain)))

    walk(raw_cols, "")
    return leaves, labels


def _rows(raw_rows: list[dict], block: int, parent: str | None, out: list[RowDef]) -> None:
    for raw in raw_rows:
        variants = [v for v in (_clean_variant(x) for x in raw.get("variants", [])) if v]
        kind = raw.get("kind", "data")
        out.append(
            RowDef(raw["id"], raw.get("label", ""), kind, variants, parent, block, raw.get("unit"), raw.get("domain"))
        )
        if raw.get("children"):
            _rows(raw["children"], block, raw["id"], out)


def _identities(raw: list[dict] | None) -> list[IdentityDef]:
    return [
        IdentityDef(
            i["id"], i.get("kind", "implied"), i.get("expr", ""), i.get("per"), i.get("text"), i.get("note"),
            bool(i.get("cross_year")), i.get("code"), bool(i.get("prose")),
        )
        for i in raw or []
    ]


def _table(raw: dict) -> TableDef:
    rows: list[RowDef] = []
    blocks: list[BlockDef] = []
    labels: dict[str, str] = {}
    domain = raw.get("domain", "count")
    if "blocks" in raw:
        for n, blk in enumerate(raw["blocks"]):
            cols, lab = _columns(blk["columns"], blk.get("domain", domain))
            labels.update(lab)
            blocks.append(BlockDef(blk["caption"], cols))
            rows.append(RowDef(f"caption{n}", blk["caption"], "header", [], None, n))
            _rows(blk["rows"], n, None, rows)
    else:
        cols, lab = _columns(raw["columns"], domain)
        labels.update(lab)
        blocks.append(BlockDef(raw.get("caption", ""), cols))
        if any(not r.get("label") for r in raw["rows"]):
            # A table whose data row has no label (table 4) is found by its
            # top-level column headers, which then stand in for row labels.
            for n, col in enumerate(c for c in raw["columns"] if c.get("label")):
                rows.append(RowDef(f"header{n}", col["label"], "header"))
        _rows(raw["rows"], 0, None, rows)
    table = TableDef(
        raw["id"], raw.get("section"), raw.get("caption"), rows, blocks, _identities(raw.get("identities")),
        raw.get("corner_note"), labels, list(raw.get("corner_note_variants", [])),
    )
    table.identity_set = compile_table(table)
    return table


def _years(raw: list) -> tuple[int, int | None]:
    return int(raw[0]), (int(raw[1]) if raw[1] is not None else None)


def _version(vid: str, raw: dict) -> TemplateVersion:
    sections: list[SectionDef] = []
    observed: list[str] = []
    raw_sections = raw.get("sections", [])
    fixed = isinstance(raw_sections, list)
    if fixed:
        for sec in raw_sections:
            variants = [v for v in (_clean_variant(x) for x in sec.get("variants", [])) if v]
            # YAML 1.1 reads the bare key `no` as the boolean False.
            number = sec.get("no", sec.get(False))
            sections.append(
                SectionDef(number, sec["title"], variants, bool(sec.get("required", True)), sec.get("tables", []),
                           [str(x) for x in sec.get("expected_content", [])])
            )
    else:
        observed = [str(t) for t in raw_sections.get("observed_titles", [])]
    tables = {t["id"]: _table(t) for t in raw.get("tables", [])}
    doc = raw.get("issuing_document")
    number = doc.get("number") if isinstance(doc, dict) else None
    return TemplateVersion(vid, VERSION_NAMES[vid], _years(raw["applies_to_report_years"]), fixed, sections,
                           observed, tables, number, raw)


_CACHE_FORMAT = 1


def _raw_data(text: str) -> dict:
    """The YAML as data.  Parsing it costs ~20 ms at every start, so the result
    is kept as JSON in the private cache directory (``datacache``, never the
    shared temporary directory: a file planted there would change the checks),
    keyed by the YAML's hash."""
    import hashlib
    import json
    import os
    import tempfile

    from . import datacache

    # the key covers the YAML and the conversion below (bump it when _json_keys changes)
    digest = hashlib.sha256(f"{_CACHE_FORMAT}\n{text}".encode("utf-8")).hexdigest()[:16]
    cached = datacache.path(f"templates-{digest}.json")
    if cached is not None:
        try:
            with open(cached, encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            pass
    import yaml

    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    raw = _json_keys(raw)
    if cached is None:
        return raw
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(cached), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(raw, handle, ensure_ascii=False)
        os.replace(tmp, cached)
    except (OSError, TypeError, ValueError):  # not writable, or a value JSON cannot hold: just do not cache
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return raw


def _json_keys(value):
    """YAML 1.1 reads the bare key `no` as False; JSON needs string keys."""
    if isinstance(value, dict):
        return {("no" if k is False else str(k)): _json_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_keys(v) for v in value]
    return value


@functools.lru_cache(maxsize=1)
def load() -> TemplateSet:
    return load_text(resources.files("xxgk_lint").joinpath("templates/template-versions.yaml").read_text("utf-8"))


def load_text(text: str) -> TemplateSet:
    """The template set of YAML ``text`` (``load`` reads the packaged file; tests load edited copies)."""
    raw = _raw_data(text)
    versions = {vid: _version(vid, raw["versions"][key]) for vid, key in _DATA_KEYS.items()}
    leftovers = {k: [str(x) for x in v] for k, v in raw.get("leftover_labels", {}).items()}
    return TemplateSet(versions, leftovers, raw)
