"""``--format junit``: JUnit XML, one test suite per file, one test case per
finding -- failing when the finding is at or above the file's --fail-on level
(default error), passing with the finding in ``system-out`` below it -- and one
passing case for a file without findings.

Report text quoted in messages may hold characters XML 1.0 forbids (form
feeds and other control characters from PDF text layers); they are replaced
by U+FFFD so that the file stays well-formed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from ..diagnostics import Severity
from . import file_position, located_text

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def render(results, registry, out: TextIO, fail_levels: dict[str, str] | None = None) -> None:
    """A finding below its file's --fail-on level (``fail_levels``, default
    error) is a passing case that keeps its message in ``system-out``."""
    fail_levels = fail_levels or {}
    root = ET.Element("testsuites", name="xxgk-lint")
    total = failures = 0
    for result in results:
        path = _xml(result.path)
        threshold = Severity(fail_levels.get(result.path, "error")).rank
        suite = ET.SubElement(root, "testsuite", name=path)
        cases = failed = 0
        for diag in result.diagnostics:
            pos = file_position(result, diag)
            case = ET.SubElement(suite, "testcase", name=f"{diag.code} {diag.rule}", classname=path,
                                 file=path, line=str(pos["line"]))
            message = _xml(located_text(diag, pos["location"]))
            text = f"{path}:{pos['line']}:{pos['column']}: {diag.code} {message}"
            if diag.severity.rank >= threshold:
                failure = ET.SubElement(case, "failure", message=message, type=diag.severity.value)
                failure.text = text
                failed += 1
            else:
                ET.SubElement(case, "system-out").text = f"[{diag.severity.value}] {text}"
            cases += 1
        if not cases:
            ET.SubElement(suite, "testcase", name="xxgk-lint", classname=path, file=path)
        suite.set("tests", str(max(cases, 1)))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        total += max(cases, 1)
        failures += failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
