"""Flattened digit runs (issue 12 item 4): the only reading is read and checked, a run
no reading makes consistent is an A108 defect, several readings are settled by the
column identities, the prose and the previous report -- or reported (E010), never guessed."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from helpers import findings, findings_for_text, report_from_text
from test_rules_arithmetic import build, consistent, leaves
from xxgk_lint.linter.digitsplit import MAX_SPLITS

SCAFFOLD = (FIXTURES / "rule-example-scaffold.txt").read_text(encoding="utf-8")
PREVIOUS = (FIXTURES / "rule-example-scaffold-2022.txt").read_text(encoding="utf-8")
R1 = "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3"
R4 = "四、结转下年度继续办理 0 0 0 0 0 0 0"
NORMATIVE = "行政规范性文件 0 0 0"


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def by_code(result, code):
    return [d for d in result.diagnostics if d.code == code]


# -- the only reading --------------------------------------------------------------------------

def test_one_digit_a_cell_is_read_and_checked(tmp_path):
    """“3000000”: seven digits for seven cells is one reading; its total is wrong (A103)."""
    text = _edit(SCAFFOLD, R1, "一、本年新收政府信息公开申请数量3000000")
    result = findings_for_text(tmp_path, text, select=["A", "E010"])
    assert by_code(result, "E010") == [] and by_code(result, "A108") == []
    a103 = by_code(result, "A103")
    assert len(a103) == 1 and ("r1", "c_total") in {(c["row"], c["column"]) for c in a103[0].data["cells"]}
    report = report_from_text(tmp_path, text)
    assert [c.raw for c in report.tables["t3"].rows["r1"].values.values()] == ["3", "0", "0", "0", "0", "0", "0"]


def test_consistent_flattened_row_passes(tmp_path):
    text = _edit(SCAFFOLD, R1, "一、本年新收政府信息公开申请数量3000003")
    result = findings_for_text(tmp_path, text, select=["A", "E010"])
    assert result.diagnostics == []


# -- no reading is consistent: A108 ----------------------------------------------------------------

def test_no_reading_satisfies_the_row_is_a108(tmp_path):
    text = _edit(SCAFFOLD, R1, "一、本年新收政府信息公开申请数量31000005")
    result = findings_for_text(tmp_path, text, select=["A", "E010"])
    assert by_code(result, "E010") == []
    (diag,) = by_code(result, "A108")
    assert diag.severity.value == "error"
    assert "31000005" in diag.message and "31 0 0 0 0 0 5" in diag.message and "3 10 0 0 0 0 5" in diag.message
    assert diag.data["scope"] == "row" and diag.data["readings"] == 2
    assert [c["values"] for c in diag.data["closest"]] == [["3", "10", "0", "0", "0", "0", "5"],
                                                          ["31", "0", "0", "0", "0", "0", "5"]]
    line = text.splitlines().index("一、本年新收政府信息公开申请数量31000005") + 1
    assert result.document.line_col(diag.span.start)[0] == line


def test_readings_that_all_break_the_columns_are_a108(tmp_path):
    """“110000011”: 11 0 0 0 0 0 11 and 1 10 0 0 0 0 11 both fit the row, neither the balance."""
    text = _edit(SCAFFOLD, R4, "四、结转下年度继续办理110000011")
    result = findings_for_text(tmp_path, text, select=["A", "E010"])
    assert by_code(result, "E010") == []
    (diag,) = by_code(result, "A108")
    assert diag.data["scope"] == "columns" and diag.data["readings"] == 2
    assert "“总计”列" in diag.message and "14" in diag.message


def test_several_consistent_readings_stay_unreadable(tmp_path):
    """“52003”: 5 200 3 or 520 0 3; the normative row has no identity to choose with."""
    text = _edit(SCAFFOLD, NORMATIVE, "行政规范性文件52003")
    result = findings_for_text(tmp_path, text, select=["A", "E010"])
    (diag,) = by_code(result, "E010")
    assert diag.data["row"] == "normative" and diag.data["readings"] == 2
    assert by_code(result, "A108") == []


def test_a_run_with_more_cuts_than_the_reader_tries_is_e010_naming_the_cap(tmp_path):
    """16 digits for 7 cells: more than MAX_SPLITS ways to cut them; the reader cannot know
    that no reading fits, so it says the row cannot be read (not A108, not a guess)."""
    run = "3575752512525350"
    assert len(_splits(run, 7)) > MAX_SPLITS
    text = _edit(SCAFFOLD, "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3", "一、本年新收政府信息公开申请数量 " + run)
    result = findings_for_text(tmp_path, text, select=["A108", "E010"])
    (diag,) = by_code(result, "E010")
    assert diag.data["row"] == "r1" and str(MAX_SPLITS) in diag.message
    assert by_code(result, "A108") == []


# -- settled by the prose and by the previous report ---------------------------------------------

def test_prose_settles_a_run(tmp_path):
    text = _edit(SCAFFOLD, NORMATIVE, "行政规范性文件8855698")
    unsettled = findings_for_text(tmp_path, text, select=["E010"])
    assert [d.data["row"] for d in unsettled.diagnostics] == ["normative"]
    prose = _edit(text, "本局通过政府网站主动公开政府信息。",
                  "本局通过政府网站主动公开政府信息，集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。")
    result = findings_for_text(tmp_path, prose, select=["E010"])
    assert result.diagnostics == []
    row = report_from_text(tmp_path, prose).tables["t2"].rows["normative"]
    assert [(c.raw, c.settled_by) for c in row.values.values()] == [("88", "prose"), ("55", "prose"),
                                                                     ("698", "prose")]


def test_prose_that_fits_no_reading_or_compares_settles_nothing(tmp_path):
    text = _edit(SCAFFOLD, NORMATIVE, "行政规范性文件8855698")
    for sentence in ("本年度制发的规范性文件90件。", "本年度制发的规范性文件较上年增加88件。",
                     "本年度制发和废止的规范性文件88件。", "本年度制发的规范性文件88余件。"):
        prose = _edit(text, "本局通过政府网站主动公开政府信息。", sentence)
        result = findings_for_text(tmp_path, prose, select=["E010"])
        assert [d.data["row"] for d in result.diagnostics] == ["normative"], sentence


def test_previous_report_settles_a_run(tmp_path):
    """5 made, 200 repealed or 520 made, 0 repealed: only 198 + 5 - 200 = 3 keeps 现行有效件数."""
    this = tmp_path / "this.txt"
    this.write_text(_edit(SCAFFOLD, NORMATIVE, "行政规范性文件52003"), encoding="utf-8")
    prev = tmp_path / "prev.txt"
    prev.write_text(_edit(PREVIOUS, NORMATIVE, "行政规范性文件 10 0 198"), encoding="utf-8")
    from xxgk_lint.linter.runner import parse_file

    alone = findings(this, select=["E010"])
    assert len(alone.diagnostics) == 1
    result = _with_previous(this, prev, parse_file)
    assert result.diagnostics == []
    cells = result.report.tables["t2"].rows["normative"].values
    assert [(c.raw, c.settled_by) for c in cells.values()] == [("5", "previous"), ("200", "previous"),
                                                               ("3", "previous")]
    # a previous report that fits neither reading settles nothing
    prev.write_text(_edit(PREVIOUS, NORMATIVE, "行政规范性文件 10 0 50"), encoding="utf-8")
    assert len(_with_previous(this, prev, parse_file).diagnostics) == 1


def _with_previous(this, prev, parse_file):
    from xxgk_lint.linter.registry import load_registry
    from xxgk_lint.linter.runner import Settings, check_file

    registry = load_registry(include_plugins=False)
    return check_file(str(this), registry, registry.select(["E010"]), Settings(["E010"], []),
                      previous=parse_file(str(prev)))


# -- properties ------------------------------------------------------------------------------

def _splits(digits: str, parts: int):
    """Every way to cut ``digits`` into ``parts`` whole numbers without leading zeros (independent
    of the reader's own enumeration)."""
    if parts == 1:
        return [[int(digits)]] if digits and (len(digits) == 1 or digits[0] != "0") else []
    out = []
    for i in range(1, len(digits) - parts + 2):
        head = digits[:i]
        if len(head) > 1 and head[0] == "0":
            break
        out += [[int(head)] + rest for rest in _splits(digits[i:], parts - 1)]
    return out


def _row_readings(digits):
    return [v for v in _splits(digits, 7) if v[6] == sum(v[:6])]


def _columns_hold(version, rows):
    return all(rows["r3_7"][k] == sum(rows[r][k] for r in leaves(version))
               and rows["r1"][k] + rows["r2"][k] == rows["r3_7"][k] + rows["r4"][k] for k in range(7))


def _consistent_readings(version, t3, flat: dict[str, str]):
    """The readings of the flattened rows (row id -> digits) that satisfy every identity, and
    how many combinations of row-consistent readings there were."""
    options = {rid: _row_readings(digits) for rid, digits in flat.items()}
    combos = list(itertools.product(*options.values()))
    found = {combo for combo in map(tuple, (tuple(map(tuple, c)) for c in combos))
             if _columns_hold(version, dict(t3, **dict(zip(options, map(list, combo)))))}
    return found, len(combos)


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _scaled(data, version):
    """A consistent table times a factor: runs of one- and several-digit cells."""
    t3, t4 = consistent(version, lambda lo, hi: data.draw(st.integers(lo, hi)))
    k = data.draw(st.sampled_from([1, 1, 2, 5, 10, 12, 25]))
    return {r: [v * k for v in vals] for r, vals in t3.items()}, [v * k for v in t4]


@_SETTINGS
@given(data=st.data(), version=st.sampled_from(["gb2019", "gb2021"]))
def test_property_flattened_consistent_rows_are_read_back_or_reported(tmp_path, data, version):
    """Rows of a consistent table printed with their cells run together are read back as they
    were when exactly one reading fits the identities, and reported (E010, never guessed) when
    several do."""
    t3, t4 = _scaled(data, version)
    rows = data.draw(st.lists(st.sampled_from(["r1", "r2", "r4", "r3_7", *leaves(version)]), min_size=1, max_size=3,
                              unique=True))
    flat = {rid: "".join(str(v) for v in t3[rid]) for rid in rows}
    readings, combos = _consistent_readings(version, t3, flat)
    assert tuple(tuple(t3[rid]) for rid in rows) in readings
    text = build(version, {**t3, **{rid: [digits] for rid, digits in flat.items()}}, t4)
    result = findings_for_text(tmp_path, text, select=["A", "E010"])
    assert [d.code for d in result.diagnostics if d.code != "E010"] == [], (flat, [d.message for d in result.diagnostics])
    table = result.report.tables["t3"]
    for rid in rows:
        row = table.rows.get(rid)
        if len(readings) > 1 and len({combo[rows.index(rid)] for combo in readings}) > 1:
            assert row is None, f"{flat[rid]} has several readings but was read as {[c.raw for c in row.values.values()]}"
        if row is not None:  # whatever is read is what was printed
            assert [int(c.value) for c in row.values.values()] == t3[rid]
    # the reader tries at most 5000 cuts of a run and 5000 combinations of runs; beyond, E010
    if len(readings) == 1 and combos <= 5000 and all(len(_splits(d, 7)) < 5000 for d in flat.values()):
        assert result.diagnostics == [], [d.message for d in result.diagnostics]
    unread = {rid for rid in rows if rid not in table.rows}
    assert {d.data["row"] for d in result.diagnostics} == unread


@_SETTINGS
@given(data=st.data(), version=st.sampled_from(["gb2019", "gb2021"]))
def test_property_a_run_no_reading_fits_is_a108_never_e010(tmp_path, data, version):
    """Change one digit of a flattened row so no reading fits: A108 names the row, or an A rule
    checks the only reading -- never E010, never a silent pass."""
    t3, t4 = _scaled(data, version)
    rid = data.draw(st.sampled_from(["r1", "r4", *leaves(version)]))
    digits = "".join(str(v) for v in t3[rid])
    pos = data.draw(st.integers(0, len(digits) - 1))
    new = str((int(digits[pos]) + data.draw(st.integers(1, 9))) % 10)
    changed = digits[:pos] + new + digits[pos + 1:]
    if _consistent_readings(version, t3, {rid: changed})[0] or not _splits(changed, 7):
        return  # the change happens to have a consistent reading, or no reading at all
    if len(_splits(changed, 7)) > MAX_SPLITS:
        return  # beyond the reader's cap it cannot know that none fits: E010 says so (test above)
    result = findings_for_text(tmp_path, build(version, {**t3, rid: [changed]}, t4), select=["A", "E010"])
    assert by_code(result, "E010") == []
    errors = [d for d in result.diagnostics if d.code.startswith("A") and d.severity.value == "error"]
    assert errors, changed
    a108 = by_code(result, "A108")
    if len(_splits(changed, 7)) > 1:
        assert [d.data["row"] for d in a108] == [rid] or any(
            rid in {c["row"] for c in d.data.get("cells", [])} for d in errors)
