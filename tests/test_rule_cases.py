"""Rule cases as data: ``tests/rule_cases/<CODE>.yml``, one file per rule code.

Each case edits a base report (the standard example report
``fixtures/rule-example-scaffold.txt`` unless it names another fixture), checks
it through the runner with the file's rule selected, and expects either
``pass`` (the code is not reported) or ``fail`` (findings of the code, matched
in document order, each on the line of a text anchor -- never a line number).

A case file::

    rule: S104
    cases:
      - name: abbreviated-title           # unique in the file; the test id is S104:abbreviated-title
        base: scaffold                    # or scaffold-2022, empty, or a path under tests/ (fixtures/...)
        edit:                             # applied in order; every old text must be there
          - replace: 五、存在的主要问题及改进情况
            with: 五、存在的问题及改进情况
            count: 1                      # occurrences replaced (default 1; "all" for every one)
            occurrence: 1                 # which occurrence is the first replaced (default 1)
          - insert_after: 一、总体情况       # a whole line after the (one) line containing the text
            text: 新的一行
          - insert_before: 六、其他需要报告的事项
            text: 新的一行
          - delete_line: 本局加强政府网站建设。
          - delete_lines: 五、存在的主要问题及改进情况  # from this line ...
            until: 六、其他需要报告的事项             # ... up to (not including) this one
          - append: "\n七、下一步工作计划\n"        # text added at the end
        previous: scaffold-2022           # a --previous report (path or scaffold-2022), X rules
        previous_edit: [...]              # edits of the previous report, as ``edit``
        options:                          # Settings: template, year, body_kind, severity, ...
          year: 2023
        select: [S]                       # rules run (default: the file's code; U codes: ALL)
        file: 报告.txt                    # the checked file's name (default report + the base's suffix)
        encoding: gbk                     # how the edited text is written (default utf-8)
        absent: [S101]                    # codes that must not be reported (ALL: no other code at all)
        fail:                             # or ``pass: true``; a mapping or a list of mappings
                                          # (``pass: {data: {part: fees}}``: no finding like that)
          line: 五、存在的问题及改进情况     # text on the finding's line (on one line only, or:)
          occurrence: 2                   # optional: the 2nd line holding that text
          at: 存在                        # optional: the finding starts where this text starts on that line
          # whole_file: true              # instead of line: a finding about the file (no position)
          severity: warning
          data: {expected: ...}           # a subset of the finding's data
          data_lines: {first_line: 六、}  # data that are line numbers (or lists of them): by text
                                          # (or {line: text, occurrence: n})
          related: [138份, 431份]          # the names of the finding's related places
          message: 标题                   # a substring of the message (or a list of them)
        only: false                       # fail: the listed findings are all of the code (default true)

The schema is checked: an unknown or missing key fails the case with the file
and case named, so a typo never turns a case into one that passes silently.
"""

from __future__ import annotations

import json
import pathlib

import pytest
import yaml

from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import Settings, check_file, parse_file

TESTS = pathlib.Path(__file__).parent
CASES_DIR = TESTS / "rule_cases"
BASES = {"scaffold": "fixtures/rule-example-scaffold.txt", "scaffold-2022": "fixtures/rule-example-scaffold-2022.txt"}
REGISTRY = load_registry(include_plugins=False)
SUPPRESSION_CODES = {"U100", "U101"}  # they judge the other rules' findings: run with every rule

# Codes whose findings need a file that is not a text edit of a report (a missing path,
# bytes of a broken or encrypted PDF/Office file, a monkeypatched reader or timeout);
# tests/test_ruledocs.py (READ_INPUTS) and the reader tests build those files.
EXEMPT = {
    "E001": "a path that cannot be read (missing or a dangling link): test_ruledocs READ_INPUTS, test_cli_usage",
    "E003": "a file of an unsupported type (binary xlsx): test_ruledocs READ_INPUTS, test_text_reader",
    "E005": "a zip bomb .docx: test_ruledocs READ_INPUTS, test_hostile_readers",
    "E006": "an encrypted PDF: test_ruledocs READ_INPUTS, test_readers_pdf",
    "E007": "a truncated PDF: test_ruledocs READ_INPUTS, test_hostile_readers",
    "E008": "a PDF without a text layer: test_ruledocs READ_INPUTS, test_readers_pdf",
    "E009": "a reader that raises (monkeypatched): test_ruledocs READ_INPUTS",
    "E012": "a .wps file without LibreOffice (monkeypatched): test_ruledocs READ_INPUTS",
    "E013": "a read slower than --timeout (monkeypatched): test_ruledocs READ_INPUTS",
}

