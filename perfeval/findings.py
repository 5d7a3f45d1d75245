"""Findings as data: every kind of problem perfeval reports, with its severity and its message.

A finding says where it is as the workbook's contract sees it — the sheet, the data row and
the column's key in the schema — never as a cell address: the columns of a sheet are found
by their headers and may be in any order. ``locate`` works out the cell ('D7', the header row
'1:1', the column 'D:D') at the edge, from the columns the reader found, for the console, the
JSON, the annotated copy and the web page.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from .schema import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE


class Code(str, Enum):
    """A finding's code (its value, as printed in the JSON), severity and message template."""

    def __new__(cls, code: str, severity: Severity, template: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.severity = severity
        member.template = template
        return member

    # ---------------------------------------------------------------- reading the workbook
    SHEET_MISSING = "SHEET_MISSING", E, "缺少工作表“{name}”。请使用标准模板（perfeval template）中的工作表名称。"
    FIELD_MISSING = "FIELD_MISSING", E, "缺少必填字段“{field}”：请在A列加入该字段，并在B列填写内容。"
    FIELD_UNKNOWN = "FIELD_UNKNOWN", W, "“{field}”不是标准字段，其内容未被读取。如是字段名写错，请改为标准模板中的名称。"
    FIELD_DUPLICATE = "FIELD_DUPLICATE", W, "字段“{field}”出现了两次（第{first}行和第{second}行），内容相同，以第一次为准。"
    FIELD_CONFLICT = "FIELD_CONFLICT", E, ("字段“{field}”出现了两次（第{first}行和第{second}行），内容不同（{values}），"
                                          "无法确定以哪一行为准。请删除多余的一行。")
    HEADER_MISSING = "HEADER_MISSING", E, "第1行缺少表头“{header}”。{near}表头须与标准模板一致（列的顺序可以不同）。"
    HEADER_UNIT = "HEADER_UNIT", E, "表头“{header}”的单位应为（万元）或（元）。"
    HEADER_DUPLICATE = "HEADER_DUPLICATE", W, "表头“{header}”出现了两次，只读取第一列。"
    HEADER_UNKNOWN = "HEADER_UNKNOWN", W, "表头“{header}”不是标准表头，该列未被读取；是否应为“{expected}”？"
    REQUIRED = "REQUIRED", E, "“{label}”为必填项，不能为空。"
    BAD_VALUE = "BAD_VALUE", E, "“{label}”应为{expected}，实际填写的是“{typed}”。"
    UNIT_CONVERTED = "UNIT_CONVERTED", W, "“{label}”填写的是“{typed}”，单位与表头（{unit}）不同，已换算。"
    CONTROL_CHARS = "CONTROL_CHARS", W, ("“{label}”中含有不可见的控制字符或 Excel 转义符（如 _x000D_，多来自从 Word "
                                         "粘贴的文字），已清除。")
    FORMULA_COMPUTED = "FORMULA_COMPUTED", W, ("单元格中的公式“{formula}”没有保存计算结果，perfeval 已自行计算为 {value}。"
                                               "建议用 Excel 或 WPS 打开工作簿并保存一次。")
    FORMULA_NO_VALUE = "FORMULA_NO_VALUE", E, ("“{label}”是公式“{formula}”，但文件中没有保存它的计算结果（文件可能由其他"
                                               "程序生成，未在 Excel/WPS 中保存过）。请用 Excel 或 WPS 打开工作簿并保存后再试。")

    TEMPLATE_V1 = "TEMPLATE_V1", N, ("这是第1版标准工作簿，仍可使用。第2版增加了年初预算数、全年预算数、自评得分、支出类型、"
                                     "更多资金来源和“达成判断”计分方法；用 perfeval template 生成新模板即可使用。")
    BUDGET_ASSUMED = "BUDGET_ASSUMED", N, "未填写{field}，按{assumed}计。"
    BUDGET_FULL_MISMATCH = "BUDGET_FULL_MISMATCH", E, ("全年预算数为{full}，预算总额为{total}：两者是同一个数（调整后的"
                                                       "全年预算），应相等。只填其中一个即可。")
    SELF_SCORE = "SELF_SCORE", W, "填报的自评总分为{typed}分，按各指标得分计算的总分为{total}分（相差{difference}分）。"
    TOTAL_NOT_ROWS = "TOTAL_NOT_ROWS", W, ("填写的总分为{typed}分，各指标填写的得分之和为{rows}分（相差{difference}分）："
                                           "总分应为各行得分之和。")

    FORM_PART_MISSING = "FORM_PART_MISSING", E, "自评表中没有找到{part}，无法读取这部分。请核对表格的栏目名称。"
    FORM_RATE = "FORM_RATE", W, "执行率填写为{typed}，按全年执行数÷全年预算数应为{computed}。"
    FORM_TOTAL_FROM_SOURCES = "FORM_TOTAL_FROM_SOURCES", N, (
        "“年度资金总额”一行的年初预算数、全年预算数、全年执行数都为0或未填写，其下各资金来源行合计为年初{initial}、"
        "全年{full}、执行{paid}：已按各来源行的合计计算。请在自评表中补填年度资金总额。")
    FORM_SIDE_BY_SIDE = "FORM_SIDE_BY_SIDE", W, ("这一行有{count}个“项目名称”：并排放置的自评表无法分开读取，只读取了最左边"
                                                 "一张。请把其余各张移到下方（空几行）或各自的工作表中。")
    FORM_PLACEHOLDER = "FORM_PLACEHOLDER", N, ("这一行的{what}填写为“/”，是占位行（该类指标本年没有），未作为指标计分。"
                                               "如确有该指标，请填写指标值、完成值和分值。")

    # ---------------------------------------------------------------- scoring
    CANNOT_SCORE = "CANNOT_SCORE", E, "三级指标“{name}”：{problem}在改正之前，该指标按0分计。"

    # ---------------------------------------------------------------- funds
    BUDGET_EMPTY = "BUDGET_EMPTY", E, "“预算明细”中没有任何预算项目，请至少填写一行。"
    BUDGET_SUM = "BUDGET_SUM", E, ("预算总额为{total}，但“预算明细”各行预算金额之和为{lines}，两者应相等"
                                   "（相差{difference}）。")
    BUDGET_LINE_DUPLICATE = "BUDGET_LINE_DUPLICATE", E, "预算项目“{name}”与第{first}行重名，每个预算项目只能出现一次。"
    NEGATIVE = "NEGATIVE", E, "{what}{rule}，实际为{value}。"
    IN_PLACE_OVER = "IN_PLACE_OVER", E, ("预算项目“{name}”的到位金额{in_place}超过其预算金额{budget}，"
                                         "到位金额应不大于预算金额。")
    PAID_OVER_BUDGET = "PAID_OVER_BUDGET", E, "预算项目“{name}”的支付合计{paid}超过其预算金额{budget}。"
    UNKNOWN_BUDGET_LINE = "UNKNOWN_BUDGET_LINE", E, "{what}的预算项目“{name}”不在“预算明细”中。应为以下之一：{choices}。"
    FUND_SOURCE_CLASSIFIED = "FUND_SOURCE_CLASSIFIED", N, ("资金来源“{source}”不是下拉列表中的来源，在项目支出绩效自评表中"
                                                           "计入“{form_row}”；报告中照写“{source}”。如归类不对，请从下拉列表中选择。")
    PAYMENT_OUTSIDE_PERIOD = "PAYMENT_OUTSIDE_PERIOD", W, ("支付日期{date}不在评价期间（{start}至{end}）内，该笔支付{amount}"
                                                           "不计入本年度实际支出和预算执行率，报告中单独说明。")

    # ---------------------------------------------------------------- contracts and payments
    PAID_BEFORE_SIGNED = "PAID_BEFORE_SIGNED", W, "支付日期{date}早于与“{payee}”的合同签订日期{signed}。"
    PAID_OUTSIDE_SERVICE = "PAID_OUTSIDE_SERVICE", W, "支付日期{date}不在与“{payee}”的合同服务期（{spans}）内。"
    PAID_OVER_CONTRACT = "PAID_OVER_CONTRACT", W, "向“{payee}”的支付合计{paid}超过合同{contracts}的金额{limit}。"
    DUPLICATE_PAYMENT = "DUPLICATE_PAYMENT", W, ("与第{first}行的支付重复（同一日期{date}、同一收款单位“{payee}”、"
                                                 "同一金额{amount}）。如确为两笔支付，请在备注中说明。")
    PAID_WITHOUT_CONTRACT = "PAID_WITHOUT_CONTRACT", W, "预算项目“{name}”已支付{paid}，但“合同”表中没有该预算项目的合同。"

    # ---------------------------------------------------------------- indicators
    INDICATORS_EMPTY = "INDICATORS_EMPTY", E, "“绩效指标”中没有任何三级指标。"
    WEIGHT_RANGE = "WEIGHT_RANGE", E, "三级指标“{name}”的分值应大于0，实际为{weight}。"
    WEIGHT_TOTAL = "WEIGHT_TOTAL", E, ("各三级指标分值合计为{total}分{not_applicable}，应为100分。各一级指标：{groups}。"
                                       "在改正之前，总分不是最终结果，不评定等级。")
    WEIGHTS_MISSING = "WEIGHTS_MISSING", E, ("各三级指标的“分值”都没有填写（共{rows}个三级指标），无法计分。请按批复的"
                                             "绩效目标为每个三级指标填写分值（合计100分）。")
    SCORE_RANGE = "SCORE_RANGE", E, "三级指标“{name}”的填报得分{score}分应在0至{weight}分（分值）之间。"
    REPORTED_SCORE = "REPORTED_SCORE", W, ("三级指标“{name}”的填报得分为{reported}分，按计分方法“{method}”计算应为"
                                           "{score}分（{how}）。以计算得分为准。")
    INDICATOR_DUPLICATE = "INDICATOR_DUPLICATE", E, "三级指标“{name}”在第{first}行已出现，同一指标不能重复计分。"
    INDICATOR_TWO_PARENTS = "INDICATOR_TWO_PARENTS", W, ("三级指标“{name}”同时出现在二级指标“{first_parent}”"
                                                         "（第{first}行）和“{parent}”之下。")
    OPERATOR_MISMATCH = "OPERATOR_MISMATCH", W, "三级指标“{name}”的目标值写作“{target}”，与指标性质“{operator}”不一致。"
    SURVEY_SUM = "SURVEY_SUM", E, ("“{group}”的满意{satisfied}+基本满意{basic}+不满意{unsatisfied}={sum}，"
                                   "与有效样本{valid}不相等。")
    SURVEY_UNUSED = "SURVEY_UNUSED", W, "填写了满意度调查，但没有计分方法为“满意度”的指标，调查结果不参与计分。"
    SURVEY_GROUP_UNUSED = "SURVEY_GROUP_UNUSED", W, ("调查对象“{group}”没有对应的满意度指标（各满意度指标{names}的名称中"
                                                   "都不含该调查对象），其调查结果不参与计分。")

    # ---------------------------------------------------------------- evaluation rules
    NO_DEVIATION_REASON = "NO_DEVIATION_REASON", W, ("三级指标“{name}”未达到年度目标（得分{score}分，分值{weight}分），"
                                                     "应在“偏差原因”中填写偏差原因分析及改进措施（自评表要求）。")
    FAR_ABOVE_TARGET = "FAR_ABOVE_TARGET", W, ("三级指标“{name}”完成值为目标值的{rate}（≥{limit}），目标可能设置偏低，"
                                               "请在“偏差原因”中说明。")
    LOW_EXECUTION = "LOW_EXECUTION", W, ("预算执行率为{rate}，低于{limit}，请在预算执行率指标的“偏差原因”或“文字说明”的"
                                         "“存在的问题及原因分析”中说明原因。")
    FORM_EXEC_RATE = "FORM_EXEC_RATE", W, ("预算执行率按到位资金计算为{rate}（得分{score}分），项目支出绩效自评表的执行率"
                                           "按全年执行数÷全年预算数计算为{form_rate}，自评表中的执行率与得分因此不一致。"
                                           "自评请将“预算执行率口径”设为“预算资金”。")
    WEIGHT_RULE = "WEIGHT_RULE", W, "{rule}；本工作簿为{actual}。"
    FRAMEWORK_INCOMPLETE = "FRAMEWORK_INCOMPLETE", W, ("{mode}的指标体系一般按财预〔2020〕10号的共性指标框架设置决策、过程、"
                                                       "产出、效益四类一级指标，本工作簿没有{missing}类指标；报告将说明"
                                                       "这些方面未纳入评分。如确需评价，请在“绩效指标”中补充。")

    # ---------------------------------------------------------------- the report
    PROBLEM_UNSAID = "PROBLEM_UNSAID", N, ("“{chapter}”中没有提到检查发现的问题：{problem}。报告使用您写的文字，"
                                           "如该问题属实，请在该章节补充说明。")
    GENERATED_TEXT = "GENERATED_TEXT", N, ("章节“{slot}”在“文字说明”中没有内容，将使用自动生成的文字"
                                           "（“{preview}”），请审阅；如需修改，在“文字说明”中填写该章节。")

    # ---------------------------------------------------------------- the evaluator's text
    TEXT_FIGURE = "TEXT_FIGURE", W, "文字“{snippet}”中的“{quoted}”与数据不符：{data}。请核对后统一。"

    def at(self, sheet: str, row: int | None = None, key: str | None = None, col: int | None = None,
           facts: dict | None = None, **fields) -> "Finding":
        """A finding of this kind at ``sheet`` (data ``row``, column ``key`` of the schema, or
        column number ``col`` where no key names it), its message filled from ``fields``.
        ``facts``: the raw values behind it (amounts as Decimal, dates, names), for the report
        to state the finding in its own words."""
        return Finding(self, sheet, self.template.format(**fields), row, key, col, facts=facts or {})


@dataclass(frozen=True)
class Finding:
    code: Code
    sheet: str
    message: str
    row: int | None = None      # the row in the sheet (1 = the header row)
    key: str | None = None      # the column's key in the schema
    col: int | None = None      # the column's number, where no key names it
    letter: str = ""            # the column's letter in the file: set by ``locate``
    facts: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @property
    def cell(self) -> str:
        """Where it is, as a spreadsheet names it: a cell ('D7'), a whole row ('1:1', or the row
        when its column is not in the sheet), a whole column ('D:D'); '' for the whole sheet."""
        if self.row and self.letter:
            return f"{self.letter}{self.row}"
        if self.row:
            return f"{self.row}:{self.row}"
        if self.letter:
            return f"{self.letter}:{self.letter}"
        return ""

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def as_dict(self) -> dict:
        return {"级别": self.severity.value, "代码": self.code.value, "工作表": self.sheet,
                "单元格": self.cell, "说明": self.message}


def column_letter(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def letter_of(f: Finding, columns: dict[str, dict[str, str]]) -> str:
    """The letter of the column a finding points at, given the column letters the reader found for
    each sheet; '' where the finding is about a row (or the column is not in the sheet)."""
    letter = columns.get(f.sheet, {}).get(f.key) if f.key else None
    if isinstance(letter, dict):         # a form: the column differs from row to row
        letter = letter.get(f.row)
    if letter is None and f.col:
        letter = column_letter(f.col)
    return letter or ""


def locate(findings: list[Finding], columns: dict[str, dict], titles: dict[str, str] | None = None) -> list[Finding]:
    """Findings with their cells worked out; ``titles`` renames the contract's sheets to the file's
    own (a 自评表 holds 项目信息 and 绩效指标 on one sheet of its own name)."""
    titles = titles or {}
    return [replace(f, letter=letter_of(f, columns), sheet=titles.get(f.sheet, f.sheet)) for f in findings]
