"""Project -> Evaluation: the scoring methods of the contract, subtotals, 总分 and 等级.

Each 三级 score is computed with Decimal arithmetic and rounded half-up to two
decimals once; 二级, 一级 and 总分 are sums of those rounded scores, grouped in the
workbook's order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal

from . import schema as S
from . import vocab as V
from .errors import PerfevalError
from .findings import Code, Finding
from .model import Indicator, Project
from .schema import Achievement, ExecBasis, Method, Operator, QualBand, SatisfactionBasis
from . import figures as F
from .figures import round_half_up
from .values import YearMonth
from .vocab import LOW_EXECUTION, NOT_APPLICABLE_RESULT, SATISFACTION_TARGET, grade_of

REQUIRED_SHEETS = {sheet.name for sheet in S.TABLE_SHEETS if sheet.required}
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
WAN = Decimal(S.YUAN_PER_WAN)
_MARKERS = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")


@dataclass
class LineFunds:
    name: str
    budget: Decimal      # 万元
    in_place: Decimal    # 万元
    paid: Decimal        # 万元 (unrounded: Σ元 / 10000)
    source: object = None
    basis: ExecBasis = ExecBasis.IN_PLACE

    @property
    def rate(self) -> Decimal | None:
        """执行率 of the line on the project's 预算执行率口径, so that the lines and their total agree."""
        d = self.in_place if self.basis is ExecBasis.IN_PLACE else self.budget
        return self.paid / d if d else None


@dataclass
class Funds:
    budget_total: Decimal | None   # 项目信息 预算总额
    budget: Decimal                # Σ预算明细
    in_place: Decimal
    paid: Decimal
    basis: ExecBasis
    lines: list[LineFunds]
    unassigned_paid: Decimal = ZERO   # payments naming no budget line
    outside: list = field(default_factory=list)   # payments dated outside 评价期间: not in ``paid``

    @property
    def in_place_rate(self) -> Decimal | None:
        return self.in_place / self.budget if self.budget else None

    @property
    def exec_denominator(self) -> Decimal:
        return self.in_place if self.basis is ExecBasis.IN_PLACE else self.budget

    @property
    def exec_rate(self) -> Decimal | None:
        d = self.exec_denominator
        return self.paid / d if d else None


@dataclass
class SurveyResult:
    valid: int
    satisfied: int
    basic: int
    unsatisfied: int
    basis: SatisfactionBasis
    groups: tuple[str, ...] = ()     # the 调查对象 summed here

    @property
    def counted(self) -> int:
        if self.basis is SatisfactionBasis.SATISFIED_OR_BASIC:
            return self.satisfied + self.basic
        return self.satisfied

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.counted) / Decimal(self.valid) if self.valid else None


def is_execution(ind: Indicator) -> bool:
    """A 预算执行率 indicator, by its role wherever it sits: its 计分方法, or its 三级 name (real forms
    put 预算执行率 under 项目管理)."""
    return ind.method is Method.EXECUTION or V.has_word(ind.name, V.EXECUTION_WORDS)


def is_satisfaction(ind: Indicator) -> bool:
    """A 满意度 indicator, by its role wherever it sits (forms put 满意度 under 效益): its 计分方法, or
    its 二级 or 三级 name; never a 预算执行率 indicator."""
    return not is_execution(ind) and (ind.method is Method.SATISFACTION or V.has_word(ind.level2, V.SATISFACTION_WORDS)
                                      or V.has_word(ind.name, V.SATISFACTION_WORDS))


def result_not_applicable(ind: Indicator) -> bool:
    """实际值 saying the indicator did not apply this year ("不适用", "无（没有轮换）")."""
    return ind.actual is not None and ind.actual.number is None and ind.actual.when is None \
        and bool(NOT_APPLICABLE_RESULT.match(ind.actual.text))


@dataclass
class Scored:
    indicator: Indicator
    score: Decimal | None            # rounded; None for 不适用
    rate: Decimal | None = None      # completion (actual/target, 到位率, 执行率, 满意率) as a fraction
    achieved: bool | None = None     # target met?
    how: str = ""                    # how the score was reached, in Chinese
    unscorable: bool = False         # could not be scored as filled in (an error says why): counts 0
    survey: SurveyResult | None = None   # 满意度: the survey rows this indicator was scored on
    pooled: bool = False             # 满意度: the indicator names no 调查对象, so all rows were pooled

    @property
    def missed(self) -> bool:
        """The indicator did not reach its target: a problem, which needs its 偏差原因 (contract v3).
        One that reached its target is not, even where a proportional method (满意度, 预算执行率)
        gave less than its 分值. Without a target to judge by (人工), a score below 分值 is a miss."""
        if not self.applicable or self.unscorable:
            return False
        if self.achieved is not None:
            return not self.achieved
        return self.score < self.indicator.weight

    @property
    def applicable(self) -> bool:
        return self.score is not None

    @property
    def score_rate(self) -> Decimal | None:
        w = self.indicator.weight
        return self.score / w if (self.score is not None and w) else None


