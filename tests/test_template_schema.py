"""The template data is checked when it is loaded: a typo fails loudly, naming
its place in the YAML, and never switches a rule off in silence."""

from __future__ import annotations

import copy
import datetime as dt
from importlib import resources

import pytest
import yaml

from xxgk_lint.linter import templates
from xxgk_lint.linter.templates import VERSION_IDS, VERSION_NAMES, TemplateDataError, build


@pytest.fixture(scope="module")
def text() -> str:
    return resources.files("xxgk_lint").joinpath("templates/template-versions.yaml").read_text("utf-8")


@pytest.fixture(scope="module")
def pristine(text) -> dict:
    return templates._json_keys(yaml.safe_load(text))


@pytest.fixture
def raw(pristine) -> dict:
    return copy.deepcopy(pristine)


def _from_text(text: str):
    return build(templates._json_keys(yaml.safe_load(text)))


def _fails(raw: dict, path: str, words: str) -> None:
    with pytest.raises(TemplateDataError) as err:
        build(raw)
    assert err.value.path == path, str(err.value)
    assert words in err.value.problem, str(err.value)
    assert str(err.value).startswith(f"template-versions.yaml: {path}: ")


def _t3(raw: dict, version: str = "gb2021") -> dict:
    return next(t for t in raw["versions"][version]["tables"] if t["id"] == "t3")


def test_the_package_data_loads(pristine):
    data = build(copy.deepcopy(pristine))
    assert list(data.versions) == list(VERSION_IDS)
    assert dict(VERSION_NAMES) == {v: data.versions[v].name for v in VERSION_IDS}


# -- typos in the YAML text itself ----------------------------------------------------------------

def test_a_misspelt_key_in_the_yaml_text_names_its_place(text):
    broken = text.replace("{id: c_natural, label: 自然人}", "{id: c_natural, lable: 自然人}", 1)
    assert broken != text
    with pytest.raises(TemplateDataError) as err:
        _from_text(broken)
    assert err.value.path == "versions.gb2019.tables[1].columns[1].children[0]"
    assert "unknown key 'lable'" in err.value.problem


def test_a_deadline_for_an_unknown_kind_of_body_fails(text):
    broken = text.replace("body_kinds: [department]", "body_kinds: [departement]", 1)
    with pytest.raises(TemplateDataError) as err:
        _from_text(broken)
    assert err.value.path == "law.regulation_2019.art_49.deadlines[0].body_kinds[0]"
    assert "unknown kind of body 'departement'" in err.value.problem


def test_a_rule_pointing_at_an_unknown_row_fails(text):
    broken = text.replace("unpaid_fee_cell: {table: t3, row: r3_6_2,", "unpaid_fee_cell: {table: t3, row: r3_6_9,", 1)
    assert broken != text
    with pytest.raises(TemplateDataError) as err:
        _from_text(broken)
    assert err.value.path == "rule_data.unpaid_fee_cell"
    assert "no row 'r3_6_9'" in err.value.problem


# -- each kind of mistake ------------------------------------------------------------------------

def test_missing_required_key(raw):
    del _t3(raw)["rows"][0]["label"]
    _fails(raw, "versions.gb2021.tables[1].rows[0]", "missing required key 'label'")


def test_wrong_type(raw):
    raw["versions"]["gb2021"]["sections"][0]["required"] = "yes"
    _fails(raw, "versions.gb2021.sections[0].required", "expected true or false")


def test_value_outside_its_set(raw):
    _t3(raw)["identities"][0]["kind"] = "stataed"
    _fails(raw, "versions.gb2021.tables[1].identities[0].kind", "expected one of stated, implied, heuristic")


def test_row_deep_in_the_tree(raw):
    _t3(raw)["rows"][2]["children"][2]["children"][0]["variant"] = ["x"]
    _fails(raw, "versions.gb2021.tables[1].rows[2].children[2].children[0]", "unknown key 'variant'")


def test_identity_naming_an_unknown_row(text):
    broken = text.replace('expr: "r1 + r2 == r3_7 + r4"', 'expr: "r1 + r2 == r3_7 + r5"', 1)
    assert broken != text
    with pytest.raises(TemplateDataError) as err:
        _from_text(broken)
    assert err.value.path == "versions.gb2019.tables[1].identities[0].expr"
    assert "does not parse over the table's row or column ids" in err.value.problem


