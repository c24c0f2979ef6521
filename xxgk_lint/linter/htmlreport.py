"""A self-contained HTML view of check results (``check --format html`` and the web page).

One page per run: for each file a summary, the report text with every finding
highlighted at its span and its message beside the line, filters by severity
and rule family, the template tables with the cells that take part in a
finding marked, and each rule's documentation on demand.  No network resource
is referenced (inline CSS and JS; a Content-Security-Policy forbids loading
anything), and every piece of report text is escaped: the text is untrusted.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any, Iterable

from .diagnostics import Diagnostic, FileResult

SEVERITIES = ("error", "warning", "info")
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}
FAMILY_WORDS = {
    "E": "读取", "S": "结构", "A": "数字与表格", "C": "内容", "L": "旧格式遗留",
    "N": "序号", "P": "期限与日期", "U": "忽略注释", "X": "跨年度",
}
FORMAT_WORDS = {"txt": "纯文本", "md": "Markdown", "docx": "Word", "pdf": "PDF", "html": "网页",
                "ofd": "OFD", "odt": "ODT", "doc": "Word 97-2003", "wps": "WPS"}
# the report file forbids every network load; inline style and script only
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def family(code: str) -> str:
    found = re.match(r"[A-Z]+", code or "")
    return found.group() if found else "?"


def render_html(results: list[FileResult], registry, title: str = "政府信息公开工作年度报告检查结果") -> str:
    """The whole page: one self-contained HTML document."""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header class=\"xr-top\"><h1>{esc(title)}</h1>"
        f"<p class=\"xr-note\">由 xxgk-lint 生成。点击正文中的标记或表格中的标红单元格可跳到对应问题；"
        f"“规则说明”可展开查看每条规则的依据和示例。</p></header>\n"
        f"<main>\n{render_results(results, registry)}\n</main>\n"
        f"<script>{JS}\nxxgkInit(document);</script>\n</body>\n</html>\n"
    )


def render_results(results: list[FileResult], registry, prefix: str = "r") -> str:
    """The files' sections only (the web page inserts this fragment)."""
    if not results:
        return "<p class=\"xr-empty\">没有检查任何文件。</p>"
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
        parts.append("<div class=\"xr-block\"><h3>整个文件的问题</h3>")
        parts.extend(_annotation(result, d, ids[id(d)], registry) for d in unplaced)
        parts.append("</div>")
    if placed:
        parts.append(_index(result, placed, ids))
    report = result.report
    if report is not None and getattr(report, "tables", None):
        parts.append(_tables(result, diags, ids))
    if _has_full_text(result.document):
        parts.append(_text_view(result, placed, ids, registry, key))
    elif placed:  # a reduced document view (no full text): each finding with its line
        parts.append("<div class=\"xr-block\"><h3>问题及所在行</h3>")
        for d in placed:
            line, _ = result.document.line_col(d.span.start)
            parts.append(f"<div class=\"xr-line\"><span class=\"xr-ln\">{line}</span>"
                         f"<span class=\"xr-src\">{esc(result.document.line_text(line))}</span></div>")
            parts.append(_annotation(result, d, ids[id(d)], registry))
        parts.append("</div>")
    if not diags:
        parts.append("<p class=\"xr-ok\">未发现问题。</p>")
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


def _summary(result: FileResult, diags: list[Diagnostic]) -> str:
    from .templates import VERSION_NAMES

    counts = _counts(diags)
    rows: list[tuple[str, str]] = []
    doc, report = result.document, result.report
    if doc is not None:
        rows.append(("文件格式", FORMAT_WORDS.get(doc.format, doc.format)))
    if report is not None:
        version = VERSION_NAMES.get(report.version, report.version)
        reason = getattr(report, "version_reason", "")
        rows.append(("按哪一版格式检查", version))
        if reason:
            rows.append(("判断依据", reason))
        label_version = getattr(report, "label_version", None)
        if label_version and label_version != report.version:
            rows.append(("表格行列所用的格式", VERSION_NAMES.get(label_version, label_version)))
        rows.append(("报告年度", _fact(report.year) or "未识别"))
        rows.append(("报告机关", _fact(report.agency) or "未识别"))
    elif doc is None:
        rows.append(("状态", "文件未能读取，见下方问题"))
    items = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    badges = "".join(f"<span class=\"xr-count sev-{s}\">{SEVERITY_WORDS[s]} <b>{counts[s]}</b></span>"
                     for s in SEVERITIES)
    return f"<div class=\"xr-summary\"><table class=\"xr-facts\">{items}</table><div class=\"xr-counts\">{badges}</div></div>"


