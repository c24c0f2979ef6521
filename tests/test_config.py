"""Configuration: discovery (nearest wins), precedence (command line beats the
file), per-file ignores, severities, exclude, and loud failure on bad files."""

import json

import pytest

from clihelp import SCAFFOLD, WRONG_TITLE, run, write
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import check_file
from xxgk_lint.linter.settings import glob_matches


def codes_of(out: str) -> list[str]:
    return [item["code"] for item in json.loads(out)]


def check_json(*args):
    code, out, err = run("check", "--format", "json", *args)
    return code, codes_of(out), err


def test_nearest_configuration_wins(tmp_path):
    write(tmp_path / "xxgk-lint.toml", 'ignore = ["S104"]\n')
    top = write(tmp_path / "top.txt", WRONG_TITLE)
    write(tmp_path / "sub" / ".xxgk-lint.toml", 'select = ["S"]\n')  # no ignore: files are not merged
    nested = write(tmp_path / "sub" / "deeper" / "r.txt", WRONG_TITLE)
    assert check_json(top)[1] == []
    assert check_json(nested)[1] == ["S104"]
    code, out, _ = run("check", "--show-settings", nested)
    assert str(tmp_path / "sub" / ".xxgk-lint.toml") in out
    code, out, _ = run("check", "--show-settings", top)
    assert str(tmp_path / "xxgk-lint.toml") in out and '"S104"' in out


def test_xxgk_lint_toml_beats_pyproject_in_the_same_directory(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.xxgk-lint]\nignore = ["S104"]\n')
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    assert check_json(report)[1] == []
    write(tmp_path / "xxgk-lint.toml", 'select = ["ALL"]\n')
    assert check_json(report)[1] == ["S104"]


def test_pyproject_without_our_table_is_skipped(tmp_path):
    write(tmp_path / "xxgk-lint.toml", 'ignore = ["S104"]\n')
    write(tmp_path / "proj" / "pyproject.toml", '[project]\nname = "x"\n')
    report = write(tmp_path / "proj" / "r.txt", WRONG_TITLE)
    assert check_json(report)[1] == []
    _, out, _ = run("check", "--show-settings", report)
    assert str(tmp_path / "xxgk-lint.toml") in out


def test_command_line_beats_the_file(tmp_path):
    write(tmp_path / "xxgk-lint.toml", 'ignore = ["S104"]\nfail-on = "warning"\n')
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    assert check_json(report) [:2] == (0, [])
    code, found, _ = check_json("--select", "S104", report)  # --select replaces the file's selection
    assert (code, found) == (1, ["S104"])  # and the file's fail-on = "warning" still applies
    assert check_json("--select", "S104", "--fail-on", "error", report)[:2] == (0, ["S104"])
    assert check_json("--isolated", report)[:2] == (0, ["S104"])


def test_extend_select_and_ignore_add_up(tmp_path):
    write(tmp_path / "xxgk-lint.toml", 'select = ["E"]\nextend-select = ["S1"]\n')
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    assert check_json(report)[1] == ["S104"]
    assert check_json("--ignore", "section-title", report)[1] == []


def test_per_file_ignores(tmp_path):
    write(tmp_path / "xxgk-lint.toml", '[per-file-ignores]\n"drafts/**" = ["S104"]\n"old-*.txt" = ["S1"]\n')
    draft = write(tmp_path / "drafts" / "2023" / "r.txt", WRONG_TITLE)
    old = write(tmp_path / "reports" / "old-2023.txt", WRONG_TITLE)
    other = write(tmp_path / "reports" / "r.txt", WRONG_TITLE)
    assert check_json(draft)[1] == []
    assert check_json(old)[1] == []  # a pattern without "/" matches the file name
    assert check_json(other)[1] == ["S104"]


def test_severity_overrides(tmp_path):
    write(tmp_path / "xxgk-lint.toml", '[severity]\nS = "info"\nsection-title = "error"\n')
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    code, out, _ = run("check", "--format", "json", report)
    assert code == 1 and [(i["code"], i["severity"]) for i in json.loads(out)] == [("S104", "error")]
    write(tmp_path / "xxgk-lint.toml", '[severity]\nS104 = "off"\n')
    assert check_json(report)[:2] == (0, [])
    code, out, _ = run("check", "--format", "json", "--severity", "S104=info", "--fail-on", "warning",
                       "--isolated", report)
    assert code == 0 and json.loads(out)[0]["severity"] == "info"


def test_exclude(tmp_path):
    write(tmp_path / "xxgk-lint.toml", 'exclude = ["archive/"]\n')
    kept = write(tmp_path / "r.txt", WRONG_TITLE)
    skipped = write(tmp_path / "archive" / "r.txt", WRONG_TITLE)
    code, out, _ = run("check", "--format", "concise", tmp_path)
    assert str(kept) in out and str(skipped) not in out
    # a file named on the command line is checked unless --force-exclude (pre-commit)
    assert check_json(skipped)[1] == ["S104"]
    assert check_json("--force-exclude", skipped)[1] == []