def test_identity_naming_an_unknown_column(raw):
    _t3(raw)["identities"][2]["expr"] = "c_total == c_natural + c_comercial + c_research"
    _fails(raw, "versions.gb2021.tables[1].identities[2].expr", "does not parse")


def test_bad_regular_expression(raw):
    raw["rule_data"]["stale_citations"][0]["pattern"] = "国办公开办函(2019"
    _fails(raw, "rule_data.stale_citations[0].pattern", "not a valid regular expression")


def test_unknown_rule_data_entry(raw):
    raw["rule_data"]["fee_term"] = ["信息处理费"]
    _fails(raw, "rule_data", "unknown key 'fee_term'")


def test_note_among_labels(raw):
    raw["leftover_labels"]["gb2019_in_gb2021"].append("规范性文件 as the row label")
    _fails(raw, "leftover_labels.gb2019_in_gb2021[10]", "expected a label")


def test_section_naming_an_unknown_table(raw):
    raw["versions"]["gb2021"]["sections"][1]["tables"] = ["t9"]
    _fails(raw, "versions.gb2021.sections[1].tables", "no table 't9'")


def test_table_in_an_unknown_section(raw):
    _t3(raw)["section"] = "七"
    _fails(raw, "versions.gb2021.tables[1].section", "no section '七'")


def test_unknown_parent_row(raw):
    stat = raw["versions"]["old-2008"]["tables"][0]
    stat["rows"][2]["parent"] = "1.9"
    _fails(raw, "versions.old-2008.tables[0].rows", "unknown parent '1.9'")


def test_prose_target_with_unknown_column(raw):
    raw["rule_data"]["prose_targets"]["gb"]["received"]["columns"] = ["c_totl"]
    _fails(raw, "rule_data.prose_targets.gb.received", "no column 'c_totl'")


def test_prose_target_glob_matching_no_row(raw):
    raw["rule_data"]["prose_targets"]["gb"]["refused"]["rows"] = ["r3_8_*"]
    _fails(raw, "rule_data.prose_targets.gb.refused", "no row 'r3_8_*'")


def test_old_prose_target_only_in_the_old_tables(raw):
    raw["rule_data"]["prose_targets"]["old"]["closed"]["table"] = "t3"
    _fails(raw, "rule_data.prose_targets.old.closed.table", "no version has a table 't3'")


def test_digit_run_cue_for_unknown_column(raw):
    raw["rule_data"]["digit_run_cues"]["t3"]["r1"]["default"] = "total"
    _fails(raw, "rule_data.digit_run_cues.t3.r1", "no column 'total'")


def test_row_not_for_an_unknown_kind_of_body(raw):
    raw["rule_data"]["rows_not_for_body_kind"][0]["body_kind"] = "departments"
    _fails(raw, "rule_data.rows_not_for_body_kind[0].body_kind", "unknown kind of body")


def test_overview_topic_that_no_section_expects(raw):
    raw["rule_data"]["overview_topics"]["监督保證"] = ["监督"]
    _fails(raw, "rule_data.overview_topics.监督保證", "no section's expected_content")


def test_impossible_deadline(raw):
    raw["law"]["regulation_2019"]["art_49"]["deadlines"][0]["deadline"] = "02-30"
    _fails(raw, "law.regulation_2019.art_49.deadlines[0].deadline", "expected a month and day")


def test_deadline_article_that_does_not_exist(raw):
    raw["law"]["regulation_2008"]["deadline_article"] = "art_13"
    _fails(raw, "law.regulation_2008.deadline_article", "no article 'art_13'")


def test_superseded_by_unknown_version(raw):
    raw["versions"]["gb2019"]["superseded_by"] = "gb2022"
    _fails(raw, "versions.gb2019.superseded_by", "no version has the id 'gb2022'")


def test_one_version_in_force(raw):
    raw["versions"]["gb2021"]["applies_to_report_years"] = [2021, 2030]
    _fails(raw, "versions", "exactly one version has open-ended report years; found none")


