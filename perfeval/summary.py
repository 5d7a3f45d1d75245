"""汇总表.xlsx: one row per workbook of a batch, and a roll-up by 主管部门, for a reviewer to sort and filter."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .files import atomic_path
from .figures import as_number as _num
from .outputs import SUMMARY_NAME
from .summary_sheets import PRIOR_COLUMNS, PRIOR_FORMATS, prior_cells, write_analysis_sheets
from .vocab import GRADES

if TYPE_CHECKING:
    from .batch import Record
    from .rollup import Rollup


def _cell(value):
    """A pandas value as an Excel cell: numpy numbers as Python numbers, NaN as an empty cell."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def by_department(records: list[Record]):
    """The roll-up by 主管部门 (a pandas DataFrame, one row per department in name order): projects,
    how many of each grade, 预算 and 支出 of the scored projects, their 资金加权平均分, and how many
    could not be scored."""
    import pandas as pd
    grades = [label for _, label in GRADES]
    frame = pd.DataFrame({
        "主管部门": [r.info.get("主管部门") or "（未填写）" for r in records],
        "scored": [r.scored for r in records],
        "grade": [r.grade if r.scored else None for r in records],
        "budget": [(r.budget or Decimal(0)) if r.scored else Decimal(0) for r in records],
        "paid": [(r.paid or Decimal(0)) if r.scored else Decimal(0) for r in records],
        "points": [r.total * (r.budget or 0) if r.scored else Decimal(0) for r in records],
    })
    for g in grades:
        frame[g] = frame["grade"] == g
    rolled = frame.groupby("主管部门", sort=True).agg(
        项目数=("scored", "size"), **{f"{g}（个）": (g, "sum") for g in grades},
        budget=("budget", lambda x: sum(x, Decimal(0))), paid=("paid", lambda x: sum(x, Decimal(0))),
        points=("points", lambda x: sum(x, Decimal(0))), scored=("scored", "sum")).reset_index()
    out = pd.DataFrame({"主管部门": rolled["主管部门"], "项目数": rolled["项目数"].astype(int)})
    for g in grades:
        out[f"{g}（个）"] = rolled[f"{g}（个）"].astype(int)
    out["预算总额（万元）"] = [_num(b) for b in rolled["budget"]]
    out["支出（万元）"] = [_num(p) for p in rolled["paid"]]
    out["资金加权平均分"] = [_num(p / b) if b else None for p, b in zip(rolled["points"], rolled["budget"])]
    out["未计分（个）"] = (rolled["项目数"] - rolled["scored"]).astype(int)
    return out


def write_summary(records: list[Record], outdir, roll: Rollup | None = None) -> Path:
    """``roll``: the batch's roll-up (``rollup.rollup``): its figures go into sheets of their own,
    and the previous year's into columns of 项目汇总, exactly as the 汇总分析报告 shows them."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    outdir = Path(outdir)
    level1 = []
    for r in records:
        for name, _ in r.level1:
            if name not in level1:
                level1.append(name)
    wb = Workbook()
    ws = wb.active
    ws.title = "项目汇总"
    head = (["文件", "项目名称", "实施单位", "主管部门", "报告类型", "预算总额（万元）", "到位（万元）", "支出（万元）",
             "执行率"] + [f"{n}得分率" for n in level1]
            + ["总分", "等级", "错误数", "警告数", "报告", "状态", "原因"]
            + (PRIOR_COLUMNS if roll is not None and roll.previous is not None else []))
    ws.append(head)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for c in ws[1]:
        c.font, c.fill = bold, fill
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    money_cols = {6, 7, 8}
    rate_cols = {9} | set(range(10, 10 + len(level1)))
    score_col = 10 + len(level1)
    report_col = score_col + 4
    for r in records:
        rates = dict(r.level1)
        errors = [f"{f.sheet}!{f.cell}：{f.message}" if f.cell else f.message
                  for f in r.findings if f.severity.value == "错误"]
        reason = "；".join([r.reason] * bool(r.reason) + errors)[:1000]
        row = ([Path(r.path).name, r.info.get("项目名称"), r.info.get("实施单位"), r.info.get("主管部门") or None,
                r.info.get("报告类型"), _num(r.budget), _num(r.in_place), _num(r.paid), _num(r.exec_rate)]
               + [_num(rates.get(n)) for n in level1]
               + [_num(r.total) if r.scored else None, r.grade if r.scored else None,
                  r.errors, r.warnings, r.report, r.status, reason or None]
               + (prior_cells(roll, r) if roll is not None and roll.previous is not None else []))
        ws.append(row)
        i = ws.max_row
        for col in money_cols:
            ws.cell(i, col).number_format = "#,##0.00"
        for col in rate_cols:
            ws.cell(i, col).number_format = "0.00%"
        ws.cell(i, score_col).number_format = "0.00"
        if roll is not None and roll.previous is not None:
            for k, fmt in enumerate(PRIOR_FORMATS, start=len(head) - len(PRIOR_COLUMNS) + 1):
                ws.cell(i, k).number_format = fmt or "General"
        if r.report:
            link = ws.cell(i, report_col)
            link.hyperlink = Path(r.report).name      # the reports sit beside 汇总表.xlsx
            link.value = Path(r.report).name
            link.font = Font(color="0563C1", underline="single")
    widths = [30, 28, 24, 16, 12, 14, 12, 12, 10] + [12] * len(level1) + [8, 6, 8, 8, 30, 10, 60] + [10] * 4 + [40]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{ws.max_row}"

    by = wb.create_sheet("按主管部门汇总")
    grades = [label for _, label in GRADES]
    by.append(["主管部门", "项目数"] + [f"{g}（个）" for g in grades] + ["预算总额（万元）", "支出（万元）",
                                                                      "资金加权平均分", "未计分（个）"])
    for c in by[1]:
        c.font, c.fill = bold, fill
    for row in by_department(records).itertuples(index=False):
        by.append([_cell(v) for v in row])
        i = by.max_row
        by.cell(i, 3 + len(grades)).number_format = "#,##0.00"
        by.cell(i, 4 + len(grades)).number_format = "#,##0.00"
        by.cell(i, 5 + len(grades)).number_format = "0.00"
    for j, w in enumerate([20, 8] + [8] * len(grades) + [16, 14, 14, 12], start=1):
        by.column_dimensions[get_column_letter(j)].width = w
    by.freeze_panes = "A2"
    by.auto_filter.ref = f"A1:{get_column_letter(by.max_column)}{by.max_row}"

    if roll is not None:
        write_analysis_sheets(wb, roll)
    path = outdir / SUMMARY_NAME
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
