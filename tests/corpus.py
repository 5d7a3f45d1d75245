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


# ---------------------------------------------------------------- generated cases
# The mutation corpus grown by a seeded generator: each case is the data of an example with one to
# three edits, drawn from what real workbooks and attacks hold (formula payloads, huge and odd
# numbers, dates that are not dates, control characters, operators in their compatibility forms,
# "/" placeholders, rows dropped, duplicated or cleared, amounts scaled). The edits are plain
# tuples, so that a case is the same in any process and its name says what it is.
import copy
import datetime as dt
import random
import re
from decimal import Decimal

GENERATED = 1000
SEED = 20261130

TEXTS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\t=1", "=HYPERLINK(\"http://x\",\"a\")", "", " ", "\u3000",
         "名称" * 2000, "第一行\n第二行", "_x000D_回车", "\x01控制\x1f", "﹦100%", "⩾95%", "≮90%", "/", "—", "无",
         "不适用", "１２３", "1,234.5万元", "（1,000）", "−5", "2023年13月45日", "2023-02-30", "2023年9月", "#N/A",
         "#DIV/0!", "TRUE", "None", "nan", "inf", "1e400", "99999999999999999999999999999", "９９％", "≥", "%",
         "万元", "100%", "0.5", "1/3", "一百", "5套", "≤2天", "达成", "部分达成", "未达成", "其他选项"]
NUMBERS = [0, -1, 0.1, 1e-30, 7, 100, 101, 1e14, 999_999_999_999_999, 1e15, 1e29, 1e308, -1e20,
           float("inf"), float("nan"), 10 ** 30, 12.345678901234567, Decimal("1E+5"), True]
WHEN = [dt.date(1900, 1, 1), dt.date(2099, 12, 31), dt.datetime(2023, 5, 18, 10, 30), dt.date(2022, 2, 28)]


@dataclass
class Generated:
    name: str
    base: str
    edits: tuple

    def data(self) -> dict:
        import seed000
        import seed004
        data = copy.deepcopy({"000": seed000.DATA, "004": seed004.DATA}[self.base])
        for edit in self.edits:
            apply_edit(data, edit)
        return data


def apply_edit(data: dict, edit: tuple) -> None:
    kind, sheet = edit[0], edit[1]
    if sheet == S.INFO_SHEET:
        data[sheet][edit[2]] = edit[3]
        return
    rows = data.setdefault(sheet, [])
    if kind == "cell":
        _, _, row, column, value = edit
        while len(rows) <= row:
            rows.append({})
        rows[row][column] = value
    elif kind == "drop" and rows:
        del rows[edit[2] % len(rows)]
    elif kind == "dup" and rows:
        rows.append(dict(rows[edit[2] % len(rows)]))
    elif kind == "clear":
        rows.clear()
    elif kind == "blank":
        for row in rows:
            row[edit[2]] = None
    elif kind == "scale":
        for row in rows:
            if isinstance(row.get(edit[2]), (int, float, Decimal)) and not isinstance(row.get(edit[2]), bool):
                row[edit[2]] = Decimal(str(row[edit[2]])) * edit[3]


def _value(rng: random.Random, spec: S.Column | None):
    pick = rng.random()
    if pick < 0.45:
        return rng.choice(TEXTS)
    if pick < 0.8:
        return rng.choice(NUMBERS)
    if pick < 0.9:
        return rng.choice(WHEN)
    if spec is not None and spec.choices is not None:
        return rng.choice(spec.choices.labels())
    return None


def _edit(rng: random.Random, data: dict) -> tuple:
    if rng.random() < 0.2:
        spec = rng.choice(S.INFO_FIELDS)
        return ("info", S.INFO_SHEET, spec.name, _value(rng, spec))
    sheet = rng.choice(S.TABLE_SHEETS)
    rows = data.get(sheet.name, [])
    kind = rng.choices(["cell", "drop", "dup", "clear", "blank", "scale"], [70, 8, 8, 3, 6, 5])[0]
    if kind == "cell":
        spec = rng.choice(sheet.columns)
        row = rng.randrange(len(rows) + 1) if rows else 0
        return ("cell", sheet.name, row, spec.name, _value(rng, spec))
    if kind in ("drop", "dup"):
        return (kind, sheet.name, rng.randrange(max(len(rows), 1)))
    if kind == "clear":
        return ("clear", sheet.name)
    if kind == "blank":
        return ("blank", sheet.name, rng.choice(sheet.columns).name)
    money = [c.name for c in sheet.columns if c.kind in (S.MONEY, S.NUMBER, S.COUNT)] or [sheet.columns[0].name]
    return ("scale", sheet.name, rng.choice(money), rng.choice([10000, Decimal("0.0001"), -1, 0, 10 ** 12]))


