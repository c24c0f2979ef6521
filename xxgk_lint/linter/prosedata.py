"""The prose vocabulary of the A3xx rules, loaded from the template data and checked.

Which phrases state which table quantity, the words that put a sentence off topic, the units of
a 其中 list: all of it is ``rule_data.prose_vocabulary`` (with ``prose_targets``,
``prose_partitions`` and ``prose_unit_kinds``) in templates/template-versions.yaml, so adding a
phrase or a quantity is a data edit.  ``vocabulary(templates)`` turns that data into the typed
objects below once per loaded template data (``templates.build`` loads it with the rest,
so a typo fails the load).  Every name is checked on the way: an unknown key,
a pattern that does not compile or lacks its group, a quantity without cells, a table, row or
column the template does not have raises ``ProseDataError`` naming the entry -- a typo stops
the run instead of silently turning a phrase off.
"""

from __future__ import annotations

import fnmatch
import re
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .templateschema import TemplateDataError

if TYPE_CHECKING:
    from .templates import TemplateSet

# the quantities the rules' own logic names (A301's note on carried-over applications, A303's 办结率)
USED_BY_CODE = ("received", "carried_over", "closed")


class ProseDataError(TemplateDataError):
    """``rule_data.prose_vocabulary`` (or the prose data next to it) is wrong."""

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)
        self.path, _, self.problem = message.partition(": ")


@dataclass(frozen=True)
class Topic:
    """What a sentence must be about: one ``require`` word and no ``reject`` word."""

    require: tuple[str, ...]
    reject: tuple[str, ...] = ()

    def admits(self, text: str) -> bool:
        return any(w in text for w in self.require) and not any(w in text for w in self.reject)


@dataclass(frozen=True)
class Quantity:
    """A table quantity the prose states: its names and the patterns that state it."""

    key: str
    zh: str
    en: str
    patterns: tuple[re.Pattern, ...]  # group ``n`` (or the empty ``zero``), maybe ``u`` and ``y``
    topic: Topic | None = None  # the sentence must be about this
    after: str | None = None  # the statement must follow one of this quantity in the sentence
    unless: tuple[str, ...] = ()  # a sentence with one of these words is not read
    zero: bool = False  # the patterns state 0 without a number
    divide: dict[str, Decimal] = field(default_factory=dict)  # unit -> divisor to the table's unit

    def in_table_unit(self, value: Decimal, unit: str) -> Decimal:
        return value / self.divide[unit] if unit in self.divide else value


@dataclass(frozen=True)
class Target:
    """Where a table holds a quantity: the sum of rows (globs) x columns; ``also_rows`` another sum
    that is not a mismatch either."""

    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    also_rows: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProseVocabulary:
    quantities: dict[str, Quantity]  # in the data's order, the order of the findings
    comparison: tuple[str, ...]  # a clause with one of these is about another year
    year: re.Pattern  # a year named in a clause (group ``y``)
    breakdown: str  # after a total, the statements after this word are its parts
    groups: dict[str, str]  # version id -> group of ``targets``
    targets: dict[str, dict[str, tuple[Target, ...]]]  # group -> quantity -> addresses, one per table form
    total: re.Pattern  # a total that opens a list of parts (groups n, approx, u, open)
    part: re.Pattern  # an item of the list (groups n, approx, u)
    next_total: str  # a new total starts: the list has ended
    item_prefix: re.Pattern  # the words joining an item to the list
    item_end: re.Pattern  # what follows an item in another unit than the total's
    channels: tuple[str, ...]  # items naming these overlap
    share: re.Pattern  # "占 X%" after an item (group p)
    rate: re.Pattern  # "办结率 X%" (group p)
    rate_received: re.Pattern  # the applications received a 办结率 is computed from (group n)
    partitions: tuple[tuple[str, ...], ...]  # items naming every member of one split the whole
    unit_kinds: tuple[frozenset[str], ...]  # units that count the same kind of thing

    def target(self, version: str, key: str, tables) -> Target | None:
        """The address of ``key`` for a report of ``version`` whose tables are ``tables``: the
        first form of the table the report has (the only one when there is one)."""
        found = self.targets.get(self.groups.get(version, ""), {}).get(key, ())
        if len(found) == 1:
            return found[0]
        return next((t for t in found if t.table in tables), None)


