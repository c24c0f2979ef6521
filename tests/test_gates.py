"""The lint gates (ruff: pyflakes, bugbear, complexity; mypy on the model, the registry and
the rules) run with the test suite, so README's test command enforces them as .ci/run does.
They skip only where the tools are not installed (``pip install -e ".[test]"`` installs them)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

needs_ruff = pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed")
needs_mypy = pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def _config() -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@needs_ruff
def test_ruff_finds_nothing():
    proc = _run("ruff", "check", "--no-cache", "xxgk_lint", "tests", "bench")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_mypy
def test_mypy_finds_nothing_in_the_model_registry_and_rules():
    proc = _run("mypy")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success" in proc.stdout


@needs_ruff
def test_ruff_configuration_catches_each_kind_of_finding():
    """The gate is not empty: the project's configuration, on a module of the package, reports
    an unused import (pyflakes), a mutable default (bugbear) and a function over the limit."""
    branches = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(13))
    probe = f"import os\n\n\ndef f(x, seen=[]):\n{branches}    return seen\n"
    proc = _run("ruff", "check", "--no-cache", "--output-format", "concise",
                "--stdin-filename", "xxgk_lint/linter/gate_probe.py", "-", stdin=probe)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for code in ("F401", "B006", "C901"):
        assert code in proc.stdout, (code, proc.stdout)


@needs_mypy
def test_mypy_configuration_reports_a_type_error(tmp_path):
    probe = tmp_path / "gate_probe.py"
    probe.write_text("def f(x: int | None) -> int:\n    return x + 1\n", encoding="utf-8")
    proc = _run("mypy", "--no-incremental", str(probe))
    assert proc.returncode == 1 and "[operator]" in proc.stdout, proc.stdout + proc.stderr


def test_gate_configuration_covers_model_registry_and_rules_without_blanket_ignores():
    config = _config()["tool"]
    files = config["mypy"]["files"]
    assert {"xxgk_lint/linter/model*", "xxgk_lint/linter/registry.py", "xxgk_lint/rules"} <= set(files)
    assert not config["mypy"].get("ignore_errors")
    for override in config["mypy"].get("overrides", []):
        assert not override.get("ignore_errors"), override  # name the error codes instead
    lint = config["ruff"]["lint"]
    assert {"F", "B", "C90"} <= set(lint["select"])
    assert lint["mccabe"]["max-complexity"] <= 12
