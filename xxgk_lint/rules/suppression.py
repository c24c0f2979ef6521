"""U: suppression comments that do nothing.

The runner reads the comment directives of text reports (see
``linter/suppress.py``) and reports these findings itself, after the other
rules ran; the functions here only declare the rules and document them.
"""

from __future__ import annotations

from xxgk_lint.linter.model import Report
from xxgk_lint.linter.registry import rule


@rule("U100", "unused-suppression", "warning")
def unused_suppression(report: Report):
    """忽略注释没有忽略任何问题。

    检查什么：`<!-- xxgk-lint: noqa=… -->`、`disable-next-line=…`、`disable=…` 注释所点名的规则都运行了，
    但在注释管辖的行或范围内没有报告任何问题。只在注释点名的规则全部运行时才报告（用 --select
    只运行部分规则时不会误报）；`all` 只在全部内置规则都运行时才报告。
    为什么：问题改正后留下的忽略注释会悄悄掩盖以后再出现的同类问题，应及时删除。
    错误示例：`依法做好政府信息公开工作。` → `依法做好政府信息公开工作。<!-- xxgk-lint: noqa=S104 -->`（这一行没有 S104 问题）
    正确示例：`五、存在的主要问题及改进情况` → `五、存在的问题及改进情况<!-- xxgk-lint: noqa=S104 -->`（注释忽略了这一行确有的 S104 问题，不是多余的）
    依据：工具自身（参照 ruff 的 RUF100）。
    """
    return iter(())


@rule("U101", "unknown-suppression-code", "warning")
def unknown_suppression_code(report: Report):
    """忽略注释中写了不存在的规则代码或名称。

    检查什么：忽略注释里的每个代码、前缀或规则名是否对应已知规则。
    为什么：写错的代码什么也不会忽略，起草人却以为问题已被接受。
    错误示例：`2023年，本局认真贯彻` → `2023年，本局认真贯彻<!-- xxgk-lint: noqa=Q999 -->`
    正确示例：标准报告
    依据：工具自身。
    """
    return iter(())
