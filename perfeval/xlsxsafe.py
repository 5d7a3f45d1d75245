"""Text stays text in every .xlsx perfeval writes.

A cell's text comes from people (项目名称, a file name, a 偏差原因) or from sentences made of their
words. openpyxl stores a string that begins with ``=`` as a live formula, and Excel and WPS read
one that begins with ``+``, ``-``, ``@``, a tab or a carriage return as a formula as soon as the
cell is edited (or the sheet is saved as CSV): ``=HYPERLINK("http://…")`` in a 项目名称 would
become a link in 汇总表. Every string written here is stored as a string (data type ``s``) and,
where it begins with one of those characters, marked ``quotePrefix`` (what Excel does when one
types a leading apostrophe), so that it stays text when edited too.

Use::

    from perfeval import xlsxsafe
    xlsxsafe.put(ws, row, col, value)      # ws.cell(row, col, value), text kept as text
    xlsxsafe.append(ws, values)            # ws.append(values), the same
    xlsxsafe.save(wb, path)                # every cell of every sheet made safe, then written
                                           # whole or not at all (files.save_atomic)
    xlsxsafe.save(wb, path, sheets=[ws])   # only the sheets we wrote (a user's own workbook
                                           # keeps its formulas)

``save`` is the one way an .xlsx leaves perfeval: it sweeps the sheets it is given, so a cell
written some other way is caught there as well.
"""
from __future__ import annotations

import io
from pathlib import Path

from . import files

# What makes a spreadsheet program take a cell's text for a formula (OWASP "CSV injection").
RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r")


def risky(value) -> bool:
    """A string that a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(RISKY_FIRST)


def keep_text(cell):
    """Make ``cell`` hold its string as text: data type ``s`` and, for a risky string, quotePrefix.
    Numbers, dates and empty cells are left as they are. Returns the cell."""
    value = cell.value
    if isinstance(value, str):
        if cell.data_type == "f" or value.startswith("="):
            cell.data_type = "s"
        if value.startswith(RISKY_FIRST) and not cell.quotePrefix:
            cell.quotePrefix = True
    return cell


def put(ws, row: int, col: int, value=None):
    """``ws.cell(row, col, value)`` with text kept as text."""
    return keep_text(ws.cell(row, col, value))


def append(ws, values) -> None:
    """``ws.append(values)`` with text kept as text."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        keep_text(cell)


def sweep(ws) -> None:
    """Every cell of a sheet we wrote ourselves: text kept as text."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                keep_text(cell)


def to_bytes(wb, sheets=None) -> bytes:
    """The workbook as the bytes of an .xlsx, with ``sheets`` (default: all) swept first."""
    for ws in (wb.worksheets if sheets is None else sheets):
        sweep(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def save(wb, path, sheets=None) -> Path:
    """Write ``wb`` to ``path`` whole or not at all, every string of ``sheets`` (default: all) kept
    as text. The workbook is made in memory first, so a full disk never leaves a half-written
    archive behind (nor a zip file that complains when it is collected). Raises files.OutputError."""
    return files.save_atomic(path, to_bytes(wb, sheets))
