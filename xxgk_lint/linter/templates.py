"""Template versions as data: loaded from ``templates/template-versions.yaml``.

Nothing about a template (section titles, table rows and columns, identities,
leftover labels) is written in code; rules and the parser read these objects.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .identities import TableIdentities, compile_table
from .ntext import fold_key
from .prosedata import check_vocabulary
from .templateschema import TemplateDataError, check_template_data

__all__ = ["VERSION_IDS", "VERSION_NAMES", "TemplateDataError", "load"]

# the versions' ids: the command line's and the configuration's words (``--template gb2019``);
# the data names each version's id, and load() fails unless they are exactly these
VERSION_IDS = ("old", "gb2019", "gb2021")


class _VersionNames(Mapping[str, str]):
    """Version id -> how findings name it (the data's ``display_name``), read on first use."""

    def __getitem__(self, vid: str) -> str:
        return load().versions[vid].name

    def __iter__(self) -> Iterator[str]:
        return iter(VERSION_IDS)

    def __len__(self) -> int:
        return len(VERSION_IDS)


VERSION_NAMES: Mapping[str, str] = _VersionNames()


def _variant(raw: str | dict) -> str:
    """A wording seen in real reports: the label alone, or the label with where it was seen."""
    return raw if isinstance(raw, str) else raw["label"]


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
    # words of a prose clause that may state this row's number (the old provincial 统计表)
    prose_words: list[str] = field(default_factory=list)

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
    # high: official copy and another source agree; below that, findings on its wording are warnings
    confidence: str = "high"
    alternative_to: str | None = None  # another form of the same table (a report carries one of them)
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
    def column_ids(self) -> frozenset[str]:
        """The ids of the numeric (leaf) columns of every block."""
        return frozenset(c.id for b in self.blocks for c in b.columns)

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
    role: str | None = None  # what rules look the section up by: overview | problems | other_matters

    @property
    def bare_title(self) -> str:
        """The title without its number, e.g. 总体情况."""
        return self.title.split("、", 1)[-1]


@dataclass
class TemplateVersion:
    id: str
    name: str  # how findings name the version (the data's display_name)
    years: tuple[int, int | None]
    fixed_sections: bool
    sections: list[SectionDef]
    observed_titles: list[str]
    tables: dict[str, TableDef]
    issuing_document: str | None
    raw: dict[str, Any]
    # the national uniform format (six numbered sections, tables 2-4); False for the pre-2019 统计表
    uniform_format: bool = True
    # section 六 is expected to state the information-processing fee charged (C102)
    expects_fee_statement: bool = False
    superseded_by: str | None = None  # the id of the version that replaced this one
    supersedes: str | None = None     # the id of the version this one replaced

    def section(self, no: str) -> SectionDef | None:
        return next((s for s in self.sections if s.no == no), None)

    def section_for(self, role: str) -> SectionDef | None:
        """The section the data gives ``role`` (overview | problems | other_matters); None in a
        version without fixed sections."""
        return next((s for s in self.sections if s.role == role), None)


@dataclass(frozen=True)
class Deadline:
    """When a report on year Y must be published: month-day of year Y+1, for these kinds of body."""
    month: int
    day: int
    bodies: str                    # the article's own words
    body_kinds: tuple[str, ...]    # kinds the article names; ("any",): every body, of a known kind or not
    followed_by: tuple[str, ...]   # kinds the article does not name that go with this deadline

    @property
    def every_body(self) -> bool:
        return "any" in self.body_kinds

    def covers(self, kind: str | None) -> bool:
        return self.every_body or (kind is not None and (kind in self.body_kinds or kind in self.followed_by))

    def date(self, report_year: int) -> _dt.date:
        return _dt.date(report_year + 1, self.month, self.day)


@dataclass(frozen=True)
class Regulation:
    """A regulation as far as the checks need it: which report years it governs and its
    publication deadlines (the article ``cited_as`` sets them)."""
    id: str
    title: str
    order: str
    years: tuple[int, int | None]
    cited_as: str
    cited_as_en: str
    deadlines: tuple[Deadline, ...]

    def deadline_for(self, kind: str | None) -> Deadline | None:
        return next((d for d in self.deadlines if d.covers(kind)), None)


@dataclass(frozen=True)
class BodyKindName:
    zh: str
    en: str


@dataclass(frozen=True)
class Law:
    regulations: tuple[Regulation, ...]  # by the first report year they govern
    body_kind_names: dict[str, BodyKindName]

    def regulation_for(self, year: int) -> Regulation:
        """The regulation that governs reports on ``year`` (before the first one: the first)."""
        current = self.regulations[0]
        for reg in self.regulations:
            if reg.years[0] <= year:
                current = reg
        return current


@dataclass(eq=False)
class TemplateSet:
    versions: dict[str, TemplateVersion]
    leftover_labels: dict[str, list[str]]
    raw: dict[str, Any]
    law: Law

    def for_year(self, year: int | None) -> str | None:
        """The id of the version for reports on ``year`` (before the first version: the first)."""
        if year is None:
            return None
        ordered = sorted(self.versions.values(), key=lambda v: v.years[0])
        for version in ordered:
            low, high = version.years
            if year >= low and (high is None or year <= high):
                return version.id
        return ordered[0].id if year < ordered[0].years[0] else None

    @property
    def current(self) -> TemplateVersion:
        """The version in force (its report years are open-ended)."""
        return next(v for v in self.versions.values() if v.years[1] is None)

    @property
    def pre_uniform(self) -> TemplateVersion:
        """The format before the national uniform one (the pre-2019 统计表): the one version
        whose ``uniform_format`` is false."""
        return next(v for v in self.versions.values() if not v.uniform_format)

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
                if label and col.get("in_column_names", True):
                    walk(col["children"], f"{prefix}·{label}" if prefix else label)
                else:
                    walk(col["children"], prefix)
                continue
            if col.get("role", "data") != "data":
                continue
            labels[col["id"]] = f"{prefix}·{label}" if prefix and label else (label or prefix)
            leaves.append(ColumnDef(col["id"], label, col.get("domain", inherited_domain)))

    walk(raw_cols, "")
    return leaves, labels


def _rows(raw_rows: list[dict], block: int, parent: str | None, out: list[RowDef]) -> None:
    for raw in raw_rows:
        variants = [_variant(x) for x in raw.get("variants", [])]
        kind = raw.get("kind", "data")
        out.append(
            RowDef(raw["id"], raw.get("label", ""), kind, variants, parent, block, raw.get("unit"),
                   raw.get("domain"), list(raw.get("prose_words", [])))
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


def _table(raw: dict, path: str = "") -> TableDef:
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
        raw.get("corner_note"), labels, list(raw.get("corner_note_variants", [])), raw["confidence"],
        raw.get("alternative_to"),
    )
    table.identity_set = compile_table(table, path)
    return table


def _years(raw: list) -> tuple[int, int | None]:
    return int(raw[0]), (int(raw[1]) if raw[1] is not None else None)


def _version(vid: str, raw: dict, path: str = "") -> TemplateVersion:
    sections: list[SectionDef] = []
    observed: list[str] = []
    raw_sections = raw.get("sections", [])
    fixed = isinstance(raw_sections, list)
    if fixed:
        for sec in raw_sections:
            variants = [_variant(x) for x in sec.get("variants", [])]
            # YAML 1.1 reads the bare key `no` as the boolean False.
            number = sec.get("no", sec.get(False))
            sections.append(
                SectionDef(number, sec["title"], variants, bool(sec.get("required", True)), sec.get("tables", []),
                           [str(x) for x in sec.get("expected_content", [])], sec.get("role"))
            )
    else:
        observed = [str(t) for t in raw_sections.get("observed_titles", [])]
    tables = {t["id"]: _table(t, f"{path}.tables[{n}]" if path else "") for n, t in enumerate(raw.get("tables", []))}
    doc = raw.get("issuing_document")
    number = doc.get("number") if isinstance(doc, dict) else None
    return TemplateVersion(vid, raw["display_name"], _years(raw["applies_to_report_years"]), fixed, sections,
                           observed, tables, number, raw, raw["uniform_format"],
                           bool(raw.get("expects_fee_statement", False)), raw.get("superseded_by"))


_CACHE_FORMAT = 1


def _raw_data(text: str) -> dict:
    """The YAML as data.  Parsing it costs ~20 ms at every start, so the result
    is kept as JSON in the private cache directory (``datacache``, never the
    shared temporary directory: a file planted there would change the checks),
    keyed by the YAML's hash."""
    from . import datacache

    def build():
        import yaml

        return _json_keys(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))

    # the key covers the YAML and the conversion in build (bump _CACHE_FORMAT when _json_keys changes)
    return datacache.json_memo("templates", f"{_CACHE_FORMAT}\n{text}", build)


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
    return build(_raw_data(text))


