"""Workbook -> Project. Every cell that cannot be read becomes a finding with its sheet!cell.

Sheets are found by name and columns by header text (never by position), as the
contract says; both are compared after NFKC normalisation without spaces, so
full-width brackets and stray blanks do not matter.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.reader.excel import ExcelReader

from . import figures as F
from . import schema as S
from .errors import WorkbookError, write_reason
from .findings import Code, Finding, column_letter, locate
from .forms import read_forms
from .formulas import fill_in
from .legacy import is_compound, open_legacy
from .model import BudgetLine, Contract, Indicator, Narrative, Payment, Project, ProjectInfo, SurveyGroup
from .values import (BadValue, clean_text, has_hidden_characters, is_blank, merged_values, parse_choice, parse_count,
                     parse_date, parse_measure, parse_money, parse_number, parse_year)


# What a real workbook can be: a 部门's, with 3,000 indicators and 50,000 payments, unpacks to about
# 35 MB (its 支付 sheet 25 MB) at 10 to 15 times its packed size; spreadsheets of the most repetitive
# rows pack 30 to 60 times. A zip bomb packs hundreds or thousands of times. The ceilings are far
# above the first and far below the second.
MAX_RATIO = 200                       # unpacked / packed size of one part larger than RATIO_FROM
RATIO_FROM = 1024 * 1024              # parts smaller than this cannot hurt, whatever their ratio
MAX_MEMBER = 256 * 1024 * 1024        # one sheet or shared-strings part, unpacked (10 × the largest real one)
MAX_UNPACKED = 512 * 1024 * 1024      # all parts together, unpacked
MAX_ROWS = 100_000                    # rows of one sheet (2 × a 部门's payments)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _check_archive(zf: zipfile.ZipFile, name: str) -> set[str]:
    """Look at the zip's parts before anything is parsed: a zip bomb is refused here, saying which
    limit it passed."""
    infos = zf.infolist()
    for i in infos:
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise WorkbookError(
                f"{name}：工作簿中的“{i.filename}”压缩了 {ratio:.0f} 倍（{_mb(i.compress_size)} 解压后为 "
                f"{_mb(i.file_size)}），超过上限 {MAX_RATIO} 倍，远超正常的工作簿（60 倍以内）：这样的压缩比只见于"
                "损坏或恶意构造的文件，已拒绝读取。")
        if i.file_size > MAX_MEMBER:
            raise WorkbookError(
                f"{name}：工作簿中的“{i.filename}”解压后为 {_mb(i.file_size)}，超过上限 {_mb(MAX_MEMBER)}，"
                "远超正常规模（有 5 万笔支付、3000 个指标的部门工作簿约 25 MB），已拒绝读取。请删除多余的行、列和格式后再试。")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise WorkbookError(f"{name}：工作簿解压后共 {_mb(total)}，超过上限 {_mb(MAX_UNPACKED)}，远超正常规模"
                            "（有 5 万笔支付、3000 个指标的部门工作簿约 35 MB），已拒绝读取。")
    return {i.filename for i in infos}


class _LeavingOut:
    """A workbook's archive in which the parts named in ``parts`` read as an empty sheet."""
    EMPTY = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetData/></worksheet>')

    def __init__(self, archive, parts):
        self._archive, self._parts = archive, parts

    def open(self, name, *args, **kwargs):
        if name in self._parts:
            return io.BytesIO(self.EMPTY)
        return self._archive.open(name, *args, **kwargs)

    def __getattr__(self, attr):
        return getattr(self._archive, attr)


class _StandardReader(ExcelReader):
    """openpyxl's reader, except that the sheets a standard workbook holds for its user only
    (填表说明, 下拉选项: a third of the file) are left empty rather than parsed. Only where the file
    has a 项目信息 sheet: a file of 自评表 is read whole, whatever its sheets are called."""

    def read_workbook(self):
        super().read_workbook()
        try:
            sheets = [(S.normalize(sheet.name), rel.target) for sheet, rel in self.parser.find_sheets()]
        except (AttributeError, TypeError):     # another openpyxl's insides: read every sheet, as it would
            return
        if any(name == S.normalize(S.INFO_SHEET) for name, _ in sheets):
            helpers = {S.normalize(name) for name in S.HELPER_SHEETS}
            self.archive = _LeavingOut(self.archive, {part for name, part in sheets if name in helpers})


