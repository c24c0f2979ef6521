"""The pre-commit hook, run through pre-commit itself on a throw-away report
repository with a failing and a passing report."""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from clihelp import SCAFFOLD, write

ROOT = pathlib.Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def _pre_commit() -> list[str]:
    """The pre-commit command, installing it with pip when it is missing."""
    probe = subprocess.run([sys.executable, "-m", "pre_commit", "--version"], capture_output=True, text=True)
    if probe.returncode != 0:
        install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pre-commit"],
                                 capture_output=True, text=True)
        if install.returncode != 0:
            pytest.skip(f"pre-commit is not installed and could not be installed: {install.stderr.strip()[-300:]}")
    if shutil.which("git") is None:
        pytest.skip("git is not available")
    return [sys.executable, "-m", "pre_commit"]


def test_hook_definition():
    (hook,) = HOOKS
    assert hook["id"] == "xxgk-lint" and hook["language"] == "python"
    assert hook["entry"].startswith("xxgk-lint check") and "--force-exclude" in hook["entry"]
    files = re.compile(hook["files"])
    for name in ("a.txt", "b.md", "报告.DOCX", "c.pdf", "d.html", "e.htm", "f.doc", "g.wps", "h.odt", "i.ofd"):
        assert files.search(name), name
    for name in ("a.py", "b.xlsx", "docx", "report.pdf.bak"):
        assert not files.search(name), name
    from xxgk_lint.linter.readers import supported_extensions

    assert all(files.search("x" + ext) for ext in supported_extensions())


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def _report_repo(tmp_path, config: str) -> pathlib.Path:
    repo = tmp_path / "reports"
    write(repo / "good" / "2023.txt", SCAFFOLD)
    write(repo / "bad" / "2023.txt", SCAFFOLD.replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 4 0 0 0 0 0 4"))
    write(repo / ".pre-commit-config.yaml", config)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


def _run(pre_commit, repo, *args):
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "cache")}
    return subprocess.run([*pre_commit, *args], cwd=repo, capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=600)


def test_local_hook_fails_on_the_bad_report_only(tmp_path):
    """The hook as defined in .pre-commit-hooks.yaml, run with the installed
    xxgk-lint (``language: system``) so the test does not build a virtualenv."""
    pre_commit = _pre_commit()
    (hook,) = HOOKS
    local = {**hook, "language": "system"}
    local.pop("minimum_pre_commit_version")
    config = yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, allow_unicode=True)
    repo = _report_repo(tmp_path, config)
    proc = _run(pre_commit, repo, "run", "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "bad/2023.txt:" in proc.stdout and "[错误]" in proc.stdout
    assert "good/2023.txt" not in proc.stdout
    # only the good report: passes
    proc = _run(pre_commit, repo, "run", "--files", "good/2023.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # exclusions in the repository's configuration apply to the files pre-commit names (--force-exclude)
    write(repo / "xxgk-lint.toml", 'exclude = ["bad/"]\n')
    _git(repo, "add", ".")
    proc = _run(pre_commit, repo, "run", "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(os.environ.get("XXGK_LINT_SLOW_TESTS") != "1",
                    reason="builds a virtualenv and installs xxgk-lint into it (~1 min); set XXGK_LINT_SLOW_TESTS=1")
def test_hook_from_this_repository_with_language_python(tmp_path):
    """``pre-commit try-repo`` installs a snapshot of this working tree as a
    real ``language: python`` hook, as users get it."""
    pre_commit = _pre_commit()
    snapshot = tmp_path / "xxgk-lint"
    shutil.copytree(ROOT, snapshot, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis", "build", ".venv"))
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", ".")
    _git(snapshot, "commit", "-q", "-m", "snapshot")
    repo = _report_repo(tmp_path, "repos: []\n")
    proc = _run(pre_commit, repo, "try-repo", str(snapshot), "xxgk-lint", "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "bad/2023.txt:" in proc.stdout and "good/2023.txt" not in proc.stdout