FILE_KEYS = {"rule", "cases"}
CASE_KEYS = {"name", "base", "edit", "previous", "previous_edit", "options", "select", "file", "encoding",
             "absent", "pass", "fail", "only"}
EDIT_KEYS = {"replace": {"replace", "with", "count", "occurrence"}, "insert_after": {"insert_after", "text"},
             "insert_before": {"insert_before", "text"}, "delete_line": {"delete_line"},
             "delete_lines": {"delete_lines", "until"}, "append": {"append"}}
FAIL_KEYS = {"line", "occurrence", "at", "whole_file", "severity", "data", "data_lines", "related", "message"}
OPTION_KEYS = {"template", "year", "body_kind", "severity", "ignore", "fail_on"}


class CaseError(Exception):
    """A case file that does not follow the schema (named in the message)."""


def _where(path: pathlib.Path, name: object = None) -> str:
    return f"{path.relative_to(TESTS)}" + (f", case {name!r}" if name is not None else "")


def _unknown(keys, allowed, where: str, what: str) -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        raise CaseError(f"{where}: unknown {what} key(s) {extra}; allowed: {sorted(allowed)}")


def _validate_edits(edits, where: str) -> None:
    if not isinstance(edits, list):
        raise CaseError(f"{where}: an edit list must be a YAML list")
    for edit in edits:
        if not isinstance(edit, dict):
            raise CaseError(f"{where}: each edit is a mapping, got {edit!r}")
        kinds = [k for k in EDIT_KEYS if k in edit]
        if len(kinds) != 1:
            raise CaseError(f"{where}: an edit needs exactly one of {sorted(EDIT_KEYS)}, got {sorted(edit)}")
        _unknown(edit, EDIT_KEYS[kinds[0]], where, f"{kinds[0]} edit")
        if kinds[0] == "replace" and "with" not in edit:
            raise CaseError(f"{where}: a replace edit needs 'with' (an empty string deletes)")
        if kinds[0].startswith("insert") and "text" not in edit:
            raise CaseError(f"{where}: an {kinds[0]} edit needs 'text'")
        if kinds[0] == "delete_lines" and "until" not in edit:
            raise CaseError(f"{where}: a delete_lines edit needs 'until' (the first line kept after it)")


def validate(path: pathlib.Path, doc) -> list[dict]:
    """The cases of one file, after checking every key (raises CaseError)."""
    where = _where(path)
    if not isinstance(doc, dict):
        raise CaseError(f"{where}: the file must be a mapping with 'rule' and 'cases'")
    _unknown(doc, FILE_KEYS, where, "top-level")
    if doc.get("rule") != path.stem:
        raise CaseError(f"{where}: 'rule' must be the file's code {path.stem!r}, got {doc.get('rule')!r}")
    if REGISTRY.get(path.stem) is None:
        raise CaseError(f"{where}: {path.stem} is not a registered rule code")
    cases = doc.get("cases")
    if not isinstance(cases, list) or not cases:
        raise CaseError(f"{where}: 'cases' must be a non-empty list")
    names = set()
    for case in cases:
        if not isinstance(case, dict) or not isinstance(case.get("name"), str) or not case["name"]:
            raise CaseError(f"{where}: every case is a mapping with a non-empty 'name', got {case!r}")
        cw = _where(path, case["name"])
        if case["name"] in names:
            raise CaseError(f"{cw}: duplicate case name")
        names.add(case["name"])
        _validate_case(case, cw)
    return cases


