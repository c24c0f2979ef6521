"""Baselines: accepted findings stay accepted across edits (no line numbers in
the fingerprint); new or changed findings are reported."""

import json

from hypothesis import given, settings, strategies as st

from clihelp import SCAFFOLD, WRONG_TITLE, run, write
from xxgk_lint.linter.baseline import fingerprints
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import Settings, check_file

# S104 (section title) and A-rule errors on table 3's total row
TWO = WRONG_TITLE.replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 4 0 0 0 0 0 4")


def codes(out):
    return sorted(i["code"] for i in json.loads(out))


def test_baseline_round_trip_survives_edits_above(tmp_path):
    report = write(tmp_path / "reports" / "r.txt", TWO)
    baseline = tmp_path / "xxgk-lint-baseline.json"
    before = codes(run("check", "--format", "json", report)[1])
    assert "S104" in before and len(before) >= 2
    code, out, err = run("check", "--write-baseline", baseline, report)
    assert code == 0 and f"{len(before)} 个问题" in err
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["version"] == 2 and {f["path"] for f in data["findings"]} == {"reports/r.txt"}
    assert all(":" in f["fingerprint"] and "68" not in f["fingerprint"] for f in data["findings"])
    # edit the report above every finding: still all accepted
    write(report, TWO.replace("一、总体情况\n", "一、总体情况\n新增的第一段。\n\n新增的第二段。\n"))
    code, out, err = run("check", "--format", "json", "--baseline", baseline, report)
    assert (code, json.loads(out)) == (0, [])
    assert "基线中已接受" in err
    # a new problem is reported; the accepted ones are not
    write(report, TWO.replace("六、其他需要报告的事项", "六、其他需要的事项"))
    code, out, _ = run("check", "--format", "json", "--baseline", baseline, report)
    found = json.loads(out)
    assert [(i["code"], "其他需要的事项" in i["message"]) for i in found] == [("S104", True)]


def test_changed_finding_is_new(tmp_path):
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    baseline = tmp_path / "b.json"
    run("check", "--write-baseline", baseline, report)
    write(report, SCAFFOLD.replace("五、存在的主要问题及改进情况", "五、存在的问题和改进情况"))
    code, out, _ = run("check", "--format", "json", "--fail-on", "warning", "--baseline", baseline, report)
    assert code == 1 and codes(out) == ["S104"]


def test_duplicate_findings_are_counted(tmp_path):
    twice = WRONG_TITLE.replace("六、其他需要报告的事项", "五、存在的问题及改进情况\n六、其他需要报告的事项")
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    baseline = tmp_path / "b.json"
    run("check", "--select", "S", "--write-baseline", baseline, report)
    write(report, twice)
    code, out, _ = run("check", "--select", "S", "--format", "json", "--baseline", baseline, report)
    assert [(i["code"], i["line"]) for i in json.loads(out)] == [("S103", 71), ("S104", 71)]  # the second copy


def test_bad_baseline_file_is_a_usage_error(tmp_path):
    report = write(tmp_path / "r.txt", SCAFFOLD)
    bad = write(tmp_path / "b.json", '{"version": 99, "findings": []}')
    code, _, err = run("check", "--baseline", bad, report)
    assert code == 2 and "基线" in err
    assert run("check", "--baseline", tmp_path / "missing.json", report)[0] == 2


def _fingerprints(tmp_path, text):
    path = write(tmp_path / "r.txt", text)
    registry = load_registry(include_plugins=False)
    result = check_file(str(path), registry, registry.select(["ALL"]), Settings())
    return fingerprints(result)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(["新增一段说明文字。", "", "另一段。"]), min_size=1, max_size=6))
def test_fingerprints_do_not_depend_on_lines_above(tmp_path_factory, inserted):
    tmp_path = tmp_path_factory.mktemp("fp")
    base = _fingerprints(tmp_path, TWO)
    edited = TWO.replace("一、总体情况\n", "一、总体情况\n" + "\n".join(inserted) + "\n")
    assert _fingerprints(tmp_path, edited) == base


# ---- Word documents, unreadable files, where the command runs

import shutil  # noqa: E402

import pytest  # noqa: E402

from clihelp import FIXTURES  # noqa: E402


def _insert_paragraphs(path, before_index: int, texts) -> None:
    import docx

    document = docx.Document(str(path))
    anchor = document.paragraphs[before_index]
    for text in texts:
        anchor.insert_paragraph_before(text)
    document.save(str(path))


def test_docx_baseline_survives_paragraphs_added_above(tmp_path):
    pytest.importorskip("docx")
    report = tmp_path / "reports" / "r.docx"
    report.parent.mkdir()
    shutil.copy(FIXTURES / "documents" / "report.docx", report)
    baseline = tmp_path / "baseline.json"
    code, out, _ = run("check", "--format", "json", report)
    before = json.loads(out)
    assert before and any(i["location"]["kind"] == "docx" for i in before)
    assert run("check", "--write-baseline", baseline, report)[0] == 0
    _insert_paragraphs(report, 2, ["新增的一段说明文字。", "又一段。"])
    code, out, _ = run("check", "--format", "json", report)
    after = json.loads(out)
    assert sorted(i["code"] for i in after) == sorted(i["code"] for i in before)
    assert [i["location"] for i in after] != [i["location"] for i in before]  # the paragraphs moved
    code, out, err = run("check", "--format", "json", "--baseline", baseline, report)
    assert (code, json.loads(out)) == (0, []) and f"已接受的 {len(before)} 个问题" in err


