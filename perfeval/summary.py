"""汇总表.xlsx: one row per workbook of a batch, and a roll-up by 主管部门, for a reviewer to sort and filter.

The 汇总表 describes the output folder: rows that an earlier batch wrote there are kept while their
reports are still there as that batch made them (the same stamp), unless this batch made them
again. Two batches into one folder (one waits for the other's lock) thus end with one 汇总表 that
lists the rows of both."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from . import xlsxsafe
from .figures import as_number as _num
from .outputs import SUMMARY_NAME, stamp_of
from .record import Record
from .rollup import Rollup, by_department
from .sheetlook import MONEY_FORMAT, RATE_FORMAT, SCORE_FORMAT, header_row, link_look
from .summary_sheets import PRIOR_COLUMNS, PRIOR_FORMATS, prior_cells, write_analysis_sheets
from .vocab import GRADES


def _cell(value):
    """A pandas value as an Excel cell: numpy numbers as Python numbers, NaN as an empty cell."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


SHEET = "项目汇总"
SOURCE, STAMP = "工作簿路径", "报告标识"          # which input a row is of; what made its report


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _resolved(path) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, ValueError):
        return str(path)


def earlier_records(outdir, records: list[Record]) -> list[Record]:
    """The rows of the 汇总表 already in ``outdir`` that still describe the folder: a row whose report
    is there with the stamp the row names, or (no report) whose workbook still exists; rows of
    workbooks and reports that ``records`` cover are left out (this batch's rows replace them)."""
    path = Path(outdir) / SUMMARY_NAME
    if not path.is_file():
        return []
    try:
        with open(path, "rb") as fh:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            ws = wb[SHEET] if SHEET in wb.sheetnames else None
            rows = list(ws.values) if ws is not None else []
            wb.close()
    except Exception:  # noqa: BLE001 - not a 汇总表 we can read: it is replaced
        return []
    if not rows:
        return []
    col = {h: i for i, h in enumerate(rows[0]) if isinstance(h, str)}
    if SOURCE not in col or STAMP not in col:
        return []                                   # a 汇总表 of an older version: replaced
    reports = {Path(r.report).name.casefold() for r in records if r.report}
    sources = {_resolved(r.source or r.path) for r in records}
    level1 = [h for h in col if h.endswith("得分率")]
    out = []
    for row in rows[1:]:
        def get(header):
            i = col.get(header)
            return row[i] if i is not None and i < len(row) else None
        report, stamp, source = get("报告"), get(STAMP) or "", get(SOURCE) or ""
        if source and _resolved(source) in sources:
            continue
        if report:
            if str(report).casefold() in reports or not stamp or stamp_of(Path(outdir) / str(report)) != stamp:
                continue
        elif not source or not Path(source).is_file():
            continue
        total = _decimal(get("总分"))
        record = Record(str(Path(source).with_name(str(get("文件")))) if source else str(get("文件") or ""),
                        str(get("状态") or ""), reason=str(get("原因") or ""),
                        info={k: get(k) or "" for k in ("项目名称", "实施单位", "主管部门", "报告类型")},
                        budget=_decimal(get("预算总额（万元）")), in_place=_decimal(get("到位（万元）")),
                        paid=_decimal(get("支出（万元）")), exec_rate=_decimal(get("执行率")),
                        level1=[(h[:-len("得分率")], _decimal(get(h))) for h in level1 if get(h) is not None],
                        total=total, grade=str(get("等级") or ""), scored=total is not None,
                        report=str(Path(outdir) / str(report)) if report else None, stamp=stamp, source=source)
        record.counts = (int(get("错误数") or 0), int(get("警告数") or 0), 0)
        record.findings = []
        out.append(record)
    return out


