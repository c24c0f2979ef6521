"""C: content the law and the format require -- problems and improvements in
section 五, the information-processing fee in section 六 (2021 format), the
topics of 一、总体情况, and no mandated section left empty.

Wording varies a lot between reports; the word lists live in the template
data (rule_data) and are lenient: a finding here means the topic is not
mentioned in any usual wording, never that it is worded differently.
"""

from __future__ import annotations

import functools
import re

from xxgk_lint.linter.model import Diagnostic, Heading, Report, Section, SectionDef, Severity, fold_key, msg, rule_data
from xxgk_lint.linter.registry import rule

_PUNCT = re.compile(r"[\s,.;:!?、。，；：！？\"'“”()（）]")
_NOTHING = re.compile(r"^(?:本(?:年度|年)?|今年)?(?:暂)?(?:无|没有)(?:其他|相关|此类)?(?:需要报告的事项|需要报告的|事项|情况|内容)?$")


def _compact(text: str) -> str:
    return _PUNCT.sub("", text)


def _own_text(sec: Section) -> str:
    """Everything written under the section, plus any text run on after the
    title on the heading line (e.g. "六、其他需要报告的事项：无")."""
    extra = _title_extra(sec)
    return (extra + "\n" + sec.body_text()).strip()


def _title_extra(sec: Section) -> str:
    if sec.heading is None or sec.template is None:
        return ""
    title = fold_key(sec.heading.title)
    for cand in [sec.template.title, *sec.template.variants]:
        key = fold_key(cand.split("、", 1)[-1])
        if title.startswith(key):
            return title[len(key):].lstrip(":.")
    return ""


def is_nothing(text: str) -> bool:
    """"无", "暂无", "无其他需要报告的事项" and the like."""
    return bool(_NOTHING.match(_compact(text)))


def _has_content(sec: Section) -> bool:
    return bool(sec.paragraphs or sec.children or sec.table_lines or _title_extra(sec))


def _section(report: Report, role: str) -> tuple[SectionDef, Section, Heading] | None:
    """The template section the data gives ``role`` (overview, problems, other_matters) and the
    report's section matched to it, when the report has it."""
    tsec = report.template.section_for(role)
    sec = report.section(tsec.no) if tsec is not None else None
    if tsec is None or sec is None or sec.heading is None:
        return None
    return tsec, sec, sec.heading


@rule("C101", "problems-and-improvements")
def problems_and_improvements(report: Report):
    """第五部分没有写明存在的问题或改进情况。

    检查什么：“五、存在的主要问题及改进情况”是否既写了存在的问题，又写了改进措施。
    只写“无”的为错误；只写了其中一方面的（按常见用语判断，如“不足、有待、短板”与“改进、下一步、将、加强”）
    为警告。部分完全空白的由 C105 报告。
    为什么：条例第五十条第（四）项要求年度报告包括“政府信息公开工作存在的主要问题及改进情况”，
    写“无”或只写成绩，等于没有履行这一项。
    错误示例：`存在的主要问题是政策解读形式较为单一。改进措施是丰富解读形式，提高解读质量。` → `无。`
    正确示例：`存在的主要问题是政策解读形式较为单一。改进措施是丰富解读形式，提高解读质量。` → `存在的主要问题：政策解读形式较为单一，解读质量有待加强。改进措施：下一步，本局将丰富解读形式。`
    依据：条例第五十条第（四）项；国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式第五部分。
    """
    found = _section(report, "problems")
    if found is None or not _has_content(found[1]):
        return
    tsec, sec, heading = found
    text = _own_text(sec)
    if is_nothing(text):
        yield Diagnostic.of("C101", "only_nothing", heading.span, text=text.strip(),
                            data={"section": tsec.no, "found": text.strip(), "missing": ["problems", "improvements"]})
        return
    data = rule_data(report)
    missing = []
    if not any(t in text for t in data["problem_terms"]):
        missing.append("problems")
    if not any(t in text for t in data["improvement_terms"]):
        missing.append("improvements")
    if missing:
        yield Diagnostic.of("C101", "not_stated", heading.span, missing=[msg("C101", m) for m in missing],
                            severity=Severity.WARNING, data={"section": tsec.no, "missing": missing})


