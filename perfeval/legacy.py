"""The old binary formats units still send: Excel 97–2003 (.xls) and WPS 表格 (.et), both BIFF8 in an
OLE2 compound file. Read with xlrd (values, number formats and merged cells) into an in-memory
openpyxl workbook, so that the standard-workbook reader, the 自评表 reader and the annotated copy
work on it exactly as on an .xlsx: labels found by their text, merged cells spread, a percentage
cell read as a percentage, findings at the file's own cells.

xlrd, not python-calamine: both read .xls merged cells and are kept up, and calamine is faster,
but only xlrd gives each cell's number format; without it a 完成值 of 0.98 shown as "98%" would
be read as 0.98 and scored against a target of "≥95%" as 1% of it. xlrd is imported where an
.xls/.et is read, not with this module: checking an .xlsx never loads it (a cold start pays for what
it uses).
"""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from .errors import LegacyError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_BYTES = 50 * 1024 * 1024          # an .xls holds at most 65,536 rows; a real form is some 30 KB
KINDS = {".xls": "旧版 Excel（.xls）文件", ".et": "WPS 表格（.et）文件"}


def is_compound(head: bytes) -> bool:
    return head.startswith(OLE2[:4])


def _streams(data: bytes) -> set[str]:
    """The names of the compound file's streams (lower case); none for a damaged file."""
    from xlrd.compdoc import CompDoc
    try:
        return {d.name.lower() for d in CompDoc(data, logfile=io.StringIO()).dirlist}
    except Exception:  # noqa: BLE001 - a damaged file, whatever xlrd raises for it
        return set()


def _refuse(name: str, suffix: str, streams: set[str]) -> None:
    """Say what a compound file that holds no readable workbook is."""
    kind = KINDS.get(suffix, " Office 复合文档格式的文件（旧版 .xls 或加密的工作簿）")
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        raise LegacyError(f"{name}：工作簿设置了打开密码（文件已加密），perfeval 无法读取。请在 Excel 或 WPS 中打开，"
                          "在“文件—信息—保护工作簿”（WPS：“文件—文档加密”）中取消密码，保存后再试。")
    if not streams:
        raise LegacyError(f"{name}：这是{kind}，但文件已损坏或不完整（可能没有下载或复制完整），无法读取。"
                          "请向报送单位索取完整的文件，或用 Excel/WPS 打开修复后另存为 .xlsx。")
    if "worddocument" in streams:
        raise LegacyError(f"{name}：这是改了扩展名的 Word 文档（.doc），不是 Excel 工作簿。")
    if "workbook" not in streams and "book" not in streams:
        raise LegacyError(f"{name}：这是 Office 复合文件，但其中没有 Excel 工作簿（可能是其他程序的文件改了扩展名）。")


def open_legacy(path: Path):
    """The .xls/.et at ``path`` as an openpyxl Workbook (values, number formats, merged cells,
    column widths and row heights), or raise LegacyError."""
    import xlrd
    name, suffix = path.name, path.suffix.lower()
    if path.stat().st_size > MAX_BYTES:
        raise LegacyError(f"{name}：文件达 {path.stat().st_size // (1024 * 1024)} MB，远超任何项目的正常规模，已拒绝读取。")
    data = path.read_bytes()
    streams = _streams(data)
    if "workbook" not in streams and "book" not in streams:
        _refuse(name, suffix, streams)
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise LegacyError(f"{name}：工作簿设置了打开密码（文件已加密），perfeval 无法读取。请在 Excel 或 WPS 中打开，"
                              "取消密码并保存后再试。") from None
        raise LegacyError(f"{name}：无法读取{KINDS.get(suffix, '工作簿')}，文件可能已损坏，或不是 Excel 97–2003 格式。"
                          "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。") from None
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds on a damaged file
        raise LegacyError(f"{name}：无法读取{KINDS.get(suffix, '工作簿')}（{type(exc).__name__}），文件可能已损坏。"
                          "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。") from None
    try:
        return _as_openpyxl(book)
    finally:
        book.release_resources()


def _as_openpyxl(book):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets():
        ws = wb.create_sheet(_title(sheet.name, wb))
        if sheet.visibility:
            ws.sheet_state = "hidden" if sheet.visibility == 1 else "veryHidden"
        _copy_cells(book, sheet, ws)
        for rlo, rhi, clo, chi in sheet.merged_cells:
            if rhi - rlo > 1 or chi - clo > 1:
                ws.merge_cells(start_row=rlo + 1, start_column=clo + 1, end_row=rhi, end_column=chi)
        _copy_sizes(sheet, ws)
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    return wb


def _title(name: str, wb) -> str:
    """The sheet's name as openpyxl takes it (the same rules as Excel's, so almost always unchanged)."""
    title = "".join("_" if ch in "\\/?*[]:" else ch for ch in str(name))[:31] or "Sheet"
    base, k = title, 2
    while title in wb.sheetnames:
        title, k = f"{base[:28]}({k})", k + 1
    return title


def _copy_cells(book, sheet, ws) -> None:
    import xlrd
    formats = book.format_map
    for r in range(sheet.nrows):
        for c in range(sheet.row_len(r)):
            cell = sheet.cell(r, c)
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
            fmt = formats.get(xf.format_key) if xf is not None else None
            target = ws.cell(r + 1, c + 1, _value(cell, book.datemode))
            if fmt is not None and fmt.format_str and fmt.format_str != "General":
                target.number_format = fmt.format_str


def _value(cell, datemode):
    """A cell's value as openpyxl gives it from an .xlsx: whole numbers as int, dates as datetime
    (a time of day as time), errors as their text."""
    import xlrd
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#N/A")
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell.value
        return moment.time() if cell.value < 1 else moment
    value = cell.value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    return value


def _copy_sizes(sheet, ws) -> None:
    """Column widths and row heights, so that the annotated copy reads like the original."""
    for c, info in sheet.colinfo_map.items():
        if info.width:
            ws.column_dimensions[get_column_letter(c + 1)].width = round(info.width / 256, 2)
    for r, info in sheet.rowinfo_map.items():
        if info.height and not info.has_default_height:
            ws.row_dimensions[r + 1].height = info.height / 20


def load_editable(path: Path):
    """A workbook to write a copy of: an .xlsx with its formulas, styles and drop-downs as they are;
    an .xls/.et as read here (its copy is then an .xlsx)."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
        if not is_compound(head):
            fh.seek(0)
            return openpyxl.load_workbook(fh)
    return open_legacy(path)