def _filters(diags: list[Diagnostic], key: str) -> str:
    if not diags:
        return ""
    sev_counts = _counts(diags)
    fam_counts = Counter(family(d.code) for d in diags)
    boxes = ["<div class=\"xr-filters\" role=\"group\" aria-label=\"筛选\"><span class=\"xr-flabel\">级别：</span>"]
    for s in SEVERITIES:
        if sev_counts[s]:
            boxes.append(f"<label class=\"sev-{s}\"><input type=\"checkbox\" data-filter=\"sev\" value=\"{s}\" checked>"
                         f"{SEVERITY_WORDS[s]}（{sev_counts[s]}）</label>")
    boxes.append("<span class=\"xr-flabel\">规则类别：</span>")
    for fam in sorted(fam_counts):
        word = FAMILY_WORDS.get(fam, "")
        boxes.append(f"<label><input type=\"checkbox\" data-filter=\"fam\" value=\"{esc(fam)}\" checked>"
                     f"{esc(fam)}{esc(' ' + word) if word else ''}（{fam_counts[fam]}）</label>")
    boxes.append("</div>")
    return "".join(boxes)


def _index(result: FileResult, diags: list[Diagnostic], ids: dict) -> str:
    """A short list of the findings, each linking to its place in the text."""
    items = []
    for d in diags:
        did = ids[id(d)]
        sev = d.severity.value if d.severity else "error"
        text = d.text()
        message = text if len(text) <= 90 else text[:88] + "……"
        items.append(f"<li class=\"xr-idx sev-{sev}\" data-f=\"{did}\" data-sev=\"{sev}\" "
                     f"data-fam=\"{esc(family(d.code))}\"><a href=\"#{did}\"><span class=\"xr-code\">{esc(d.code)}</span> "
                     f"<span class=\"xr-sev\">{SEVERITY_WORDS.get(sev, sev)}</span> "
                     f"{esc(_location_words(result.document, d.span.start))}：{esc(message)}</a></li>")
    return f"<details class=\"xr-block xr-index\" open><summary>问题列表（{len(diags)}）</summary><ol>{''.join(items)}</ol></details>"


# -- one finding ----------------------------------------------------------------------------------

def _location_words(doc, offset: int) -> str:
    loc = doc.location(offset)
    kind = loc.get("kind")
    if kind in ("text", "html") or kind is None:
        return f"第 {loc.get('line')} 行"
    parts = []
    for field, word in (("page", "第 {} 页"), ("paragraph", "第 {} 段"), ("table", "第 {} 个表格"),
                        ("row", "第 {} 行"), ("col", "第 {} 列"), ("line", "第 {} 行")):
        if field in loc and not (field == "line" and "row" in loc):
            parts.append(word.format(loc[field]))
    return "，".join(parts)


def _evidence(data: dict) -> str:
    """Expected against found, when the finding's data says so."""
    pairs = []
    # a relation between table cells: its two sides are often sums, and the message already
    # states each failed relation with both sides; only its suspects are worth repeating
    relation = isinstance(data.get("identity"), str) or isinstance(data.get("checks"), list)
    for found_key, expected_key, found_word, expected_word in (
            ("found", "computed", "表中数字", "按其他数字计算"),
            ("found", "expected", "实际", "应为"),
            ("table_value", "prose_value", "表格", "正文"),
            ("found_label", "expected_label", "实际", "应为")):
        if relation and expected_key == "computed":
            continue
        if expected_key in data and _scalar(data[expected_key]) and _scalar(data.get(found_key)):
            pairs.append(f"{found_word}：<b>{esc(data[found_key])}</b>　{expected_word}：<b>{esc(data[expected_key])}</b>")
            break
    if not pairs and "expected" in data and _scalar(data["expected"]):
        pairs.append(f"应为：<b>{esc(data['expected'])}</b>")
    suspects = data.get("suspects")
    if isinstance(suspects, list):
        for s in suspects:
            if isinstance(s, dict) and s.get("consistent_value") is not None:
                where = "".join(f"“{s[k]}”" for k in ("row_label", "column_label") if s.get(k))
                pairs.append(f"{esc(where)} 若为 <b>{esc(s['consistent_value'])}</b>，相关关系全部成立")
    return "".join(f"<div class=\"xr-evidence\">{p}</div>" for p in pairs)


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value) != ""


