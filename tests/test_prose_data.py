"""The prose vocabulary of A301-A303 is template data (rule_data.prose_vocabulary, prose_targets):
a phrase or a quantity is added by editing the data alone, and a typo in it fails loudly."""

from __future__ import annotations

import copy
import dataclasses
import gc
import weakref

import pytest

from conftest import FIXTURES
from helpers import report_from_text
from xxgk_lint.linter.templates import load
from xxgk_lint.rules import prose
from xxgk_lint.linter.prosedata import ProseDataError, load_vocabulary, vocabulary

_SCAFFOLD = (FIXTURES / "rule-example-scaffold.txt").read_text(encoding="utf-8")
_PARA = "本局通过政府网站主动公开政府信息。"  # the scaffold's table 3: 本年新收 3, 不掌握相关政府信息 1


def _templates(edit):
    """The shipped template data with ``edit(raw)`` applied to a deep copy of it."""
    shipped = load()
    raw = copy.deepcopy(shipped.raw)
    edit(raw)
    return dataclasses.replace(shipped, raw=raw)


def _section(raw: dict) -> dict:
    return raw["rule_data"]["prose_vocabulary"]


def _a301(tmp_path, sentence: str, templates=None) -> list:
    report = report_from_text(tmp_path, _SCAFFOLD.replace(_PARA, sentence), templates=templates)
    return list(prose.prose_table_mismatch(report))


def test_shipped_vocabulary_loads_once_per_template_data():
    shipped = load()
    vocab = vocabulary(shipped)
    assert vocabulary(shipped) is vocab
    assert {"received", "closed", "review", "fees", "received_none"} <= set(vocab.quantities)
    for q in vocab.quantities.values():
        assert q.zh and q.en and q.patterns
        assert all(("zero" if q.zero else "n") in p.groupindex for p in q.patterns)
    # every version reads some cells, and the old 统计表's two forms are both addressed
    assert set(vocab.groups) == set(shipped.versions)
    assert [t.table for t in vocab.targets["old"]["received"]] == ["stat", "stat_cum"]


def test_the_vocabulary_goes_with_its_template_data():
    """Kept with the loaded data, not in a cache that outlives it (nor keyed by a reusable id)."""
    templates = _templates(lambda raw: None)
    assert vocabulary(templates) is not vocabulary(load())
    gone = weakref.ref(templates)
    del templates
    gc.collect()
    assert gone() is None


def test_a_new_phrase_is_a_data_edit(tmp_path):
    sentence = "本局登记政府信息公开申请4件。"  # 登记 is no word the shipped data knows for receiving
    assert _a301(tmp_path, sentence) == []

    def add_phrase(raw):
        _section(raw)["quantities"]["received"]["patterns"].append("登记{stop}{0,10}?申请{n}件")

    (d,) = _a301(tmp_path, sentence, _templates(add_phrase))
    assert (d.data["quantity"], d.data["prose"], d.data["prose_value"], d.data["table_value"]) == (
        "received", "登记政府信息公开申请4件", "4", "3")
    assert "收到的申请：正文 4，表格 3" in d.message


def test_a_new_quantity_is_a_data_edit(tmp_path):
    sentence = "本局办理政府信息公开申请时，因本机关不掌握相关政府信息而无法提供2件。"
    assert [d.data["quantity"] for d in _a301(tmp_path, sentence)] == ["unable"]  # a different quantity

    def add_quantity(raw):
        _section(raw)["quantities"]["not_held"] = {
            "zh": "本机关不掌握的信息", "en": "information the body does not hold", "topic": "applications",
            "patterns": ["不掌握(?:相关)?(?:政府)?信息{stop}{0,12}?{n}件"]}
        raw["rule_data"]["prose_targets"]["gb"]["not_held"] = {"table": "t3", "rows": ["r3_4_1"],
                                                               "columns": ["c_total"]}

    found = {d.data["quantity"]: d for d in _a301(tmp_path, sentence, _templates(add_quantity))}
    assert set(found) == {"unable", "not_held"}
    d = found["not_held"]
    assert (d.data["prose_value"], d.data["table_value"]) == ("2", "1")
    assert d.data["cells"][0]["row"] == "r3_4_1"
    assert "本机关不掌握的信息：正文 2，表格 1" in d.message
    assert "information the body does not hold: prose 2, table 1" in d.message_en


