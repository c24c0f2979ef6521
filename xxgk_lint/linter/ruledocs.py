"""Rule pages generated from each rule's docstring.

``xxgk-lint rule CODE`` prints the page; ``python -m xxgk_lint.linter.ruledocs
--write`` writes docs/rules/*.md; ``--check`` exits 1 when those files are out
of date (a test runs it).

Docstring convention (labels end with a full-width colon and start a line):

    一句话概要。

    检查什么：…   为什么：…   错误示例：…   正确示例：…   依据：…   需要：…

Runnable examples.  An example is run by the tests when it is written as one
or more replacements in the standard example report
(tests/fixtures/rule-example-scaffold.txt, a correct 2023 report in the 2021
format): `` `旧文本` → `新文本` `` (several separated by "；"; ``\\n`` in the
new text starts a new line, an empty new text deletes; an optional note in
full-width brackets may follow, quoting bracketed numbers such as “（二）” if
need be), or as the single word ``标准报告`` (the example report unchanged;
a note may follow it too).  The failing example must yield the rule's code
with only that rule selected, the passing one must not (tests/test_ruledocs.py).
Three kinds of rule are checked differently:

* Cross-year rules (family X) are checked with the previous-year example
  report (tests/fixtures/rule-example-scaffold-2022.txt, the same body's
  correct 2022 report) as the previous report, as ``--previous`` gives it.
  A replacement written ``上年报告 `旧文本` → `新文本` `` edits that report
  instead of the standard one.  Their examples are ``Example.cross_year``
  and not ``runnable``, which means "checked on the standard report alone".
* Suppression rules (U100, U101) are checked with every built-in rule
  selected, as by default: whether a comment suppresses something depends on
  the rules it names being run.
* Read errors (READ_CODES: a missing file, an unknown encoding, an encrypted,
  damaged, scanned or too large file, a format to convert) are about files,
  not text: their examples may stay descriptions, and the tests then check the
  rule on an equivalent file they build for each described example
  (READ_INPUTS in tests/test_ruledocs.py).

Any other text is a description: it is shown on the page, and the test of that
example fails -- every built-in rule's examples are run.
"""

from __future__ import annotations

import argparse
import difflib
import pathlib
import re
import sys
from dataclasses import dataclass, field

from .runner import READ_CODES

LABELS = ("检查什么", "为什么", "错误示例", "正确示例", "分组", "依据", "需要", "例外", "说明")
LABEL_RE = re.compile(rf"^({'|'.join(LABELS)})：\s*(.*)$")
SCAFFOLD_WORD = "标准报告"
PREVIOUS_WORD = "上年报告"  # before a replacement: it edits the previous-year example report
REPLACE_RE = re.compile(rf"(?:({PREVIOUS_WORD})\s*)?`([^`]+)`\s*→\s*`([^`]*)`")
NOTE = r"（(?:[^（）]|（[^（）]*）)*）"  # a note in full-width brackets, which may hold bracketed numbers like （二）
NOTE_RE = re.compile(rf"^{NOTE}$")
SCAFFOLD_FILE = "tests/fixtures/rule-example-scaffold.txt"
PREVIOUS_SCAFFOLD_FILE = "tests/fixtures/rule-example-scaffold-2022.txt"
# families whose rules compare with the previous year's report
CROSS_YEAR_FAMILIES = {"X"}
# findings about suppression comments: not themselves subject to comments
SUPPRESSION_CODES = {"U100", "U101"}
DOCS_DIR = pathlib.Path(__file__).resolve().parents[2] / "docs" / "rules"
HEADER = "<!-- 本页由 python -m xxgk_lint.linter.ruledocs --write 根据规则的文档字符串生成，请勿手工修改。 -->"


def _join(left: str, right: str) -> str:
    if not left:
        return right
    if left[-1].isascii() and right[:1].isascii():
        return f"{left} {right}"
    return left + right


def parse_doc(doc: str) -> dict[str, str]:
    """{"summary": …, "检查什么": …, …} from a rule docstring."""
    lines = doc.strip().splitlines()
    out: dict[str, str] = {"summary": lines[0].strip() if lines else ""}
    current = "说明"
    for raw in lines[1:]:
        line = raw.strip()
        if not line:
            continue
        m = LABEL_RE.match(line)
        if m:
            current = m.group(1)
            out[current] = _join(out.get(current, ""), m.group(2).strip())
        else:
            out[current] = _join(out.get(current, ""), line)
    return out


