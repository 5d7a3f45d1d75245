"""Reading one cell's value as people type it.

Each parser takes the raw cell value (and, for a measure, whether its cell shows a
percentage) and returns a typed value, or raises ``BadValue`` with a Chinese
description of what was expected. Nothing here guesses: a value that does not
read cleanly is an error for the user to fix.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .errors import PerfevalError
from .figures import date as format_date
from .figures import measure as _measure_text
from .schema import MONEY_SHORTHAND, MONEY_UNITS, YUAN, LabelEnum, Operator
from .vocab import MEASURE_RE


class BadValue(PerfevalError, ValueError):
    """A cell that cannot be read as its kind; the message says what was expected."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def clean_text(value) -> str:
    """Text safe for a .docx: Excel's _x000D_ escapes decoded, control characters dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)      # 100.0 as typed, 100; 1e29 stays 1e+29
    if isinstance(value, (dt.datetime, dt.date)):
        value = format_date(value if isinstance(value, dt.date) else value.date())
    s = str(value)
    s = _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _CONTROL.sub("", s)
    return s.strip()


def has_hidden_characters(text: str) -> bool:
    """Control characters, or Excel's _xHHHH_ escapes of them, that clean_text removes."""
    return bool(_EXCEL_ESCAPE.search(text) or _CONTROL.search(text))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def merged_values(ws) -> dict[tuple[int, int], object]:
    """A sheet's merged cells as people see them: the value of each merged area (which the file
    keeps in its top-left cell only) in every cell of it, by (row, column)."""
    out = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                out[(r, c)] = top
    return out


# ---------------------------------------------------------------- numbers
_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# No real figure comes near this: 10^15 元 is a thousand times the budget of the whole country. A cell
# beyond it is a typing slip (or an attack), and arithmetic on it would overflow the decimal context.
MAX_FIGURE = Decimal("1e15")
TOO_LARGE = "小于1000万亿的数（此数远超任何实际金额或数量，可能多输入了数字）"
MAX_YUAN = Decimal("1e15")
TOO_MUCH = "小于1000万亿元的金额（此数远超任何实际金额，可能多输入了数字或单位有误）"


def _bounded(d: Decimal) -> Decimal:
    if not d.is_finite():
        raise BadValue("数字")
    if abs(d) >= MAX_FIGURE:
        raise BadValue(TOO_LARGE)
    return d


def _to_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise BadValue("数字")
    if isinstance(value, (int, Decimal)):
        return _bounded(Decimal(value))
    if isinstance(value, float):
        # repr gives the shortest text that round-trips: 631.105, not 631.10499999…
        return _bounded(Decimal(repr(value)))
    raise TypeError