def test_template_year_and_body_kind_reach_the_report(tmp_path):
    write(tmp_path / "xxgk-lint.toml", 'template = "gb2019"\nyear = 2022\nbody-kind = "township"\n')
    report = write(tmp_path / "r.txt", SCAFFOLD)
    from xxgk_lint.linter.config import Overrides, Resolver

    registry = load_registry(include_plugins=False)
    settings = Resolver(registry, Overrides()).settings_for(str(report))
    result = check_file(str(report), registry, settings.rules_for(str(report), registry), settings)
    assert result.report.settings.body_kind == "township"
    assert result.report.version == "gb2019" and result.report.report_year == 2022
    settings = Resolver(registry, Overrides(body_kind="department", year=2023)).settings_for(str(report))
    assert (settings.body_kind, settings.year, settings.template) == ("department", 2023, "gb2019")


@pytest.mark.parametrize("content, key, why", [
    ('selct = ["S"]\n', "selct", "未知的配置项"),
    ('select = "S104"\n', "select", "应为字符串列表"),
    ('select = ["Q9"]\n', "select", "Q9"),
    ('fail-on = "fatal"\n', "fail-on", "fatal"),
    ('year = "2023"\n', "year", "整数"),
    ('body-kind = "county"\n', "body-kind", "department"),
    ('template = "gb2030"\n', "template", "gb2021"),
    ('[severity]\nS104 = "loud"\n', "severity.S104", "loud"),
    ('[severity]\nQ123 = "error"\n', "severity.Q123", "未知的规则代码"),
    ('[per-file-ignores]\n"*.txt" = "S104"\n', 'per-file-ignores."*.txt"', "字符串列表"),
    ('select = [\n', None, "不是合法的 TOML"),
    ('ignore = ["S104", 3]\n', "ignore", "第 2 项是整数 3"),
    ('ignore = [" "]\n', "ignore", "第 1 项是空字符串"),
    ('select = []\n', "select", "不能为空列表"),
    ('extend-select = ["Z"]\n', "extend-select", "Z"),  # a plugin that is not installed
    ('fail-on = 1\n', "fail-on", "实际是 1"),
    ('fail-on = ["error"]\n', "fail-on", "error、warning、info"),
    ('year = true\n', "year", "true"),
    ('year = 1999\n', "year", "1999"),
    ('exclude = "archive/"\n', "exclude", "实际是字符串"),
    ('exclude = ["/srv/reports/archive"]\n', "exclude", "绝对路径"),
    ('severity = "info"\n', "severity", "应为表"),
    ('per-file-ignores = ["S104"]\n', "per-file-ignores", "应为表"),
    ('[per-file-ignores]\n"" = ["S104"]\n', 'per-file-ignores.""', "glob 不能为空"),
    ('[per-file-ignores]\n"drafts/**" = ["Q9"]\n', 'per-file-ignores."drafts/**"', "Q9"),
    ('fail_on = "warning"\n', "fail_on", "是不是“fail-on”"),
    ('[tool.xxgk-lint]\nselect = ["S"]\n', "tool", "未知的配置项"),  # that table belongs in pyproject.toml
])
def test_invalid_configuration_fails_loudly(tmp_path, content, key, why):
    config = write(tmp_path / "xxgk-lint.toml", content)
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    code, out, err = run("check", report)
    assert code == 2 and out == ""
    assert str(config) in err and why in err
    if key:
        assert f"键“{key}”" in err


def test_invalid_pyproject_table_names_the_full_key(tmp_path):
    config = write(tmp_path / "pyproject.toml", '[tool.xxgk-lint]\nignore = [1]\n')
    code, _, err = run("check", write(tmp_path / "r.txt", SCAFFOLD))
    assert code == 2 and str(config) in err and "键“tool.xxgk-lint.ignore”" in err


def test_explicit_config_file(tmp_path):
    config = write(tmp_path / "elsewhere" / "strict.toml", 'fail-on = "warning"\n')
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    assert run("check", report)[0] == 0
    assert run("check", "--config", config, report)[0] == 1