def _rule_doc(registry, code: str) -> str:
    rule_ = registry.rules.get(code) if registry is not None else None
    if rule_ is None or not rule_.doc:
        return ""
    return (f"<details class=\"xr-ruledoc\"><summary>规则说明（{esc(code)} {esc(rule_.name)}）</summary>"
            f"<div class=\"xr-doc\">{esc(rule_.doc)}</div></details>")


def _annotation(result: FileResult, diag: Diagnostic, did: str, registry) -> str:
    sev = diag.severity.value if diag.severity else "error"
    where = ""
    if result.document is not None and diag.span is not None:
        where = f"<a class=\"xr-loc\" href=\"#{did}-m\">{esc(_location_words(result.document, diag.span.start))}</a>"
    return (f"<div class=\"xr-ann sev-{sev}\" id=\"{did}\" data-f=\"{did}\" data-sev=\"{sev}\" "
            f"data-fam=\"{esc(family(diag.code))}\">"
            f"<div class=\"xr-head\"><span class=\"xr-code\">{esc(diag.code)}</span>"
            f"<span class=\"xr-sev\">{SEVERITY_WORDS.get(sev, sev)}</span>{where}"
            f"<span class=\"xr-rule\">{esc(diag.rule)}</span></div>"
            f"<div class=\"xr-msg\">{esc(diag.text())}</div>{_evidence(diag.data or {})}"
            f"{_rule_doc(registry, diag.code)}</div>")


# -- the report text with highlights ------------------------------------------------------------

def _text_view(result: FileResult, diags: list[Diagnostic], ids: dict, registry, key: str) -> str:
    doc = result.document
    text = doc.text
    n = len(text)
    spans = {}
    for d in diags:
        start = max(0, min(d.span.start, n))
        spans[ids[id(d)]] = (start, max(start, min(d.span.end, n)))
    by_line: dict[int, list[Diagnostic]] = {}
    for d in diags:
        by_line.setdefault(doc.line_col(spans[ids[id(d)]][0])[0], []).append(d)
    points = sorted({0, n, *(s for s, _ in spans.values()), *(e for _, e in spans.values())})
    starts: dict[int, list[str]] = {}
    ends: dict[int, list[str]] = {}
    carets: dict[int, list[str]] = {}
    for did, (s, e) in spans.items():
        if s == e:
            carets.setdefault(s, []).append(did)
        else:
            starts.setdefault(s, []).append(did)
            ends.setdefault(e, []).append(did)
    first_mark: set[str] = set()
    sev_of = _severities(diags, ids)

    def mark(piece: str, active: list[str]) -> str:
        if not active:
            return esc(piece)
        anchor = ""
        new = [a for a in active if a not in first_mark]
        if new:  # the first piece of a finding's span carries the id the annotation links to
            first_mark.update(new)
            anchor = f" id=\"{new[0]}-m\""
        worst = _worst(active, sev_of)
        return (f"<mark class=\"xr-hl {worst}\"{anchor} data-f=\"{' '.join(active)}\" tabindex=\"0\">"
                f"{esc(piece)}</mark>")

    labels, headings, joins, note = _text_layout(doc)
    out = ["<div class=\"xr-block\"><h3>报告正文（标出问题所在位置）</h3>",
           f"<p class=\"xr-note\">{esc(note)}</p><div class=\"xr-text\">"]
    line_no = 1
    line_parts: list[str] = []
    active: list[str] = []
    row_cells: list[str] = []  # the cells of a table row read so far (one text line each)
    row_first = 1

    def close_line() -> None:
        nonlocal line_no, line_parts, row_first
        if line_no in joins:  # this newline only separates two cells of one table row
            if not row_cells:
                row_first = line_no
            row_cells.append("".join(line_parts))
            line_no += 1
            line_parts = []
            return
        first = row_first if row_cells else line_no
        if first in headings:
            out.append(f"<div class=\"xr-sep\">{esc(headings[first])}</div>")
        label, where = labels.get(first, (str(first), ""))
        tip = f" title=\"{esc(where)}\"" if where else ""
        if row_cells:
            cells = row_cells + ["".join(line_parts)]
            source = "".join(f"<span class=\"xr-tc\">{c}</span>" for c in cells)
            out.append(f"<div class=\"xr-line xr-trow\" id=\"{key}-L{first}\"><span class=\"xr-ln\"{tip}>{esc(label)}"
                       f"</span><span class=\"xr-src\">{source}</span></div>")
        else:
            out.append(f"<div class=\"xr-line\" id=\"{key}-L{first}\"><span class=\"xr-ln\"{tip}>{esc(label)}</span>"
                       f"<span class=\"xr-src\">{''.join(line_parts)}</span></div>")
        for n_line in range(first, line_no + 1):
            for d in by_line.get(n_line, []):
                out.append(_annotation(result, d, ids[id(d)], registry))
        row_cells.clear()
        line_no += 1
        line_parts = []

    for a, b in zip(points, points[1:] + [None]):
        for did in ends.get(a, []):
            active.remove(did)
        for did in carets.get(a, []):
            first_mark.add(did)
            line_parts.append(f"<mark class=\"xr-hl xr-caret {_worst([did], sev_of)}\" id=\"{did}-m\" "
                              f"data-f=\"{did}\" tabindex=\"0\" title=\"此处\"></mark>")
        active.extend(starts.get(a, []))
        if b is None:
            break
        segment = text[a:b]
        pieces = segment.split("\n")
        for i, piece in enumerate(pieces):
            if piece:
                line_parts.append(mark(piece, active))
            if i < len(pieces) - 1:
                close_line()
    close_line()
    out.append("</div></div>")
    return "\n".join(out)


