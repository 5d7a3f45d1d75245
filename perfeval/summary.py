"""汇总表.xlsx: one row per workbook of a batch, and a roll-up by 主管部门, for a reviewer to sort and
filter; and the same 汇总表 read back.

The 汇总表 describes the output folder: rows that an earlier batch wrote there are kept while their
reports are still there as that batch made them (the same stamp), unless this batch made them
again. Two batches into one folder (one waits for the other's lock) thus end with one 汇总表 that
lists the rows of both. Last year's 汇总表 gives last year's projects for the comparison."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from . import xlsxsafe
from .errors import PreviousError, WorkbookError
from .figures import as_number as _num
from .outputs import SUMMARY_NAME, stamp_of
from .reader import open_workbook
from .record import Record
from .rollup import PriorRow, Rollup, by_department
from .schema import Severity, normalize
from .sheetlook import MONEY_FORMAT, RATE_FORMAT, SCORE_FORMAT, header_row, link_look
from .summary_sheets import PRIOR_COLUMNS, PRIOR_FORMATS, prior_cells, write_analysis_sheets
from .vocab import GRADES

# 项目汇总: its columns, as written and as read back (this folder's earlier rows, last year's projects).
SHEET = "项目汇总"
FILE, NAME, UNIT, DEPARTMENT, KIND = "文件", "项目名称", "实施单位", "主管部门", "报告类型"
BUDGET, IN_PLACE, PAID, RATE = "预算总额（万元）", "到位（万元）", "支出（万元）", "执行率"
LEVEL1_RATE = "得分率"                           # after each 一级's name
TOTAL, GRADE, ERRORS, WARNINGS, REPORT, STATUS, REASON = "总分", "等级", "错误数", "警告数", "报告", "状态", "原因"
SOURCE, STAMP = "工作簿路径", "报告标识"          # which input a row is of; what made its report
INFO = (NAME, UNIT, DEPARTMENT, KIND)            # a Record's info, under the same names


def _cell(value):
    """A pandas value as an Excel cell: numpy numbers as Python numbers, NaN as an empty cell."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _decimal(value) -> Decimal | None:
    """A figure read from 汇总表: None for an empty cell or one that holds no number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


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
    level1 = [h for h in col if h.endswith(LEVEL1_RATE)]
    out = []
    for row in rows[1:]:
        def get(header):
            i = col.get(header)
            return row[i] if i is not None and i < len(row) else None
        report, stamp, source = get(REPORT), get(STAMP) or "", get(SOURCE) or ""
        if source and _resolved(source) in sources:
            continue
        if report:
            if str(report).casefold() in reports or not stamp or stamp_of(Path(outdir) / str(report)) != stamp:
                continue
        elif not source or not Path(source).is_file():
            continue
        total = _decimal(get(TOTAL))
        record = Record(str(Path(source).with_name(str(get(FILE)))) if source else str(get(FILE) or ""),
                        str(get(STATUS) or ""), reason=str(get(REASON) or ""),
                        info={k: get(k) or "" for k in INFO},
                        budget=_decimal(get(BUDGET)), in_place=_decimal(get(IN_PLACE)),
                        paid=_decimal(get(PAID)), exec_rate=_decimal(get(RATE)),
                        level1=[(h[:-len(LEVEL1_RATE)], _decimal(get(h))) for h in level1 if get(h) is not None],
                        total=total, grade=str(get(GRADE) or ""), scored=total is not None,
                        report=str(Path(outdir) / str(report)) if report else None, stamp=stamp, source=source)
        record.counts = (int(get(ERRORS) or 0), int(get(WARNINGS) or 0), 0)
        record.findings = []
        out.append(record)
    return out


def write_summary(records: list[Record], outdir, roll: Rollup | None = None) -> Path:
    """Every record of ``records`` a row of 项目汇总 (the caller adds ``earlier_records`` for a folder
    written to before); ``roll``: the same records' roll-up (``rollup.rollup``): its figures go into
    sheets of their own, and the previous year's into columns of 项目汇总, exactly as the 汇总分析报告
    shows them."""
    wb = openpyxl.Workbook()
    _projects(wb.active, records, roll if roll is not None and roll.previous is not None else None)
    _departments(wb.create_sheet("按主管部门汇总"), records)
    if roll is not None:
        write_analysis_sheets(wb, roll)
    return xlsxsafe.save(wb, Path(outdir) / SUMMARY_NAME)


def _projects(ws, records: list[Record], compared: Rollup | None) -> None:
    """项目汇总: a row per record; ``compared``: a roll-up with the previous year's, for its columns."""
    level1 = list(dict.fromkeys(name for r in records for name, _ in r.level1))
    ws.title = SHEET
    head = ([FILE, NAME, UNIT, DEPARTMENT, KIND, BUDGET, IN_PLACE, PAID, RATE] + [f"{n}{LEVEL1_RATE}" for n in level1]
            + [TOTAL, GRADE, ERRORS, WARNINGS, REPORT, STATUS, REASON, SOURCE, STAMP]
            + (PRIOR_COLUMNS if compared is not None else []))
    ws.append(head)
    header_row(ws)
    formats = {head.index(h) + 1: MONEY_FORMAT for h in (BUDGET, IN_PLACE, PAID)}
    formats.update({head.index(h) + 1: RATE_FORMAT for h in [RATE] + head[9:9 + len(level1)]})
    formats[head.index(TOTAL) + 1] = SCORE_FORMAT
    if compared is not None:
        formats.update({len(head) - len(PRIOR_COLUMNS) + k: fmt or "General" for k, fmt in enumerate(PRIOR_FORMATS, 1)})
    for r in records:
        ws.append(_project_row(r, level1, compared))
        for col, fmt in formats.items():
            ws.cell(ws.max_row, col).number_format = fmt
        if r.report:
            link = ws.cell(ws.max_row, head.index(REPORT) + 1)
            link.hyperlink = link.value = Path(r.report).name      # the reports sit beside 汇总表.xlsx
            link_look(link)
    widths = ([30, 28, 24, 16, 12, 14, 12, 12, 10] + [12] * len(level1) + [8, 6, 8, 8, 30, 10, 60, 40, 10]
              + [10] * 4 + [40])
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.column_dimensions[get_column_letter(head.index(STAMP) + 1)].hidden = True     # 报告标识: for the next batch
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{ws.max_row}"


