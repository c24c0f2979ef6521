"""The check command as users run it: existing behaviour, exit codes, output file."""

import json
import subprocess
import sys

from clihelp import SCAFFOLD, WRONG_TITLE, run, write
from conftest import SEEDS
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.ruledocs import render_page


def test_seeds_still_check_in_text_and_json():
    code, out, _ = run("check", *SEEDS)
    assert code == 1 and "检查了 5 个文件" in out
    code, out, _ = run("check", "--format", "json", *SEEDS)
    items = json.loads(out)
    assert code == 1 and items
    for item in items:
        assert {"path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message",
                "location"} <= set(item)


def test_module_entry_point_runs(tmp_path):
    path = write(tmp_path / "r.txt", WRONG_TITLE)
    proc = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", "--format", "concise", str(path)],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr  # S104 is a warning; fail-on defaults to error
    assert f"{path}:68:1: S104 [警告]" in proc.stdout


def test_exit_codes(tmp_path):
    good = write(tmp_path / "good.txt", SCAFFOLD)
    warn = write(tmp_path / "warn.txt", WRONG_TITLE)
    assert run("check", good)[0] == 0
    assert run("check", warn)[0] == 0
    assert run("check", "--fail-on", "warning", warn)[0] == 1
    assert run("check", "--fail-on", "warning", "--exit-zero", warn)[0] == 0
    assert run("check", "--severity", "S104=error", warn)[0] == 1
    # a path that does not exist: a usage error naming it (issue 15, point 2)
    code, out, err = run("check", "--format", "concise", tmp_path / "nope.txt", warn)
    assert code == 2 and out == "" and "nope.txt" in err and "不存在" in err
    assert run("check", "--exit-zero", tmp_path / "nope.txt")[0] == 2  # a usage error stays 2
    # an unreadable file: exit 2, and the other file is still checked
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip file")
    code, out, _ = run("check", "--format", "concise", bad, warn)
    assert code == 2 and "E007" in out and "S104" in out
    # unknown rule code on the command line
    code, _, err = run("check", "--select", "Q999", good)
    assert code == 2 and "Q999" in err


def test_output_file_and_alias(tmp_path):
    warn = write(tmp_path / "warn.txt", WRONG_TITLE)
    target = tmp_path / "out" / "result.json"
    target.parent.mkdir()
    code, out, _ = run("check", "--output-format", "json", "--output", target, warn)
    assert code == 0 and out == ""
    assert [i["code"] for i in json.loads(target.read_text(encoding="utf-8"))] == ["S104"]


def test_statistics(tmp_path):
    write(tmp_path / "a.txt", WRONG_TITLE)
    write(tmp_path / "b.txt", WRONG_TITLE)
    write(tmp_path / "c.txt", SCAFFOLD)
    code, out, _ = run("check", "--statistics", tmp_path)
    assert code == 0
    assert out.splitlines()[0].split() == ["2", "S104", "section-title", "warning"]
    code, out, _ = run("check", "--statistics", "--format", "json", tmp_path)
    assert json.loads(out) == [{"code": "S104", "rule": "section-title", "severity": "warning", "count": 2}]


def test_rule_command_prints_the_generated_page():
    code, out, _ = run("rule", "S104")
    assert code == 0
    assert out == render_page(load_registry(include_plugins=False).get("S104"))
    assert run("rule", "section-title")[1] == out
    assert run("rule", "Q999")[0] == 2


def test_default_path_is_current_directory(tmp_path, monkeypatch):
    write(tmp_path / "sub" / "r.txt", WRONG_TITLE)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", "--format", "concise")
    assert code == 0 and "sub/r.txt:68:1: S104" in out.replace("\\", "/")



def test_a_walked_folder_skips_the_repository_own_documents(tmp_path, monkeypatch):
    """README.md and the like in a report repository are no reports; named, they are checked."""
    write(tmp_path / "2023" / "r.txt", WRONG_TITLE)
    write(tmp_path / "README.md", "# 本仓库存放各单位的年度报告\n")
    write(tmp_path / "docs" / "CHANGELOG.txt", "2024-01-20 更新\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", "--format", "concise", ".")
    assert code == 0 and "r.txt:68:1: S104" in out and "README" not in out and "CHANGELOG" not in out
    code, out, _ = run("check", "--format", "concise", "README.md")
    assert code == 1 and "README.md:" in out

# ---- the documentation's examples work as written

import pathlib  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402

import yaml  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _blocks(doc: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", (ROOT / doc).read_text(encoding="utf-8"), re.S)


def test_ci_doc_holds_the_example_workflow_and_its_commands_run(tmp_path, monkeypatch):
    workflow = (ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8")
    assert _blocks("docs/ci.md", "yaml") == [workflow]
    steps = yaml.safe_load(workflow)["jobs"]["xxgk-lint"]["steps"]
    commands = [s["run"] for s in steps if "run" in s and s["run"].startswith("xxgk-lint ")]
    assert len(commands) == 2
    write(tmp_path / "reports" / "2023.txt", WRONG_TITLE.replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 4 0 0 0 0 0 4"))
    monkeypatch.chdir(tmp_path)
    exits = []
    for command in commands:
        args = shlex.split(command.replace("$REPORTS", "reports/"))[1:]
        exits.append(run(*args)[0])
    assert exits == [0, 1]  # SARIF never fails the step; the annotation step fails on the error
    assert json.loads((tmp_path / "xxgk-lint.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_guide_configuration_example_is_valid(tmp_path):
    (toml,) = _blocks("docs/guide.md", "toml")[:1]
    write(tmp_path / "xxgk-lint.toml", toml)
    report = write(tmp_path / "reports" / "2023.txt", WRONG_TITLE)
    code, out, err = run("check", "--show-settings", report)
    assert code == 0, err
    assert '"body-kind": "department"' in out and '"N104"' in out
    code, out, err = run("check", "--format", "json", report)
    assert code == 0 and [(i["code"], i["severity"]) for i in json.loads(out)] == [("S104", "info")]


def test_guide_pre_commit_config_is_valid_yaml():
    (config,) = [b for b in _blocks("docs/guide.md", "yaml") if "repos:" in b]
    hook = yaml.safe_load(config)["repos"][0]["hooks"][0]
    assert hook["id"] == "xxgk-lint"
