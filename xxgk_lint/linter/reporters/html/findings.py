"""The pieces every part of the HTML view shares: escaping, a finding's card
(annotation), its evidence table and where it is in the file."""

from __future__ import annotations

import html
import re
from typing import Any

from ...catalogue import ui
from ...diagnostics import Diagnostic, FileResult, severity_word


def location_words(doc, offset: int) -> str:
    loc = doc.location(offset)
    kind = loc.get("kind")
    if kind in ("text", "html") or kind is None:
        return ui("location.line", n=loc.get("line"))
    parts = []
    for field in ("page", "paragraph", "table", "row", "col", "line"):
        if field in loc and not (field == "line" and "row" in loc):
            parts.append(ui(f"location.{field}", n=loc[field]))
    return ui("html.location_sep").join(parts)


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def family(code: str) -> str:
    found = re.match(r"[A-Z]+", code or "")
    return found.group() if found else "?"


def evidence(data: dict) -> str:
    """Expected against found, when the finding's data says so."""
    pairs = []
    # a relation between table cells: its two sides are often sums, and the message already
    # states each failed relation with both sides; only its suspects are worth repeating
    relation = isinstance(data.get("identity"), str) or isinstance(data.get("checks"), list)
    for found_key, expected_key, found_word, expected_word in (
            ("found", "computed", "table_number", "computed"),
            ("found", "expected", "found", "expected"),
            ("table_value", "prose_value", "in_table", "in_text"),
            ("found_label", "expected_label", "found", "expected")):
        if relation and expected_key == "computed":
            continue
        if expected_key in data and scalar(data[expected_key]) and scalar(data.get(found_key)):
            pairs.append(ui("html.pair", found_word=esc(ui(f"html.{found_word}")), found=esc(data[found_key]),
                            expected_word=esc(ui(f"html.{expected_word}")), expected=esc(data[expected_key])))
            break
    if not pairs and "expected" in data and scalar(data["expected"]):
        pairs.append(ui("html.expected_only", expected=esc(data["expected"])))
    suspects = data.get("suspects")
    if isinstance(suspects, list):
        for s in suspects:
            if isinstance(s, dict) and s.get("consistent_value") is not None:
                where = "".join(f"“{s[k]}”" for k in ("row_label", "column_label") if s.get(k))
                pairs.append(ui("html.suspect", where=esc(where), value=esc(s["consistent_value"])))
    return "".join(f"<div class=\"xr-evidence\">{p}</div>" for p in pairs)


def scalar(value) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value) != ""


def _rule_doc(registry, code: str) -> str:
    rule_ = registry.rules.get(code) if registry is not None else None
    if rule_ is None or not rule_.doc:
        return ""
    return (f"<details class=\"xr-ruledoc\"><summary>{esc(ui('html.rule_doc', code=code, name=rule_.name))}</summary>"
            f"<div class=\"xr-doc\" lang=\"zh-CN\">{esc(rule_.doc)}</div></details>")


def annotation(result: FileResult, diag: Diagnostic, did: str, registry) -> str:
    sev = diag.severity.value if diag.severity else "error"
    where = ""
    if result.document is not None and diag.span is not None:
        where = f"<a class=\"xr-loc\" href=\"#{did}-m\">{esc(location_words(result.document, diag.span.start))}</a>"
    return (f"<div class=\"xr-ann sev-{sev}\" id=\"{did}\" data-f=\"{did}\" data-sev=\"{sev}\" "
            f"data-fam=\"{esc(family(diag.code))}\">"
            f"<div class=\"xr-head\"><span class=\"xr-code\">{esc(diag.code)}</span>"
            f"<span class=\"xr-sev\">{esc(severity_word(sev))}</span>{where}"
            f"<span class=\"xr-rule\">{esc(diag.rule)}</span></div>"
            f"<div class=\"xr-msg\">{esc(diag.text())}</div>{evidence(diag.data or {})}"
            f"{_rule_doc(registry, diag.code)}</div>")
