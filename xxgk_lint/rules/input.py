"""E: input that could not be read or understood.

E001-E009 and E012 are raised while reading (the runner turns them into findings), E013 when
checking a file goes over its time or memory limit;
E010 reports table rows whose values could not be read reliably, so that no
arithmetic is checked on a guess; E011 a table whose labels are there but which
could not be read as a table (never reported as missing).
"""

from __future__ import annotations

from xxgk_lint.linter.model import Diagnostic, ReadProblem, Report, msg
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
    （Big5 编码的文本也能按 GBK 解码，读出来是乱码，本项发现不了。）
    为什么：编码猜错会把汉字读成乱码，后续所有检查都不可信。
    错误示例：以不带 BOM 的 UTF-16 编码保存的文本。
    正确示例：另存为 UTF-8 或 GBK 编码的文本。
    依据：工具输入要求。
    """
    return iter(())


@rule("E003", "unsupported-format")
def unsupported_format(report: Report):
    """不支持的文件类型。

    检查什么：文件扩展名是否为本工具能读取的格式（.txt、.md、.docx、.odt、.pdf、.html/.htm、.ofd，
    以及安装 LibreOffice 后可自动转换的 .doc、.wps、.rtf）。
    为什么：无法读取的格式不能检查。
    错误示例：`报告.xlsx`
    正确示例：`报告.docx`、`报告.pdf`、`报告.txt`
    依据：工具输入要求。
    """
    return iter(())


@rule("E004", "empty-document")
def empty_document(report: Report):
    """文件中没有可检查的文字。

    检查什么：文件是否为空（0 字节或只有空白的文本文件、PDF 没有页面或没有任何文字、网页中没有正文）。
    为什么：没有文字就无法检查；若按空报告检查，会报出一串“缺少章节”，掩盖真正的问题。
    错误示例：0 字节的 `报告.pdf`；正文由脚本加载、保存下来只剩网站框架的网页。
    正确示例：含有报告全文的文件。
    依据：工具输入要求。
    """
    return iter(())


@rule("E005", "file-too-large")
def file_too_large(report: Report):
    """文件或其内部部件超过大小上限。

    检查什么：文件是否超过 50 MB；.docx/.ofd 等压缩包解压后是否超过 200 MB、单个部件是否超过
    64 MB、压缩比是否异常（大于 200 倍）、部件是否超过 5000 个；PDF/OFD 是否超过 500 页。
    这些在解压之前按压缩包目录检查。
    为什么：年度报告不会这么大；过大的文件多半不是报告，或是恶意构造的文件（“压缩炸弹”），
    读取它会耗尽内存。
    错误示例：数百 MB 的文件；几十 KB 却声称解压后有数 GB 的 .docx。
    正确示例：正常大小的报告文件。
    依据：工具安全限制。
    """
    return iter(())


@rule("E006", "encrypted-file")
def encrypted_file(report: Report):
    """文件已加密（设置了打开密码）。

    检查什么：PDF 是否需要密码才能打开；Word 文件是否设置了打开密码；压缩包部件是否加密。
    （只限制打印、复制而无需密码即可打开的 PDF 可以正常检查。）
    为什么：加密文件的内容无法读取。公开发布的年度报告也不应加密。
    错误示例：设置了打开密码的 `报告.pdf`。
    正确示例：去除密码后另存的文件。
    依据：工具输入要求。
    """
    return iter(())


@rule("E007", "damaged-file")
def damaged_file(report: Report):
    """文件已损坏、不完整，或结构不合规范。

    检查什么：PDF 是否有文件头和结尾标记（下载中断会截断文件）、能否解析；.docx/.odt/.ofd 是否为
    完整的压缩包、是否含有必需的部件、XML 是否有效；XML 中含有 DTD/实体声明的文件一律拒绝
    （这是“实体炸弹”和外部实体攻击的手法，正常文件不会有）。
    为什么：损坏的文件只能读出一部分，按残缺内容检查会得出错误结论。
    错误示例：只下载了一半的 `报告.pdf`；扩展名改成 .docx 的文本文件。
    正确示例：用原软件重新另存、重新下载的完整文件。
    依据：工具输入要求与安全限制。
    """
    return iter(())


@rule("E008", "no-text-layer")
def no_text_layer(report: Report):
    """PDF 没有可用的文字层（扫描件，或文字提取出来是乱码）。

    检查什么：PDF 是否只有图片而没有文字（扫描件）；提取出的文字是否大多是乱码
    （字体缺少 Unicode 映射时，汉字会变成“¿”¿¡fl‹”或“(cid:230)”之类的字符）。
    为什么：读不出文字就无法检查；若照常检查，会报出一串“缺少章节”“缺少表格”，全是假错误。
    错误示例：扫描后直接生成的 PDF；用特殊字体导出、复制出来是乱码的 PDF。
    正确示例：用 Word/WPS 原件检查，或从原件重新导出 PDF；扫描件需先做文字识别（OCR）。
    依据：工具输入要求。
    """
    return iter(())


@rule("E009", "internal-error")
def internal_error(report: Report):
    """读取或检查文件时工具内部出错。

    检查什么：工具自身在处理该文件时是否出错。
    为什么：出错时不能给出可信的检查结果；请把文件和提示信息反馈给维护者。
    错误示例：只在工具自身有缺陷时出现，例如读取文件的程序意外出错。
    正确示例：标准报告
    依据：工具自身。
    """
    return iter(())


@rule("E010", "table-unreadable", "warning")
def table_unreadable(report: Report):
    """表格中某一行的数值无法可靠读取。

    检查什么：从网页复制的文本常把相邻单元格的数字连在一起（如
    “一、本年新收政府信息公开申请数量640020470”）。工具按模板的合计关系拆分，
    再依次用表格的列关系、正文写明的数字、上一年度报告（--previous）排除读法；
    仍有多种拆法都成立，或数字太少、无从拆分时，就报告本行无法可靠读取，
    而不是在猜测的数字上报计算错误。任何拆法都使合计关系不成立时，是表格数字本身有误，由 A108 报告。
    为什么：在猜测的数值上报告“合计不符”会误导起草人。
    错误示例：`行政规范性文件 0 0 0` → `行政规范性文件77132470`（三列数字连在一起，可拆为 77/13/2470、7/713/2470 等）
    正确示例：`行政规范性文件 0 0 0` → `行政规范性文件 77 13 2470`（单元格之间有分隔）
    依据：表格的行列结构（国办公开办函〔2021〕30号附件格式）。
    """
    for table in report.tables.values():
        for problem in table.problems:
            if problem.kind in ("ambiguous-split", "no-split"):
                yield Diagnostic.of("E010", "unreadable", problem.span,
                                    data={"table": table.id, "row": problem.row_id, **problem.data},
                                    **_unreadable_fields(problem))


def _unreadable_fields(problem: ReadProblem) -> dict:
    """The message fields of a digit run the table reader could not split: the row, its
    digits, and why (``why``, a phrase of its own)."""
    readings = problem.data["readings"]
    if problem.relations:  # the old 统计表: the readings its relations leave are listed
        shown = problem.data["candidates"][:6]
        why = (msg("E010", "why_relations_left", relations=problem.relations, readings=readings, shown=shown,
                   more=msg("E010", "more") if readings > 6 else "")
               if readings else msg("E010", "why_relations_none", relations=problem.relations))
    elif problem.split_limit:
        why = msg("E010", "why_limit", limit=problem.split_limit)
    elif readings:
        why = msg("E010", "why_readings", readings=readings)
    else:
        why = msg("E010", "why_too_few")
    return {"label": problem.label, "digits": problem.data["digits"], "need": problem.data["expected_cells"],
            "why": why}


@rule("E011", "table-not-read", "warning")
def table_not_read(report: Report):
    """模板规定的表格在报告中，但未能按表格读取。

    检查什么：第二、三、四部分的文字中有模板表格的大部分行标签（如“第二十条第（一）项”“规章”
    “行政规范性文件”……至少三分之二），却读不出表格（例如表格被写成了一段文字、排版无法识别）。
    这时表格并不缺少（不报告 S201），但其中的数字不参与计算检查，请核对表格的排版。
    为什么：把排版读不出的表格报告为“缺少表格”是错误的诊断；但读不出的表格也无法核对，
    起草人应当知道这一点。
    错误示例：`规章 0 0 0` → ``；`行政规范性文件 0 0 0` → ``；`第二十条第（五）项` → ``；`行政许可 0` → ``；`第二十条第（六）项` → ``；`行政处罚 0` → ``；`行政强制 0` → ``；`第二十条第（八）项` → ``；`行政事业性收费 0` → ``；`第二十条第（一）项` → `本年度主动公开情况如下。第二十条第（一）项：规章0件、行政规范性文件0件，第二十条第（五）项：行政许可0件，第二十条第（六）项：行政处罚0件、行政强制0件，第二十条第（八）项：行政事业性收费0万元。`（第二部分的表格写成了一段文字）
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式（各部分的表格）。
    """
    if not report.template.fixed_sections:
        return
    for tsec in report.template.sections:
        for tid in tsec.tables:
            if tid in report.tables:
                continue
            labels = report.table_labels_in_text(tid)
            sec = report.section(tsec.no)
            if not labels or sec is None or sec.heading is None:
                continue
            yield Diagnostic.of("E011", "not_read", sec.heading.span, no=tsec.no, labels=labels[:3], count=len(labels),
                                data={"table": tid, "section": tsec.no, "labels_found": labels})


@rule("E012", "needs-conversion")
def needs_conversion(report: Report):
    """该格式需要先转换为 .docx 才能检查。

    检查什么：.doc（Word 97-2003）、.wps、.rtf 文件。装有 LibreOffice（soffice）时
    工具会自动转换后检查；没有安装、转换失败或超时时报告本项。
    为什么：这些格式没有可靠的纯 Python 读取方法；旧格式的表格尤其容易读错。
    错误示例：`报告.wps`（未安装 LibreOffice）
    正确示例：在 Word 或 WPS 中“另存为” `报告.docx` 后检查。
    依据：工具输入要求。
    """
    return iter(())


@rule("E013", "check-limit-exceeded")
def check_limit_exceeded(report: Report):
    """检查这个文件超过了时间或内存限制，已停止。

    检查什么：每个文件的检查时间是否超过 `--timeout` 给出的秒数（默认 60 秒，0 表示不限），
    批量检查时负责这个文件的工作进程是否意外退出（多半是内存不够）。超出时停止检查这个文件，
    其余文件照常检查，退出码为 2。
    为什么：正常的年度报告几秒内就能检查完；长时间不结束的文件多半是损坏或恶意构造的，
    不能让它拖住整批检查（pre-commit、CI 必须在有限时间内给出结果）。
    错误示例：`xxgk-lint check --timeout 0.5 报告.txt`，而读取这个文件需要很长时间。
    正确示例：`xxgk-lint check 报告.txt`（正常的报告）
    依据：工具安全限制。
    """
    return iter(())
