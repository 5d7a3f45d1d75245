"""Sentences generated from the Evaluation. Every figure comes from the computed evaluation;
nothing here recomputes or retypes a number."""
from __future__ import annotations

from decimal import Decimal

from .. import figures as F
from ..model import Indicator
from ..schema import Achievement, ExecBasis, Method, Operator, ReportType, SatisfactionBasis
from ..scoring import Evaluation, Group, Scored
from ..vocab import FRAMEWORK_LEVEL1
from .problems import outside_period_note


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
    sources, named_by_source = {}, True
    for line in f.lines:
        label = line.source.value if hasattr(line.source, "value") else (line.source or "")
        if label:
            sources[label] = sources.get(label, 0) + line.budget
        named_by_source = named_by_source and line.name == label
    if len(sources) > 1 and not named_by_source:       # where the lines are not the sources themselves
        out.append("按资金来源：" + "、".join(f"{k}{F.wan(v)}" for k, v in sources.items()) + "。")
    out.append(f"实际到位资金{F.wan(f.in_place)}，资金到位率{F.percent(f.in_place_rate)}。")
    basis = "实际支出/实际到位资金" if f.basis is ExecBasis.IN_PLACE else "实际支出/预算资金"
    period = f"截至{F.date(info.period_end)}" if info.period_end else "评价期间"
    out.append(f"{period}实际支出{F.wan(f.paid)}，预算执行率{F.percent(f.exec_rate)}（{basis}）。")
    out += outside_period_note(e)
    unspent = [l for l in f.lines if l.paid < l.budget]
    if unspent:
        out.append("未支出完毕的预算项目：" + "；".join(
            f"{l.name}预算{F.wan(l.budget)}，"
            + (f"到位{F.wan(l.in_place)}，" if f.basis is ExecBasis.IN_PLACE and l.in_place != l.budget else "")
            + f"支出{F.wan(l.paid)}，执行率{F.percent(l.rate)}" for l in unspent) + "。")
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
    if not e.graded:            # a report forced from a workbook whose 分值 are off: no grade is stated
        what = "自评" if info.report_type is ReportType.SELF else "评价"
        out = [f"按各指标计算，{info.name}{info.year or ''}年度{what}得分为{F.plain(e.total)}分。由于{e.weights_off}，"
               f"该得分不是最终结果，不评定等级。"]
    elif info.report_type is ReportType.SELF:
        out = [f"经自评，{info.name}{info.year or ''}年度自评得分{F.plain(e.total)}分，自评等级为“{e.grade}”。"]
        typed = info.self_score
        if typed is not None and abs(typed - e.total) >= Decimal("0.005"):
            out.append(f"单位填报的自评得分为{F.plain(typed)}分，与按各项指标计算的得分相差{F.plain(abs(typed - e.total))}分，"
                       f"以计算得分为准。")
    else:
        out = [f"经评价，{info.name}{info.year or ''}年度绩效评价总分为{F.plain(e.total)}分，绩效等级为“{e.grade}”。"]
    parts = "；".join(f"{group_label(g.name)}满分{F.plain(g.weight)}分，得分{F.plain(g.score)}分" for g in e.level1)
    if parts:
        out.append(f"其中，{parts}。")
    not_applicable = [s.indicator.name for s in e.scored if not s.applicable]
    if e.rescaled:
        out.append(f"指标“{'、'.join(not_applicable)}”不适用，不参与计分；其余指标分值合计{F.plain(e.applicable_weight)}分，"
                   f"得分{F.plain(e.raw_total)}分，按比例折算为100分制后总分为{F.plain(e.total)}分。")
    out.append("各指标分值和得分见下表。")
    return out


def stated(ind: Indicator, which: str = "actual") -> str:
    """An indicator and its value as one phrase: "处数为35处" where the name is a measure, "“项目支出
    控制在预算内”实际为263.35万元" where it is a statement, "管护机制方面，已建立…" for a text."""
    m = getattr(ind, which)
    value = shown(ind, which)
    if m is not None and m.number is None and m.when is None:
        return f"{ind.name}方面，{value}"
    target = which == "target"
    if target and ind.comparison is not None:
        if ind.name.endswith(MEASURE_ENDINGS):
            return f"{ind.name}{COMPARISON_WORDS[ind.comparison]}{value.lstrip(ind.comparison.value)}"
        return f"“{ind.name}”目标值{_target(ind)}"
    if ind.name.endswith(MEASURE_ENDINGS):
        return f"{ind.name}为{value}"
    return f"“{ind.name}”{'目标值' if target else '实际'}为{value}"