def build(raw: dict) -> TemplateSet:
    """Typed objects from the parsed data, checked first: a key, type or reference that
    does not fit raises TemplateDataError naming its path in the YAML (never a rule that
    quietly finds nothing)."""
    check_template_data(raw)
    found = [v["id"] for v in raw["versions"].values()]
    if sorted(found) != sorted(VERSION_IDS):
        raise TemplateDataError("versions", f"the versions' ids must be {', '.join(VERSION_IDS)}; "
                                            f"found {', '.join(found)}")
    keys = {v["id"]: key for key, v in raw["versions"].items()}
    versions: dict[str, TemplateVersion] = {}
    for vid in VERSION_IDS:
        path = f"versions.{keys[vid]}"
        _check_version(raw["versions"][keys[vid]], path)
        versions[vid] = _version(vid, raw["versions"][keys[vid]], path)
        _check_version_references(versions[vid], raw["versions"][keys[vid]], path)
    for vid, version in versions.items():
        later = version.superseded_by
        if later is not None:
            if later not in versions:
                raise TemplateDataError(f"versions.{keys[vid]}.superseded_by", f"no version has the id '{later}'")
            versions[later].supersedes = vid
    open_ended = [vid for vid, v in versions.items() if v.years[1] is None]
    if len(open_ended) != 1:  # the version in force (TemplateSet.current)
        raise TemplateDataError("versions", f"exactly one version has open-ended report years; found "
                                            f"{', '.join(open_ended) or 'none'}")
    pre_uniform = [vid for vid, v in versions.items() if not v.uniform_format]
    if len(pre_uniform) != 1:  # the old 统计表 format (TemplateSet.pre_uniform)
        raise TemplateDataError("versions", f"exactly one version is not in the uniform format; found "
                                            f"{', '.join(pre_uniform) or 'none'}")
    law = _law(raw["law"], raw["rule_data"])
    _check_rule_data(raw["rule_data"], versions)
    leftovers = {k: [str(x) for x in v] for k, v in raw["leftover_labels"].items() if k != "notes"}
    templates = TemplateSet(versions, leftovers, raw, law)
    check_vocabulary(templates)  # the prose rules' vocabulary, typed and checked with the rest
    return templates