def _load(fh, formulas: bool, every_sheet: bool):
    if every_sheet:
        return openpyxl.load_workbook(fh, data_only=not formulas)
    reader = _StandardReader(fh, data_only=not formulas)
    reader.read()
    return reader.wb


def open_workbook(path: Path, formulas: bool = False, every_sheet: bool = True):
    """Open ``path`` for its values (or, with ``formulas``, its formulas), or raise WorkbookError.
    ``every_sheet`` False: a standard workbook's 填表说明 and 下拉选项 are left empty (nothing reads them)."""
    name = path.name
    if not path.exists():
        raise WorkbookError(f"{name}：文件不存在。")
    if path.is_dir():
        raise WorkbookError(f"{name}：这是一个文件夹，不是工作簿。")
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        reason = "没有读取该文件的权限（或文件正被其他程序独占打开）" if isinstance(exc, PermissionError) \
            else write_reason(exc)
        raise WorkbookError(f"{name}：无法读取（{reason}）。") from None
    if not head:
        raise WorkbookError(f"{name}：文件是空的（0 字节），不是 Excel 工作簿。")
    if is_compound(head):               # .xls, .et, or an .xlsx with a password (LegacyError: a WorkbookError)
        return open_legacy(path)
    if not head.startswith(b"PK") and re.match(rb"\s*<", head.lstrip(b"\xef\xbb\xbf")):
        raise WorkbookError(f"{name}：这是网页（HTML）或 XML 格式的表格，只是扩展名为{path.suffix or '空'}（一些系统导出的"
                            "“Excel”是这种文件），不是 Excel 工作簿。请用 Excel 或 WPS 打开后另存为 .xlsx 格式。")
    if not head.startswith(b"PK"):
        raise WorkbookError(f"{name}：不是 Excel 工作簿（.xlsx），可能是改了扩展名的其他文件（如 .csv 文本）。"
                            "请用 Excel 或 WPS 打开后另存为 .xlsx 格式。")
    try:
        # Read from a file object: openpyxl then does not judge the file by its name (a workbook
        # named "..xlsx" is read like any other), and the file is closed on every path.
        with open(path, "rb") as fh:
            with zipfile.ZipFile(fh) as zf:
                members = _check_archive(zf, name)
            if "xl/workbook.xml" not in members:
                what = "Word 文档" if "word/document.xml" in members else "其他文件"
                raise WorkbookError(f"{name}：这是改了扩展名的{what}，不是 Excel 工作簿。")
            fh.seek(0)
            wb = _load(fh, formulas, every_sheet)
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
            raise WorkbookError(f"{name}：工作表“{ws.title}”有 {ws.max_row} 行，超过上限 {MAX_ROWS} 行，远超正常规模"
                                "（部门工作簿的支付约 5 万行），已拒绝读取。请删除多余的行后再试。")
    return wb


def template_version(wb) -> str | None:
    m = re.search(r"perfeval-template-v(\w+)", wb.properties.keywords or "")
    return m.group(1) if m else None


def _check_version(wb, name: str) -> None:
    """A workbook written by another version of the template says so in its keywords."""
    version = template_version(wb)
    if version and version not in S.READ_VERSIONS:
        m = re.search(r"perfeval-template-v(\w+)", wb.properties.keywords or "")
        raise WorkbookError(
            f"{name}：这是标准工作簿模板第 {m.group(1)} 版，本程序使用第 {S.TEMPLATE_VERSION} 版。"
            "请用 perfeval template 生成新模板，把数据复制过去后再试。")


# A sheet as the reader sees it, from a worksheet or from plain data: its header cells as
# (column number, value), and its data rows as (row number, {column number: (value, number format)}).
Header = list[tuple[int, object]]
Rows = "typing.Iterable[tuple[int, dict[int, tuple[object, str | None]]]]"
# 项目信息 as (row number, field name, value, number format of the value).
InfoRows = "typing.Iterable[tuple[int, object, object, str | None]]"
INFO_COLUMNS = {"field": "A", "value": "B"}


