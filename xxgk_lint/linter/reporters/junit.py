"""``--format junit``: JUnit XML, one test suite per file, one failing test case
per finding (a file without findings gets one passing case)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from . import position


def render(results, registry, out: TextIO) -> None:
    root = ET.Element("testsuites", name="xxgk-lint")
    total = failures = 0
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=result.path)
        cases = 0
        for diag in result.diagnostics:
            pos = position(result, diag)
            case = ET.SubElement(suite, "testcase", name=f"{diag.code} {diag.rule}", classname=result.path,
                                 file=result.path, line=str(pos["line"]))
            message = diag.text()
            failure = ET.SubElement(case, "failure", message=message, type=diag.severity.value)
            failure.text = f"{result.path}:{pos['line']}:{pos['column']}: {diag.code} {message}"
            cases += 1
        if not cases:
            ET.SubElement(suite, "testcase", name="xxgk-lint", classname=result.path, file=result.path)
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
