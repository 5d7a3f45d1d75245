"""Workbook -> Project. Every cell that cannot be read becomes a finding with its sheet!cell.

Sheets are found by name and columns by header text (never by position), as the
contract says; both are compared after NFKC normalisation without spaces, so
full-width brackets and stray blanks do not matter.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from . import schema as S
from .model import (BudgetLine, Contract, Finding, Indicator, Narrative, Payment, Project,
                    ProjectInfo, SurveyGroup)
from .values import (BadValue, clean_text, has_hidden_characters, is_blank, parse_choice, parse_count, parse_date,
                     parse_measure, parse_money, parse_number, parse_year)


class WorkbookError(Exception):
    """The file cannot be read as a workbook at all (exit code 2)."""


def _col_letter(idx: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(idx)


# Limits far beyond any real project's workbook (the seed-000 example is 60 KB, 200 rows).
MAX_UNPACKED = 200 * 1024 * 1024      # all members together, uncompressed
MAX_MEMBER = 10 * 1024 * 1024         # one sheet or one shared-strings part (~100,000 cells)
MAX_RATIO = 200                       # uncompressed / compressed size of a large member
MAX_ROWS = 100_000                    # rows of one sheet


def _check_archive(path: Path) -> set[str]:
    """Look at the zip's members before anything is parsed: a zip bomb is refused here."""
    name = path.name
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        for i in infos:
            ratio = i.file_size / max(i.compress_size, 1)
            if i.file_size > MAX_MEMBER or (i.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                raise WorkbookError(
                    f"{name}：工作簿中的“{i.filename}”解压后达 {i.file_size // (1024 * 1024)} MB，"
                    "远超任何项目的正常规模（可能是损坏或恶意构造的文件），已拒绝读取。")
        if total > MAX_UNPACKED:
            raise WorkbookError(f"{name}：工作簿解压后共 {total // (1024 * 1024)} MB，远超正常规模，已拒绝读取。")
        return {i.filename for i in infos}


def open_workbook(path: Path, formulas: bool = False):
    """Open ``path`` for its values (or, with ``formulas``, its formulas), or raise WorkbookError."""
    name = path.name
    if not path.exists():
        raise WorkbookError(f"{name}：文件不存在。")
    if path.is_dir():
        raise WorkbookError(f"{name}：这是一个文件夹，不是工作簿。")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise WorkbookError(f"{name}：文件是空的（0 字节），不是 Excel 工作簿。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        kind = {".xls": "旧版 Excel（.xls）文件", ".et": "WPS 表格（.et）文件"}.get(
            path.suffix.lower(), "旧版 Excel（.xls）/WPS（.et）文件，或设置了打开密码的工作簿")
        raise WorkbookError(
            f"{name}：这是{kind}，perfeval 无法读取。请在 Excel 或 WPS 中打开（如有密码请先取消密码），"
            "“另存为”Excel 工作簿（.xlsx）后再试。")
    if not head.startswith(b"PK"):
        raise WorkbookError(f"{name}：不是 Excel 工作簿（.xlsx），可能是改了扩展名的其他文件（如 .csv 文本）。"
                            "请用 Excel 或 WPS 打开后另存为 .xlsx 格式。")
    import openpyxl
    try:
        members = _check_archive(path)
        if "xl/workbook.xml" not in members:
            what = "Word 文档" if "word/document.xml" in members else "其他文件"
            raise WorkbookError(f"{name}：这是改了扩展名的{what}，不是 Excel 工作簿。")
        wb = openpyxl.load_workbook(path, data_only=not formulas)
    except (WorkbookError, MemoryError):
        raise
    except zipfile.BadZipFile:
        raise WorkbookError(f"{name}：文件已损坏或不完整（可能没有下载或复制完整），无法作为 Excel 工作簿打开。") from None
    except Exception as exc:  # openpyxl raises many kinds on malformed parts, often wrapped
        chain, cause = [], exc
        while cause is not None and len(chain) < 10:
            chain.append(type(cause).__name__)
            cause = cause.__cause__ or cause.__context__
        kind = chain[0]
        if {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"} & set(chain):
            raise WorkbookError(f"{name}：文件包含不安全的 XML 内容（实体或文档类型定义），已拒绝读取。") from None
        raise WorkbookError(f"{name}：无法读取工作簿（{kind}），文件可能已损坏。"
                            "请用 Excel 或 WPS 打开后重新保存再试。") from None
    _check_version(wb, name)
    for ws in wb.worksheets:
        if ws.max_row > MAX_ROWS:
            raise WorkbookError(f"{name}：工作表“{ws.title}”有 {ws.max_row} 行，远超任何项目的正常规模，已拒绝读取。"
                                "请删除多余的行后再试。")
    return wb


def _check_version(wb, name: str) -> None:
    """A workbook written by another version of the template says so in its keywords."""
    m = re.search(r"perfeval-template-v(\w+)", wb.properties.keywords or "")
    if m and m.group(1) != S.TEMPLATE_VERSION:
        raise WorkbookError(
            f"{name}：这是标准工作簿模板第 {m.group(1)} 版，本程序使用第 {S.TEMPLATE_VERSION} 版。"
            "请用 perfeval template 生成新模板，把数据复制过去后再试。")


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.findings: list[Finding] = []
        self.columns: dict[str, dict[str, str]] = {}
        self.formula_problems: dict[tuple[str, str], str] = {}   # (sheet, cell) -> formula without a value

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
        self.resolve_formulas(wb)
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

    # ------------------------------------------------------------ formulas
    def resolve_formulas(self, wb) -> None:
        """Formulas whose result the file does not hold: computed here when simple, else reported.

        Never read as blank or 0 (a workbook written by a program and not saved in Excel/WPS
        has formulas but no cached values).
        """
        with zipfile.ZipFile(self.path) as zf:
            has_formulas = any(re.search(rb"<(?:\w+:)?f[ >]", zf.read(n))
                               for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        if not has_formulas:
            return
        from .formulas import Unsupported, evaluate
        formulas_wb = open_workbook(self.path, formulas=True)
        for fws in formulas_wb.worksheets:
            ws = wb[fws.title]
            pending = {}
            for row in fws.iter_rows():
                for cell in row:
                    text = getattr(cell.value, "text", cell.value)
                    if cell.data_type == "f" and isinstance(text, str) and ws[cell.coordinate].value is None:
                        pending[cell.coordinate] = text
            done: dict[str, object] = {}

            def value_of(coord, depth=0):
                if coord in done:
                    return done[coord]
                if coord in pending:
                    if depth > 50:
                        raise Unsupported(pending[coord])
                    done[coord] = evaluate(pending[coord], lambda c: value_of(c, depth + 1))
                    return done[coord]
                return ws[coord].value

            for coord, text in pending.items():
                try:
                    value = value_of(coord)
                except Unsupported:
                    self.formula_problems[(ws.title, coord)] = text
                    continue
                ws[coord].value = value
                self.warn("FORMULA_COMPUTED", ws.title, coord,
                          f"单元格中的公式“{text}”没有保存计算结果，perfeval 已自行计算为 {value}。"
                          "建议用 Excel 或 WPS 打开工作簿并保存一次。")
        formulas_wb.close()

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
                if base and base != S.normalize(S.INFO_KEY_HEADER) and val_cell is not None \
                        and not is_blank(val_cell.value):
                    self.warn("FIELD_UNKNOWN", sheet, key_cell.coordinate,
                              f"“{clean_text(key_cell.value)}”不是标准字段，其内容未被读取。"
                              "如是字段名写错，请改为标准模板中的名称。")
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
        if raw is None and (sheet, cell) in self.formula_problems:
            self.error("FORMULA_NO_VALUE", sheet, cell,
                       f"“{label}”是公式“{self.formula_problems[(sheet, cell)]}”，但文件中没有保存它的计算结果"
                       "（文件可能由其他程序生成，未在 Excel/WPS 中保存过）。请用 Excel 或 WPS 打开工作簿并保存后再试。")
            return None
        if is_blank(raw):
            if spec.required:
                self.error("REQUIRED", sheet, cell, f"“{label}”为必填项，不能为空。")
            return None
        try:
            if spec.kind == S.TEXT:
                text = clean_text(raw)
                if isinstance(raw, str) and has_hidden_characters(raw):
                    self.warn("CONTROL_CHARS", sheet, cell,
                              f"“{label}”中含有不可见的控制字符或 Excel 转义符（如 _x000D_，多来自从 Word 粘贴的文字），"
                              "已清除。")
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
                return parse_measure(raw, "%" in str(number_format or ""))
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
        unknown = []
        for cell in header_row:
            base, unit = S.split_header(cell.value)
            spec = by_name.get(base)
            if spec is None:
                unknown.append(cell)
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
        self.near_misses(sheet, unknown, [c for c in sheet.columns if c.key not in present])
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
            # Optional columns that the sheet does not have read as blank.
            values = {c.key: None for c in sheet.columns}
            ok = True
            for col, (spec, unit) in columns.items():
                coord, value, fmt = raw.get(col, (f"{_col_letter(col)}{row_no}", None, None))
                n_before = len(self.findings)
                typed = self.convert(sheet.name, coord, spec, value, unit, fmt)
                if typed is None and spec.required and len(self.findings) > n_before:
                    ok = False
                values[spec.key] = typed
            yield row_no, (values if ok else None)

    def near_misses(self, sheet: S.Sheet, unknown, missing: list[S.Column]) -> None:
        """An extra column is ignored, as the contract says; but one whose header looks like a
        standard header that is missing is most likely a typo, and its data would be lost."""
        import difflib
        for cell in unknown:
            base, _ = S.split_header(cell.value)
            if not base:
                continue
            for spec in missing:
                if spec.name in base or difflib.SequenceMatcher(None, base, spec.name).ratio() >= 0.6:
                    if spec.required:
                        break      # the missing required header is an error of its own
                    self.warn("HEADER_UNKNOWN", sheet.name, cell.coordinate,
                              f"表头“{clean_text(cell.value)}”不是标准表头，该列未被读取；是否应为“{spec.header}”？")
                    break

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
        return Indicator(row=row, **kwargs)

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
