"""Drafts for the chapters the evaluator left empty in 文字说明.

Every chapter of both outlines gets text a user can accept or edit: the standard wording of
财预〔2020〕10号 for the chapters about the evaluation itself (目的、原则、方法、标准、工作过程),
adapted to the 评价方式 and the project; and for the analysis chapters, sentences made from the
data (indicators and their scores, funds, contracts, payments, the survey). Every figure comes
from the Evaluation. Nothing here claims what the data does not show; where there is truly
nothing to say (其他需要说明的问题), there is no draft and the report says "无。".

``check`` lists the chapters that will use a draft, and the annotated workbook adds them to
文字说明 for the evaluator to review, so that nothing generated goes out unread.
"""
from __future__ import annotations

from .. import figures as F
from .. import vocab as V
from .. import schema as S
from ..findings import Code
from ..schema import EvalMode, Method, ReportType
from ..schema import NarrativeSlot as Slot
from ..scoring import Evaluation, Scored, compute_survey, is_satisfaction, unscored_groups
from . import narrative as G
from . import problems as P
from .outline import LAYOUTS


# ---------------------------------------------------------------- helpers
def _info(e: Evaluation):
    return e.project.info


def _year(e: Evaluation) -> str:
    return f"{_info(e).year}年度" if _info(e).year else "本年度"


def _mode(e: Evaluation) -> EvalMode:
    info = _info(e)
    if info.mode is not None:
        return info.mode
    return EvalMode.SELF if info.report_type is ReportType.SELF else EvalMode.DEPARTMENT


def _who(e: Evaluation) -> str:
    """Who evaluated, as the report says it."""
    info = _info(e)
    if info.evaluator:
        return info.evaluator
    return info.unit if _mode(e) is EvalMode.SELF else "评价组"


def _numbered(items: list[str]) -> list[str]:
    return [f"{i}.{text}" if text.endswith("。") else f"{i}.{text}。" for i, text in enumerate(items, 1)]


def _in(e: Evaluation, words) -> list[Scored]:
    """The applicable indicators whose 一级 or 二级 name holds one of ``words``."""
    return [s for s in e.scored if s.applicable
            and (V.has_word(s.indicator.level1, words) or V.has_word(s.indicator.level2, words))]


def _names(items: list[Scored]) -> str:
    return "、".join(f"“{s.indicator.name}”" for s in items)


def _summary_of(items: list[Scored], what: str) -> list[str]:
    """One sentence on a set of indicators that chapter 四 details anyway (not their sentences
    again): which reached their targets and which did not, and their points."""
    items = [s for s in items if not s.unscorable]
    if not items:
        return []
    weight = sum((s.indicator.weight for s in items), 0)
    score = sum((s.score for s in items), 0)
    missed = [s for s in items if s.missed]
    met = [s for s in items if not s.missed]
    both = "均" if len(items) > 1 else ""       # 均 speaks of several
    if not missed:
        verdict = f"{what}{_names(items)}{both}达到年度目标"
    elif not met:
        verdict = f"{what}{_names(items)}{both}未达到年度目标"
    else:
        verdict = f"{what}中，{_names(met)}达到年度目标，{_names(missed)}未达到年度目标"
    scaled = any(s.score < s.indicator.weight for s in met)       # met, yet scored in proportion
    summed = "合计" if len(items) > 1 else ""
    points = f"{'按比例折算后' if scaled else ''}{summed}得分{F.plain(score)}分（满分{F.plain(weight)}分）"
    return [f"{verdict}，{points}。"]


def _year_payments(e: Evaluation) -> list:
    """The payments counted in the year's execution (inside 评价期间)."""
    outside = {id(x) for x in e.funds.outside}
    return [x for x in e.project.payments if id(x) not in outside]


def _is_cost(s: Scored) -> bool:
    """A 成本 indicator: its class is its 二级 (产出成本、成本指标), never guessed from its unit."""
    return V.has_word(s.indicator.level2, V.COST_WORDS)