def achievements(e: Evaluation, compact: bool = False) -> list[str]:
    """主要绩效: what the indicators that met their targets achieved, by 一级 (产出, 效益, 满意度);
    ``compact``: in one paragraph, with the indicators that fell short (the 自评表's 实际完成情况 cell)."""
    met = [s for s in e.scored if s.applicable and s.achieved and _has_result(s)]
    if not met:
        return [shortfalls(e)] if compact and shortfalls(e) else []
    parts = []
    for g in e.level1:
        items = [s for s in met if s.indicator.level1 == g.name]
        if not items:
            continue
        said = "；".join(_achieved(s) for s in items)
        alone = len(items) == 1 and items[0].indicator.name.startswith(area_label(g.name))
        parts.append(said if alone or len(e.level1) == 1 else f"{area_label(g.name)}方面，{said}")
    year = f"{e.project.info.year}年度" if e.project.info.year else "本年度"
    if compact:
        return [f"{year}，{'；'.join(parts)}，均达到年度目标。{shortfalls(e)}"]
    if len(parts) == 1:
        return [f"{year}，{'；'.join(parts)}，均达到年度目标。"]
    # 各项 only where every target was met: the others are told in chapter 四 and 存在的问题
    every = not any(s.missed for s in e.scored if s.applicable)
    lead = f"{year}各项绩效目标完成情况如下。" if every else f"{year}达到年度目标的各项绩效如下。"
    return [lead] + [f"{p}。" for p in parts] + ["以上各项均达到年度目标。"]


def shortfalls(e: Evaluation) -> str:
    """The indicators that fell short, each with its result and target, in one sentence (the
    自评表's 实际完成情况 states the whole year, not only what went well); "" when none did."""
    said = []
    for s in e.scored:
        if not (s.missed and _has_result(s)):
            continue
        target = f"（目标值{_target(s.indicator)}）" if s.indicator.target is not None else ""
        said.append(f"{_achieved(s)}{target}")
    return f"{'；'.join(said)}，未达到年度目标。" if said else ""


RATE_METHODS = (Method.SATISFACTION, Method.EXECUTION, Method.FUNDS_IN_PLACE)


def _has_result(s: Scored) -> bool:
    """A result to state: a rate, or a 实际值 (a 要点 or 人工 indicator has only its points)."""
    if s.indicator.method in RATE_METHODS:
        return s.rate is not None
    return s.indicator.actual is not None and s.indicator.method not in (Method.POINTS, Method.MANUAL)


def _achieved(s: Scored) -> str:
    ind = s.indicator
    if ind.method in RATE_METHODS:
        return f"{ind.name}为{F.percent(s.rate)}"
    if ind.method is Method.TIMELINESS:
        return f"“{ind.name}”于{F.measure(ind.actual)}完成"
    if ind.actual is not None and ind.actual.number is None and ind.actual.when is None:
        return f"{ind.name}：{shown(ind, 'actual')}"          # a result in words, as the evaluator wrote it
    return stated(ind)


def area_label(level1: str) -> str:
    """'产出指标' -> '产出', '满意度指标' -> '满意度' (as 主要绩效 says 产出方面、效益方面)."""
    return level1.removesuffix("指标") or level1


# ---------------------------------------------------------------- chapter 四


def group_label(name: str) -> str:
    """'过程' -> '项目过程指标' (as evaluators write it), '产出指标' -> '产出指标', '数量' -> '数量指标'."""
    label = name if name.endswith("指标") else f"{name}指标"
    return f"项目{label}" if name in FRAMEWORK_LEVEL1 else label


def level1_summary(g: Group) -> str:
    """How a 一级 opens in chapter 四, as seed 000 writes it; a 一级 of one indicator has no parts to count.
    Its 不适用 三级 are counted as the indicator system lists them, and set apart from the points."""
    score = f"实际得分{F.plain(g.score)}分。"
    if g.not_applicable:
        names = "、".join(f"“{s.indicator.name}”" for s in g.not_applicable)
        weight = g.weight + sum((s.indicator.weight for s in g.not_applicable), Decimal(0))
        score = f"其中{names}本年度不适用，不参与计分，其余指标分值{F.plain(g.weight)}分，" + score
    else:
        weight = g.weight
    if g.n_level3 + len(g.not_applicable) == 1:
        return f"{group_label(g.name)}权重为{F.plain(weight)}分，{score}"
    return (f"{group_label(g.name)}由{g.n_level2}个二级指标和{g.n_level3 + len(g.not_applicable)}个三级指标构成，"
            f"权重为{F.plain(weight)}分，{score}")


def level2_summary(g: Group) -> str:
    return f"综上，{group_label(g.name)}满分{F.plain(g.weight)}分，得分{F.plain(g.score)}分。"


def _score(s: Scored, rate_word: str = "") -> str:
    """The closing of an indicator's paragraph: its points, and how a proportional method gave them."""
    w, score = s.indicator.weight, s.score
    if rate_word and score < w and s.rate is not None:
        return f"该指标满分{F.plain(w)}分，按{rate_word}折算得分{F.plain(score)}分。"
    return f"该指标满分{F.plain(w)}分，得分{F.plain(score)}分。"


def _verdict(s: Scored) -> str:
    if s.achieved is None:
        return ""
    return "达到年度目标" if s.achieved else "未达到年度目标"


