"""Suppression comments in text reports, and U100/U101 for the useless ones."""

import json

from clihelp import SCAFFOLD, WRONG_TITLE, run, write
from xxgk_lint.linter.suppress import parse_directives

HEAD = "五、存在的问题及改进情况"  # S104 on line 68 of WRONG_TITLE
SCAFFOLD_OK = SCAFFOLD  # no finding


def check(tmp_path, text, *args, name="r.txt"):
    # S and U only, so that rules added later to other families cannot change these results
    select = () if "--select" in args else ("--select", "S,U")
    code, out, _ = run("check", "--format", "json", *select, *args, write(tmp_path / name, text))
    return [(i["code"], i["line"]) for i in json.loads(out)]


def test_unsuppressed(tmp_path):
    assert check(tmp_path, WRONG_TITLE) == [("S104", 68)]


def test_noqa_on_the_same_line(tmp_path):
    text = WRONG_TITLE.replace(HEAD, HEAD + " <!-- xxgk-lint: noqa=S104 -->")
    assert check(tmp_path, text) == []


def test_noqa_by_name_prefix_and_all(tmp_path):
    for selector in ("section-title", "S1", "S", "all", "S104,section-title"):
        text = WRONG_TITLE.replace(HEAD, f"{HEAD}<!-- xxgk-lint: noqa={selector} -->")
        assert check(tmp_path, text) == [], selector
    text = WRONG_TITLE.replace(HEAD, f"{HEAD}<!-- xxgk-lint: noqa -->")
    assert check(tmp_path, text) == []


def test_noqa_for_another_rule_does_not_suppress(tmp_path):
    text = WRONG_TITLE.replace(HEAD, HEAD + "<!-- xxgk-lint: noqa=S101 -->")
    found = check(tmp_path, text)
    assert ("S104", 68) in found and ("U100", 68) in found


def test_disable_next_line_on_its_own_line(tmp_path):
    text = WRONG_TITLE.replace(HEAD, "<!-- xxgk-lint: disable-next-line=S104 -->\n" + HEAD)
    assert check(tmp_path, text) == []
    # only the next line: the directive two lines above does nothing
    text = WRONG_TITLE.replace(HEAD, "<!-- xxgk-lint: disable-next-line=S104 -->\n\n" + HEAD)
    assert check(tmp_path, text) == [("U100", 68), ("S104", 70)]


def test_range_disable_enable(tmp_path):
    text = WRONG_TITLE.replace("四、政府信息公开行政复议", "<!-- xxgk-lint: disable=S104 -->\n四、政府信息公开行政复议")
    assert check(tmp_path, text) == []  # open to the end of the file
    text = text.replace("六、其他需要报告的事项", "<!-- xxgk-lint: enable=S104 -->\n六、其他需要报告的事项")
    assert check(tmp_path, text) == []
    text2 = text.replace("六、其他需要报告的事项", "六、其他需要的事项")  # S104 after the range
    assert [c for c, _ in check(tmp_path, text2)] == ["S104"]
    # a range closed before the heading suppresses nothing there
    closed = WRONG_TITLE.replace("一、总体情况", "<!-- xxgk-lint: disable=S104 -->\n<!-- xxgk-lint: enable -->\n一、总体情况")
    assert check(tmp_path, closed) == [("U100", 5), ("S104", 70)]


def test_enable_of_one_code_keeps_the_others_disabled(tmp_path):
    text = WRONG_TITLE.replace("一、总体情况", "<!-- xxgk-lint: disable=S101,S104 -->\n一、总体情况")
    text = text.replace("二、主动公开", "<!-- xxgk-lint: enable=S101 -->\n二、主动公开")
    assert [c for c, _ in check(tmp_path, text)] == ["U100"]  # S104 still off; S101 never fired
    directives = parse_directives(text)
    assert sorted(tuple(d.selectors) for d in directives) == [("S101",), ("S104",)]


def test_markdown_directive_between_paragraphs(tmp_path):
    text = WRONG_TITLE.replace(HEAD, "\n<!-- xxgk-lint: disable-next-line=S104 -->\n" + HEAD)
    assert check(tmp_path, text, name="r.md") == []


def test_unused_only_when_the_named_rule_ran(tmp_path):
    text = WRONG_TITLE.replace("依法做好政府信息公开工作。", "依法做好政府信息公开工作。<!-- xxgk-lint: noqa=S101 -->")
    assert check(tmp_path, text) == [("U100", 6), ("S104", 68)]
    assert check(tmp_path, text, "--select", "S104,U") == [("S104", 68)]  # S101 not run: cannot know
    assert check(tmp_path, text, "--ignore", "U100") == [("S104", 68)]


