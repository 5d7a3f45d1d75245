"""A corpus of bad inputs: the two example workbooks, mutated one way at a time.

Every required field blanked, every typed cell given a wrong type, out-of-range values,
sheets removed or renamed, headers renamed, rows duplicated. Each case says what a user
must be told: the exit code and, where there is one, the sheet and cell of the problem.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from openpyxl.utils import get_column_letter

from perfeval import schema as S

from conftest import SEED000_XLSX, SEED004_XLSX

BASES = {"000": SEED000_XLSX, "004": SEED004_XLSX}
WRONG = {S.MONEY: "一百万", S.NUMBER: "五分", S.COUNT: "很多", S.DATE: "下个月", S.YEAR: "今年",
         S.CHOICE: "其他选项"}


@dataclass
class Case:
    name: str
    base: str
    mutate: Callable            # (openpyxl Workbook) -> None
    exit_code: int | None = 1   # None: 0 or 1 (the mutation may leave a usable workbook)
    sheet: str | None = None    # where the message must point
    cell: str | None = None


def _info_row(wb, name):
    ws = wb[S.INFO_SHEET]
    for row in range(1, ws.max_row + 1):
        if S.split_header(ws.cell(row, 1).value)[0] == name:
            return row
    raise KeyError(name)


def _column(ws, header):
    for cell in ws[1]:
        if S.split_header(cell.value)[0] == header:
            return cell.column
    raise KeyError(header)


def _set(sheet, cell, value):
    def mutate(wb):
        wb[sheet][cell] = value
    return mutate


def cases() -> list[Case]:
    import openpyxl
    out: list[Case] = []
    for key, path in BASES.items():
        wb = openpyxl.load_workbook(path)
        # 项目信息: blank each required field; a wrong type in each typed field
        for spec in S.INFO_FIELDS:
            row = _info_row(wb, spec.name)
            if spec.required:
                out.append(Case(f"{key}-项目信息-{spec.name}-空", key, _set(S.INFO_SHEET, f"B{row}", None),
                                sheet=S.INFO_SHEET, cell=f"B{row}"))
            if spec.kind in WRONG:
                out.append(Case(f"{key}-项目信息-{spec.name}-类型", key,
                                _set(S.INFO_SHEET, f"B{row}", WRONG[spec.kind]), sheet=S.INFO_SHEET, cell=f"B{row}"))
            filled = wb[S.INFO_SHEET].cell(row, 2).value not in (None, "")
            out.append(Case(f"{key}-项目信息-{spec.name}-字段改名", key,
                            _set(S.INFO_SHEET, f"A{row}", spec.name + "（旧）"),
                            exit_code=1 if spec.required else 0 if filled else None,
                            sheet=S.INFO_SHEET if spec.required or filled else None,
                            cell=f"A{row}" if filled and not spec.required else None))
        # table sheets
        for sheet in S.TABLE_SHEETS:
            ws = wb[sheet.name]
            data_rows = ws.max_row >= 2
            for spec in sheet.columns:
                col = get_column_letter(_column(ws, spec.name))
                if data_rows and spec.kind in WRONG and not spec.open_choice:
                    out.append(Case(f"{key}-{sheet.name}-{spec.name}-类型", key,
                                    _set(sheet.name, f"{col}2", WRONG[spec.kind]), sheet=sheet.name, cell=f"{col}2"))
                if data_rows and spec.required:
                    out.append(Case(f"{key}-{sheet.name}-{spec.name}-空", key, _set(sheet.name, f"{col}2", None),
                                    exit_code=None if sheet.name == S.NARRATIVE.name else 1,
                                    sheet=sheet.name, cell=f"{col}2"))
                out.append(Case(f"{key}-{sheet.name}-{spec.name}-表头改名", key,
                                _set(sheet.name, f"{col}1", spec.name + "X"),
                                exit_code=1 if spec.required else None, sheet=sheet.name,
                                cell=f"{col}1"))
            out.append(Case(f"{key}-{sheet.name}-删除", key, lambda wb, n=sheet.name: wb.remove(wb[n]),
                            exit_code=1 if sheet.required else None, sheet=sheet.name if sheet.required else None))
            out.append(Case(f"{key}-{sheet.name}-改名", key,
                            lambda wb, n=sheet.name: setattr(wb[n], "title", n + "（副本）"),
                            exit_code=1 if sheet.required else None, sheet=sheet.name if sheet.required else None))
            if data_rows:
                def duplicate(wb, n=sheet.name):
                    w = wb[n]
                    w.append([c.value for c in w[2]])
                out.append(Case(f"{key}-{sheet.name}-重复行", key, duplicate, exit_code=None))
        # out-of-range values
        budget = get_column_letter(_column(wb[S.BUDGET.name], "预算金额"))
        in_place = get_column_letter(_column(wb[S.BUDGET.name], "到位金额"))
        paid = get_column_letter(_column(wb[S.PAYMENTS.name], "支付金额"))
        weight = get_column_letter(_column(wb[S.INDICATORS.name], "分值"))
        reported = get_column_letter(_column(wb[S.INDICATORS.name], "填报得分"))
        valid = get_column_letter(_column(wb[S.SURVEY.name], "有效样本"))
        out += [
            Case(f"{key}-预算为负", key, _set(S.BUDGET.name, f"{budget}2", -5), sheet=S.BUDGET.name, cell=f"{budget}2"),
            Case(f"{key}-到位超预算", key, _set(S.BUDGET.name, f"{in_place}2", 9999), sheet=S.BUDGET.name,
                 cell=f"{in_place}2"),
            Case(f"{key}-支付为零", key, _set(S.PAYMENTS.name, f"{paid}2", 0), sheet=S.PAYMENTS.name, cell=f"{paid}2"),
            Case(f"{key}-支付超预算", key, _set(S.PAYMENTS.name, f"{paid}2", 99_999_999), sheet=S.BUDGET.name),
            Case(f"{key}-分值为零", key, _set(S.INDICATORS.name, f"{weight}2", 0), sheet=S.INDICATORS.name,
                 cell=f"{weight}2"),
            Case(f"{key}-得分超分值", key, _set(S.INDICATORS.name, f"{reported}2", 99), sheet=S.INDICATORS.name,
                 cell=f"{reported}2"),
            Case(f"{key}-得分为负", key, _set(S.INDICATORS.name, f"{reported}2", -1), sheet=S.INDICATORS.name,
                 cell=f"{reported}2"),
            Case(f"{key}-样本不符", key, _set(S.SURVEY.name, f"{valid}2", 7), sheet=S.SURVEY.name, cell=f"{valid}2"),
            Case(f"{key}-年度越界", key, _set(S.INFO_SHEET, f"B{_info_row(wb, '评价年度')}", 1900),
                 sheet=S.INFO_SHEET, cell=f"B{_info_row(wb, '评价年度')}"),
            Case(f"{key}-预算总额不符", key, _set(S.INFO_SHEET, f"B{_info_row(wb, '预算总额')}", 1),
                 sheet=S.INFO_SHEET, cell=f"B{_info_row(wb, '预算总额')}"),
        ]
    return out
