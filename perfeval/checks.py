"""Project + Evaluation -> findings: the figures of the workbook checked against each other.

Each rule is a small function of the facts (``Facts``: the project, its evaluation and what several
rules work out once) that yields where a finding sits and what its message says (``Hit``). RULES
registers each rule with the code it reports, which carries its severity and message; the rules run
in the table's order, and a rule can report no code but its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Callable, Iterator

from . import schema as S
from . import vocab as V
from .figures import date, number, percent, wan, yuan_text
from .findings import Code, Finding
from .model import Indicator, Payment, Project
from .schema import EvalMode, Method, ReportType, Severity
from .scoring import ZERO, Evaluation, is_execution, is_satisfaction, typed_rate, unscored_groups

# Differences below half a cent of a 万元 figure or a hundredth of a point are rounding.
MONEY_TOLERANCE = Decimal("0.005")
SCORE_TOLERANCE = Decimal("0.005")

BUDGET, CONTRACTS, PAYMENTS = S.BUDGET.name, S.CONTRACTS.name, S.PAYMENTS.name
INDICATORS, SURVEY = S.INDICATORS.name, S.SURVEY.name
FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class Hit:
    """Where a rule's finding sits (sheet, data row, column key), the raw values behind it (``facts``,
    for the report's own words) and the fields of its message."""
    sheet: str
    row: int | None = None
    key: str | None = None
    facts: dict | None = None
    fields: dict = field(default_factory=dict)


def hit(sheet: str, row: int | None = None, key: str | None = None, facts: dict | None = None, **fields) -> Hit:
    return Hit(sheet, row, key, facts, fields)


class Facts:
    """What the rules read: the project and its evaluation, and what several rules need, worked out
    once (the contracts by supplier, not once per payment)."""

    def __init__(self, project: Project, evaluation: Evaluation):
        self.p, self.e = project, evaluation

    @property
    def has_contracts(self) -> bool:
        """Wages, subsidies and running costs are paid without contracts (支出类型 says so); a 自评表
        says nothing of contracts."""
        kind = self.p.info.spending_type
        return not self.p.form and (kind is None or kind.has_contracts)

    @cached_property
    def budget_names(self) -> set[str]:
        return {S.normalize(b.name) for b in self.p.budget}

    def budget_row(self, name: str) -> int:
        return next(b.row for b in self.p.budget if b.name == name)

    @cached_property
    def contracts_by_supplier(self) -> dict[str, list]:
        """(contract, its budget line or None) by supplier, normalized once."""
        out: dict[str, list] = {}
        for c in self.p.contracts:
            line = S.normalize(c.budget_line) if c.budget_line else None
            out.setdefault(S.normalize(c.supplier), []).append((c, line))
        return out

    def contracts_of(self, pay: Payment) -> list:
        """The contracts a payment falls under: same supplier, and same budget line where both name one."""
        line = S.normalize(pay.budget_line)
        return [c for c, c_line in self.contracts_by_supplier.get(S.normalize(pay.payee), ())
                if c_line is None or c_line == line]

    @cached_property
    def scored_indicators(self) -> list[Indicator]:
        """The indicators whose 分值 stand in the design: all but those that could not be scored
        (不适用 counts)."""
        if INDICATORS in self.p.unread:      # no indicator could be read: their weights are not known
            return []
        return [s.indicator for s in self.e.scored if not s.unscorable]


Rules = Iterator[Hit]


# ---------------------------------------------------------------- funds
def budget_empty(x: Facts) -> Rules:
    if not x.p.budget and BUDGET not in x.p.unread:      # a missing sheet is reported as such
        yield hit(BUDGET, FIRST_DATA_ROW, "name")