def _set(path: str, value):
    """An edit setting ``rule_data.<path>`` (dots; [i] indexes a list) to ``value``."""
    def edit(raw):
        node, keys = raw["rule_data"], path.replace("[", ".[").split(".")
        for key in keys[:-1]:
            node = node[int(key[1:-1])] if key.startswith("[") else node[key]
        last = keys[-1]
        if value is _DELETE:
            del node[last]
        elif last.startswith("["):
            node[int(last[1:-1])] = value
        else:
            node[last] = value
    return edit


_DELETE = object()
_Q = "prose_vocabulary.quantities"


@pytest.mark.parametrize("edit,error", [
    # a misspelt key of a quantity, of the section, of a target
    (_set(f"{_Q}.received.pattern", ["收到{n}件"]), "unknown key pattern"),
    (_set("prose_vocabulary.chanels", ["通过"]), "unknown key chanels"),
    (_set("prose_targets.gb.received.row", ["r1"]), "unknown key row"),
    # a pattern without its number, with an unknown fragment, not a regular expression
    (_set(f"{_Q}.closed.patterns[0]", "办结(?P<m>\\d+)件"), "no group n"),
    (_set(f"{_Q}.received_none.patterns[0]", "未收到申请"), "no group zero"),
    (_set(f"{_Q}.fees.patterns[0]", "收取(?P<n>\\d+)元"), "no group u"),
    (_set(f"{_Q}.closed.patterns[0]", "办结{stpo}{n}件"), "no fragment “{stpo}”"),
    (_set(f"{_Q}.closed.patterns[0]", "办结(?P<n>\\d+件"), "not a regular expression"),
    (_set(f"{_Q}.review.patterns", []), "non-empty list"),
    (_set("prose_vocabulary.rate", "办结率(\\d+)%"), "no group p"),
    # names that point nowhere
    (_set(f"{_Q}.review.topic", "disclosures"), "no topic “disclosures”"),
    (_set(f"{_Q}.applicant_org.after", "recieved"), "no quantity “recieved”"),
    (_set(f"{_Q}.zh_only", {"zh": "某数", "en": "a number", "patterns": ["某数{n}件"]}), "no cells for it"),
    (_set("prose_targets.gb.recieved", {"table": "t3", "rows": ["r1"], "columns": ["c_total"]}), "no such quantity"),
    (_set(f"{_Q}.closed", _DELETE), "“closed” is missing"),
    (_set("prose_vocabulary.target_groups.gb", ["gb2019"]), "no group for gb2021"),
    (_set("prose_vocabulary.target_groups.gb", ["gb2019", "gb2021", "gb2023"]), "“gb2023” is no version"),
    # cells the tables do not have
    (_set("prose_targets.gb.received.table", "t9"), "no table “t9”"),
    (_set("prose_targets.gb.received.rows", ["r9"]), "no data row “r9”"),
    (_set("prose_targets.gb.refused.rows", ["r3_9_*"]), "no data row “r3_9_*”"),
    (_set("prose_targets.gb.received.columns", ["c_totl"]), "no column “c_totl”"),
    (_set("prose_targets.gb.applicant_natural.also_rows", ["r1", "r5"]), "no data row “r5”"),
    (_set("prose_targets.old.received[1].columns", ["years"]), "no column “years”"),
    # wrong kinds of value: an unquoted number in a word list, a yes/no that is not one
    (_set("prose_vocabulary.topics.applications.reject[0]", 12345), "quote numbers"),
    (_set(f"{_Q}.all_closed.zero", "yes"), "true or false"),
    (_set(f"{_Q}.fees.divide.元", 0), "a positive number"),
    (_set("prose_partitions[0]", "主动公开"), "list is missing or wrong"),
])
def test_a_typo_in_the_prose_data_fails_loudly(edit, error):
    with pytest.raises(ProseDataError) as exc:
        load_vocabulary(_templates(edit))
    assert error in str(exc.value)


def test_a_typo_stops_the_rules_instead_of_turning_a_phrase_off(tmp_path):
    broken = _templates(_set(f"{_Q}.received.patterns[0]", "收到申请(?P<count>\\d+)件"))
    with pytest.raises(ProseDataError, match=r"quantities\.received\.patterns\[0\]: the pattern has no group n"):
        _a301(tmp_path, "本局共收到政府信息公开申请4件。", broken)