def test_mixed_list_reports_only_the_unused_part(tmp_path):
    text = WRONG_TITLE.replace(HEAD, HEAD + "<!-- xxgk-lint: noqa=S101,S104 -->")
    assert check(tmp_path, text) == [("U100", 68)]


def test_unknown_code_in_a_directive(tmp_path):
    text = WRONG_TITLE.replace(HEAD, HEAD + "<!-- xxgk-lint: noqa=S104,Q999 -->")
    assert check(tmp_path, text) == [("U101", 68)]
    code, out, _ = run("check", "--format", "json", tmp_path / "r.txt")
    item = json.loads(out)[0]
    assert item["data"] == {"directive": "noqa", "selector": "Q999"} and "Q999" in item["message"]
    assert item["column"] == len(HEAD) + 1  # points at the comment


def test_directive_forms():
    text = "a <!--xxgk-lint:noqa S104--> b\n<!-- XXGK-LINT: disable = S1 , section-order -->\nc\n"
    ds = parse_directives(text)
    assert [(d.kind, d.selectors) for d in ds] == [("noqa", ["S104"]), ("disable", ["S1", "section-order"])]
    assert text[ds[0].start:ds[0].end].startswith("a <!--") and ds[1].end == len(text)
    assert parse_directives("<!-- other: disable=S1 -->") == []


def test_directives_in_a_web_page(tmp_path):
    """Comments are not report text in HTML either, but xxgk-lint directives
    are kept where they stand: before a paragraph or inside one."""
    from xxgk_lint.linter.registry import load_registry
    from xxgk_lint.linter.runner import Settings, check_file

    page = tmp_path / "r.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body>"
        "<p>某局2021年政府信息公开工作年度报告</p>\n"
        "<!-- xxgk-lint: disable-next-line=S104 -->\n<p>五、存在的问题及改进情况</p>\n"
        "<p>一、总体情况 <!-- xxgk-lint: noqa=S104 --></p>\n<!-- an ordinary comment -->\n"
        "</body></html>", encoding="utf-8")
    registry = load_registry(include_plugins=False)
    rules = registry.select(["S104", "U"])
    result = check_file(str(page), registry, rules, Settings(select=["S104", "U"]))
    assert [d.code for d in result.diagnostics] == ["U100"]  # S104 suppressed; the noqa was not needed
    assert [s.heading.title for s in result.report.sections] == ["存在的问题及改进情况", "总体情况"]


def test_noqa_on_a_heading_line_does_not_change_the_heading(tmp_path):
    from xxgk_lint.linter.registry import load_registry
    from xxgk_lint.linter.runner import Settings, check_file

    path = tmp_path / "r.txt"
    path.write_text("某局2021年政府信息公开工作年度报告\n一、总体情况<!-- xxgk-lint: noqa=S104 -->\n正文。\n",
                    encoding="utf-8")
    registry = load_registry(include_plugins=False)
    result = check_file(str(path), registry, registry.select(["S104", "U"]), Settings(select=["S104", "U"]))
    assert result.report.sections[0].heading.title == "总体情况"
    assert [d.code for d in result.diagnostics] == ["U100"]


# ---- ranges, the U rules and how suppression meets configuration

TWO_TITLES = WRONG_TITLE.replace("六、其他需要报告的事项", "六、其他需要的事项")  # S104 on lines 68 and 71


def test_two_findings_in_and_out_of_a_range(tmp_path):
    assert check(tmp_path, TWO_TITLES) == [("S104", 68), ("S104", 71)]
    text = TWO_TITLES.replace(HEAD, f"<!-- xxgk-lint: disable=S104 -->\n{HEAD}\n<!-- xxgk-lint: enable=S104 -->")
    assert check(tmp_path, text) == [("S104", 73)]  # the second heading, after the range (shifted by 2 lines)
    # the range covers both: nothing left, and the range was used
    text = TWO_TITLES.replace("四、政府信息公开行政复议", "<!-- xxgk-lint: disable=section-title -->\n四、政府信息公开行政复议")
    assert check(tmp_path, text) == []


def test_enable_all_closes_every_open_range(tmp_path):
    text = TWO_TITLES.replace(HEAD, f"<!-- xxgk-lint: disable=S104 -->\n<!-- xxgk-lint: disable=S1 -->\n{HEAD}"
                                    "\n<!-- xxgk-lint: enable -->")
    found = check(tmp_path, text)
    # both ranges suppressed the first heading (both are used); the second heading is after them
    assert found == [("S104", 74)]


