"""The HTML page and each file's section: summary, filters, the list of
findings and each finding with its evidence and rule documentation."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Iterable

from ...catalogue import has, ui
from ...diagnostics import SEVERITIES, Diagnostic, FileResult, severity_word
from ...i18n import current_language, language
from .findings import annotation, esc, family, location_words
from .tables import tables_view
from .textview import text_view

# the report file forbids every network load; inline style and script only
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text("utf-8")


def css() -> str:
    """The report's style sheet (``report.css``)."""
    return _asset("report.css")


def js() -> str:
    """The report's script (``report.js``): filters and jumps between marks and findings."""
    return _asset("report.js")


def render_html(results: list[FileResult], registry, title: str | None = None, lang: str | None = None) -> str:
    """The whole page: one self-contained HTML document, in ``lang`` (default: the chosen language)."""
    with language(lang):
        title = title or ui("html.title")
        return (
            f"<!DOCTYPE html>\n<html lang=\"{'en' if current_language() == 'en' else 'zh-CN'}\">\n<head>\n"
            "<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{css()}</style>\n</head>\n<body>\n"
            f"<header class=\"xr-top\"><h1>{esc(title)}</h1>"
            f"<p class=\"xr-note\">{esc(ui('html.note'))}</p></header>\n"
            f"<main>\n{render_results(results, registry)}\n</main>\n"
            f"<script>{js()}\nxxgkInit(document);</script>\n</body>\n</html>\n"
        )


def render_results(results: list[FileResult], registry, prefix: str = "r") -> str:
    """The files' sections only (the web page inserts this fragment)."""
    if not results:
        return f"<p class=\"xr-empty\">{esc(ui('html.no_files'))}</p>"
    return "\n".join(render_file(result, registry, f"{prefix}{n}") for n, result in enumerate(results))


def render_file(result: FileResult, registry, key: str) -> str:

    diags = list(result.diagnostics)
    ids = {id(d): f"{key}-d{n}" for n, d in enumerate(diags)}
    parts = [f"<section class=\"xr-file\" id=\"{key}\">",
             f"<h2 class=\"xr-path\">{esc(result.path)}</h2>",
             _summary(result, diags),
             _filters(diags, key)]
    unplaced = [d for d in diags if not _placeable(result, d)]
    placed = [d for d in diags if _placeable(result, d)]
    if unplaced:
        parts.append(f"<div class=\"xr-block\"><h3>{esc(ui('html.whole_file'))}</h3>")
        parts.extend(annotation(result, d, ids[id(d)], registry) for d in unplaced)
        parts.append("</div>")
    if placed:
        parts.append(_index(result, placed, ids))
    report = result.report
    if report is not None and getattr(report, "tables", None):
        parts.append(tables_view(result, diags, ids))
    if _has_full_text(result.document):
        parts.append(text_view(result, placed, ids, registry, key))
    elif placed:  # a reduced document view (no full text): each finding with its line
        parts.append(f"<div class=\"xr-block\"><h3>{esc(ui('html.by_line'))}</h3>")
        for d in placed:
            line, _ = result.document.line_col(d.span.start)
            parts.append(f"<div class=\"xr-line\"><span class=\"xr-ln\">{line}</span>"
                         f"<span class=\"xr-src\">{esc(result.document.line_text(line))}</span></div>")
            parts.append(annotation(result, d, ids[id(d)], registry))
        parts.append("</div>")
    if not diags:
        parts.append(f"<p class=\"xr-ok\">{esc(ui('html.no_findings'))}</p>")
    parts.append("</section>")
    return "\n".join(parts)


# -- summary and filters ------------------------------------------------------------------------

def _has_full_text(document) -> bool:
    return document is not None and isinstance(getattr(document, "text", None), str)


def _placeable(result: FileResult, diag: Diagnostic) -> bool:
    return result.document is not None and diag.span is not None


def _counts(diags: Iterable[Diagnostic]) -> Counter:
    return Counter(d.severity.value for d in diags if d.severity is not None)


def _fact(fact) -> str | None:
    return None if fact is None or fact.value in (None, "") else str(fact.value)


def _word(group: str, key: str | None) -> str:
    """A catalogue word for a key of the report's data (a format), else the key itself."""
    return ui(f"{group}.{key}") if key and has(group, key) else (key or "")