class _Cells:
    """The cells of one workbook read as their kinds (a finding for each that cannot be), and the
    formulas whose results the file does not hold."""

    def __init__(self, name: str):
        self.name = name
        self.findings: list[Finding] = []
        self.columns: dict[str, dict[str, str]] = {S.INFO_SHEET: dict(INFO_COLUMNS)}
        self.formula_problems: dict[tuple[str, int, int], str] = {}   # (sheet, row, col) -> formula without a value
        self.unread: set[str] = set()

    def add(self, code: Code, sheet: str, row=None, key=None, col=None, **fields) -> None:
        self.findings.append(code.at(sheet, row, key, col, **fields))

    def resolve_formulas(self, path: Path, wb) -> None:
        """Formulas whose result the file does not hold: computed here when simple, else reported.

        Never read as blank or 0 (a workbook written by a program and not saved in Excel/WPS
        has formulas but no cached values).
        """
        done, self.formula_problems = formula_results(path, wb)
        for sheet, row, col, text, value in done:
            self.add(Code.FORMULA_COMPUTED, sheet, row, col=col, formula=text, value=value)

    def convert(self, sheet, row, col, key, spec: S.Column, raw, unit=None, number_format=None):
        """One cell to its typed value; None (with a finding) when blank or unreadable."""
        label = spec.header
        at = (sheet, row, key)
        if raw is None and (sheet, row, col) in self.formula_problems:
            self.add(Code.FORMULA_NO_VALUE, *at, label=label, formula=self.formula_problems[(sheet, row, col)])
            return None
        if is_blank(raw):
            if spec.required:
                self.add(Code.REQUIRED, *at, label=label)
            return None
        try:
            if spec.kind == S.TEXT:
                text = clean_text(raw)
                if isinstance(raw, str) and has_hidden_characters(raw):
                    self.add(Code.CONTROL_CHARS, *at, label=label)
                return text
            if spec.kind == S.MONEY:
                canonical = spec.unit
                value, typed = parse_money(raw, unit or canonical)
                if typed and typed != (unit or canonical):
                    self.add(Code.UNIT_CONVERTED, *at, label=label, typed=clean_text(raw), unit=unit or canonical)
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
                return parse_date(raw)
            if spec.kind == S.CHOICE:
                try:
                    return parse_choice(raw, spec.choices)
                except BadValue:
                    if spec.open_choice:
                        return clean_text(raw)     # a value of its own, kept as typed
                    raise
            if spec.kind == S.MEASURE:
                return parse_measure(raw, "%" in str(number_format or ""))
        except BadValue as exc:
            self.add(Code.BAD_VALUE, *at, label=label, expected=exc, typed=clean_text(raw))
            return None
        raise AssertionError(spec.kind)


