"""X rules: one agency's reports 2019-2025 form a consistent series.  Changing
上年结转 or 现行有效件数 in one year yields a finding naming both reports: the rule
cases tests/rule_cases/X101.yml."""

from conftest import PINGTAN
from helpers import report_from_text
from xxgk_lint.linter.parse import build_report
from xxgk_lint.linter.readers import read
from xxgk_lint.rules import cross

RULES = (cross.cross_year_identity, cross.copied_from_last_year, cross.previous_report_mismatch)


def _by_year():
    return {int(p.stem[-4:]): p for p in PINGTAN}


def _run(report):
    return [d for r in RULES for d in r.check(report)]


def test_unchanged_series_yields_nothing():
    files = _by_year()
    prev = None
    for year in range(2019, 2026):
        report = build_report(read(str(files[year])))
        report.previous = prev
        assert _run(report) == [], year
        prev = report


def test_copied_section_is_reported(tmp_path):
    files = _by_year()
    prev = build_report(read(str(files[2023])))
    text = files[2024].read_text(encoding="utf-8")
    old_text = files[2023].read_text(encoding="utf-8")
    # replace 2024's section 五 with 2023's
    start_new, end_new = text.index("五、存在的主要问题及改进情况"), text.index("六、其他需要报告的事项")
    start_old, end_old = old_text.index("五、存在的主要问题及改进情况"), old_text.index("六、其他需要报告的事项")
    mutated = text[:start_new] + old_text[start_old:end_old] + text[end_new:]
    report = report_from_text(tmp_path, mutated, "p2024.txt")
    report.previous = prev
    found = list(cross.copied_from_last_year.check(report))
    assert [d.data["section"] for d in found] == ["五"]
    assert found[0].data["similarity"] >= 0.9


def test_wrong_previous_report_is_reported():
    files = _by_year()
    report = build_report(read(str(files[2024])))
    report.previous = build_report(read(str(files[2022])))
    (diag,) = cross.previous_report_mismatch.check(report)
    assert diag.data["previous_year"] == 2022 and "应为 2023 年" in diag.message


def test_long_copied_section_is_compared_in_bounded_time(tmp_path):
    """Comparing characters is quadratic: two 60,000-character sections took many seconds.
    Long sections are compared by sentences; a copied one is still found, a rewritten one is not."""
    import time

    from clihelp import SCAFFOLD

    corpus = "".join(p.read_text(encoding="utf-8") for p in PINGTAN)
    # no heading markers, so that all of it stays in section 六
    corpus = "".join(ch for ch in corpus if ch not in "一二三四五六七八九十()（）")
    long = (corpus * 2)[:60000].replace("\n", "。\n")
    assert long.count("。") > 500

    def pair(now_text):
        prev = report_from_text(tmp_path, SCAFFOLD.replace("2023", "2022").replace("本年度未收取信息处理费。", long),
                                "a.txt")
        report = report_from_text(tmp_path, SCAFFOLD.replace("本年度未收取信息处理费。", now_text), "b.txt")
        report.previous = prev
        assert len(report.section("六").body_text()) > 50000
        return report

    copied = pair(long.replace("本局", "我局", 5))
    began = time.monotonic()
    found = [d for d in cross.copied_from_last_year.check(copied) if d.data["section"] == "六"]
    assert time.monotonic() - began < 1.5
    assert len(found) == 1 and found[0].data["similarity"] >= 0.9
    rewritten = pair("。\n".join(s[::-1] for s in long.split("。\n")))
    assert [d for d in cross.copied_from_last_year.check(rewritten) if d.data["section"] == "六"] == []