def _text_layout(doc) -> tuple[dict[int, tuple[str, str]], dict[int, str], set[int], str]:
    """How the text view shows each line of ``doc.text``: the number in the gutter (the line,
    paragraph or table row a finding's location names, so the user can match them) with the
    location in words; a heading before the line where a page or a table begins; the lines whose
    newline merely separates two cells of one table row (a row is shown on one line); and a note
    saying what the numbers are."""
    joins: set[int] = set()
    for block in doc.blocks:
        if block.kind != "table" or not block.rows:
            continue
        for row in block.rows:
            if row:
                first = doc.line_col(min(c.start for c in row))[0]
                last = doc.line_col(max(c.end for c in row))[0]
                joins.update(range(first, last))
    labels: dict[int, tuple[str, str]] = {}
    headings: dict[int, str] = {}
    kinds: set[str] = set()
    group = previous = None
    if not doc.line_info:  # a text file: the line is what the findings name
        return labels, headings, joins, "左侧数字为行号。"
    for n, start in enumerate(doc.line_starts, start=1):
        if n - 1 in joins:  # a later cell of the row shown on the previous line
            continue
        loc = doc.location(start)
        where = _location_words(doc, start)
        if "page" in loc:
            kinds.add("page")
            here, label = ("page", loc["page"]), str(loc.get("line", n))
            heading = f"第 {loc['page']} 页"
        elif "table" in loc:
            kinds.add("table")
            here, label = ("table", loc["table"]), f"行{loc.get('row', '')}"
            heading = f"第 {loc['table']} 个表格"
        elif "paragraph" in loc:
            kinds.add("paragraph")
            here, label, heading = None, str(loc["paragraph"]), ""
        else:
            kinds.add("line")
            here, label, heading = None, str(loc.get("line", n)), ""
        if here is not None and here != group:
            headings[n] = heading
            group = here
        elif label == previous:  # more lines from the same line of the file (a web page written
            label = ""           # on one line): the number is shown once, at its first line
        previous = label or previous
        labels[n] = (label, where)
    if "page" in kinds:
        note = "左侧数字为该页的第几行，虚线处分页；表格的一行显示为一行，每格一个方框。"
    elif "paragraph" in kinds or "table" in kinds:
        note = "左侧数字为第几段；表格中为表格的第几行，每格一个方框。"
    else:
        note = "左侧数字为原文件中的行号（同一行的内容只在开头标一次）。"
    return labels, headings, joins, note


def _severities(diags: list[Diagnostic], ids: dict) -> dict[str, str]:
    return {ids[id(d)]: (d.severity.value if d.severity else "error") for d in diags}


# -- tables ------------------------------------------------------------------------------------------