def test_nested_ranges_of_different_rules(tmp_path):
    text = TWO_TITLES.replace("四、政府信息公开行政复议", "<!-- xxgk-lint: disable=S104 -->\n四、政府信息公开行政复议")
    text = text.replace("六、其他需要的事项", "<!-- xxgk-lint: disable=S101 -->\n六、其他需要的事项")
    text = text.replace("六、其他需要的事项", "六、其他需要的事项\n<!-- xxgk-lint: enable=S101 -->")
    found = check(tmp_path, text)
    assert [c for c, _ in found] == ["U100"]  # S104 twice suppressed; the S101 range suppressed nothing
    assert found[0][1] == 72  # U100 points at the unused comment (line 71 + the line added above)


def test_enable_without_disable_is_harmless(tmp_path):
    text = WRONG_TITLE.replace("一、总体情况", "<!-- xxgk-lint: enable=S104 -->\n一、总体情况")
    assert check(tmp_path, text) == [("S104", 69)]


def test_unused_range_and_next_line_are_reported(tmp_path):
    text = SCAFFOLD_OK.replace("一、总体情况", "<!-- xxgk-lint: disable=S104 -->\n一、总体情况")
    assert check(tmp_path, text) == [("U100", 5)]
    text = SCAFFOLD_OK.replace("一、总体情况", "<!-- xxgk-lint: disable-next-line=S104 -->\n一、总体情况")
    code, out, _ = run("check", "--format", "json", "--select", "S,U", write(tmp_path / "r.txt", text))
    (item,) = json.loads(out)
    assert (item["code"], item["rule"], item["severity"]) == ("U100", "unused-suppression", "warning")
    assert item["data"] == {"directive": "disable-next-line", "selector": "S104", "rules": ["S104"]}
    assert "disable-next-line=S104" in item["message"]
    code, out, _ = run("check", "--format", "json", "--lang", "en", "--select", "S,U", tmp_path / "r.txt")
    assert "suppresses nothing" in json.loads(out)[0]["message"]


def test_u_rules_follow_the_configuration(tmp_path):
    text = SCAFFOLD_OK.replace("一、总体情况", "<!-- xxgk-lint: disable=S104 -->\n一、总体情况")
    write(tmp_path / "xxgk-lint.toml", 'select = ["S", "U"]\n[severity]\nU100 = "error"\n')
    report = write(tmp_path / "r.txt", text)
    code, out, _ = run("check", "--format", "json", report)
    assert code == 1 and [(i["code"], i["severity"]) for i in json.loads(out)] == [("U100", "error")]
    write(tmp_path / "xxgk-lint.toml", 'select = ["S", "U"]\n[per-file-ignores]\n"r.txt" = ["U100"]\n')
    assert run("check", "--format", "json", report)[1] == "[]\n"


def test_suppressed_findings_do_not_fail_the_run(tmp_path):
    bad = TWO_TITLES.replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 4 0 0 0 0 0 4")
    report = write(tmp_path / "r.txt", bad)
    assert run("check", report)[0] == 1
    text = bad.replace("三、收到和处理政府信息公开申请情况",
                       "<!-- xxgk-lint: disable=A -->\n三、收到和处理政府信息公开申请情况")
    text = text.replace("四、政府信息公开行政复议", "<!-- xxgk-lint: enable=A -->\n四、政府信息公开行政复议")
    write(tmp_path / "r.txt", text)
    code, out, _ = run("check", "--format", "sarif", report)
    assert code == 0
    assert {r["ruleId"] for r in json.loads(out)["runs"][0]["results"]} == {"S104"}


def test_range_in_a_web_page(tmp_path):
    from xxgk_lint.linter.registry import load_registry
    from xxgk_lint.linter.runner import Settings, check_file

    page = tmp_path / "r.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body>"
        "<p>某局2021年政府信息公开工作年度报告</p>\n<!-- xxgk-lint: disable=S104 -->\n"
        "<p>五、存在的问题及改进情况</p>\n<p>六、其他需要的事项</p>\n<!-- xxgk-lint: enable=S104 -->\n"
        "<p>一、总体情况啊</p>\n</body></html>", encoding="utf-8")
    registry = load_registry(include_plugins=False)
    result = check_file(str(page), registry, registry.select(["S104", "U"]), Settings(select=["S104", "U"]))
    found = [(d.code, result.document.text[d.span.start:d.span.end]) for d in result.diagnostics]
    assert found == [("S104", "一、总体情况啊")]
