"""The two report layouts as data.

A ``Node`` is a heading with content keys rendered in order under it, then its
children. Content keys:
  ``slot:名称``  the evaluator's paragraphs of that 章节 (文字说明); if there are none,
                 the generator of the same name in FALLBACKS, if any
  ``gen:名称``   sentences generated from the data, always written
  ``table:名称`` a table
  ``chart:名称`` a native chart
  ``indicators:范围`` the per-indicator analysis of chapter 四 (sub-sections made from the data)
Numbering (一、（一）1.（1）) is added when the report is written, never stored here.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..schema import ReportType


@dataclass(frozen=True)
class Node:
    title: str
    content: tuple[str, ...] = ()
    children: tuple["Node", ...] = ()


def _n(title, *content, children=()):
    return Node(title, tuple(content), tuple(children))


# 绩效评价报告: the 参考提纲 of 财预〔2020〕10号, with the sub-headings of seed 000.
EVALUATION_REPORT = (
    _n("基本情况", children=(
        _n("项目概况", children=(
            _n("项目背景、主要内容及实施情况", "slot:项目背景", "slot:主要内容及实施情况"),
            _n("资金投入和使用情况", "gen:funds", "table:budget", "chart:budget", "table:contracts", "table:payments",
               "slot:资金投入和使用情况"),
        )),
        _n("项目绩效目标", "slot:绩效目标", "gen:goals"),
    )),
    _n("绩效评价工作开展情况", children=(
        _n("绩效评价目的、对象和范围", children=(
            _n("绩效评价完整性", "slot:评价完整性"),
            _n("评价目的", "slot:评价目的"),
            _n("评价对象", "slot:评价对象"),
            _n("绩效评价范围", "slot:评价范围"),
        )),
        _n("绩效评价原则、指标体系、方法及标准", children=(
            _n("评价原则", "slot:评价原则"),
            _n("评价指标体系", "slot:评价指标体系", "gen:system_intro", "table:system"),
            _n("评价方法", "slot:评价方法"),
            _n("评价标准", "slot:评价标准"),
        )),
        _n("绩效评价工作过程", "slot:评价工作过程"),
    )),
    _n("综合评价情况及评价结论", children=(
        _n("评价结论", "gen:conclusion", "table:score", "chart:score_rate", "slot:评价结论"),
        _n("主要绩效", "slot:主要绩效"),
    )),
    _n("绩效评价指标分析", "indicators:evaluation"),
    _n("主要经验及做法、存在的问题及原因分析", children=(
        _n("主要经验及做法", "slot:主要经验及做法"),
        _n("存在的问题及原因分析", "slot:存在的问题及原因分析"),
    )),
    _n("有关建议", "slot:有关建议"),
    _n("其他需要说明的问题", "slot:其他需要说明的问题"),
)

# 绩效自评报告: the Guangdong outline that seed 004 follows.
SELF_REPORT = (
    _n("基本情况", children=(
        _n("项目基本情况", "slot:项目基本情况", "gen:funds", "table:budget", "chart:budget"),
        _n("项目决策情况", "slot:项目决策情况"),
        _n("绩效目标", "slot:绩效目标", "gen:goals"),
    )),
    _n("绩效自评工作组织情况", "slot:绩效自评工作组织情况"),
    _n("绩效自评结论", "gen:conclusion", "table:selfform", "chart:score_rate", "slot:绩效自评结论"),
    _n("绩效指标分析", children=(
        _n("决策分析", children=(
            _n("项目立项情况", children=(
                _n("论证决策", "slot:论证决策"),
                _n("目标设置", "slot:目标设置"),
                _n("保障措施", "slot:保障措施"),
            )),
            _n("资金落实情况", children=(
                _n("资金到位", "slot:资金到位", "gen:in_place"),
                _n("资金分配", "slot:资金分配", "gen:allocation"),
            )),
        )),
        _n("管理分析", children=(
            _n("资金管理", children=(
                _n("资金支付", "slot:资金支付", "indicators:self-funds"),
                _n("支出规范性", "slot:支出规范性", "table:contracts", "table:payments"),
            )),
            _n("事项管理", children=(
                _n("实施程序", "slot:实施程序"),
                _n("管理情况", "slot:管理情况"),
            )),
        )),
        _n("产出分析", children=(
            _n("经济性", "slot:经济性"),
            _n("效率性", "slot:效率性"),
            _n("产出指标完成情况", "indicators:self-output"),
        )),
        _n("效益实现度分析", children=(
            _n("效果性", "slot:效果性"),
            _n("公平性", "slot:公平性"),
            _n("效益指标完成情况", "indicators:self-outcome"),
        )),
    ), ),
    _n("主要绩效", "slot:主要绩效"),
    _n("存在问题", "slot:存在问题"),
    _n("下一步工作计划", "slot:下一步工作计划"),
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