def _cell_refs(diag: Diagnostic) -> list[tuple[str | None, str, str | None, str | None, bool]]:
    """(table, row, column or None for the whole row, expected value, strong) for the cells the
    finding's data names.  Strong: the cell the finding is about (a suspect, or the only cell
    named); the others merely take part in a failed relation."""
    data = diag.data or {}
    table = data.get("table") if isinstance(data.get("table"), str) else None
    refs = []
    for key in ("cells", "suspects"):
        items = [i for i in data.get(key) or [] if isinstance(i, dict) and isinstance(i.get("row"), str)] \
            if isinstance(data.get(key), list) else []
        for item in items:
            column = item.get("column") if isinstance(item.get("column"), str) else None
            expected = next((item[k] for k in ("consistent_value", "expected") if _scalar(item.get(k))), None)
            strong = key == "suspects" or len(items) == 1 or expected is not None
            refs.append((item.get("table", table), item["row"], column, expected, strong))
    if isinstance(data.get("row"), str):
        column = data.get("column") if isinstance(data.get("column"), str) else None
        expected = data.get("expected") if column and _scalar(data.get("expected")) else None
        refs.append((table, data["row"], column, expected, True))
    return refs


def _tables(result: FileResult, diags: list[Diagnostic], ids: dict) -> str:
    report = result.report
    # (table, row, column) -> finding ids; whole-row references use column None
    marks: dict[tuple, list[str]] = {}
    expected: dict[tuple, list[str]] = {}
    strong: set[tuple] = set()
    for d in diags:
        did = ids[id(d)]
        for table, row, column, value, is_strong in _cell_refs(d):
            if table is None:
                continue
            where = (table, row, column)
            marks.setdefault(where, [])
            if did not in marks[where]:
                marks[where].append(did)
            if is_strong:
                strong.add(where)
            if value is not None:
                expected.setdefault(where, [])
                if str(value) not in expected[where]:
                    expected[where].append(str(value))
    # the cell a finding points at (its span is the cell's span; offsets, never text search)
    for d in diags:
        data = d.data or {}
        table = report.tables.get(data.get("table")) if isinstance(data.get("table"), str) else None
        if d.span is None or table is None:
            continue
        for rid, row in table.rows.items():
            for cid, cell in row.values.items():
                if cell.span != d.span:
                    continue
                where = (table.id, rid, cid)
                marks.setdefault(where, [])
                if ids[id(d)] not in marks[where]:
                    marks[where].append(ids[id(d)])
                strong.add(where)
                if data.get("suspects") or where in expected or cell.value is None:
                    continue
                if _scalar(data.get("expected")):
                    expected[where] = [str(data["expected"])]
                elif _scalar(data.get("computed")) and str(data.get("found")) == format(cell.value, "f"):
                    # only when this cell alone is the side that was found (a printed total)
                    expected[where] = [str(data["computed"])]
    parts = ["<div class=\"xr-block\"><h3>表格（标出参与问题的单元格）</h3>",
             "<p class=\"xr-note\">红框：问题所指的单元格（“应为”是按表内其他数字推算的值，供核对）；"
             "浅色底：参与同一关系的其他单元格；斜纹：空白或缺少的单元格。</p>"]
    for tid in sorted(report.tables):
        parts.append(_table(report, report.tables[tid], marks, expected, strong, diags, ids))
    parts.append("</div>")
    return "\n".join(parts)


def _table_title(report, table) -> str:
    defn = table.definition
    if defn.caption:
        return defn.caption
    section = None
    try:
        section = report.template.section(defn.section) if defn.section else None
    except (KeyError, AttributeError):
        section = None
    return section.title if section else f"表格 {defn.id}"


def _header_rows(labels: list[str], corner: str) -> str:
    """Column headers; a label 'a·b' sits under a merged header 'a'."""
    paths = [label.split("·") for label in labels]
    depth = max((len(p) for p in paths), default=1)
    rows = []
    for level in range(depth):
        cells = [f"<th rowspan=\"{depth}\" class=\"xr-corner\">{esc(corner)}</th>"] if level == 0 else []
        i = 0
        while i < len(paths):
            path = paths[i]
            if len(path) <= level:
                i += 1
                continue
            j = i + 1
            while j < len(paths) and len(paths[j]) > level + 1 and len(path) > level + 1 \
                    and paths[j][:level + 1] == path[:level + 1]:
                j += 1
            rowspan = depth - level if len(path) == level + 1 else 1
            cells.append(f"<th colspan=\"{j - i}\" rowspan=\"{rowspan}\">{esc(path[level])}</th>")
            i = j
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(rows)


