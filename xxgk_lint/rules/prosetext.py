"""Reading a report's prose for the A3xx rules: its sentences, the table quantities they state,
and the 其中 lists that give a total's parts.  The words come from the template data
(linter/prosedata.py); this module only knows how a sentence is put together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Iterator

from xxgk_lint.linter.model import Paragraph, Report, Span
from xxgk_lint.linter.model import ProseVocabulary, Quantity, vocabulary

_ANY_DIGIT = re.compile(r"\d")


@dataclass
class Sentence:
    text: str
    start: int  # offset in the paragraph's normalised text
    para: Paragraph

    def span(self, start: int, end: int) -> Span:
        """The source span of ``text[start:end]``."""
        return self.para.text.span(self.start + start, self.start + end)


def sentences(report: Report, breaks: str = "。;；!?！？\n") -> list[Sentence]:
    """Sentences of the prose, each once (a heading line may also be a paragraph).
    Split once per report and break set: several rules read them."""
    return report.memo(("prose.sentences", breaks), lambda: list(_split_sentences(report, breaks)))


def _split_sentences(report: Report, breaks: str):
    seen: set[tuple[int, int]] = set()
    splitter = re.compile(f"[{re.escape(breaks)}]|$")
    for para in report.paragraphs():
        text = para.text.text
        start = 0
        for m in splitter.finditer(text):
            span = para.text.span(start, m.start()) if m.start() > start else None
            if span is not None and (span.start, span.end) not in seen:
                seen.add((span.start, span.end))
                yield Sentence(text[start:m.start()], start, para)
            start = m.end()
            if m.end() >= len(text):
                break


def _clause(text: str, i: int, j: int) -> str:
    left = max(text.rfind(c, 0, i) for c in ",，、") + 1
    ends = [k for k in (text.find(c, j) for c in ",，、") if k != -1]
    return text[left:min(ends) if ends else len(text)]


@dataclass
class Statement:
    """The prose stating a quantity: ``value`` in ``unit`` (as printed), by ``match`` in ``sentence``."""

    quantity: Quantity
    value: Decimal
    unit: str
    sentence: Sentence
    match: re.Match


def statements(report: Report) -> Iterator[Statement]:
    """Every clear statement of a table quantity in the prose."""
    vocab = vocabulary(report.templates)
    year = report.report_year
    for sent in sentences(report):
        text = sent.text
        has_digit = bool(_ANY_DIGIT.search(text))
        for quantity in vocab.quantities.values():
            # the patterns of a number need a digit; most sentences state none of the quantities
            if (has_digit or quantity.zero) and any(p.search(text) for p in quantity.patterns):
                yield from _stated(vocab, quantity, sent, year)


def _stated(vocab: ProseVocabulary, quantity: Quantity, sent: Sentence, year: int | None) -> Iterator[Statement]:
    text, zero, patterns = sent.text, quantity.zero, quantity.patterns
    if any(w in text for w in quantity.unless):
        return
    first = 0
    if quantity.after is not None:
        after = [x.start() for p in vocab.quantities[quantity.after].patterns for x in p.finditer(text)]
        if not after:
            return
        first = min(after)
    seen: set[int] = set()
    # after the quantity's total, the 其中 list (in brackets or not) gives parts of it, not the
    # total: "共收到申请3件，其中通过网络平台收到申请2件"
    total_end = len(text)
    if vocab.breakdown in text:
        total_end = min((x.end() for p in patterns for x in p.finditer(text)), default=len(text))
    for pattern in patterns:
        for m in pattern.finditer(text):
            n_at = m.start("zero") if zero else m.start("n")
            if n_at in seen or m.start() < first:
                continue
            if quantity.after is None and total_end <= m.start() and vocab.breakdown in text[total_end:m.start()]:
                continue
            if not zero and n_at > 0 and (text[n_at - 1].isdigit() or text[n_at - 1] == "."):
                continue
            if not _on_topic(vocab, quantity, text, m, year):
                continue
            seen.add(n_at)
            unit = m.groupdict().get("u") or ""
            value = Decimal(0) if zero else Decimal(m.group("n").replace(",", ""))
            yield Statement(quantity, value, unit, sent, m)


def _on_topic(vocab: ProseVocabulary, quantity: Quantity, text: str, m: re.Match, year: int | None) -> bool:
    """Does the match state the quantity for the report year: a sentence on the quantity's topic,
    no comparison or earlier year in its clause, and a following year (结转至次年) that is next year?"""
    if quantity.topic is not None and not quantity.topic.admits(text):
        return False
    clause = _clause(text, m.start(), m.end())
    if any(w in clause for w in vocab.comparison):
        return False
    if year and any(int(y.group("y")) < year for y in vocab.year.finditer(clause)):
        return False
    return not ("y" in m.groupdict() and m.group("y") and year and int(m.group("y")) != year + 1)


def parts(vocab: ProseVocabulary, text: str, start: int, paren: bool, unit: str, stop: str) -> list[re.Match]:
    """Numbers with ``unit`` at the top level of the 其中 list that starts at ``start``."""
    depth, i, out = 0, start, []
    while i < len(text):
        ch = text[i]
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (ch in stop or text.startswith(vocab.next_total, i)):
            if not paren or ch == "。":
                break
        if depth == 0:
            m = vocab.part.match(text, i)
            if m and (i == 0 or not text[i - 1].isdigit()):
                if m.group("u") == unit:
                    out.append(m)
                i = m.end()
                continue
        i += 1
    return out


def listed_parts(vocab: ProseVocabulary, text: str, total: re.Match, stop: str) -> list[re.Match]:
    """The items of the 其中 list after ``total``: those in the total's unit or, when every
    item is in one other unit that counts the same kind of thing (rule_data.prose_unit_kinds:
    a total in 条 may list 份), those -- each closing its item (“5个部门” counts departments)."""
    unit = total.group("u")
    found = parts(vocab, text, total.end(), bool(total.group("open")), unit, stop)
    if len(found) >= 2:
        return found
    family = next((set(k) for k in vocab.unit_kinds if unit in k), set())
    for other in sorted(family - {unit}):
        other_parts = parts(vocab, text, total.end(), bool(total.group("open")), other, stop)
        if len(other_parts) >= 2 and all(vocab.item_end.match(text, p.end()) for p in other_parts):
            # every item of the list in that unit: nothing in the total's own unit between them
            listed = text[total.end():other_parts[-1].end()]
            if not any(m.group("u") not in (other,) for m in vocab.part.finditer(listed)):
                return other_parts
    return found


def item_labels(text: str, start: int, items: list[re.Match]) -> list[str]:
    """The words before each item's number (after 其中 or the item before)."""
    labels, pos = [], start
    for p in items:
        labels.append(text[pos:p.start()])
        pos = p.end()
    return labels


def partition(vocab: ProseVocabulary, labels: list[str]) -> list[str] | None:
    """The group of rule_data.prose_partitions the items split into: every item names a
    member and every member is named; None when the items are not known to be exhaustive."""
    for group in vocab.partitions:
        named = [[w for w in group if w in label] for label in labels]
        if all(named) and set(group) <= {w for ws in named for w in ws}:
            return list(group)
    return None


def rate_ok(part: Decimal, whole: Decimal, printed: str) -> bool:
    """The printed percentage equals part/whole rounded or cut to its printed decimals."""
    places = len(printed.split(".")[1]) if "." in printed else 0
    quantum = Decimal(1).scaleb(-places)
    exact = part * 100 / whole
    target = Decimal(printed)
    return exact.quantize(quantum, ROUND_HALF_UP) == target or exact.quantize(quantum, ROUND_DOWN) == target
