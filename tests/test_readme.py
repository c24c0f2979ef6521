"""README's quick start works on a fresh Debian/Ubuntu (a virtual environment in the command,
no bare ``python``, no pip on the system Python), is given for Windows too, and .ci/run installs
and tests the project with README's own commands."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _blocks(lang: str) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## 快速开始"):readme.index("## 常用命令")]
    return [b.strip() for b in re.findall(rf"```{lang}\n(.*?)```", quick, re.S)]


def test_posix_commands_create_a_venv_and_never_use_bare_python_or_system_pip():
    setup, tests = _blocks("sh")
    for command in (setup, tests):
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install ")
        assert not re.search(r"(^|[\s;&|])(python|pip)\s", command), command  # Debian has neither name
    assert ".venv/bin/xxgk-lint check examples/" in setup
    assert (ROOT / setup.split("check ")[1].strip()).is_file()
    assert tests.endswith(".venv/bin/python -m pytest") and '".[test]"' in tests


def test_windows_commands_are_given():
    setup, tests = _blocks("powershell")
    assert setup.startswith("py -m venv .venv; .venv\\Scripts\\pip install .;")
    assert ".venv\\Scripts\\xxgk-lint check examples\\" in setup
    assert tests.endswith(".venv\\Scripts\\python -m pytest")


def test_ci_runs_readme_commands_in_a_clean_venv():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in ci.splitlines() if not line.lstrip().startswith("#")]
    setup, tests = _blocks("sh")
    assert any(line.startswith(setup) for line in lines), "the quick start as README gives it"
    assert tests in lines, "README's test command, word for word"
    first_venv = next(i for i, line in enumerate(lines) if "-m venv" in line)
    assert any(line.startswith("rm -rf .venv") for line in lines[:first_venv]), "a clean venv"
    assert "apt-get install" in ci and "chromium" in ci and "libreoffice" in ci
    assert not re.search(r"(^|\s)python -m pip", ci)
