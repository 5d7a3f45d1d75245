"""Workbook -> Project. Every cell that cannot be read becomes a finding with its sheet!cell.

Sheets are found by name and columns by header text (never by position), as the
contract says; both are compared after NFKC normalisation without spaces, so
full-width brackets and stray blanks do not matter.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

from . import schema as S
from .model import (BudgetLine, Contract, Finding, Indicator, Narrative, Payment, Project,
                    ProjectInfo, SurveyGroup)
from .values import (BadValue, clean_text, is_blank, parse_choice, parse_count, parse_date,
                     parse_money, parse_number, parse_year)


class WorkbookError(Exception):
    """The file cannot be read as a workbook at all (exit code 2)."""


def _col_letter(idx: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(idx)


def open_workbook(path: Path):
    """Open ``path`` read-only for its values, or raise WorkbookError with a plain reason."""
    name = path.name
    if not path.exists():
        raise WorkbookError(f"{name}：文件不存在。")
    if path.is_dir():
        raise WorkbookError(f"{name}：这是一个文件夹，不是工作簿。")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(
            f"{name}：这是旧版 Excel（.xls）/WPS（.et）文件或设置了打开密码的工作簿，perfeval 无法读取。"
            "请在 Excel 或 WPS 中取消密码后“另存为”Excel 工作簿（.xlsx）再试。")
    if not head.startswith(b"PK"):
        raise WorkbookError(f"{name}：不是 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 打开后另存为 .xlsx 格式。")
    import openpyxl
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
        if "xl/workbook.xml" not in names:
            raise WorkbookError(f"{name}：压缩包中没有工作簿内容（可能是改了扩展名的 Word 或其他文件），不是 Excel 工作簿。")
        return openpyxl.load_workbook(path, data_only=True)
    except WorkbookError:
        raise
    except zipfile.BadZipFile:
        raise WorkbookError(f"{name}：文件已损坏或不完整，无法作为 Excel 工作簿打开。") from None
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise WorkbookError(f"{name}：无法读取工作簿（{type(exc).__name__}）。请用 Excel 或 WPS 打开后重新保存再试。") from None


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.findings: list[Finding] = []
        self.columns: dict[str, dict[str, str]] = {}

    def add(self, severity, code, sheet, cell, message):
        self.findings.append(Finding(severity, code, sheet, cell, message))

    def error(self, code, sheet, cell, message):
        self.add(S.Severity.ERROR, code, sheet, cell, message)

    def warn(self, code, sheet, cell, message):
        self.add(S.Severity.WARNING, code, sheet, cell, message)

    # ------------------------------------------------------------ sheets
    def find_sheet(self, wb, name: str):
        key = S.normalize(name)
        for ws in wb.worksheets:
            if S.normalize(ws.title) == key:
                return ws
        return None

    def read(self) -> Project:
        wb = open_workbook(self.path)
        info = self.read_info(wb)
        project = Project(source=self.path.name, info=info, columns=self.columns)
        readers = {
            S.BUDGET.name: (self.budget_row, project.budget),
            S.CONTRACTS.name: (self.contract_row, project.contracts),
            S.PAYMENTS.name: (self.payment_row, project.payments),
            S.INDICATORS.name: (self.indicator_row, project.indicators),
            S.SURVEY.name: (self.survey_row, project.survey),
            S.NARRATIVE.name: (self.narrative_row, project.narratives),
        }
        for sheet in S.TABLE_SHEETS:
            ws = self.find_sheet(wb, sheet.name)
            if ws is None:
                if sheet.required:
                    self.error("SHEET_MISSING", sheet.name, "",
                               f"缺少工作表“{sheet.name}”。请使用标准模板（perfeval template）中的工作表名称。")
                continue
            make, into = readers[sheet.name]
            for row_no, values in self.table_rows(ws, sheet):
                item = make(row_no, values)
                if item is not None:
                    into.append(item)
        wb.close()
        return project

    # ------------------------------------------------------------ 项目信息
    def read_info(self, wb) -> ProjectInfo:
        sheet = S.INFO_SHEET
        info = ProjectInfo()
        ws = self.find_sheet(wb, sheet)
        if ws is None:
            self.error("SHEET_MISSING", sheet, "", f"缺少工作表“{sheet}”。请使用标准模板中的工作表名称。")
            return info
        fields = {S.normalize(f.name): f for f in S.INFO_FIELDS}
        seen: dict[str, tuple[int, object]] = {}
        for row in ws.iter_rows(min_col=1, max_col=2):
            key_cell, val_cell = row[0], row[1] if len(row) > 1 else None
            base, unit = S.split_header(key_cell.value)
            spec = fields.get(base)
            if spec is None:
                continue
            if spec.key in seen:
                self.warn("FIELD_DUPLICATE", sheet, f"A{key_cell.row}",
                          f"字段“{spec.name}”出现了两次（第{seen[spec.key][0]}行和第{key_cell.row}行），以第一次为准。")
                continue
            seen[spec.key] = (key_cell.row, val_cell.value if val_cell is not None else None,
                              val_cell.number_format if val_cell is not None else None, unit)
        for spec in S.INFO_FIELDS:
            if spec.key not in seen:
                if spec.required:
                    self.error("FIELD_MISSING", sheet, "",
                               f"缺少必填字段“{spec.header}”：请在A列加入该字段，并在B列填写内容。")
                continue
            row_no, raw, fmt, unit = seen[spec.key]
            cell = f"B{row_no}"
            info.cells[spec.key] = cell
            value = self.convert(sheet, cell, spec, raw, unit or spec.unit, fmt)
            if value is None:
                continue
            setattr(info, spec.key, value)
        if info.year:
            info.period_start = info.period_start or dt.date(info.year, 1, 1)
            info.period_end = info.period_end or dt.date(info.year, 12, 31)
        return info

    # ------------------------------------------------------------ values
    def convert(self, sheet, cell, spec: S.Column, raw, unit=None, number_format=None):
        """One cell to its typed value; None (with a finding) when blank or unreadable."""
        label = spec.header
        if is_blank(raw):
            if spec.required:
                self.error("REQUIRED", sheet, cell, f"“{label}”为必填项，不能为空。")
            return None
        try:
            if spec.kind == S.TEXT:
                text = clean_text(raw)
                if isinstance(raw, str) and text != raw.strip() and any(
                        ch in raw for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"):
                    self.warn("CONTROL_CHARS", sheet, cell, f"“{label}”中含有不可见的控制字符，已删除。")
                return text
            if spec.kind == S.MONEY:
                canonical = spec.unit
                value, typed = parse_money(raw, unit or canonical)
                if typed and typed != (unit or canonical):
                    self.warn("UNIT_CONVERTED", sheet, cell,
                              f"“{label}”填写的是“{clean_text(raw)}”，单位与表头（{unit or canonical}）不同，已换算。")
                if unit and unit != canonical:
                    value = value * S.MONEY_UNITS[unit] / S.MONEY_UNITS[canonical]
                return value
            if spec.kind == S.NUMBER:
                return parse_number(raw)
            if spec.kind == S.COUNT:
                return parse_count(raw)
            if spec.kind == S.YEAR:
                return parse_year(raw)
            if spec.kind == S.DATE:
                return parse_date(raw, number_format)
            if spec.kind == S.CHOICE:
                return parse_choice(raw, spec.choices)
            if spec.kind == S.MEASURE:
                if isinstance(raw, str):
                    return clean_text(raw)
                if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    return parse_number(raw)
                return raw
        except BadValue as exc:
            self.error("BAD_VALUE", sheet, cell,
                       f"“{label}”应为{exc}，实际填写的是“{clean_text(raw)}”。")
            return None
        raise AssertionError(spec.kind)

    # ------------------------------------------------------------ tables
    def table_rows(self, ws, sheet: S.Sheet):
        """Yield (row number, {key: typed value}) for each non-blank data row."""
        header_row = next(ws.iter_rows(min_row=1, max_row=1), ())
        by_name = {c.name: c for c in sheet.columns}
        columns: dict[int, tuple[S.Column, str | None]] = {}
        for cell in header_row:
            base, unit = S.split_header(cell.value)
            spec = by_name.get(base)
            if spec is None:
                continue
            if spec.kind == S.MONEY and unit not in S.MONEY_UNITS:
                if unit is not None:
                    self.error("HEADER_UNIT", sheet.name, cell.coordinate,
                               f"表头“{clean_text(cell.value)}”的单位应为（万元）或（元）。")
                    continue
                unit = spec.unit
            if any(s.key == spec.key for s, _ in columns.values()):
                self.warn("HEADER_DUPLICATE", sheet.name, cell.coordinate,
                          f"表头“{spec.header}”出现了两次，只读取第一列。")
                continue
            columns[cell.column] = (spec, unit)
        self.columns[sheet.name] = {spec.key: _col_letter(col) for col, (spec, _) in columns.items()}
        present = {spec.key for spec, _ in columns.values()}
        missing = [c for c in sheet.columns if c.required and c.key not in present]
        for spec in missing:
            self.error("HEADER_MISSING", sheet.name, "1:1",
                       f"第1行缺少表头“{spec.header}”。表头须与标准模板一致（列的顺序可以不同）。")
        if missing:
            return
        merged = self.merged_values(ws)
        for row in ws.iter_rows(min_row=2):
            raw = {}
            for cell in row:
                if cell.column in columns:
                    value = merged.get(cell.coordinate, cell.value)
                    raw[cell.column] = (cell.coordinate, value, cell.number_format)
            if all(is_blank(v) for _, v, _ in raw.values()):
                continue
            row_no = row[0].row
            values = {}
            ok = True
            for col, (spec, unit) in columns.items():
                coord, value, fmt = raw.get(col, (f"{_col_letter(col)}{row_no}", None, None))
                n_before = len(self.findings)
                typed = self.convert(sheet.name, coord, spec, value, unit, fmt)
                if typed is None and spec.required and len(self.findings) > n_before:
                    ok = False
                values[spec.key] = typed
                values[spec.key + "@"] = coord
                if spec.kind == S.MEASURE:
                    values[spec.key + "%"] = "%" in str(fmt or "")
            yield row_no, (values if ok else None)

    @staticmethod
    def merged_values(ws) -> dict[str, object]:
        """Merged cells keep their value in the top-left cell only; spread it over the range."""
        out = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    out[f"{_col_letter(c)}{r}"] = top
        return out

    # ------------------------------------------------------------ rows
    def budget_row(self, row, v):
        if v is None:
            return None
        in_place = v["in_place"] if v["in_place"] is not None else v["budget"]
        return BudgetLine(row, v["name"], v["budget"], in_place, v["source"], v["note"] or "")

    def contract_row(self, row, v):
        if v is None:
            return None
        return Contract(row, v["name"], v["supplier"], v["budget_line"] or "", v["amount"], v["signed"],
                        v["service_start"], v["service_end"], v["note"] or "")

    def payment_row(self, row, v):
        if v is None:
            return None
        return Payment(row, v["date"], v["payee"], v["budget_line"], v["amount"], v["voucher"] or "",
                       v["note"] or "")

    def indicator_row(self, row, v):
        if v is None:
            return None
        keys = [c.key for c in S.INDICATORS.columns]
        kwargs = {k: v[k] for k in keys}
        for k in ("unit", "explanation", "key_points", "remarks", "deviation", "note"):
            kwargs[k] = kwargs[k] or ""
        ind = Indicator(row=row, **kwargs)
        ind.target_percent, ind.actual_percent = v["target%"], v["actual%"]
        return ind

    def survey_row(self, row, v):
        if v is None:
            return None
        return SurveyGroup(row, v["group"], v["valid"], v["satisfied"], v["basic"] or 0, v["unsatisfied"] or 0,
                           v["note"] or "")

    def narrative_row(self, row, v):
        if v is None:
            return None
        return Narrative(row, v["slot"], v["text"])


def read_workbook(path) -> tuple[Project, list[Finding]]:
    """Read one workbook. Raises WorkbookError when the file is not a usable workbook."""
    reader = _Reader(Path(path))
    project = reader.read()
    return project, reader.findings