def test_versions_for_years(pristine):
    data = build(copy.deepcopy(pristine))
    assert [data.for_year(y) for y in (2005, 2018, 2019, 2020, 2021, 2040)] == [
        "old", "old", "gb2019", "gb2019", "gb2021", "gb2021"]
    assert data.current.id == "gb2021"
    assert (data.versions["gb2021"].supersedes, data.versions["gb2019"].superseded_by) == ("gb2019", "gb2021")
    assert [v.uniform_format for v in data.versions.values()] == [False, True, True]


def test_version_ids_are_the_command_lines(raw):
    raw["versions"]["gb2021"]["id"] = "gb2012"
    _fails(raw, "versions", "the versions' ids must be old, gb2019, gb2021")


def test_every_record_key_is_checked(pristine):
    """Renaming any key of the data (a typo) fails, except in the maps whose keys are free
    (documentation, and maps keyed by names the data itself defines, whose keys are
    checked against the tables where they are references)."""
    raw = copy.deepcopy(pristine)
    silent: list[str] = []

    def walk(node, path):
        if isinstance(node, list):
            for n, item in enumerate(node):
                walk(item, f"{path}[{n}]")
        elif isinstance(node, dict):
            for key in list(node):
                value = node.pop(key)
                node[f"{key}_x"] = value
                try:
                    build(raw)
                    silent.append(f"{path}.{key}")
                except TemplateDataError:
                    pass
                del node[f"{key}_x"]
                node[key] = value
                walk(value, f"{path}.{key}")

    walk(raw, "")
    prefixes = (
        ".sources.", ".normalisation", ".version_detection", ".leftover_labels.notes",  # documentation
        ".law.regulation_2019.art_20_items_used_by_table_2.", ".law.statistics_period.",
        ".law.information_processing_fee.",
        ".law.regulation_2019.art_50.required_content",  # documentation, not read
        ".rule_data.prose_targets.gb.", ".rule_data.prose_targets.old.",  # keys named by prose.py (A301)
    )
    # a version's key in the YAML is only a heading: its id is inside it
    free = {".versions.old-2008", ".versions.gb2019", ".versions.gb2021"}
    unexpected = [p for p in silent if not p.startswith(prefixes) and p not in free
                  and not any(f".{doc}" in p for doc in ("note", "confidence", "seeds", "label_variants",
                                                          "explanatory_notes", "issuing_documents"))]
    assert unexpected == [], "\n".join(unexpected)


# -- the typed law ---------------------------------------------------------------------------------

def test_deadlines_per_kind_of_body(pristine):
    law = build(copy.deepcopy(pristine)).law
    new, old = law.regulation_for(2023), law.regulation_for(2018)
    assert law.regulation_for(2005) is old and old.cited_as == "2008年条例第三十一条"
    assert old.deadline_for(None).date(2018) == dt.date(2019, 3, 31)
    assert new.deadline_for("department").date(2023) == dt.date(2024, 1, 31)
    assert new.deadline_for("government").date(2023) == dt.date(2024, 3, 31)
    township = new.deadline_for("township")
    assert township.date(2023) == dt.date(2024, 3, 31) and "township" not in township.body_kinds
    assert new.deadline_for(None) is None and new.deadline_for("unknown") is None
    assert set(law.body_kind_names) == {"department", "government", "township"}


# -- rules ask the data's properties, not version ids ----------------------------------------------

def test_fee_statement_expected_where_the_data_says(pristine):
    """C102 follows the version's expects_fee_statement: seed 000 (2020, gb2019) writes only
    “无” in section 六, allowed until the data says gb2019 expects a fee statement too."""
    import conftest
    from xxgk_lint.linter.parse import build_report
    from xxgk_lint.linter.readers import read
    from xxgk_lint.rules.content import fee_statement_missing

    doc = read(str(conftest.seed("000")))
    report = build_report(doc, templates=build(copy.deepcopy(pristine)))
    assert report.version == "gb2019" and list(fee_statement_missing(report)) == []
    raw = copy.deepcopy(pristine)
    raw["versions"]["gb2019"]["expects_fee_statement"] = True
    report = build_report(doc, templates=build(raw))
    assert len(list(fee_statement_missing(report))) == 1