def budget_sum(x: Facts) -> Rules:
    info, funds = x.p.info, x.e.funds
    if x.p.budget and info.budget_total is not None and abs(funds.budget - info.budget_total) > MONEY_TOLERANCE:
        yield hit(S.INFO_SHEET, info.rows.get("budget_total"), "value",
                  facts={"total": info.budget_total, "lines": funds.budget},
                  total=wan(info.budget_total), lines=wan(funds.budget),
                  difference=wan(funds.budget - info.budget_total))


def duplicate_budget_lines(x: Facts) -> Rules:
    seen: dict[str, int] = {}
    for line in x.p.budget:
        key = S.normalize(line.name)
        if key in seen:
            yield hit(BUDGET, line.row, "name", name=line.name, first=seen[key])
        seen.setdefault(key, line.row)


def negative_budget(x: Facts) -> Rules:
    for line in x.p.budget:
        if line.budget < ZERO:
            yield hit(BUDGET, line.row, "budget", what=f"预算项目“{line.name}”的预算金额", rule="不能为负数",
                      value=wan(line.budget))


def fund_source_classified(x: Facts) -> Rules:
    for line in x.p.budget:
        if line.source and not isinstance(line.source, S.FundSource) and not x.p.form:
            yield hit(BUDGET, line.row, "source", source=line.source, form_row=S.fund_row(line.source))


def in_place_over(x: Facts) -> Rules:
    for line in x.p.budget:
        if line.in_place > line.budget:
            yield hit(BUDGET, line.row, "in_place", name=line.name,
                      facts={"line": line.name, "in_place": line.in_place, "budget": line.budget},
                      in_place=wan(line.in_place), budget=wan(line.budget))


def paid_over_budget(x: Facts) -> Rules:
    for lf in x.e.funds.lines:
        if lf.paid > lf.budget:
            yield hit(BUDGET, x.budget_row(lf.name), "budget", name=lf.name,
                      facts={"line": lf.name, "paid": lf.paid, "budget": lf.budget}, paid=wan(lf.paid),
                      budget=wan(lf.budget))


def _unknown_line(x: Facts, sheet: str, row: int, what: str, name: str, facts=None) -> Rules:
    if BUDGET not in x.p.unread:      # where 预算明细 could not be read, the lines are unknown, not wrong
        yield hit(sheet, row, "budget_line", facts=facts, what=what, name=name,
                  choices="、".join(b.name for b in x.p.budget))


def payment_line_unknown(x: Facts) -> Rules:
    for pay in x.p.payments:
        if S.normalize(pay.budget_line) not in x.budget_names:
            yield from _unknown_line(x, PAYMENTS, pay.row, "支付", pay.budget_line, facts={"payment": pay})


def payment_not_positive(x: Facts) -> Rules:
    for pay in x.p.payments:
        if pay.amount <= ZERO:
            yield hit(PAYMENTS, pay.row, "amount", what="支付金额", rule="应大于0", value=yuan_text(pay.amount))


def payment_outside_period(x: Facts) -> Rules:
    start, end = x.p.info.period_start, x.p.info.period_end
    for pay in x.e.funds.outside:
        yield hit(PAYMENTS, pay.row, "date", facts={"payment": pay, "start": start, "end": end}, date=date(pay.date),
                  start=date(start), end=date(end), amount=yuan_text(pay.amount))


def contract_line_unknown(x: Facts) -> Rules:
    for c in x.p.contracts:
        if c.budget_line and S.normalize(c.budget_line) not in x.budget_names:
            yield from _unknown_line(x, CONTRACTS, c.row, "合同", c.budget_line)


# ---------------------------------------------------------------- indicators
def weights_missing(x: Facts) -> Rules:
    if x.p.weights_missing:       # contract v3: not "no indicators", but no 分值
        yield hit(INDICATORS, x.p.weights_missing_at, "weight", rows=x.p.weights_missing)


def indicators_empty(x: Facts) -> Rules:
    if not x.p.weights_missing and not x.p.indicators and INDICATORS not in x.p.unread:
        yield hit(INDICATORS, FIRST_DATA_ROW, "level1")