@dataclass
class Group:
    """A 一级 or 二级 subtotal."""
    name: str
    weight: Decimal
    score: Decimal
    level1: str = ""
    n_level2: int = 0
    n_level3: int = 0
    # the 不适用 三级 under it: listed in the indicator system, outside weight, score and n_level3
    not_applicable: list = field(default_factory=list)

    @property
    def score_rate(self) -> Decimal | None:
        return self.score / self.weight if self.weight else None


@dataclass
class Evaluation:
    project: Project
    scored: list[Scored]
    level1: list[Group]
    level2: list[Group]
    weight_total: Decimal           # Σ分值 of every indicator
    applicable_weight: Decimal      # Σ分值 without 不适用
    raw_total: Decimal              # Σ rounded 三级 scores
    total: Decimal
    grade: str
    rescaled: bool
    funds: Funds
    survey: SurveyResult | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def weights_off(self) -> str:
        """Why the 分值 make the 总分 no result (contract v3): all blank (nothing to score), or a sum
        other than 100 (the total is not final and has no grade); '' when they are right."""
        if self.project.weights_missing:
            return f"分值未填写（{self.project.weights_missing}个三级指标都没有分值）"
        if S.INDICATORS.name in self.project.unread:
            return "绩效指标未能读取"
        if self.scored and self.weight_total != HUNDRED and self.applicable_weight != HUNDRED:
            return f"分值合计为{F.number(self.weight_total)}分，不是100分"
        return ""

    @property
    def scorable(self) -> bool:
        """There is a total to show (however provisional): indicators, each with a 分值."""
        return bool(self.scored) and not self.project.weights_missing

    @property
    def graded(self) -> bool:
        """The 总分 may carry a grade: the 分值 add up to 100."""
        return self.scorable and not self.weights_off

    @property
    def incomplete(self) -> bool:
        """Some indicator could not be scored or some sheet could not be read."""
        return bool(self.project.unread & REQUIRED_SHEETS) or any(s.unscorable for s in self.scored)

    @property
    def provisional(self) -> bool:
        """The 总分 is not final: the evaluation is incomplete, or the 分值 do not add up to 100."""
        return self.incomplete or bool(self.weights_off)

    def level2_of(self, level1: str) -> list[Group]:
        return list(self._by_level1.get(level1, ()))

    def scored_in(self, level1: str, level2: str) -> list[Scored]:
        return list(self._by_level2.get((level1, level2), ()))

    # The groups' members, worked out once: asked for each group, a scan of all would make the
    # report's tables grow with the square of the indicators.
    @cached_property
    def _by_level1(self) -> dict[str, list[Group]]:
        out: dict[str, list[Group]] = {}
        for g in self.level2:
            out.setdefault(g.level1, []).append(g)
        return out

    @cached_property
    def _by_level2(self) -> dict[tuple[str, str], list[Scored]]:
        out: dict[tuple[str, str], list[Scored]] = {}
        for s in self.scored:
            out.setdefault((s.indicator.level1, s.indicator.level2), []).append(s)
        return out


# ---------------------------------------------------------------- funds & survey
def in_period(project: Project, payment) -> bool:
    """Whether a payment counts in the year's execution: dated inside 评价期间 (contract v3)."""
    start, end = project.info.period_start, project.info.period_end
    return (start is None or payment.date >= start) and (end is None or payment.date <= end)


def compute_funds(project: Project) -> Funds:
    """The funds of the year: 实际支出 and 执行数 count the payments inside 评价期间 only."""
    lines = [LineFunds(b.name, b.budget, b.in_place, ZERO, b.source, project.info.exec_basis) for b in project.budget]
    by_name = {S.normalize(l.name): l for l in lines}
    unassigned = ZERO
    outside = []
    for p in project.payments:
        if not in_period(project, p):
            outside.append(p)
            continue
        line = by_name.get(S.normalize(p.budget_line))
        if line is None:
            unassigned += p.amount / WAN
        else:
            line.paid += p.amount / WAN
    paid = sum((l.paid for l in lines), ZERO) + unassigned
    return Funds(
        budget_total=project.info.budget_total,
        budget=sum((l.budget for l in lines), ZERO),
        in_place=sum((l.in_place for l in lines), ZERO),
        paid=paid,
        basis=project.info.exec_basis,
        lines=lines,
        unassigned_paid=unassigned,
        outside=outside,
    )


