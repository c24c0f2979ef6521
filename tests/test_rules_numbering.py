"""N rules: heading numbers, bracket widths and 一是/二是 enumerations -- the
sequence properties, the known defects of the fixtures, and no false error on
the fixtures.  Each rule on a passing and a failing document (and the
（二）->（三） mutation of seed 003): the rule cases tests/rule_cases/N1xx.yml, N201.yml."""

import pytest
from hypothesis import given, strategies as st

from conftest import PINGTAN, SEEDS, seed
from helpers import findings, findings_for_text, line_of
from xxgk_lint.rules.numbering import sequence_slips

REAL = PINGTAN + list(PINGTAN[0].parent.glob("*.html"))


@given(st.integers(min_value=1, max_value=12))
def test_a_consecutive_sequence_has_no_slip(n):
    assert sequence_slips(list(range(1, n + 1))) == []


@given(st.integers(min_value=3, max_value=12), st.data())
def test_one_wrong_number_is_one_slip(n, data):
    pos = data.draw(st.integers(min_value=1, max_value=n - 2))
    wrong = data.draw(st.integers(min_value=1, max_value=n).filter(lambda v: v != pos + 1))
    numbers = list(range(1, n + 1))
    numbers[pos] = wrong
    slips = sequence_slips(numbers)
    assert len(slips) == 1 and slips[0].index == pos and slips[0].expected == pos + 1


# -- fixtures --------------------------------------------------------------------------------

def test_seed_000_enumeration_three_twice():
    result = findings(seed("000"), select=["N201"])
    assert [(line_of(result, d), d.data["found"], d.data["expected"]) for d in result.diagnostics] == [
        (143, "三是", "四是")]
    assert result.diagnostics[0].data["previous_line"] == 139


def test_seed_001_jumps_from_one_to_three():
    result = findings(seed("001"), select=["N101"])
    assert [(line_of(result, d), d.data["previous"], d.data["found"], d.data["expected"])
            for d in result.diagnostics] == [(145, "（一）", "(三)", "（二）")]


def test_seed_001_mixes_bracket_widths():
    result = findings(seed("001"), select=["N104"])
    assert [(line_of(result, d), d.data["kind"]) for d in result.diagnostics] == [(13, "mixed-level")]


def test_pingtan_2023_section_five_three_twice():
    path = next(p for p in PINGTAN if p.stem.endswith("2023"))
    result = findings(path, select=["N201"])
    assert [(d.data["sequence"], d.data["found"], d.data["expected"]) for d in result.diagnostics] == [
        (["一是", "三是", "三是"], "三是", "二是")]
    snippet = result.document.text[result.diagnostics[0].span.start - 20:result.diagnostics[0].span.end]
    assert "信息噪音;三是" in snippet.replace("；", ";")


KNOWN_ERRORS = {"001_b0a66c8402e0df51": [("N101", 145)]}


@pytest.mark.parametrize("path", SEEDS + REAL, ids=lambda p: p.stem)
def test_no_false_n_error_on_fixtures(path):
    result = findings(path, select=["N"])
    errors = [(d.code, line_of(result, d)) for d in result.diagnostics if d.severity.value == "error"]
    assert errors == KNOWN_ERRORS.get(path.stem, [])


def test_a_reference_wrapped_onto_a_new_line_is_no_heading(tmp_path):
    """PDF text wraps "第二十条第（五）项" after 第: the （五） starting the next line is no （五） heading."""
    from clihelp import SCAFFOLD

    text = SCAFFOLD.replace("本局依法办理政府信息公开申请。", "本局依据条例第三十六条第\n（三）项的规定答复，按照第二十条第\n"
                            "（五）项主动公开，并参照第二十条\n（六）项执行。")
    result = findings_for_text(tmp_path, text, select=["N"])
    assert result.diagnostics == []
    # a heading that happens to start with 项目 is still a heading
    text = SCAFFOLD.replace("（三）政府信息管理", "（三）项目信息管理")
    report = findings_for_text(tmp_path, text, select=["N"]).report
    assert [c.heading.title for c in report.sections[0].children][2] == "项目信息管理"


# -- cost: the web page `serve` gives a file 60 s ----------------------------------------------

def test_many_gaps_cost_one_pass_over_the_text(tmp_path):
    """Each gap used to rescan every line for the missing marker (a 96 KB file took minutes)."""
    import time

    from clihelp import SCAFFOLD
    from helpers import report_from_text
    from xxgk_lint.rules.numbering import cn, heading_number_gap

    groups = "\n".join(f"（{cn(k)}）第{k}类\n" + "\n".join(f"{n}.第{n}项。" for n in range(1, 60, 2))
                       for k in range(1, 60))
    text = SCAFFOLD.replace("（一）主动公开\n本局通过政府网站主动公开政府信息。", groups)
    # a missing number written in the text between two headings still silences that gap
    text = text.replace("（二）第2类\n1.第1项。\n3.第3项。", "（二）第2类\n1.第1项。2.第2项。\n3.第3项。")
    report = report_from_text(tmp_path, text)
    began = time.monotonic()
    found = list(heading_number_gap.check(report))
    assert time.monotonic() - began < 3
    assert len(found) == 59 * 29 - 1


def test_section_text_is_joined_once():
    """Adding NText to NText in a loop copied the text so far for every paragraph."""
    import time

    from xxgk_lint.linter.model import NText, Paragraph, Section
    from xxgk_lint.rules.numbering import _section_text

    part = "本局加强政府网站建设，一是完善栏目，二是规范发布，三是加强审核。"
    paras = [Paragraph(NText(part, list(range(i * 40, i * 40 + len(part))), i * 40 + len(part)))
             for i in range(30000)]
    began = time.monotonic()
    text, starts = _section_text(Section(None, paragraphs=paras))
    assert time.monotonic() - began < 3
    assert text.text == part * 30000 and len(text.offsets) == len(text.text)
    assert text.span(len(part), len(part) + 2) == paras[1].text.span(0, 2) and text.end == paras[-1].text.end
    assert starts == {i * len(part) for i in range(30000)}