def _weighted(x: Facts) -> list[Indicator]:
    """The indicators whose 分值 are checked: none where every 分值 is blank (WEIGHTS_MISSING says so)."""
    return [] if x.p.weights_missing or INDICATORS in x.p.unread else x.p.indicators


def weight_range(x: Facts) -> Rules:
    for ind in _weighted(x):
        if ind.weight <= ZERO:
            yield hit(INDICATORS, ind.row, "weight", name=ind.name, weight=ind.weight)


def weight_total(x: Facts) -> Rules:
    e = x.e
    if _weighted(x) and e.weight_total != 100 and e.applicable_weight != 100:
        na = e.weight_total - e.applicable_weight
        yield hit(INDICATORS, None, "weight", total=number(e.weight_total),
                  not_applicable=f"（其中“不适用”指标{number(na)}分）" if na else "",
                  groups="、".join(f"{g.name}{number(g.weight)}分" for g in e.level1))


def _reported(x: Facts):
    """(scored, its indicator) of each indicator with a 填报得分 that could be scored."""
    return [(s, s.indicator) for s in x.e.scored if s.indicator.reported is not None and not s.unscorable]


def score_range(x: Facts) -> Rules:
    for s, ind in _reported(x):
        if ind.reported < ZERO or ind.reported > ind.weight:
            yield hit(INDICATORS, ind.row, "reported", name=ind.name, score=ind.reported, weight=ind.weight)


def reported_score(x: Facts) -> Rules:
    """The 填报得分 against the score the method gives (人工 and 定性 take the typed score)."""
    for s, ind in _reported(x):
        if ind.reported < ZERO or ind.reported > ind.weight or s.score is None:
            continue
        if ind.method in (None, Method.MANUAL, Method.QUALITATIVE, Method.NOT_APPLICABLE):
            continue
        if abs(ind.reported - s.score) >= SCORE_TOLERANCE:
            yield hit(INDICATORS, ind.row, "reported", name=ind.name, reported=ind.reported, method=ind.method.value,
                      score=s.score, how=s.how)


def survey_sum(x: Facts) -> Rules:
    for g in x.p.survey:
        total = g.satisfied + g.basic + g.unsatisfied
        if total != g.valid:
            yield hit(SURVEY, g.row, "valid", group=g.group, satisfied=g.satisfied, basic=g.basic,
                      unsatisfied=g.unsatisfied, sum=total, valid=g.valid)


def survey_sheet_missing(x: Facts) -> Rules:
    """The survey is optional, but a 满意度 indicator that needs it makes the sheet's absence the
    first cause (not its samples)."""
    uses_survey = any(i.method is Method.SATISFACTION and typed_rate(i) is None for i in x.p.indicators)
    if uses_survey and SURVEY in x.p.unread and SURVEY not in x.p.columns:
        yield hit(SURVEY, name=SURVEY)


def survey_unused(x: Facts) -> Rules:
    if x.p.survey and not any(i.method is Method.SATISFACTION for i in x.p.indicators):
        yield hit(SURVEY, FIRST_DATA_ROW, "group")


def survey_group_unused(x: Facts) -> Rules:
    """Contract v3: where the 满意度 indicators name their 调查对象, every group is some indicator's;
    a group that none names (while no indicator pools them all) counts nowhere."""
    satisfaction = [i for i in x.p.indicators if i.method is Method.SATISFACTION]
    for g in unscored_groups(x.p):
        yield hit(SURVEY, g.row, "group", group=g.group, names="、".join(f"“{i.name}”" for i in satisfaction))


# ---------------------------------------------------------------- cross-checks between sheets
def paid_before_signed(x: Facts) -> Rules:
    for pay in x.p.payments:
        contracts = x.contracts_of(pay)
        signed = [c.signed for c in contracts if c.signed]
        if signed and pay.date < min(signed):
            yield hit(PAYMENTS, pay.row, "date", facts={"payment": pay, "signed": min(signed), "contracts": contracts},
                      date=date(pay.date), payee=pay.payee, signed=date(min(signed)))