def parse_number_text(text: str) -> tuple[Decimal, str | None]:
    """'￥1,234.50元' -> (Decimal('1234.50'), '元'); '85.98%' -> (85.98, '%')."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = s.replace("\u2212", "-").replace("−", "-")
    s = re.sub(r"[\s,，]", "", s)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    s = s.lstrip("￥¥$")
    unit = None
    for u in (*MONEY_UNITS, *MONEY_SHORTHAND, "%", "分"):
        if s.endswith(u):
            unit, s = MONEY_SHORTHAND.get(u, u), s[: -len(u)]
            break
    s = s.lstrip("￥¥")
    if not _NUM_RE.match(s):
        raise BadValue("数字")
    d = _bounded(Decimal(s))
    return (-d if negative else d), unit


def parse_number(value) -> Decimal:
    try:
        return _to_decimal(value)
    except TypeError:
        pass
    if isinstance(value, str):
        d, unit = parse_number_text(value)
        if unit not in (None, "分"):
            raise BadValue("数字（不带单位）")
        return d
    raise BadValue("数字")


def parse_money(value, unit: str) -> tuple[Decimal, str | None]:
    """An amount in the column's ``unit``; a typed 元/万元 suffix is converted.

    Returns the amount in ``unit`` and the unit that was typed in the cell, if any
    (the caller warns when it differs from the header's unit).
    """
    try:
        return _within_money(_to_decimal(value), unit), None
    except TypeError:
        pass
    except BadValue as exc:
        raise BadValue(TOO_MUCH if str(exc) == TOO_LARGE else exc) from None
    if isinstance(value, str):
        try:
            d, typed = parse_number_text(value)
        except BadValue as exc:
            raise BadValue(TOO_MUCH if str(exc) == TOO_LARGE else exc) from None
        if typed in (None, unit):
            return _within_money(d, unit), typed
        if typed in MONEY_UNITS:
            return _within_money(d * MONEY_UNITS[typed] / MONEY_UNITS[unit], unit), typed
    raise BadValue(f"金额（单位：{unit}）")


def _within_money(d: Decimal, unit: str) -> Decimal:
    if abs(d) * MONEY_UNITS.get(unit, 1) / MONEY_UNITS[YUAN] >= MAX_YUAN:
        raise BadValue(TOO_MUCH)
    return d


def parse_count(value) -> int:
    d = parse_number(value)
    if d != d.to_integral_value() or d < 0:
        raise BadValue("非负整数")
    return int(d)


def parse_year(value) -> int:
    if isinstance(value, str):
        value = value.strip().removesuffix("年度").removesuffix("年")
    d = parse_number(value)
    if d != d.to_integral_value() or not 1990 <= d <= 2100:
        raise BadValue("四位年份（如 2023）")
    return int(d)


# ---------------------------------------------------------------- dates
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


@dataclass(frozen=True, order=True)
class YearMonth:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"


# A time of day after a date ("2023-5-18 10:30", "2023年5月18日 10:30:00") is dropped.
_TIME = r"(?:[T\s]*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?" + _TIME + "$"),
    re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})" + _TIME + "$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_PATTERNS = [
    re.compile(r"^(\d{4})年(\d{1,2})月(份)?$"),
    re.compile(r"^(\d{4})[-./](\d{1,2})$"),
]


def parse_date_or_month(value):
    """A date, or a YearMonth for '2023年9月'. A serial number counts as a date, whatever its cell's
    format (openpyxl gives a date in one of the Chinese date formats, which it does not know, as
    its serial)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).date()
        raise BadValue("日期")
    if isinstance(value, str):
        s = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value).strip())
        s = re.sub(r"(?<=[\d年月日号./-])\s(?=[\d年月日号./-])", "", s) if not re.search(r"\d[:：]", s) else s
        for pat in _DATE_PATTERNS:
            m = pat.match(s)
            if m:
                try:
                    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    break
        for pat in _MONTH_PATTERNS:
            m = pat.match(s)
            if m and 1 <= int(m.group(2)) <= 12:
                return YearMonth(int(m.group(1)), int(m.group(2)))
    raise BadValue("日期（如 2023-09-15 或 2023年9月15日）")


def parse_date(value) -> dt.date:
    d = parse_date_or_month(value)
    if isinstance(d, YearMonth):
        raise BadValue("具体到日的日期（如 2023年9月15日）")
    return d


def parse_choice(value, enum: type[LabelEnum]):
    member = enum.parse(clean_text(value))
    if member is None:
        raise BadValue("以下之一：" + "、".join(enum.labels()))
    return member


# ---------------------------------------------------------------- measures
@dataclass(frozen=True)
class Measure:
    """目标值/实际值, parsed once by the reader: an optional written comparison, a number and its
    unit, or a date / year-month, or text that is none of these; ``text`` is what was typed."""
    operator: Operator | None
    number: Decimal | None
    unit: str
    when: object = None         # date or YearMonth
    text: str = ""

    def __str__(self) -> str:
        """As typed; a cell that held a number, as that number (with % where formatted as percent)."""
        return self.text or _measure_text(self)


def parse_measure(value, percent_format: bool = False) -> Measure | None:
    if is_blank(value):
        return None
    if isinstance(value, Measure):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return Measure(None, None, "", when=parse_date_or_month(value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        d = _to_decimal(value)
        if percent_format:
            return Measure(None, d * 100, "%")
        return Measure(None, d, "")
    typed = clean_text(value)         # kept as the user wrote it (spaces, full-width signs): the report quotes it
    s = unicodedata.normalize("NFKC", typed).replace(",", "").replace(" ", "")
    try:
        return Measure(None, None, "", when=parse_date_or_month(s), text=typed)
    except BadValue:
        pass
    m = MEASURE_RE.match(s)
    if m and _is_unit(m.group("unit")):
        op = Operator.parse(m.group("op")) if m.group("op") else None
        return Measure(op, _bounded(Decimal(m.group("num"))), m.group("unit"), text=typed)
    return Measure(None, None, "", text=typed)


def _is_unit(text: str) -> bool:
    """What follows a number is its unit ("万元", "%以上", "个工作日"), not a sentence that happens to
    start with a number ("48次检测全部符合GB5749-2022")."""
    bare = re.sub(r"[(（][^)）]*[)）]", "", text)       # a remark in brackets is not the unit
    return len(bare) <= 8 and not re.search(r"\d", bare)
