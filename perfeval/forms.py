"""The official 项目支出绩效自评表 as units submit it (财预〔2020〕10号 附件1 and provincial variants),
read directly: one form or several on a sheet, or one a sheet.

Labels are found by their text, never by position: 项目名称, 主管部门, 实施单位, 年初预算数, 全年预算数,
全年执行数, 分值, 执行率, 得分, 年度总体目标, 一级指标 … 偏差原因分析及改进措施, 总分. Merged cells are read
as people make them. Each form becomes a Project, as a standard workbook does, so that it is scored
and checked the same way, with every finding pointing at the form's own cells:
- 项目信息 from the head of the form, 自评得分 from its 总分 row;
- 预算明细 from the funds block, one line per 资金来源 row (年初/全年 from the 年度资金总额 row);
- 支付: the form gives only 全年执行数, so each 资金来源 row's 执行数 stands as one payment;
- 绩效指标 from the indicator rows, each with its typed 得分 as 填报得分: numeric targets are scored as
  比率, dates as 时效, 预算执行率 (in the funds block or as a row wherever it sits) from the funds,
  and text targets by 达成判断, the evaluator's typed 得分 saying how far the target was met.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import figures as F
from . import schema as S
from .findings import Code, Finding, column_letter
from .model import BudgetLine, Indicator, Narrative, Payment, Project, ProjectInfo
from .schema import (Achievement, EvalMode, ExecBasis, FundSource, Method, NarrativeSlot, Operator, ReportType)
from .values import BadValue, clean_text, is_blank, merged_values, parse_measure, parse_money, parse_number
from .scoring import is_execution, is_satisfaction, typed_rate
from .vocab import NOT_APPLICABLE_RESULT

TITLE = "项目支出绩效自评表"
ANCHOR = "项目名称"
HEAD_LABELS = {"department": ("主管部门",), "unit": ("实施单位", "项目实施单位", "预算单位", "项目单位")}
UNIT_ELSE = ("填报单位", "单位名称")      # 实施单位 where the form has no such label: the unit that filled it
FUND_ROWS = (   # label words -> 资金来源 (first match)
    (("年度资金总额", "资金总额", "合计"), None),
    (("上年结转", "结转"), FundSource.CARRIED),
    (("财政专户",), FundSource.SPECIAL),
    (("单位资金", "自有资金"), FundSource.UNIT),
    (("财政拨款", "当年财政", "本年财政", "补助资金", "中央", "省级", "市级"), FundSource.CURRENT),
    (("其他资金", "其他"), FundSource.OTHER),
)
INDICATOR_HEADERS = {   # key -> words of its header (first match wins, in this order)
    "level1": ("一级指标",), "level2": ("二级指标",), "name": ("三级指标",),
    "actual": ("实际完成值", "实际值", "完成值", "全年实际", "完成情况"), "target": ("年度指标值", "指标值", "目标值"),
    "weight": ("分值", "权重"), "reported": ("得分",), "deviation": ("偏差原因", "改进措施", "原因"),
    "operator": ("指标性质", "指标方向"), "unit": ("计量单位", "度量单位"),    # 年度指标值 told in three columns
}
FUND_HEADERS = {"initial": ("年初预算", "年度预算"), "full": ("全年预算", "调整后预算", "调整预算", "预算调整", "预算数"),
                "paid": ("全年执行", "执行数", "实际支出", "支出数", "实际执行"),
                "weight": ("分值",), "rate": ("执行率",), "score": ("得分",)}
YEARS = (r"(\d{4})年度", r"(\d{4})年")      # the year evaluated: 年度 first, a date's year only where none is
TOTAL_LABELS = ("总分", "合计得分", "总得分")     # the 总分 row, by a label that starts so …
TOTAL_NAMES = {"合计", "总计"}                      # … or that is one of these
SUBTOTAL = "小计"       # a 小计 row under each 一级 (or "产出指标小计"): no indicator
POINTS_RE = re.compile(r"\s*[（(]\s*\d+(\.\d+)?\s*分?\s*[)）]\s*$")   # 产出指标（50分）: the points are the 分值's
SIGN_OFF = ("填表人", "填报人", "审核人", "负责人", "联系人", "联系电话", "填表日期", "填报日期")   # the signatures under a form
# The unit the funds are typed in, where the form says it: 项目资金（元）, 全年预算数（元）, 金额单位：元
# (as normalize reads them); 万元 where it does not.
MONEY_UNIT_RE = re.compile(r"\((万元|元)\)$|单位:(万元|元)(?![\u4e00-\u9fff])")
PLACEHOLDERS = {"/", "\\", "//", "—", "——", "-", "--", "―"}      # "/" and the dashes typed for "none" (after NFKC)


def _norm(value) -> str:
    return S.normalize(clean_text(value)) if not is_blank(value) else ""


@dataclass
class _Grid:
    """A sheet's values with merged cells spread (a label merged over rows reads in every row)."""
    ws: object
    values: dict[tuple[int, int], object] = field(default_factory=dict)
    merged_right: dict[tuple[int, int], int] = field(default_factory=dict)   # top-left -> last column
    @classmethod
    def of(cls, ws) -> "_Grid":
        g = cls(ws)
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    g.values[(c.row, c.column)] = c.value
        g.values.update(merged_values(ws))
        for rng in ws.merged_cells.ranges:
            g.merged_right[(rng.min_row, rng.min_col)] = rng.max_col
        return g

    def text(self, r, c) -> str:
        return _norm(self.values.get((r, c)))

    def row_texts(self, r) -> list[tuple[int, str]]:
        return [(c, self.text(r, c)) for c in range(1, self.ws.max_column + 1) if self.text(r, c)]