def paid_outside_service(x: Facts) -> Rules:
    for pay in x.p.payments:
        contracts = x.contracts_of(pay)
        periods = [(c.service_start, c.service_end) for c in contracts if c.service_start and c.service_end]
        if periods and not any(a <= pay.date <= b for a, b in periods):
            yield hit(PAYMENTS, pay.row, "date", facts={"payment": pay, "periods": periods, "contracts": contracts},
                      date=date(pay.date), payee=pay.payee, spans="、".join(f"{date(a)}至{date(b)}" for a, b in periods))


def paid_over_contract(x: Facts) -> Rules:
    """The payments under the same contracts, together, against the contracts' amounts."""
    paid: dict[tuple, list] = {}
    for pay in x.p.payments:
        contracts = x.contracts_of(pay)
        if contracts:
            paid.setdefault(tuple(c.row for c in contracts), []).append(pay)
    by_row = {c.row: c for c in x.p.contracts}
    for rows, pays in paid.items():
        contracts = [by_row[r] for r in rows]
        if any(c.amount is None for c in contracts):
            continue
        limit = sum((c.amount for c in contracts), ZERO)
        total = sum((p.amount for p in pays), ZERO)
        if total > limit:
            last = pays[-1]
            yield hit(PAYMENTS, last.row, "amount",
                      facts={"payee": last.payee, "paid": total, "limit": limit, "contracts": contracts,
                             "payments": pays},
                      payee=last.payee, paid=yuan_text(total), contracts="、".join(f"“{c.name}”" for c in contracts),
                      limit=yuan_text(limit))


def duplicate_payment(x: Facts) -> Rules:
    if x.p.form:          # a 自评表's 执行数 by source are not payments
        return
    first: dict[tuple, int] = {}
    for pay in x.p.payments:
        key = (pay.date, S.normalize(pay.payee), pay.amount)
        if key in first:
            yield hit(PAYMENTS, pay.row, "amount", facts={"payment": pay}, first=first[key], date=date(pay.date),
                      payee=pay.payee, amount=yuan_text(pay.amount))
        else:
            first[key] = pay.row


def paid_without_contract(x: Facts) -> Rules:
    if not x.has_contracts:
        return
    with_contract = {S.normalize(c.budget_line) for c in x.p.contracts if c.budget_line}
    for line in x.e.funds.lines:
        if line.paid > ZERO and S.normalize(line.name) not in with_contract:
            yield hit(BUDGET, x.budget_row(line.name), "name", facts={"line": line.name, "paid": line.paid},
                      name=line.name, paid=wan(line.paid))


# ---------------------------------------------------------------- evaluation policy
def _low_execution(x: Facts) -> bool:
    rate = x.e.funds.exec_rate
    return rate is not None and rate < V.LOW_EXECUTION


def no_deviation_reason(x: Facts) -> Rules:
    """Contract v3: a 偏差原因 where an indicator did not reach its target (not merely where a
    proportional method gave less than 分值). A 预算执行率 below 90% is LOW_EXECUTION's."""
    for s in x.e.scored:
        ind = s.indicator
        if _low_execution(x) and ind.method is Method.EXECUTION:
            continue
        if s.missed and not ind.deviation and _has_place_for_deviation(x, ind):
            yield hit(INDICATORS, ind.row, "deviation", name=ind.name, score=s.score, weight=ind.weight)


def _has_place_for_deviation(x: Facts, ind: Indicator) -> bool:
    """A 自评表's funds block (where its 预算执行率 sits) has no 偏差原因 column to fill."""
    column = x.p.columns.get(INDICATORS, {}).get("deviation")
    return not isinstance(column, dict) or ind.row in column