def _table(report, table, marks, expected, strong, diags, ids) -> str:
    defn = table.definition
    width = max((len(b.columns) for b in defn.blocks), default=1)
    tid = table.id
    sev_of = _severities(diags, ids)
    msg_of = {ids[id(d)]: f"{d.code} {d.text()}" for d in diags}
    out = [f"<div class=\"xr-table-wrap\"><h4>{esc(_table_title(report, table))}</h4>",
           f"<table class=\"xr-table\" data-table=\"{esc(tid)}\">"]
    if defn.corner_note:
        out.append(f"<caption>{esc(defn.corner_note)}</caption>")
    parents = {r.parent for r in defn.rows if r.parent}
    block = None
    for row_def in defn.rows:
        columns = defn.columns_for(row_def)
        if row_def.block != block:
            block = row_def.block
            caption = defn.blocks[block].caption if block < len(defn.blocks) else ""
            labels = [defn.column_label(c.id) for c in columns]
            out.append(_header_rows(labels + [""] * (width - len(labels)), caption or ""))
            if row_def.kind == "header" and row_def.label == caption:
                continue
        row = table.rows.get(row_def.id)
        row_marks = marks.get((tid, row_def.id, None), [])
        row_class = f" class=\"xr-marked {_worst(row_marks, sev_of)}\" data-f=\"{' '.join(row_marks)}\"" if row_marks else ""
        label = esc(row_def.label)
        if row_def.kind == "header" and (row is None or not row.values):
            if row_def.id not in parents:  # a column heading of the template, shown in the header
                continue
            out.append(f"<tr{row_class}><th class=\"xr-rowhead xr-group\" colspan=\"{width + 1}\">{label}</th></tr>")
            continue
        missing_row = row is None and row_def.id in table.missing_rows
        note = "<span class=\"xr-miss\">（报告中未找到此行）</span>" if missing_row else ""
        tip = _title(row_marks, msg_of)
        cells = [f"<th class=\"xr-rowhead\"{tip}>{label}{note}</th>"]
        for col in columns:
            cell = row.values.get(col.id) if row is not None else None
            found = marks.get((tid, row_def.id, col.id), []) + row_marks
            classes = ["xr-cell"]
            if cell is None:
                classes.append("kind-missing")
                shown = ""
            else:
                classes.append(f"kind-{cell.kind}")
                shown = esc(cell.raw) if cell.raw else ""
                if cell.inferred:
                    shown += "<sup class=\"xr-inferred\" title=\"由连写在一起的数字拆分得到\">拆</sup>"
            attrs = ""
            if found:
                classes += ["xr-marked", _worst(found, sev_of)]
                attrs = f" data-f=\"{' '.join(dict.fromkeys(found))}\" tabindex=\"0\"{_title(found, msg_of)}"
            if (tid, row_def.id, col.id) in strong or (row_marks and (tid, row_def.id, None) in strong):
                classes.append("xr-strong")
            wanted = expected.get((tid, row_def.id, col.id))
            if wanted:
                classes.append("xr-suspect")
                shown += f"<span class=\"xr-expect\">应为 {esc('或'.join(wanted))}？</span>"
            cells.append(f"<td class=\"{' '.join(classes)}\" data-row=\"{esc(row_def.id)}\" data-col=\"{esc(col.id)}\"{attrs}>"
                         f"{shown}</td>")
        cells.extend("<td class=\"xr-cell xr-pad\"></td>" for _ in range(width - len(columns)))
        out.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    out.append("</table></div>")
    return "".join(out)


def _worst(found: list[str], sev_of: dict) -> str:
    rank = {"info": 0, "warning": 1, "error": 2}
    return "sev-" + max((sev_of.get(f, "error") for f in found), key=rank.get)


def _title(found: list[str], msg_of: dict) -> str:
    if not found:
        return ""
    text = "\n".join(msg_of[f] for f in dict.fromkeys(found) if f in msg_of)
    return f" title=\"{esc(text[:1500])}\""