def _starts(texts, words) -> int | None:
    """The column of the first text that starts with one of ``words``."""
    return next((c for c, t in texts if any(t.startswith(w) for w in words)), None)


def _fund_columns(texts) -> dict | None:
    """The funds block's header (全年预算数, or 年初预算数 and 全年执行数 in it): each column by key."""
    cols = {key: _starts(texts, words) for key, words in FUND_HEADERS.items()}
    return cols if cols["full"] or (cols["initial"] and cols["paid"]) else None


def _indicator_head(texts) -> bool:
    """The indicators' header: 三级指标 and 分值 (or 指标分值, 权重…) in one row."""
    return _starts(texts, ("三级指标",)) is not None and any(w in t for _, t in texts for w in INDICATOR_HEADERS["weight"])


def _anchors(ws) -> list[int]:
    return sorted({cell.row for row in ws.iter_rows() for cell in row
                   if cell.value is not None and _norm(cell.value).partition(":")[0] == ANCHOR})


def find_forms(grid: _Grid, anchors: list[int]) -> list[tuple[int, int]]:
    """Where the forms of a sheet are: (first row, last row) of each 项目名称 label that heads a form,
    its funds block or its indicators below it (a 说明 sheet listing 项目名称 among the 栏目 has none)."""
    tops = [_top(grid, row, anchors[i - 1] + 1 if i else 1) for i, row in enumerate(anchors)]
    out = []
    for i, row in enumerate(anchors):
        last = max(tops[i + 1] - 1 if i + 1 < len(anchors) else grid.ws.max_row, row)
        if any(_fund_columns(texts) or _indicator_head(texts) for texts in map(grid.row_texts, range(row, last + 1))):
            out.append((tops[i], last))
    return out


def _top(grid: _Grid, row: int, floor: int) -> int:
    """A form's first row: its title (…自评表…) among the few rows above its 项目名称 (a 填报单位 line,
    a 金额单位 line, a blank row between), else three rows up; never above ``floor``."""
    for r in range(row - 1, max(floor, row - 6) - 1, -1):
        if any(TITLE in t or "自评表" in t for _, t in grid.row_texts(r)):
            return r
    return max(floor, row - 3)