class _Reader(_Cells):
    """The workbook's sheets: 项目信息 field by field, the table sheets by their headers, row by row."""

    def project(self, info_rows: InfoRows | None, tables: dict) -> Project:
        """``tables``: sheet name -> (header, rows), or None where the workbook lacks the sheet."""
        info = self.read_info(info_rows)
        project = Project(source=self.name, info=info, columns=self.columns, unread=self.unread)
        for sheet in S.TABLE_SHEETS:
            source = tables.get(sheet.name)
            if source is None:
                self.unread.add(sheet.name)
                if sheet.required:
                    self.add(Code.SHEET_MISSING, sheet.name, name=sheet.name)
                continue
            make, into = ROW_FACTS[sheet.name]
            header, rows = source
            seen = 0
            for row_no, values in self.table_rows(sheet, header, rows):
                seen += 1
                if values is not None:
                    getattr(project, into).append(make(row_no, values))
            if sheet is S.INDICATORS:
                self.weights_all_blank(project, seen)
        return project

    def weights_all_blank(self, project: Project, rows: int) -> None:
        """Contract v3: 绩效指标 whose 分值 are all blank are not scorable, and that is one finding
        (made by the checks), not one a row nor "no indicators"."""
        blank = [f for f in self.findings if f.code is Code.REQUIRED and f.sheet == S.INDICATORS.name
                 and f.key == "weight"]
        if rows and len(blank) == rows and not project.indicators:
            self.findings = [f for f in self.findings if f not in blank]
            project.weights_missing, project.weights_missing_at = rows, blank[0].row

    def read_info(self, rows: InfoRows | None) -> ProjectInfo:
        sheet = S.INFO_SHEET
        info = ProjectInfo()
        if rows is None:
            self.add(Code.SHEET_MISSING, sheet, name=sheet)
            return info
        fields = {S.normalize(f.name): f for f in S.INFO_FIELDS}
        seen: dict[str, tuple] = {}
        for row_no, name, value, fmt in rows:
            base, unit = S.split_header(name)
            spec = fields.get(base)
            if spec is None:
                if base and base != S.normalize(S.INFO_KEY_HEADER) and not is_blank(value):
                    self.add(Code.FIELD_UNKNOWN, sheet, row_no, "field", field=clean_text(name))
                continue
            if spec.key in seen:
                first_row, first_value = seen[spec.key][0], seen[spec.key][1]
                same = clean_text(first_value) == clean_text(value)
                self.add(Code.FIELD_DUPLICATE if same else Code.FIELD_CONFLICT, sheet, row_no, "field",
                         field=spec.name, first=first_row, second=row_no,
                         values=f"“{clean_text(first_value)}”和“{clean_text(value)}”")
                continue
            seen[spec.key] = (row_no, value, fmt, unit)
        given = {key for key, (_, raw, _, _) in seen.items() if not is_blank(raw)}
        for spec in S.INFO_FIELDS:
            if S.INFO_ALTERNATIVES.get(spec.key) in given:
                spec = dataclasses.replace(spec, required=False)
            if spec.key not in seen:
                if spec.required:
                    self.add(Code.FIELD_MISSING, sheet, field=spec.header)
                continue
            row_no, raw, fmt, unit = seen[spec.key]
            info.rows[spec.key] = row_no
            value = self.convert(sheet, row_no, 2, "value", spec, raw, unit or spec.unit, fmt)
            if value is None:
                continue
            setattr(info, spec.key, value)
        self.budgets(info, given)
        if info.year:
            info.period_start = info.period_start or dt.date(info.year, 1, 1)
            info.period_end = info.period_end or dt.date(info.year, 12, 31)
        return info

    def budgets(self, info: ProjectInfo, given: set[str]) -> None:
        """预算总额, 全年预算数 (调整后, the same thing) and 年初预算数: each from the others where blank,
        saying which was assumed when the workbook gives only one of 年初/全年."""
        sheet = S.INFO_SHEET
        if info.budget_total is None:
            info.budget_total = info.budget_full
        elif info.budget_full is not None and abs(info.budget_full - info.budget_total) >= Decimal("0.005"):
            self.add(Code.BUDGET_FULL_MISMATCH, sheet, info.rows.get("budget_full"), "value",
                     full=F.wan(info.budget_full), total=F.wan(info.budget_total))
        if info.budget_full is None and info.budget_total is not None:
            info.budget_full = info.budget_total
            if "budget_initial" in given:
                self.add(Code.BUDGET_ASSUMED, sheet, info.rows.get("budget_full"), "value", field="全年预算数",
                         assumed=f"预算总额{F.wan(info.budget_total)}")
        if info.budget_initial is None and info.budget_full is not None:
            info.budget_initial = info.budget_full
            if "budget_full" in given:
                self.add(Code.BUDGET_ASSUMED, sheet, info.rows.get("budget_initial"), "value", field="年初预算数",
                         assumed=f"全年预算数{F.wan(info.budget_full)}（预算年中未调整）")

    def table_rows(self, sheet: S.Sheet, header: Header, rows: Rows):
        """Yield (row number, {key: typed value}) for each non-blank data row."""
        by_name = {c.name: c for c in sheet.columns}
        columns: dict[int, tuple[S.Column, str | None]] = {}
        unknown = []
        for col, text in header:
            base, unit = S.split_header(text)
            spec = by_name.get(base)
            if spec is None:
                unknown.append((col, text))
                continue
            if spec.kind == S.MONEY and unit not in S.MONEY_UNITS:
                if unit is not None:
                    self.add(Code.HEADER_UNIT, sheet.name, 1, col=col, header=clean_text(text))
                    continue
                unit = spec.unit
            if any(s.key == spec.key for s, _ in columns.values()):
                self.add(Code.HEADER_DUPLICATE, sheet.name, 1, col=col, header=spec.header)
                continue
            columns[col] = (spec, unit)
        self.columns[sheet.name] = {spec.key: column_letter(col) for col, (spec, _) in columns.items()}
        present = {spec.key for spec, _ in columns.values()}
        missing = [c for c in sheet.columns if c.required and c.key not in present]
        typos = self.near_misses(sheet, unknown, [c for c in sheet.columns if c.key not in present])
        for spec in missing:
            # A header that looks like the missing one is most likely it, misspelled: point at it.
            col, typed = typos.get(spec.key, (None, None))
            near = f"第1行的“{clean_text(typed)}”是否应为“{spec.header}”？" if col else ""
            self.add(Code.HEADER_MISSING, sheet.name, 1, col=col, header=spec.header, near=near)
        if missing:
            self.unread.add(sheet.name)
            return
        for row_no, raw in rows:
            cells = {col: raw.get(col, (None, None)) for col in columns}
            if all(is_blank(v) for v, _ in cells.values()):
                continue
            # Optional columns that the sheet does not have read as blank.
            values = {c.key: None for c in sheet.columns}
            ok = True
            for col, (spec, unit) in columns.items():
                value, fmt = cells[col]
                n_before = len(self.findings)
                typed = self.convert(sheet.name, row_no, col, spec.key, spec, value, unit, fmt)
                if typed is None and spec.required and len(self.findings) > n_before and not spec.keeps_row:
                    ok = False
                values[spec.key] = typed
            yield row_no, (values if ok else None)

    def near_misses(self, sheet: S.Sheet, unknown, missing: list[S.Column]) -> dict[str, tuple[int, object]]:
        """An extra column is ignored, as the contract says; but one whose header looks like a
        standard header that is missing is most likely a typo, and its data would be lost. An
        optional one is warned about here; returns {key: (column, header as typed)} of each."""
        found: dict[str, tuple[int, object]] = {}
        for col, text in unknown:
            base, _ = S.split_header(text)
            if not base:
                continue
            for spec in missing:
                if spec.key in found:
                    continue
                if spec.name in base or difflib.SequenceMatcher(None, base, spec.name).ratio() >= 0.6:
                    found[spec.key] = (col, text)
                    if not spec.required:
                        self.add(Code.HEADER_UNKNOWN, sheet.name, 1, col=col, header=clean_text(text),
                                 expected=spec.header)
                    break
        return found


