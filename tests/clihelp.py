"""Running the CLI in-process for tests."""

from __future__ import annotations

import pathlib

from click.testing import CliRunner

from xxgk_lint.linter.cli import main

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
SCAFFOLD = (FIXTURES / "rule-example-scaffold.txt").read_text(encoding="utf-8")
# a scaffold with a wrong section title: S104 (warning) on line 68
WRONG_TITLE = SCAFFOLD.replace("五、存在的主要问题及改进情况", "五、存在的问题及改进情况")


def run(*args: str):
    """(exit code, stdout, stderr) of ``xxgk-lint ARGS``."""
    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1
    except TypeError:
        runner = CliRunner()  # click >= 8.2 keeps stderr apart by default
    result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write(path: pathlib.Path, text: str) -> pathlib.Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def unreadable(path: pathlib.Path) -> pathlib.Path:
    """An entry that exists but cannot be read (a link to nowhere): E001.
    (A path that does not exist at all is a usage error, not a finding.)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(path.parent / "nowhere-這裡沒有")
    return path