def _target(ind: Indicator) -> str:
    """目标值 with its comparison, as typed ("≥35处"; "=100%"): 指标性质, or the one written in the 目标值."""
    text = shown(ind, "target")
    op = ind.comparison.value if ind.comparison else ""
    return text if not op or text.startswith(op) else op + text


def indicator_sentence(e: Evaluation, s: Scored) -> str:
    """One indicator in chapter 四: its target, its result and the verdict, then its points."""
    ind = s.indicator
    if not s.applicable:
        if ind.method is not Method.NOT_APPLICABLE and ind.actual is not None:
            return f"{ind.name}：实际完成情况为“{ind.actual}”，该指标本年度不适用，不参与计分。"
        return f"{ind.name}：该指标本年度不适用，不参与计分。"
    if s.unscorable:
        return f"{ind.name}：所填数据无法按计分方法计分（见检查结果），暂按0分计。该指标满分{F.plain(ind.weight)}分。"
    m = ind.method
    rate_word = ""
    if m is Method.EXECUTION:
        f = e.funds
        denom = "实际到位资金" if f.basis is ExecBasis.IN_PLACE else "预算资金"
        detail = (f"评价期间实际支出{F.wan(f.paid)}，{denom}{F.wan(f.exec_denominator)}，"
                  f"{m.value}为{F.percent(s.rate)}，{_verdict(s)}")
        rate_word = m.value
    elif m is Method.FUNDS_IN_PLACE:
        f = e.funds
        detail = f"预算资金{F.wan(f.budget)}，实际到位{F.wan(f.in_place)}，{m.value}为{F.percent(s.rate)}"
        rate_word = m.value
    elif m is Method.SATISFACTION:
        detail = _satisfaction(s)
        rate_word = m.value
    elif m is Method.QUALITATIVE:
        target = f"目标为“{shown(ind, 'target')}”，" if ind.target is not None else ""
        band = ind.band.value if ind.band else ""
        said = shown(ind, "actual")
        actual = f"实际完成情况为“{said}”，" if ind.actual is not None and said != band else ""
        detail = f"{target}{actual}评定为“{band}”"
    elif m is Method.JUDGEMENT:
        target = f"目标为“{shown(ind, 'target')}”，" if ind.target is not None else ""
        actual = f"实际为“{shown(ind, 'actual')}”，" if ind.actual is not None else ""
        detail = f"{target}{actual}{VERDICTS.get(ind.achievement, '')}"
    elif m is Method.TIMELINESS:
        detail = (f"计划于{F.measure(ind.target)}完成，实际于{F.measure(ind.actual)}完成，"
                  + ("按期完成" if s.achieved else "未按期完成"))
    elif m is Method.POINTS:
        detail = s.how.replace("个评价要点达成", "个评价要点中达成")
    elif m is Method.RATIO:
        detail = f"目标值{_target(ind)}，实际完成值{shown(ind, 'actual')}，{_verdict(s)}"
        if not s.achieved and s.rate is not None:
            detail += f"，完成率{F.percent(s.rate)}"
    else:
        detail = "由评价人根据完成情况评定"
    return f"{ind.name}：{detail.rstrip('，')}。{_score(s, rate_word)}"


def _satisfaction(s: Scored) -> str:
    """满意度: who was asked, the answers and the rate, against the target."""
    ind, v = s.indicator, s.survey
    target = f"，{'达到' if s.achieved else '未达到'}目标值{_target(ind)}" if ind.target is not None else ""
    if v is None:                      # the rate as typed (a 自评表 gives no survey)
        return f"满意度为{F.percent(s.rate)}{target}"
    basis = "满意" if v.basis is SatisfactionBasis.SATISFIED else "满意与基本满意"
    if s.pooled and len(v.groups) > 1:
        who = f"对{'、'.join(v.groups)}的问卷合并统计"
    elif v.groups:
        who = f"对{'、'.join(v.groups)}开展问卷调查"
    else:
        who = "开展问卷调查"
    return (f"{who}，有效问卷{v.valid}份，其中满意{v.satisfied}份、基本满意{v.basic}份、不满意{v.unsatisfied}份，"
            f"按{basis}计，满意度为{F.percent(s.rate)}{target}")


# What a 达成判断 says of the target, as chapter 四 words it.
VERDICTS = {Achievement.MET: "达到年度目标", Achievement.PARTLY: "部分达到年度目标", Achievement.NOT_MET: "未达到年度目标"}
# A target's comparison in words, after a measure's name ("处数不低于35处").
COMPARISON_WORDS = {Operator.GE: "不低于", Operator.GT: "高于", Operator.LE: "不高于", Operator.LT: "低于", Operator.EQ: "为"}
# Names that are a measure (率, 数, 数量…): "处数为35处"; other names are statements.
MEASURE_ENDINGS = ("率", "数", "量", "度", "长度", "面积", "人口", "时间", "时长", "成本", "费用", "金额", "比例",
                   "天数", "次数", "规模", "水平", "周期", "期限", "指数")
