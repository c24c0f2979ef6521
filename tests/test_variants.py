"""Layout and wording variants of every real report in tests/fixtures (see
``variants.py``): a variant must read the same table values and give the same
findings as its original -- no S/C error the original does not have, the same
A findings (by code and table cells)."""

from __future__ import annotations

import pytest

import variants as V


def _params():
    params = []
    for path in V.REAL_REPORTS:
        fixture = str(path.relative_to(V.FIXTURES))
        for variant in V.variants(fixture):
            marks = [pytest.mark.xfail(reason=variant.xfail, strict=False)] if variant.xfail else []
            params.append(pytest.param(variant, id=variant.id, marks=marks))
    return params


@pytest.mark.parametrize("variant", _params())
def test_variant_reads_and_finds_as_the_original(variant):
    report, result = V.run(variant)
    problems = V.differences(V.base(variant.fixture), report, result)
    assert not problems, "\n".join(problems)


def test_every_complete_report_gives_variants():
    """The generator is not silently empty: each gb report gives its table and
    heading variants, the old-format seed its 统计表 layouts."""
    names = {str(p.relative_to(V.FIXTURES)): {v.name for v in V.variants(str(p.relative_to(V.FIXTURES)))}
             for p in V.REAL_REPORTS}
    assert {"prose-before-table-三", "table-in-subsection-二", "heading-with-与", "title-五-明年工作计划",
            "label-钩稽"} <= names["seeds/003_5d2cf63e7804ef94.txt"]
    assert {"old-table-docx", "old-table-html", "old-table-spaces"} <= names["seeds/001_b0a66c8402e0df51.txt"]
    assert "label-本年公开数量" in names["real/pingtan-zhsyq-2020.txt"]
    assert sum(len(n) for n in names.values()) >= 200


def test_a_variant_that_changes_a_value_is_caught():
    """The comparison can fail: a changed table value is a difference."""
    base = V.base("seeds/003_5d2cf63e7804ef94.txt")
    text = base.text.replace("（七）总计", "（七）总计 ", 1)
    cell = base.report.tables["t3"].cell("r1", "c_total")
    text = base.text[:cell.span.start] + "99" + base.text[cell.span.end:]
    report, result = V.lint_text(text, "changed-value.txt")
    assert V.differences(base, report, result)