def compute_survey(project: Project, groups=None) -> SurveyResult | None:
    """The survey summed over ``groups`` (all rows when None)."""
    rows = project.survey if groups is None else groups
    if not rows:
        return None
    return SurveyResult(
        valid=sum(g.valid for g in rows),
        satisfied=sum(g.satisfied for g in rows),
        basic=sum(g.basic for g in rows),
        unsatisfied=sum(g.unsatisfied for g in rows),
        basis=project.info.satisfaction_basis,
        groups=tuple(g.group for g in rows),
    )


def survey_groups_of(project: Project, ind: Indicator) -> list:
    """The 满意度调查 rows a 满意度 indicator speaks of: those whose 调查对象 its 三级 name contains
    (村级管水员满意度 ↔ 村级管水员). Empty when it names none (it then uses them all, pooled)."""
    name = S.normalize(ind.name)
    return [g for g in project.survey if S.normalize(g.group) and S.normalize(g.group) in name]


def unscored_groups(project: Project) -> list:
    """Contract v3: where every 满意度 indicator names its 调查对象, the groups that none names count
    nowhere (an indicator naming none pools them all, and then every group counts)."""
    satisfaction = [i for i in project.indicators if i.method is Method.SATISFACTION]
    named = [survey_groups_of(project, i) for i in satisfaction]
    if not satisfaction or not all(named):
        return []
    used = {id(g) for groups in named for g in groups}
    return [g for g in project.survey if id(g) not in used]


# ---------------------------------------------------------------- per method
class _Problem(PerfevalError):
    """An indicator that cannot be scored as filled in; becomes an 错误 finding."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def _ratio(ind: Indicator, ctx) -> tuple[Decimal, Decimal | None, bool, str]:
    target, actual = ind.target, ind.actual
    if target is None or target.number is None:
        raise _Problem("target", f"计分方法为“比率”，“目标值”须为数值（如 90%、4），实际为“{target or ''}”。")
    if actual is None or actual.number is None:
        raise _Problem("actual", f"计分方法为“比率”，“实际值”须为数值（如 90%、4），实际为“{actual or ''}”。")
    op = ind.comparison
    if op is None:
        raise _Problem("operator", "计分方法为“比率”时须填写“指标性质”（≥、>、≤、<、=）。")
    t, a, w = target.number, actual.number, ind.weight
    if op.higher_is_better:
        met = a >= t
        rate = a / t if t else None
        score = w if met else w * a / t
    elif op is Operator.EQ:
        met = a == t
        hi, lo = max(a, t), min(a, t)
        rate = (lo / hi) if hi else ONE
        score = w if met else w * rate
    else:
        met = a <= t
        rate = None
        score = w if met else (w * t / a if a else w)
    score = min(max(score, ZERO), w)
    verdict = Achievement.MET if met else Achievement.NOT_MET
    how = f"目标值{op.value}{F.measure(ind.target, ind.unit)}，实际值{F.measure(ind.actual, ind.unit)}，{verdict.value}目标"
    return score, rate, met, how


def _unread_budget(ctx) -> None:
    if S.BUDGET.name in ctx.unread:
        raise _Problem("method", "工作表“预算明细”缺失或表头不全（见该表的问题），无法计算。")


def target_rate(ind: Indicator) -> Decimal | None:
    """An indicator's 目标值 as a fraction ("≥90%", "90", "0.9" -> 0.9), or None where none is given."""
    target = ind.target
    if target is None or target.number is None:
        return None
    percent = target.unit == "%" or ind.unit == "%" or target.number > 1
    return target.number / HUNDRED if percent else target.number


def _reached(rate: Decimal, ind: Indicator, default: Decimal) -> bool:
    """A rate against the indicator's target (its 目标值, else the rule's ``default``)."""
    target = target_rate(ind)
    if target is None:
        return rate >= default
    return rate > target if ind.comparison is Operator.GT else rate >= target


def _funds_in_place(ind, ctx):
    _unread_budget(ctx)
    rate = ctx.funds.in_place_rate
    if rate is None:
        raise _Problem("method", "“预算明细”中没有预算金额，无法计算资金到位率。")
    return ind.weight * min(rate, ONE), rate, _reached(rate, ind, ONE), f"资金到位率{F.percent(rate)}"


def _execution(ind, ctx):
    _unread_budget(ctx)
    rate = ctx.funds.exec_rate
    if rate is None:
        raise _Problem("method", "预算执行率的分母（到位资金或预算资金）为0，无法计算。")
    met = _reached(rate, ind, LOW_EXECUTION)
    return ind.weight * min(rate, ONE), rate, met, f"预算执行率{F.percent(rate)}"


