"""What the report lists under 存在的问题 and 有关建议, and under 其他需要说明的问题.

A problem is a target missed or a rule broken, never a point lost (contract v3): an indicator that
did not reach its target, and every finding of ``check`` about money and contracts that stands when
the report is built (a payment over its contract, before signing or outside the service period, a
budget line paid without a contract, a duplicate payment, a payment outside 评价期间, budget and
payment sums that disagree). Each comes with its figures and a suggestion that follows from its
cause. The same list tells ``check`` which findings an evaluator's own 存在的问题 leaves unsaid.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .. import figures as F
from .. import vocab as V
from ..findings import Code, Finding
from ..schema import NARRATIVE, Achievement, Method, QualBand, problems_slot
from ..scoring import WAN, Evaluation, Scored, compute_survey, target_rate, unscored_groups
from ..textchecks import normalize_figures

# The findings the report states as problems, in the order it lists them.
MONEY_CODES = (Code.BUDGET_SUM, Code.IN_PLACE_OVER, Code.PAID_OVER_BUDGET, Code.UNKNOWN_BUDGET_LINE,
               Code.PAID_WITHOUT_CONTRACT, Code.PAID_OVER_CONTRACT, Code.PAID_BEFORE_SIGNED,
               Code.PAID_OUTSIDE_SERVICE, Code.DUPLICATE_PAYMENT, Code.PAYMENT_OUTSIDE_PERIOD)
EXAMPLES = 3     # instances named in one problem; more are counted ("等N笔")


@dataclass
class Problem:
    text: str                    # as 存在的问题 states it, without the closing 。
    suggestion: str              # as 有关建议 states it, without the closing 。
    keys: tuple[str, ...] = ()   # names and figures by which the evaluator's own text would mention it
    findings: list[Finding] = field(default_factory=list)
    contract: bool = False       # about contracts or payments: 主要经验 does not praise them


def _amount(value_yuan: Decimal) -> str:
    """An amount in a sentence: 万元 from ten thousand yuan on, as the report's funds are told."""
    return F.wan(value_yuan / WAN) if abs(value_yuan) >= WAN else F.yuan_text(value_yuan)


# ---------------------------------------------------------------- indicators
def _target_and_result(s: Scored) -> str:
    ind = s.indicator
    m = ind.method
    if m is Method.SATISFACTION:
        target = target_rate(ind)
        goal = F.percent(target, 0 if target * 100 == int(target * 100) else 2) if target is not None else \
            F.percent(V.SATISFACTION_TARGET, 0)
        return f"满意度为{F.percent(s.rate)}，低于目标值{goal}"
    if m in (Method.EXECUTION, Method.FUNDS_IN_PLACE):
        target = target_rate(ind)
        default = V.LOW_EXECUTION if m is Method.EXECUTION else Decimal(1)
        goal = target if target is not None else default
        return f"{m.value}为{F.percent(s.rate)}，低于{F.percent(goal, 0 if goal * 100 == int(goal * 100) else 2)}"
    if m is Method.TIMELINESS:
        return f"计划于{F.measure(ind.target)}完成，实际于{F.measure(ind.actual)}完成"
    if m is Method.POINTS:
        return s.how.replace("个评价要点达成", "个评价要点中达成")
    if m is Method.QUALITATIVE:
        return f"评定为“{ind.band.value if ind.band else QualBand.PARTLY.value}”"
    if m is Method.JUDGEMENT:
        target = f"目标为“{ind.target}”" if ind.target is not None else ""
        actual = f"实际为“{ind.actual}”" if ind.actual is not None else ""
        said = "，".join(x for x in (target, actual) if x)
        verdict = (ind.achievement or Achievement.NOT_MET).value
        return f"{said}，{verdict}" if said else verdict
    if m is Method.RATIO:
        op = ind.comparison.value if ind.comparison else ""
        return f"目标值{op}{F.measure(ind.target, ind.unit)}，实际值{F.measure(ind.actual, ind.unit)}"
    return f"得分{F.plain(s.score)}分（分值{F.plain(ind.weight)}分）"


