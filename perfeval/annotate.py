"""A copy of the workbook with every finding marked where it sits.

Each finding's cell is filled red (错误) or yellow (警告) and carries the message as a
comment; a first sheet "检查结果" lists every finding with a link to its cell. The
input workbook is only read: the copy is written to a new file, whole or not at all.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from . import xlsxsafe
from .errors import OutputError
from .findings import Finding, column_letter
from .legacy import load_editable
from .schema import NARRATIVE, Severity, normalize
from .sheetlook import HEADER_FILL, link_look, print_on_a4

RESULT_SHEET = "检查结果"
FILLS = {Severity.ERROR: "FF9999", Severity.WARNING: "FFE699", Severity.NOTE: HEADER_FILL}
RANK = [Severity.ERROR, Severity.WARNING, Severity.NOTE]
GENERATED_MARK = "【自动生成，请审阅】"


def _target_cells(ws, f: Finding) -> list[str]:
    """The cells a finding covers: its cell (B9); for a whole row the row's filled cells (the header
    row's names); for a whole column its head."""
    if f.row and f.letter:
        return [f.cell]
    if f.row:
        return [c.coordinate for c in ws[f.row] if c.value is not None] or [f"A{f.row}"]
    if f.letter:
        return [f"{f.letter}1"]
    return []


def write_annotated(source: Path, findings: list[Finding], target: Path, drafts: dict | None = None) -> Path:
    """``drafts``: the generated text of the chapters left empty ({NarrativeSlot: paragraphs}); they are added
    to 文字说明 as rows of their own, marked, for the evaluator to review, edit or delete."""
    source, target = Path(source), Path(target)
    if target.resolve() == source.resolve():
        raise OutputError(target, reason="标注副本不能覆盖原工作簿，请换一个文件名")
    wb = load_editable(source)          # an .xlsx's formulas, styles and drop-downs are kept as they are
    sheets = {normalize(ws.title): ws for ws in wb.worksheets}
    _mark(wb, sheets, findings)
    ours = _add_drafts(wb, sheets, drafts) if drafts else []    # every string in the sheets written here is text
    ours.append(_results(wb, sheets, findings))
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    xlsxsafe.save(wb, target, sheets=ours)
    return target


def _mark(wb, sheets: dict, findings: list[Finding]) -> None:
    """Each finding's cells filled in its severity's colour (the worst where several meet), with the
    messages as a comment."""
    notes: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        ws = sheets.get(normalize(f.sheet))
        if ws is None:
            continue
        for coord in _target_cells(ws, f):
            notes.setdefault((ws.title, coord), []).append(f)
    for (title, coord), items in notes.items():
        cell = wb[title][coord]
        worst = min((f.severity for f in items), key=RANK.index)
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        text = "\n".join(f"【{f.severity.value}】{f.message}" for f in items)
        comment = Comment(text, "perfeval")
        comment.width, comment.height = 360, min(400, 60 + 18 * len(text) // 24)
        cell.comment = comment


def _results(wb, sheets: dict, findings: list[Finding]):
    """The first sheet, 检查结果: every finding, a link to its cell, printable on A4."""
    ws = wb.create_sheet(RESULT_SHEET, 0)
    ws.append(["级别", "工作表", "单元格", "说明"])
    for c in ws[1]:
        c.font = Font(bold=True)
    for f in findings:
        ws.append([f.severity.value, f.sheet, f.cell or "", f.message])
        row = ws.max_row
        ws.cell(row, 1).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        ws.cell(row, 4).alignment = Alignment(wrap_text=True, vertical="top")
        linked = sheets.get(normalize(f.sheet))
        cells = _target_cells(linked, f) if linked is not None else []
        if cells:
            link = ws.cell(row, 3)
            # An internal link (location, no file target): Excel, WPS and Calc jump to the cell.
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{linked.title}'!{cells[0]}")
            link_look(link)
    if not findings:
        ws.append(["", "", "", "没有发现问题。"])
    for letter, width in zip("ABCD", (8, 14, 10, 90)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    print_on_a4(ws, margins=0.5)
    ws.auto_filter.ref = f"A1:D{ws.max_row}"
    return ws


def _add_drafts(wb, sheets, drafts) -> list:
    """The drafts as rows of 文字说明 (each cell kept as text: a draft quotes the 项目名称); returns
    the sheet when it was made here."""
    ws = sheets.get(normalize(NARRATIVE.name))
    made = []
    if ws is None:
        ws = wb.create_sheet(NARRATIVE.name)
        ws.append([c.header for c in NARRATIVE.columns])
        made.append(ws)
    columns = {normalize(c.value): c.column for c in ws[1] if c.value}
    slot_col = columns.get(normalize(NARRATIVE.column("slot").header), 1)
    text_col = columns.get(normalize(NARRATIVE.column("text").header), 2)
    fill = PatternFill("solid", fgColor=FILLS[Severity.NOTE])
    row = max((c.row for c in ws[column_letter(slot_col)] if c.value not in (None, "")), default=1) + 1
    for slot, paragraphs in drafts.items():
        for text in paragraphs:
            xlsxsafe.put(ws, row, slot_col, slot.value).fill = fill
            cell = xlsxsafe.put(ws, row, text_col, text)
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.comment = Comment(f"{GENERATED_MARK}“文字说明”中没有“{slot.value}”的内容，报告将使用这段自动生成的文字。"
                                   "请审阅：保留此行则报告使用它（可修改），删除此行则报告重新生成。", "perfeval")
            row += 1
    return made