def _satisfaction(ind, ctx):
    """满意度 from the survey rows of the indicator's own 调查对象 (all rows where it names none);
    with no survey at all, from a 实际值 typed as a percentage (a 自评表 gives only the rate)."""
    survey = ctx.survey_of(ind)
    if survey is None and typed_rate(ind) is not None:
        rate = typed_rate(ind)
        return (ind.weight * min(rate, ONE), rate, _reached(rate, ind, SATISFACTION_TARGET),
                f"满意度{F.percent(rate)}")
    if S.SURVEY.name in ctx.unread:
        raise _Problem("method", "计分方法为“满意度”，但工作簿中缺少工作表“满意度调查”（或其表头不全）。")
    if survey is None or not survey.valid:
        raise _Problem("method", "计分方法为“满意度”，但“满意度调查”表中没有有效样本。")
    rate = survey.rate
    return ind.weight * min(rate, ONE), rate, _reached(rate, ind, SATISFACTION_TARGET), f"满意度{F.percent(rate)}"


def typed_rate(ind: Indicator) -> Decimal | None:
    """实际值 typed as a percentage ("97.61%"): the rate of a 满意度 indicator without survey rows."""
    a = ind.actual
    if a is None or a.number is None or not (a.unit == "%" or ind.unit == "%"):
        return None
    return a.number / HUNDRED


def _timeliness(ind, ctx):
    target, actual = ind.target, ind.actual
    if target is None or target.when is None:
        raise _Problem("target", f"计分方法为“时效”，“目标值”须为日期或年月（如 2023年9月），实际为“{target or ''}”。")
    if actual is None or actual.when is None:
        raise _Problem("actual", f"计分方法为“时效”，“实际值”须为日期或年月（如 2023年9月），实际为“{actual or ''}”。")
    t, a = target.when, actual.when
    if isinstance(t, YearMonth) or isinstance(a, YearMonth):
        t = t if isinstance(t, YearMonth) else YearMonth(t.year, t.month)
        a = a if isinstance(a, YearMonth) else YearMonth(a.year, a.month)
    met = a <= t
    return (ind.weight if met else ZERO), None, met, f"计划{F.date(t)}，实际{F.date(a)}"


def _points(ind, ctx):
    total = ind.points_total or len(_MARKERS.findall(ind.key_points))
    if not total:
        raise _Problem("points_total", "计分方法为“要点”，须填写“要点总数”，或在“评价要点”中用①②③…列出要点。")
    if ind.points_met is None:
        raise _Problem("points_met", "计分方法为“要点”，须填写“要点达成数”。")
    if ind.points_met > total:
        raise _Problem("points_met", f"“要点达成数”{ind.points_met}大于要点总数{total}。")
    rate = Decimal(ind.points_met) / Decimal(total)
    return ind.weight * rate, rate, ind.points_met == total, f"{total}个评价要点达成{ind.points_met}个"


def _qualitative(ind, ctx):
    if ind.band is None:
        raise _Problem("band", "计分方法为“定性”，须选择“定性档次”。")
    low, high = ind.band.band
    if ind.reported is None:
        if ind.band is QualBand.ACHIEVED:
            return ind.weight, None, True, ind.band.value
        raise _Problem("reported", f"定性档次为“{ind.band.value}”时须填写“填报得分”（{low}%–{high}%的分值之间）。")
    share = ind.reported / ind.weight * HUNDRED if ind.weight else ZERO
    inside = low <= share <= high if ind.band is QualBand.ACHIEVED else low <= share < high
    if not inside:
        lo_s = round_half_up(ind.weight * low / HUNDRED)
        hi_s = round_half_up(ind.weight * high / HUNDRED)
        bracket = "]" if ind.band is QualBand.ACHIEVED else ")"
        raise _Problem("reported", f"定性档次“{ind.band.value}”的得分应在[{lo_s}, {hi_s}{bracket}分之间，"
                                   f"填报得分为{ind.reported}分。")
    return ind.reported, None, ind.band is QualBand.ACHIEVED, ind.band.value


