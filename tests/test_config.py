"""Configuration: discovery (nearest wins), precedence (command line beats the
file), per-file ignores, severities, exclude, and loud failure on bad files."""

import json

import pytest

from clihelp import SCAFFOLD, WRONG_TITLE, run, write
from xxgk_lint.linter.config import glob_matches
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import check_file


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
])
def test_globs(tmp_path, pattern, path, expected):
    assert glob_matches(pattern, str(tmp_path / path), str(tmp_path)) is expected


def test_globs_do_not_reach_outside_their_base(tmp_path):
    assert not glob_matches("**/*.txt", str(tmp_path / "r.txt"), str(tmp_path / "sub"))