_LOADED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def vocabulary(templates: TemplateSet) -> ProseVocabulary:
    """The prose vocabulary of ``templates``, loaded and checked once per loaded template data
    (kept with it, gone with it)."""
    found = _LOADED.get(templates)
    if found is None:
        found = _LOADED[templates] = load_vocabulary(templates)
    return found


def check_vocabulary(templates: TemplateSet) -> None:
    """Load (and so check) the vocabulary of freshly built template data."""
    vocabulary(templates)


_SECTION_KEYS = {"fragments", "topics", "comparison", "year", "breakdown", "target_groups", "quantities", "units",
                 "total", "part", "next_total", "item_prefix", "item_end", "channels", "share", "rate", "rate_received"}
_QUANTITY_KEYS = {"zh", "en", "patterns", "topic", "after", "unless", "zero", "divide"}
_TARGET_KEYS = {"table", "rows", "columns", "also_rows"}


def load_vocabulary(templates: TemplateSet) -> ProseVocabulary:
    data = templates.raw.get("rule_data", {})
    sec = _mapping(data.get("prose_vocabulary"), "prose_vocabulary", _SECTION_KEYS, required=_SECTION_KEYS)
    fragments = {k: _text(v, f"prose_vocabulary.fragments.{k}")
                 for k, v in _mapping(sec["fragments"], "prose_vocabulary.fragments").items()}
    fragments["units"] = "|".join(re.escape(u) for u in _words(sec["units"], "prose_vocabulary.units"))

    def pattern(value, where: str, *groups: str) -> re.Pattern:
        return _pattern(value, where, fragments, groups)

    topics = {}
    for name, raw in _mapping(sec["topics"], "prose_vocabulary.topics").items():
        where = f"prose_vocabulary.topics.{name}"
        raw = _mapping(raw, where, {"require", "reject"}, required={"require"})
        topics[name] = Topic(_words(raw["require"], f"{where}.require"),
                             _words(raw.get("reject", []), f"{where}.reject"))
    quantities = {key: _quantity(key, raw, topics, pattern)
                  for key, raw in _mapping(sec["quantities"], "prose_vocabulary.quantities").items()}
    for key, q in quantities.items():
        if q.after is not None and q.after not in quantities:
            raise ProseDataError(f"prose_vocabulary.quantities.{key}.after: no quantity “{q.after}”")
    for key in USED_BY_CODE:
        if key not in quantities:
            raise ProseDataError(f"prose_vocabulary.quantities: “{key}” is missing (rules/prose.py reads it)")
    groups, targets = _targets(templates, data, sec["target_groups"], quantities)
    return ProseVocabulary(
        quantities=quantities,
        comparison=_words(sec["comparison"], "prose_vocabulary.comparison"),
        year=pattern(sec["year"], "prose_vocabulary.year", "y"),
        breakdown=_text(sec["breakdown"], "prose_vocabulary.breakdown"),
        groups=groups,
        targets=targets,
        total=pattern(sec["total"], "prose_vocabulary.total", "n", "approx", "u", "open"),
        part=pattern(sec["part"], "prose_vocabulary.part", "n", "approx", "u"),
        next_total=_text(sec["next_total"], "prose_vocabulary.next_total"),
        item_prefix=pattern(sec["item_prefix"], "prose_vocabulary.item_prefix"),
        item_end=pattern(sec["item_end"], "prose_vocabulary.item_end"),
        channels=_words(sec["channels"], "prose_vocabulary.channels"),
        share=pattern(sec["share"], "prose_vocabulary.share", "p"),
        rate=pattern(sec["rate"], "prose_vocabulary.rate", "p"),
        rate_received=pattern(sec["rate_received"], "prose_vocabulary.rate_received", "n"),
        partitions=tuple(_words(g, f"prose_partitions[{i}]")
                         for i, g in enumerate(_list(data.get("prose_partitions", []), "prose_partitions"))),
        unit_kinds=tuple(frozenset(_words(g, f"prose_unit_kinds[{i}]"))
                         for i, g in enumerate(_list(data.get("prose_unit_kinds", []), "prose_unit_kinds"))),
    )