# -- checks beyond the schema (shapes that depend on each other, references) ------------------

def _check_years(years: list, path: str) -> None:
    if len(years) != 2 or not isinstance(years[0], int) or (years[1] is not None and years[1] < years[0]):
        raise TemplateDataError(path, f"expected [first year, last year or null], found {years}")


def _check_version(raw: dict, path: str) -> None:
    _check_years(raw["applies_to_report_years"], f"{path}.applies_to_report_years")
    if raw["uniform_format"] != isinstance(raw["sections"], list):
        raise TemplateDataError(f"{path}.sections", "a uniform format has a list of numbered sections; "
                                                    "the old one only observed titles")
    seen: set[str] = set()
    for n, table in enumerate(raw["tables"]):
        where = f"{path}.tables[{n}]"
        if table["id"] in seen:
            raise TemplateDataError(f"{where}.id", f"a second table '{table['id']}'")
        seen.add(table["id"])
        if ("blocks" in table) == ("columns" in table or "rows" in table):
            raise TemplateDataError(where, "a table has either blocks, or columns and rows")
        if "blocks" not in table and not ("columns" in table and "rows" in table):
            raise TemplateDataError(where, "a table without blocks needs both columns and rows")


def _check_version_references(version: TemplateVersion, raw: dict, path: str) -> None:
    numbers = {s.no for s in version.sections}
    roles: set[str] = set()
    for n, sec in enumerate(version.sections):
        if sec.role is not None and sec.role in roles:
            raise TemplateDataError(f"{path}.sections[{n}].role", f"a second section with the role '{sec.role}'")
        roles.add(sec.role or "")
        for tid in sec.tables:
            if tid not in version.tables:
                raise TemplateDataError(f"{path}.sections[{n}].tables", f"no table '{tid}' in this version")
    for n, table in enumerate(version.tables.values()):
        where = f"{path}.tables[{n}]"
        if version.fixed_sections and table.section not in numbers:
            raise TemplateDataError(f"{where}.section", f"no section '{table.section}' in this version")
        if table.alternative_to is not None and table.alternative_to not in version.tables:
            raise TemplateDataError(f"{where}.alternative_to", f"no table '{table.alternative_to}' in this version")
        ids = [r.id for r in table.rows]
        twice = next((i for k, i in enumerate(ids) if i in ids[:k]), None)
        if twice is not None:
            raise TemplateDataError(f"{where}.rows", f"a second row '{twice}'")
        for raw_row in raw["tables"][n].get("rows", []):
            parent = raw_row.get("parent")
            if parent is not None and parent not in ids:
                raise TemplateDataError(f"{where}.rows", f"row '{raw_row['id']}' names an unknown parent '{parent}'")


