"""The message catalogue (xxgk_lint/messages): well formed, and every message
the code asks for exists with the fields the code gives -- a typo fails here,
never at a user's report."""

from __future__ import annotations

import ast
import pathlib
import re
import string

import pytest

from xxgk_lint.linter import catalogue
from xxgk_lint.linter.catalogue import CatalogueError, Msg, msg, render, ui
from xxgk_lint.linter.diagnostics import SEVERITIES, Diagnostic, Severity, Span, severity_rank, severity_word

PACKAGE = pathlib.Path(catalogue.__file__).parents[1]
RESERVED = {"severity", "data", "related"}  # Diagnostic.of's (and ReadError.of's) own keywords, never message fields


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _calls():
    """(file, line, scope, id, keyword names or None when **kwargs hides them) of every
    Diagnostic.of(...) and msg(...) with literal scope and id in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            is_of = name == "of" and isinstance(func, ast.Attribute) \
                and getattr(func.value, "id", "") in ("Diagnostic", "ReadError")
            if not (is_of or name == "msg") or len(node.args) < 2:
                continue
            scope, msg_id = node.args[0], node.args[1]
            if not isinstance(scope, ast.Constant):
                continue
            ids = [msg_id.value] if isinstance(msg_id, ast.Constant) else (
                [msg_id.body.value, msg_id.orelse.value] if isinstance(msg_id, ast.IfExp)
                and isinstance(msg_id.body, ast.Constant) and isinstance(msg_id.orelse, ast.Constant) else None)
            if ids is None:
                continue
            names = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords} - RESERVED
            for one in ids:
                yield path.relative_to(PACKAGE), node.lineno, scope.value, one, names


CALLS = list(_calls())


def test_the_catalogue_loads_and_every_entry_has_both_languages():
    entries = catalogue.catalogue()
    assert {"severity", "html", "S101", "N201", "U100"} <= set(entries)
    for scope, messages in entries.items():
        for msg_id, (zh, en) in messages.items():
            assert zh.strip() and en.strip(), f"{scope}.{msg_id}"


def test_the_code_asks_only_for_messages_that_exist_with_the_fields_they_need():
    assert len(CALLS) > 50  # the scan found the rules' calls
    for path, line, scope, msg_id, names in CALLS:
        assert catalogue.has(scope, msg_id), f"{path}:{line}: no message {scope}.{msg_id}"
        if names is None:
            continue
        zh, en = catalogue.catalogue()[scope][msg_id]
        missing = (_fields(zh) | _fields(en)) - names
        assert not missing, f"{path}:{line}: {scope}.{msg_id} needs {sorted(missing)}"


def test_the_readers_and_the_runner_word_their_errors_from_the_catalogue():
    readers = [c for c in CALLS if c[0].parts[:2] == ("linter", "readers") or c[0].name == "runner.py"]
    assert len(readers) > 60  # the scan found ReadError.of(...) in the readers and Diagnostic.of(...) in the runner
    for path in sorted((PACKAGE / "linter" / "readers").glob("*.py")) + [PACKAGE / "linter" / "runner.py"]:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\bReadError\(\s*\"E", source), f"{path.name}: a read error worded outside the catalogue"
        assert not re.search(r"\bDiagnostic\(\s*f?\"", source), f"{path.name}: a finding worded outside the catalogue"


def test_a_read_error_keeps_its_message_id_and_fields_and_both_texts():
    from xxgk_lint.linter.readers import ReadError
    from xxgk_lint.linter.i18n import english_of

    error = ReadError.of("E005", "file_too_large", {"bytes": 1}, mb=60, limit_mb=50)
    assert (error.code, error.msg_id, error.fields, error.data) == ("E005", "file_too_large",
                                                                    {"mb": 60, "limit_mb": 50}, {"bytes": 1})
    assert str(error) == error.message == "文件过大（60 MB），超过 50 MB 的上限"
    assert error.message_en == english_of(error.message) == "The file is too large (60 MB); the limit is 50 MB"
    old = ReadError("E004", "空的", message_en="empty")  # the constructor third parties use keeps working
    assert (old.code, old.message, old.message_en, old.msg_id) == ("E004", "空的", "empty", "")
    rules = {scope for scope in catalogue.catalogue() if re.fullmatch(r"E\d{3}", scope)}
    assert {"E001", "E009", "E013"} <= rules  # messages/readers.yaml is loaded


def test_every_ui_word_the_code_names_exists():
    pattern = re.compile(r"""\bui\(\s*f?["']([a-z_]+)\.([A-Za-z_]+)["']""")
    found = 0
    for path in PACKAGE.rglob("*.py"):
        for group, name in pattern.findall(path.read_text(encoding="utf-8")):
            found += 1
            assert catalogue.has(group, name), f"{path.name}: no ui word {group}.{name}"
    assert found > 30


@pytest.mark.parametrize("text, problem", [
    ("S999: {missing: {zh: 缺少}}", "exactly a zh and an en"),
    ("S999: {missing: {zh: 缺少, en: Missing, fr: Manque}}", "exactly a zh and an en"),
    ("S999: {missing: {zh: '第{no部分', en: x}}", "S999.missing"),
    ("S999: {missing: {zh: '{no:secnum}', en: x}}", "unknown filter"),
    ("S999: [a, b]", "must map message ids"),
])
def test_a_malformed_catalogue_file_fails_loudly(text, problem):
    with pytest.raises(CatalogueError, match=re.escape(problem)):
        catalogue._load_file(text, "messages/rules/test.yaml", {})


def test_a_scope_defined_in_two_files_fails_loudly():
    into: dict = {}
    catalogue._load_file("S999: {a: {zh: 甲, en: A}}", "one.yaml", into)
    with pytest.raises(CatalogueError, match="defined twice"):
        catalogue._load_file("S999: {b: {zh: 乙, en: B}}", "two.yaml", into)


def test_an_unknown_message_or_a_missing_field_fails_loudly():
    with pytest.raises(CatalogueError, match="S101.nonexistent"):
        render("S101", "nonexistent", {}, "zh")
    with pytest.raises(CatalogueError, match="needs the field 'title'"):
        render("S101", "missing", {"no": "一", "hint": ""}, "zh")


def test_filters_and_nested_messages_render_in_the_language_asked():
    fields = {"no": "二", "title": "主动公开政府信息情况", "hint": msg("S101", "at_end")}
    assert render("S101", "missing", fields, "zh") == "缺少模板规定的第二部分“主动公开政府信息情况”，应位于报告末尾"
    assert render("S101", "missing", fields, "en") == ("Section 2 “主动公开政府信息情况” required by the template is "
                                                     "missing; it belongs at the end of the report")
    lines = msg("numbering", "lines", numbers=[3, 5], count=2)
    assert (lines.render("zh"), lines.render("en")) == ("3、5", "lines 3, 5")
    one = msg("numbering", "lines", numbers=[3], count=1)
    assert one.render("en") == "line 3"


def test_a_finding_keeps_its_message_id_and_fields_and_both_texts():
    d = Diagnostic.of("S103", "duplicate", Span(3, 5), no="六", title="其他需要报告的事项", line=40,
                      data={"section": "六"})
    assert (d.code, d.msg_id, d.fields["line"], d.data) == ("S103", "duplicate", 40, {"section": "六"})
    assert d.message == "第六部分“其他需要报告的事项”重复出现（第一次在第 40 行）"
    assert d.message_en == "Section 6 “其他需要报告的事项” appears again (first at line 40)"
    assert d.text("en") == d.message_en and type(d.message) is str
    # the dataclass fields (JSON contract, batch cache) are unchanged
    assert "msg_id" not in {f.name for f in __import__("dataclasses").fields(Diagnostic)}


def test_severity_words_and_ranks_have_one_definition():
    assert [severity_word(s, "zh") for s in SEVERITIES] == ["错误", "警告", "提示"]
    assert [Severity(s).word("en") for s in SEVERITIES] == ["error", "warning", "info"]
    assert sorted(SEVERITIES, key=severity_rank) == ["info", "warning", "error"]
    assert [Severity(s).rank for s in ("info", "warning", "error")] == [0, 1, 2]
    assert ui("severity_count.info", "en", n=2) == "2 notes" and ui("severity_count.error", "zh", n=1) == "错误 1 个"
    # no module spells the words out again
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""["']error["']\s*:\s*["']错误["']""", text), path
        if path.name != "diagnostics.py":  # the one definition of the ranks
            assert not re.search(r"""["']info["']\s*:\s*0\s*,\s*["']warning["']\s*:\s*1""", text), path


def test_msg_is_picklable_for_worker_processes():
    import pickle

    d = Diagnostic.of("S101", "missing", None, no="二", title="t", hint=Msg("S101", "at_end"))
    back = pickle.loads(pickle.dumps(d))
    assert (back.message, back.message_en, back.msg_id) == (d.message, d.message_en, "missing")


def test_the_catalogue_is_read_from_the_data_cache_without_yaml_after_the_first_run(tmp_path):
    import os
    import subprocess
    import sys

    code = ("import sys; from xxgk_lint.linter import catalogue; c = catalogue.catalogue(); "
            "print('yaml' in sys.modules, c['S101']['missing'][1])")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert first.startswith("True ") and second.startswith("False ")
    assert first.split(" ", 1)[1] == second.split(" ", 1)[1]  # the same texts
    assert list(tmp_path.glob("xxgk-lint/messages-*.json"))


def test_s202_in_english_names_an_unnamed_body_in_english():
    fields = {"label": "规章", "agency": msg("S202", "agency_self"), "reason": "部门无权制定规章"}
    assert render("S202", "not_for_body", fields, "en").startswith("The table lacks the row “规章”; this body is a")
    assert render("S202", "not_for_body", fields, "zh").startswith("表格缺少“规章”一行；本机关是部门")
