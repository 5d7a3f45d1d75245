"""The two report layouts as data.

A ``Node`` is a heading with content rendered in order under it, then its children. Content:
  a ``NarrativeSlot``   the evaluator's paragraphs of that 章节 (文字说明); if there are none, the
                        draft of the same 章节 (drafts.py), if any
  a ``Part``            the per-indicator analysis of one part of chapter 四 (sub-sections made
                        from the data)
  ``gen:名称``          sentences generated from the data, always written
  ``table:名称``        a table
  ``chart:名称``        a native chart
Numbering (一、（一）1.（1）) is added when the report is written, never stored here.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .. import vocab as V
from ..schema import NarrativeSlot as S
from ..schema import ReportType


class Part(Enum):
    """A part of chapter 四 made from the indicators."""
    EVALUATION = "evaluation"        # 绩效评价报告: one sub-section for each 一级 of the framework
    SELF_FUNDS = "self-funds"        # 自评: 资金支付, the 预算执行率 indicators wherever they sit
    SELF_OUTPUT = "self-output"      # 自评: 产出 (and every 一级 no other part takes)
    SELF_OUTCOME = "self-outcome"    # 自评: 效益 and 满意度


# Chapter 四 of the 绩效评价报告: a sub-section per framework 一级, titled as its 章节, holding the 一级
# whose name has one of its words.
EVALUATION_PARTS = ((S.DECISION, V.DECISION_WORDS), (S.IMPLEMENTATION, V.PROCESS_WORDS),
                    (S.OUTPUT, V.OUTPUT_WORDS), (S.OUTCOME, V.OUTCOME_WORDS))
# Which 一级 goes to which part of the 自评 chapter 四 (the first whose words its name has; the rest
# go to 产出).
SELF_PARTS = ((Part.SELF_FUNDS, V.EXECUTION_WORDS), (Part.SELF_OUTCOME, V.OUTCOME_WORDS),
              (Part.SELF_OUTPUT, V.OUTPUT_WORDS))


@dataclass(frozen=True)
class Node:
    title: str
    content: tuple = ()
    children: tuple["Node", ...] = ()


def _n(title, *content, children=()):
    return Node(title, tuple(content), tuple(children))


def _slot(slot: S, *content, children=()):
    """A chapter titled as its 章节, the evaluator's paragraphs first."""
    return Node(slot.value, (slot,) + tuple(content), tuple(children))


# 绩效评价报告: the 参考提纲 of 财预〔2020〕10号, with the sub-headings of seed 000.
EVALUATION_REPORT = (
    _n("基本情况", children=(
        _n("项目概况", children=(
            _n("项目背景、主要内容及实施情况", S.BACKGROUND, S.CONTENT),
            _n(S.FUNDING.value, "gen:funds", "table:budget", "chart:budget", "table:contracts", "table:payments",
               S.FUNDING),
        )),
        _n("项目绩效目标", S.GOALS, "gen:goals"),
    )),
    _n("绩效评价工作开展情况", children=(
        _n("绩效评价目的、对象和范围", children=(
            _n("绩效评价完整性", S.COMPLETENESS),
            _slot(S.PURPOSE),
            _slot(S.OBJECT),
            _n("绩效评价范围", S.SCOPE),
        )),
        _n("绩效评价原则、指标体系、方法及标准", children=(
            _slot(S.PRINCIPLES),
            _slot(S.SYSTEM, "gen:system_intro", "table:system"),
            _slot(S.METHODS),
            _slot(S.STANDARDS),
        )),
        _n("绩效评价工作过程", S.PROCESS),
    )),
    _n("综合评价情况及评价结论", children=(
        _n(S.CONCLUSION.value, "gen:conclusion", "table:score", "chart:score_rate", S.CONCLUSION),
        _slot(S.ACHIEVEMENTS),
    )),
    _n("绩效评价指标分析", Part.EVALUATION),
    _n("主要经验及做法、存在的问题及原因分析", children=(
        _slot(S.EXPERIENCE),
        _slot(S.PROBLEMS),
    )),
    _slot(S.SUGGESTIONS),
    _slot(S.OTHER),
)

# 绩效自评报告: the Guangdong outline that seed 004 follows.
SELF_REPORT = (
    _n("基本情况", children=(
        _slot(S.OVERVIEW, "gen:funds", "table:budget", "chart:budget"),
        _slot(S.DECISION),
        _slot(S.GOALS, "gen:goals"),
    )),
    _slot(S.ORGANISATION),
    _n(S.SELF_CONCLUSION.value, "gen:conclusion", "table:selfform", "chart:score_rate", S.SELF_CONCLUSION),
    _n("绩效指标分析", children=(
        _n("决策分析", children=(
            _n("项目立项情况", children=(
                _slot(S.ARGUMENT),
                _slot(S.TARGET_SETTING),
                _slot(S.SAFEGUARDS),
            )),
            _n("资金落实情况", children=(
                _slot(S.FUNDS_IN_PLACE),
                _slot(S.ALLOCATION),
            )),
        )),
        _n("管理分析", children=(
            _n("资金管理", children=(
                _slot(S.PAYMENT, Part.SELF_FUNDS),
                _slot(S.SPENDING_RULES, "table:contracts", "table:payments"),
            )),
            _n("事项管理", children=(
                _slot(S.PROCEDURE),
                _slot(S.MANAGEMENT),
            )),
        )),
        _n("产出分析", children=(
            _slot(S.ECONOMY),
            _slot(S.EFFICIENCY),
            _n("产出指标完成情况", Part.SELF_OUTPUT),
        )),
        _n("效益实现度分析", children=(
            _slot(S.EFFECT),
            _slot(S.FAIRNESS),
            _n("效益指标完成情况", Part.SELF_OUTCOME),
        )),
    ), ),
    _slot(S.ACHIEVEMENTS),
    _slot(S.SELF_PROBLEMS),
    _slot(S.NEXT_STEPS),
)

LAYOUTS = {ReportType.EVALUATION: EVALUATION_REPORT, ReportType.SELF: SELF_REPORT}


def headings(report_type: ReportType) -> list[tuple[int, str]]:
    """The fixed headings of a layout as (level, title), depth first (for docs and tests)."""
    out = []

    def walk(nodes, level):
        for node in nodes:
            out.append((level, node.title))
            walk(node.children, level + 1)
    walk(LAYOUTS[report_type], 1)
    return out