def _version(version: str) -> str:
    """A template version's name in the chosen language (Chinese: the template data's)."""
    from ...templates import VERSION_NAMES

    name = VERSION_NAMES.get(version, version)
    return ui(f"version.{version}", name=name) if has("version", version) else name


def _summary(result: FileResult, diags: list[Diagnostic]) -> str:
    counts = _counts(diags)
    # (label, value, whether the value is the report's own text, kept in its language)
    rows: list[tuple[str, str, bool]] = []
    doc, report = result.document, result.report
    if doc is not None:
        rows.append((ui("html.fact_format"), _word("format", doc.format), False))
    if report is not None:
        reason = getattr(report, "version_reason", "")
        rows.append((ui("html.fact_version"), _version(report.version), False))
        if reason:
            rows.append((ui("html.fact_reason"), reason, True))
        label_version = getattr(report, "label_version", None)
        if label_version and label_version != report.version:
            rows.append((ui("html.fact_label_version"), _version(label_version), False))
        year, agency = _fact(report.year), _fact(report.agency)
        rows.append((ui("html.fact_year"), year or ui("html.unknown"), bool(year)))
        rows.append((ui("html.fact_agency"), agency or ui("html.unknown"), bool(agency)))
    elif doc is None:
        rows.append((ui("html.fact_status"), ui("html.not_read"), False))
    data_class = " class=\"xr-data\""  # the report's own words: not translated
    items = "".join(f"<tr><th>{esc(k)}</th><td{data_class if data else ''}>{esc(v)}</td></tr>" for k, v, data in rows)
    badges = "".join(f"<span class=\"xr-count sev-{s}\">{esc(severity_word(s))} <b>{counts[s]}</b></span>"
                     for s in SEVERITIES)
    return f"<div class=\"xr-summary\"><table class=\"xr-facts\">{items}</table><div class=\"xr-counts\">{badges}</div></div>"


def _filters(diags: list[Diagnostic], key: str) -> str:
    if not diags:
        return ""
    sev_counts = _counts(diags)
    fam_counts = Counter(family(d.code) for d in diags)
    boxes = [f"<div class=\"xr-filters\" role=\"group\" aria-label=\"{esc(ui('html.filters'))}\">"
             f"<span class=\"xr-flabel\">{esc(ui('html.filter_severity'))}</span>"]
    for s in SEVERITIES:
        if sev_counts[s]:
            boxes.append(f"<label class=\"sev-{s}\"><input type=\"checkbox\" data-filter=\"sev\" value=\"{s}\" checked>"
                         f"{esc(severity_word(s))}{esc(ui('html.count', n=sev_counts[s]))}</label>")
    boxes.append(f"<span class=\"xr-flabel\">{esc(ui('html.filter_family'))}</span>")
    for fam in sorted(fam_counts):
        word = ui(f"family.{fam}") if has("family", fam) else ""
        boxes.append(f"<label><input type=\"checkbox\" data-filter=\"fam\" value=\"{esc(fam)}\" checked>"
                     f"{esc(fam)}{esc(' ' + word) if word else ''}{esc(ui('html.count', n=fam_counts[fam]))}</label>")
    boxes.append("</div>")
    return "".join(boxes)


def _index(result: FileResult, diags: list[Diagnostic], ids: dict) -> str:
    """A short list of the findings, each linking to its place in the text."""
    items = []
    for d in diags:
        did = ids[id(d)]
        sev = d.severity.value if d.severity else "error"
        text = d.text()
        message = text if len(text) <= 90 else text[:88] + ui("html.ellipsis")
        items.append(f"<li class=\"xr-idx sev-{sev}\" data-f=\"{did}\" data-sev=\"{sev}\" "
                     f"data-fam=\"{esc(family(d.code))}\"><a href=\"#{did}\"><span class=\"xr-code\">{esc(d.code)}</span> "
                     f"<span class=\"xr-sev\">{esc(severity_word(sev))}</span> "
                     f"{esc(location_words(result.document, d.span.start))}{esc(ui('html.colon'))}"
                     f"<span class=\"xr-imsg\">{esc(message)}</span></a></li>")
    return (f"<details class=\"xr-block xr-index\" open><summary>{esc(ui('html.findings', n=len(diags)))}</summary>"
            f"<ol>{''.join(items)}</ol></details>")


# -- one finding ----------------------------------------------------------------------------------