def _is_time(s: Scored) -> bool:
    return s.indicator.method is Method.TIMELINESS or V.has_word(s.indicator.level2, V.TIME_WORDS)


# ---------------------------------------------------------------- 前言
def has_preface(e: Evaluation) -> bool:
    """A 绩效评价报告 by a named 评价机构 opens with a 前言, as published third-party reports do."""
    info = _info(e)
    return info.report_type is not ReportType.SELF and bool(info.evaluator)


def preface(e: Evaluation) -> list[str]:
    """The standard 前言 of a commissioned evaluation: who asked whom, on what basis, how it was done."""
    if not has_preface(e):
        return []
    info, f = _info(e), e.funds
    commissioned = f"受{info.organiser}委托，" if info.organiser else ""
    total = f.budget_total if f.budget_total is not None else f.budget
    ways = "资料核查、数据核对" + ("和问卷调查" if e.survey is not None else "")
    return [f"{commissioned}{info.evaluator}依据《中共中央 国务院关于全面实施预算绩效管理的意见》（中发〔2018〕34号）、"
            f"《项目支出绩效评价管理办法》（财预〔2020〕10号）等文件，对{info.unit}实施的{info.name}"
            f"（{_year(e)}，预算{F.wan(total)}）开展了绩效评价。",
            f"评价组按照科学公正、统筹兼顾、激励约束、公开透明的原则，通过{ways}等方式，对项目的资金使用、"
            f"实施管理和绩效目标完成情况进行了评价。现将评价情况报告如下。"]


# ---------------------------------------------------------------- 基本情况
def main_content(e: Evaluation) -> list[str]:
    p = e.project
    lines = "、".join(b.name for b in p.budget)
    out = []
    if lines:
        out.append(f"{_year(e)}本项目资金用于{lines}，共{len(p.budget)}个预算项目。")
    if p.contracts:
        names = "；".join(f"与{c.supplier}签订《{c.name}》" if not c.name.startswith("《") else
                         f"与{c.supplier}签订{c.name}" for c in p.contracts)
        out.append(f"项目通过{len(p.contracts)}份合同组织实施：{names}。")
    year = _year_payments(e)
    if year:
        first, last = min(x.date for x in year), max(x.date for x in year)
        out.append(f"评价期间共支付{len(year)}笔，合计{F.wan(e.funds.paid)}，"
                   f"支付时间为{F.date(first)}至{F.date(last)}。")
    return out


def goals_from_indicators(e: Evaluation) -> list[str]:
    """Where 项目信息 holds no 总体目标/年度目标: the targets the indicators set."""
    if _info(e).overall_goal or _info(e).annual_goal:
        return []
    targets = [G.stated(s.indicator, "target") for s in e.scored if s.applicable and s.indicator.target is not None]
    if not targets:
        return []
    return [f"{_year(e)}绩效目标为：" + "，".join(targets) + "。"]


def decision(e: Evaluation) -> list[str]:
    """项目决策情况 (自评): the 决策 indicators if any, else what the data says of the decision."""
    items = _in(e, V.DECISION_WORDS)
    if items:
        return _summary_of(items, "决策指标")
    info, f = _info(e), e.funds
    approval = f"经{info.approval_no}批复，" if info.approval_no else ""
    total = f.budget_total if f.budget_total is not None else f.budget
    return [f"{approval}本项目列入{_year(e)}预算，安排资金{F.wan(total)}。"]


# ---------------------------------------------------------------- 评价工作开展情况
def completeness(e: Evaluation) -> list[str]:
    p, f = e.project, e.funds
    sources = ["预算批复及预算明细"] + (["合同"] if p.contracts else []) + (["支付凭证"] if p.payments else []) \
        + ["绩效指标完成情况"] + (["满意度调查问卷"] if p.survey else [])
    late = f"（另有{len(f.outside)}笔在评价期间之外，单独说明）" if f.outside else ""
    return [f"本次评价覆盖本项目{_year(e)}全部预算资金{F.wan(f.budget)}（{len(p.budget)}个预算项目）、"
            f"评价期间内的全部{len(_year_payments(e))}笔支付{late}和{len(e.scored)}个三级绩效指标。"
            f"评价数据来源于" + "、".join(sources) + "等资料。"]