CSS = """
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--errbg:#ffe1e1;--warnbg:#fff1c9;--infobg:#e2efff}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Zen Hei",sans-serif;margin:0;
 color:#1d1d1f;background:#f6f7f9;line-height:1.6}
.xr-top,main,.xw-main{max-width:1200px;margin:0 auto;padding:0 16px}
h1{font-size:22px;margin:16px 0 4px}
.xr-note{color:#555;font-size:13px;margin:0 0 12px}
.xr-file{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:12px 16px;margin:12px 0}
.xr-path{font-size:18px;margin:4px 0 8px;word-break:break-all}
.xr-summary{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.xr-facts{border-collapse:collapse;font-size:14px}
.xr-facts th{text-align:left;color:#555;font-weight:normal;padding:2px 12px 2px 0;white-space:nowrap}
.xr-facts td{padding:2px 0}
.xr-counts{display:flex;gap:8px}
.xr-count{border-radius:6px;padding:4px 10px;font-size:14px}
.xr-count b{font-size:18px}
.xr-count.sev-error{background:var(--errbg);color:var(--err)}
.xr-count.sev-warning{background:var(--warnbg);color:var(--warn)}
.xr-count.sev-info{background:var(--infobg);color:var(--info)}
.xr-filters{margin:10px 0;font-size:14px;display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;
 position:sticky;top:0;background:#fff;padding:6px 0;z-index:2;border-bottom:1px solid #eee}
.xr-flabel{color:#555}
.xr-filters label{cursor:pointer;white-space:nowrap}
.xr-block h3{font-size:16px;margin:14px 0 6px}
.xr-text{font-size:14px;border:1px solid #e3e6ea;border-radius:6px;padding:6px 0;overflow-x:auto}
.xr-line{display:flex;min-height:1.5em}
.xr-ln{flex:0 0 3.5em;text-align:right;padding-right:10px;color:#999;user-select:none;font-size:12px;padding-top:2px}
.xr-src{white-space:pre-wrap;word-break:break-all;flex:1;padding-right:8px}
.xr-trow .xr-src{display:flex;flex-wrap:wrap;align-items:stretch}
.xr-tc{border:1px solid #dde1e6;padding:0 6px;min-width:2.4em;margin:0 -1px -1px 0}
.xr-sep{margin:6px 0 2px;padding:1px 0 1px 4.6em;color:#555;font-size:12px;border-top:1px dashed #b8bec7;background:#fafbfc}
mark.xr-hl{background:none;color:inherit;border-bottom:2px solid;cursor:pointer;padding:0 1px}
mark.xr-hl.sev-error{background:var(--errbg);border-color:var(--err)}
mark.xr-hl.sev-warning{background:var(--warnbg);border-color:var(--warn)}
mark.xr-hl.sev-info{background:var(--infobg);border-color:var(--info)}
mark.xr-caret{display:inline-block;width:8px;height:1.2em;vertical-align:text-bottom}
mark.xr-hl.xr-off{background:none;border-color:transparent;cursor:text}
mark.xr-caret.xr-off{display:none}
.xr-ann{margin:4px 12px 8px 4.2em;border-left:4px solid;border-radius:4px;padding:6px 10px;font-size:14px;
 background:#fafafa;white-space:normal}
.xr-ann.sev-error{border-color:var(--err);background:#fff6f6}
.xr-ann.sev-warning{border-color:var(--warn);background:#fffbf0}
.xr-ann.sev-info{border-color:var(--info);background:#f5f9ff}
.xr-ann[hidden]{display:none}
.xr-block>.xr-ann{margin-left:0}
.xr-ann.xr-flash{outline:3px solid #7aa7ff}
.xr-head{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap;font-size:13px}
.xr-code{font-weight:bold;font-family:monospace;font-size:14px}
.xr-sev{border-radius:3px;padding:0 6px;color:#fff}
.xr-idx .xr-sev{color:#fff}
.sev-error .xr-sev{background:var(--err)}.sev-warning .xr-sev{background:var(--warn)}.sev-info .xr-sev{background:var(--info)}
.xr-rule{color:#777;font-family:monospace}
.xr-loc{color:#1565c0}
.xr-msg{margin-top:2px}
.xr-evidence{font-size:13px;color:#333;margin-top:2px}
.xr-ruledoc summary{cursor:pointer;color:#1565c0;font-size:13px}
.xr-doc{white-space:pre-wrap;font-size:13px;background:#fff;border:1px solid #e3e6ea;border-radius:4px;padding:6px 10px;margin-top:4px}
.xr-table-wrap{overflow-x:auto;margin-bottom:16px}
.xr-table-wrap h4{margin:8px 0 4px;font-size:15px}
.xr-table{border-collapse:collapse;font-size:13px}
.xr-table caption{caption-side:top;text-align:left;color:#555;font-size:12px}
.xr-table th,.xr-table td{border:1px solid #c9ced6;padding:3px 6px}
.xr-table thead th,.xr-table tr th[colspan],.xr-table th[rowspan]{background:#f0f2f5}
.xr-rowhead{text-align:left;font-weight:normal;background:#fafbfc;min-width:12em}
.xr-group{font-weight:bold}
.xr-cell{text-align:right;min-width:3.5em;font-variant-numeric:tabular-nums}
.xr-cell.kind-blank,.xr-cell.kind-missing{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#f3f3f3 4px,#f3f3f3 8px)}
.xr-cell.kind-placeholder{color:#888}
td.xr-marked.sev-error,tr.xr-marked.sev-error>th{background:var(--errbg)}
td.xr-marked.sev-warning,tr.xr-marked.sev-warning>th{background:var(--warnbg)}
td.xr-marked.sev-info,tr.xr-marked.sev-info>th{background:var(--infobg)}
td.xr-strong.sev-error,tr.xr-marked.sev-error>th{outline:2px solid var(--err);outline-offset:-2px}
td.xr-strong.sev-warning,tr.xr-marked.sev-warning>th{outline:2px solid var(--warn);outline-offset:-2px}
td.xr-strong.sev-info,tr.xr-marked.sev-info>th{outline:2px solid var(--info);outline-offset:-2px}
td.xr-marked.xr-off,tr.xr-marked.xr-off>th{background:inherit;outline:none}
td.xr-marked{cursor:pointer}
.xr-suspect{font-weight:bold}
.xr-expect{display:block;font-size:11px;color:var(--err);font-weight:normal;white-space:nowrap}
.xr-marked.xr-off .xr-expect{display:none}
.xr-inferred{color:#777;font-size:10px}
.xr-miss{color:var(--err);font-size:12px}
.xr-index summary{cursor:pointer;font-weight:bold;margin:10px 0 4px}
.xr-index ol{margin:0;padding-left:2.2em;font-size:13px;max-height:16em;overflow-y:auto}
.xr-index li[hidden]{display:none}
.xr-index a{color:inherit;text-decoration:none}
.xr-index a:hover{text-decoration:underline}
.xr-index .xr-sev{font-size:12px}
.xr-ok{color:#2e7d32;font-weight:bold}
"""

