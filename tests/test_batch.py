"""Checking many files: --jobs, the summary, csv output, no progress bar off a terminal."""

import csv
import io
import json
import shutil

from clihelp import run
from conftest import PINGTAN, SEEDS


def _tree(tmp_path):
    """The seeds and the real series in two sub-directories (14 reports)."""
    for sub, files in (("seeds", SEEDS), ("real", PINGTAN)):
        (tmp_path / sub).mkdir(parents=True)
        for f in files:
            shutil.copy(f, tmp_path / sub / f.name)
    return tmp_path


def test_jobs_2_gives_the_same_findings_as_jobs_1(tmp_path):
    tree = _tree(tmp_path / "tree")
    one = run("check", tree, "--format", "json", "--no-cache", "--jobs", "1")
    two = run("check", tree, "--format", "json", "--no-cache", "--jobs", "2")
    assert one[0] == two[0] == 1
    assert json.loads(one[1]) == json.loads(two[1])
    assert len({item["path"] for item in json.loads(one[1])}) > 5
    # text output (excerpts from the workers' document views) is the same too
    assert run("check", tree, "--no-cache", "-j", "1")[1] == run("check", tree, "--no-cache", "-j", "2")[1]


def test_results_stay_in_input_order(tmp_path):
    tree = _tree(tmp_path / "tree")
    items = json.loads(run("check", tree, "--format", "json", "--no-cache", "-j", "2")[1])
    paths = [item["path"] for item in items]
    order = sorted(set(paths), key=paths.index)
    assert order == sorted(order)  # files in the order they are found (sorted walk)


def test_summary_lists_files_rules_and_worst_files(tmp_path):
    tree = _tree(tmp_path / "tree")
    code, out, _ = run("check", tree, "--no-cache")
    items = json.loads(run("check", tree, "--format", "json", "--no-cache")[1])
    errors = {}
    for item in items:
        if item["severity"] == "error":
            errors[item["path"]] = errors.get(item["path"], 0) + 1
    summary = out[out.index("汇总："):]
    assert f"汇总：检查了 14 个文件，{len(errors)} 个文件有错误，共 {len(items)} 个问题（错误 " in summary
    assert "检查了 14 个文件：" not in out  # one summary, not two
    codes = {item["code"] for item in items}
    for code_ in codes:
        n = sum(1 for item in items if item["code"] == code_)
        assert any(line.split()[:2] == [str(n), code_] for line in summary.splitlines()), code_
    worst, n = max(errors.items(), key=lambda kv: (kv[1], [-ord(c) for c in kv[0]]))
    listed = summary[summary.index("错误最多的文件"):].splitlines()[1]
    assert listed.split() == [str(n), worst]


def test_no_summary_for_one_file_or_machine_formats(tmp_path):
    tree = _tree(tmp_path / "tree")
    assert "汇总" not in run("check", SEEDS[0], "--no-cache")[1]
    code, out, err = run("check", tree, "--format", "json", "--no-cache")
    assert "汇总" not in out and "汇总" not in err and err == ""
    # concise keeps stdout one finding per line: the summary goes to stderr
    code, out, err = run("check", tree, "--format", "concise", "--no-cache")
    assert "汇总" not in out and "汇总：检查了 14 个文件" in err


def test_csv_has_one_row_per_finding(tmp_path):
    """Issue 15, point 11: Chinese headers, one plain value per cell (no JSON), BOM."""
    tree = _tree(tmp_path / "tree")
    out_file = tmp_path / "out.csv"
    code, out, _ = run("check", tree, "--format", "csv", "--no-cache", "-o", out_file)
    raw = out_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    items = json.loads(run("check", tree, "--format", "json", "--no-cache")[1])
    assert len(rows) == len(items) > 0
    levels = {"error": "错误", "warning": "警告", "info": "提示"}
    for row, item in zip(rows, items):
        assert row["文件"] == item["path"] and row["代码"] == item["code"] and row["说明"] == item["message"]
        assert int(row["行"]) == item["line"] and int(row["结束列"]) == item["end_column"]
        assert row["级别"] == levels[item["severity"]]
        assert not any(cell.lstrip().startswith(("{", "[")) for cell in row.values())  # no JSON in a cell
        data = item.get("data", {})
        if isinstance(data.get("found"), (str, int)):
            assert row["实际"] == str(data["found"])
    assert any(row["位置"].startswith("第 ") for row in rows)


def test_csv_without_findings_is_the_header(tmp_path):
    code, out, _ = run("check", SEEDS[0], "--format", "csv", "--select", "X", "--no-cache")
    assert out.lstrip("\ufeff").splitlines() == ["文件,行,列,结束行,结束列,代码,规则,级别,说明,位置,应为,实际"]
    code, out, _ = run("check", SEEDS[0], "--format", "csv", "--select", "X", "--no-cache", "--lang", "en")
    assert out.lstrip("\ufeff").splitlines() == [
        "file,line,column,end_line,end_column,code,rule,level,message,location,expected,found"]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    tree = _tree(tmp_path / "tree")
    code, out, err = run("check", tree, "--no-cache", "-j", "2")
    assert "━" not in err and "检查 " not in err


def test_progress_bar_on_a_terminal(tmp_path, monkeypatch):
    from xxgk_lint.linter import cli

    calls = []

    class FakeProgress:
        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def add_task(self, *a, total=None, **k):
            calls.append(("total", total))
            return 0

        def update(self, task, completed=None, total=None):
            calls.append((completed, total))

    import rich.progress

    monkeypatch.setattr(rich.progress, "Progress", FakeProgress)
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: True, raising=False)
    files = [(str(p), None) for p in PINGTAN[:3]]
    from xxgk_lint.linter.config import Overrides, Resolver
    from xxgk_lint.linter.registry import load_registry

    registry = load_registry()
    resolver = Resolver(registry, Overrides(), isolated=True)
    files = [(p, resolver.settings_for(p)) for p, _ in files]
    cli._run(files, registry, fmt="json", jobs=1, previous=None, statistics=False, cache_dir=None, timeout=None,
             progress=True)
    assert calls[0] == ("total", 3) and calls[-1][0] == calls[-1][1] >= 3  # whatever the format
    calls.clear()
    cli._run(files, registry, fmt="json", jobs=1, previous=None, statistics=False, cache_dir=None, timeout=None,
             progress=False)
    assert calls == []  # not on a pipe, nor with --quiet
