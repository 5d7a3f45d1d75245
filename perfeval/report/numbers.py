"""How figures are written in the report. Rounding is half-up, once, here at the page."""
from __future__ import annotations

from decimal import Decimal

from ..values import round_half_up

CN_DIGITS = "零一二三四五六七八九"


def money(value: Decimal | None) -> str:
    """万元, two decimals: 631.105 -> '631.11'."""
    return "—" if value is None else f"{round_half_up(value, 2):,.2f}"


def yuan(value: Decimal | None) -> str:
    return "—" if value is None else f"{round_half_up(value, 2):,.2f}"


def score(value: Decimal | None) -> str:
    """A score in a table column: always two decimals, so the column lines up."""
    return "—" if value is None else f"{round_half_up(value, 2):.2f}"


def plain(value: Decimal | None, places: int = 2) -> str:
    """A figure inside a sentence: rounded, without trailing zeros (98.80 -> 98.8, 20.00 -> 20)."""
    if value is None:
        return "—"
    d = round_half_up(Decimal(value), places)
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def percent(rate: Decimal | None) -> str:
    """A fraction as a percentage with two decimals: 0.859816 -> '85.98%'."""
    return "—" if rate is None else f"{round_half_up(rate * 100, 2):.2f}%"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (enough for any outline)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """Chinese heading numbering: 一、 → （一） → 1. → （1）."""
    return {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]