def _judgement(ind, ctx):
    """达成判断: the evaluator states 达成/部分达成/未达成 for a text target; the score follows."""
    a = ind.achievement
    if a is None:
        raise _Problem("achievement", "计分方法为“达成判断”，须在“达成情况”中选择达成、部分达成或未达成。")
    if a is Achievement.MET:
        return ind.weight, None, True, "评价人判断为达成"
    if a is Achievement.PARTLY:
        if ind.reported is None or not (ZERO < ind.reported < ind.weight):
            raise _Problem("reported", f"达成情况为“部分达成”时须填写填报得分（大于0、小于分值{ind.weight}分）。")
        return ind.reported, None, False, "评价人判断为部分达成"
    if ind.reported is not None and not (ZERO <= ind.reported < ind.weight):
        raise _Problem("reported", f"达成情况为“未达成”时填报得分应小于分值{ind.weight}分。")
    return (ind.reported or ZERO), None, False, "评价人判断为未达成"


def _manual(ind, ctx):
    if ind.reported is None:
        raise _Problem("reported", "计分方法为“人工”，须填写“填报得分”。")
    if not ind.remarks:
        raise _Problem("remarks", "计分方法为“人工”，须在“评分说明”中写明评分理由。")
    return ind.reported, None, None, "评价人打分"


_METHODS = {
    Method.RATIO: _ratio,
    Method.FUNDS_IN_PLACE: _funds_in_place,
    Method.EXECUTION: _execution,
    Method.SATISFACTION: _satisfaction,
    Method.TIMELINESS: _timeliness,
    Method.POINTS: _points,
    Method.QUALITATIVE: _qualitative,
    Method.JUDGEMENT: _judgement,
    Method.MANUAL: _manual,
}


@dataclass
class _Context:
    project: Project
    funds: Funds
    survey: SurveyResult | None                  # every row (pooled)
    unread: set = field(default_factory=set)     # sheets the reader could not read

    def survey_of(self, ind: Indicator) -> SurveyResult | None:
        own = survey_groups_of(self.project, ind)
        return compute_survey(self.project, own) if own else self.survey


def score_indicator(ind: Indicator, ctx: _Context, findings: list[Finding]) -> Scored:
    if ind.method is Method.NOT_APPLICABLE or result_not_applicable(ind):
        return Scored(ind, None, how="不适用")
    if ind.method is None:       # the reader has reported the cell
        return Scored(ind, ZERO, how="计分方法无法识别", unscorable=True)
    try:
        raw, rate, met, how = _METHODS[ind.method](ind, ctx)
    except _Problem as p:
        findings.append(Code.CANNOT_SCORE.at(S.INDICATORS.name, ind.row, p.key, name=ind.name, problem=p))
        return Scored(ind, ZERO, how="无法计分", unscorable=True)
    # Only a typed score (人工) can fall outside [0, 分值]; the checks report it (SCORE_RANGE).
    raw = min(max(raw, ZERO), ind.weight)
    scored = Scored(ind, round_half_up(raw), rate, met, how)
    if ind.method is Method.SATISFACTION and ctx.survey is not None:
        scored.survey = ctx.survey_of(ind)
        scored.pooled = not survey_groups_of(ctx.project, ind)
    return scored


# ---------------------------------------------------------------- evaluation
def evaluate(project: Project) -> Evaluation:
    findings: list[Finding] = []
    ctx = _Context(project, compute_funds(project), compute_survey(project), project.unread)
    scored = [score_indicator(ind, ctx, findings) for ind in project.indicators]
    used = [s for s in scored if s.applicable]

    # Subtotals in the workbook's order (a plain loop: a workbook holds tens of indicators).
    level2: dict[tuple[str, str], Group] = {}
    level1: dict[str, Group] = {}
    scoring_level1 = {s.indicator.level1 for s in used}     # a 一级 all 不适用 has no subtotal
    for s in scored:
        ind = s.indicator
        if ind.level1 not in scoring_level1:
            continue
        g2 = level2.setdefault((ind.level1, ind.level2), Group(ind.level2, ZERO, ZERO, level1=ind.level1))
        g1 = level1.setdefault(ind.level1, Group(ind.level1, ZERO, ZERO))
        for g in (g2, g1):
            if s.applicable:
                g.weight += ind.weight
                g.score += s.score
                g.n_level3 += 1
            else:
                g.not_applicable.append(s)
    for l1, _ in level2:
        level1[l1].n_level2 += 1

    weight_total = sum((s.indicator.weight for s in scored), ZERO)
    applicable_weight = sum((s.indicator.weight for s in used), ZERO)
    raw_total = sum((s.score for s in used), ZERO)
    rescaled = bool(applicable_weight) and applicable_weight != HUNDRED and weight_total == HUNDRED
    total = round_half_up(raw_total * HUNDRED / applicable_weight) if rescaled else raw_total
    return Evaluation(project, scored, list(level1.values()), list(level2.values()), weight_total,
                      applicable_weight, raw_total, total, grade_of(total), rescaled, ctx.funds, ctx.survey,
                      findings)