def _validate_case(case: dict, cw: str) -> None:
    _unknown(case, CASE_KEYS, cw, "case")
    if ("pass" in case) == ("fail" in case):
        raise CaseError(f"{cw}: a case has exactly one of 'pass' and 'fail'")
    if "pass" in case and case["pass"] is not True:  # no finding like these (the code may report others)
        _validate_pass(case["pass"], cw)
    if "only" in case and "fail" not in case:
        raise CaseError(f"{cw}: 'only' goes with 'fail'")
    for key in ("edit", "previous_edit"):
        if key in case:
            _validate_edits(case[key], cw)
    if "previous_edit" in case and "previous" not in case:
        raise CaseError(f"{cw}: 'previous_edit' needs 'previous'")
    _unknown(case.get("options") or {}, OPTION_KEYS, cw, "options")
    _validate_types(case, cw)
    if "fail" in case:
        _validate_fail(case, cw)


def _validate_types(case: dict, cw: str) -> None:
    for key, kind in (("select", list), ("only", bool), ("file", str), ("encoding", str), ("base", str),
                      ("previous", str), ("options", dict)):
        if key in case and not isinstance(case[key], kind):
            raise CaseError(f"{cw}: '{key}' must be a {kind.__name__}, got {case[key]!r}")
    if "absent" in case and case["absent"] != "ALL" and not isinstance(case["absent"], list):
        raise CaseError(f"{cw}: 'absent' is a list of codes or ALL")


def _validate_pass(passed, cw: str) -> None:
    unlike = passed if isinstance(passed, list) else [passed]
    if not unlike or not all(isinstance(u, dict) and u for u in unlike):
        raise CaseError(f"{cw}: 'pass' is true, or findings (mappings) that must not be reported")
    for u in unlike:
        _unknown(u, FAIL_KEYS, cw, "pass")


def _validate_fail(case: dict, cw: str) -> None:
    expected = case["fail"] if isinstance(case["fail"], list) else [case["fail"]]
    if not expected:
        raise CaseError(f"{cw}: 'fail' lists at least one finding")
    for exp in expected:
        if not isinstance(exp, dict) or ("line" in exp) == (exp.get("whole_file") is True):
            raise CaseError(f"{cw}: each expected finding is a mapping with a 'line' anchor "
                            f"(or 'whole_file: true' for a finding about the file), got {exp!r}")
        _unknown(exp, FAIL_KEYS, cw, "fail")


def load_cases() -> list[tuple[str, pathlib.Path, dict]]:
    """(test id, file, case) of every case; a file that breaks the schema becomes one
    failing entry ``CODE:schema`` carrying the error, so the other files still run."""
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            cases = validate(path, doc)
        except (CaseError, yaml.YAMLError) as err:
            out.append((f"{path.stem}:schema", path, {"name": "schema", "_error": str(err)}))
            continue
        out += [(f"{path.stem}:{case['name']}", path, case) for case in cases]
    return out


# -- edits --------------------------------------------------------------------------------------

def _line_index(lines: list[str], anchor: str, where: str, occurrence: int | None = None) -> int:
    """The index of the line holding ``anchor``: the only one, or the ``occurrence``-th (from 1)."""
    hits = [i for i, ln in enumerate(lines) if anchor in ln]
    if occurrence is None:
        if len(hits) != 1:
            raise CaseError(f"{where}: the text {anchor!r} is on {len(hits)} lines of the report, it must be on "
                            "one (or say which with 'occurrence')")
        return hits[0]
    if not 1 <= occurrence <= len(hits):
        raise CaseError(f"{where}: the text {anchor!r} is on {len(hits)} lines, no occurrence {occurrence}")
    return hits[occurrence - 1]


def apply_edits(text: str, edits: list[dict], where: str) -> str:
    for edit in edits or []:
        if "append" in edit:
            text += str(edit["append"])
        elif "replace" in edit:
            old, new = str(edit["replace"]), str(edit["with"])
            occurrence = int(edit.get("occurrence", 1))
            count = edit.get("count", 1)
            found = text.count(old)
            if found < occurrence:
                raise CaseError(f"{where}: {old!r} occurs {found} time(s) in the report, not {occurrence}")
            head_end = -1
            for _ in range(occurrence):
                head_end = text.index(old, head_end + 1)
            head, tail = text[:head_end], text[head_end:]
            if count == "all":
                tail = tail.replace(old, new)
            else:
                if tail.count(old) < int(count):
                    raise CaseError(f"{where}: {old!r} occurs fewer than {count} time(s) from occurrence {occurrence}")
                tail = tail.replace(old, new, int(count))
            text = head + tail
        else:
            lines = text.split("\n")
            kind = next(k for k in ("insert_after", "insert_before", "delete_line", "delete_lines") if k in edit)
            i = _line_index(lines, str(edit[kind]), where)
            if kind == "delete_lines":
                j = _line_index(lines, str(edit["until"]), where)
                if j <= i:
                    raise CaseError(f"{where}: 'until' {edit['until']!r} is not after {edit[kind]!r}")
                del lines[i:j]
            elif kind == "insert_after":
                lines[i + 1:i + 1] = str(edit["text"]).split("\n")
            elif kind == "insert_before":
                lines[i:i] = str(edit["text"]).split("\n")
            else:
                del lines[i]
            text = "\n".join(lines)
    return text


