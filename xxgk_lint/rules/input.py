"""E: input that could not be read or understood.

E001-E009 are raised while reading (the runner turns them into findings);
E010/E011 report tables whose values could not be read reliably, so that no
arithmetic is checked on a guess.
"""

from __future__ import annotations

from xxgk_lint.linter.model import Diagnostic, Report
from xxgk_lint.linter.registry import rule


@rule("E001", "unreadable-file")
def unreadable(report: Report):
    """文件无法读取（不存在、无权限或读取出错）。

    检查什么：命令行给出的文件能否打开读取。
    为什么：读不到的文件无法检查；其余文件照常检查，但退出码为 2。
    错误示例：`xxgk-lint check 不存在.txt`
    正确示例：给出存在且可读的报告文件。
    依据：工具输入要求。
    """
    return iter(())


@rule("E002", "unknown-encoding")
def unknown_encoding(report: Report):
    """文本文件的编码无法识别。

    检查什么：.txt/.md 文件是否为 UTF-8（可带 BOM）、带 BOM 的 UTF-16 或 GB18030/GBK/GB2312。
    为什么：编码猜错会把汉字读成乱码，后续所有检查都不可信。
    错误示例：以 Big5 等其他编码保存的文本。
    正确示例：另存为 UTF-8 或 GBK 编码的文本。
    依据：工具输入要求。
    """
    return iter(())


@rule("E003", "unsupported-format")
def unsupported_format(report: Report):
    """不支持的文件类型。

    检查什么：文件扩展名是否为本工具能读取的格式。
    为什么：无法读取的格式不能检查。
    错误示例：`报告.xlsx`
    正确示例：`报告.txt`、`报告.md`
    依据：工具输入要求。
    """
    return iter(())


@rule("E005", "file-too-large")
def file_too_large(report: Report):
    """文件超过大小上限。

    检查什么：文件大小是否超过 50 MB。
    为什么：年度报告不会这么大；过大的文件多半不是报告，或是恶意构造的文件。
    错误示例：数百 MB 的文件。
    正确示例：正常大小的报告文件。
    依据：工具安全限制。
    """
    return iter(())


@rule("E009", "internal-error")
def internal_error(report: Report):
    """读取或检查文件时工具内部出错。

    检查什么：工具自身在处理该文件时是否出错。
    为什么：出错时不能给出可信的检查结果；请把文件和提示信息反馈给维护者。
    错误示例：（工具缺陷触发）
    正确示例：（无）
    依据：工具自身。
    """
    return iter(())


@rule("E010", "table-unreadable", "warning")
def table_unreadable(report: Report):
    """表格中某一行的数值无法可靠读取。

    检查什么：从网页复制的文本常把相邻单元格的数字连在一起（如
    “一、本年新收政府信息公开申请数量640020470”）。工具按模板的合计关系拆分；
    若有多种拆法都成立，或没有一种拆法成立，就报告本行无法可靠读取，
    而不是在猜测的数字上报计算错误。
    为什么：在猜测的数值上报告“合计不符”会误导起草人。
    错误示例：`行政规范性文件77132470`（三列，可拆为 77/13/2470、7/713/2470 等）
    正确示例：`行政规范性文件 77 13 2470`（单元格之间有分隔）
    依据：表格的行列结构（国办公开办函〔2021〕30号附件格式）。
    """
    for table in report.tables.values():
        for problem in table.problems:
            if problem.kind in ("ambiguous-split", "no-split"):
                yield Diagnostic(problem.message, problem.span,
                                 data={"table": table.id, "row": problem.row_id, **problem.data})