class _Form:
    """A form's cells, read as people fill them: a label found by its text, the value right of it, a
    number or a measure read (a finding where it cannot be), the columns found kept for the findings."""

    def __init__(self, grid: _Grid, first: int, last: int, source: str, index: int):
        self.g, self.first, self.last = grid, first, last
        self.sheet = grid.ws.title
        self.findings: list[Finding] = []
        self.columns: dict[str, dict] = {S.INFO_SHEET: {"value": {}}, S.BUDGET.name: {}, S.PAYMENTS.name: {},
                                         S.INDICATORS.name: {}, S.NARRATIVE.name: {}}
        self.project = Project(source=source, info=ProjectInfo(), columns=self.columns, form=True,
                               titles={S.INFO_SHEET: self.sheet, S.BUDGET.name: self.sheet,
                                       S.PAYMENTS.name: self.sheet, S.INDICATORS.name: self.sheet,
                                       S.NARRATIVE.name: self.sheet})
        self.index = index
        self.money = S.WANYUAN             # the unit of the funds block's amounts (万元 unless it says 元)

    def rows(self):
        return range(self.first, self.last + 1)

    def find(self, words, rows=None) -> tuple[int, int] | None:
        for r in rows or self.rows():
            for c, t in self.g.row_texts(r):
                if any(t.startswith(w) for w in words):
                    return r, c
        return None

    def value_of(self, r, c):
        """A head label's value: typed after it in its own cell (项目名称：…, as forms copied from Word
        are), or else the first filled cell right of it."""
        own = clean_text(self.g.ws.cell(r, c).value)
        label, colon, rest = own.replace("：", ":").partition(":")
        if colon and rest.strip():
            return own[len(label) + 1:].strip(), c
        return self.value_right_of(r, c)

    def value_right_of(self, r, c):
        """The first filled cell right of a label (past the label's own merged cells)."""
        start = self.g.merged_right.get((r, c), c) + 1
        for col in range(start, self.g.ws.max_column + 1):
            raw = self.g.ws.cell(r, col).value
            if not is_blank(raw):
                return raw, col
        return None, None

    def number(self, r, c, key, sheet, label, money: str | None = None):
        """The number in cell (r, c), or None; an amount (``money``: the block's unit) may be typed with its
        unit (95万元, 950,000元) and comes back in ``money``."""
        raw = self.g.ws.cell(r, c).value
        if is_blank(raw) or _norm(raw) in PLACEHOLDERS:
            return None
        try:
            return parse_money(raw, money)[0] if money else parse_number(raw)
        except BadValue as exc:
            self.put(sheet, key, r, c)
            self.findings.append(Code.BAD_VALUE.at(sheet, r, key, label=label, expected=exc, typed=clean_text(raw)))
            return None

    def measure(self, r, cols, key, label):
        """年度指标值 / 实际完成值 of a row, or None (a cell that cannot be read is a finding); a number
        takes the row's 指标性质 (≥, ≤ …) and 计量单位 where the form has them in columns of their own."""
        if not cols[key]:
            return None
        cell = self.g.ws.cell(r, cols[key])
        try:
            measure = parse_measure(cell.value, "%" in str(cell.number_format))
        except BadValue as exc:
            self.findings.append(Code.BAD_VALUE.at(S.INDICATORS.name, r, key, label=label, expected=exc,
                                                   typed=clean_text(cell.value)))
            return None
        if measure is None or measure.number is None:
            return measure
        unit = "" if measure.unit or not cols["unit"] else self.g.text(r, cols["unit"])
        operator = None if measure.operator or not cols["operator"] or key != "target" else \
            Operator.parse(self.g.text(r, cols["operator"]))
        text = f"{operator.value if operator else ''}{measure.text or F.measure(measure)}{unit}" \
            if operator or unit else measure.text                        # as the report quotes it
        return replace(measure, operator=measure.operator or operator, unit=measure.unit or unit, text=text)

    def placeholder(self, r, cols, name) -> str:
        """What makes a row a placeholder: units keep the rows of the form's layout for kinds of
        indicator they do not have, typing "/" in 指标值, 完成值 and 分值 (or as the 三级指标). ''
        for a row that is an indicator."""
        if _norm(name) in PLACEHOLDERS:
            return "三级指标"
        cells = {label: _norm(self.g.ws.cell(r, cols[key]).value) if cols[key] else ""
                 for key, label in (("target", "指标值"), ("actual", "完成值"), ("weight", "分值"))}
        if all(t in PLACEHOLDERS or not t for t in cells.values()) and any(t in PLACEHOLDERS for t in cells.values()):
            return "、".join(label for label, t in cells.items() if t)
        return ""

    def put(self, sheet: str, key: str, row: int, col: int) -> None:
        self.columns[sheet].setdefault(key, {})[row] = column_letter(col)


