"""Writes the standard workbook (blank, or filled from plain data) from schema.py.

``write_workbook(path)`` writes the blank template that ``perfeval template``
gives; ``write_workbook(path, data)`` writes the same layout with rows filled in,
which is how the examples and the test fixtures are made.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import schema as S
from . import xlsxsafe
from .figures import as_number
from .sheetlook import HEADER_FILL, MONEY_FORMAT, print_on_a4

LISTS_SHEET = S.LISTS_SHEET
DATA_ROWS = 1000   # rows of the table sheets that carry drop-downs and prompts

METHOD_RULES = [
    (S.Method.RATIO, "定量指标。指标性质为“≥”或“>”时，实际值达到目标值得满分，否则得 分值×实际值÷目标值；"
        "为“≤”或“<”时，实际值不超过目标值得满分，否则得 分值×目标值÷实际值；为“=”时相等得满分，"
        "否则得 分值×较小值÷较大值。得分不超过分值、不低于0。"),
    (S.Method.FUNDS_IN_PLACE, "到位率=“预算明细”各行到位金额之和÷预算金额之和；得分=分值×到位率（最高为分值）。"),
    (S.Method.EXECUTION, "执行率=“支付”表中评价期间内的支付金额之和÷到位资金（或预算资金，见项目信息“预算执行率口径”）；"
        "评价期间之外的支付不计入。得分=分值×执行率（最高为分值）。执行率达到目标值（未填时为90%）即为达成。"),
    (S.Method.SATISFACTION, "满意度=满意人数（口径为“满意+基本满意”时加上基本满意人数）÷有效样本。三级指标名称含有某个调查对象"
        "（如“村级管水员满意度”含“村级管水员”）时，只按该调查对象的行计算；不含任何调查对象时，按全部调查对象"
        "合计（报告中说明为合并统计）。没有满意度调查时，以实际值填写的百分比为满意度。得分=分值×满意度。"
        "目标值（未填时为90%）只用于判断是否达成。"),
    (S.Method.TIMELINESS, "目标值、实际值填日期或年月（如 2023年9月）。实际不晚于目标得满分，否则得0分。"),
    (S.Method.POINTS, "得分=分值×要点达成数÷要点总数。要点总数留空时，按“评价要点”中①②③…的个数计算。"),
    (S.Method.QUALITATIVE, "选择定性档次：达成年度指标（分值的80%–100%）、部分达成年度指标并具有一定效果（60%–80%）、"
        "未达成年度指标且效果较差（0–60%）。“达成年度指标”且未填填报得分的得满分；其他情况须填写填报得分，"
        "且须在所选档次范围内。"),
    (S.Method.JUDGEMENT, "目标值、实际值为文字而无法按比率计算时使用（如“有效”“显著提升”）：在“达成情况”中选择达成、"
        "部分达成或未达成。达成得满分；部分达成以填报得分为得分（须大于0、小于分值）；未达成得0分"
        "（如填写填报得分，以填报得分为准，须小于分值）。"),
    (S.Method.MANUAL, "以填报得分为得分（0至分值之间），须在评分说明中写明理由。"),
    (S.Method.NOT_APPLICABLE, "该指标不计分；其余指标得分按比例折算为100分制，报告中会加以说明。实际值填写“不适用”或"
        "“无（……）”（如“无（没有轮换）”）的指标同样按不适用处理。"),
]

GENERAL_RULES = [
    "工作表名称和各列表头请勿修改；列的顺序可以调整，可以增加其他列和其他工作表（perfeval 不读取）。",
    "金额的单位写在表头中：（万元）或（元）。单元格中只填数字。",
    "百分比可填写为 85.98% 或 0.8598（设置为百分比格式）。日期可填写为 2023-09-15 或 2023年9月15日。",
    "每个三级指标的得分按四舍五入保留两位小数；二级、一级指标和总分为三级指标得分之和。",
    "等级：总分≥90 为“优”，80≤总分<90 为“良”，60≤总分<80 为“中”，总分<60 为“差”。",
    "填报得分：除“人工”“定性”外，perfeval 按计分方法计算得分，并与填报得分比较，不一致时给出警告。",
    "“预算明细”中到位金额留空，表示该行资金已全部到位（到位金额=预算金额）。",
    "实际支出、全年执行数和预算执行率只计评价期间内的支付；评价期间之外的支付（如次年1月支付的尾款）会被指出，"
    "并在报告中单独说明，不计入本年度执行数。",
    "偏差原因：指标未达到年度目标（未达成、部分达成，预算执行率低于90%）时须填写。已达到目标的指标，即使按比例"
    "计分（如满意度97%、执行率95%）得分略低于分值，也不是问题，不需要填写。",
    "资金来源在项目支出绩效自评表中归入三行：当年财政拨款（各级财政拨款和补助资金，如县级财政拨款、省级补助资金）、"
    "上年结转资金（含“结转”“结余”的来源）、其他资金（单位资金、自筹、财政专户管理资金等）。也可以直接填写来源名称，"
    "报告中照写，自评表按上述规则归类（perfeval check 会提示归入了哪一行）。",
    "“文字说明”中每行一段，“章节”从下拉列表选择；同一章节的多行按顺序排列。未填写的章节由 perfeval 根据数据生成文字，"
    "没有内容的章节写“无。”。",
]


def _styles():
    thin = Side(style="thin", color="999999")
    return {
        "header_font": Font(name="宋体", bold=True, size=11),
        "required_font": Font(name="宋体", bold=True, size=11, color="C00000"),
        "header_fill": PatternFill("solid", fgColor=HEADER_FILL),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "title_font": Font(name="宋体", bold=True, size=14),
        "body_font": Font(name="宋体", size=11),
    }


def _number_format(spec: S.Column) -> str | None:
    if spec.kind == S.MONEY:
        return MONEY_FORMAT if spec.unit == S.YUAN else MONEY_FORMAT + "####"
    if spec.kind == S.DATE:
        return "yyyy-mm-dd"
    if spec.kind == S.COUNT:
        return "0"
    return None


class _Lists:
    """Drop-down lists kept on a hidden sheet (inline lists are limited to 255 characters)."""

    def __init__(self, wb):
        self.ws = wb.create_sheet(LISTS_SHEET)
        self.ws.sheet_state = "hidden"
        self.refs: dict[str, str] = {}

    def ref(self, enum, title: str) -> str:
        name = enum.__name__
        if name not in self.refs:
            col = len(self.refs) + 1
            labels = enum.labels()
            self.ws.cell(1, col, title)
            self.ws.column_dimensions[get_column_letter(col)].width = 20
            for i, label in enumerate(labels, start=2):
                self.ws.cell(i, col, label)
            letter = get_column_letter(col)
            self.refs[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
        return self.refs[name]


def _validation(spec: S.Column, lists: _Lists):
    dv = None
    if spec.kind == S.CHOICE:
        dv = DataValidation(type="list", formula1=lists.ref(spec.choices, spec.name), allow_blank=True)
        dv.error = "请从下拉列表中选择：" + "、".join(spec.choices.labels())[:200]
        dv.errorTitle = "无效的选项"
        dv.showErrorMessage = True
    elif spec.kind in (S.MONEY, S.NUMBER):
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = f"“{spec.header}”应填写不小于0的数字。"
    elif spec.kind == S.COUNT:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = f"“{spec.header}”应填写非负整数。"
    elif spec.kind == S.DATE:
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
        dv.error = f"“{spec.header}”应填写日期，如 2023-09-15。"
    elif spec.prompt:
        dv = DataValidation(allow_blank=True)
    if dv is None:
        return None
    if spec.kind != S.CHOICE:
        dv.errorStyle = "warning"     # a hint, not a lock: perfeval reads text numbers too
        dv.errorTitle = "请检查填写内容"
        dv.showErrorMessage = True
    if spec.prompt:
        dv.promptTitle = spec.name[:32]
        dv.prompt = spec.prompt[:255]
        dv.showInputMessage = True
    return dv


def _write_info(wb, st, lists, values: dict):
    ws = wb.create_sheet(S.INFO_SHEET)
    ws.append([S.INFO_KEY_HEADER, S.INFO_VALUE_HEADER, "填写说明"])
    for cell in ws[1]:
        cell.font, cell.fill, cell.border, cell.alignment = (
            st["header_font"], st["header_fill"], st["border"], st["center"])
    for i, spec in enumerate(S.INFO_FIELDS, start=2):
        note = ("必填。" if spec.required else "选填。") + (spec.prompt or "")
        if spec.choices:
            note += "（下拉选择：" + "、".join(spec.choices.labels()) + "）"
        value = values.get(spec.name, values.get(spec.header))
        ws.cell(i, 1, spec.header).font = st["required_font"] if spec.required else st["header_font"]
        b = ws.cell(i, 2, as_number(value))
        b.alignment = st["wrap"]
        if _number_format(spec):
            b.number_format = _number_format(spec)
        ws.cell(i, 3, note).alignment = st["wrap"]
        for c in range(1, 4):
            ws.cell(i, c).border = st["border"]
        dv = _validation(spec, lists)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"B{i}")
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 60
    ws.freeze_panes = "A2"
    print_on_a4(ws)


def _write_table(wb, st, lists, sheet: S.Sheet, rows: list[dict]):
    ws = wb.create_sheet(sheet.name)
    ws.append([c.header for c in sheet.columns])
    for j, spec in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, j)
        cell.font = st["required_font"] if spec.required else st["header_font"]
        cell.fill, cell.border, cell.alignment = st["header_fill"], st["border"], st["center"]
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = spec.width
        dv = _validation(spec, lists)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{DATA_ROWS}")
    for i, row in enumerate(rows, start=2):
        for j, spec in enumerate(sheet.columns, start=1):
            value = row.get(spec.name, row.get(spec.header))
            if value is None:
                continue
            cell = ws.cell(i, j, as_number(value))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"        # typed text such as "=100%", not a formula
            fmt = _number_format(spec)
            if fmt:
                cell.number_format = fmt
            if spec.kind == S.TEXT:
                cell.alignment = st["wrap"]
    ws.freeze_panes = "A2"
    print_on_a4(ws)


# The 填表说明 sheet: column widths (Excel units: the width of a digit of the default font, 7 pixels)
# and what fits in them, in characters of 11-point 宋体 (a Chinese character is 11 points, 14.7 pixels).
INSTRUCTION_WIDTHS = (22, 110)
LINE_HEIGHT = 15.0       # points, a line of 11-point 宋体 as Excel, WPS and LibreOffice set it


def _text_lines(text: str, width_units: float) -> int:
    """Lines that ``text`` wraps to in a column ``width_units`` wide (a little less is assumed to
    fit, as the programs differ by a few pixels)."""
    room = (width_units * 7 + 5 - 10) / 14.7          # Chinese characters a line holds
    lines = 0
    for part in str(text).split("\n"):
        chars = sum(1.0 if ord(ch) >= 0x2E80 or ch in "“”‘’—…≥≤" else 0.55 for ch in part)
        lines += max(1, -(-int(chars * 100) // int(room * 100)))
    return lines


def _write_instructions(wb, st):
    ws = wb.create_sheet(S.INSTRUCTIONS_SHEET, 0)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = INSTRUCTION_WIDTHS
    ws.append([f"项目支出绩效评价标准工作簿（模板版本 {S.TEMPLATE_VERSION}）"])
    ws["A1"].font = st["title_font"]
    ws.append(["填写后运行 perfeval check 检查、perfeval build 生成评价报告。红色表头为必填列。"])

    def section(title):
        ws.append([])
        ws.append([title])
        ws.cell(ws.max_row, 1).font = st["title_font"]

    def line(a, b):
        ws.append([a, b])
        row = ws.max_row
        ws.cell(row, 1).font = st["header_font"]
        ws.cell(row, 1).alignment = st["wrap"]
        ws.cell(row, 2).alignment = st["wrap"]
        # the height that shows the whole wrapped text (LibreOffice keeps a row at one line otherwise)
        lines = max(_text_lines(a, INSTRUCTION_WIDTHS[0]), _text_lines(b, INSTRUCTION_WIDTHS[1]))
        ws.row_dimensions[row].height = min(409, lines * LINE_HEIGHT + 3)

    section("一、通用规则")
    for i, rule in enumerate(GENERAL_RULES, start=1):
        line(f"{i}.", rule)
    section("二、各工作表")
    line(S.INFO_SHEET, S.INFO_PURPOSE + "字段：" + "、".join(
        f.header + ("（必填）" if f.required else "") for f in S.INFO_FIELDS) + "。")
    for sheet in S.TABLE_SHEETS:
        cols = "、".join(c.header + ("（必填）" if c.required else "") for c in sheet.columns)
        line(sheet.name, f"{sheet.purpose}{'' if sheet.required else '（本表可不填）'}列：{cols}。")
    section("三、计分方法")
    for method, rule in METHOD_RULES:
        line(method.value, rule)
    section("四、下拉选项")
    for spec in list(S.INFO_FIELDS) + [c for s in S.TABLE_SHEETS for c in s.columns]:
        if spec.choices and spec.key != "slot":
            line(spec.header, "、".join(spec.choices.labels()))
    line("章节（文字说明）", "、".join(S.NARRATIVE_SLOTS))
    print_on_a4(ws, landscape=False, title_rows=None)


def build_workbook(data: dict | None = None):
    """The standard workbook as an openpyxl Workbook; ``data`` fills it (see module doc)."""
    data = data or {}
    wb = Workbook()
    wb.remove(wb.active)
    st = _styles()
    lists = _Lists(wb)
    _write_info(wb, st, lists, data.get(S.INFO_SHEET, {}))
    for sheet in S.TABLE_SHEETS:
        _write_table(wb, st, lists, sheet, data.get(sheet.name, []))
    _write_instructions(wb, st)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.active = 1   # 项目信息
    # Fixed metadata keeps the written file identical from run to run.
    wb.properties.creator = "perfeval"
    wb.properties.title = "项目支出绩效评价标准工作簿"
    wb.properties.keywords = f"perfeval-template-v{S.TEMPLATE_VERSION}"
    fixed = dt.datetime(2024, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    return wb


def write_workbook(path, data: dict | None = None) -> Path:
    path = Path(path)
    wb = build_workbook(data)
    return xlsxsafe.save(wb, path)
