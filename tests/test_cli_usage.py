"""What drafters and CI users trip on (issue 15) and hostile inputs of the run
itself (issue 13): time limits, special files, paths, exit codes, stdin,
progress and summary, help and parse output.  Each test failed before."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from clihelp import FIXTURES, SCAFFOLD, WRONG_TITLE, run, write
from xxgk_lint.linter import batch, cli
from xxgk_lint.linter.registry import Rule, load_registry
from xxgk_lint.linter.runner import Settings, check_file

REGISTRY = load_registry(include_plugins=False)


def _cli(*args, input=None, cwd=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "xxgk_lint", *map(str, args)], capture_output=True, input=input,
                          cwd=cwd, timeout=timeout)


# ---------------------------------------------------------------- issue 13, point 3: time limits

def _endless(report):
    while True:  # a rule (or a reader) that never ends
        pass


def test_a_file_over_the_time_limit_is_stopped_with_a_finding(tmp_path):
    path = write(tmp_path / "r.txt", SCAFFOLD)
    slow = Rule("Z999", "endless", REGISTRY.rules["S104"].severity, _endless, "", "builtin")
    started = time.monotonic()
    result = check_file(str(path), REGISTRY, [slow], Settings(), timeout=0.5)
    assert time.monotonic() - started < 5
    assert [d.code for d in result.diagnostics] == ["E013"]
    assert "0.5 秒" in result.diagnostics[0].message and result.diagnostics[0].data["limit_seconds"] == 0.5


def test_batch_goes_on_after_a_file_over_the_time_limit(tmp_path, monkeypatch):
    from xxgk_lint.linter import readers

    slow = write(tmp_path / "slow.txt", SCAFFOLD)
    other = write(tmp_path / "other.txt", WRONG_TITLE)
    real_read = readers.read

    def read(path):
        if path.endswith("slow.txt"):
            time.sleep(3600)  # a blocking call: interrupted too
        return real_read(path)

    monkeypatch.setattr(readers, "read", read)
    settings = Settings()
    started = time.monotonic()
    results = batch.run([(str(slow), settings), (str(other), settings)], REGISTRY, jobs=1, timeout=1)
    assert time.monotonic() - started < 10
    assert [[d.code for d in r.diagnostics] for r in results] == [["E013"], ["S104"]]


def test_timeout_option(tmp_path):
    path = write(tmp_path / "r.txt", SCAFFOLD)
    assert run("check", "--timeout", "30", path)[0] == 0
    code, _, err = run("check", "--timeout", "-1", path)
    assert code == 2 and "--timeout" in err


def test_huge_suppression_comments_are_fast_and_bounded(tmp_path):
    """265 comments of 500 selectors took 16 s and gave 92 MB of JSON."""
    codes = ",".join(f"A{100 + i % 300}" for i in range(500))
    lines = SCAFFOLD.splitlines()
    text = "\n".join(line + (f"<!-- xxgk-lint: noqa={codes} -->" if n < 265 else "") for n, line in enumerate(lines))
    path = write(tmp_path / "r.txt", text)
    started = time.monotonic()
    code, out, _ = run("check", "--format", "json", "--no-cache", path)
    assert time.monotonic() - started < 10
    items = json.loads(out)
    assert len(out) < 1_000_000 and len(items) <= 300
    assert {i["code"] for i in items} <= {"U101", "A101", "A102", "A103", "A104", "A105", "A106", "A107"}
    assert any("过长" in i["message"] for i in items if i["code"] == "U101")


def test_ruff_style_noqa_codes(tmp_path):
    line = "五、存在的问题及改进情况"
    for comment in ("<!-- xxgk-lint: noqa: S104 -->", "<!-- xxgk-lint: noqa:S104 -->",
                    "<!-- xxgk-lint: noqa S104 -->", "<!-- xxgk-lint: noqa=S104 -->"):
        path = write(tmp_path / "r.txt", WRONG_TITLE.replace(line, line + comment))
        code, out, _ = run("check", "--format", "json", "--no-cache", path)
        assert json.loads(out) == [], comment


# ---------------------------------------------------------------- issue 13, point 4: special files

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_device_links_in_a_folder_are_e_findings(tmp_path):
    folder = tmp_path / "reports"
    write(folder / "good.txt", SCAFFOLD)
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    proc = _cli("check", "--format", "json", "--no-cache", folder, timeout=60)
    items = json.loads(proc.stdout)
    assert proc.returncode == 2
    found = {os.path.basename(i["path"]): (i["code"], i["message"]) for i in items}
    assert found["pipe.txt"][0] == "E001" and "FIFO" in found["pipe.txt"][1]
    assert found["zero.txt"][0] == "E001" and "字符设备" in found["zero.txt"][1]
    assert "good.txt" not in found


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_parse_refuses_a_fifo_and_a_device_link(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    for name, kind in (("pipe.txt", "FIFO"), ("zero.txt", "字符设备")):
        proc = _cli("parse", tmp_path / name, timeout=30)
        err = proc.stderr.decode("utf-8")
        assert proc.returncode == 2 and "E001" in err and kind in err and "Traceback" not in err


def test_parse_stops_at_its_time_limit(tmp_path):
    # 40,000 digits in a row read as a table: slow enough to pass a 0.01 s limit
    path = write(tmp_path / "r.txt", SCAFFOLD + "\n" + "1" * 40000 + "\n")
    proc = _cli("parse", "--timeout", "0.01", path, timeout=60)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and "E013" in err and "0.01 秒" in err and "Traceback" not in err


def test_an_unlistable_subfolder_is_not_skipped_silently(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    write(folder / "good.txt", SCAFFOLD)
    write(folder / "locked" / "hidden.txt", SCAFFOLD)
    locked = str(folder / "locked")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)  # as root, mode 000 does not stop listing
    code, out, _ = run("check", "--format", "json", "--no-cache", folder)
    items = json.loads(out)
    assert code == 2 and [(os.path.basename(i["path"]), i["code"]) for i in items] == [("locked", "E001")]
    assert "无法列出" in items[0]["message"]


def test_an_unreadable_file_is_a_clear_e001(tmp_path, monkeypatch):
    from xxgk_lint.linter import readers

    path = write(tmp_path / "r.txt", SCAFFOLD)

    def read(p):
        raise PermissionError(13, "Permission denied", p)

    monkeypatch.setattr(readers, "read", read)
    result = check_file(str(path), REGISTRY, [], Settings())
    assert [d.code for d in result.diagnostics] == ["E001"] and "权限" in result.diagnostics[0].message


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root reads mode 000 files")
def test_mode_000_file(tmp_path):
    path = write(tmp_path / "r.txt", SCAFFOLD)
    path.chmod(0)
    try:
        code, out, _ = run("check", "--format", "json", "--no-cache", path)
    finally:
        path.chmod(0o644)
    assert code == 2 and [i["code"] for i in json.loads(out)] == ["E001"]


# ---------------------------------------------------------------- issue 15, points 1 and 2

def test_missing_path_and_empty_folder_are_usage_errors(tmp_path):
    code, out, err = run("check", tmp_path / "报告文件夹")
    assert code == 2 and "报告文件夹" in err and "不存在" in err
    (tmp_path / "empty").mkdir()
    code, out, err = run("check", tmp_path / "empty")
    assert code == 2 and "没有找到要检查的报告文件" in err


def test_files_all_excluded_on_purpose_pass(tmp_path, monkeypatch):
    write(tmp_path / "xxgk-lint.toml", 'exclude = ["drafts/"]\n')
    draft = write(tmp_path / "drafts" / "r.txt", WRONG_TITLE)
    monkeypatch.chdir(tmp_path)
    code, _, err = run("check", "--force-exclude", "drafts/r.txt")
    assert code == 0 and "排除" in err
    assert draft.exists()


def test_summary_and_progress_on_a_terminal_whatever_the_format(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", WRONG_TITLE)
    write(tmp_path / "b.txt", SCAFFOLD)
    monkeypatch.setattr(cli, "_stderr_is_terminal", lambda: True)
    code, out, err = run("check", tmp_path, "--format", "csv", "-o", tmp_path / "结果.csv", "--no-cache")
    assert out == "" and "汇总：检查了 2 个文件" in err
    code, out, err = run("check", tmp_path, "--format", "csv", "-o", tmp_path / "结果.csv", "--no-cache", "-q")
    assert err == ""
    code, out, err = run("check", tmp_path, "--no-cache", "-q")
    assert "汇总" not in out + err and "S104" in out


# ---------------------------------------------------------------- issue 15, point 7: E findings are findings

def test_e_findings_can_be_ignored_and_exit_zero(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # per-file-ignores globs are relative to it
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    sheet = tmp_path / "表.xlsx"
    sheet.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    assert run("check", report, sheet)[0] == 2
    assert run("check", "--exit-zero", report, sheet)[0] == 0
    code, out, _ = run("check", "--format", "json", "--ignore", "E003", report, sheet)
    assert code == 0 and [i["code"] for i in json.loads(out)] == ["S104"]
    code, out, _ = run("check", "--format", "json", "--per-file-ignores", "*.xlsx:E003", report, sheet)
    assert code == 0 and [i["code"] for i in json.loads(out)] == ["S104"]
    # selecting other rules does not hide an unreadable file
    assert run("check", "--select", "S", report, sheet)[0] == 2


# ---------------------------------------------------------------- issue 15, point 9: stdin, .gitignore

def test_standard_input(tmp_path):
    write(tmp_path / "xxgk-lint.toml", 'ignore = ["S104"]\n')
    proc = _cli("check", "--format", "concise", "--no-cache", "-", "--stdin-filename", "报告.txt",
                input=WRONG_TITLE.encode("utf-8"))
    assert proc.returncode == 0 and "报告.txt:68:1: S104" in proc.stdout.decode("utf-8")
    # the configuration of the named file applies
    proc = _cli("check", "--format", "json", "--no-cache", "-", "--stdin-filename", tmp_path / "r.txt",
                input=WRONG_TITLE.encode("utf-8"))
    assert json.loads(proc.stdout) == []
    # --stdin-filename alone: standard input is the report
    proc = _cli("check", "--format", "json", "--no-cache", "--stdin-filename", "报告.txt",
                input=WRONG_TITLE.encode("utf-8"))
    assert [(i["path"], i["code"]) for i in json.loads(proc.stdout)] == [("报告.txt", "S104")]
    # without a name: a text report shown as "-"
    proc = _cli("check", "--format", "json", "--no-cache", "-", input=WRONG_TITLE.encode("utf-8"))
    assert [(i["path"], i["code"]) for i in json.loads(proc.stdout)] == [("-", "S104")]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not available")
def test_gitignore_is_honoured_when_walking_folders(tmp_path):
    repo = tmp_path / "repo"
    write(repo / "reports" / "r.txt", SCAFFOLD)
    write(repo / "build" / "copy.txt", WRONG_TITLE)
    write(repo / ".gitignore", "build/\n")
    subprocess.run(["git", "init", "-q", str(repo)], check=True, capture_output=True)
    code, out, _ = run("check", "--format", "json", "--no-cache", repo)
    assert code == 0 and json.loads(out) == []
    # named on the command line, an ignored file is checked
    code, out, _ = run("check", "--format", "json", "--no-cache", repo / "build" / "copy.txt")
    assert [i["code"] for i in json.loads(out)] == ["S104"]


# ---------------------------------------------------------------- issue 15, point 6: --previous folder

def test_previous_folder_picks_last_years_report_of_the_agency(tmp_path):
    archive = tmp_path / "往年"
    archive.mkdir()
    shutil.copy(FIXTURES / "rule-example-scaffold-2022.txt", archive / "2022.txt")
    write(archive / "other.txt", SCAFFOLD.replace("示例市示例局", "另一市另一局"))
    this_year = write(tmp_path / "2023.txt", SCAFFOLD.replace("二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0", "二、上年结转政府信息公开申请数量 5 0 0 0 0 0 5"))
    code, out, err = run("check", "--format", "json", "--no-cache", "--select", "X", "--previous", archive, this_year)
    assert code in (0, 1), err
    items = json.loads(out)
    assert items and {i["code"] for i in items} <= {"X101"} and "2022.txt" in json.dumps(items, ensure_ascii=False)


# ---------------------------------------------------------------- issue 15, points 5 and 11

def test_p201_names_the_configuration_key():
    from test_rules_periods import run as run_rule, text

    import tempfile
    import pathlib

    body = text(signature="2023年3月5日").replace("银川市某某局", "某某经济开发区")  # 开发区: the kind is not guessed
    with tempfile.TemporaryDirectory() as folder:
        _, found = run_rule(pathlib.Path(folder), body)
    (p201,) = [d for d in found if d.code == "P201"]
    assert "body-kind" in p201.message and "body_kind" not in p201.message
    assert "body-kind" in p201.message_en


def test_parse_output_is_not_cut_when_piped():
    proc = _cli("parse", FIXTURES / "rule-example-scaffold.txt")
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0
    assert "一、本年新收政府信息公开申请数量" in out and "社会公益组织" in out and "法律服务机构" in out


def test_help_is_chinese():
    for args in (["--help"], ["check", "--help"], ["parse", "--help"], ["rules", "--help"]):
        code, out, _ = run(*args)
        assert code == 0
        for english in ("Usage:", "Options", "Show this message", "[OPTIONS]", "default:", "TEXT", "INTEGER"):
            assert english not in out, (args, english)
    code, out, _ = run("check", "--lang", "en", "--help")
    assert "Usage:" in out and "Show this message and exit." in out
    code, _, err = run("check", "--format", "xml")
    assert code == 2 and "错误" in err and "Error" not in err


# ---------------------------------------------------------------- a worker stuck where SIGALRM cannot reach

STUCK = '''
import signal, time
import xxgk_lint.linter.readers as readers

_read = readers.read


def read(path):
    if path.endswith("stuck.txt"):  # like C code that never returns to Python: the alarm is not handled
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    return _read(path)


readers.read = read
'''


@pytest.mark.skipif(not hasattr(__import__("signal"), "pthread_sigmask"), reason="POSIX only")
def test_a_worker_stuck_past_the_limit_is_ended_and_the_others_go_on(tmp_path):
    """The time limit really stops the work: a worker process that does not
    return is ended (its own watchdog), its files are checked again one per
    process, and the stuck one is an E013 finding."""
    hooks = tmp_path / "hooks"
    write(hooks / "sitecustomize.py", STUCK)  # loaded by every worker process too
    folder = tmp_path / "reports"
    write(folder / "a.txt", WRONG_TITLE)
    write(folder / "b.txt", SCAFFOLD)
    write(folder / "stuck.txt", SCAFFOLD)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")])}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", "--format", "json", "--no-cache", "-j", "2",
                           "--timeout", "3", str(folder)], capture_output=True, env=env, timeout=120)
    assert time.monotonic() - started < 60
    items = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert sorted((os.path.basename(i["path"]), i["code"]) for i in items) == [("a.txt", "S104"),
                                                                                 ("stuck.txt", "E013")]
    assert "3 秒" in [i for i in items if i["code"] == "E013"][0]["message"]


def test_running_without_the_dependencies_says_what_to_install(monkeypatch, capsys):
    """`python -m xxgk_lint` from a checkout whose dependencies were never installed: a message
    naming them and README's install command, exit 2 -- not a traceback from a lazy import."""
    import importlib.util
    import runpy

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "lark" else real(name, *a))
    with pytest.raises(SystemExit) as stop:
        runpy.run_module("xxgk_lint", run_name="__main__")
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "缺少依赖包 lark" in err and ".venv/bin/pip install ." in err


def _out_of_memory(report):
    raise MemoryError


def test_memory_running_out_in_a_rule_is_recorded_as_such(tmp_path):
    """E009 says whether it was a bug or the memory running out (the web page answers the latter
    as its memory limit, by this field, not by the message's wording)."""
    path = write(tmp_path / "r.txt", SCAFFOLD)
    greedy = Rule("Z998", "greedy", REGISTRY.rules["S104"].severity, _out_of_memory, "", "builtin")
    (diag,) = check_file(str(path), REGISTRY, [greedy], Settings()).diagnostics
    assert diag.code == "E009" and diag.data == {"reason": "memory", "exception": "MemoryError"}