def far_above_target(x: Facts) -> Rules:
    for s in x.e.scored:
        ind = s.indicator
        if ind.method is not Method.RATIO or s.rate is None or s.rate < V.FAR_ABOVE_TARGET:
            continue
        if not ind.deviation and "原因" not in ind.remarks:
            yield hit(INDICATORS, ind.row, "deviation", name=ind.name, rate=percent(s.rate),
                      limit=percent(V.FAR_ABOVE_TARGET, 0))


def low_execution(x: Facts) -> Rules:
    if not _low_execution(x) or {BUDGET, PAYMENTS} & x.p.unread:
        return
    scored = x.e.scored
    explained = any(s.indicator.method is Method.EXECUTION and s.indicator.deviation for s in scored)
    if explained or x.p.texts(S.problems_slot(x.p.info.report_type)):
        return
    row = next((s.indicator.row for s in scored if s.indicator.method is Method.EXECUTION), None)
    yield hit(INDICATORS, row, "deviation" if row else None, rate=percent(x.e.funds.exec_rate),
              limit=percent(V.LOW_EXECUTION, 0))


def form_exec_rate(x: Facts) -> Rules:
    """A 自评 scored on 到位资金 whose money was not all in place: the 自评表 divides by 全年预算数 (as the
    official form does), so its 执行率 and the 预算执行率 indicator's 得分 beside it disagree."""
    f = x.e.funds
    execution = next((s for s in x.e.scored if s.indicator.method is Method.EXECUTION and s.score is not None), None)
    if (x.p.info.report_type is not ReportType.SELF or f.basis is not S.ExecBasis.IN_PLACE or execution is None
            or f.in_place == f.budget or not f.budget or f.exec_rate is None):
        return
    yield hit(S.INFO_SHEET, x.p.info.rows.get("exec_basis"), "value", rate=percent(f.exec_rate),
              score=number(execution.score), form_rate=percent(f.paid / f.budget))


def _framework(x: Facts) -> bool:
    """The 一级 follow the framework of 决策/过程/产出/效益 (else a 自评表's 产出/效益/满意度…)."""
    return any(V.has_word(g.name, V.FRAMEWORK_ONLY) for g in x.e.level1)


def _total(x: Facts, pick) -> Decimal:
    return sum((ind.weight for ind in x.scored_indicators if pick(ind)), ZERO)


def _under(words):
    """The indicators of a 一级 with one of ``words``, but for those that have a role of their own."""
    return lambda ind: V.has_word(ind.level1, words) and not is_execution(ind) and not is_satisfaction(ind)


def self_weights(x: Facts) -> Rules:
    """The 一级 weights of a 单位自评 (50/30/10/10, 产出/效益/满意度/预算执行率). The 预算执行率 and 满意度
    indicators are found by their role wherever they sit: real forms put 预算执行率 under 项目管理
    and 满意度 under 效益."""
    if x.p.info.report_type is not ReportType.SELF or _framework(x) or not x.e.level1 or not x.scored_indicators:
        return
    parts = ((V.SELF_OUTPUT, _under(V.OUTPUT_WORDS)), (V.SELF_BENEFIT, _under(V.BENEFIT_WORDS)),
             (V.SELF_SATISFACTION, is_satisfaction), (V.SELF_EXECUTION, is_execution))
    expected = {label: points for (label, points), _ in parts}
    actual = {label: _total(x, pick) for (label, _), pick in parts}
    (output, _), (benefit, _), (satisfaction, _), (execution, _) = (part for part, _ in parts)
    rest = 100 - expected[execution]
    if not actual[satisfaction]:          # without 满意度 its points go to 产出 and 效益
        expected.pop(satisfaction)
        problems = actual[execution] != expected[execution] or actual[output] + actual[benefit] != rest
        rule = f"无{satisfaction}指标时：{execution}{expected[execution]}分，{output}与{benefit}合计{rest}分"
    else:
        problems = any(actual[k] != v for k, v in expected.items())
        rule = "、".join(f"{k}{w}分" for k, w in expected.items())
    if problems:
        yield hit(INDICATORS, None, "weight", rule=f"单位自评的一级指标权重原则上为{rule}",
                  actual="、".join(f"{k}{number(actual[k])}分" for k in expected)
                  + f"（{execution}、{satisfaction}指标按计分方法识别，不论所在一级指标）")


