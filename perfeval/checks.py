"""Project + Evaluation -> findings: the figures of the workbook checked against each other."""
from __future__ import annotations

from decimal import Decimal

from . import schema as S
from . import vocab as V
from .figures import date as format_date
from .figures import number as _plain
from .figures import percent as pct
from .figures import wan as _wan
from .figures import yuan_text as _yuan
from .model import Finding, Project
from .schema import Method, Severity
from .scoring import HUNDRED, ZERO, Evaluation

# Differences below half a cent of a 万元 figure or a hundredth of a point are rounding.
MONEY_TOLERANCE = Decimal("0.005")
SCORE_TOLERANCE = Decimal("0.005")


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
        self.contracts_vs_payments()
        self.duplicate_payments()
        self.paid_without_contract()
        self.deviation_explained()
        self.far_above_target()
        self.low_execution_explained()
        self.weights_by_report_type()
        self.written_operators()
        self.duplicate_indicators()
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


    # ------------------------------------------------------------ cross-checks between sheets
    def _contracts_of(self, pay):
        """The contracts a payment falls under: same supplier, and same budget line where both name one."""
        return [c for c in self.p.contracts
                if S.normalize(c.supplier) == S.normalize(pay.payee)
                and (not c.budget_line or S.normalize(c.budget_line) == S.normalize(pay.budget_line))]

    def contracts_vs_payments(self):
        sheet = S.PAYMENTS.name
        paid: dict[tuple, list] = {}
        for pay in self.p.payments:
            contracts = self._contracts_of(pay)
            if not contracts:
                continue
            key = tuple(c.row for c in contracts)
            paid.setdefault(key, []).append(pay)
            signed = [c.signed for c in contracts if c.signed]
            if signed and pay.date < min(signed):
                self.add(Severity.WARNING, "PAID_BEFORE_SIGNED", sheet, self.p.cell(sheet, "date", pay.row),
                         f"支付日期{format_date(pay.date)}早于与“{pay.payee}”的合同签订日期{format_date(min(signed))}。")
            periods = [(c.service_start, c.service_end) for c in contracts if c.service_start and c.service_end]
            if periods and not any(a <= pay.date <= b for a, b in periods):
                spans = "、".join(f"{format_date(a)}至{format_date(b)}" for a, b in periods)
                self.add(Severity.WARNING, "PAID_OUTSIDE_SERVICE", sheet, self.p.cell(sheet, "date", pay.row),
                         f"支付日期{format_date(pay.date)}不在与“{pay.payee}”的合同服务期（{spans}）内。")
        by_row = {c.row: c for c in self.p.contracts}
        for rows, pays in paid.items():
            contracts = [by_row[r] for r in rows]
            if any(c.amount is None for c in contracts):
                continue
            limit = sum((c.amount for c in contracts), ZERO)
            total = sum((p.amount for p in pays), ZERO)
            if total > limit:
                last = pays[-1]
                names = "、".join(f"“{c.name}”" for c in contracts)
                self.add(Severity.WARNING, "PAID_OVER_CONTRACT", sheet, self.p.cell(sheet, "amount", last.row),
                         f"向“{last.payee}”的支付合计{_yuan(total)}超过合同{names}的金额{_yuan(limit)}。")

    def duplicate_payments(self):
        sheet = S.PAYMENTS.name
        first: dict[tuple, int] = {}
        for pay in self.p.payments:
            key = (pay.date, S.normalize(pay.payee), pay.amount)
            if key in first:
                self.add(Severity.WARNING, "DUPLICATE_PAYMENT", sheet, self.p.cell(sheet, "amount", pay.row),
                         f"与第{first[key]}行的支付重复（同一日期{format_date(pay.date)}、同一收款单位“{pay.payee}”、"
                         f"同一金额{_yuan(pay.amount)}）。如确为两笔支付，请在备注中说明。")
            else:
                first[key] = pay.row

    def paid_without_contract(self):
        sheet = S.BUDGET.name
        with_contract = {S.normalize(c.budget_line) for c in self.p.contracts if c.budget_line}
        for line in self.e.funds.lines:
            if line.paid > ZERO and S.normalize(line.name) not in with_contract:
                row = next(b.row for b in self.p.budget if b.name == line.name)
                self.add(Severity.WARNING, "PAID_WITHOUT_CONTRACT", sheet, self.p.cell(sheet, "name", row),
                         f"预算项目“{line.name}”已支付{_wan(line.paid)}，但“合同”表中没有该预算项目的合同。")

    # ------------------------------------------------------------ evaluation policy
    def deviation_explained(self):
        sheet = S.INDICATORS.name
        for s in self.e.scored:
            ind = s.indicator
            if s.applicable and s.score is not None and s.score < ind.weight and not ind.deviation:
                self.add(Severity.WARNING, "NO_DEVIATION_REASON", sheet, self.p.cell(sheet, "deviation", ind.row),
                         f"三级指标“{ind.name}”得分{s.score}分，低于分值{ind.weight}分，"
                         "应在“偏差原因”中填写偏差原因分析及改进措施（自评表要求）。")

    def far_above_target(self):
        sheet = S.INDICATORS.name
        for s in self.e.scored:
            ind = s.indicator
            if ind.method is not Method.RATIO or s.rate is None or s.rate < V.FAR_ABOVE_TARGET:
                continue
            if ind.deviation or "原因" in ind.remarks:
                continue
            self.add(Severity.WARNING, "FAR_ABOVE_TARGET", sheet, self.p.cell(sheet, "deviation", ind.row),
                     f"三级指标“{ind.name}”完成值为目标值的{pct(s.rate)}（≥130%），目标可能设置偏低，"
                     "请在“偏差原因”中说明。")

    def low_execution_explained(self):
        rate = self.e.funds.exec_rate
        if rate is None or rate >= V.LOW_EXECUTION:
            return
        explained = any(s.indicator.method is Method.EXECUTION and s.indicator.deviation for s in self.e.scored)
        explained = explained or any(self.p.texts(slot) for slot in V.PROBLEM_CHAPTERS)
        if not explained:
            sheet = S.INDICATORS.name
            row = next((s.indicator.row for s in self.e.scored if s.indicator.method is Method.EXECUTION), None)
            cell = self.p.cell(sheet, "deviation", row) if row else ""
            self.add(Severity.WARNING, "LOW_EXECUTION", sheet, cell,
                     f"预算执行率为{pct(rate)}，低于90%，请在预算执行率指标的“偏差原因”或“文字说明”的"
                     "“存在的问题及原因分析”中说明原因。")

    def weights_by_report_type(self):
        from .schema import ReportType
        groups = self.e.level1
        if not groups:
            return
        weight = lambda words: sum((g.weight for g in groups if V.has_word(g.name, words)), ZERO)  # noqa: E731
        sheet = S.INDICATORS.name
        if self.p.info.report_type is ReportType.SELF:
            has_satisfaction = any(V.has_word(g.name, V.SELF_WEIGHTS["满意度"][0]) for g in groups)
            expected = {label: w for label, (_, w) in V.SELF_WEIGHTS.items()}
            actual = {label: weight(words) for label, (words, _) in V.SELF_WEIGHTS.items()}
            if not has_satisfaction:
                expected.pop("满意度")
                # without 满意度 its points go to 产出 and 效益
                problems = (actual["预算执行率"] != expected["预算执行率"]
                            or actual["产出"] + actual["效益"] != 100 - expected["预算执行率"])
            else:
                problems = any(actual[k] != v for k, v in expected.items())
            if problems:
                shown = "、".join(f"{k}{_plain(actual[k])}分" for k in expected)
                rule = ("、".join(f"{k}{w}分" for k, w in expected.items()) if has_satisfaction
                        else f"无满意度指标时：预算执行率{expected['预算执行率']}分，产出与效益合计"
                             f"{100 - expected['预算执行率']}分")
                self.add(Severity.WARNING, "WEIGHT_RULE", sheet, "D:D",
                         f"单位自评的一级指标权重原则上为{rule}；本工作簿为{shown}。")
        else:
            outputs = weight(V.OUTPUT_AND_OUTCOME_WORDS)
            if outputs < V.MIN_OUTPUT_AND_OUTCOME:
                self.add(Severity.WARNING, "WEIGHT_RULE", sheet, "D:D",
                         f"部门评价和财政评价中产出、效益指标权重合计一般不低于{V.MIN_OUTPUT_AND_OUTCOME}分；"
                         f"本工作簿为{_plain(outputs)}分。")

    def written_operators(self):
        sheet = S.INDICATORS.name
        for ind in self.p.indicators:
            target = ind.target
            if ind.operator and target is not None and target.operator and target.operator is not ind.operator:
                self.add(Severity.WARNING, "OPERATOR_MISMATCH", sheet, self.p.cell(sheet, "target", ind.row),
                         f"三级指标“{ind.name}”的目标值写作“{ind.target}”，与指标性质“{ind.operator.value}”不一致。")

    def duplicate_indicators(self):
        sheet = S.INDICATORS.name
        seen: dict[str, object] = {}
        for ind in self.p.indicators:
            key = S.normalize(ind.name)
            if key not in seen:
                seen[key] = ind
                continue
            first = seen[key]
            if (S.normalize(first.level1), S.normalize(first.level2)) == (S.normalize(ind.level1), S.normalize(ind.level2)):
                self.add(Severity.ERROR, "INDICATOR_DUPLICATE", sheet, self.p.cell(sheet, "name", ind.row),
                         f"三级指标“{ind.name}”在第{first.row}行已出现，同一指标不能重复计分。")
            else:
                self.add(Severity.WARNING, "INDICATOR_TWO_PARENTS", sheet, self.p.cell(sheet, "name", ind.row),
                         f"三级指标“{ind.name}”同时出现在二级指标“{first.level2}”（第{first.row}行）和"
                         f"“{ind.level2}”之下。")


def run_checks(project: Project, evaluation: Evaluation) -> list[Finding]:
    return _Checks(project, evaluation).run()