def _indicator_suggestion(s: Scored) -> str:
    """What to do about a target missed, following from what the indicator measures."""
    m = s.indicator.method
    if m is Method.EXECUTION:
        return "加强预算执行管理，按合同约定和项目进度及时支付，年度预算确实用不完的及时调整"
    if m is Method.FUNDS_IN_PLACE:
        return "加强与财政部门的沟通，保障项目资金及时足额到位"
    if m is Method.SATISFACTION:
        return f"深入了解{_group_of(s)}的意见和诉求，针对反映集中的问题改进服务"
    if m is Method.TIMELINESS:
        return "科学制定实施计划，加强进度管理，确保按期完成"
    # the cause is to be found where the evaluator gave none, and acted on where they did
    act = "针对" if _reason(s.indicator) else "查明"
    return f"{act}{s.indicator.name}未达到目标的原因，完善实施方案，加强过程管理，确保下一年度达到目标"


def _group_of(s: Scored) -> str:
    groups = s.survey.groups if s.survey is not None and not s.pooled else ()
    return "、".join(groups) if groups else "服务对象"


def _reason(ind) -> str | None:
    """The evaluator's explanation of a target missed, in their words: the 偏差原因, or for a score given
    by hand the 评分说明 that says what it was docked for."""
    return ind.deviation or (ind.remarks if ind.method in (Method.MANUAL, Method.QUALITATIVE) else None)


def indicator_problem(s: Scored) -> Problem:
    ind = s.indicator
    text = f"{ind.name}未达到年度目标，{_target_and_result(s)}"
    reason = _reason(ind)
    if reason:
        text += f"。{reason.rstrip('。；;，,')}"
    return Problem(text, _indicator_suggestion(s), keys=(ind.name,))


# ---------------------------------------------------------------- findings
def _payment_line(p) -> str:
    return f"{F.date(p.date)}向{p.payee}支付{_amount(p.amount)}"


def _listed(payments) -> str:
    shown = "；".join(_payment_line(p) for p in payments[:EXAMPLES])
    return shown + (f"等{len(payments)}笔" if len(payments) > EXAMPLES else "")


def _names(*values) -> tuple[str, ...]:
    return tuple(v for v in values if v)


def _contract_names(contracts) -> str:
    return "、".join(f"《{c.name.strip('《》')}》" for c in contracts)


def _over_contract(fs: list[Finding]) -> Problem:
    parts, keys = [], []
    for f in fs:
        x = f.facts
        diff = x["paid"] - x["limit"]
        parts.append(f"向{x['payee']}支付合计{F.yuan_text(x['paid'])}，超过合同{_contract_names(x['contracts'])}"
                     f"金额{F.yuan_text(x['limit'])}，超付{F.yuan_text(diff)}")
        keys += [x["payee"], *(c.name.strip("《》") for c in x["contracts"]), F.number(diff)]
    return Problem("支付超过合同金额，" + "；".join(parts),
                   "对超过合同金额的支付逐笔核实，属多付的及时追回，属合同变更的补签补充协议，今后严格按合同约定金额支付",
                   tuple(keys), fs, contract=True)


def _payments_problem(fs, what: str, suggestion: str, key_of=lambda f: ()) -> Problem:
    payments = [f.facts["payment"] for f in fs]
    keys = [k for f in fs for k in key_of(f)] + [p.payee for p in payments]
    if len(payments) > 1:
        text = f"有{len(payments)}笔支付{what}：{_listed(payments)}"
    else:
        text = f"支付{what}，{_listed(payments)}"
    return Problem(text, suggestion, tuple(keys), fs, contract=True)


def _before_signed(fs):
    def detail(f):
        return _names(*(c.name for c in f.facts["contracts"]))
    problem = _payments_problem(fs, "早于合同签订日期", "严格执行先签订合同、后按合同约定付款的程序", detail)
    signed = sorted({F.date(f.facts["signed"]) for f in fs})
    problem.text += f"（合同签订于{'、'.join(signed)}）"
    return problem


