"""Project + Evaluation -> findings: the figures of the workbook checked against each other."""
from __future__ import annotations

from decimal import Decimal

from . import schema as S
from .model import Finding, Project
from .schema import Method, Severity
from .scoring import HUNDRED, WAN, ZERO, Evaluation, pct
from .values import format_date, round_half_up

# Differences below half a cent of a 万元 figure or a hundredth of a point are rounding.
MONEY_TOLERANCE = Decimal("0.005")
SCORE_TOLERANCE = Decimal("0.005")


def _wan(value: Decimal) -> str:
    return f"{round_half_up(value, 2)}万元"


def _yuan(value: Decimal) -> str:
    return f"{round_half_up(value, 2)}元"


class _Checks:
    def __init__(self, project: Project, evaluation: Evaluation):
        self.p = project
        self.e = evaluation
        self.findings: list[Finding] = []

    def add(self, severity, code, sheet, cell, message):
        self.findings.append(Finding(severity, code, sheet, cell, message))

    def run(self) -> list[Finding]:
        self.budget_total()
        self.budget_lines()
        self.payments()
        self.contracts()
        self.weights()
        self.reported_scores()
        self.survey()
        return self.findings

    # ------------------------------------------------------------ funds
    def budget_total(self):
        info, funds = self.p.info, self.e.funds
        if info.budget_total is None or not self.p.budget:
            if not self.p.budget:
                self.add(Severity.ERROR, "BUDGET_EMPTY", S.BUDGET.name, "A2",
                         "“预算明细”中没有任何预算项目，请至少填写一行。")
            return
        if abs(funds.budget - info.budget_total) > MONEY_TOLERANCE:
            self.add(Severity.ERROR, "BUDGET_SUM", S.INFO_SHEET, info.cells.get("budget_total", ""),
                     f"预算总额为{_wan(info.budget_total)}，但“预算明细”各行预算金额之和为{_wan(funds.budget)}，"
                     f"两者应相等（相差{_wan(funds.budget - info.budget_total)}）。")

    def budget_lines(self):
        sheet = S.BUDGET.name
        seen = {}
        for line in self.p.budget:
            key = S.normalize(line.name)
            if key in seen:
                self.add(Severity.ERROR, "BUDGET_LINE_DUPLICATE", sheet, self.p.cell(sheet, "name", line.row),
                         f"预算项目“{line.name}”与第{seen[key]}行重名，每个预算项目只能出现一次。")
            seen.setdefault(key, line.row)
            if line.budget < ZERO:
                self.add(Severity.ERROR, "NEGATIVE", sheet, self.p.cell(sheet, "budget", line.row),
                         f"预算项目“{line.name}”的预算金额不能为负数（{_wan(line.budget)}）。")
            if line.in_place > line.budget:
                self.add(Severity.ERROR, "IN_PLACE_OVER", sheet, self.p.cell(sheet, "in_place", line.row),
                         f"预算项目“{line.name}”的到位金额{_wan(line.in_place)}超过其预算金额{_wan(line.budget)}，"
                         "到位金额应不大于预算金额。")
        for lf in self.e.funds.lines:
            if lf.paid > lf.budget:
                row = next(b.row for b in self.p.budget if b.name == lf.name)
                self.add(Severity.ERROR, "PAID_OVER_BUDGET", sheet, self.p.cell(sheet, "budget", row),
                         f"预算项目“{lf.name}”的支付合计{_wan(lf.paid)}超过其预算金额{_wan(lf.budget)}。")

    def payments(self):
        sheet = S.PAYMENTS.name
        lines = {S.normalize(b.name) for b in self.p.budget}
        start, end = self.p.info.period_start, self.p.info.period_end
        for pay in self.p.payments:
            if S.normalize(pay.budget_line) not in lines:
                self.add(Severity.ERROR, "UNKNOWN_BUDGET_LINE", sheet, self.p.cell(sheet, "budget_line", pay.row),
                         f"支付的预算项目“{pay.budget_line}”不在“预算明细”中。应为以下之一："
                         + "、".join(b.name for b in self.p.budget) + "。")
            if pay.amount <= ZERO:
                self.add(Severity.ERROR, "NEGATIVE", sheet, self.p.cell(sheet, "amount", pay.row),
                         f"支付金额应大于0，实际为{_yuan(pay.amount)}。")
            if start and end and not (start <= pay.date <= end):
                self.add(Severity.WARNING, "PAYMENT_OUTSIDE_PERIOD", sheet, self.p.cell(sheet, "date", pay.row),
                         f"支付日期{format_date(pay.date)}不在评价期间（{format_date(start)}至{format_date(end)}）内。")

    def contracts(self):
        sheet = S.CONTRACTS.name
        lines = {S.normalize(b.name) for b in self.p.budget}
        for c in self.p.contracts:
            if c.budget_line and S.normalize(c.budget_line) not in lines:
                self.add(Severity.ERROR, "UNKNOWN_BUDGET_LINE", sheet, self.p.cell(sheet, "budget_line", c.row),
                         f"合同的预算项目“{c.budget_line}”不在“预算明细”中。应为以下之一："
                         + "、".join(b.name for b in self.p.budget) + "。")

    # ------------------------------------------------------------ indicators
    def weights(self):
        sheet = S.INDICATORS.name
        if not self.p.indicators:
            self.add(Severity.ERROR, "INDICATORS_EMPTY", sheet, "A2", "“绩效指标”中没有任何三级指标。")
            return
        for ind in self.p.indicators:
            if ind.weight <= ZERO:
                self.add(Severity.ERROR, "WEIGHT_RANGE", sheet, self.p.cell(sheet, "weight", ind.row),
                         f"三级指标“{ind.name}”的分值应大于0，实际为{ind.weight}。")
        e = self.e
        if e.weight_total != HUNDRED and e.applicable_weight != HUNDRED:
            detail = "、".join(f"{g.name}{g.weight}分" for g in e.level1)
            na = e.weight_total - e.applicable_weight
            extra = f"（其中“不适用”指标{na}分）" if na else ""
            self.add(Severity.ERROR, "WEIGHT_TOTAL", sheet, "D:D",
                     f"各三级指标分值合计为{e.weight_total}分{extra}，应为100分。各一级指标：{detail}。")

    def reported_scores(self):
        sheet = S.INDICATORS.name
        for s in self.e.scored:
            ind = s.indicator
            if ind.reported is None:
                continue
            cell = self.p.cell(sheet, "reported", ind.row)
            if ind.reported < ZERO or ind.reported > ind.weight:
                self.add(Severity.ERROR, "SCORE_RANGE", sheet, cell,
                         f"三级指标“{ind.name}”的填报得分{ind.reported}分应在0至{ind.weight}分（分值）之间。")
                continue
            if ind.method in (Method.MANUAL, Method.QUALITATIVE, Method.NOT_APPLICABLE) or s.score is None:
                continue
            if abs(ind.reported - s.score) >= SCORE_TOLERANCE:
                self.add(Severity.WARNING, "REPORTED_SCORE", sheet, cell,
                         f"三级指标“{ind.name}”的填报得分为{ind.reported}分，按计分方法“{ind.method.value}”"
                         f"计算应为{s.score}分（{s.how}）。以计算得分为准。")

    def survey(self):
        sheet = S.SURVEY.name
        for g in self.p.survey:
            if g.satisfied + g.basic + g.unsatisfied != g.valid:
                self.add(Severity.ERROR, "SURVEY_SUM", sheet, self.p.cell(sheet, "valid", g.row),
                         f"“{g.group}”的满意{g.satisfied}+基本满意{g.basic}+不满意{g.unsatisfied}"
                         f"={g.satisfied + g.basic + g.unsatisfied}，与有效样本{g.valid}不相等。")
        uses_survey = any(i.method is Method.SATISFACTION for i in self.p.indicators)
        if self.p.survey and not uses_survey:
            self.add(Severity.WARNING, "SURVEY_UNUSED", sheet, "A2",
                     "填写了满意度调查，但没有计分方法为“满意度”的指标，调查结果不参与计分。")


def run_checks(project: Project, evaluation: Evaluation) -> list[Finding]:
    return _Checks(project, evaluation).run()