class _FundsBlock(_Form):
    """项目资金: one budget line a 资金来源 row (年初/全年 from the 年度资金总额 row), its 全年执行数 as the
    one payment the form gives, the typed 执行率 checked, and the 预算执行率 indicator of the total row."""

    def funds(self) -> Indicator | None:
        """The funds block: budget lines per source, their 执行数 as payments; the 预算执行率 points (on
        the 年度资金总额 row, or on the first row of a block that has none)."""
        head = next(((r, cols) for r in self.rows() if (cols := _fund_columns(self.g.row_texts(r)))), None)
        if head is None:
            self.findings.append(Code.FORM_PART_MISSING.at(self.sheet, part="项目资金（年初预算数、全年预算数、全年执行数）"))
            self.project.unread |= {S.BUDGET.name, S.PAYMENTS.name}     # told once, not as "no budget line"
            return None
        r0, cols = head
        self.money = self.money_unit(r0)
        full_col = cols["full"] or cols["initial"]
        info, project = self.project.info, self.project
        execution, total_row = None, None
        totals, sources = (None, None, None), [Decimal(0)] * 3     # (年初, 全年, 执行) of the total; Σ of the sources
        for r in range(r0 + 1, self.last + 1):
            label = self.fund_label(r, cols)
            kind = self.source_of(r, label, cols)
            if kind == "stop":
                break
            full = self.amount(r, full_col, "budget", S.BUDGET.name, "全年预算数")
            initial = self.amount(r, cols["initial"], "budget", S.BUDGET.name, "年初预算数") if cols["initial"] else None
            paid = self.amount(r, cols["paid"], "amount", S.PAYMENTS.name, "全年执行数") if cols["paid"] else None
            self.rate(r, cols, full, paid)
            execution = execution or self.execution(r, cols)
            if kind is None:       # 年度资金总额
                self.total_budget(r, full_col, initial, full)
                total_row, totals = (r, paid), (initial, full, paid)
                continue
            sources = [a + (b or 0) for a, b in zip(sources, (initial if initial is not None else full, full, paid))]
            if full or paid:
                self.line(r, label, full, paid, kind, cols, full_col)
        if total_row is None and project.budget:      # no 年度资金总额 row: the sources' sum, as an officer adds
            info.budget_total = info.budget_full = sources[1]
            info.budget_initial = sources[0]
        elif total_row and not any(totals) and (sources[1] or sources[2]):
            self.total_from_sources(total_row[0], *sources)
        if not project.budget and info.budget_full is not None and total_row:
            # only the total is filled: one line holds it
            self.line(total_row[0], "年度资金总额", info.budget_full, total_row[1], None, cols, full_col)
        return execution

    def total_budget(self, r: int, full_col: int, initial, full) -> None:
        """The 年度资金总额 row: the project's 年初 and 全年 budget."""
        info = self.project.info
        info.budget_total = info.budget_full = full
        info.budget_initial = initial if initial is not None else full
        info.rows.update({"budget_total": r, "budget_full": r, "budget_initial": r})
        self.columns[S.INFO_SHEET]["value"][r] = column_letter(full_col)

    def execution(self, r: int, cols: dict) -> Indicator | None:
        """The 预算执行率 indicator of the funds block's row ``r`` where a 分值 is typed on it."""
        weight = self.number(r, cols["weight"], "weight", S.INDICATORS.name, "分值") if cols["weight"] else None
        if not weight:
            return None
        score = self.number(r, cols["score"], "reported", S.INDICATORS.name, "得分") if cols["score"] else None
        named = Method.EXECUTION.value       # the funds block's row, named as its method
        self.put(S.INDICATORS.name, "weight", r, cols["weight"])
        if cols["score"]:
            self.put(S.INDICATORS.name, "reported", r, cols["score"])
        return Indicator(r, named, named, named, weight, Method.EXECUTION, reported=score, unit="%")

    def source_of(self, r: int, label: str, cols: dict):
        """The 资金来源 of a row of the funds block: None for 年度资金总额, a FundSource by its words, the
        label as typed where a row named otherwise holds an amount (财政资金, 单位自筹…), "stop" past the
        block's last row."""
        kind = next((source for words, source in FUND_ROWS if any(w in label for w in words)), "stop")
        if kind == "stop" and label and any(self.is_number(r, cols[key]) for key in ("initial", "full", "paid")):
            return label
        return kind if label else "stop"

    def fund_label(self, r: int, cols: dict) -> str:
        """A funds row's name: its labels left of the figures (其中 in a cell of its own, or before the
        name, left out; a label merged over columns read once)."""
        left = min(x for x in cols.values() if x)
        texts = dict.fromkeys(t for c, t in self.g.row_texts(r) if c < left and not t.startswith("项目资金"))
        return "".join(texts).removeprefix("其中").lstrip(":")

    def is_number(self, r: int, c: int | None) -> bool:
        raw = self.g.ws.cell(r, c).value if c else None
        try:
            return not is_blank(raw) and parse_number(raw) is not None
        except BadValue:
            return False

    def money_unit(self, head: int) -> str:
        """The unit of the amounts: 万元, or 元 where the form says so (项目资金（元）, 全年预算数（元）,
        or a 金额单位：元 line above the funds block)."""
        for r in range(self.first, head + 1):
            for _, t in self.g.row_texts(r):
                m = MONEY_UNIT_RE.search(t)
                if m and (m.group(2) or t.startswith("项目资金") or _fund_columns([(1, t)])):
                    return m.group(1) or m.group(2)
        return S.WANYUAN

    def amount(self, r, c, key, sheet, label) -> Decimal | None:
        """An amount of the funds block, in 万元."""
        typed = self.number(r, c, key, sheet, label, self.money)
        return None if typed is None else typed * S.MONEY_UNITS[self.money] / S.YUAN_PER_WAN

    def total_from_sources(self, r, initial, full, paid) -> None:
        """A 年度资金总额 row left at zero (or blank) under source rows that hold the figures: the
        total is their sum, and the form is told so at the total's cell."""
        info = self.project.info
        info.budget_total = info.budget_full = full
        info.budget_initial = initial
        self.findings.append(Code.FORM_TOTAL_FROM_SOURCES.at(S.INFO_SHEET, r, "value", initial=F.wan(initial),
                                                             full=F.wan(full), paid=F.wan(paid)))

    def line(self, r, name, full, paid, source, cols, full_col) -> None:
        """One 资金来源 row as a budget line, and its 全年执行数 as the one payment the form gives."""
        info = self.project.info
        self.project.budget.append(BudgetLine(r, name, full or Decimal(0), full or Decimal(0), source))
        self.put(S.BUDGET.name, "name", r, min(x for x in cols.values() if x) - 1)
        self.put(S.BUDGET.name, "budget", r, full_col)
        self.put(S.BUDGET.name, "in_place", r, full_col)
        if paid:
            day = info.period_end or dt.date(info.year or dt.date.today().year, 12, 31)
            self.project.payments.append(Payment(r, day, f"（自评表全年执行数：{name}）", name, paid * S.YUAN_PER_WAN))
            self.put(S.PAYMENTS.name, "amount", r, cols["paid"])

    def rate(self, r, cols, full, paid) -> None:
        """The 执行率 typed on the form against 全年执行数 ÷ 全年预算数 of the same row."""
        if not cols["rate"] or not full or paid is None:
            return
        cell = self.g.ws.cell(r, cols["rate"])
        try:
            typed = parse_measure(cell.value, "%" in str(cell.number_format))
        except BadValue:
            return              # not a rate: nothing to compare
        if typed is None or typed.number is None:
            return
        value = typed.number if typed.unit == "%" or typed.number > 1 else typed.number * 100
        computed = paid / full * 100
        if isinstance(cell.value, str) or "%" not in str(cell.number_format):
            places = max(0, -value.as_tuple().exponent)
        else:                        # a number shown as 91.92%: as precise as its format shows it
            shown = re.search(r"\.(0+)%", str(cell.number_format))
            places = len(shown.group(1)) if shown else 0
            value = F.round_half_up(value, places)
        if F.round_half_up(computed, places) != value:
            self.findings.append(Code.FORM_RATE.at(S.INFO_SHEET, r, "rate", typed=f"{F.number(value)}%",
                                                   computed=F.percent(paid / full)))
            self.columns[S.INFO_SHEET].setdefault("rate", {})[r] = column_letter(cols["rate"])


