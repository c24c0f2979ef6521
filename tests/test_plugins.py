"""Third-party rule packs (entry-point group ``xxgk_lint.rules``): the example
pack under tests/plugin_example is installed for real (pip, into a temporary
directory put on PYTHONPATH -- the environment itself is not changed), then
selected and ignored by its own prefix; a broken pack is reported and the
run goes on."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from clihelp import SCAFFOLD, write

PLUGIN_SRC = pathlib.Path(__file__).parent / "plugin_example"


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    work = tmp_path_factory.mktemp("plugin")
    src = work / "src"
    shutil.copytree(PLUGIN_SRC, src)  # building writes build/ and *.egg-info next to the sources
    target = work / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                           str(src)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"could not build/install the example plugin with pip: {proc.stderr.strip()[-500:]}")
    assert list(target.glob("xxgk_lint_example_plugin-*.dist-info/entry_points.txt"))
    return target


def lint(pythonpath, *args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(p) for p in pythonpath] + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.run([sys.executable, "-m", "xxgk_lint", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=env)
    return proc.returncode, proc.stdout, proc.stderr


def codes(out):
    return [i["code"] for i in json.loads(out)]


def test_installed_pack_is_listed_but_runs_only_when_selected(plugin_dir, tmp_path):
    report = write(tmp_path / "r.txt", SCAFFOLD)
    code, out, err = lint([plugin_dir], "rules")
    assert "Z101  contact-phone-missing" in out and err == ""
    assert lint([plugin_dir], "check", "--format", "json", report)[1:] == ("[]\n", "")  # not enabled by default
    code, out, _ = lint([plugin_dir], "check", "--format", "json", "--extend-select", "Z", report)
    assert codes(out) == ["Z101"] and json.loads(out)[0]["line"] == 1
    assert codes(lint([plugin_dir], "check", "--format", "json", "--select", "Z101", report)[1]) == ["Z101"]
    assert codes(lint([plugin_dir], "check", "--format", "json", "--select", "contact-phone-missing",
                      report)[1]) == ["Z101"]
    assert codes(lint([plugin_dir], "check", "--format", "json", "--select", "Z", "--ignore", "Z101", report)[1]) == []
    # and from a configuration file, with a severity override
    write(tmp_path / "xxgk-lint.toml", 'extend-select = ["Z"]\n[severity]\nZ101 = "error"\n')
    code, out, _ = lint([plugin_dir], "check", "--format", "json", report)
    assert code == 1 and [(i["code"], i["severity"]) for i in json.loads(out)] == [("Z101", "error")]
    # the pack's rule page comes from the same generator
    code, out, _ = lint([plugin_dir], "rule", "Z101")
    assert out.startswith("# Z101 contact-phone-missing") and "插件 Z" in out


def test_selecting_a_pack_that_is_not_installed_is_an_error(tmp_path):
    report = write(tmp_path / "r.txt", SCAFFOLD)
    code, _, err = lint([], "check", "--select", "Z", report)
    assert code == 2 and "Z" in err


def _fake_dist(root: pathlib.Path, name: str, entry: str) -> None:
    info = root / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[xxgk_lint.rules]\n{entry}\n", encoding="utf-8")


def test_broken_pack_is_reported_and_the_run_goes_on(plugin_dir, tmp_path):
    broken = tmp_path / "broken"
    _fake_dist(broken, "xxgk_lint_broken_pack", "Y = xxgk_lint_no_such_module")
    report = write(tmp_path / "r.txt", SCAFFOLD.replace("五、存在的主要问题及改进情况", "五、存在的问题及改进情况"))
    code, out, err = lint([broken, plugin_dir], "check", "--format", "json", "--extend-select", "Z", report)
    assert "规则插件“Y”（xxgk_lint_no_such_module）加载失败：ModuleNotFoundError" in err
    assert sorted(codes(out)) == ["S104", "Z101"]  # built-in rules and the healthy pack still ran
    assert code == 0  # the broken pack does not change the exit code (S104 and Z101 are warnings)
