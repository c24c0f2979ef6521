"""The pre-commit hook, run through pre-commit itself on a throw-away report
repository with a failing and a passing report: once as a local hook with the
installed xxgk-lint, and once installed by pre-commit from a snapshot of this
working tree (``language: python``, a fresh virtualenv, dependencies from the
package index) exactly as users get it.

Nothing of the developer's is used: pre-commit's store, pip's cache,
virtualenv's app data and git's global configuration are throw-away
directories of the test.  Needs git and the package index (as CI has)."""

import os
import pathlib
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest
import yaml

from clihelp import FIXTURES, SCAFFOLD, write

ROOT = pathlib.Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
# pre-commit builds the hook's virtualenv and pip-installs xxgk-lint and its
# dependencies; about 30-60 s with a cold cache.  The limit only stops a hung run.
INSTALL_TIMEOUT = 420


def _pre_commit() -> list[str]:
    """The pre-commit command (pre-commit is in the "test" extra)."""
    if shutil.which("git") is None:
        pytest.skip("git is not available")
    probe = subprocess.run([sys.executable, "-m", "pre_commit", "--version"], capture_output=True, text=True,
                           timeout=120)
    if probe.returncode != 0:
        pytest.fail('pre-commit is not installed: python -m pip install ".[test]"\n' + probe.stderr[-500:])
    return [sys.executable, "-m", "pre_commit"]


