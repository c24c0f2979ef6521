"""The message catalogue: every finding's words and the words of the reports
around them, in Simplified Chinese and English, kept as data.

``xxgk_lint/messages/rules/*.yaml`` hold the findings' messages, one file per
rule module: ``CODE: {message-id: {zh: ..., en: ...}}``.
``xxgk_lint/messages/readers.yaml`` holds the messages of the findings the
readers and the runner make (``ReadError.of``, E001-E009, E012, E013), in
the same form.
``xxgk_lint/messages/ui.yaml`` holds the words of the reporters, the HTML
report, the web page, ``parse`` and the rule pages, grouped the same way
(``group: {name: {zh: ..., en: ...}}``), severity words included.

A text is a :meth:`str.format` template over named fields.  A field's format
spec may name a filter instead of a standard spec:

- ``{no:secno}``       a template section number for English: 二 -> 2;
- ``{names:join(、)}``  a list, its items joined by the text in brackets;
- ``{names:qjoin(、)}`` the same, each item in quotation marks “”;
- ``{n:plural}``       ``s`` unless the number is 1.

A field whose value is a :class:`Msg` (another catalogue entry with its own
fields) is rendered in the same language, so a message can hold a phrase that
differs by language (``hint=Msg("S101", "before", ...)``).  Lists are
rendered item by item the same way.

Rules reach this through the model (``Diagnostic.of`` and ``msg``); the
catalogue is read once, on first use, and kept as JSON in the data cache.

Moving a rule module's messages here:

1. add ``xxgk_lint/messages/rules/<module>.yaml`` (any ``*.yaml`` there is
   read; a code defined in two files fails loudly) with one entry per
   message: ``A101: {failed: {zh: "...{found}...", en: "...{found}..."}}``;
   phrases that differ by language (a hint, a list, a plural) are entries of
   their own, passed as ``msg("A101", "hint", ...)`` field values; phrases
   shared by a module's rules go under a scope named after the module;
2. in the rule: ``yield Diagnostic.of("A101", "failed", span, found=...,
   data={...})`` -- ``severity``, ``data`` and ``related`` are the finding's,
   every other keyword is a field; drop the ``en`` flags of the helpers, which
   now return ``msg(...)`` phrases;
3. ``tests/test_catalogue.py`` checks that every ``Diagnostic.of``/``msg``
   call names an existing entry and gives all its fields, and
   ``bench/findings_diff.py`` that no text changed.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from .i18n import current_language

LANGS = ("zh", "en")


class CatalogueError(ValueError):
    """A malformed catalogue file or an unknown message id: a bug, fails loudly."""


@dataclass(frozen=True)
class Msg:
    """A reference to a catalogue entry with its fields, rendered on demand."""

    scope: str  # a rule code (S101) or a ui group (severity, html, ...)
    id: str
    fields: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str | None = None) -> str:
        return render(self.scope, self.id, self.fields, lang)

    def __hash__(self) -> int:
        return hash((self.scope, self.id))


def msg(scope: str, msg_id: str, **fields: Any) -> Msg:
    return Msg(scope, msg_id, fields)


def _load_file(text: str, where: str, into: dict) -> None:
    import yaml

    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a mapping of codes or groups")
    for scope, entries in raw.items():
        if not isinstance(scope, str) or not isinstance(entries, dict):
            raise CatalogueError(f"{where}: {scope!r} must map message ids to texts")
        if scope in into:
            raise CatalogueError(f"{where}: {scope} is defined twice")
        into[scope] = {}
        for msg_id, texts in entries.items():
            if not isinstance(msg_id, str):  # YAML 1.1 reads a bare no/yes/on/off key as a boolean
                raise CatalogueError(f"{where}: message id {msg_id!r} in {scope} must be a string (quote it)")
            if not isinstance(texts, dict) or set(texts) != set(LANGS) \
                    or not all(isinstance(texts[lang], str) for lang in LANGS):
                raise CatalogueError(f"{where}: {scope}.{msg_id} must have exactly a zh and an en text")
            for lang in LANGS:
                _check_template(texts[lang], f"{where}: {scope}.{msg_id} ({lang})")
            into[scope][str(msg_id)] = (texts["zh"], texts["en"])


def _check_template(text: str, where: str) -> None:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise CatalogueError(f"{where}: {exc}") from None
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            raise CatalogueError(f"{where}: field {{{name}}} must be a name")
        if spec and _filter_name(spec) not in _FILTERS and not _standard_spec(spec):
            raise CatalogueError(f"{where}: unknown filter {spec!r} in {{{name}:{spec}}}")


def _standard_spec(spec: str) -> bool:
    try:
        format(0, spec)
        return True
    except ValueError:
        return False


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, tuple[str, str]]]:
    """scope -> message id -> (zh, en), from every file of ``xxgk_lint/messages``.

    Validated from the YAML once, then kept as JSON in the private data cache
    (``datacache``, like the template data): importing and running PyYAML
    costs ≈ 50 ms, too much for a pre-commit hook at every start."""
    root = resources.files("xxgk_lint").joinpath("messages")
    top = [root.joinpath("ui.yaml"), root.joinpath("readers.yaml")]  # readers.yaml: the E findings of readers and runner
    rules = sorted((f for f in root.joinpath("rules").iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    texts = [(f"messages/{item.name}", item.read_text("utf-8")) for item in top]
    texts += [(f"messages/rules/{item.name}", item.read_text("utf-8")) for item in rules]
    return _cached(texts)


def _cached(texts: list[tuple[str, str]]) -> dict[str, dict[str, tuple[str, str]]]:
    from . import datacache

    def build() -> dict[str, dict[str, tuple[str, str]]]:
        entries: dict[str, dict[str, tuple[str, str]]] = {}
        for name, text in texts:
            _load_file(text, name, entries)
        return entries

    source = "\0".join(f"{name}\0{text}" for name, text in texts)
    try:
        found = datacache.json_memo("messages", source, build)
        return {scope: {k: (v[0], v[1]) for k, v in entries.items()} for scope, entries in found.items()}
    except (TypeError, AttributeError, IndexError, KeyError):  # a cache file of another shape: rebuild
        return build()


def template(scope: str, msg_id: str, lang: str) -> str:
    try:
        zh, en = catalogue()[scope][msg_id]
    except KeyError:
        raise CatalogueError(f"no message {scope}.{msg_id} in the catalogue") from None
    return en if lang == "en" else zh


def has(scope: str, msg_id: str) -> bool:
    return msg_id in catalogue().get(scope, {})


def render(scope: str, msg_id: str, fields: dict[str, Any] | None = None, lang: str | None = None) -> str:
    lang = lang or current_language()
    text = template(scope, msg_id, lang)
    try:
        return _Formatter(lang).vformat(text, (), fields or {})
    except KeyError as exc:
        raise CatalogueError(f"message {scope}.{msg_id} ({lang}) needs the field {exc}") from None


def ui(key: str, lang: str | None = None, **fields: Any) -> str:
    """A word of the user interface: ``ui("html.title")``."""
    scope, _, msg_id = key.partition(".")
    return render(scope, msg_id, fields, lang)


def both(scope: str, msg_id: str, **fields: Any) -> tuple[str, str]:
    """The (zh, en) texts of one entry."""
    return render(scope, msg_id, fields, "zh"), render(scope, msg_id, fields, "en")


# -- filters ----------------------------------------------------------------------------------

def _filter_name(spec: str) -> str:
    return spec.split("(", 1)[0]


def _secno(value, arg, lang):
    from .numerals import section_no_en

    return section_no_en(str(value))


def _join(value, arg, lang):
    return arg.join(_show(item, lang) for item in value)


def _qjoin(value, arg, lang):
    return arg.join(f"“{_show(item, lang)}”" for item in value)


def _plural(value, arg, lang):
    return "" if value == 1 else (arg or "s")


_FILTERS = {"secno": _secno, "join": _join, "qjoin": _qjoin, "plural": _plural}


def _show(value: Any, lang: str) -> str:
    return value.render(lang) if isinstance(value, Msg) else str(value)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        name = _filter_name(format_spec)
        if format_spec and name in _FILTERS:
            arg = format_spec[len(name) + 1:-1] if format_spec.endswith(")") else ""
            return _FILTERS[name](value, arg, self.lang)
        if isinstance(value, Msg):
            return format(value.render(self.lang), format_spec)
        if isinstance(value, list):
            return format("".join(_show(v, self.lang) for v in value), format_spec)
        return format(value, format_spec)
