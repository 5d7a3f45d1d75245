"""Sentences generated from the Evaluation. Every figure comes from the computed evaluation;
nothing here recomputes or retypes a number."""
from __future__ import annotations

from decimal import Decimal

from ..schema import ExecBasis, Method, ReportType, SatisfactionBasis
from ..model import Indicator
from ..scoring import Evaluation, Group, Scored
from ..vocab import FRAMEWORK_LEVEL1

from .. import figures as F


def shown(ind: Indicator, which: str) -> str:
    """目标值/实际值 as the report shows it: the number as typed plus the 单位 column."""
    return F.measure(getattr(ind, which), ind.unit)


def funds(e: Evaluation) -> list[str]:
    f, info = e.funds, e.project.info
    total = f.budget_total if f.budget_total is not None else f.budget
    approval = f"经{info.approval_no}批复，" if info.approval_no else ""
    parts = "、".join(f"{l.name}{F.wan(l.budget)}" for l in f.lines)
    out = [f"{approval}{info.name}{info.year or ''}年度共安排预算{F.wan(total)}，其中{parts}。"]
    if info.budget_initial is not None and info.budget_full is not None and info.budget_initial != info.budget_full:
        out.append(f"年初预算数{F.wan(info.budget_initial)}，年中调整后全年预算数{F.wan(info.budget_full)}。")
    sources = {}
    for line in f.lines:
        label = line.source.value if hasattr(line.source, "value") else (line.source or "")
        if label:
            sources[label] = sources.get(label, 0) + line.budget
    if 1 < len(sources) < len(f.lines):       # where the lines are not the sources themselves
        out.append("按资金来源：" + "、".join(f"{k}{F.wan(v)}" for k, v in sources.items()) + "。")
    out.append(f"实际到位资金{F.wan(f.in_place)}，资金到位率{F.percent(f.in_place_rate)}。")
    basis = "实际支出/实际到位资金" if f.basis is ExecBasis.IN_PLACE else "实际支出/预算资金"
    period = f"截至{F.date(info.period_end)}" if info.period_end else "评价期间"
    out.append(f"{period}实际支出{F.wan(f.paid)}，预算执行率{F.percent(f.exec_rate)}（{basis}）。")
    from .problems import outside_period_note
    out += outside_period_note(e)
    unspent = [l for l in f.lines if l.paid < l.budget]
    if unspent:
        out.append("未支出完毕的预算项目：" + "；".join(
            f"{l.name}预算{F.wan(l.budget)}，支出{F.wan(l.paid)}，执行率{F.percent(l.rate)}"
            for l in unspent) + "。")
    return out


def goals(e: Evaluation) -> list[str]:
    info = e.project.info
    out = []
    if info.overall_goal:
        out.append(f"总体目标：{info.overall_goal}")
    if info.annual_goal:
        out.append(f"阶段性目标：{info.annual_goal}")
    return out


def overview(e: Evaluation) -> list[str]:
    info = e.project.info
    nature = f"，属{info.nature.value}" if info.nature else ""
    dept = f"，主管部门为{info.department}" if info.department else ""
    return [f"{info.name}由{info.unit}实施{dept}{nature}。"]


def evaluation_object(e: Evaluation) -> list[str]:
    return [f"绩效评价的对象：{e.project.info.name}。"]


def evaluation_scope(e: Evaluation) -> list[str]:
    info = e.project.info
    if not (info.period_start and info.period_end):
        return []
    return [f"时间范围：{F.date(info.period_start)}至{F.date(info.period_end)}。"]


def principles(e: Evaluation) -> list[str]:
    # The four principles of 财预〔2020〕10号 第五条.
    return [
        "（一）科学公正。绩效评价应当运用科学合理的方法，按照规范的程序，对项目绩效进行客观、公正的反映。",
        "（二）统筹兼顾。单位自评、部门评价和财政评价应职责明确，各有侧重，相互衔接。",
        "（三）激励约束。绩效评价结果应与预算安排、政策调整、改进管理实质性挂钩，体现奖优罚劣和激励相容导向。",
        "（四）公开透明。绩效评价结果应依法依规公开，并自觉接受社会监督。",
    ]


def system_intro(e: Evaluation) -> list[str]:
    n3 = len(e.scored)
    return [f"本项目的评价指标体系由{len(e.level1)}个一级指标、{len(e.level2)}个二级指标和{n3}个三级指标构成，"
            f"分值合计{F.plain(e.weight_total)}分，详见下表。"]


def conclusion(e: Evaluation) -> list[str]:
    info = e.project.info
    if info.report_type is ReportType.SELF:
        out = [f"经自评，{info.name}{info.year or ''}年度自评得分{F.plain(e.total)}分，自评等级为“{e.grade}”。"]
        typed = info.self_score
        if typed is not None and abs(typed - e.total) >= Decimal("0.005"):
            out.append(f"单位填报的自评得分为{F.plain(typed)}分，与按各项指标计算的得分相差{F.plain(abs(typed - e.total))}分，"
                       f"以计算得分为准。")
    else:
        out = [f"经评价，{info.name}{info.year or ''}年度绩效评价总分为{F.plain(e.total)}分，绩效等级为“{e.grade}”。"]
    parts = "，".join(f"{group_label(g.name)}{F.plain(g.weight)}分、得分{F.plain(g.score)}分" for g in e.level1)
    if parts:
        out.append(f"其中{parts}。")
    not_applicable = [s.indicator.name for s in e.scored if not s.applicable]
    if e.rescaled:
        out.append(f"指标“{'、'.join(not_applicable)}”不适用，不参与计分；其余指标分值合计{F.plain(e.applicable_weight)}分，"
                   f"得分{F.plain(e.raw_total)}分，按比例折算为100分制后总分为{F.plain(e.total)}分。")
    out.append("各指标分值和得分见下表。")
    return out