@pytest.mark.parametrize("pattern, path, expected", [
    ("drafts/**", "drafts/a/b.txt", True),
    ("drafts/**", "final/a.txt", False),
    ("**/*.md", "a/b/c.md", True),
    ("**/*.md", "c.md", True),
    ("*.md", "a/b/c.md", True),
    ("a/*.md", "a/b/c.md", False),
    ("archive", "archive/x/y.txt", True),
    ("r[0-9].txt", "r1.txt", True),
    ("./drafts/**", "drafts/a.txt", True),
    ("drafts", "reports/drafts/a.txt", True),  # no "/": any directory named so
    ("drafts/", "reports/drafts/a.txt", True),
    ("drafts/", "reports/drafts", False),  # a trailing "/": directories only
    ("reports/drafts", "reports/drafts/2023/a.txt", True),
    ("reports/drafts", "old/reports/drafts/a.txt", False),  # with "/": from the base only
    ("*.md", "a.md", True),
    ("*.txt", "a.md", False),
    ("**", "a/b/c.txt", True),
    ("a/**/c.txt", "a/c.txt", True),
    ("a/**/c.txt", "a/x/y/c.txt", True),
    ("a/*/c.txt", "a/x/y/c.txt", False),
    ("2023?.txt", "20231.txt", True),
    ("r[!0-9].txt", "r1.txt", False),
    ("r[!0-9].txt", "rx.txt", True),
    ("报告*", "年度/报告2023.docx", True),
])
def test_globs(tmp_path, pattern, path, expected):
    assert glob_matches(pattern, str(tmp_path / path), str(tmp_path)) is expected


def test_globs_do_not_reach_outside_their_base(tmp_path):
    assert not glob_matches("**/*.txt", str(tmp_path / "r.txt"), str(tmp_path / "sub"))


def test_invalid_configuration_in_english(tmp_path):
    config = write(tmp_path / "xxgk-lint.toml", 'fail-on = "fatal"\n')
    code, out, err = run("check", "--lang", "en", write(tmp_path / "r.txt", SCAFFOLD))
    assert code == 2 and out == ""
    assert f"invalid configuration: {config}: key “fail-on”: should be one of error, warning, info, not \"fatal\"" in err


def test_invalid_configuration_stops_show_settings_and_a_directory_run(tmp_path):
    """Whatever the command: the nearest configuration is broken, so nothing runs on defaults."""
    config = write(tmp_path / "xxgk-lint.toml", 'ignore = ["S104"]\nfail-on = "fatal"\n')
    write(tmp_path / "reports" / "r.txt", WRONG_TITLE)
    for args in (["--show-settings", tmp_path / "reports" / "r.txt"], [tmp_path], ["--exit-zero", tmp_path],
                 ["--format", "sarif", tmp_path]):
        code, out, err = run("check", *args)
        assert (code, out) == (2, ""), args
        assert str(config) in err and "fail-on" in err, args
    # unless configuration files are not used at all
    assert check_json("--isolated", tmp_path / "reports" / "r.txt")[:2] == (0, ["S104"])


def test_pyproject_tool_that_is_not_a_table(tmp_path):
    config = write(tmp_path / "pyproject.toml", 'tool = 3\n')
    code, _, err = run("check", "--config", config, write(tmp_path / "r.txt", SCAFFOLD))
    assert code == 2 and "键“tool.xxgk-lint”" in err
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')  # named with --config: it must have the table
    code, _, err = run("check", "--config", config, tmp_path / "r.txt")
    assert code == 2 and "[tool.xxgk-lint]" in err


# ---- precedence: the command line beats the file, key by key

@pytest.mark.parametrize("config, args, expected", [
    # --select replaces the file's select, extend-select and ignore
    ('select = ["A"]\n', ["--select", "S104"], ["S104"]),
    ('ignore = ["S104"]\n', ["--select", "S"], ["S104"]),
    ('select = ["A"]\nextend-select = ["S104"]\n', ["--select", "P"], []),
    # --extend-select and --ignore add to the file's
    ('select = ["A"]\n', ["--extend-select", "S104"], ["S104"]),
    ('select = ["S"]\n', ["--ignore", "section-title"], []),
    ('ignore = ["S104"]\n', ["--extend-select", "S104"], []),  # ignore wins over a wider selection...
    ('ignore = ["S"]\n', ["--select", "S104", "--ignore", "P"], ["S104"]),  # ...but --select drops the file's
    # per-file ignores of the file and the command line add up
    ('[per-file-ignores]\n"other/**" = ["S"]\n', ["--per-file-ignores", "reports/**:S104"], []),
    ('[per-file-ignores]\n"reports/**" = ["S104"]\n', ["--per-file-ignores", "other/**:S"], []),
    ('[per-file-ignores]\n"reports/**" = ["P"]\n', ["--per-file-ignores", "other/**:S"], ["S104"]),
    # severity: the command line wins for the same rule; off does not run it
    ('[severity]\nS104 = "off"\n', ["--severity", "S104=warning"], ["S104"]),
    ('[severity]\nS104 = "error"\n', ["--severity", "S104=off"], []),
])
def test_precedence(tmp_path, monkeypatch, config, args, expected):
    write(tmp_path / "xxgk-lint.toml", config)
    write(tmp_path / "reports" / "r.txt", WRONG_TITLE)
    monkeypatch.chdir(tmp_path)  # command-line globs are relative to the current directory
    assert check_json(*args, "reports/r.txt")[1] == expected