def _fee_mentions(text: str, terms: list[str]) -> bool:
    return any(t in text for t in terms)


@rule("C102", "fee-statement-missing", "warning")
def fee_statement_missing(report: Report):
    """第六部分没有说明信息处理费的收取情况（2021年格式）。

    检查什么：2021年及以后的报告，“六、其他需要报告的事项”是否说明了本年度是否收取、
    收取多少信息处理费（“本年度未收取信息处理费”也是说明）。若第三部分表格
    “（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用”一行不为0，更应当说明。
    若收费情况写在了别的部分，提示移到第六部分。只写“无”的第六部分在2019年格式下不算违规，不检查。
    为什么：国办函〔2020〕109号《政府信息公开信息处理费管理办法》自2021年起施行，各地年度报告
    普遍在第六部分报告收取信息处理费的情况；格式说明的原文未能核实，因此只作提醒。
    错误示例：`本年度未收取信息处理费。` → `无。`（2023年度报告第六部分只写“无”）
    正确示例：标准报告（第六部分写“本年度未收取信息处理费。”）
    依据：国办函〔2020〕109号；国办公开办函〔2021〕30号附件格式第六部分（说明原文未核实）。
    """
    if not report.template.expects_fee_statement:
        return
    found = _section(report, "other_matters")
    if found is None:
        return
    tsec, sec, heading = found
    data = rule_data(report)
    if _fee_mentions(_own_text(sec), data["fee_statement_terms"]):
        return
    elsewhere = next((p for p in report.paragraphs() if _fee_mentions(p.text.text, data["fee_terms"])), None)
    where = data["unpaid_fee_cell"]
    table = report.tables.get(where["table"])
    unpaid = table.value(where["row"], where["column"]) if table is not None else None
    hint = msg("C102", "unpaid", unpaid=unpaid) if unpaid else ""
    line = report.document.line_col(elsewhere.span.start)[0] if elsewhere is not None else None
    fields = {"section": tsec.no, "mentioned_at_line": line, "unpaid_applications": str(unpaid) if unpaid else None}
    if line is not None:
        yield Diagnostic.of("C102", "elsewhere", heading.span, line=line, hint=hint, data=fields)
    else:
        yield Diagnostic.of("C102", "missing", heading.span, hint=hint, data=fields)


@functools.lru_cache(maxsize=None)
def _no_fee(fee_terms: tuple[str, ...]) -> re.Pattern:
    """"未收取信息处理费", "信息处理费为0" and the like, for the fee names of
    rule_data.fee_terms."""
    fee = "|".join(re.escape(t) for t in sorted(fee_terms, key=len, reverse=True))
    return re.compile(rf"(?:未|没有|无|不|均未|从未)[^。;,，；\d]{{0,6}}(?:收取|收费|产生)[^。;\d]{{0,10}}?(?:{fee}|费用)"
                      rf"|(?:{fee})[^。;\d]{{0,6}}?(?:为零|为0|0元|未收取|无)")


@rule("C103", "fee-contradiction")
def fee_contradiction(report: Report):
    """报告说未收取信息处理费，却又写了收费金额。

    检查什么：正文中既有“未收取信息处理费”一类的表述，又写了收取信息处理费的金额（金额所在分句说的是
    收取、收费或缴纳，如“收取信息处理费200元”），两者矛盾即报告。减免的金额（“减免信息处理费300元”）
    和收费标准（“信息处理费标准为每件100元”“按件计收”）不是收取的费用，不作比较（用语清单见模板数据
    rule_data.fee_charged_terms、rule_data.fee_not_charged_terms）。第二部分表格中的“行政事业性收费”
    是本机关的行政收费，不是信息处理费，不作比较。
    为什么：前后矛盾的收费说明会让读者无法判断是否收费，收费情况又是社会关注的重点。
    错误示例：`本局依法办理政府信息公开申请。` → `本局依法办理政府信息公开申请，收取信息处理费300元。`（第六部分却写“本年度未收取信息处理费。”）
    正确示例：`本局依法办理政府信息公开申请。` → `本局依法办理政府信息公开申请，未收取信息处理费。`（两处说法一致）
    依据：国办函〔2020〕109号《政府信息公开信息处理费管理办法》；条例第四十二条（收取信息处理费）。
    """
    data = rule_data(report)
    terms, charged, not_charged = data["fee_terms"], data["fee_charged_terms"], data["fee_not_charged_terms"]
    units = data["fee_amount_units"]
    no_fee_re = _no_fee(tuple(terms))
    no_fee = None
    for para in report.paragraphs():
        m = no_fee_re.search(para.text.text)
        if m:
            no_fee = (para, m)
            break
    if no_fee is None:
        return
    para, m = no_fee
    statement_line = report.document.line_col(para.text.span(m.start(), m.end()).start)[0]
    for num in report.stated_numbers:
        if num.unit not in units or num.value <= 0 or not _fee_mentions(num.context, terms):
            continue
        # only an amount charged contradicts: not one waived (减免) or a tariff (标准为每件……)
        if not _fee_mentions(num.context, charged) or _fee_mentions(num.context, not_charged):
            continue
        if no_fee_re.search(num.context):
            continue
        yield Diagnostic.of("C103", "contradiction", num.span, amount=f"{num.raw}{num.unit}", line=statement_line,
                            statement=m.group(), data={"amount": str(num.value), "unit": num.unit,
                                                       "statement": m.group(), "statement_line": statement_line})


