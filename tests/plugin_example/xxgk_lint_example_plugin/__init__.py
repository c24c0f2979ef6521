"""An example rule pack: a province's extra requirement, with its own prefix Z."""

from xxgk_lint.linter.model import Diagnostic, Report
from xxgk_lint.linter.registry import rule


@rule("Z101", "contact-phone-missing", "warning")
def contact_phone_missing(report: Report):
    """报告没有写明联系电话（示例插件规则）。

    检查什么：正文中是否出现“联系电话”。
    为什么：示例省份要求年度报告写明咨询电话，便于公众询问。
    错误示例：正文没有“联系电话”。
    正确示例：`联系电话：0000-0000000`
    依据：示例插件，不代表任何真实规定。
    """
    if not any("联系电话" in p.text.text for p in report.paragraphs()):
        span = report.title.span if report.title else None
        # message_en: the English text for --lang en (without it, English runs show the Chinese)
        yield Diagnostic("报告中没有找到“联系电话”", span, data={"expected": "联系电话"},
                         message_en="The report does not give a “联系电话” (contact telephone number)")