# ---------------------------------------------------------------- a sheet's row as a fact
# Each takes the row's number and its values by column key (None: the row is not usable).
def _budget_line(row, v):
    in_place = v["in_place"] if v["in_place"] is not None else v["budget"]
    return BudgetLine(row, v["name"], v["budget"], in_place, v["source"], v["note"] or "")


def _contract(row, v):
    return Contract(row, v["name"], v["supplier"], v["budget_line"] or "", v["amount"], v["signed"],
                    v["service_start"], v["service_end"], v["note"] or "")


def _payment(row, v):
    return Payment(row, v["date"], v["payee"], v["budget_line"], v["amount"], v["voucher"] or "", v["note"] or "")


def _indicator(row, v):
    kwargs = {c.key: v[c.key] for c in S.INDICATORS.columns}
    for k in ("unit", "explanation", "key_points", "remarks", "deviation", "note"):
        kwargs[k] = kwargs[k] or ""
    return Indicator(row=row, **kwargs)


def _survey_group(row, v):
    return SurveyGroup(row, v["group"], v["valid"], v["satisfied"], v["basic"] or 0, v["unsatisfied"] or 0,
                       v["note"] or "")


def _narrative(row, v):
    return Narrative(row, v["slot"], v["text"])


# The fact each table sheet's rows make, and the project's list they go into.
ROW_FACTS = {S.BUDGET.name: (_budget_line, "budget"), S.CONTRACTS.name: (_contract, "contracts"),
             S.PAYMENTS.name: (_payment, "payments"), S.INDICATORS.name: (_indicator, "indicators"),
             S.SURVEY.name: (_survey_group, "survey"), S.NARRATIVE.name: (_narrative, "narratives")}


# ---------------------------------------------------------------- from a workbook
def _find_sheet(wb, name: str):
    key = S.normalize(name)
    return next((ws for ws in wb.worksheets if S.normalize(ws.title) == key), None)


def _sheet_rows(ws):
    merged = merged_values(ws)
    for row in ws.iter_rows(min_row=2):
        if not row:
            continue
        yield row[0].row, {c.column: (merged.get((c.row, c.column), c.value), c.number_format) for c in row}


