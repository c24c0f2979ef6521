"""Property tests: reading, normalising, classifying and parsing never raise
on arbitrary text, and the position map always points at the right source
character."""

import string

from hypothesis import HealthCheck, given, settings, strategies as st

from xxgk_lint.linter.model.document import Document
from xxgk_lint.linter.normalize import to_lines
from xxgk_lint.linter.ntext import FOLD_TABLE, NText
from xxgk_lint.linter.parse import build_report
from xxgk_lint.linter.readers.text import blocks_from_text, decode

REPORT_PIECES = [
    "一、总体情况", "二、主动公开政府信息情况", "（一）", "(二)", "1.", "（1）", "三、本年度办理结果",
    "一、本年新收政府信息公开申请数量", "（七）总计", "行政复议", "第二十条第（一）项", "规章", "\t", "|", "\n",
    " ", "　", "2020年", "统计期限为2020年1月1日至2020年12月31日", "## ", "**", "0", "12", "3.5", "-", "/",
    "年度报告", "本列数据的勾稽关系", "一是", "。", "，", "、", "发布时间:2021-01-25", "标题:", "首页 > 政务公开 > 年报",
]
report_text = st.lists(
    st.one_of(st.sampled_from(REPORT_PIECES), st.text(alphabet=string.digits + "一二三四五六七八九十（）()、.", max_size=4),
              st.text(max_size=6)),
    max_size=80,
).map("".join)


def _document(text: str) -> Document:
    return Document("x.txt", "txt", text, blocks_from_text(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_text)
def test_parser_never_raises(text):
    report = build_report(_document(text))
    assert report.version in ("old", "gb2019", "gb2021")


@settings(max_examples=300, deadline=None)
@given(report_text)
def test_every_normalised_character_maps_to_its_source_character(text):
    for line in to_lines(_document(text)):
        nt = line.text
        assert len(nt.offsets) == len(nt.text)
        for ch, off in zip(nt.text, nt.offsets):
            src = text[off]
            folded = src.translate(FOLD_TABLE)
            # kept characters map to themselves (folded); whitespace and cell
            # separators map to a whitespace or separator of the source
            assert ch == folded or (ch in " \t" and (src.isspace() or src in "|" or folded.isspace())), (ch, src)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.integers(0, 200), st.integers(0, 200))
def test_ntext_span_round_trip(text, i, j):
    nt = NText.from_source(text, 0, len(text)).map_chars(FOLD_TABLE).collapse_spaces()
    i, j = sorted((min(i, len(nt.text)), min(j, len(nt.text))))
    span = nt.span(i, j)
    assert 0 <= span.start <= span.end <= len(text)
    if j > i:
        # the span covers exactly the source characters of text[i:j] (spaces collapsed)
        source = text[span.start:span.end].translate(FOLD_TABLE)
        assert "".join(source.split()) == "".join(nt.text[i:j].split())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300).filter(lambda t: "\x00" not in t))
def test_decoding_round_trips_utf8_and_gb18030(text):
    # (a NUL character marks a binary file and is refused on purpose)
    if not text.startswith("\ufeff"):  # a leading U+FEFF in UTF-8 *is* a byte-order mark
        assert decode(text.encode("utf-8"))[0] == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8"))[0] == text
    try:
        data = text.encode("gb18030")
    except UnicodeEncodeError:
        return
    decoded, encoding = decode(data)
    if encoding == "gb18030":
        assert decoded == text
