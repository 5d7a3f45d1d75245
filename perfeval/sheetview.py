"""A sheet of a workbook as Excel shows it, for the web page: column letters, the rows the sheet
keeps frozen at the top, and each value in its cell's number format (a date as 2023/1/1 or
2023年1月1日, not 2023-01-01 00:00:00; an amount as 1,234.50)."""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl.utils import column_index_from_string, get_column_letter

from .reader import open_workbook

ROWS_SHOWN = 200        # rows around the cell asked for
MAX_COLUMNS = 60

# Excel's built-in date formats as a Chinese Excel or WPS shows them (openpyxl names them in
# their American spelling).
_LOCAL_FORMATS = {"mm-dd-yy": "yyyy/m/d", "m/d/yy h:mm": "yyyy/m/d h:mm", "d-mmm-yy": "yyyy/m/d",
                  "d-mmm": "m月d日", "mmm-yy": "yyyy年m月", "h:mm AM/PM": "AM/PMh:mm",
                  "h:mm:ss AM/PM": "AM/PMh:mm:ss"}
_WEEKDAYS = "一二三四五六日"


def _address(cell: str) -> tuple[int, int]:
    """(row, column) of "D7", "7:7" or "D:D" (0 where the reference has none)."""
    m = re.fullmatch(r"\$?([A-Z]{1,3})?\$?(\d+)?(?::.*)?", (cell or "").upper())
    if not m:
        return 0, 0
    col = column_index_from_string(m.group(1)) if m.group(1) else 0
    return int(m.group(2) or 0), col


def sheet_view(path: Path, sheet: str, cell: str = "") -> dict:
    """The values of ``sheet`` around ``cell``: {"列": letters, "冻结": the rows kept at the top,
    "行": the other rows, each [row number, [values…]], "单元格": [row, column] of the cell}."""

    wb = open_workbook(Path(path))
    try:
        ws = next((w for w in wb.worksheets if w.title == sheet), None)
        if ws is None:
            return {"列": [], "冻结": [], "行": [], "单元格": [0, 0]}
        row, col = _address(cell)
        frozen = _address(ws.freeze_panes)[0] - 1 if ws.freeze_panes else 0
        width = min(max(ws.max_column, col), max(MAX_COLUMNS, col))
        first = max(frozen + 1, row - ROWS_SHOWN // 2) if row else frozen + 1
        last = min(max(ws.max_row, row), first + ROWS_SHOWN - 1)

        def values(r: int) -> list:
            return [r, [display(ws.cell(r, c)) for c in range(1, width + 1)]]
        return {"列": [get_column_letter(c) for c in range(1, width + 1)],
                "冻结": [values(r) for r in range(1, min(frozen, ws.max_row) + 1)],
                "行": [values(r) for r in range(first, last + 1)],
                "单元格": [row, col]}
    finally:
        wb.close()


def display(cell) -> str:
    """A cell's value as Excel shows it."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    fmt = cell.number_format or "General"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return format_date(value, fmt)
    if isinstance(value, (int, float)):
        return format_number(value, fmt)
    return str(value)


def _sections(fmt: str, value: float) -> str:
    parts = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', fmt)
    if value < 0 and len(parts) > 1:
        return parts[1]
    if value == 0 and len(parts) > 2:
        return parts[2]
    return parts[0]


def _tokens(fmt: str):
    """(kind, text) pieces of one section: "lit" for literal text, "code" for format codes."""
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            j = fmt.find('"', i + 1)
            j = len(fmt) if j < 0 else j
            yield "lit", fmt[i + 1:j]
            i = j + 1
        elif ch == "\\" and i + 1 < len(fmt):
            yield "lit", fmt[i + 1]
            i += 2
        elif ch == "[":
            j = fmt.find("]", i)
            j = len(fmt) if j < 0 else j
            inner = fmt[i + 1:j]
            m = re.fullmatch(r"\$([^-\]]*)(?:-[0-9A-Fa-f]+)?", inner)
            if m and m.group(1):
                yield "lit", m.group(1)            # a currency sign such as [$¥-804]
            i = j + 1                              # colours, conditions, locales: not shown
        elif ch == "_" and i + 1 < len(fmt):
            yield "lit", " "
            i += 2
        elif ch == "*" and i + 1 < len(fmt):
            i += 2
        else:
            yield "code", ch
            i += 1


def format_number(value: float, fmt: str) -> str:
    if fmt == "General" or "@" in fmt:
        return _general(value)
    section = _sections(fmt, value)
    code = "".join(t for kind, t in _tokens(section) if kind == "code")
    if not re.search(r"[0#?]", code) or re.search(r"[Ee][+-]", code):
        return _general(value)
    if len(re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', fmt)) > 1 and value < 0:
        value = -value                              # the negative section writes its own sign
    if "%" in code:
        value *= 100
    number = code[re.search(r"[0#?]", code).start():]
    decimals = len(re.match(r"[^.]*\.?([0#?]*)", number).group(1)) if "." in number else 0
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}" if "," in number.split(".")[0] else f"{rounded:.{decimals}f}"
    out, placed = [], False
    for kind, t in _tokens(section):
        if kind == "lit":
            out.append(t)
        elif t in "0#?,.":
            if not placed:
                out.append(text)
                placed = True
        else:
            out.append(t)
    return "".join(out)


def _general(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10g}"
    return text


def format_date(value, fmt: str) -> str:
    fmt = _LOCAL_FORMATS.get(fmt, fmt)
    if fmt == "General" or not re.search(r"[ydhsm]", fmt, re.I):
        fmt = "yyyy/m/d h:mm" if isinstance(value, dt.datetime) and value.time() != dt.time() else "yyyy/m/d"
        if isinstance(value, dt.time):
            fmt = "h:mm:ss"
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1900, 1, 1), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    section = _sections(fmt, 1)
    pieces = list(_tokens(section))
    codes = "".join(t.lower() if k == "code" else "\0" * len(t) for k, t in pieces)
    twelve = "am/pm" in codes
    out, i = [], 0
    lits = iter(t for k, t in pieces if k == "lit")
    last_was_hour = False
    while i < len(codes):
        ch = codes[i]
        if ch == "\0":
            lit = next(lits)
            out.append(lit)
            i += len(lit)
            continue
        run = len(re.match(rf"{re.escape(ch)}+", codes[i:]).group(0))
        if ch == "y":
            out.append(f"{value.year:04d}" if run > 2 else f"{value.year % 100:02d}")
        elif ch == "m":
            minutes = last_was_hour or re.match(r"[^a-z]*s", codes[i + run:]) is not None
            if minutes and run <= 2:
                out.append(f"{value.minute:0{run}d}")
            elif run >= 3:
                out.append(f"{value.month}月")
            else:
                out.append(f"{value.month:0{run}d}")
        elif ch == "d":
            out.append(f"星期{_WEEKDAYS[value.weekday()]}" if run >= 3 else f"{value.day:0{run}d}")
        elif ch == "h":
            hour = value.hour % 12 or 12 if twelve else value.hour
            out.append(f"{hour:0{min(run, 2)}d}")
        elif ch == "s":
            out.append(f"{value.second:0{min(run, 2)}d}")
        elif codes.startswith("am/pm", i):
            out.append("上午" if value.hour < 12 else "下午")
            run = 5
        elif ch == "e":
            out.append(str(value.year))
        else:
            out.append(ch * run)                   # a separator such as "/", ":", "-" or " "
        if ch != " ":
            last_was_hour = ch == "h" or (last_was_hour and ch in ":")
        i += run
    return "".join(out)