def purpose(e: Evaluation) -> list[str]:
    who = {EvalMode.SELF: "项目单位", EvalMode.DEPARTMENT: "主管部门", EvalMode.FINANCE: "财政部门",
           EvalMode.THIRD_PARTY: "委托方"}[_mode(e)]
    return [f"本次评价旨在落实《中共中央 国务院关于全面实施预算绩效管理的意见》和《项目支出绩效评价管理办法》"
            f"（财预〔2020〕10号）的要求，全面了解{_info(e).name}{_year(e)}的资金使用、项目管理和绩效目标实现情况，"
            f"总结经验，发现问题，为{who}改进项目管理、完善绩效目标、安排以后年度预算提供参考。"]


def scope(e: Evaluation) -> list[str]:
    out = G.evaluation_scope(e)
    lines = "、".join(b.name for b in e.project.budget)
    if lines:
        out.append(f"项目范围：{_info(e).name}的全部预算项目，即{lines}。")
    return out


def methods(e: Evaluation) -> list[str]:
    used = ["比较法，将绩效指标的实际完成值与年度目标值进行比较"]
    if any(_is_cost(s) for s in e.scored) or e.funds.exec_rate is not None:
        used.append("成本效益分析法，将预算执行情况和成本指标与产出、效益进行关联分析")
    if e.survey is not None:
        groups = e.survey.groups
        who = f"对{'、'.join(groups)}的" if groups else ""
        total = "共" if len(groups) > 1 else ""
        used.append(f"公众评判法，通过{who}满意度调查（有效样本{total}{e.survey.valid}份）了解服务对象的评价")
    if any(s.missed for s in e.scored):
        used.append("因素分析法，分析未完全达到目标的指标的影响因素")
    return ["按照《项目支出绩效评价管理办法》（财预〔2020〕10号），绩效评价的方法主要包括成本效益分析法、比较法、"
            "因素分析法、最低成本法、公众评判法、标杆管理法等。",
            "根据本项目的特点，本次评价采用" + "；".join(used) + "。"]


def standards(e: Evaluation) -> list[str]:
    return ["绩效评价标准主要包括计划标准、行业标准、历史标准等，用于对绩效指标完成情况进行比较。",
            f"本次评价以{_year(e)}预算批复和申报的绩效目标为计划标准，逐项对照各三级指标的年度目标值评价其完成情况。"]


def process(e: Evaluation) -> list[str]:
    mode = _mode(e)
    who = _who(e)
    steps = [f"前期准备：{who}明确评价对象和范围，收集预算批复、预算明细、合同、支付凭证等资料，"
             f"确定评价指标体系和评分标准。",
             "组织实施：核对预算、到位和支出数据，逐项核实各绩效指标的实际完成情况"
             + ("，开展满意度调查" if e.survey is not None else "") + "。",
             "分析评价：按评分标准对各指标评分，汇总得出总分和等级，分析存在的问题及原因。",
             "撰写报告：形成绩效" + ("自评" if mode is EvalMode.SELF else "评价") + "报告。"]
    return _numbered(steps)


def organisation(e: Evaluation) -> list[str]:
    """绩效自评工作组织情况."""
    return [f"为做好{_year(e)}项目支出绩效自评工作，{_info(e).unit}组织有关人员对照年初设定的绩效目标，收集整理"
            f"预算批复、合同、支付凭证等资料，逐项核实{len(e.scored)}个三级绩效指标的完成情况，填写项目支出绩效自评表，"
            f"并撰写本报告。"]