def _topic_present(text: str, words: list[str]) -> bool:
    key = fold_key(text)
    return any(fold_key(w) in key for w in words)


@rule("C104", "overview-topic-missing", "warning")
def overview_topic_missing(report: Report):
    """“一、总体情况”没有涉及格式说明列出的方面。

    检查什么：2021年格式的说明要求总体情况“主要包括主动公开、依申请公开、政府信息管理、
    政府信息公开平台建设、监督保障等方面”。逐项检查总体情况中是否提到（接受常见的近义说法，
    如“平台建设”“网站”“新媒体”都算平台建设，“考核”“培训”“监督”都算监督保障；清单见模板数据
    rule_data.overview_topics），列出从未提到的方面。
    为什么：总体情况是读者了解全年工作的入口，漏掉某一方面通常是照搬旧稿或敷衍所致。
    错误示例：`（五）监督保障` → ``；`本局将政府信息公开工作纳入年度考核。` → ``（总体情况没有一句话讲监督保障）
    正确示例：标准报告（总体情况按主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面分段）
    依据：国办公开办函〔2021〕30号附件格式说明（一）总体情况；条例第五十条第（四）项
    （各级人民政府还应包括工作考核、社会评议和责任追究结果情况）。
    """
    found = _section(report, "overview")
    if found is None or not found[0].expected_content or not _has_content(found[1]):
        return
    tsec, sec, heading = found
    synonyms = rule_data(report)["overview_topics"]
    text = _own_text(sec)
    missing = [t for t in tsec.expected_content if not _topic_present(text, synonyms.get(t, [t]))]
    if missing:
        yield Diagnostic.of("C104", "missing", heading.span, missing=missing, expected=tsec.expected_content,
                            data={"section": tsec.no, "missing": missing, "expected": tsec.expected_content})


@rule("C105", "section-empty")
def section_empty(report: Report):
    """模板规定的部分只有标题，没有内容。

    检查什么：六个部分中，有标题但标题下没有任何文字或表格的部分。
    （写“无”不算空白：第六部分在2019年格式下写“无”是允许的；第五部分写“无”由 C101 报告。）
    为什么：条例第五十条规定了年度报告必须包括的内容，只留标题等于没有报告这一项。
    错误示例：`存在的主要问题是政策解读形式较为单一。改进措施是丰富解读形式，提高解读质量。` → ``（“五、存在的主要问题及改进情况”之后紧接着“六、其他需要报告的事项”）
    正确示例：`本年度未收取信息处理费。` → `本年度无其他需要报告的事项。`（没有事项的部分写“无”或“本年度无其他需要报告的事项”）
    依据：条例第五十条；国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    """
    for sec in report.sections:
        if sec.template is None or not sec.template.required or sec.heading is None or _has_content(sec):
            continue
        yield Diagnostic.of("C105", "empty", sec.heading.span, no=sec.template.no,
                            heading=f"{sec.heading.marker.strip()}{sec.heading.title}",
                            data={"section": sec.template.no, "title": sec.heading.title})
