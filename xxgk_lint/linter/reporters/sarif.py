"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other viewers.

Columns are Unicode code points (``columnKind``), as in every other format.
Each result carries a ``partialFingerprints`` entry built from the same
structural fingerprint as the baseline (no line numbers), so an edit above a
finding does not reopen the alert.  Findings in .docx/.pdf also carry a
logical location (page, paragraph, table, row) in the format's own terms,
and their message ends with it (GitHub shows only the line).  A finding about
the whole file points at line 1: GitHub places a result only with a region.
"""

from __future__ import annotations

import json
import os
from typing import TextIO
from urllib.parse import quote

from ... import __version__
from ..baseline import fingerprints, short
from . import file_position, located_text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> dict:
    if os.path.isabs(path):
        return {"uri": "file://" + quote(path.replace(os.sep, "/"))}
    return {"uri": quote(os.path.normpath(path).replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def _rule_descriptor(rule_) -> dict:
    from ..ruledocs import parse_doc, render_page

    doc = parse_doc(rule_.doc)
    descriptor = {
        "id": rule_.code,
        "name": rule_.name,
        "shortDescription": {"text": rule_.summary or rule_.name},
        "help": {"text": rule_.doc or rule_.summary, "markdown": render_page(rule_)},
        "defaultConfiguration": {"level": LEVELS[rule_.severity.value]},
        "properties": {"origin": rule_.origin},
    }
    if doc.get("检查什么"):
        descriptor["fullDescription"] = {"text": doc["检查什么"]}
    return descriptor


def _describe_location(loc: dict) -> str:
    from .text import _describe

    return _describe(loc)


def result_object(result, diag, index: dict[str, int], fingerprint: str) -> dict:
    pos = file_position(result, diag)
    artifact = _uri(result.path)
    physical: dict = {"artifactLocation": artifact}
    if result.document is not None and diag.span is not None:
        physical["region"] = {"startLine": pos["line"], "startColumn": pos["column"],
                              "endLine": pos["end_line"], "endColumn": max(pos["end_column"], 1)}
    else:
        physical["region"] = {"startLine": 1}  # the whole file
    location: dict = {"physicalLocation": physical}
    loc = pos["location"]
    if loc.get("kind") not in ("text", "file"):
        location["logicalLocations"] = [{"fullyQualifiedName": f"{loc['kind']}:{_describe_location(loc)}",
                                         "kind": "element"}]
    item = {
        "ruleId": diag.code,
        "level": LEVELS[diag.severity.value],
        "message": {"text": located_text(diag, loc)},
        "locations": [location],
        # the path as in the URI: "./reports/a.txt" and "reports/a.txt" are one file
        "partialFingerprints": {"xxgkLintFingerprint/v1": short(f"{artifact['uri']}\n{fingerprint}")},
        "properties": {"rule": diag.rule, "location": loc, **({"data": diag.data} if diag.data else {})},
    }
    if diag.code in index:
        item["ruleIndex"] = index[diag.code]
    return item


def build(results, registry) -> dict:
    codes = sorted({d.code for r in results for d in r.diagnostics})
    rules = [registry.rules[c] for c in codes if c in registry.rules]
    index = {r.code: i for i, r in enumerate(rules)}
    sarif_results = []
    for result in results:
        for diag, fp in zip(result.diagnostics, fingerprints(result)):
            sarif_results.append(result_object(result, diag, index, fp))
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "xxgk-lint", "version": __version__, "semanticVersion": __version__,
                                "rules": [_rule_descriptor(r) for r in rules]}},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": _srcroot()}},
            "results": sarif_results,
            "invocations": [{"executionSuccessful": True}],
        }],
    }


def _srcroot() -> str:
    cwd = os.getcwd().replace(os.sep, "/")
    return "file://" + quote(cwd if cwd.endswith("/") else cwd + "/")


def render(results, registry, out: TextIO) -> None:
    json.dump(build(results, registry), out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")
