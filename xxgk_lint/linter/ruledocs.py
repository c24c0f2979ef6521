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
new text starts a new line; an optional note in full-width brackets may
follow), or as the single word ``标准报告`` (the example report unchanged, for
a 正确示例).  The failing example must yield the rule's code with only that rule
selected, the passing one must not.  Any other text is a description: it is
shown on the page but not run, and the test reports it as skipped.
"""

from __future__ import annotations

import argparse
import difflib
import pathlib
import re
import sys
from dataclasses import dataclass

from .runner import READ_CODES

LABELS = ("检查什么", "为什么", "错误示例", "正确示例", "依据", "需要", "例外", "说明")
LABEL_RE = re.compile(rf"^({'|'.join(LABELS)})：\s*(.*)$")
SCAFFOLD_WORD = "标准报告"
REPLACE_RE = re.compile(r"`([^`]+)`\s*→\s*`([^`]*)`")
NOTE_RE = re.compile(r"^（[^（）]*）$")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
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

    @property
    def runnable(self) -> bool:
        return self.scaffold or bool(self.replacements)

    def apply(self, scaffold: str) -> str:
        """The example report with the replacements made (each old text must occur)."""
        text = scaffold
        for old, new in self.replacements:
            if old not in text:
                raise ValueError(f"示例中的“{old}”不在标准报告中")
            text = text.replace(old, new.replace("\\n", "\n"), 1)
        return text


def parse_example(text: str | None) -> Example | None:
    if text is None:
        return None
    body = text.strip()
    if body == SCAFFOLD_WORD:
        return Example(body, [], scaffold=True)
    pairs = REPLACE_RE.findall(body)
    rest = REPLACE_RE.sub("", body).strip()
    rest = re.sub(r"^[；;\s]+|[；;\s]+$", "", re.sub(r"[；;]\s*[；;]", "；", rest))
    if pairs and (not rest or NOTE_RE.match(rest)):
        return Example(body, pairs)
    return Example(body, [])


def examples(rule_) -> dict[str, Example | None]:
    doc = parse_doc(rule_.doc)
    return {"错误示例": parse_example(doc.get("错误示例")), "正确示例": parse_example(doc.get("正确示例"))}


def _example_md(label: str, ex: Example | None) -> list[str]:
    if ex is None:
        return [f"**{label}**：（未提供）", ""]
    if ex.scaffold:
        return [f"**{label}**：标准示例报告本身（不作改动）。", ""]
    if ex.replacements:
        out = [f"**{label}**：在标准示例报告中作如下改动——", ""]
        for old, new in ex.replacements:
            out += ["```text", f"- {old}", *[f"+ {ln}" for ln in new.split("\\n")], "```", ""]
        note = REPLACE_RE.sub("", ex.text).strip(" ；;")
        if note:
            out += [note, ""]
        return out
    return [f"**{label}**：{ex.text}", ""]


def render_page(rule_) -> str:
    """The Markdown page of one rule."""
    doc = parse_doc(rule_.doc)
    code, name = rule_.code, rule_.name
    origin = "内置" if rule_.origin == "builtin" else f"插件 {rule_.origin}"
    out = [f"# {code} {name}", "", doc["summary"], "",
           f"- 代码：`{code}`；名称：`{name}`；默认级别：{SEVERITY_LABELS[rule_.severity.value]}"
           f"（`{rule_.severity.value}`）；来源：{origin}", ""]
    for label, heading in (("检查什么", "检查什么"), ("为什么", "为什么"), ("说明", "说明"), ("需要", "需要"),
                           ("例外", "例外"), ("依据", "依据")):
        if doc.get(label):
            out += [f"## {heading}", "", doc[label], ""]
    out += ["## 示例", ""]
    exs = examples(rule_)
    out += _example_md("错误示例", exs["错误示例"])
    out += _example_md("正确示例", exs["正确示例"])
    out += ["## 如何忽略", ""]
    if code in READ_CODES:  # reported while reading the file: not a rule that can be ignored
        out += ["这类问题由工具在读取文件时报告，不能用注释或配置忽略：请修正文件本身。", ""]
    elif code in SUPPRESSION_CODES:
        out += [f"这类问题说的就是忽略注释本身，不能再用注释忽略：删除或改正那条注释；确需保留时在配置文件中写 "
                f"`ignore = [\"{code}\"]`，或在命令行加 `--ignore {code}`。", ""]
    else:
        out += [
            f"- 文本格式（.txt、.md、.html）：在该行末尾加 `<!-- xxgk-lint: noqa={code} -->`，"
            f"或在上一行加 `<!-- xxgk-lint: disable-next-line={code} -->`；"
            f"一段范围用 `<!-- xxgk-lint: disable={code} -->` … `<!-- xxgk-lint: enable={code} -->`。",
            "- 任何格式（含 .docx、.pdf）：用基线文件记录已接受的问题："
            "`xxgk-lint check --write-baseline xxgk-lint-baseline.json 报告.docx`，之后检查时加 "
            "`--baseline xxgk-lint-baseline.json`。",
            f"- 配置文件：`ignore = [\"{code}\"]`，或用 `per-file-ignores` 只对部分文件忽略；"
            f"`[severity]` 表中写 `{code} = \"warning\"` 可调整级别。",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def index_page(rules) -> str:
    out = ["# 规则一览", "", "每条规则一页，由规则的文档字符串生成（`python -m xxgk_lint.linter.ruledocs --write`）。",
           "示例中的“标准示例报告”是 `tests/fixtures/rule-example-scaffold.txt`（一份按 2021 年格式编写、"
           "没有问题的 2023 年度报告）。", "",
           "| 代码 | 名称 | 默认级别 | 概要 |", "|---|---|---|---|"]
    for r in rules:
        summary = parse_doc(r.doc)["summary"].replace("|", "\\|")
        out.append(f"| [{r.code}]({r.code}.md) | `{r.name}` | {SEVERITY_LABELS[r.severity.value]} | {summary} |")
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