def evaluation_weights(x: Facts) -> Rules:
    """部门评价/财政评价 (and a 自评 by the framework of 决策/过程/产出/效益): 产出 and 效益 together."""
    if x.p.info.report_type is ReportType.SELF and not _framework(x) or not x.e.level1 or not x.scored_indicators:
        return
    outputs = _total(x, lambda ind: V.has_word(ind.level1, V.OUTPUT_AND_OUTCOME_WORDS) or is_satisfaction(ind))
    if outputs < V.MIN_OUTPUT_AND_OUTCOME:
        yield hit(INDICATORS, None, "weight", rule=f"绩效评价中产出、效益指标权重合计一般不低于{V.MIN_OUTPUT_AND_OUTCOME}分",
                  actual=f"{number(outputs)}分")


def framework_incomplete(x: Facts) -> Rules:
    """部门评价/财政评价 follow the 共性指标 framework of 财预〔2020〕10号: 决策, 过程, 产出, 效益."""
    info = x.p.info
    mode = info.mode or (EvalMode.DEPARTMENT if info.report_type is ReportType.EVALUATION else None)
    if x.p.form or mode not in (EvalMode.DEPARTMENT, EvalMode.FINANCE, EvalMode.THIRD_PARTY) or not x.p.indicators:
        return
    level1 = {ind.level1 for ind in x.p.indicators}
    missing = [label for label, words in ((V.DECISION, V.DECISION_WORDS), (V.PROCESS, V.PROCESS_WORDS))
               if not any(V.has_word(name, words) for name in level1)]
    if missing:
        yield hit(INDICATORS, None, "level1", mode=mode.value, missing="、".join(missing))


def operator_mismatch(x: Facts) -> Rules:
    for ind in x.p.indicators:
        target = ind.target
        if ind.operator and target is not None and target.operator and target.operator is not ind.operator:
            yield hit(INDICATORS, ind.row, "target", name=ind.name, target=target, operator=ind.operator.value)


def _repeated_names(x: Facts):
    """(first, again) for each indicator whose name an earlier one has."""
    seen: dict[str, Indicator] = {}
    for ind in x.p.indicators:
        first = seen.setdefault(S.normalize(ind.name), ind)
        if first is not ind:
            yield first, ind


def _same_parents(a: Indicator, b: Indicator) -> bool:
    return (S.normalize(a.level1), S.normalize(a.level2)) == (S.normalize(b.level1), S.normalize(b.level2))


def indicator_duplicate(x: Facts) -> Rules:
    for first, ind in _repeated_names(x):
        if _same_parents(first, ind):
            yield hit(INDICATORS, ind.row, "name", name=ind.name, first=first.row)


def indicator_two_parents(x: Facts) -> Rules:
    for first, ind in _repeated_names(x):
        if not _same_parents(first, ind):
            yield hit(INDICATORS, ind.row, "name", name=ind.name, first_parent=first.level2, first=first.row,
                      parent=ind.level2)


def self_score(x: Facts) -> Rules:
    """The evaluator's own 自评得分 against the total the indicators give."""
    typed, total = x.p.info.self_score, x.e.total
    if typed is not None and not x.e.incomplete and abs(typed - total) >= SCORE_TOLERANCE:
        yield hit(S.INFO_SHEET, x.p.info.rows.get("self_score"), "value", typed=number(typed), total=number(total),
                  difference=number(abs(typed - total)))