# ---------------------------------------------------------------- 自评: 决策、管理、产出、效益
def argument(e: Evaluation) -> list[str]:
    """论证决策: the 立项 indicators, or how the project is set up."""
    items = [s for s in _in(e, V.DECISION_WORDS) if V.has_word(s.indicator.level2, V.INITIATION_WORDS)]
    if items:
        return _summary_of(items, "立项指标")
    lines = "、".join(b.name for b in e.project.budget)
    return [f"本项目按年度绩效目标立项，预算按{len(e.project.budget)}个预算项目编制（{lines}），"
            f"并设置{len(e.scored)}个三级绩效指标衡量目标的完成情况。"]


def target_setting(e: Evaluation) -> list[str]:
    """目标设置: the areas the targets cover, by 一级 and its 二级, as seed 004 describes them."""
    areas = []
    for g in e.level1:
        kinds = "、".join(x.name.removesuffix("指标") for x in e.level2_of(g.name))
        areas.append(f"{G.group_label(g.name)}{g.n_level3 + len(g.not_applicable)}个" + (f"（{kinds}）" if len(e.level2_of(g.name)) > 1 else ""))
    quantitative = sum(1 for s in e.scored if s.indicator.target is not None and s.indicator.target.number is not None)
    return [f"本项目在预算编制阶段设定了年度绩效目标，并细化为三级绩效指标：" + "，".join(areas)
            + f"，共{len(e.scored)}个，其中{quantitative}个有明确的数值目标，可以衡量目标的完成情况。"]


def safeguards(e: Evaluation) -> list[str]:
    p = e.project
    if p.contracts:
        return [f"本项目通过{len(p.contracts)}份合同明确服务单位和服务内容："
                + "；".join(f"与{c.supplier}签订《{c.name.strip('《》')}》" for c in p.contracts) + "。"]
    return [f"本项目资金按预算明细安排，由{_info(e).unit}组织实施。"]


def spending_rules(e: Evaluation) -> list[str]:
    """支出规范性: payments against the period and the contracts."""
    p = e.project
    year = _year_payments(e)
    out = []
    if year:
        sentence = f"评价期间共支付{len(year)}笔，合计{F.wan(e.funds.paid)}"
        if p.contracts:
            with_contract = {S.normalize(c.supplier) for c in p.contracts}
            covered = sum(1 for x in year if S.normalize(x.payee) in with_contract)
            sentence += ("，均支付给签订合同的供应商" if covered == len(year) else
                         f"，其中向签订合同的供应商支付{covered}笔，其余{len(year) - covered}笔没有对应的合同")
        out.append(sentence + "。")
    else:
        out.append("评价期间本项目没有支付记录。")
    out += P.outside_period_note(e)
    found = [x for x in P.finding_problems(e) if x.contract and x.findings[0].code is not Code.PAYMENT_OUTSIDE_PERIOD]
    if found:
        out.append("检查中发现：" + "；".join(x.text for x in found) + "。")
    elif p.contracts:
        out.append("各笔支付均未超过合同金额，支付时间在合同约定的期限内。")
    return out


def procedure(e: Evaluation) -> list[str]:
    """实施程序: contracts signed and their service periods."""
    dated = [c for c in e.project.contracts if c.signed]
    if dated:
        return ["；".join(f"《{c.name.strip('《》')}》于{F.date(c.signed)}签订"
                         + (f"，服务期{F.date(c.service_start)}至{F.date(c.service_end)}"
                            if c.service_start and c.service_end else "") for c in dated) + "。"]
    items = _in(e, V.PROCESS_WORDS)
    return _summary_of(items, "过程指标") if items else [f"本项目由{_info(e).unit}按预算明细组织实施。"]


def management(e: Evaluation) -> list[str]:
    items = [s for s in _in(e, V.PROCESS_WORDS) if s.indicator.method not in (Method.EXECUTION, Method.FUNDS_IN_PLACE)]
    if items:
        return _summary_of(items, "管理指标")
    f = e.funds
    text = f"本项目资金到位率{F.percent(f.in_place_rate)}，预算执行率{F.percent(f.exec_rate)}"
    unmatched = f.unassigned_paid or any(x.code is Code.UNKNOWN_BUDGET_LINE for x in e.findings)
    return [text + ("。" if unmatched else "，各笔支付均对应预算明细中的预算项目。")]