def _label(edit: tuple) -> str:
    text = "-".join(str(x)[:12].replace("\n", "⏎").replace("\t", "⇥") for x in edit)
    return "".join(ch if ch.isprintable() else "·" for ch in text)


def generated(count: int = GENERATED, seed: int = SEED) -> list[Generated]:
    import seed000
    import seed004
    bases = {"000": seed000.DATA, "004": seed004.DATA}
    out = []
    for i in range(count):
        rng = random.Random(seed * 100_003 + i)
        base = rng.choice(sorted(bases))
        data = copy.deepcopy(bases[base])
        edits = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            edit = _edit(rng, data)
            apply_edit(data, edit)
            edits.append(edit)
        out.append(Generated(f"g{i:04d}-{base}-" + "+".join(_label(e) for e in edits), base, tuple(edits)))
    return out


def run_in_memory(case: Generated, outdir: str) -> dict:
    """Check a generated case from its data (no file) and, where the check finds no error, write its
    report and 自评表 as ``build`` does. Never raises: what went wrong is in the result, as text."""
    import json
    import traceback
    from pathlib import Path

    from perfeval.pipeline import build_stamp, check_project, result_as_dict
    from perfeval.reader import read_mapping
    from perfeval.report import write_report
    from perfeval.report.selfform import write_form_xlsx
    out: dict = {"name": case.name, "exception": None, "errors": None, "rendered": False, "left": [],
                 "bad_findings": []}
    try:
        project, findings = read_mapping(case.data(), f"{case.name[:5]}.xlsx")
        result = check_project(project, findings)
        json.dumps(result_as_dict(result), ensure_ascii=False)
        out["errors"] = len(result.errors)
        out["bad_findings"] = [f"{f.code}:{f.sheet}:{f.message}" for f in result.findings
                               if not f.sheet or not f.message or "{" in f.message]
        if not result.errors:
            folder = Path(outdir) / case.name[:5]
            report, form = folder / "r.docx", folder / "r-自评表.xlsx"
            write_report(result.evaluation, report, stamp=build_stamp())
            write_form_xlsx(result.evaluation, form)
            out["rendered"] = report.stat().st_size > 0 and form.stat().st_size > 0
            out["left"] = sorted(p.name for p in folder.iterdir() if p not in (report, form))
            report.unlink()
            form.unlink()
            folder.rmdir()
    except Exception:  # noqa: BLE001 - the test reports it with the case's name
        out["exception"] = traceback.format_exc()
    return out


def write_case_file(case: Generated, folder: str) -> str:
    """A generated case as a workbook file (the template writer, as a program filling the contract
    would), for the cases that go through the command itself."""
    from pathlib import Path

    from perfeval.template import write_workbook
    data = case.data()
    for rows in data.values():      # control characters as Excel stores them: _x0001_
        for row in rows if isinstance(rows, list) else [rows]:
            for key, value in row.items():
                if isinstance(value, str):
                    row[key] = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", value)
    return str(write_workbook(Path(folder) / f"{case.name[:5]}.xlsx", data))


def write_handmade(index: int, folder: str) -> str:
    """Handmade case ``index`` of ``cases()`` saved into ``folder`` (in any process: the cases are
    made again there, once)."""
    from pathlib import Path

    import openpyxl
    if "cases" not in _CACHE:
        _CACHE["cases"] = cases()
    case = _CACHE["cases"][index]
    wb = openpyxl.load_workbook(BASES[case.base])
    case.mutate(wb)
    path = Path(folder) / f"{case.name}.xlsx"
    wb.save(path)
    return str(path)


_CACHE: dict = {}
