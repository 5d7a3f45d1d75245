"""The few formulas perfeval computes itself when a file holds no cached result.

A workbook written by a program and never saved in Excel/WPS keeps its formulas but no
values. Rather than read such a cell as blank, perfeval computes simple arithmetic over
numbers and cells of the same sheet (+ - * /, parentheses, SUM/AVERAGE/MIN/MAX over
ranges); anything else raises Unsupported and the user is asked to save the file in
Excel or WPS.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Callable

from openpyxl.utils import get_column_letter, range_boundaries

from .errors import PerfevalError

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)"
                    r"|(?P<ref>\$?[A-Z]{1,3}\$?\d+)|(?P<func>SUM|AVERAGE|MIN|MAX)\(|(?P<op>[-+*/(),]))")


class Unsupported(PerfevalError):
    """The formula is beyond what perfeval computes itself."""


def _cells(rng: str) -> list[str]:
    c1, r1, c2, r2 = range_boundaries(rng.replace("$", ""))
    return [f"{get_column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def evaluate(formula: str, value_of: Callable[[str], object]) -> Decimal:
    """``value_of(coord)`` gives another cell's value (a number, None, or raises Unsupported)."""
    text = formula.strip().lstrip("=").upper()
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Unsupported(formula)
        tokens.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    tokens.append(("end", ""))
    i = 0

    def peek():
        return tokens[i]

    def take():
        nonlocal i
        i += 1
        return tokens[i - 1]

    def number(v) -> Decimal:
        if v is None or v == "":
            return Decimal(0)
        if isinstance(v, bool) or not isinstance(v, (int, float, Decimal)):
            raise Unsupported(formula)
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)

    def args() -> list[Decimal]:
        out = []
        while True:
            kind, val = peek()
            if kind == "range":
                take()
                out.extend(number(value_of(c)) for c in _cells(val))
            else:
                out.append(expr())
            kind, val = take()
            if val == ")":
                return out
            if val != ",":
                raise Unsupported(formula)

    def atom() -> Decimal:
        kind, val = take()
        if kind == "num":
            return Decimal(val)
        if kind == "ref":
            return number(value_of(val.replace("$", "")))
        if kind == "func":
            values = args()
            if not values:
                raise Unsupported(formula)
            return {"SUM": sum(values, Decimal(0)), "MIN": min(values), "MAX": max(values),
                    "AVERAGE": sum(values, Decimal(0)) / len(values)}[val]
        if val == "(":
            v = expr()
            if take()[1] != ")":
                raise Unsupported(formula)
            return v
        if val == "-":
            return -atom()
        if val == "+":
            return atom()
        raise Unsupported(formula)

    def term() -> Decimal:
        v = atom()
        while peek()[1] in ("*", "/"):
            op = take()[1]
            w = atom()
            try:
                v = v * w if op == "*" else v / w
            except (InvalidOperation, ZeroDivisionError):
                raise Unsupported(formula) from None
        return v

    def expr() -> Decimal:
        v = term()
        while peek()[1] in ("+", "-"):
            op = take()[1]
            w = term()
            v = v + w if op == "+" else v - w
        return v

    result = expr()
    if peek()[0] != "end":
        raise Unsupported(formula)
    return result
