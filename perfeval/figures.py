"""How figures are written: in the report, in messages, in the JSON and in 汇总表.

Rounding is half-up, once, here, where a figure is written. One thousands-separator rule: an
amount of money has separators wherever it is written — table cells (``money``, ``yuan``), the
report's sentences and ``check``'s messages (``wan``, ``yuan_text``) — so that one amount looks the
same everywhere; other figures (scores, counts, rates: ``plain``) have none. The checks of the
evaluator's text read figures with or without separators.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from .schema import WANYUAN, YUAN

DASH = "—"        # a figure that is not there
CN_DIGITS = "零一二三四五六七八九"


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- table cells
def money(value: Decimal | None) -> str:
    """An amount in a table cell, two decimals with separators: 1234.5 -> '1,234.50'."""
    return DASH if value is None else f"{round_half_up(value, 2):,.2f}"


yuan = money


def score(value: Decimal | None) -> str:
    """A score in a table column: always two decimals, so the column lines up."""
    return DASH if value is None else f"{round_half_up(value, 2):.2f}"


def percent(rate: Decimal | None, places: int = 2) -> str:
    """A fraction as a percentage with fixed decimals: 0.859816 -> '85.98%'."""
    return DASH if rate is None else f"{round_half_up(Decimal(rate) * 100, places):.{places}f}%"


# ---------------------------------------------------------------- in a sentence
def plain(value: Decimal | None, places: int = 2) -> str:
    """A figure inside a sentence: rounded, without trailing zeros (98.80 -> 98.8, 20.00 -> 20)."""
    if value is None:
        return DASH
    text = f"{round_half_up(Decimal(value), places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def wan(value: Decimal) -> str:
    """万元 in a sentence or a message, two decimals: '734.00万元', '1,234.50万元'."""
    return f"{round_half_up(value, 2):,.2f}{WANYUAN}"


def yuan_text(value: Decimal) -> str:
    """元 in a sentence or a message, two decimals: '57,600.00元'."""
    return f"{round_half_up(value, 2):,.2f}{YUAN}"


def number(value: Decimal | None) -> str:
    """A figure exactly as held, without exponent or trailing zeros: 4 -> '4', 0.950 -> '0.95'."""
    if value is None:
        return ""
    d = Decimal(value)
    d = d.normalize() if d == d.to_integral_value() else d
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def date(d) -> str:
    """2023年9月15日; a YearMonth as 2023年9月; DASH for none."""
    if d is None:
        return DASH
    if isinstance(d, dt.datetime):
        d = d.date()
    if isinstance(d, dt.date):
        return f"{d.year}年{d.month}月{d.day}日"
    return str(d)


def measure(m, unit: str = "") -> str:
    """目标值/实际值 as the report shows it: the number as typed plus the 单位 column
    (a written operator is the caller's to add)."""
    if m is None:
        return ""
    if m.when is not None:
        return date(m.when)
    if m.number is not None:
        n = m.number.normalize() if m.number == m.number.to_integral_value() else m.number
        return f"{n:f}{m.unit or unit}"
    return m.text


# ---------------------------------------------------------------- for machines
def as_number(value):
    """A Decimal as a plain number for the JSON and for Excel cells (int when whole); other
    values unchanged."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# ---------------------------------------------------------------- headings
def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (enough for any outline)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