def _base_text(name: str, where: str) -> tuple[str, str]:
    if name == "empty":  # a file with nothing in it
        return "", ".txt"
    rel = BASES.get(name, name)
    path = TESTS / rel
    if not path.is_file():
        raise CaseError(f"{where}: base report {name!r} not found (tests/{rel})")
    return path.read_text(encoding="utf-8"), pathlib.Path(rel).suffix or ".txt"


# -- matching -----------------------------------------------------------------------------------

def _subset(expected, actual, path="data") -> list[str]:
    """Where ``actual`` differs from ``expected`` (dicts: a subset; lists: same length, item by item)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected a mapping, found {actual!r}"]
        out = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing (keys: {sorted(actual)})")
            else:
                out += _subset(value, actual[key], f"{path}.{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            return [f"{path}: expected {expected!r}, found {actual!r}"]
        return [p for i, (e, a) in enumerate(zip(expected, actual)) for p in _subset(e, a, f"{path}[{i}]")]
    return [] if expected == actual else [f"{path}: expected {expected!r}, found {actual!r}"]


def _describe(result, diag) -> str:
    if diag.span is None:
        return (f"  {diag.code} {diag.severity.value} about the whole file\n    message: {diag.message}\n"
                f"    data: {json.dumps(diag.data, ensure_ascii=False, default=str)[:600]}")
    line, col = result.document.line_col(diag.span.start)
    text = result.document.text.split("\n")[line - 1]
    return (f"  {diag.code} {diag.severity.value} at {line}:{col} on line {text[:60]!r}\n"
            f"    message: {diag.message}\n    data: {json.dumps(diag.data, ensure_ascii=False, default=str)[:600]}")


def _mismatches(result, diag, exp: dict, where: str) -> list[str]:
    out = []
    if exp.get("whole_file") or diag.span is None:
        if not (exp.get("whole_file") and diag.span is None):
            return ["place: expected a finding " + ("about the whole file" if exp.get("whole_file") else
                                                    f"on the line of {exp['line']!r}") + ", found "
                    + ("one about the whole file" if diag.span is None else "one with a position")]
        return out + _common(diag, exp, result.document.text.split("\n") if result.document else [], where)
    lines = result.document.text.split("\n")
    if "line" not in exp:  # a 'pass' pattern placed nowhere in particular
        return out + _common(diag, exp, lines, where)
    want = _line_index(lines, str(exp["line"]), where, exp.get("occurrence")) + 1
    line, col = result.document.line_col(diag.span.start)
    if line != want:
        out.append(f"line: expected {want} (the line of {exp['line']!r}), found {line}")
    elif "at" in exp:
        at = str(exp["at"])
        pos = lines[want - 1].find(at)
        if pos < 0:
            raise CaseError(f"{where}: 'at' text {at!r} is not on the line of {exp['line']!r}")
        if col != pos + 1:
            out.append(f"column: expected {pos + 1} (where {at!r} starts), found {col}")
    return out + _common(diag, exp, lines, where)


def _common(diag, exp: dict, lines: list[str], where: str) -> list[str]:
    out = []
    if "severity" in exp and diag.severity.value != exp["severity"]:
        out.append(f"severity: expected {exp['severity']}, found {diag.severity.value}")
    for part in exp["message"] if isinstance(exp.get("message"), list) else [exp["message"]] if "message" in exp else []:
        if str(part) not in diag.message:
            out.append(f"message: {part!r} not in {diag.message!r}")
    if "data" in exp:
        out += _subset(exp["data"], diag.data)
    def line_of(anchor) -> int:
        if isinstance(anchor, dict):  # {line: text, occurrence: n}
            return _line_index(lines, str(anchor["line"]), where, anchor.get("occurrence")) + 1
        return _line_index(lines, str(anchor), where) + 1

    for key, anchor in (exp.get("data_lines") or {}).items():  # data naming lines: by their text, too
        want = [line_of(a) for a in anchor] if isinstance(anchor, list) else line_of(anchor)
        if diag.data.get(key) != want:
            out.append(f"data.{key}: expected {want} (the line of {anchor!r}), found {diag.data.get(key)!r}")
    if "related" in exp:
        names = [name for name, _ in diag.related]
        if names != exp["related"]:
            out.append(f"related: expected {exp['related']!r}, found {names!r}")
    return out


# -- the runner ---------------------------------------------------------------------------------

def run_case(tmp_path: pathlib.Path, path: pathlib.Path, case: dict):
    where = _where(path, case["name"])
    code = path.stem
    text, suffix = _base_text(case.get("base", "scaffold"), where)
    text = apply_edits(text, case.get("edit"), where)
    target = tmp_path / case.get("file", "report" + suffix)
    target.write_bytes(text.encode(case.get("encoding", "utf-8")))
    previous = None
    if "previous" in case:
        prev_text, prev_suffix = _base_text(case["previous"], where)
        prev_path = tmp_path / ("previous" + prev_suffix)
        prev_path.write_text(apply_edits(prev_text, case.get("previous_edit"), where), encoding="utf-8")
        previous = parse_file(str(prev_path))
        assert previous is not None, f"{where}: the previous report could not be read"
    select = case.get("select") or (["ALL"] if code in SUPPRESSION_CODES else [code])
    settings = Settings(list(select), **(case.get("options") or {}))
    return check_file(str(target), REGISTRY, REGISTRY.select(list(select)), settings, previous=previous)


def check_case(result, path: pathlib.Path, case: dict) -> list[str]:
    """Readable problems of one case's result (empty when it holds)."""
    where = _where(path, case["name"])
    code = path.stem
    found = sorted((d for d in result.diagnostics if d.code == code), key=lambda d: -1 if d.span is None else d.span.start)
    problems = []
    absent_codes = case.get("absent", [])
    absent = [d for d in result.diagnostics
              if (d.code != code if absent_codes == "ALL" else d.code in set(absent_codes))]
    if absent:
        problems.append("reported codes the case says are absent:\n" + "\n".join(_describe(result, d) for d in absent))
    if case.get("pass") is True:
        if found:
            problems.append(f"expected no {code}, found:\n" + "\n".join(_describe(result, d) for d in found))
        return problems
    if "pass" in case:
        for u in case["pass"] if isinstance(case["pass"], list) else [case["pass"]]:
            like = [d for d in found if not _mismatches(result, d, u, where)]
            if like:
                problems.append(f"expected no {code} like {json.dumps(u, ensure_ascii=False)}, found:\n"
                                + "\n".join(_describe(result, d) for d in like))
        return problems
    expected = case["fail"] if isinstance(case["fail"], list) else [case["fail"]]
    only = case.get("only", True)
    if not found or (only and len(found) != len(expected)) or len(found) < len(expected):
        others = [d for d in result.diagnostics if d.code != code]
        problems.append(f"expected {len(expected)} {code} finding(s), found {len(found)}:\n"
                        + "\n".join(_describe(result, d) for d in found)
                        + ("\n  other findings:\n" + "\n".join(_describe(result, d) for d in others) if others else ""))
        return problems
    remaining = list(found)
    for i, exp in enumerate(expected):  # in document order; each expectation takes the first finding it fits
        fits = [d for d in remaining if not _mismatches(result, d, exp, where)]
        if fits:
            remaining.remove(fits[0])
            continue
        problems.append(f"expected finding #{i + 1} {json.dumps(exp, ensure_ascii=False)} matches none of:\n"
                        + "\n".join(_describe(result, d) + "\n    differs: " + "; ".join(_mismatches(result, d, exp, where))
                                    for d in remaining))
    return problems