class _FormReader(_FundsBlock):
    """A whole form: its head, the funds block, the indicators and the total."""

    def head(self) -> None:
        info, sheet = self.project.info, S.INFO_SHEET
        info.report_type, info.mode, info.exec_basis = ReportType.SELF, EvalMode.SELF, ExecBasis.BUDGET
        where = self.find((ANCHOR,))
        side = sum(1 for cell in self.g.ws[where[0]] if _norm(cell.value).partition(":")[0] == ANCHOR)
        if side > 1:        # forms side by side: the left one is read, the others are said not to be
            self.findings.append(Code.FORM_SIDE_BY_SIDE.at(sheet, where[0], "name_label", count=side))
            self.put(sheet, "name_label", where[0], where[1])
        raw, col = self.value_of(*where)
        info.name = clean_text(raw)
        info.rows["name"] = where[0]
        if col:
            self.columns[sheet]["value"][where[0]] = column_letter(col)
        if not info.name:
            self.findings.append(Code.REQUIRED.at(sheet, where[0], "value", label="项目名称"))
            self.columns[sheet]["value"][where[0]] = column_letter(where[1] + 1)
        for key, words in HEAD_LABELS.items():
            found = self.find(words) or (self.find(UNIT_ELSE) if key == "unit" else None)
            if found:
                raw, col = self.value_of(*found)
                if raw is not None and _norm(raw) not in PLACEHOLDERS and not any(
                        _norm(raw).startswith(w) for ws in HEAD_LABELS.values() for w in ws):
                    setattr(info, key, clean_text(raw))
        if not info.unit:        # at the blank right of its label; the sheet's where there is no label
            label = self.find(HEAD_LABELS["unit"])
            if label:
                self.columns[sheet]["value"][label[0]] = column_letter(self.g.merged_right.get(label, label[1]) + 1)
            self.findings.append(Code.REQUIRED.at(sheet, label[0] if label else None, "value", label="实施单位"))
        info.year = self.year()
        if info.year:
            info.period_start, info.period_end = dt.date(info.year, 1, 1), dt.date(info.year, 12, 31)
        goal = self.find(("预期目标",))
        done = self.find(("实际完成情况",))
        for found, attr in ((goal, "annual_goal"), (done, None)):
            if not found:
                continue
            r, c = found
            for below in range(r + 1, min(self.last, r + 4) + 1):
                text = clean_text(self.g.values.get((below, c)))
                if text and _norm(text) not in PLACEHOLDERS:
                    if attr:
                        info.annual_goal = text
                    else:
                        self.project.narratives.append(Narrative(below, NarrativeSlot.ACHIEVEMENTS, text))
                        self.put(S.NARRATIVE.name, "text", below, c)
                    break

    def year(self) -> int | None:
        """评价年度: the year the head says 年度 of (its title: 2023年度…, （2023年度）), else the first
        year it names (a 填报日期 of the next year is not the year evaluated), else the year the sheet's or
        the file's name gives; a finding at the title where none does."""
        texts = [t for r in range(self.first, min(self.last, self.first + 6) + 1) for _, t in self.g.row_texts(r)]
        for where in (texts, [self.sheet], [self.project.source]):   # a title left （    年度）: the sheet's or file's
            for pattern in YEARS:
                for t in where:
                    m = re.search(pattern, t)
                    if m and 1990 < int(m.group(1)) < 2100:
                        return int(m.group(1))
        title = next(((r, c) for r in range(self.first, self.first + 3) for c, t in self.g.row_texts(r) if "年度" in t),
                     self.find((TITLE, "项目支出")) or (self.first, 1))            # （    年度）, or the title
        self.findings.append(Code.REQUIRED.at(S.INFO_SHEET, title[0], "value", label="评价年度"))
        self.columns[S.INFO_SHEET]["value"][title[0]] = column_letter(title[1])
        return None

    def indicator_columns(self) -> tuple[int, dict] | None:
        """The header row of the indicators (三级指标 and 分值 in it) and each column's number by key."""
        for r in self.rows():
            texts = self.g.row_texts(r)
            if _indicator_head(texts):
                cols = {}
                for key, words in INDICATOR_HEADERS.items():
                    cols[key] = next((c for c, t in texts if any(t.startswith(w) or w in t for w in words)
                                      and c not in cols.values()), None)
                return r, cols
        return None

    def indicators(self) -> None:
        head = self.indicator_columns()
        if head is None:
            self.findings.append(Code.FORM_PART_MISSING.at(self.sheet, part="绩效指标的表头（同一行中有“三级指标”和“分值”，以及一级指标、二级指标、得分等栏目）"))
            self.project.unread.add(S.INDICATORS.name)
            return
        r0, cols = head
        last = {"level1": "", "level2": ""}
        no_weight: list[Finding] = []
        for r in range(r0 + 1, self.last + 1):
            kind = self.row_kind(r, cols)
            if kind in ("total", "end"):
                if kind == "total":
                    self.total(r, cols)
                break
            name = clean_text(self.g.values.get((r, cols["name"]))) if cols["name"] else ""
            if kind == SUBTOTAL or not name and not self.is_number(r, cols["weight"]):
                continue
            for key in ("level1", "level2"):
                value = POINTS_RE.sub("", clean_text(self.g.values.get((r, cols[key])))) if cols[key] else ""
                last[key] = value or last[key]
            if not name:          # a row with its 分值 but no 三级 name: told, and scored under its 二级's name
                self.findings.append(Code.REQUIRED.at(S.INDICATORS.name, r, "name", label="三级指标"))
                name = last["level2"] or last["level1"]
            for key, c in cols.items():
                if c:
                    self.put(S.INDICATORS.name, key, r, c)
            self.indicator_row(r, cols, name, last, no_weight)
        if no_weight and not self.project.indicators:
            # contract v3: every 分值 blank is one finding (the checks'), not one a row
            self.findings = [f for f in self.findings if f not in no_weight]
            self.project.weights_missing, self.project.weights_missing_at = len(no_weight), no_weight[0].row

    def row_kind(self, r: int, cols: dict) -> str:
        """"total" for the 总分 row: its first label, or its 一级 cell, 总分… (or 合计/总计); "end" for the
        signatures under a form without one; 小计 for a 一级's subtotal (小计, or 合计 under an 一级); ""
        for any other row."""
        labels = [t for c, t in self.g.row_texts(r) if c < cols["weight"]]
        heads = labels[:1] + ([self.g.text(r, cols["level1"])] if cols["level1"] else [])
        if any(h.startswith(TOTAL_LABELS) or h in TOTAL_NAMES for h in heads):
            return "total"
        if any(t.startswith(SIGN_OFF) for _, t in self.g.row_texts(r)):
            return "end"
        return SUBTOTAL if any(t.endswith(SUBTOTAL) or t in TOTAL_NAMES for t in labels) else ""

    def indicator_row(self, r: int, cols: dict, name: str, last: dict, no_weight: list[Finding]) -> None:
        """Row ``r`` as an indicator (under the 一级 and 二级 ``last`` names); a placeholder row is told
        so, a row without 分值 is added to ``no_weight``."""
        sheet = S.INDICATORS.name
        placeholder = self.placeholder(r, cols, name)
        if placeholder:
            self.findings.append(Code.FORM_PLACEHOLDER.at(sheet, r, "name", what=placeholder))
            return
        weight = self.number(r, cols["weight"], "weight", sheet, "分值") if cols["weight"] else None
        if weight is None:
            typed = self.g.ws.cell(r, cols["weight"]).value if cols["weight"] else None
            if is_blank(typed) or _norm(typed) in PLACEHOLDERS:
                no_weight.append(Code.REQUIRED.at(sheet, r, "weight", label="分值"))
                self.findings.append(no_weight[-1])
            return
        not_applicable = cols["reported"] and NOT_APPLICABLE_RESULT.match(self.g.text(r, cols["reported"]))
        reported = None if not_applicable else \
            self.number(r, cols["reported"], "reported", sheet, "得分") if cols["reported"] else None
        target, actual = _same_scale(self.measure(r, cols, "target", "年度指标值"),
                                     self.measure(r, cols, "actual", "实际完成值"))
        deviation = clean_text(self.g.values.get((r, cols["deviation"]))) if cols["deviation"] else ""
        ind = Indicator(r, last["level1"], last["level2"], name, weight, Method.MANUAL, target=target,
                        actual=actual, reported=reported, deviation=deviation,
                        unit=(target.unit if target and target.number is not None else ""))
        if not_applicable:          # 得分 typed 不适用: left out, the total rescaled
            ind.method = Method.NOT_APPLICABLE
        else:
            _set_method(ind)
        self.project.indicators.append(ind)

    def total(self, r, cols) -> None:
        info = self.project.info
        if cols["reported"]:
            typed = self.number(r, cols["reported"], "value", S.INFO_SHEET, "总分")
            if typed is not None:
                info.self_score = typed
                info.rows["self_score"] = r
                self.columns[S.INFO_SHEET]["value"][r] = column_letter(cols["reported"])

    def read(self) -> tuple[Project, list[Finding]]:
        self.project.unread = {S.CONTRACTS.name, S.SURVEY.name}
        self.head()
        execution = self.funds()
        self.indicators()
        if execution is not None and not any(i.method is Method.EXECUTION for i in self.project.indicators):
            self.project.indicators.insert(0, execution)
        return self.project, self.findings