def economy(e: Evaluation) -> list[str]:
    f = e.funds
    out = [f"本项目预算{F.wan(f.budget)}，评价期间实际支出{F.wan(f.paid)}，预算执行率{F.percent(f.exec_rate)}。"]
    out += _summary_of([s for s in e.scored if s.applicable and _is_cost(s)], "成本指标")
    return out


def efficiency(e: Evaluation) -> list[str]:
    out = _summary_of([s for s in e.scored if s.applicable and _is_time(s)], "时效指标")
    payments = _year_payments(e)
    if payments:
        last = max(x.date for x in payments)
        out.append(f"评价期间支付{len(payments)}笔，最后一笔支付于{F.date(last)}。")
    return out or ["本项目未设置时效指标。"]


def effect(e: Evaluation) -> list[str]:
    items = [s for s in _in(e, V.OUTCOME_WORDS) if s.indicator.method is not Method.SATISFACTION]
    return _summary_of(items, "效益指标") or ["本项目未设置效益类指标。"]


def fairness(e: Evaluation) -> list[str]:
    v = e.survey
    out = []
    pooled = any(s.pooled for s in e.scored if s.survey is not None)
    if v is not None and v.valid and len(e.project.survey) > 1 and not pooled:
        # each group is told with its own rate, as its indicator is scored
        parts = [f"{g.group}（有效样本{g.valid}份，满意度{F.percent(compute_survey(e.project, [g]).rate)}）"
                 for g in e.project.survey if g.valid]
        out.append(f"满意度调查对象为{'和'.join(parts) if len(parts) == 2 else '、'.join(parts)}。")
        unscored = "、".join(g.group for g in unscored_groups(e.project))
        if unscored:
            out.append(f"其中对{unscored}的调查没有对应的满意度指标，未参与计分。")
    elif v is not None and v.valid:
        groups = "、".join(g.group for g in e.project.survey)
        together = "合并统计，" if len(e.project.survey) > 1 else ""
        out.append(f"满意度调查覆盖{groups}，{together}有效样本{v.valid}份，其中满意{v.satisfied}份、基本满意{v.basic}份、"
                   f"不满意{v.unsatisfied}份，满意度{F.percent(v.rate)}。")
    items = [s for s in e.scored if s.applicable and is_satisfaction(s.indicator)]
    out += _summary_of(items, "满意度指标")
    return out or ["本项目未开展满意度调查，也未设置满意度指标。"]


# ---------------------------------------------------------------- what the framework leaves out
def uncovered(e: Evaluation, chapter: Slot) -> list[str]:
    """A part of the 共性指标 framework (项目决策情况, 项目过程情况) that the indicators do not score:
    said plainly, with what the data shows of it all the same."""
    info, f = _info(e), e.funds
    if chapter is Slot.DECISION:
        out = ["本次评价的指标体系未设置决策类指标，项目立项、绩效目标和资金投入情况未纳入评分。"]
        approval = f"经{info.approval_no}批复，" if info.approval_no else ""
        total = f.budget_total if f.budget_total is not None else f.budget
        budget = f"{approval}本项目列入{_year(e)}预算，安排资金{F.wan(total)}"
        if info.budget_initial is not None and info.budget_full is not None and info.budget_initial != info.budget_full:
            budget += f"（年初预算{F.wan(info.budget_initial)}，年中调整为{F.wan(info.budget_full)}）"
        out.append(budget + "。")
        quantitative = sum(1 for s in e.scored if s.indicator.target is not None and s.indicator.target.number is not None)
        out.append(f"项目设定了{len(e.scored)}个三级绩效指标，其中{quantitative}个有明确的数值目标。")
        return out
    if chapter is Slot.IMPLEMENTATION:
        out = ["本次评价的指标体系未设置过程类指标，资金管理和组织实施情况未纳入评分。"]
        facts = [f"预算资金到位{F.wan(f.in_place)}，资金到位率{F.percent(f.in_place_rate)}",
                 f"评价期间实际支出{F.wan(f.paid)}，预算执行率{F.percent(f.exec_rate)}"]
        if e.project.contracts:
            facts.append(f"共签订{len(e.project.contracts)}份合同")
        out.append("从资金和合同情况看，" + "；".join(facts) + "。")
        found = [x.text for x in P.finding_problems(e) if x.contract]
        if found:
            out.append("检查中发现：" + "；".join(found) + "。")
        return out
    label = chapter.value.removeprefix("项目").removesuffix("情况")
    return [f"本次评价的指标体系未设置{label}类指标，该方面未纳入评分。"]