def _outside_service(fs):
    problem = _payments_problem(fs, "不在合同服务期内", "按合同约定的服务期和付款节点支付，服务期外的支付应有合同依据",
                                lambda f: _names(*(c.name for c in f.facts["contracts"])))
    spans = dict.fromkeys(f"{F.date(a)}至{F.date(b)}" for f in fs for a, b in f.facts["periods"])
    problem.text += f"（服务期{'、'.join(spans)}）"      # as 早于合同签订 gives the date signed
    return problem


def _duplicate(fs):
    payments = [f.facts["payment"] for f in fs]
    same = "与另一笔支付的日期、收款单位和金额均相同"
    text = (f"有{len(payments)}笔支付疑似重复（{same}）：{_listed(payments)}" if len(payments) > 1 else
            f"疑似重复支付，{_listed(payments)}，{same}")
    return Problem(text, "逐笔核实疑似重复的支付，属重复支付的及时追回，并加强支付审核",
                   tuple(p.payee for p in payments), fs, contract=True)


def _outside_period(fs):
    payments = [f.facts["payment"] for f in fs]
    total = sum((p.amount for p in payments), Decimal(0))
    if len(payments) > 1:
        text = f"有{len(payments)}笔支付（合计{_amount(total)}）不在评价期间内，未计入本年度执行数：{_listed(payments)}"
    else:
        text = f"有支付不在评价期间内，{_listed(payments)}，未计入本年度执行数"
    return Problem(text,
                   "按合同约定的付款进度在年度内及时支付，跨年度支付的按规定办理结转",
                   tuple(p.payee for p in payments) + tuple(F.date(p.date) for p in payments), fs, contract=True)


def _without_contract(fs):
    parts = [f"预算项目“{f.facts['line']}”支出{F.wan(f.facts['paid'])}" for f in fs]
    return Problem("、".join(parts) + "，但没有签订合同",
                   "按政府采购和合同管理的规定，先签订合同、明确服务内容和金额，再组织实施和支付",
                   tuple(f.facts["line"] for f in fs), fs, contract=True)


def _over_budget(fs):
    parts = [f"预算项目“{f.facts['line']}”支出{F.wan(f.facts['paid'])}，超过其预算{F.wan(f.facts['budget'])}"
             for f in fs]
    return Problem("；".join(parts), "严格按预算支出，确需超出预算的按规定办理预算调整",
                   tuple(f.facts["line"] for f in fs), fs, contract=True)


def _in_place_over(fs):
    parts = [f"预算项目“{f.facts['line']}”的到位资金{F.wan(f.facts['in_place'])}超过其预算{F.wan(f.facts['budget'])}"
             for f in fs]
    return Problem("；".join(parts), "核对资金到位数据，到位资金与预算批复保持一致",
                   tuple(f.facts["line"] for f in fs), fs)


def _budget_sum(fs):
    x = fs[0].facts
    return Problem(f"预算总额{F.wan(x['total'])}与预算明细各项合计{F.wan(x['lines'])}不一致",
                   "核对预算批复文件，使预算总额与预算明细一致", (F.number(x["total"]), F.number(x["lines"])), fs)


def _unknown_line(fs):
    fs = [f for f in fs if "payment" in f.facts]
    if not fs:
        return None
    return _payments_problem(fs, "的预算项目不在预算明细中", "每笔支出对应预算明细中的预算项目，按预算项目核算",
                             lambda f: _names(f.facts["payment"].budget_line))


_FROM_FINDINGS = {
    Code.BUDGET_SUM: _budget_sum,
    Code.IN_PLACE_OVER: _in_place_over,
    Code.PAID_OVER_BUDGET: _over_budget,
    Code.UNKNOWN_BUDGET_LINE: _unknown_line,
    Code.PAID_WITHOUT_CONTRACT: _without_contract,
    Code.PAID_OVER_CONTRACT: _over_contract,
    Code.PAID_BEFORE_SIGNED: _before_signed,
    Code.PAID_OUTSIDE_SERVICE: _outside_service,
    Code.DUPLICATE_PAYMENT: _duplicate,
    Code.PAYMENT_OUTSIDE_PERIOD: _outside_period,
}


