"""Project + Evaluation -> findings: the figures of the workbook checked against each other."""
from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from . import schema as S
from . import vocab as V
from .figures import date, number, percent, wan, yuan_text
from .findings import Code, Finding
from .model import Project
from .schema import EvalMode, Method, ReportType
from .scoring import ZERO, Evaluation, is_execution, is_satisfaction, survey_groups_of, typed_rate

# Differences below half a cent of a 万元 figure or a hundredth of a point are rounding.
MONEY_TOLERANCE = Decimal("0.005")
SCORE_TOLERANCE = Decimal("0.005")

BUDGET, CONTRACTS, PAYMENTS = S.BUDGET.name, S.CONTRACTS.name, S.PAYMENTS.name
INDICATORS, SURVEY = S.INDICATORS.name, S.SURVEY.name
FIRST_DATA_ROW = 2


class _Checks:
    def __init__(self, project: Project, evaluation: Evaluation):
        self.p = project
        self.e = evaluation
        self.findings: list[Finding] = []

    def add(self, code: Code, sheet: str, row=None, key=None, **fields) -> None:
        self.findings.append(code.at(sheet, row, key, **fields))

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
        self.framework_covered()
        self.written_operators()
        self.duplicate_indicators()
        self.typed_total()
        self.typed_total_against_rows()
        return self.findings

    @property
    def has_contracts(self) -> bool:
        """Wages, subsidies and running costs are paid without contracts (支出类型 says so)."""
        if self.p.form:          # a 自评表 says nothing of contracts
            return False
        kind = self.p.info.spending_type
        return kind is None or kind.has_contracts

    def _budget_row(self, name: str) -> int:
        return next(b.row for b in self.p.budget if b.name == name)

    # ------------------------------------------------------------ funds
    def budget_total(self):
        info, funds = self.p.info, self.e.funds
        if not self.p.budget:
            if BUDGET not in self.p.unread:      # a missing sheet is reported as such
                self.add(Code.BUDGET_EMPTY, BUDGET, FIRST_DATA_ROW, "name")
            return
        if info.budget_total is None:
            return
        if abs(funds.budget - info.budget_total) > MONEY_TOLERANCE:
            self.add(Code.BUDGET_SUM, S.INFO_SHEET, info.rows.get("budget_total"), "value",
                     facts={"total": info.budget_total, "lines": funds.budget},
                     total=wan(info.budget_total), lines=wan(funds.budget),
                     difference=wan(funds.budget - info.budget_total))

    def budget_lines(self):
        seen = {}
        for line in self.p.budget:
            key = S.normalize(line.name)
            if key in seen:
                self.add(Code.BUDGET_LINE_DUPLICATE, BUDGET, line.row, "name", name=line.name, first=seen[key])
            seen.setdefault(key, line.row)
            if line.budget < ZERO:
                self.add(Code.NEGATIVE, BUDGET, line.row, "budget", what=f"预算项目“{line.name}”的预算金额",
                         rule="不能为负数", value=wan(line.budget))
            if line.source and not isinstance(line.source, S.FundSource) and not self.p.form:
                self.add(Code.FUND_SOURCE_CLASSIFIED, BUDGET, line.row, "source", source=line.source,
                         form_row=S.fund_row(line.source))
            if line.in_place > line.budget:
                self.add(Code.IN_PLACE_OVER, BUDGET, line.row, "in_place", name=line.name,
                         facts={"line": line.name, "in_place": line.in_place, "budget": line.budget},
                         in_place=wan(line.in_place), budget=wan(line.budget))
        for lf in self.e.funds.lines:
            if lf.paid > lf.budget:
                self.add(Code.PAID_OVER_BUDGET, BUDGET, self._budget_row(lf.name), "budget", name=lf.name,
                         facts={"line": lf.name, "paid": lf.paid, "budget": lf.budget},
                         paid=wan(lf.paid), budget=wan(lf.budget))

    def _unknown_line(self, sheet: str, row: int, what: str, name: str, facts=None) -> None:
        if BUDGET in self.p.unread:      # the budget lines are unknown, not wrong
            return
        self.add(Code.UNKNOWN_BUDGET_LINE, sheet, row, "budget_line", facts=facts, what=what, name=name,
                 choices="、".join(b.name for b in self.p.budget))

    def payments(self):
        lines = {S.normalize(b.name) for b in self.p.budget}
        start, end = self.p.info.period_start, self.p.info.period_end
        outside = {id(p) for p in self.e.funds.outside}
        for pay in self.p.payments:
            if S.normalize(pay.budget_line) not in lines:
                self._unknown_line(PAYMENTS, pay.row, "支付", pay.budget_line, facts={"payment": pay})
            if pay.amount <= ZERO:
                self.add(Code.NEGATIVE, PAYMENTS, pay.row, "amount", what="支付金额", rule="应大于0",
                         value=yuan_text(pay.amount))
            if id(pay) in outside:
                self.add(Code.PAYMENT_OUTSIDE_PERIOD, PAYMENTS, pay.row, "date",
                         facts={"payment": pay, "start": start, "end": end}, date=date(pay.date),
                         start=date(start), end=date(end),
                         amount=yuan_text(pay.amount))

    def contracts(self):
        lines = {S.normalize(b.name) for b in self.p.budget}
        for c in self.p.contracts:
            if c.budget_line and S.normalize(c.budget_line) not in lines:
                self._unknown_line(CONTRACTS, c.row, "合同", c.budget_line)

    # ------------------------------------------------------------ indicators
    def weights(self):
        if self.p.weights_missing:       # contract v3: not "no indicators", but no 分值
            self.add(Code.WEIGHTS_MISSING, INDICATORS, self.p.weights_missing_at, "weight",
                     rows=self.p.weights_missing)
            return
        if not self.p.indicators:
            if INDICATORS not in self.p.unread:
                self.add(Code.INDICATORS_EMPTY, INDICATORS, FIRST_DATA_ROW, "level1")
            return
        for ind in self.p.indicators:
            if ind.weight <= ZERO:
                self.add(Code.WEIGHT_RANGE, INDICATORS, ind.row, "weight", name=ind.name, weight=ind.weight)
        e = self.e
        if e.weight_total != 100 and e.applicable_weight != 100:
            na = e.weight_total - e.applicable_weight
            self.add(Code.WEIGHT_TOTAL, INDICATORS, None, "weight", total=number(e.weight_total),
                     not_applicable=f"（其中“不适用”指标{number(na)}分）" if na else "",
                     groups="、".join(f"{g.name}{number(g.weight)}分" for g in e.level1))

    def reported_scores(self):
        for s in self.e.scored:
            ind = s.indicator
            if ind.reported is None or s.unscorable:
                continue
            if ind.reported < ZERO or ind.reported > ind.weight:
                self.add(Code.SCORE_RANGE, INDICATORS, ind.row, "reported", name=ind.name, score=ind.reported,
                         weight=ind.weight)
                continue
            if ind.method in (None, Method.MANUAL, Method.QUALITATIVE, Method.NOT_APPLICABLE) or s.score is None:
                continue
            if abs(ind.reported - s.score) >= SCORE_TOLERANCE:
                self.add(Code.REPORTED_SCORE, INDICATORS, ind.row, "reported", name=ind.name,
                         reported=ind.reported, method=ind.method.value, score=s.score, how=s.how)

    def survey(self):
        for g in self.p.survey:
            total = g.satisfied + g.basic + g.unsatisfied
            if total != g.valid:
                self.add(Code.SURVEY_SUM, SURVEY, g.row, "valid", group=g.group, satisfied=g.satisfied,
                         basic=g.basic, unsatisfied=g.unsatisfied, sum=total, valid=g.valid)
        uses_survey = any(i.method is Method.SATISFACTION and typed_rate(i) is None for i in self.p.indicators)
        if uses_survey and SURVEY in self.p.unread and SURVEY not in self.p.columns:
            # optional, but a 满意度 indicator needs it: the first cause is the sheet, not its samples
            self.add(Code.SHEET_MISSING, SURVEY, name=SURVEY)
        if self.p.survey and not any(i.method is Method.SATISFACTION for i in self.p.indicators):
            self.add(Code.SURVEY_UNUSED, SURVEY, FIRST_DATA_ROW, "group")
            return
        self.survey_groups()

    def survey_groups(self):
        """Contract v3: where the 满意度 indicators name their 调查对象, every group is some
        indicator's; a group that none names (while no indicator pools them all) counts nowhere."""
        satisfaction = [i for i in self.p.indicators if i.method is Method.SATISFACTION]
        named = [survey_groups_of(self.p, i) for i in satisfaction]
        if not satisfaction or not all(named):
            return
        used = {id(g) for groups in named for g in groups}
        for g in self.p.survey:
            if id(g) not in used:
                self.add(Code.SURVEY_GROUP_UNUSED, SURVEY, g.row, "group", group=g.group,
                         names="、".join(f"“{i.name}”" for i in satisfaction))

    # ------------------------------------------------------------ cross-checks between sheets
    def _contracts_of(self, pay):
        """The contracts a payment falls under: same supplier, and same budget line where both name one."""
        line = S.normalize(pay.budget_line)
        return [c for c, c_line in self._contracts_by_supplier.get(S.normalize(pay.payee), ())
                if c_line is None or c_line == line]

    @cached_property
    def _contracts_by_supplier(self) -> dict[str, list]:
        """(contract, its budget line or None) by supplier, normalized once (not once per payment)."""
        out: dict[str, list] = {}
        for c in self.p.contracts:
            out.setdefault(S.normalize(c.supplier), []).append((c, S.normalize(c.budget_line) if c.budget_line else None))
        return out

    def contracts_vs_payments(self):
        paid: dict[tuple, list] = {}
        for pay in self.p.payments:
            contracts = self._contracts_of(pay)
            if not contracts:
                continue
            key = tuple(c.row for c in contracts)
            paid.setdefault(key, []).append(pay)
            signed = [c.signed for c in contracts if c.signed]
            if signed and pay.date < min(signed):
                self.add(Code.PAID_BEFORE_SIGNED, PAYMENTS, pay.row, "date",
                         facts={"payment": pay, "signed": min(signed), "contracts": contracts},
                         date=date(pay.date), payee=pay.payee,
                         signed=date(min(signed)))
            periods = [(c.service_start, c.service_end) for c in contracts if c.service_start and c.service_end]
            if periods and not any(a <= pay.date <= b for a, b in periods):
                self.add(Code.PAID_OUTSIDE_SERVICE, PAYMENTS, pay.row, "date",
                         facts={"payment": pay, "periods": periods, "contracts": contracts},
                         date=date(pay.date), payee=pay.payee,
                         spans="、".join(f"{date(a)}至{date(b)}" for a, b in periods))
        by_row = {c.row: c for c in self.p.contracts}
        for rows, pays in paid.items():
            contracts = [by_row[r] for r in rows]
            if any(c.amount is None for c in contracts):
                continue
            limit = sum((c.amount for c in contracts), ZERO)
            total = sum((p.amount for p in pays), ZERO)
            if total > limit:
                last = pays[-1]
                self.add(Code.PAID_OVER_CONTRACT, PAYMENTS, last.row, "amount",
                         facts={"payee": last.payee, "paid": total, "limit": limit, "contracts": contracts,
                                "payments": pays},
                         payee=last.payee,
                         paid=yuan_text(total), contracts="、".join(f"“{c.name}”" for c in contracts),
                         limit=yuan_text(limit))

    def duplicate_payments(self):
        if self.p.form:          # a 自评表's 执行数 by source are not payments
            return
        first: dict[tuple, int] = {}
        for pay in self.p.payments:
            key = (pay.date, S.normalize(pay.payee), pay.amount)
            if key in first:
                self.add(Code.DUPLICATE_PAYMENT, PAYMENTS, pay.row, "amount", facts={"payment": pay},
                         first=first[key], date=date(pay.date),
                         payee=pay.payee, amount=yuan_text(pay.amount))
            else:
                first[key] = pay.row

    def paid_without_contract(self):
        if not self.has_contracts:
            return
        with_contract = {S.normalize(c.budget_line) for c in self.p.contracts if c.budget_line}
        for line in self.e.funds.lines:
            if line.paid > ZERO and S.normalize(line.name) not in with_contract:
                self.add(Code.PAID_WITHOUT_CONTRACT, BUDGET, self._budget_row(line.name), "name",
                         facts={"line": line.name, "paid": line.paid}, name=line.name,
                         paid=wan(line.paid))

    # ------------------------------------------------------------ evaluation policy
    def deviation_explained(self):
        """Contract v3: a 偏差原因 where an indicator did not reach its target (not merely where a
        proportional method gave less than 分值). A 预算执行率 below 90% is LOW_EXECUTION's."""
        low = self.e.funds.exec_rate is not None and self.e.funds.exec_rate < V.LOW_EXECUTION
        for s in self.e.scored:
            ind = s.indicator
            if low and ind.method is Method.EXECUTION:
                continue
            if s.missed and not ind.deviation and self._has_place_for_deviation(ind):
                self.add(Code.NO_DEVIATION_REASON, INDICATORS, ind.row, "deviation", name=ind.name, score=s.score,
                         weight=ind.weight)

    def _has_place_for_deviation(self, ind) -> bool:
        """A 自评表's funds block (where its 预算执行率 sits) has no 偏差原因 column to fill."""
        column = self.p.columns.get(INDICATORS, {}).get("deviation")
        return not isinstance(column, dict) or ind.row in column

    def far_above_target(self):
        for s in self.e.scored:
            ind = s.indicator
            if ind.method is not Method.RATIO or s.rate is None or s.rate < V.FAR_ABOVE_TARGET:
                continue
            if ind.deviation or "原因" in ind.remarks:
                continue
            self.add(Code.FAR_ABOVE_TARGET, INDICATORS, ind.row, "deviation", name=ind.name, rate=percent(s.rate),
                     limit=percent(V.FAR_ABOVE_TARGET, 0))

    def low_execution_explained(self):
        rate = self.e.funds.exec_rate
        if rate is None or rate >= V.LOW_EXECUTION or {BUDGET, PAYMENTS} & self.p.unread:
            return
        explained = any(s.indicator.method is Method.EXECUTION and s.indicator.deviation for s in self.e.scored)
        explained = explained or any(self.p.texts(slot) for slot in S.PROBLEM_SLOTS)
        if not explained:
            row = next((s.indicator.row for s in self.e.scored if s.indicator.method is Method.EXECUTION), None)
            self.add(Code.LOW_EXECUTION, INDICATORS, row, "deviation" if row else None, rate=percent(rate),
                     limit=percent(V.LOW_EXECUTION, 0))

    def weights_by_report_type(self):
        """The 一级 weights the rules expect. The 预算执行率 and 满意度 indicators are found by their
        role (计分方法, or 二级/三级 name) wherever they sit: real forms put 预算执行率 under 项目管理
        and 满意度 under 效益. The 50/30/10/10 rule is the 自评表's (产出/效益/满意度/预算执行率); a
        framework of 决策/过程/产出/效益 gets the rule of 部门/财政评价."""
        groups = self.e.level1
        used = [s.indicator for s in self.e.scored if not s.unscorable]     # 不适用 counts: the weights are the design
        if not groups or not used:
            return

        def total(pick):
            return sum((ind.weight for ind in used if pick(ind)), ZERO)

        def under(words):
            return lambda ind: V.has_word(ind.level1, words) and not is_execution(ind) and not is_satisfaction(ind)

        framework = any(V.has_word(g.name, (V.DECISION, V.PROCESS)) for g in groups)
        if self.p.info.report_type is ReportType.SELF and not framework:
            parts = ((V.SELF_OUTPUT, under(V.OUTPUT_WORDS)), (V.SELF_BENEFIT, under(V.BENEFIT_WORDS)),
                     (V.SELF_SATISFACTION, is_satisfaction), (V.SELF_EXECUTION, is_execution))
            expected = {label: points for (label, points), _ in parts}
            actual = {label: total(pick) for (label, _), pick in parts}
            (output, _), (benefit, _), (satisfaction, _), (execution, _) = (part for part, _ in parts)
            rest = 100 - expected[execution]
            if not actual[satisfaction]:
                # without 满意度 its points go to 产出 and 效益
                expected.pop(satisfaction)
                problems = actual[execution] != expected[execution] or actual[output] + actual[benefit] != rest
                rule = f"无{satisfaction}指标时：{execution}{expected[execution]}分，{output}与{benefit}合计{rest}分"
            else:
                problems = any(actual[k] != v for k, v in expected.items())
                rule = "、".join(f"{k}{w}分" for k, w in expected.items())
            if problems:
                self.add(Code.WEIGHT_RULE, INDICATORS, None, "weight", rule=f"单位自评的一级指标权重原则上为{rule}",
                         actual="、".join(f"{k}{number(actual[k])}分" for k in expected)
                         + f"（{execution}、{satisfaction}指标按计分方法识别，不论所在一级指标）")
        else:
            outputs = total(lambda ind: V.has_word(ind.level1, V.OUTPUT_AND_OUTCOME_WORDS) or is_satisfaction(ind))
            if outputs < V.MIN_OUTPUT_AND_OUTCOME:
                self.add(Code.WEIGHT_RULE, INDICATORS, None, "weight",
                         rule=f"绩效评价中产出、效益指标权重合计一般不低于{V.MIN_OUTPUT_AND_OUTCOME}分",
                         actual=f"{number(outputs)}分")

    def framework_covered(self):
        """部门评价/财政评价 follow the 共性指标 framework of 财预〔2020〕10号: 决策, 过程, 产出, 效益."""
        info = self.p.info
        mode = info.mode or (EvalMode.DEPARTMENT if info.report_type is ReportType.EVALUATION else None)
        if self.p.form or mode not in (EvalMode.DEPARTMENT, EvalMode.FINANCE, EvalMode.THIRD_PARTY) \
                or not self.p.indicators:
            return
        level1 = {ind.level1 for ind in self.p.indicators}
        missing = [label for label, words in ((V.DECISION, V.DECISION_WORDS), (V.PROCESS, V.PROCESS_WORDS))
                   if not any(V.has_word(name, words) for name in level1)]
        if missing:
            self.add(Code.FRAMEWORK_INCOMPLETE, INDICATORS, None, "level1", mode=mode.value,
                     missing="、".join(missing))

    def written_operators(self):
        for ind in self.p.indicators:
            target = ind.target
            if ind.operator and target is not None and target.operator and target.operator is not ind.operator:
                self.add(Code.OPERATOR_MISMATCH, INDICATORS, ind.row, "target", name=ind.name, target=target,
                         operator=ind.operator.value)

    def typed_total(self):
        """The evaluator's own 自评得分 against the total the indicators give."""
        typed, total = self.p.info.self_score, self.e.total
        if typed is None or self.e.incomplete or abs(typed - total) < SCORE_TOLERANCE:
            return
        self.add(Code.SELF_SCORE, S.INFO_SHEET, self.p.info.rows.get("self_score"), "value", typed=number(typed),
                 total=number(total), difference=number(abs(typed - total)))

    def typed_total_against_rows(self):
        """The typed 总分 against the sum of the typed 得分 of its rows: an adding-up slip on the
        form, whatever the rules say of each row (a total rescaled for 不适用 rows is not a sum)."""
        typed = self.p.info.self_score
        rows = [ind.reported for ind in self.p.indicators]
        if typed is None or not rows or any(r is None for r in rows) or self.e.rescaled:
            return
        total = sum(rows, ZERO)
        if abs(typed - total) >= SCORE_TOLERANCE:
            self.add(Code.TOTAL_NOT_ROWS, S.INFO_SHEET, self.p.info.rows.get("self_score"), "value",
                     typed=number(typed), rows=number(total), difference=number(abs(typed - total)))

    def duplicate_indicators(self):
        seen: dict[str, object] = {}
        for ind in self.p.indicators:
            key = S.normalize(ind.name)
            if key not in seen:
                seen[key] = ind
                continue
            first = seen[key]
            if (S.normalize(first.level1), S.normalize(first.level2)) == (S.normalize(ind.level1), S.normalize(ind.level2)):
                self.add(Code.INDICATOR_DUPLICATE, INDICATORS, ind.row, "name", name=ind.name, first=first.row)
            else:
                self.add(Code.INDICATOR_TWO_PARENTS, INDICATORS, ind.row, "name", name=ind.name,
                         first_parent=first.level2, first=first.row, parent=ind.level2)


def run_checks(project: Project, evaluation: Evaluation) -> list[Finding]:
    return _Checks(project, evaluation).run()
