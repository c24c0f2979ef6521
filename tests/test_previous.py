"""Checks across years: --previous, and pairing reports of one agency within a run."""

import json
import shutil

import pytest

from clihelp import run
from conftest import PINGTAN

CARRIED = "二、上年结转政府信息公开申请数量0000000"


@pytest.fixture
def series(tmp_path):
    root = tmp_path / "series"
    root.mkdir()
    for f in PINGTAN:
        shutil.copy(f, root / f.name)
    return root


def _x(out: str) -> list[dict]:
    return [i for i in json.loads(out) if i["code"].startswith("X")]


def _change_carried_over(path):
    text = path.read_text(encoding="utf-8")
    assert text.count(CARRIED) == 1
    path.write_text(text.replace(CARRIED, "二、上年结转政府信息公开申请数量1000001"), encoding="utf-8")


def test_unchanged_series_yields_no_cross_year_finding(series):
    code, out, _ = run("check", series, "--format", "json", "--no-cache")
    assert _x(out) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_changed_carry_over_names_both_reports(series, jobs):
    this, last = series / "pingtan-zhsyq-2024.txt", series / "pingtan-zhsyq-2023.txt"
    _change_carried_over(this)
    code, out, _ = run("check", series, "--format", "json", "--no-cache", "-j", jobs)
    found = _x(out)
    assert {i["path"] for i in found} == {str(this)}
    assert {i["code"] for i in found} == {"X101"}
    cells = sorted((c["report"], c["row"], c["column"], c["value"]) for i in found for c in i["data"]["cells"])
    assert cells == [("previous", "r4", "c_natural", "0"), ("previous", "r4", "c_total", "0"),
                     ("this", "r2", "c_natural", "1"), ("this", "r2", "c_total", "1")]
    for item in found:
        assert item["data"]["previous_report"] == str(last)
        assert str(last) in item["message"]
        assert item["data"]["found"] == "1" and item["data"]["expected"] == "0"
        assert item["line"] == 10  # the flattened table line of the 2024 copy


def test_previous_option_for_one_file(series):
    this, last = series / "pingtan-zhsyq-2024.txt", series / "pingtan-zhsyq-2023.txt"
    _change_carried_over(this)
    code, out, _ = run("check", this, "--previous", last, "--format", "json", "--no-cache", "--select", "X")
    found = _x(out)
    assert len(found) == 2 and all(i["data"]["previous_report"] == str(last) for i in found)
    # without --previous the single file has no partner
    assert _x(run("check", this, "--format", "json", "--no-cache")[1]) == []


def test_previous_of_another_year_is_reported(series):
    code, out, _ = run("check", series / "pingtan-zhsyq-2024.txt", "--previous", series / "pingtan-zhsyq-2021.txt",
                       "--format", "json", "--no-cache", "--select", "X103")
    found = _x(out)
    assert [i["code"] for i in found] == ["X103"] and found[0]["data"]["previous_year"] == 2021


def test_previous_needs_a_single_file(series):
    code, out, err = run("check", series, "--previous", series / "pingtan-zhsyq-2023.txt", "--no-cache")
    assert code == 2 and "--previous" in err


def test_two_reports_for_one_year_are_not_paired(series):
    this = series / "pingtan-zhsyq-2024.txt"
    _change_carried_over(this)
    shutil.copy(series / "pingtan-zhsyq-2023.txt", series / "pingtan-zhsyq-2023-copy.txt")
    # which 2023 report is the previous one is unknown: no pairing, no guess
    assert _x(run("check", series, "--format", "json", "--no-cache")[1]) == []


def test_cross_year_results_are_cached_with_the_previous_report(series, tmp_path):
    cache = tmp_path / "cache"
    this, last = series / "pingtan-zhsyq-2024.txt", series / "pingtan-zhsyq-2023.txt"
    _change_carried_over(this)
    first = run("check", series, "--format", "json", "--cache-dir", cache)
    assert len(_x(first[1])) == 2
    assert run("check", series, "--format", "json", "--cache-dir", cache) == first
    # last year's report changes (its carry-over now matches): this year's X finding must go
    text = last.read_text(encoding="utf-8")
    last.write_text(text.replace("结转下年度继续办理0000000", "结转下年度继续办理1000001"), encoding="utf-8")
    after = run("check", series, "--format", "json", "--cache-dir", cache)
    assert [i for i in _x(after[1]) if i["path"] == str(this)] == []
    assert after == run("check", series, "--format", "json", "--no-cache")


def test_several_series_in_the_pool_match_in_process(series, monkeypatch):
    """Two agencies' series are two phase-2 tasks: run in worker processes with
    --jobs 2, the same findings as in this process."""
    for f in PINGTAN:
        text = f.read_text(encoding="utf-8").replace("平潭综合实验区", "福清市人民政府")
        (series / f"other-{f.name}").write_text(text, encoding="utf-8")
    _change_carried_over(series / "other-pingtan-zhsyq-2024.txt")
    _change_carried_over(series / "pingtan-zhsyq-2025.txt")
    from xxgk_lint.linter import batch

    used = []
    real_gather = batch.Batch._gather
    monkeypatch.setattr(batch.Batch, "_gather", lambda self, calls, sizes: used.append(
        [fn.__name__ for fn, _ in calls]) or real_gather(self, calls, sizes))
    pooled = run("check", series, "--format", "json", "--no-cache", "-j", "2")
    assert ["check_series", "check_series"] in used  # both series went to the workers
    assert pooled == run("check", series, "--format", "json", "--no-cache", "-j", "1")
    found = _x(pooled[1])
    assert {(i["path"].rsplit("/", 1)[-1], i["data"]["previous_report"].rsplit("/", 1)[-1]) for i in found} == {
        ("other-pingtan-zhsyq-2024.txt", "other-pingtan-zhsyq-2023.txt"),
        ("pingtan-zhsyq-2025.txt", "pingtan-zhsyq-2024.txt")}