# ---------------------------------------------------------------- 结论之后
def achievements(e: Evaluation) -> list[str]:
    out = G.achievements(e)
    if out:
        return out
    grade = f"，等级为“{e.grade}”" if e.graded else ""
    return [f"{_year(e)}本项目绩效评价总分{F.plain(e.total)}分{grade}，各指标完成情况见绩效指标分析。"]


def experience(e: Evaluation) -> list[str]:
    """主要经验及做法: what the data shows went well, each with its figures; nothing that a finding
    of ``check`` contradicts (an overpaid contract is no example of contract management)."""
    f, p = e.funds, e.project
    out = []
    execution_met = f.exec_rate is not None and f.exec_rate >= V.LOW_EXECUTION
    if f.in_place_rate is not None and f.in_place_rate >= 1 and execution_met:
        out.append(f"资金保障有力，预算执行及时。预算资金{F.wan(f.in_place)}全部到位，评价期间实际支出{F.wan(f.paid)}，"
                   f"预算执行率{F.percent(f.exec_rate)}。")
    contract_found = any(x.contract for x in P.finding_problems(e))
    if p.contracts and not contract_found:
        # only what the data can show: dates for 签订在前, amounts for 未超过合同金额
        shown = (["合同签订在前、支付在后"] if all(c.signed for c in p.contracts) else []) \
            + (["各笔支付均未超过合同金额"] if all(c.amount is not None for c in p.contracts) else [])
        out.append(f"严格合同管理，按合同组织实施。项目通过{len(p.contracts)}份合同明确服务单位和服务内容"
                   + ("，" + "，".join(shown) if shown else "") + "。")
    scored = [s for s in e.scored if s.applicable and not s.unscorable]
    met = [s for s in scored if not s.missed]
    if scored and len(met) == len(scored):
        out.append(f"绩效目标全面完成。全部{len(scored)}个三级指标均达到年度目标。")
    elif len(met) * 2 > len(scored):
        overall = "绩效目标总体完成" if len(met) >= len(scored) * V.MOSTLY_MET else "多数绩效目标完成"
        out.append(f"{overall}。{len(scored)}个三级指标中有{len(met)}个达到年度目标。")
    satisfaction = [s for s in scored if s.indicator.method is Method.SATISFACTION and s.rate is not None]
    if satisfaction and all(not s.missed for s in satisfaction):
        rates = "、".join(F.percent(s.rate) for s in satisfaction)
        who = "、".join(dict.fromkeys(g for s in satisfaction if s.survey for g in s.survey.groups)) or "服务对象"
        said = f"满意度分别为{rates}" if len(satisfaction) > 1 else f"满意度为{rates}"
        out.append(f"服务对象认可度高。对{who}的满意度调查显示，{said}，均达到目标。"
                   if len(satisfaction) > 1 else f"服务对象认可度高。对{who}的满意度调查显示，{said}，达到目标。")
    return _numbered(out) if out else achievements(e)


def problems(e: Evaluation) -> list[str]:
    items = P.problems(e)
    if not items:
        return [f"经评价，本项目{_year(e)}各项绩效指标均达到年度目标，未发现需要整改的问题。"]
    return _numbered([p.text for p in items])