def _drop_told_as_before_signing(by_code: dict) -> None:
    """A payment made before the contract was signed is also before its service period began: one fact,
    told once (as paid before signing), not again as a second problem with a second suggestion."""
    early = {id(f.facts["payment"]) for f in by_code.get(Code.PAID_BEFORE_SIGNED, ())}
    outside = [f for f in by_code.get(Code.PAID_OUTSIDE_SERVICE, ())
               if not (id(f.facts["payment"]) in early
                       and all(f.facts["payment"].date < start for start, _ in f.facts["periods"]))]
    if outside:
        by_code[Code.PAID_OUTSIDE_SERVICE] = outside
    else:
        by_code.pop(Code.PAID_OUTSIDE_SERVICE, None)


def finding_problems(e: Evaluation) -> list[Problem]:
    """The findings about money and contracts, one problem per kind."""
    by_code: dict[Code, list[Finding]] = {}
    for f in e.findings:
        if f.code in _FROM_FINDINGS and f.facts:
            by_code.setdefault(f.code, []).append(f)
    _drop_told_as_before_signing(by_code)
    out = []
    for code in MONEY_CODES:
        if code in by_code:
            problem = _FROM_FINDINGS[code](by_code[code])
            if problem is not None:
                out.append(problem)
    return out


def problems(e: Evaluation) -> list[Problem]:
    """Every problem of the project: targets missed (in the indicators' order), then the findings."""
    out = [indicator_problem(s) for s in e.scored if s.missed]
    rate = e.funds.exec_rate
    execution = [s for s in e.scored if s.indicator.method is Method.EXECUTION and s.applicable]
    if rate is not None and rate < V.LOW_EXECUTION and not execution:
        out.append(Problem(f"预算执行率为{F.percent(rate)}，低于{F.percent(V.LOW_EXECUTION, 0)}",
                           "加强预算执行管理，按合同约定和项目进度及时支付，年度预算确实用不完的及时调整",
                           (Method.EXECUTION.value,)))
    return out + finding_problems(e)


def outside_period_note(e: Evaluation) -> list[str]:
    """其他需要说明的问题: the payments outside 评价期间, named with their dates and amounts."""
    payments = e.funds.outside
    if not payments:
        return []
    info = e.project.info
    after = [p for p in payments if info.period_end and p.date > info.period_end]
    total = sum((p.amount for p in payments), Decimal(0))
    when = "评价期间结束后" if len(after) == len(payments) else "评价期间之外"
    if len(payments) == 1:
        p = payments[0]
        return [f"另有1笔{_amount(p.amount)}于{F.date(p.date)}支付给{p.payee}，在{when}，不计入本年度执行数。"]
    return [f"另有{len(payments)}笔合计{_amount(total)}在{when}支付（{_listed(payments)}），不计入本年度执行数。"]


def unscored_survey_note(e: Evaluation) -> list[str]:
    """The surveyed groups that no 满意度 indicator names: asked, counted nowhere, and said so."""
    out = []
    for g in unscored_groups(e.project):
        result = compute_survey(e.project, [g])
        rate = f"，满意度{F.percent(result.rate)}" if result and result.rate is not None else ""
        out.append(f"满意度调查中对{g.group}的调查（有效样本{g.valid}份{rate}）没有对应的满意度指标，未参与计分。")
    return out


# ---------------------------------------------------------------- the evaluator's own text
def mentioned(problem: Problem, text: str) -> bool:
    """Whether the evaluator's 存在的问题 speaks of a problem: by a name it involves (a payee, a
    contract, a budget line, an indicator) or a figure it states."""
    plain = normalize_figures(text).replace(" ", "")
    return any(key and key.replace(" ", "") in plain for key in problem.keys)


def unsaid_problems(e: Evaluation) -> list[Finding]:
    """Where the evaluator wrote 存在的问题 themselves, their text stands: a 提示 at it for each
    finding about money or contracts it does not mention."""
    rows = [n for n in e.project.narratives if n.slot is problems_slot(e.project.info.report_type)]
    if not rows:
        return []
    text = "\n".join(n.text for n in rows)
    return [Code.PROBLEM_UNSAID.at(NARRATIVE.name, rows[0].row, "text", chapter=rows[0].slot.value, problem=p.text)
            for p in finding_problems(e) if not mentioned(p, text)]