def achievements(e: Evaluation) -> list[str]:
    met = [s for s in e.scored if s.applicable and s.achieved and s.indicator.actual is not None]
    if not met:
        return []
    return ["本年度" + "，".join(f"{s.indicator.name}{shown(s.indicator, 'actual')}" for s in met) + "，均达到年度目标。"]


def problems(e: Evaluation) -> list[str]:
    """Where the evaluator wrote nothing: the indicators that lost points, with their reasons."""
    out = []
    for s in e.scored:
        if s.applicable and s.score is not None and s.score < s.indicator.weight:
            reason = f"，原因：{s.indicator.deviation}" if s.indicator.deviation else ""
            out.append(f"{s.indicator.name}未得满分（分值{F.plain(s.indicator.weight)}分，得分{F.plain(s.score)}分，"
                       f"{s.how}）{reason}")
    return [f"{i}.{text}。" if not text.endswith("。") else f"{i}.{text}" for i, text in enumerate(out, 1)]


# ---------------------------------------------------------------- chapter 四


def group_label(name: str) -> str:
    """'过程' -> '项目过程指标' (as evaluators write it), '产出指标' -> '产出指标', '数量' -> '数量指标'."""
    label = name if name.endswith("指标") else f"{name}指标"
    return f"项目{label}" if name in FRAMEWORK_LEVEL1 else label


def level1_summary(g: Group) -> str:
    return (f"{group_label(g.name)}由{g.n_level2}个二级指标和{g.n_level3}个三级指标构成，"
            f"权重为{F.plain(g.weight)}分，实际得分{F.plain(g.score)}分，得分率{F.percent(g.score_rate)}。")


def level2_summary(g: Group) -> str:
    return f"综上，{group_label(g.name)}满分{F.plain(g.weight)}分，得分{F.plain(g.score)}分。"


def indicator_sentence(e: Evaluation, s: Scored) -> str:
    ind = s.indicator
    if not s.applicable:
        if ind.method is not Method.NOT_APPLICABLE and ind.actual is not None:
            return f"{ind.name}：实际完成情况为“{ind.actual}”，该指标本年度不适用，不参与计分。"
        return f"{ind.name}：该指标不适用，不参与计分。"
    m = ind.method
    if m is Method.EXECUTION:
        f = e.funds
        denom = "实际到位资金" if f.basis is ExecBasis.IN_PLACE else "预算资金"
        detail = (f"实际支出{F.wan(f.paid)}，{denom}{F.wan(f.exec_denominator)}，"
                  f"预算执行率{F.percent(s.rate)}")
    elif m is Method.FUNDS_IN_PLACE:
        f = e.funds
        detail = f"实际到位资金{F.wan(f.in_place)}，预算资金{F.wan(f.budget)}，资金到位率{F.percent(s.rate)}"
    elif m is Method.SATISFACTION and s.survey:
        v = s.survey
        basis = "满意" if v.basis is SatisfactionBasis.SATISFIED else "满意与基本满意"
        who = (f"对{'、'.join(v.groups)}合并统计" if s.pooled and len(v.groups) > 1 else
               f"调查{'、'.join(v.groups)}" if v.groups else "")
        detail = (f"{who}，有效样本{v.valid}份，其中满意{v.satisfied}份、基本满意{v.basic}份、不满意{v.unsatisfied}份，"
                  f"按{basis}计满意度为{F.percent(s.rate)}").lstrip("，")
        if ind.target is not None:
            op = ind.operator.value if ind.operator else ""
            detail += f"，目标值{op}{shown(ind, 'target')}，{'达成' if s.achieved else '未达成'}目标"
    elif m is Method.QUALITATIVE:
        target = f"目标为“{shown(ind, 'target')}”，" if ind.target is not None else ""
        detail = f"{target}评定为“{ind.band.value if ind.band else ''}”"
    elif m is Method.RATIO and s.rate is not None and s.indicator.operator and s.indicator.operator.higher_is_better:
        detail = f"{s.how}，完成率{F.percent(s.rate)}"
    else:
        detail = s.how
    if s.achieved and s.score is not None and s.score < ind.weight and s.rate is not None:
        # met its target, yet scored in proportion: say so, or the sentence contradicts the score
        detail += f"；该指标按分值×{RATE_NAMES.get(m, '完成率')}（{F.percent(s.rate)}）计分"
    return f"{ind.name}：{detail}。该指标分值{F.plain(ind.weight)}分，得分{F.plain(s.score)}分。"


RATE_NAMES = {Method.SATISFACTION: "满意度", Method.EXECUTION: "预算执行率", Method.FUNDS_IN_PLACE: "资金到位率"}
