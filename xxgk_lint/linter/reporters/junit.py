"""``--format junit``: JUnit XML, one test suite per file, one failing test case
per finding (a file without findings gets one passing case).

Report text quoted in messages may hold characters XML 1.0 forbids (form
feeds and other control characters from PDF text layers); they are replaced
by U+FFFD so that the file stays well-formed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from . import file_position, located_text

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def render(results, registry, out: TextIO) -> None:
    root = ET.Element("testsuites", name="xxgk-lint")
    total = failures = 0
    for result in results:
        path = _xml(result.path)
        suite = ET.SubElement(root, "testsuite", name=path)
        cases = 0
        for diag in result.diagnostics:
            pos = file_position(result, diag)
            case = ET.SubElement(suite, "testcase", name=f"{diag.code} {diag.rule}", classname=path,
                                 file=path, line=str(pos["line"]))
            message = _xml(located_text(diag, pos["location"]))
            failure = ET.SubElement(case, "failure", message=message, type=diag.severity.value)
            failure.text = f"{path}:{pos['line']}:{pos['column']}: {diag.code} {message}"
            cases += 1
        if not cases:
            ET.SubElement(suite, "testcase", name="xxgk-lint", classname=path, file=path)
        suite.set("tests", str(max(cases, 1)))
        suite.set("failures", str(cases))
        suite.set("errors", "0")
        total += max(cases, 1)
        failures += cases
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
