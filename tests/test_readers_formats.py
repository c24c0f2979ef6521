"""The same report read from .txt, .docx, .odt, .html, .pdf and .ofd yields the same
model (version, year, period, sections, table values) and the same findings."""

from __future__ import annotations

import collections

import pytest

from conftest import seed
from readers_util import DOCUMENTS, docx_from_text, report_of, summary
from xxgk_lint.linter.readers import read

from helpers import findings

FORMATS = ["report.docx", "report.odt", "report_gov_gbk.html", "report_libreoffice.html", "report.pdf", "report.ofd"]


@pytest.fixture(scope="module")
def baseline():
    return summary(report_of(DOCUMENTS / "report.txt"))


@pytest.mark.parametrize("name", FORMATS)
def test_same_model_as_text(name, baseline):
    got = summary(report_of(DOCUMENTS / name))
    assert got["version"] == baseline["version"] == "gb2019"
    assert got["year"] == baseline["year"]
    assert got["period"] == baseline["period"]
    assert got["sections"] == baseline["sections"]
    assert set(got["tables"]) == set(baseline["tables"]) == {"t2", "t3", "t4"}
    for tid in baseline["tables"]:
        assert got["tables"][tid] == baseline["tables"][tid], tid


@pytest.mark.parametrize("name", ["report.txt", *FORMATS])
def test_table3_every_value_in_its_cell(name):
    """The generated table 3 holds (row+1)*10+col in each data cell: within a
    row the tens are equal and the units count the columns in order."""
    table = report_of(DOCUMENTS / name).tables["t3"]
    assert len(table.rows) == 23
    values = []
    for row in table.rows.values():
        numbers = [int(c.value) for c in row.values.values()]
        assert len(numbers) == 7
        assert len({n // 10 for n in numbers}) == 1, numbers
        assert [n % 10 for n in numbers] == list(range(7)), numbers
        values.extend(numbers)
    assert len(set(values)) == 161


@pytest.mark.parametrize("name", FORMATS)
def test_same_findings_as_text(name):
    def counts(path):
        return collections.Counter(d.code for d in findings(path).diagnostics)

    assert counts(DOCUMENTS / name) == counts(DOCUMENTS / "report.txt")


@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_docx_built_from_seed_matches_seed(prefix, tmp_path):
    source = seed(prefix)
    out = tmp_path / "seed.docx"
    docx_from_text(source, out)
    expected, got = summary(report_of(source)), summary(report_of(out))
    assert got["version"] == expected["version"]
    assert got["year"] == expected["year"]
    assert got["period"] == expected["period"]
    assert got["sections"] == expected["sections"]
    assert got["tables"] == expected["tables"]
    assert read(str(out)).format == "docx"