@dataclass
class Example:
    text: str
    replacements: list[tuple[str, str]]  # (old, new) in the example report
    scaffold: bool = False  # the example report unchanged
    previous_replacements: list[tuple[str, str]] = field(default_factory=list)  # in the previous-year one
    cross_year: bool = False  # checked with the previous-year example report as the previous report
    note: str = ""  # the note in full-width brackets after the edits, if any

    @property
    def edits(self) -> bool:
        """An edit of the example reports (or the standard one unchanged), not a description."""
        return self.scaffold or bool(self.replacements) or bool(self.previous_replacements)

    @property
    def runnable(self) -> bool:
        """Checked on the standard example report alone, with only its rule selected."""
        return self.edits and not self.cross_year

    def apply(self, scaffold: str) -> str:
        """The example report with the replacements made (each old text must occur)."""
        return _replace(scaffold, self.replacements, "标准报告")

    def apply_previous(self, previous: str) -> str:
        """The previous-year example report with its replacements made."""
        return _replace(previous, self.previous_replacements, "上年示例报告")


def _replace(text: str, replacements: list[tuple[str, str]], where: str) -> str:
    for old, new in replacements:
        if old not in text:
            raise ValueError(f"示例中的“{old}”不在{where}中")
        text = text.replace(old, new.replace("\\n", "\n"), 1)
    return text


def parse_example(text: str | None, cross_year: bool = False) -> Example | None:
    """The example of a docstring; ``cross_year`` for rules comparing with the previous report."""
    if text is None:
        return None
    body = text.strip()
    m = re.match(rf"^{SCAFFOLD_WORD}\s*({NOTE})?$", body)
    if m:
        return Example(body, [], scaffold=True, cross_year=cross_year, note=m.group(1) or "")
    found = REPLACE_RE.findall(body)
    rest = REPLACE_RE.sub("", body).strip()
    rest = re.sub(r"^[；;\s]+|[；;\s]+$", "", re.sub(r"[；;]\s*[；;]", "；", rest))
    if found and (not rest or NOTE_RE.match(rest)):
        return Example(body, [(old, new) for prev, old, new in found if not prev],
                       previous_replacements=[(old, new) for prev, old, new in found if prev],
                       cross_year=cross_year, note=rest)
    return Example(body, [], cross_year=cross_year)


def examples(rule_) -> dict[str, Example | None]:
    doc = parse_doc(rule_.doc)
    cross_year = rule_.family in CROSS_YEAR_FAMILIES
    return {label: parse_example(doc.get(label), cross_year) for label in ("错误示例", "正确示例")}


def _diff(old: str, new: str) -> list[str]:
    added = [f"+ {ln}" for ln in new.split("\\n")] if new else []  # nothing added: a deletion
    return ["```text", f"- {old}", *added, "```", ""]


def _words(key: str, **fields) -> str:
    """The pages' words (catalogue group ruledoc), in Chinese like the rules' docstrings."""
    from .catalogue import ui

    return ui(f"ruledoc.{key}", "zh", **fields)


def _example_md(label: str, ex: Example | None) -> list[str]:
    if ex is None:
        return [_words("not_given", label=label), ""]
    if ex.scaffold:
        return [_words("scaffold", label=label), ""] + ([ex.note, ""] if ex.note else [])
    if ex.edits:
        out = []
        for edits, which in ((ex.previous_replacements, "previous_report"), (ex.replacements, "standard_report")):
            if edits:
                which = _words(which)
                out += [_words("edits_first", label=label, which=which) if not out else _words("edits_more", which=which),
                        ""]
                for old, new in edits:
                    out += _diff(old, new)
        if ex.note:
            out += [ex.note, ""]
        return out
    return [_words("text_example", label=label, text=ex.text), ""]