def test_a_baseline_can_hold_e_findings(tmp_path):
    """Issue 15, point 7: an E finding is a finding like the others.  Before,
    the baseline skipped it and the run kept exiting 2."""
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(b"not a zip file")
    code, out, _ = run("check", "--format", "json", report, damaged)
    assert code == 2 and "E007" in {i["code"] for i in json.loads(out)}
    baseline = tmp_path / "b.json"
    code, _, err = run("check", "--write-baseline", baseline, report, damaged)
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert code == 0 and sorted(f["code"] for f in data["findings"]) == ["E007", "S104"] and "2 个问题" in err
    code, out, _ = run("check", "--format", "json", "--baseline", baseline, report, damaged)
    assert code == 0 and json.loads(out) == []
    # another damaged file is not in the baseline: exit 2 again
    (tmp_path / "other.docx").write_bytes(b"also not a zip file")
    code, out, _ = run("check", "--format", "json", "--baseline", baseline, report, damaged, tmp_path / "other.docx")
    assert code == 2 and [i["code"] for i in json.loads(out)] == ["E007"]


def test_baseline_paths_are_relative_to_the_baseline_file(tmp_path, monkeypatch):
    report = write(tmp_path / "repo" / "reports" / "r.txt", WRONG_TITLE)
    baseline = tmp_path / "repo" / "ci" / "baseline.json"
    monkeypatch.chdir(tmp_path / "repo")
    assert run("check", "--write-baseline", "ci/baseline.json", "reports/")[0] == 0  # the folder ci/ is made
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert {f["path"] for f in data["findings"]} == {"../reports/r.txt"}
    monkeypatch.chdir(tmp_path)  # elsewhere, with other spellings of the same paths
    code, out, _ = run("check", "--format", "json", "--fail-on", "warning", "--baseline", baseline, report)
    assert (code, json.loads(out)) == (0, [])
    monkeypatch.chdir(tmp_path / "repo" / "reports")
    code, out, _ = run("check", "--format", "json", "--baseline", "../ci/baseline.json", "./r.txt")
    assert json.loads(out) == []


@pytest.mark.parametrize("content", [
    "not json",
    '{"version": 1}',
    '{"version": 1, "findings": [{"path": "r.txt"}]}',
    '[]',
])
def test_invalid_baseline_files(tmp_path, content):
    report = write(tmp_path / "r.txt", WRONG_TITLE)
    bad = write(tmp_path / "b.json", content)
    code, out, err = run("check", "--format", "json", "--baseline", bad, report)
    assert code == 2 and out == "" and str(bad) in err


def test_a_new_wrong_value_in_a_row_already_wrong_is_new(tmp_path):
    """Issue 15, point 8: the row 予以公开 has a wrong total (accepted in the
    baseline); then another of its numbers changes and the row is still
    wrong -- a new finding, not hidden by the accepted one."""
    def edited(row, total):
        return SCAFFOLD.replace("（一）予以公开 2 0 0 0 0 0 2", "（一）予以公开 " + row).replace(
            "（七）总计 3 0 0 0 0 0 3", "（七）总计 " + total)

    report = write(tmp_path / "r.txt", edited("2 0 0 0 0 0 5", "3 0 0 0 0 0 6"))
    baseline = tmp_path / "b.json"
    run("check", "--write-baseline", baseline, report)
    assert run("check", "--format", "json", "--baseline", baseline, report)[1].strip() == "[]"
    write(report, edited("2 1 0 0 0 0 5", "3 1 0 0 0 0 6"))
    code, out, _ = run("check", "--format", "json", "--baseline", baseline, report)
    assert code == 1
    assert [i["code"] for i in json.loads(out) if "“（一）予以公开”行" in i["message"]] == ["A103"]


def test_version_1_baselines_are_still_matched(tmp_path):
    report = write(tmp_path / "r.txt", SCAFFOLD.replace("（一）予以公开 2 0 0 0 0 0 2", "（一）予以公开 2 0 0 0 0 0 5"))
    baseline = tmp_path / "b.json"
    run("check", "--write-baseline", baseline, report)
    data = json.loads(baseline.read_text(encoding="utf-8"))
    registry = load_registry(include_plugins=False)
    result = check_file(str(report), registry, registry.select(["ALL"]), Settings())
    data["version"] = 1
    data["findings"] = [{"path": "r.txt", "code": d.code, "fingerprint": fp}
                        for d, fp in zip(result.diagnostics, fingerprints(result, 1))]
    baseline.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run("check", "--format", "json", "--baseline", baseline, report)
    assert code == 0 and out.strip() == "[]"