def _quantity(key: str, raw, topics: dict[str, Topic], pattern) -> Quantity:
    where = f"prose_vocabulary.quantities.{key}"
    raw = _mapping(raw, where, _QUANTITY_KEYS, required={"zh", "en", "patterns"})
    zero = raw.get("zero", False)
    if not isinstance(zero, bool):
        raise ProseDataError(f"{where}.zero: true or false, not {zero!r}")
    divide = {}
    for unit, by in _mapping(raw.get("divide", {}), f"{where}.divide").items():
        if isinstance(by, bool) or not isinstance(by, (int, float)) or by <= 0:
            raise ProseDataError(f"{where}.divide.{unit}: a positive number, not {by!r}")
        divide[unit] = Decimal(str(by))
    groups = ("zero",) if zero else ("n", "u") if divide else ("n",)
    patterns = tuple(pattern(p, f"{where}.patterns[{i}]", *groups)
                     for i, p in enumerate(_list(raw["patterns"], f"{where}.patterns", nonempty=True)))
    for unit in divide:  # a unit no pattern can read would never divide anything
        if not any(unit in p.pattern for p in patterns):
            raise ProseDataError(f"{where}.divide.{unit}: no pattern of this quantity reads the unit “{unit}”")
    topic = raw.get("topic")
    if topic is not None and topic not in topics:
        raise ProseDataError(f"{where}.topic: no topic “{topic}” (prose_vocabulary.topics: {', '.join(topics)})")
    return Quantity(key, _text(raw["zh"], f"{where}.zh"), _text(raw["en"], f"{where}.en"), patterns,
                    topics[topic] if topic is not None else None,
                    _text(raw["after"], f"{where}.after") if "after" in raw else None,
                    _words(raw.get("unless", []), f"{where}.unless"), zero, divide)


def _targets(templates: TemplateSet, data: dict, raw_groups, quantities: dict[str, Quantity]):
    """The cells of every quantity (``prose_targets``), each checked against the tables of the
    versions its group applies to."""
    raw_targets = _mapping(data.get("prose_targets"), "prose_targets")
    groups: dict[str, str] = {}
    for group, versions in _mapping(raw_groups, "prose_vocabulary.target_groups").items():
        if group not in raw_targets:
            raise ProseDataError(f"prose_vocabulary.target_groups.{group}: prose_targets has no “{group}”")
        for vid in _words(versions, f"prose_vocabulary.target_groups.{group}"):
            if vid not in templates.versions or vid in groups:
                raise ProseDataError(f"prose_vocabulary.target_groups.{group}: “{vid}” is no version or in two groups")
            groups[vid] = group
    missing = [vid for vid in templates.versions if vid not in groups]
    if missing:
        raise ProseDataError(f"prose_vocabulary.target_groups: no group for {', '.join(missing)}")
    targets: dict[str, dict[str, tuple[Target, ...]]] = {}
    for group, entries in raw_targets.items():
        if group not in groups.values():
            raise ProseDataError(f"prose_targets.{group}: no version reads it (prose_vocabulary.target_groups)")
        defs = [templates.versions[v].tables for v, g in groups.items() if g == group]
        targets[group] = {}
        for key, raw in _mapping(entries, f"prose_targets.{group}").items():
            if key not in quantities:
                raise ProseDataError(f"prose_targets.{group}.{key}: no such quantity in prose_vocabulary.quantities")
            forms = raw if isinstance(raw, list) else [raw]
            targets[group][key] = tuple(_target(f, f"prose_targets.{group}.{key}", defs) for f in forms)
    for key in quantities:
        if not any(key in t for t in targets.values()):
            raise ProseDataError(f"prose_vocabulary.quantities.{key}: no cells for it in prose_targets")
    return groups, targets