def _project_row(r: Record, level1: list[str], compared: Rollup | None) -> list:
    rates = dict(r.level1)
    errors = [f"{f.sheet}!{f.cell}：{f.message}" if f.cell else f.message
              for f in r.findings if f.severity is Severity.ERROR]
    off = [f"{r.weights_off}，总分不是最终结果，不评定等级"] if r.weights_off and r.scored else []
    reason = "；".join(off + [r.reason] * bool(r.reason) + errors)[:1000]
    return ([Path(r.path).name, r.info.get(NAME), r.info.get(UNIT), r.info.get(DEPARTMENT) or None, r.info.get(KIND),
             _num(r.budget), _num(r.in_place), _num(r.paid), _num(r.exec_rate)]
            + [_num(rates.get(n)) for n in level1]
            + [_num(r.total) if r.scored else None, (r.grade or None) if r.scored else None,
               r.errors, r.warnings, r.report, r.status, reason or None, _resolved(r.source or r.path), r.stamp or None]
            + (prior_cells(compared, r) if compared is not None else []))


def _departments(ws, records: list[Record]) -> None:
    """按主管部门汇总 (rollup.by_department)."""
    grades = [label for _, label in GRADES]
    ws.append([DEPARTMENT, "项目数"] + [f"{g}（个）" for g in grades] + [BUDGET, "支出（万元）", "资金加权平均分", "未计分（个）"])
    header_row(ws)
    for row in by_department(records).itertuples(index=False):
        ws.append([_cell(v) for v in row])
        i = ws.max_row
        ws.cell(i, 3 + len(grades)).number_format = MONEY_FORMAT
        ws.cell(i, 4 + len(grades)).number_format = MONEY_FORMAT
        ws.cell(i, 5 + len(grades)).number_format = SCORE_FORMAT
    for j, w in enumerate([20, 8] + [8] * len(grades) + [16, 14, 14, 12], start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"


# ---------------------------------------------------------------- last year's
PRIOR_HEADERS = {"name": NAME, "unit": UNIT, "department": DEPARTMENT, "total": TOTAL, "grade": GRADE,
                 "exec_rate": RATE, "budget": BUDGET}


def read_previous(path) -> list[PriorRow]:
    """The projects of a 汇总表.xlsx written by perfeval (its sheet 项目汇总, columns by header)."""
    path = Path(path)
    try:
        wb = open_workbook(path)
    except WorkbookError as exc:
        raise PreviousError(f"上年汇总表无法读取：{exc}") from None
    ws = next((w for w in wb.worksheets if normalize(w.title) == SHEET), None)
    rows = list(ws.iter_rows(values_only=True)) if ws is not None else []
    head = {normalize(str(v)): i for i, v in enumerate(rows[0]) if v is not None} if rows else {}
    cols = {key: head.get(normalize(text)) for key, text in PRIOR_HEADERS.items()}
    if ws is None or None in (cols["name"], cols["unit"], cols["total"]):
        raise PreviousError(f"{path.name}：不是 perfeval 生成的汇总表（没有“{SHEET}”工作表，或缺少“{NAME}”"
                            f"“{UNIT}”“{TOTAL}”列）。请指定上年 perfeval build 生成的汇总表.xlsx，或上年自评表所在的文件夹。")
    out = []
    for row in rows[1:]:
        v = {key: row[i] if i is not None and i < len(row) else None for key, i in cols.items()}
        total = _decimal(v["total"])
        if not v["name"] or total is None:
            continue
        out.append(PriorRow(str(v["name"]), str(v["unit"] or ""), str(v["department"] or ""), total,
                            str(v["grade"] or ""), _decimal(v["exec_rate"]), _decimal(v["budget"])))
    return out
