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


def fill_in(wb, formulas_wb) -> tuple[list[tuple[str, int, int, str, object]], dict[tuple[str, int, int], str]]:
    """The formulas of a workbook (``formulas_wb``, read for its formulas) whose result the same
    workbook read for its values (``wb``) lacks: each computed where simple, its value put into
    ``wb``, as (sheet, row, column, formula, value); the others by (sheet, row, column) -> formula."""
    done, problems = [], {}
    for fws in formulas_wb.worksheets:
        ws = wb[fws.title]
        pending = {}
        for row in fws.iter_rows():
            for cell in row:
                text = getattr(cell.value, "text", cell.value)
                if cell.data_type == "f" and isinstance(text, str) and ws[cell.coordinate].value is None:
                    pending[cell.coordinate] = (text, cell.row, cell.column)
        values: dict[str, object] = {}

        def value_of(coord, depth=0):
            if coord in values:
                return values[coord]
            if coord in pending:
                if depth > 50:
                    raise Unsupported(pending[coord][0])
                values[coord] = evaluate(pending[coord][0], lambda c: value_of(c, depth + 1))
                return values[coord]
            return ws[coord].value

        for coord, (text, row, col) in pending.items():
            try:
                value = value_of(coord)
            except Unsupported:
                problems[(ws.title, row, col)] = text
                continue
            ws[coord].value = value
            done.append((ws.title, row, col, text, value))
    return done, problems


def evaluate(formula: str, value_of: Callable[[str], object]) -> Decimal:
    """``value_of(coord)`` gives another cell's value (a number, None, or raises Unsupported)."""
    return _Parser(formula, value_of).result()


def _tokens(formula: str) -> list[tuple[str, str]]:
    text = formula.strip().lstrip("=").upper()
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Unsupported(formula)
        tokens.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    return tokens + [("end", "")]


_FUNCTIONS = {"SUM": lambda v: sum(v, Decimal(0)), "MIN": min, "MAX": max,
              "AVERAGE": lambda v: sum(v, Decimal(0)) / len(v)}


class _Parser:
    """Recursive descent over the tokens: expr := term (+|- term)*; term := atom (*|/ atom)*;
    atom := number | cell | FUNC(args) | (expr) | -atom | +atom."""

    def __init__(self, formula: str, value_of: Callable[[str], object]):
        self.formula, self.value_of = formula, value_of
        self.tokens, self.i = _tokens(formula), 0

    def result(self) -> Decimal:
        value = self.expr()
        if self.peek()[0] != "end":
            raise Unsupported(self.formula)
        return value

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str]:
        self.i += 1
        return self.tokens[self.i - 1]

    def number(self, v) -> Decimal:
        if v is None or v == "":
            return Decimal(0)
        if isinstance(v, bool) or not isinstance(v, (int, float, Decimal)):
            raise Unsupported(self.formula)
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)

    def args(self) -> list[Decimal]:
        out = []
        while True:
            kind, val = self.peek()
            if kind == "range":
                self.take()
                out.extend(self.number(self.value_of(c)) for c in _cells(val))
            else:
                out.append(self.expr())
            kind, val = self.take()
            if val == ")":
                return out
            if val != ",":
                raise Unsupported(self.formula)

    def atom(self) -> Decimal:
        kind, val = self.take()
        if kind == "num":
            return Decimal(val)
        if kind == "ref":
            return self.number(self.value_of(val.replace("$", "")))
        if kind == "func":
            values = self.args()
            if not values:
                raise Unsupported(self.formula)
            return _FUNCTIONS[val](values)
        if val == "(":
            v = self.expr()
            if self.take()[1] != ")":
                raise Unsupported(self.formula)
            return v
        if val in ("-", "+"):
            v = self.atom()
            return -v if val == "-" else v
        raise Unsupported(self.formula)

    def term(self) -> Decimal:
        v = self.atom()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            w = self.atom()
            try:
                v = v * w if op == "*" else v / w
            except (InvalidOperation, ZeroDivisionError):
                raise Unsupported(self.formula) from None
        return v

    def expr(self) -> Decimal:
        v = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            w = self.term()
            v = v + w if op == "+" else v - w
        return v