def total_not_rows(x: Facts) -> Rules:
    """The typed 总分 against the sum of the typed 得分 of its rows: an adding-up slip on the
    form, whatever the rules say of each row (a total rescaled for 不适用 rows is not a sum)."""
    typed = x.p.info.self_score
    rows = [ind.reported for ind in x.p.indicators]
    if typed is None or not rows or any(r is None for r in rows) or x.e.rescaled:
        return
    total = sum(rows, ZERO)
    if abs(typed - total) >= SCORE_TOLERANCE:
        yield hit(S.INFO_SHEET, x.p.info.rows.get("self_score"), "value", typed=number(typed), rows=number(total),
                  difference=number(abs(typed - total)))


# ---------------------------------------------------------------- the rules, in the order they run
@dataclass(frozen=True)
class Rule:
    code: Code                              # what it reports: the code's severity and message
    check: Callable[[Facts], Rules]

    @property
    def severity(self) -> Severity:
        return self.code.severity


RULES = (
    Rule(Code.BUDGET_EMPTY, budget_empty),
    Rule(Code.BUDGET_SUM, budget_sum),
    Rule(Code.BUDGET_LINE_DUPLICATE, duplicate_budget_lines),
    Rule(Code.NEGATIVE, negative_budget),
    Rule(Code.FUND_SOURCE_CLASSIFIED, fund_source_classified),
    Rule(Code.IN_PLACE_OVER, in_place_over),
    Rule(Code.PAID_OVER_BUDGET, paid_over_budget),
    Rule(Code.UNKNOWN_BUDGET_LINE, payment_line_unknown),
    Rule(Code.NEGATIVE, payment_not_positive),
    Rule(Code.PAYMENT_OUTSIDE_PERIOD, payment_outside_period),
    Rule(Code.UNKNOWN_BUDGET_LINE, contract_line_unknown),
    Rule(Code.WEIGHTS_MISSING, weights_missing),
    Rule(Code.INDICATORS_EMPTY, indicators_empty),
    Rule(Code.WEIGHT_RANGE, weight_range),
    Rule(Code.WEIGHT_TOTAL, weight_total),
    Rule(Code.SCORE_RANGE, score_range),
    Rule(Code.REPORTED_SCORE, reported_score),
    Rule(Code.SURVEY_SUM, survey_sum),
    Rule(Code.SHEET_MISSING, survey_sheet_missing),
    Rule(Code.SURVEY_UNUSED, survey_unused),
    Rule(Code.SURVEY_GROUP_UNUSED, survey_group_unused),
    Rule(Code.PAID_BEFORE_SIGNED, paid_before_signed),
    Rule(Code.PAID_OUTSIDE_SERVICE, paid_outside_service),
    Rule(Code.PAID_OVER_CONTRACT, paid_over_contract),
    Rule(Code.DUPLICATE_PAYMENT, duplicate_payment),
    Rule(Code.PAID_WITHOUT_CONTRACT, paid_without_contract),
    Rule(Code.NO_DEVIATION_REASON, no_deviation_reason),
    Rule(Code.FAR_ABOVE_TARGET, far_above_target),
    Rule(Code.LOW_EXECUTION, low_execution),
    Rule(Code.FORM_EXEC_RATE, form_exec_rate),
    Rule(Code.WEIGHT_RULE, self_weights),
    Rule(Code.WEIGHT_RULE, evaluation_weights),
    Rule(Code.FRAMEWORK_INCOMPLETE, framework_incomplete),
    Rule(Code.OPERATOR_MISMATCH, operator_mismatch),
    Rule(Code.INDICATOR_DUPLICATE, indicator_duplicate),
    Rule(Code.INDICATOR_TWO_PARENTS, indicator_two_parents),
    Rule(Code.SELF_SCORE, self_score),
    Rule(Code.TOTAL_NOT_ROWS, total_not_rows),
)


def run_checks(project: Project, evaluation: Evaluation) -> list[Finding]:
    facts = Facts(project, evaluation)
    return [rule.code.at(h.sheet, h.row, h.key, facts=h.facts, **h.fields) for rule in RULES for h in rule.check(facts)]