def _law(raw: dict, rule_data: dict) -> Law:
    names = {k: BodyKindName(v["zh"], v["en"]) for k, v in rule_data["body_kind_names"].items()}
    regulations = []
    for rid, reg in raw.items():
        if not rid.startswith("regulation_"):
            continue
        path = f"law.{rid}"
        _check_years(reg["applies_to_report_years"], f"{path}.applies_to_report_years")
        article_key = reg["deadline_article"]
        article = reg.get(article_key)
        if article is None:
            raise TemplateDataError(f"{path}.deadline_article", f"no article '{article_key}' in this regulation")
        where = f"{path}.{article_key}"
        for key in ("cited_as", "cited_as_en", "deadlines"):
            if not article.get(key):
                raise TemplateDataError(where, f"the article setting the deadline needs '{key}'")
        deadlines = tuple(_deadline(d, names, f"{where}.deadlines[{n}]") for n, d in enumerate(article["deadlines"]))
        regulations.append(Regulation(rid, reg["title"], reg["order"], _years(reg["applies_to_report_years"]),
                                      article["cited_as"], article["cited_as_en"], deadlines))
    regulations.sort(key=lambda r: r.years[0])
    return Law(tuple(regulations), names)


def _deadline(raw: dict, names: dict[str, BodyKindName], path: str) -> Deadline:
    try:
        month, day = (int(x) for x in raw["deadline"].split("-"))
        _dt.date(2001, month, day)
    except ValueError:
        raise TemplateDataError(f"{path}.deadline", f"expected a month and day \"MM-DD\", found '{raw['deadline']}'") \
            from None
    for key in ("body_kinds", "followed_by"):
        for n, kind in enumerate(raw.get(key, [])):
            if kind not in names and not (key == "body_kinds" and kind == "any"):
                known = ", ".join([*names, "any"] if key == "body_kinds" else names)
                raise TemplateDataError(f"{path}.{key}[{n}]", f"unknown kind of body '{kind}' (known: {known})")
    if "any" in raw["body_kinds"] and (len(raw["body_kinds"]) > 1 or raw.get("followed_by")):
        raise TemplateDataError(f"{path}.body_kinds", "'any' stands alone")
    if not raw["body_kinds"]:
        raise TemplateDataError(f"{path}.body_kinds", "name at least one kind of body (or any)")
    return Deadline(month, day, raw["bodies"], tuple(raw["body_kinds"]), tuple(raw.get("followed_by", [])))


