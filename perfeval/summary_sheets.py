"""The analysis sheets of 汇总表.xlsx: the roll-up (``rollup.Rollup``) the 汇总分析报告 is written
from, as tables a reviewer can sort, filter and quote: 基本情况, 等级分布, 主要问题, 自评质量, 结果应用,
and with the previous year's 汇总表 the columns of 项目汇总 and the sheet 上年对比."""
from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter

from . import figures as F
from .figures import as_number as _num
from .record import Record
from .rollup import Rollup
from .sheetlook import MONEY_FORMAT, RATE_FORMAT, SCORE_FORMAT, header_row

PRIOR_COLUMNS = ["上年总分", "总分变化", "上年执行率", "执行率变化", "连续两年"]
PRIOR_FORMATS = [SCORE_FORMAT, SCORE_FORMAT, RATE_FORMAT, RATE_FORMAT, None]


def prior_cells(roll: Rollup, record: Record) -> list:
    """The previous year's columns of a project's row in 项目汇总 (blank for a new project)."""
    change = roll.previous.of(record)
    if change is None:
        return [None, None, None, None, "新增项目" if record.scored else None]
    return [_num(change.prior.total), _num(change.score_change), _num(change.prior.exec_rate),
            _num(change.rate_change), "；".join(change.running) or None]


def _text(cell, value) -> None:
    """A name or a reason stays text in Excel even when it starts with "=" (never a formula)."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _sheet(wb, title: str, head: list[str], rows: list[list], formats: list, widths: list[int]):
    ws = wb.create_sheet(title)
    ws.append(head)
    header_row(ws)
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(i, j)
            _text(cell, _num(value))
            if j <= len(formats) and formats[j - 1] and not isinstance(value, str):
                cell.number_format = formats[j - 1]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{ws.max_row}"
    return ws


def write_analysis_sheets(wb, roll: Rollup) -> None:
    _basics(wb, roll)
    _grades(wb, roll)
    _problems(wb, roll)
    _quality(wb, roll)
    _review(wb, roll)
    if roll.previous is not None:
        _year_over_year(wb, roll)


def _basics(wb, roll: Rollup) -> None:
    rows = [("评价年度", roll.year or F.DASH, "0"), ("收到的自评表（份）", roll.forms, "0"),
            ("完成计分（份）", len(roll.scored), "0"), ("无法读取或处理失败（份）", len(roll.unreadable), "0"),
            ("自评覆盖率（完成计分÷收到）", roll.coverage, RATE_FORMAT), ("实施单位（个）", roll.units, "0"),
            ("主管部门（个）", roll.departments, "0"), ("预算总额（万元）", roll.budget, MONEY_FORMAT),
            ("全年执行（万元）", roll.paid, MONEY_FORMAT), ("预算执行率", roll.exec_rate, RATE_FORMAT),
            ("资金加权平均分", roll.weighted_score, SCORE_FORMAT)]
    ws = _sheet(wb, "基本情况", ["项目", "数值"], [[label, value] for label, value, _ in rows], [], [30, 16])
    for i, (_, _, fmt) in enumerate(rows, start=2):
        ws.cell(i, 2).number_format = fmt


def _grades(wb, roll: Rollup) -> None:
    n, budget = len(roll.scored), roll.budget
    rows = [[g.grade, g.projects, g.projects / n if n else None, g.budget, g.budget / budget if budget else None,
             g.paid, g.exec_rate] for g in roll.grades]
    rows.append(["合计", n, 1 if n else None, budget, 1 if budget else None, roll.paid, roll.exec_rate])
    _sheet(wb, "等级分布", ["等级", "项目数", "项目占比", "预算总额（万元）", "资金占比", "全年执行（万元）", "预算执行率"],
           rows, [None, "0", RATE_FORMAT, MONEY_FORMAT, RATE_FORMAT, MONEY_FORMAT, RATE_FORMAT],
           [8, 8, 10, 16, 10, 16, 12])


def _problems(wb, roll: Rollup) -> None:
    rows = [[p.title, p.forms, p.count, "、".join(p.examples)] for p in roll.problems]
    _sheet(wb, "主要问题", ["问题类别", "涉及自评表（份）", "问题（处）", "例如"], rows, [None, "0", "0"], [32, 14, 10, 100])


def _quality(wb, roll: Rollup) -> None:
    rows = [[Path(q.record.path).name, q.record.info.get("项目名称"), q.record.info.get("实施单位"),
             q.record.info.get("主管部门") or None, q.typed, q.total, q.difference] for q in roll.quality]
    _sheet(wb, "自评质量", ["文件", "项目名称", "实施单位", "主管部门", "填写的总分", "按规则计算的总分", "差额（填写−计算）"],
           rows, [None, None, None, None, SCORE_FORMAT, SCORE_FORMAT, SCORE_FORMAT], [30, 28, 24, 16, 10, 14, 14])


def _review(wb, roll: Rollup) -> None:
    rows = [[v.record.info.get("项目名称"), v.record.info.get("实施单位"), v.record.info.get("主管部门") or None,
             v.record.total, v.record.grade, v.record.exec_rate, v.record.budget, "；".join(v.reasons), v.advice]
            for v in roll.review]
    _sheet(wb, "结果应用", ["项目名称", "实施单位", "主管部门", "总分", "等级", "执行率", "预算总额（万元）", "原因", "建议"],
           rows, [None, None, None, SCORE_FORMAT, None, RATE_FORMAT, MONEY_FORMAT], [28, 24, 16, 8, 6, 10, 14, 30, 60])


def _year_over_year(wb, roll: Rollup) -> None:
    yoy, rows = roll.previous, []
    for c in sorted(yoy.changes, key=lambda c: (not c.running, c.score_change if c.score_change is not None else 0)):
        r = c.record
        rows.append([r.info.get("项目名称"), r.info.get("实施单位"), "连续两年" if c.running else "两年均有",
                     c.prior.total, r.total, c.score_change, c.prior.grade, r.grade, c.prior.exec_rate, r.exec_rate,
                     c.rate_change, "；".join(c.running) or None])
    for r in yoy.new:
        rows.append([r.info.get("项目名称"), r.info.get("实施单位"), "本年新增", None, r.total, None, None, r.grade,
                     None, r.exec_rate, None, None])
    for p in yoy.dropped:
        rows.append([p.name, p.unit, "本年未报送", p.total, None, None, p.grade, None, p.exec_rate, None, None, None])
    _sheet(wb, "上年对比", ["项目名称", "实施单位", "类别", "上年总分", "本年总分", "总分变化", "上年等级", "本年等级",
                          "上年执行率", "本年执行率", "执行率变化", "说明"], rows,
           [None, None, None, SCORE_FORMAT, SCORE_FORMAT, SCORE_FORMAT, None, None, RATE_FORMAT, RATE_FORMAT,
            RATE_FORMAT], [28, 24, 10, 9, 9, 9, 8, 8, 10, 10, 10, 60])