def write_summary(records: list[Record], outdir, roll: Rollup | None = None) -> Path:
    """Every record of ``records`` a row of 项目汇总 (the caller adds ``earlier_records`` for a folder
    written to before); ``roll``: the same records' roll-up (``rollup.rollup``): its figures go into
    sheets of their own, and the previous year's into columns of 项目汇总, exactly as the 汇总分析报告
    shows them."""

    outdir = Path(outdir)
    level1 = []
    for r in records:
        for name, _ in r.level1:
            if name not in level1:
                level1.append(name)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    head = (["文件", "项目名称", "实施单位", "主管部门", "报告类型", "预算总额（万元）", "到位（万元）", "支出（万元）",
             "执行率"] + [f"{n}得分率" for n in level1]
            + ["总分", "等级", "错误数", "警告数", "报告", "状态", "原因", SOURCE, STAMP]
            + (PRIOR_COLUMNS if roll is not None and roll.previous is not None else []))
    ws.append(head)
    header_row(ws)
    money_cols = {6, 7, 8}
    rate_cols = {9} | set(range(10, 10 + len(level1)))
    score_col = 10 + len(level1)
    report_col = score_col + 4
    for r in records:
        rates = dict(r.level1)
        errors = [f"{f.sheet}!{f.cell}：{f.message}" if f.cell else f.message
                  for f in r.findings if f.severity.value == "错误"]
        off = [f"{r.weights_off}，总分不是最终结果，不评定等级"] if r.weights_off and r.scored else []
        reason = "；".join(off + [r.reason] * bool(r.reason) + errors)[:1000]
        row = ([Path(r.path).name, r.info.get("项目名称"), r.info.get("实施单位"), r.info.get("主管部门") or None,
                r.info.get("报告类型"), _num(r.budget), _num(r.in_place), _num(r.paid), _num(r.exec_rate)]
               + [_num(rates.get(n)) for n in level1]
               + [_num(r.total) if r.scored else None, (r.grade or None) if r.scored else None,
                  r.errors, r.warnings, r.report, r.status, reason or None,
                  _resolved(r.source or r.path), r.stamp or None]
               + (prior_cells(roll, r) if roll is not None and roll.previous is not None else []))
        ws.append(row)
        i = ws.max_row
        for col in money_cols:
            ws.cell(i, col).number_format = MONEY_FORMAT
        for col in rate_cols:
            ws.cell(i, col).number_format = RATE_FORMAT
        ws.cell(i, score_col).number_format = SCORE_FORMAT
        if roll is not None and roll.previous is not None:
            for k, fmt in enumerate(PRIOR_FORMATS, start=len(head) - len(PRIOR_COLUMNS) + 1):
                ws.cell(i, k).number_format = fmt or "General"
        if r.report:
            link = ws.cell(i, report_col)
            link.hyperlink = Path(r.report).name      # the reports sit beside 汇总表.xlsx
            link.value = Path(r.report).name
            link_look(link)
    widths = ([30, 28, 24, 16, 12, 14, 12, 12, 10] + [12] * len(level1) + [8, 6, 8, 8, 30, 10, 60, 40, 10]
              + [10] * 4 + [40])
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.column_dimensions[get_column_letter(head.index(STAMP) + 1)].hidden = True     # 报告标识: for the next batch
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{ws.max_row}"

    by = wb.create_sheet("按主管部门汇总")
    grades = [label for _, label in GRADES]
    by.append(["主管部门", "项目数"] + [f"{g}（个）" for g in grades] + ["预算总额（万元）", "支出（万元）",
                                                                      "资金加权平均分", "未计分（个）"])
    header_row(by)
    for row in by_department(records).itertuples(index=False):
        by.append([_cell(v) for v in row])
        i = by.max_row
        by.cell(i, 3 + len(grades)).number_format = MONEY_FORMAT
        by.cell(i, 4 + len(grades)).number_format = MONEY_FORMAT
        by.cell(i, 5 + len(grades)).number_format = SCORE_FORMAT
    for j, w in enumerate([20, 8] + [8] * len(grades) + [16, 14, 14, 12], start=1):
        by.column_dimensions[get_column_letter(j)].width = w
    by.freeze_panes = "A2"
    by.auto_filter.ref = f"A1:{get_column_letter(by.max_column)}{by.max_row}"

    if roll is not None:
        write_analysis_sheets(wb, roll)
    path = outdir / SUMMARY_NAME
    return xlsxsafe.save(wb, path)