def _same_scale(target, actual) -> list:
    """年度指标值 and 实际完成值 with a rate typed as a percentage in one (≥95%) and as a fraction in the
    other (0.98, in a cell not formatted as percent): the fraction read as the percentage it is."""
    pair = [target, actual]
    for i, m in enumerate(pair):
        other = pair[1 - i]
        if m is not None and other is not None and m.number is not None and other.number is not None \
                and not m.unit and other.unit == "%" and m.number <= 1 < other.number:
            pair[i] = replace(m, number=m.number * 100, unit="%", text="")
    return pair


def _set_method(ind: Indicator) -> None:
    """How a form's row is scored, from what it holds (see the module's doc)."""
    t, a = ind.target, ind.actual
    if is_execution(ind):
        ind.method = Method.EXECUTION
    elif _scored_by_rate(ind):
        ind.method = Method.SATISFACTION
    elif t is not None and a is not None and t.number is not None and a.number is not None:
        ind.method = Method.RATIO
        if ind.operator is None and t.operator is None:
            ind.operator = Operator.GE
    elif t is not None and a is not None and t.when is not None and a.when is not None:
        ind.method = Method.TIMELINESS
    else:
        ind.method = Method.JUDGEMENT
        typed = ind.reported
        if typed is None or typed >= ind.weight:
            ind.achievement = Achievement.MET
        elif typed > 0:
            ind.achievement = Achievement.PARTLY
        else:
            ind.achievement = Achievement.NOT_MET