def _info_rows(ws):
    for row in ws.iter_rows(min_col=1, max_col=2):
        name, value = row[0], row[1] if len(row) > 1 else None
        yield (name.row, name.value, value.value if value is not None else None,
               value.number_format if value is not None else None)


def formula_results(path: Path, wb):
    """The formulas whose result the file does not hold, computed into ``wb`` where simple, as
    formulas.fill_in gives them (done, problems); none for .xls/.et (the file holds every result)."""
    if not zipfile.is_zipfile(path):
        return [], {}
    with zipfile.ZipFile(path) as zf:
        has_formulas = any(re.search(rb"<(?:\w+:)?f[ >]", zf.read(n))
                           for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    if not has_formulas:
        return [], {}
    formulas_wb = open_workbook(path, formulas=True, every_sheet=False)
    try:
        return fill_in(wb, formulas_wb)
    finally:
        formulas_wb.close()


NEITHER = ("{name}：既不是标准工作簿（没有“项目信息”“绩效指标”等工作表），也不是项目支出绩效自评表（没有找到"
           "“项目名称”“一级指标”“三级指标”“分值”等栏目）。请使用 perfeval template 生成的标准工作簿填写，"
           "或提供各单位填报的项目支出绩效自评表。")


def read_file(path) -> list[tuple[Project, list[Finding]]]:
    """Read a standard workbook (one project) or a file of official 自评表 (a project per form).
    Raises WorkbookError when the file is neither."""
    path = Path(path)
    wb = open_workbook(path, every_sheet=False)
    if not any(_find_sheet(wb, name) for name in [S.INFO_SHEET] + [t.name for t in S.TABLE_SHEETS]):
        forms = read_forms(wb, path.name, formula_results(path, wb))
        wb.close()
        if not forms:
            raise WorkbookError(NEITHER.format(name=path.name))
        return [(p, locate(f, p.columns)) for p, f in forms]     # the form's sheet name is put at the edge
    return [_read_standard(path, wb)]


def read_workbook(path) -> tuple[Project, list[Finding]]:
    """Read one workbook (the first form of a file of 自评表). Raises WorkbookError when the file is
    not usable."""
    return read_file(path)[0]


def _read_standard(path: Path, wb) -> tuple[Project, list[Finding]]:
    reader = _Reader(path.name)
    reader.resolve_formulas(path, wb)
    info_ws = _find_sheet(wb, S.INFO_SHEET)
    tables = {}
    for sheet in S.TABLE_SHEETS:
        ws = _find_sheet(wb, sheet.name)
        if ws is not None:
            header = [(c.column, c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
            tables[sheet.name] = (header, _sheet_rows(ws))
    project = reader.project(_info_rows(info_ws) if info_ws is not None else None, tables)
    if template_version(wb) == "1":
        reader.add(Code.TEMPLATE_V1, S.INFO_SHEET)
    wb.close()
    return project, locate(reader.findings, project.columns)


# ---------------------------------------------------------------- from plain data
def read_mapping(data: dict, source: str = "项目.xlsx") -> tuple[Project, list[Finding]]:
    """Read a project from plain data laid out as the standard workbook is (``{sheet: rows}``, a row
    ``{header: value}``, 项目信息 ``{field: value}``), exactly as ``read_workbook`` reads the workbook
    that ``template.write_workbook(path, data)`` writes — rows, columns and findings alike — but
    without a file. Tests build projects this way; a program can too."""
    reader = _Reader(source)
    info = data.get(S.INFO_SHEET, {})
    info_rows = [(1, S.INFO_KEY_HEADER, S.INFO_VALUE_HEADER, None)]
    info_rows += [(i, spec.header, info.get(spec.name, info.get(spec.header)), None)
                  for i, spec in enumerate(S.INFO_FIELDS, start=2)]
    tables = {}
    for sheet in S.TABLE_SHEETS:
        header = [(j, c.header) for j, c in enumerate(sheet.columns, start=1)]
        rows = [(i, {j: (row.get(c.name, row.get(c.header)), None) for j, c in enumerate(sheet.columns, start=1)})
                for i, row in enumerate(data.get(sheet.name, []), start=2)]
        tables[sheet.name] = (header, rows)
    project = reader.project(info_rows, tables)
    return project, locate(reader.findings, project.columns)