JS = r"""
function xxgkInit(root){
  root.querySelectorAll('.xr-file').forEach(function(file){
    if(file.dataset.ready){return;}
    file.dataset.ready='1';
    var boxes=file.querySelectorAll('.xr-filters input');
    function apply(){
      var sev={},fam={};
      boxes.forEach(function(b){ if(b.checked){ (b.dataset.filter==='sev'?sev:fam)[b.value]=true; } });
      var shown={};
      file.querySelectorAll('.xr-ann, .xr-idx').forEach(function(a){
        var on=!!(sev[a.dataset.sev]&&fam[a.dataset.fam]);
        a.hidden=!on; if(on){shown[a.dataset.f]=true;}
      });
      file.querySelectorAll('[data-f]:not(.xr-ann):not(.xr-idx)').forEach(function(m){
        var on=m.dataset.f.split(' ').some(function(f){return shown[f];});
        m.classList.toggle('xr-off',!on);
      });
    }
    boxes.forEach(function(b){b.addEventListener('change',apply);});
    function go(el){
      var ids=el.dataset.f.split(' ');
      for(var i=0;i<ids.length;i++){
        var a=file.querySelector('#'+CSS.escape(ids[i]));
        if(a&&!a.hidden){
          a.scrollIntoView({behavior:'smooth',block:'center'});
          a.classList.add('xr-flash'); setTimeout(function(){a.classList.remove('xr-flash');},1200);
          return;
        }
      }
    }
    file.addEventListener('click',function(ev){
      var el=ev.target.closest('[data-f]');
      if(el&&el.matches('mark,td,tr')&&!el.classList.contains('xr-off')){go(el);}
    });
    file.addEventListener('keydown',function(ev){
      var el=ev.target.closest('[data-f]');
      if(el&&ev.key==='Enter'&&el.matches('mark,td,tr')){go(el);}
    });
    apply();
  });
}
"""