@pytest.mark.parametrize("config, args, exit_code", [
    ('fail-on = "warning"\n', [], 1),
    ('fail-on = "warning"\n', ["--fail-on", "error"], 0),
    ('fail-on = "error"\n', ["--fail-on", "warning"], 1),
    ('fail-on = "warning"\n', ["--exit-zero"], 0),
    ('[severity]\nS104 = "error"\n', [], 1),
    ('[severity]\nS104 = "error"\n', ["--severity", "S104=info", "--fail-on", "warning"], 0),
    ('fail-on = "info"\n[severity]\nS104 = "info"\n', [], 1),
    # a key written after [severity] belongs to that table (TOML): reported, not ignored
    ('[severity]\nS104 = "info"\nfail-on = "info"\n', [], 2),
])
def test_precedence_of_the_exit_code(tmp_path, config, args, exit_code):
    write(tmp_path / "xxgk-lint.toml", config)
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    assert run("check", *args, report)[0] == exit_code


def test_scalars_from_the_command_line_win(tmp_path):
    from xxgk_lint.linter.config import Overrides, Resolver

    write(tmp_path / "xxgk-lint.toml", 'template = "gb2019"\nyear = 2022\nbody-kind = "township"\n'
                                       'fail-on = "info"\n')
    report = str(write(tmp_path / "r.txt", SCAFFOLD))
    registry = load_registry(include_plugins=False)
    file_only = Resolver(registry, Overrides()).settings_for(report)
    assert (file_only.template, file_only.year, file_only.body_kind, file_only.fail_on) == (
        "gb2019", 2022, "township", "info")
    both = Resolver(registry, Overrides(template="gb2021", year=2023, body_kind="government",
                                        fail_on="error")).settings_for(report)
    assert (both.template, both.year, both.body_kind, both.fail_on) == ("gb2021", 2023, "government", "error")
    isolated = Resolver(registry, Overrides(), isolated=True).settings_for(report)
    assert (isolated.template, isolated.year, isolated.body_kind, isolated.fail_on) == ("auto", None, None, "error")


def test_show_settings_names_the_file_and_the_merged_settings(tmp_path, monkeypatch):
    write(tmp_path / "xxgk-lint.toml", 'ignore = ["N104"]\nfail-on = "warning"\n[severity]\nS104 = "info"\n')
    write(tmp_path / "reports" / "r.txt", WRONG_TITLE)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", "--show-settings", "--ignore", "P", "--fail-on", "error", "--severity", "S101=info",
                       "reports/r.txt")
    assert code == 0
    head, body = out.split("{", 1)
    assert f"配置文件：{tmp_path / 'xxgk-lint.toml'}" in head and "适用于：reports/r.txt" in head
    data = json.loads("{" + body)
    assert data["config"] == str(tmp_path / "xxgk-lint.toml")
    assert data["ignore"] == ["N104", "P"] and data["fail-on"] == "error"
    assert data["severity"] == {"S104": "info", "S101": "info"}
    assert "S104" in data["rules"] and not any(c.startswith(("P", "N104")) for c in data["rules"])
    code, out, _ = run("check", "--show-settings", "--isolated", "reports/r.txt")
    assert "（未找到配置文件，使用默认设置）" in out


def test_per_file_ignores_and_exclude_globs_from_a_subdirectory(tmp_path, monkeypatch):
    """Globs are relative to the configuration's directory, wherever xxgk-lint runs."""
    write(tmp_path / "xxgk-lint.toml", '[per-file-ignores]\n"./reports/2018/" = ["S104"]\n"草稿" = ["S"]\n'
                                       '\n')
    old = write(tmp_path / "reports" / "2018" / "r.txt", WRONG_TITLE)
    draft = write(tmp_path / "reports" / "草稿" / "2023" / "r.txt", WRONG_TITLE)
    new = write(tmp_path / "reports" / "2023" / "r.txt", WRONG_TITLE)
    monkeypatch.chdir(tmp_path / "reports")
    assert check_json("2018/r.txt")[1] == []  # a leading ./ and a trailing / are fine
    assert check_json("草稿/2023/r.txt")[1] == []  # a name without / matches a directory at any depth
    assert check_json("2023/r.txt")[1] == ["S104"]
    assert check_json(old, draft, new)[1] == ["S104"]


def test_a_file_named_and_found_in_a_named_folder_is_checked_once(tmp_path, monkeypatch):
    write(tmp_path / "reports" / "r.txt", WRONG_TITLE)
    monkeypatch.chdir(tmp_path)
    assert check_json("reports/r.txt", "reports/", "./reports/r.txt")[1] == ["S104"]