def _env(tmp_path: pathlib.Path) -> dict[str, str]:
    """The environment for git and pre-commit: no cache or configuration of the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    scratch = tmp_path / "home"
    env.update({
        "PRE_COMMIT_HOME": str(scratch / "pre-commit"),
        "PIP_CACHE_DIR": str(scratch / "pip-cache"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_DEFAULT_TIMEOUT": env.get("PIP_DEFAULT_TIMEOUT", "60"),
        "PIP_RETRIES": "5",
        "VIRTUALENV_OVERRIDE_APP_DATA": str(scratch / "virtualenv"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        # the local hook (language: system) finds the xxgk-lint installed with this Python
        "PATH": os.pathsep.join([sysconfig.get_path("scripts"), env.get("PATH", "")]),
    })
    return env


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
    # a report repository's own notes are not reports
    exclude = re.compile(hook["exclude"])
    for name in ("README.md", "docs/README.txt", "LICENSE.txt", "CHANGELOG.md", ".github/pull_request_template.md"):
        assert exclude.search(name), name
    for name in ("reports/2023.txt", "reports/readme-2023.txt", "报告/某局2023年年度报告.docx", "licensed.txt"):
        assert not exclude.search(name), name
    # one run for all files: consecutive years of one agency are paired within a run
    assert hook["require_serial"] is True


def _git(repo, *args):
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo, check=True, capture_output=True,
                   env=_env(repo.parent), timeout=120)


def _report_repo(tmp_path, config: str) -> pathlib.Path:
    repo = tmp_path / "reports"
    write(repo / "good" / "2023.txt", SCAFFOLD)
    write(repo / "bad" / "2023.txt", SCAFFOLD.replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 4 0 0 0 0 0 4"))
    write(repo / ".pre-commit-config.yaml", config)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


def _run(pre_commit, repo, *args, timeout=300):
    try:
        return subprocess.run([*pre_commit, *args], cwd=repo, capture_output=True, text=True, encoding="utf-8",
                              env=_env(repo.parent), timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"pre-commit {' '.join(args)} did not finish in {timeout} s:\n{exc.stdout}\n{exc.stderr}")


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


def test_local_hook_compares_with_last_years_report_in_the_repository(tmp_path):
    """Issue 15, point 6: a report copied whole from last year (only the
    years changed) passed the hook; now it is compared with last year's
    report already in the repository and fails."""
    pre_commit = _pre_commit()
    (hook,) = HOOKS
    local = {**hook, "language": "system"}
    local.pop("minimum_pre_commit_version")
    config = yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, allow_unicode=True)
    repo = tmp_path / "reports"
    last_year = (FIXTURES / "rule-example-scaffold-2022.txt").read_text(encoding="utf-8")
    write(repo / "2022" / "报告.txt", last_year)
    write(repo / ".pre-commit-config.yaml", config)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "2022", "--no-verify")
    write(repo / "2023" / "报告.txt", last_year.replace("2023年1月18日", "2024年1月18日").replace("2022", "2023"))
    _git(repo, "add", ".")
    proc = _run(pre_commit, repo, "run", "--files", "2023/报告.txt")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "X102 [错误]" in proc.stdout and "2022/报告.txt" in proc.stdout
    # this year's own report (the example report, written for 2023) passes
    write(repo / "2023" / "报告.txt", SCAFFOLD)
    _git(repo, "add", ".")
    proc = _run(pre_commit, repo, "run", "--files", "2023/报告.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr


_SNAPSHOT_IGNORE = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis",
                                         "build", "dist", ".venv", ".xxgk-lint_cache")


def _snapshot(dest: pathlib.Path) -> None:
    """This working tree as it is (committed or not), without what git ignores."""
    listed = None
    if (ROOT / ".git").exists():
        proc = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                              capture_output=True, timeout=120)
        if proc.returncode == 0:
            listed = [name for name in proc.stdout.decode("utf-8").split("\0") if name]
    if listed is None:  # not a git checkout (an unpacked archive)
        shutil.copytree(ROOT, dest, ignore=_SNAPSHOT_IGNORE)
        return
    for name in listed:
        source = ROOT / name
        if source.is_file():  # a file deleted from the working tree is still listed
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def _guide_config(repo_url: str, rev: str) -> str:
    """The .pre-commit-config.yaml of docs/guide.md, pointing at ``repo_url``."""
    text = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    (config,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "repos:" in b]
    data = yaml.safe_load(config)
    assert data["repos"][0]["hooks"][0]["id"] == "xxgk-lint"
    data["repos"][0].update(repo=repo_url, rev=rev)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_hook_from_this_repository_with_language_python(tmp_path):
    """The configuration of docs/guide.md with ``repo:`` a snapshot of this
    working tree: pre-commit builds a real ``language: python`` hook (its own
    virtualenv, xxgk-lint and its dependencies installed by pip), as users get
    it; then ``pre-commit install`` makes ``git commit`` refuse the failing report."""
    pre_commit = _pre_commit()
    snapshot = tmp_path / "xxgk-lint"
    _snapshot(snapshot)
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", ".")
    _git(snapshot, "commit", "-q", "-m", "snapshot")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=snapshot, capture_output=True, text=True, check=True,
                         env=_env(tmp_path), timeout=60).stdout.strip()
    repo = tmp_path / "report-repo"
    write(repo / "reports" / "good" / "2023.txt", SCAFFOLD)
    write(repo / "reports" / "bad" / "2023.txt", SCAFFOLD.replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 4 0 0 0 0 0 4"))
    write(repo / "reports" / "README.md", "# 本目录存放年度报告\n")  # not a report: the hook's exclude skips it
    write(repo / ".pre-commit-config.yaml", _guide_config(str(snapshot), rev))
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    proc = _run(pre_commit, repo, "run", "--all-files", timeout=INSTALL_TIMEOUT)  # builds the hook's environment
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "reports/bad/2023.txt:" in proc.stdout and "[错误]" in proc.stdout, proc.stdout + proc.stderr
    assert "good/2023.txt" not in proc.stdout and "README.md" not in proc.stdout
    proc = _run(pre_commit, repo, "run", "--files", "reports/good/2023.txt")  # the environment is reused
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # pre-commit install: git commit runs the hook on the staged reports
    proc = _run(pre_commit, repo, "install")
    assert proc.returncode == 0 and (repo / ".git" / "hooks" / "pre-commit").is_file(), proc.stdout + proc.stderr
    _git(repo, "rm", "-q", "--cached", "reports/bad/2023.txt")
    commit = subprocess.run(["git", "commit", "-q", "-m", "good report"], cwd=repo, capture_output=True, text=True,
                            encoding="utf-8", env=_env(tmp_path), timeout=300)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    _git(repo, "add", "reports/bad/2023.txt")
    commit = subprocess.run(["git", "commit", "-q", "-m", "bad report"], cwd=repo, capture_output=True, text=True,
                            encoding="utf-8", env=_env(tmp_path), timeout=300)
    assert commit.returncode != 0 and "reports/bad/2023.txt:" in commit.stdout + commit.stderr, \
        commit.stdout + commit.stderr