def render_page(rule_) -> str:
    """The Markdown page of one rule."""
    doc = parse_doc(rule_.doc)
    code, name = rule_.code, rule_.name
    origin = _words("builtin") if rule_.origin == "builtin" else _words("plugin", name=rule_.origin)
    out = [f"# {code} {name}", "", doc["summary"], "",
           _words("facts", code=code, name=name, severity=rule_.severity.word("zh"), value=rule_.severity.value,
                  origin=origin), ""]
    for label, heading in (("检查什么", "检查什么"), ("为什么", "为什么"), ("说明", "说明"), ("需要", "需要"),
                           ("例外", "例外"), ("分组", "分组"), ("依据", "依据")):
        if doc.get(label):
            out += [f"## {heading}", "", doc[label], ""]
    out += [_words("examples"), ""]
    if rule_.family in CROSS_YEAR_FAMILIES:
        out += [_words("cross_year", previous=PREVIOUS_SCAFFOLD_FILE), ""]
    elif code in SUPPRESSION_CODES:
        out += [_words("suppression"), ""]
    exs = examples(rule_)
    out += _example_md(_words("bad"), exs["错误示例"])
    out += _example_md(_words("good"), exs["正确示例"])
    out += [_words("ignore"), ""]
    if code in READ_CODES:  # reported while reading the file: not a rule that can be ignored
        out += [_words("ignore_read", code=code), ""]
    elif code in SUPPRESSION_CODES:
        out += [_words("ignore_suppression", code=code), ""]
    else:
        out += [_words("ignore_text", code=code), _words("ignore_baseline"), _words("ignore_config", code=code), ""]
    return "\n".join(out).rstrip() + "\n"


def index_page(rules) -> str:
    out = [_words("index_title"), "", _words("index_intro"),
           _words("index_examples", scaffold=SCAFFOLD_FILE, previous=PREVIOUS_SCAFFOLD_FILE), "",
           _words("index_header"), "|---|---|---|---|"]
    for r in rules:
        summary = parse_doc(r.doc)["summary"].replace("|", "\\|")
        out.append(f"| [{r.code}]({r.code}.md) | `{r.name}` | {r.severity.word('zh')} | {summary} |")
    return "\n".join(out) + "\n"


def expected_files() -> dict[str, str]:
    """file name -> content, for every built-in rule (plugins are documented by their packs)."""
    from .registry import load_registry

    rules = sorted(load_registry(include_plugins=False).rules.values(), key=lambda r: r.code)
    files = {f"{r.code}.md": HEADER + "\n\n" + render_page(r) for r in rules}
    files["README.md"] = HEADER + "\n\n" + index_page(rules)
    return files


def check(directory: pathlib.Path = DOCS_DIR) -> list[str]:
    """Problems: files missing, stale or not generated."""
    problems = []
    wanted = expected_files()
    for name, content in wanted.items():
        path = directory / name
        if not path.exists():
            problems.append(f"{path}: 缺少")
        elif path.read_text(encoding="utf-8") != content:
            diff = difflib.unified_diff(path.read_text(encoding="utf-8").splitlines(), content.splitlines(),
                                        "现有", "应为", lineterm="", n=1)
            problems.append(f"{path}: 已过期\n" + "\n".join(list(diff)[:20]))
    if directory.exists():
        for path in sorted(directory.glob("*.md")):
            if path.name not in wanted:
                problems.append(f"{path}: 没有对应的规则（规则已删除？）")
    return problems


def write(directory: pathlib.Path = DOCS_DIR) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    wanted = expected_files()
    for name, content in wanted.items():
        (directory / name).write_text(content, encoding="utf-8")
    for path in directory.glob("*.md"):
        if path.name not in wanted:
            path.unlink()
    return len(wanted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成或核对 docs/rules/ 下的规则说明页")
    parser.add_argument("--check", action="store_true", help="只核对，有过期的页面时退出码为 1")
    parser.add_argument("--write", action="store_true", help="重新生成全部页面")
    parser.add_argument("--dir", type=pathlib.Path, default=DOCS_DIR)
    args = parser.parse_args(argv)
    if args.write:
        print(f"已写入 {write(args.dir)} 个文件到 {args.dir}")
        return 0
    problems = check(args.dir)
    for p in problems:
        print(p)
    if problems:
        print("规则说明页已过期：运行 python -m xxgk_lint.linter.ruledocs --write", file=sys.stderr)
        return 1
    print("规则说明页是最新的。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