def _scored_by_rate(ind: Indicator) -> bool:
    """A 满意度 row whose typed 得分 is 分值 × the rate it reports (97.50% of 5 → 4.88): the unit
    scored it in proportion, as the workbook's 满意度 method does, not as a target met or missed."""
    rate = typed_rate(ind)
    if not is_satisfaction(ind) or rate is None or ind.reported is None or ind.reported > ind.weight:
        return False
    return F.round_half_up(ind.weight * min(rate, Decimal(1))) == F.round_half_up(ind.reported)


def read_forms(wb, name: str, formulas=((), {})) -> list[tuple[Project, list[Finding]]]:
    """Every 自评表 in ``wb``, each as a Project and the findings of reading it; ``formulas``: those
    without a result in the file (reader.formula_results), each told on its form."""
    out = []
    for ws in wb.worksheets:
        anchors = _anchors(ws)
        grid = _Grid.of(ws) if anchors else None
        for first, last in find_forms(grid, anchors) if anchors else ():
            project, findings = _FormReader(grid, first, last, name, len(out) + 1).read()
            out.append((project, _formula_findings(ws.title, first, last, *formulas) + findings))
    return out


def _formula_findings(sheet: str, first: int, last: int, done, problems) -> list[Finding]:
    """The formulas of a form's rows that the file holds no result of: computed, or not computable."""
    out = [Code.FORMULA_COMPUTED.at(sheet, row, col=col, formula=text, value=value)
           for s, row, col, text, value in done if s == sheet and first <= row <= last]
    out += [Code.FORMULA_NO_VALUE.at(sheet, row, col=col, label=f"{column_letter(col)}{row}", formula=text)
            for (s, row, col), text in problems.items() if s == sheet and first <= row <= last]
    return out