def suggestions(e: Evaluation) -> list[str]:
    """有关建议: one for each problem the report states; where the evaluator wrote 存在的问题, their text
    stands, so only the problems it speaks of (a suggestion for a problem the report never states reads
    as though it were missing; check points the evaluator to the findings left unsaid)."""
    items = P.problems(e)
    own = "\n".join(e.project.texts(S.problems_slot(_info(e).report_type)))
    if own:
        items = [p for p in items if P.mentioned(p, own)]
    out = [p.suggestion for p in items]
    out.append("持续做好绩效目标管理和绩效运行监控，将评价结果作为以后年度预算安排的参考")
    return _numbered(out)


def other_matters(e: Evaluation) -> list[str]:
    """其他需要说明的问题: what the evaluation leaves out of the year's figures and of its scores."""
    return P.outside_period_note(e) + P.unscored_survey_note(e)


def next_steps(e: Evaluation) -> list[str]:
    return suggestions(e)


# ---------------------------------------------------------------- which chapter gets which
def in_place(e: Evaluation) -> list[str]:
    """资金到位 (自评): the budget and what of it came."""
    f = e.funds
    return [f"全年预算{F.wan(f.budget)}，实际到位{F.wan(f.in_place)}，资金到位率{F.percent(f.in_place_rate)}。"]


def allocation(e: Evaluation) -> list[str]:
    """资金分配 (自评): the budget by line."""
    return ["预算资金分配如下：" + "、".join(f"{l.name}{F.wan(l.budget)}" for l in e.funds.lines) + "。"]


DRAFTS = {
    Slot.BACKGROUND: G.overview,
    Slot.CONTENT: main_content,
    Slot.GOALS: goals_from_indicators,
    Slot.COMPLETENESS: completeness,
    Slot.PURPOSE: purpose,
    Slot.OBJECT: G.evaluation_object,
    Slot.SCOPE: scope,
    Slot.PRINCIPLES: G.principles,
    Slot.METHODS: methods,
    Slot.STANDARDS: standards,
    Slot.PROCESS: process,
    Slot.ACHIEVEMENTS: achievements,
    Slot.EXPERIENCE: experience,
    Slot.PROBLEMS: problems,
    Slot.SUGGESTIONS: suggestions,
    Slot.PREFACE: preface,
    Slot.OTHER: other_matters,
    Slot.OVERVIEW: G.overview,
    Slot.DECISION: decision,
    Slot.FUNDS_IN_PLACE: in_place,
    Slot.ALLOCATION: allocation,
    Slot.ORGANISATION: organisation,
    Slot.ARGUMENT: argument,
    Slot.TARGET_SETTING: target_setting,
    Slot.SAFEGUARDS: safeguards,
    Slot.SPENDING_RULES: spending_rules,
    Slot.PROCEDURE: procedure,
    Slot.MANAGEMENT: management,
    Slot.ECONOMY: economy,
    Slot.EFFICIENCY: efficiency,
    Slot.EFFECT: effect,
    Slot.FAIRNESS: fairness,
    Slot.SELF_PROBLEMS: problems,
    Slot.NEXT_STEPS: next_steps,
}


def draft(e: Evaluation, slot: Slot) -> list[str]:
    fn = DRAFTS.get(slot)
    return fn(e) if fn else []


def layout_slots(report_type: ReportType) -> list[Slot]:
    """The 文字说明 chapters of a layout, in order."""
    out = []

    def walk(nodes):
        for node in nodes:
            out.extend(key for key in node.content if isinstance(key, Slot))
            walk(node.children)
    walk(LAYOUTS[report_type])
    return out


def drafted(e: Evaluation) -> dict[Slot, list[str]]:
    """The chapters of this report that the evaluator left empty and that will print a draft."""
    report_type = _info(e).report_type or ReportType.EVALUATION
    out = {}
    for slot in [Slot.PREFACE] * has_preface(e) + layout_slots(report_type):
        if e.project.texts(slot):
            continue
        text = draft(e, slot)
        if text:
            out[slot] = text
    return out
