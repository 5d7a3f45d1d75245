"""What a batch keeps of one workbook (or one 自评表 of a file): a small picklable ``Record``, the
status words it is filed under, and how a form of a file holding several is named.

The floor under the batch, its 汇总表, its roll-up and the web page's queue: each of them reads
records, none of them needs another to do so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .findings import Finding
from .schema import Severity

OK, HAS_ERRORS, UNREADABLE, FAILED, UP_TO_DATE = "成功", "有错误", "无法读取", "失败", "已是最新"
NOT_WRITTEN = "无法写入"           # an output could not be written (disk full, read-only, …): exit code 1
# What a total is worth: final, or (the workbook has errors) for reference only.
FINAL, PROVISIONAL = "有效", "有错误，仅供参考"


def form_label(name, part: int | None) -> str:
    """How messages name a workbook, or the ``part``-th 自评表 of a file that holds several."""
    return f"{name}（第{part}张自评表）" if part else str(name)


@dataclass
class Record:
    path: str
    status: str                    # 成功 / 有错误 / 无法读取 / 失败 / 已是最新 / 无法写入
    reason: str = ""
    findings: list[Finding] = field(default_factory=list)
    info: dict = field(default_factory=dict)          # 项目名称, 实施单位, 主管部门, 报告类型
    budget: Decimal | None = None
    in_place: Decimal | None = None
    paid: Decimal | None = None
    exec_rate: Decimal | None = None
    level1: list[tuple[str, Decimal | None]] = field(default_factory=list)   # (一级, 得分率)
    total: Decimal | None = None
    grade: str = ""
    scored: bool = False
    report: str | None = None
    form: str | None = None
    pdf: str | None = None
    notes: list[str] = field(default_factory=list)
    json: dict | None = None
    annotated: str | None = None                       # the annotated copy, when one was asked for
    annotate_error: str = ""                           # why it could not be written
    # what the bureau's roll-up (汇总分析报告) needs beyond the totals
    self_score: Decimal | None = None                  # the 总分 the form (or 自评得分) typed
    missed: list[str] = field(default_factory=list)    # 三级 indicators that missed their targets (contract v3)
    kinds: dict[str, int] = field(default_factory=dict)   # findings by code, counted before ``compact``
    stamp: str = ""                                    # what the report was made from (pipeline.build_stamp)
    source: str = ""                                   # the input file (``path`` may name a form in it)
    weights_off: str = ""                              # why the total is not final (分值 missing or not 100)

    counts: tuple[int, int, int] | None = None         # (errors, warnings, hints) once compacted

    @property
    def errors(self) -> int:
        if self.counts is not None:
            return self.counts[0]
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        if self.counts is not None:
            return self.counts[1]
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def hints(self) -> int:
        """How many 提示 (e.g. chapters that will use generated text)."""
        if self.counts is not None:
            return self.counts[2]
        return sum(1 for f in self.findings if f.severity is Severity.NOTE)

    def compact(self, keep_errors: int = 20) -> None:
        """Once printed, keep the counts and the first errors only (for 汇总表): a batch of
        thousands then holds a few KB a workbook, whatever its findings."""
        self.counts = (self.errors, self.warnings, self.hints)
        self.findings = [f for f in self.findings if f.severity is Severity.ERROR][:keep_errors]

    @property
    def unreadable(self) -> bool:
        return self.status in (UNREADABLE, FAILED)
