"""Typed facts read from one workbook, and the findings about them.

Every fact keeps the row it came from (and the reader keeps each sheet's column letters)
so that a finding about it can point the user at the exact cell to fix.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .values import Measure
from .schema import (ExecBasis, FundSource, Method, NarrativeSlot, Operator, QualBand,
                     ReportType, SatisfactionBasis)


@dataclass
class ProjectInfo:
    name: str = ""
    unit: str = ""
    department: str = ""
    year: int | None = None
    report_type: ReportType | None = None
    mode: object = None
    nature: object = None
    budget_total: Decimal | None = None      # 万元 (= 全年预算数)
    budget_initial: Decimal | None = None    # 万元, 年初预算数
    budget_full: Decimal | None = None       # 万元, 全年预算数 (调整后)
    self_score: Decimal | None = None        # the evaluator's own 总分
    spending_type: object = None             # SpendingType
    approval_no: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    exec_basis: ExecBasis = ExecBasis.IN_PLACE
    satisfaction_basis: SatisfactionBasis = SatisfactionBasis.SATISFIED
    overall_goal: str = ""
    annual_goal: str = ""
    evaluator: str = ""
    organiser: str = ""                      # 组织单位: who commissioned the evaluation (委托方)
    report_date: dt.date | None = None
    rows: dict[str, int] = field(default_factory=dict)   # field key -> its row in 项目信息


@dataclass
class BudgetLine:
    row: int
    name: str
    budget: Decimal                # 万元
    in_place: Decimal              # 万元 (blank in the workbook = budget)
    source: FundSource | str | None = None     # a FundSource, or another source as typed
    note: str = ""


@dataclass
class Contract:
    row: int
    name: str
    supplier: str
    budget_line: str = ""
    amount: Decimal | None = None  # 元
    signed: dt.date | None = None
    service_start: dt.date | None = None
    service_end: dt.date | None = None
    note: str = ""


@dataclass
class Payment:
    row: int
    date: dt.date
    payee: str
    budget_line: str
    amount: Decimal                # 元
    voucher: str = ""
    note: str = ""


@dataclass
class Indicator:
    row: int
    level1: str
    level2: str
    name: str
    weight: Decimal
    method: Method | None          # None: unreadable (an error of its own); scored 0, its 分值 still counts
    operator: Operator | None = None
    target: Measure | None = None  # parsed once by the reader
    actual: Measure | None = None
    unit: str = ""
    band: QualBand | None = None
    achievement: object = None     # Achievement (达成判断)
    points_total: int | None = None
    points_met: int | None = None
    reported: Decimal | None = None
    explanation: str = ""
    key_points: str = ""
    remarks: str = ""
    deviation: str = ""
    note: str = ""

    @property
    def comparison(self) -> Operator | None:
        """指标性质, or else the comparison written in the 目标值 ("≥95%")."""
        if self.operator is not None:
            return self.operator
        return self.target.operator if self.target is not None else None


@dataclass
class SurveyGroup:
    row: int
    group: str
    valid: int
    satisfied: int
    basic: int = 0
    unsatisfied: int = 0
    note: str = ""


@dataclass
class Narrative:
    row: int
    slot: NarrativeSlot
    text: str


@dataclass
class Project:
    source: str                                   # file name shown in messages
    info: ProjectInfo
    budget: list[BudgetLine] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    survey: list[SurveyGroup] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> key -> column letter (for locate)
    unread: set[str] = field(default_factory=set)   # sheets missing, or whose headers could not be read
    titles: dict[str, str] = field(default_factory=dict)  # contract sheet -> the file's sheet (a 自评表)
    form: bool = False                                 # read from an official 自评表, not the standard workbook
    # Rows of 绩效指标 whose 分值 is blank when no row has one (contract v3: not scorable), and the
    # first of them.
    weights_missing: int = 0
    weights_missing_at: int | None = None

    def texts(self, slot: NarrativeSlot) -> list[str]:
        """The evaluator's paragraphs of a 章节, in order."""
        return [n.text for n in self.narratives if n.slot is slot]