# ---------------------------------------------------------------- to the standard workbook
def as_workbook_data(project: Project) -> dict:
    """A form's project as the standard workbook's data (what ``template.write_workbook`` takes), so
    that the evaluator can add payments, contracts and text and build the full report."""
    info = project.info
    data = {S.INFO_SHEET: {
        "项目名称": info.name, "实施单位": info.unit, "主管部门": info.department or None, "评价年度": info.year,
        "报告类型": ReportType.SELF.value, "评价方式": EvalMode.SELF.value, "预算总额": info.budget_total,
        "年初预算数": info.budget_initial, "全年预算数": info.budget_full, "自评得分": info.self_score,
        "预算执行率口径": ExecBasis.BUDGET.value, "年度目标": info.annual_goal or None,
    }}
    data[S.BUDGET.name] = [{"预算项目": b.name, "预算金额": b.budget, "资金来源": b.source.value
                            if isinstance(b.source, FundSource) else b.source,
                            "备注": "由自评表导入"} for b in project.budget]
    data[S.PAYMENTS.name] = [{"支付日期": p.date, "收款单位": p.payee, "预算项目": p.budget_line, "支付金额": p.amount,
                              "备注": "自评表的全年执行数，请替换为实际支付明细"} for p in project.payments]
    rows = []
    for ind in project.indicators:
        row = {"一级指标": ind.level1, "二级指标": ind.level2, "三级指标": ind.name, "分值": ind.weight,
               "计分方法": ind.method.value, "填报得分": ind.reported, "偏差原因": ind.deviation or None,
               "指标性质": operator.value if (operator := ind.operator or ind.target and ind.target.operator) else None,
               "达成情况": ind.achievement.value if ind.achievement else None, "单位": ind.unit or None}
        for key, which in (("目标值", ind.target), ("实际值", ind.actual)):
            if which is not None:
                row[key] = str(which) if which.text else (F.measure(which) if which.number is None
                                                          else f"{F.number(which.number)}{which.unit}")
        rows.append(row)
    data[S.INDICATORS.name] = rows
    data[S.NARRATIVE.name] = [{"章节": n.slot.value, "内容": n.text} for n in project.narratives]
    return data