def _target(raw, where: str, tables_by_version: list[dict]) -> Target:
    raw = _mapping(raw, where, _TARGET_KEYS, required={"table", "rows", "columns"})
    tid = _text(raw["table"], f"{where}.table")
    defs = [tables[tid] for tables in tables_by_version if tid in tables]
    if not defs:
        raise ProseDataError(f"{where}.table: no table “{tid}” in the versions of this group")
    target = Target(tid, _words(raw["rows"], f"{where}.rows"), _words(raw["columns"], f"{where}.columns"),
                    _words(raw.get("also_rows", []), f"{where}.also_rows"))
    # each row and column in one version at least: gb2019's table 2 has no 废止 column, gb2021's
    # table 3 no single （六） row (other_processing reads r3_6 or r3_6_*)
    data_rows = {r.id for d in defs for r in d.rows if r.kind == "data"}
    for glob in target.rows + target.also_rows:
        if not any(fnmatch.fnmatchcase(r, glob) for r in data_rows):
            raise ProseDataError(f"{where}: table “{tid}” has no data row “{glob}”")
    columns = {c.id for d in defs for b in d.blocks for c in b.columns}
    for cid in target.columns:
        if cid not in columns:
            raise ProseDataError(f"{where}.columns: table “{tid}” has no column “{cid}”")
    return target


_FRAGMENT = re.compile(r"\{([A-Za-z_]+)\}")


def _pattern(value, where: str, fragments: dict[str, str], groups: tuple[str, ...]) -> re.Pattern:
    """A pattern of the data with its ``{fragment}``s filled in, compiled and holding ``groups``."""

    def fill(m: re.Match) -> str:
        if m.group(1) not in fragments:
            raise ProseDataError(f"{where}: no fragment “{{{m.group(1)}}}” (prose_vocabulary.fragments)")
        return fragments[m.group(1)]

    text = _FRAGMENT.sub(fill, _text(value, where))
    try:
        compiled = re.compile(text)
    except re.error as exc:
        raise ProseDataError(f"{where}: not a regular expression ({exc}): {text}") from None
    lacking = [g for g in groups if g not in compiled.groupindex]
    if lacking:
        raise ProseDataError(f"{where}: the pattern has no group {', '.join(lacking)}: {text}")
    return compiled


def _mapping(value, where: str, allowed: set[str] | None = None, required: set[str] | None = None) -> dict:
    if not isinstance(value, dict):
        raise ProseDataError(f"{where}: a mapping is missing or wrong ({type(value).__name__})")
    if allowed is not None and set(value) - allowed:
        unknown = ", ".join(sorted(set(value) - allowed))
        raise ProseDataError(f"{where}: unknown key {unknown} (known: {', '.join(sorted(allowed))})")
    lacking = sorted((required or set()) - set(value))
    if lacking:
        raise ProseDataError(f"{where}: missing {', '.join(lacking)}")
    return value


def _list(value, where: str, nonempty: bool = False) -> list:
    if not isinstance(value, list) or (nonempty and not value):
        raise ProseDataError(f"{where}: a {'non-empty ' if nonempty else ''}list is missing or wrong")
    return value


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProseDataError(f"{where}: text expected, not {value!r} (quote numbers: '12345')")
    return value


def _words(value, where: str) -> tuple[str, ...]:
    return tuple(_text(w, f"{where}[{i}]") for i, w in enumerate(_list(value, where)))
