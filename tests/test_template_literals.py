"""The template facts the S, C and L rules (and the old-table reader) use are the
template data's: edit the data and the rule follows, with no code changed.
(Section roles, the fee data, the old format's name and captions, the single
（六）其他处理 row's wording, ``alternative_to`` and ``prose_words``.)"""

from __future__ import annotations

import copy
import gc
from types import SimpleNamespace

import pytest

from clihelp import SCAFFOLD
from helpers import findings
from xxgk_lint.linter import oldtable
from xxgk_lint.linter.templates import TemplateDataError, build, load
from xxgk_lint.rules import content, leftover


def _write(tmp_path, text, name="report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _report(tmp_path, text):
    return findings(_write(tmp_path, text), select=["C101"]).report


def _raw() -> dict:
    return copy.deepcopy(load().raw)


def _version(raw: dict, vid: str) -> dict:
    return next(v for v in raw["versions"].values() if v["id"] == vid)


def _section(raw: dict, vid: str, no: str) -> dict:
    return next(s for s in _version(raw, vid)["sections"] if s["no"] == no)


def _move_role(raw: dict, role: str, to: str | None) -> dict:
    for vid in ("gb2019", "gb2021"):
        for sec in _version(raw, vid)["sections"]:
            if sec.get("role") == role:
                del sec["role"]
        if to is not None:
            _section(raw, vid, to)["role"] = role
    return raw


NOTHING_IN_FIVE = SCAFFOLD.replace("存在的主要问题是政策解读形式较为单一。改进措施是丰富解读形式，提高解读质量。", "无。")


def test_c101_reads_the_section_the_data_calls_problems(tmp_path):
    report = _report(tmp_path, NOTHING_IN_FIVE)
    (d,) = content.problems_and_improvements(report)
    assert d.data["section"] == "五"
    report.templates = build(_move_role(_raw(), "problems", None))
    assert list(content.problems_and_improvements(report)) == []
    # the role on section 四 (a table and no text "无"): its text is judged instead, and named
    report.templates = build(_move_role(_raw(), "problems", "四"))
    (d,) = content.problems_and_improvements(report)
    assert d.data["section"] == "四" and d.data["missing"] == ["problems", "improvements"]


def test_c102_and_c104_read_their_sections_by_role(tmp_path):
    text = SCAFFOLD.replace("本年度未收取信息处理费。", "无。")
    report = _report(tmp_path, text)
    (d,) = content.fee_statement_missing(report)
    assert d.data["section"] == "六"
    report.templates = build(_move_role(_raw(), "other_matters", None))
    assert list(content.fee_statement_missing(report)) == []
    # C104: the overview's expected content is the overview section's, wherever the role is
    report = _report(tmp_path, SCAFFOLD)
    assert list(content.overview_topic_missing(report)) == []
    raw = _move_role(_raw(), "overview", "五")
    _section(raw, "gb2021", "五")["expected_content"] = ["监督保障"]
    raw["rule_data"]["overview_topics"] = {"监督保障": ["监督保障"]}
    _section(raw, "gb2021", "一")["expected_content"] = []
    report.templates = build(raw)
    (d,) = content.overview_topic_missing(report)
    assert (d.data["section"], d.data["missing"]) == ("五", ["监督保障"])


def test_c103_money_units_are_data(tmp_path):
    text = SCAFFOLD.replace("本年度未收取信息处理费。", "本年度未收取信息处理费。本局收取信息处理费300元。")
    result = findings(_write(tmp_path, text), select=["C103"])
    (d,) = result.diagnostics
    assert d.data["unit"] == "元"
    raw = _raw()
    raw["rule_data"]["fee_amount_units"] = ["万元"]
    result.report.templates = build(raw)
    assert list(content.fee_contradiction(result.report)) == []


OLD_ROWS = SCAFFOLD.replace("六、其他需要报告的事项", "政府信息公开情况统计表\n举报投诉数量 件 0\n六、其他需要报告的事项", 1)


def test_l101_names_the_old_format_from_the_data_and_excuses_its_captions(tmp_path):
    result = findings(_write(tmp_path, OLD_ROWS), select=["L101"])
    (d,) = result.diagnostics
    assert d.data["label_version"] == "old" and load().versions["old"].name in d.message
    raw = _raw()
    _version(raw, "old")["display_name"] = "旧统计表格式（测试）"
    result.report.templates = build(raw)
    (d,) = leftover.old_stat_table(result.report)
    assert "旧统计表格式（测试）" in d.message
    # the caption alone is excused because it is the old tables' caption (not by its wording)
    caption_only = findings(_write(tmp_path, SCAFFOLD.replace("六、其他需要报告的事项", "政府信息公开情况统计表\n"
                                                                       "六、其他需要报告的事项", 1)), select=["L101"])
    assert caption_only.diagnostics == []
    raw = _raw()
    for table in _version(raw, "old")["tables"]:
        table["caption"] = "另一个名称"
    caption_only.report.templates = build(raw)
    (d,) = leftover.old_stat_table(caption_only.report)
    assert [f["label"] for f in d.data["found"]] == ["政府信息公开情况统计表"]


def test_l102_lists_the_single_other_processing_row_in_the_data_s_words(tmp_path):
    start = SCAFFOLD.index("（六）其他处理")
    end = SCAFFOLD.index("（七）总计")
    single = SCAFFOLD[:start] + "（六）其他处理 0 0 0 0 0 0 0\n" + SCAFFOLD[end:]
    result = findings(_write(tmp_path, single), select=["L102"])
    labels = [f["label"] for d in result.diagnostics for f in d.data["found"]]
    assert "（六）其他处理（单独一行）" in labels, result.diagnostics
    raw = _raw()
    raw["rule_data"]["single_other_processing_row"]["shown_as"] = "（六）其他处理（旧的一行）"
    result.report.templates = build(raw)
    labels = [f["label"] for d in leftover.gb2019_table_in_gb2021(result.report) for f in d.data["found"]]
    assert "（六）其他处理（旧的一行）" in labels and "（六）其他处理（单独一行）" not in labels


def test_only_in_is_cached_on_the_template_set_and_dies_with_it():
    templates = build(_raw())
    report = SimpleNamespace(templates=templates)
    first = leftover.only_in(report, "gb2021", "gb2019")
    assert first and leftover.only_in(report, "gb2021", "gb2019") == first
    assert templates in leftover._ONLY_IN
    before = len(leftover._ONLY_IN)
    del report, templates
    gc.collect()
    assert len(leftover._ONLY_IN) == before - 1


def test_old_table_forms_and_prose_words_are_the_typed_definitions():
    templates = build(_raw())
    old = templates.pre_uniform
    assert old.id == "old" and not old.uniform_format
    # two forms read, the cumulative one fitting better: only it is kept (they are alternatives)
    tables = {tid: SimpleNamespace(definition=old.tables[tid], matched_labels=n)
              for tid, n in (("stat", 1), ("stat_cum", 2))}
    assert set(oldtable.choose_form(dict(tables), templates)) == {"stat_cum"}
    raw = _raw()
    for table in _version(raw, "old")["tables"]:
        table.pop("alternative_to", None)
    unrelated = build(raw)
    assert unrelated.pre_uniform.tables["stat_cum"].alternative_to is None
    # without alternative_to each form is its own group: both are kept, none is compared
    assert set(oldtable.choose_form(dict(tables), unrelated)) == {"stat", "stat_cum"}
    row = old.tables["stat_cum"].row("pub")
    assert row is not None and row.prose_words == ["主动公开"]


@pytest.mark.parametrize("edit, path, words", [
    (lambda raw: _section(raw, "gb2021", "五").update(role="problem"),
     "versions.gb2021.sections[4].role", "expected one of"),
    (lambda raw: _section(raw, "gb2021", "四").update(role="problems"),
     "versions.gb2021.sections[4].role", "a second section with the role 'problems'"),
    (lambda raw: raw["rule_data"].pop("fee_amount_units"), "rule_data", "missing required key 'fee_amount_units'"),
    (lambda raw: raw["rule_data"]["single_other_processing_row"].pop("shown_as"),
     "rule_data.single_other_processing_row", "missing required key 'shown_as'"),
])
def test_a_typo_in_the_new_keys_fails_loudly(edit, path, words):
    raw = _raw()
    edit(raw)
    with pytest.raises(TemplateDataError) as err:
        build(raw)
    assert err.value.path == path, str(err.value)
    assert words in err.value.problem, str(err.value)