def _tables_named(versions: dict[str, TemplateVersion], tid: str, uniform: bool | None = None) -> list[TableDef]:
    return [v.tables[tid] for v in versions.values()
            if tid in v.tables and (uniform is None or v.uniform_format == uniform)]


def _check_cell(versions: dict[str, TemplateVersion], path: str, table: str, rows: list[str],
                columns: list[str], uniform: bool | None = None) -> None:
    """Each of ``rows`` (globs allowed) and ``columns`` exists in a table ``table`` of some version."""
    defs = _tables_named(versions, table, uniform)
    if not defs:
        raise TemplateDataError(f"{path}.table", f"no version has a table '{table}'")
    for row in rows:
        if not any(fnmatch.filter([r.id for r in d.rows], row) for d in defs):
            raise TemplateDataError(path, f"table '{table}' has no row '{row}'")
    for col in columns:
        if not any(col in d.column_ids for d in defs):
            raise TemplateDataError(path, f"table '{table}' has no column '{col}'")


def _check_rule_data(data: dict, versions: dict[str, TemplateVersion]) -> None:
    path = "rule_data"
    for n, entry in enumerate(data["rows_not_for_body_kind"]):
        where = f"{path}.rows_not_for_body_kind[{n}]"
        _check_cell(versions, where, entry["table"], [entry["row"]], [])
        if entry["body_kind"] not in data["body_kind_names"]:
            raise TemplateDataError(f"{where}.body_kind", f"unknown kind of body '{entry['body_kind']}'")
    cell = data["unpaid_fee_cell"]
    _check_cell(versions, f"{path}.unpaid_fee_cell", cell["table"], [cell["row"]], [cell["column"]])
    single = data["single_other_processing_row"]
    if single["version"] not in versions:
        raise TemplateDataError(f"{path}.single_other_processing_row.version", f"no version '{single['version']}'")
    _check_cell({single["version"]: versions[single["version"]]}, f"{path}.single_other_processing_row",
                single["table"], [single["row"]], [])
    _check_prose_and_cue_cells(data, versions)
    _check_named_sections(data, versions)


def _check_prose_and_cue_cells(data: dict, versions: dict[str, TemplateVersion]) -> None:
    path = "rule_data"
    for group, targets in data["prose_targets"].items():
        for key, target in targets.items():
            for n, one in enumerate(target if isinstance(target, list) else [target]):
                where = f"{path}.prose_targets.{group}.{key}" + (f"[{n}]" if isinstance(target, list) else "")
                _check_cell(versions, where, one["table"], [*one["rows"], *one.get("also_rows", [])], one["columns"],
                            uniform=group == "gb")
    for tid, rows in data["digit_run_cues"].items():
        for rid, cue in rows.items():
            columns = [*cue["columns"], *([cue["default"]] if "default" in cue else [])]
            _check_cell(versions, f"{path}.digit_run_cues.{tid}.{rid}", tid, [rid], columns)


def _check_named_sections(data: dict, versions: dict[str, TemplateVersion]) -> None:
    path = "rule_data"
    statements = data["report_year_statements"]
    numbers = {s.no for v in versions.values() for s in v.sections}
    for n, no in enumerate([statements["overview_section"], *statements["year_work_sections"]]):
        where = "overview_section" if n == 0 else f"year_work_sections[{n - 1}]"
        if no not in numbers:
            raise TemplateDataError(f"{path}.report_year_statements.{where}", f"no version has a section '{no}'")
    topics = {t for v in versions.values() for sec in v.sections for t in sec.expected_content}
    for topic in data["overview_topics"]:
        if topic not in topics:  # C104 looks the wording up by the section's expected_content item
            raise TemplateDataError(f"{path}.overview_topics.{topic}", "no section's expected_content names this topic")