CASES = load_cases()


@pytest.mark.parametrize("path, case", [(p, c) for _, p, c in CASES], ids=[i for i, _, _ in CASES])
def test_rule_case(tmp_path, path, case):
    if "_error" in case:
        pytest.fail(case["_error"], pytrace=False)
    result = run_case(tmp_path, path, case)
    problems = check_case(result, path, case)
    assert not problems, f"{_where(path, case['name'])}:\n" + "\n".join(problems)


def test_every_registered_code_has_a_passing_and_a_failing_case():
    kinds: dict[str, set[str]] = {}
    for _, path, case in CASES:
        if "_error" in case:
            continue
        kinds.setdefault(path.stem, set()).add("pass" if "pass" in case else "fail")
    missing = []
    for code in sorted(REGISTRY.rules):
        if code in EXEMPT:
            assert kinds.get(code, set()) != {"pass", "fail"}, f"{code} has both kinds of case now: take it off EXEMPT"
            continue
        lacking = {"pass", "fail"} - kinds.get(code, set())
        if lacking:
            missing.append(f"{code}: no {' / '.join(sorted(lacking))} case in tests/rule_cases/{code}.yml")
    assert not missing, "\n".join(missing)


# -- the schema check itself --------------------------------------------------------------------

def _invalid(tmp_path, text: str, name="S104.yml") -> str:
    path = CASES_DIR / name  # named like a real file so the code check passes; never written
    with pytest.raises(CaseError) as err:
        validate(path, yaml.safe_load(text))
    return str(err.value)


@pytest.mark.parametrize("text, words", [
    ("rule: S104\ncases:\n- name: a\n  fial: {line: x}\n", ["S104.yml", "'a'", "fial"]),
    ("rule: S104\ncases:\n- name: a\n  fail: {line: x, sevrity: error}\n", ["'a'", "sevrity"]),
    ("rule: S104\ncases:\n- name: a\n  pass: true\n  edit: [{replace: x, wiht: y}]\n", ["'a'", "wiht"]),
    ("rule: S104\ncases:\n- name: a\n  pass: true\n  options: {yaer: 2020}\n", ["'a'", "yaer"]),
    ("rule: S104\ncases:\n- name: a\n  fail: {severity: error}\n", ["'a'", "'line' anchor"]),
    ("rule: S104\ncases:\n- name: a\n  pass: true\n  fail: {line: x}\n", ["exactly one of 'pass' and 'fail'"]),
    ("rule: S104\ncases:\n- name: a\n  pass: true\n- name: a\n  pass: true\n", ["duplicate"]),
    ("rule: S105\ncases:\n- name: a\n  pass: true\n", ["'rule' must be"]),
    ("rule: Q999\ncases:\n- name: a\n  pass: true\n", ["not a registered"]),
    ("rule: S104\ncases:\n- name: a\n  pass: true\n  select: S\n", ["'select' must be a list"]),
    ("rule: S104\ncases:\n- name: a\n  pass: {sevrity: error}\n", ["'a'", "sevrity"]),
    ("rule: S104\ncases:\n- name: a\n  pass: true\n  absent: S101\n", ["'absent' is a list"]),
])
def test_schema_errors_name_the_file_and_case(tmp_path, text, words):
    message = _invalid(tmp_path, text, "Q999.yml" if "Q999" in text else "S104.yml")
    for word in words:
        assert word in message, message


def test_a_wrong_line_anchor_or_edit_fails_loudly(tmp_path):
    path = CASES_DIR / "S104.yml"
    with pytest.raises(CaseError, match="occurs 0 time"):
        apply_edits("abc", [{"replace": "x", "with": "y"}], "here")
    with pytest.raises(CaseError, match="on 2 lines"):
        apply_edits("ab\nab", [{"delete_line": "a"}], "here")
    case = {"name": "t", "edit": [{"replace": "五、存在的主要问题及改进情况", "with": "五、存在的问题及改进情况"}],
            "fail": {"line": "本年度未收取信息处理费。"}}
    problems = check_case(run_case(tmp_path, path, case), path, case)
    assert problems and "line: expected" in problems[0]
    case["fail"] = {"line": "五、存在的问题", "data": {"nope": 1}}
    problems = check_case(run_case(tmp_path, path, case), path, case)
    assert problems and "data.nope: missing" in problems[0]
