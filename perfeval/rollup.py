"""The bureau's figures over a batch of 自评表: what 汇总表.xlsx's analysis sheets and the
汇总分析报告 both show, computed once here from the batch's records (and the previous year's
汇总表, where given), so that the workbook and the report never disagree.

- 基本情况: forms received, scored and unreadable; 实施单位 and 主管部门; funds covered;
- 自评结果: grades (count and funds), by 主管部门 (``by_department``, the 汇总表's own sheet too);
- 主要问题: findings across forms by kind, with counts and named examples;
- 自评质量: forms whose typed 总分 the rules do not support, with the difference;
- 结果应用: the projects with 中/差 or 预算执行率 below 90% for budget review (财预〔2020〕10号);
- 上年对比: projects matched by 项目名称 and 实施单位: score and 执行率 change, two years running,
  new and dropped projects.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import figures as F
from .figures import as_number as _num
from .record import FAILED, UNREADABLE, Record
from .schema import normalize
from .vocab import GRADES, LOW_EXECUTION

ZERO = Decimal(0)
LOW_GRADES = ("中", "差")          # 评价等级为中、差: 改进管理、核减预算
EXAMPLES = 5                        # named examples per kind of problem
UNREADABLE_STATUSES = (UNREADABLE, FAILED)


def project_key(name, unit) -> tuple[str, str]:
    """How a project is recognised from one year to the next: its 项目名称 and 实施单位, compared
    without spaces, full/half-width differences or the year written in the name ("2023年")."""
    def clean(text) -> str:
        return re.sub(r"(19|20)\d{2}年度?", "", normalize(str(text or "")))
    return clean(name), clean(unit)


def _name(r: Record) -> str:
    return r.info.get("项目名称") or Path(r.path).name


# ---------------------------------------------------------------- the parts of the roll-up
@dataclass
class GradeRow:
    grade: str
    projects: int
    budget: Decimal
    paid: Decimal

    @property
    def exec_rate(self) -> Decimal | None:
        return self.paid / self.budget if self.budget else None


@dataclass
class Problem:
    """One kind of problem across the forms: how many forms, how many instances, examples."""
    key: str
    title: str
    forms: int = 0
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class Quality:
    """A form whose typed 总分 the rules do not support."""
    record: Record
    typed: Decimal
    total: Decimal

    @property
    def difference(self) -> Decimal:
        return self.typed - self.total


# What the 10号 rules ask of each case (评价结果与预算安排挂钩), as the report and 汇总表 word it.
ADVICE_LOW_GRADE = "完善政策、改进管理，根据情况核减下年度预算"
ADVICE_LOW_RATE = "结合结转结余情况审核下年度预算规模"
ADVICE_RUNNING = "连续两年存在问题，作为下年度预算审核的重点，整改到位前从严安排"


@dataclass
class Review:
    """A project listed for budget review, and why."""
    record: Record
    reasons: list[str]

    @property
    def advice(self) -> str:
        out = []
        if self.record.grade in LOW_GRADES:
            out.append(ADVICE_LOW_GRADE)
        if _low_rate(self.record.exec_rate):
            out.append(ADVICE_LOW_RATE)
        if "连续两年" in self.reasons:
            out.append(ADVICE_RUNNING)
        return "；".join(out)


@dataclass
class PriorRow:
    """A project as the previous year's 汇总表 shows it."""
    name: str
    unit: str
    department: str
    total: Decimal | None
    grade: str
    exec_rate: Decimal | None
    budget: Decimal | None


@dataclass
class Change:
    record: Record
    prior: PriorRow

    @property
    def score_change(self) -> Decimal | None:
        r = self.record
        return r.total - self.prior.total if r.scored and r.total is not None and self.prior.total is not None else None

    @property
    def rate_change(self) -> Decimal | None:
        r = self.record
        if r.exec_rate is None or self.prior.exec_rate is None:
            return None
        return r.exec_rate - self.prior.exec_rate

    @property
    def running(self) -> list[str]:
        """What has been wrong two years running: 中/差, 执行率 below 90%."""
        out = []
        if self.record.scored and self.record.grade in LOW_GRADES and self.prior.grade in LOW_GRADES:
            out.append(f"连续两年评价等级为中或差（上年{self.prior.grade}、本年{self.record.grade}）")
        if _low_rate(self.record.exec_rate) and _low_rate(self.prior.exec_rate):
            out.append(f"连续两年预算执行率低于{F.percent(LOW_EXECUTION, 0)}"
                       f"（上年{F.percent(self.prior.exec_rate)}、本年{F.percent(self.record.exec_rate)}）")
        return out


def _low_rate(rate) -> bool:
    return rate is not None and rate < LOW_EXECUTION


@dataclass
class YearOverYear:
    changes: list[Change] = field(default_factory=list)
    new: list[Record] = field(default_factory=list)
    dropped: list[PriorRow] = field(default_factory=list)

    @property
    def running(self) -> list[Change]:
        return [c for c in self.changes if c.running]

    def of(self, record: Record) -> Change | None:
        return next((c for c in self.changes if c.record is record), None)


@dataclass
class Rollup:
    records: list[Record]
    year: int | None
    forms: int
    scored: list[Record]
    unreadable: list[Record]
    units: int
    departments: int
    budget: Decimal
    paid: Decimal
    weighted_score: Decimal | None
    grades: list[GradeRow]
    by_department: object                          # the DataFrame of 汇总表's 按主管部门汇总
    problems: list[Problem]
    quality: list[Quality]
    review: list[Review]
    previous: YearOverYear | None = None

    @property
    def exec_rate(self) -> Decimal | None:
        return self.paid / self.budget if self.budget else None

    @property
    def coverage(self) -> Decimal | None:
        """The forms scored, of all received."""
        return Decimal(len(self.scored)) / self.forms if self.forms else None


# ---------------------------------------------------------------- computing it
def by_department(records: list[Record]):
    """The roll-up by 主管部门 (a pandas DataFrame, one row per department in name order): projects,
    how many of each grade, 预算 and 支出 of the scored projects, their 资金加权平均分, and how many
    could not be scored."""
    import pandas as pd     # here only: `perfeval check` imports this module (batch) and never pays for pandas
    grades = [label for _, label in GRADES]
    frame = pd.DataFrame({
        "主管部门": [r.info.get("主管部门") or "（未填写）" for r in records],
        "scored": [r.scored for r in records],
        "grade": [r.grade if r.scored else None for r in records],
        "budget": [(r.budget or Decimal(0)) if r.scored else Decimal(0) for r in records],
        "paid": [(r.paid or Decimal(0)) if r.scored else Decimal(0) for r in records],
        "points": [r.total * (r.budget or 0) if r.scored else Decimal(0) for r in records],
    })
    for g in grades:
        frame[g] = frame["grade"] == g
    rolled = frame.groupby("主管部门", sort=True).agg(
        项目数=("scored", "size"), **{f"{g}（个）": (g, "sum") for g in grades},
        budget=("budget", lambda x: sum(x, Decimal(0))), paid=("paid", lambda x: sum(x, Decimal(0))),
        points=("points", lambda x: sum(x, Decimal(0))), scored=("scored", "sum")).reset_index()
    out = pd.DataFrame({"主管部门": rolled["主管部门"], "项目数": rolled["项目数"].astype(int)})
    for g in grades:
        out[f"{g}（个）"] = rolled[f"{g}（个）"].astype(int)
    out["预算总额（万元）"] = [_num(b) for b in rolled["budget"]]
    out["支出（万元）"] = [_num(p) for p in rolled["paid"]]
    out["资金加权平均分"] = [_num(p / b) if b else None for p, b in zip(rolled["points"], rolled["budget"])]
    out["未计分（个）"] = (rolled["项目数"] - rolled["scored"]).astype(int)
    return out


def rollup(records: list[Record], previous: list[PriorRow] | None = None) -> Rollup:
    """The roll-up of a batch's records; ``previous``: the previous year's projects (``read_previous``)."""
    scored = [r for r in records if r.scored and r.total is not None]
    readable = [r for r in records if r.status not in UNREADABLE_STATUSES]
    budget = sum((r.budget or ZERO for r in scored), ZERO)
    points = sum((r.total * (r.budget or ZERO) for r in scored), ZERO)
    years = Counter(r.info.get("评价年度") for r in readable if r.info.get("评价年度"))
    out = Rollup(
        records=records, year=years.most_common(1)[0][0] if years else None, forms=len(records), scored=scored,
        unreadable=[r for r in records if r.status in UNREADABLE_STATUSES],
        units=len({normalize(r.info.get("实施单位") or "") for r in readable} - {""}),
        departments=len({normalize(r.info.get("主管部门") or "") for r in readable} - {""}),
        budget=budget, paid=sum((r.paid or ZERO for r in scored), ZERO),
        weighted_score=points / budget if budget else None, grades=_grades(scored),
        by_department=by_department(records), problems=_problems(records), quality=_quality(scored),
        review=[])
    if previous is not None:
        out.previous = compare(scored, previous)
    out.review = _review(scored, out.previous)
    return out


def _grades(scored) -> list[GradeRow]:
    rows = []
    for _, grade in GRADES:
        mine = [r for r in scored if r.grade == grade]
        rows.append(GradeRow(grade, len(mine), sum((r.budget or ZERO for r in mine), ZERO),
                             sum((r.paid or ZERO for r in mine), ZERO)))
    return rows


# The kinds of problem the report names, in its order: (key, title, finding code or None).
PROBLEM_KINDS = (
    ("low_execution", f"预算执行率低于{F.percent(LOW_EXECUTION, 0)}", None),
    ("missed", "绩效指标未完成年度目标", None),
    ("total_not_rows", "填写的总分与各指标得分之和不符", "TOTAL_NOT_ROWS"),
    ("weights", "指标分值合计不为100分", "WEIGHT_TOTAL"),
    ("no_reason", "未完成目标的指标未填写偏差原因", "NO_DEVIATION_REASON"),
    ("rate_typed", "填写的执行率与金额不符", "FORM_RATE"),
    ("reported", "指标填写的得分与评分规则不符", "REPORTED_SCORE"),
    ("unreadable", "无法读取的自评表", None),
)


def _problems(records) -> list[Problem]:
    out = []
    for key, title, code in PROBLEM_KINDS:
        p = Problem(key, title)
        for r in records:
            count, example = _instance(key, code, r)
            if count:
                p.forms += 1
                p.count += count
                if len(p.examples) < EXAMPLES:
                    p.examples.append(example)
        out.append(p)
    return out


def _instance(key: str, code: str | None, r: Record) -> tuple[int, str]:
    """How many times ``r`` shows this kind of problem, and how an example names it."""
    if key == "unreadable":
        return (1, f"{Path(r.path).name}（{_reason(r)}）") if r.status in UNREADABLE_STATUSES else (0, "")
    if not r.scored:
        return 0, ""
    if key == "low_execution":
        return (1, f"{_name(r)}（执行率{F.percent(r.exec_rate)}）") if _low_rate(r.exec_rate) else (0, "")
    if key == "missed":
        shown = "、".join(r.missed[:3]) + ("等" if len(r.missed) > 3 else "")
        return (len(r.missed), f"{_name(r)}（{shown}）") if r.missed else (0, "")
    count = r.kinds.get(code, 0)
    return count, _name(r) + (f"（{count}项）" if count > 1 else "")


def _reason(r: Record) -> str:
    """The reason a file could not be read, in a few words (汇总表 gives it in full)."""
    text = r.reason.split("：", 1)[-1]
    for words, short in (("密码", "设置了打开密码"), ("损坏", "文件已损坏或不完整"), ("远超", "文件异常巨大"),
                         ("超过", "处理超时或超出内存限制")):
        if words in text:
            return short
    return text.split("。", 1)[0]


def _quality(scored) -> list[Quality]:
    out = [Quality(r, r.self_score, r.total) for r in scored if r.self_score is not None
           and r.kinds.get("SELF_SCORE")]
    return sorted(out, key=lambda q: (-abs(q.difference), _name(q.record)))


def _review(scored, previous: YearOverYear | None) -> list[Review]:
    """中/差, or 执行率 below 90%: listed for the next budget's review; two years running first."""
    out = []
    for r in scored:
        reasons = []
        if r.grade in LOW_GRADES:
            reasons.append(f"评价等级为{r.grade}")
        if _low_rate(r.exec_rate):
            reasons.append(f"预算执行率{F.percent(r.exec_rate)}")
        change = previous.of(r) if previous else None
        if change and change.running:
            reasons.append("连续两年")
        if reasons:
            out.append(Review(r, reasons))
    return sorted(out, key=lambda v: ("连续两年" not in v.reasons, v.record.total, _name(v.record)))


# ---------------------------------------------------------------- the previous year
def compare(scored, previous: list[PriorRow]) -> YearOverYear:
    """Match this year's scored projects to last year's by 项目名称 and 实施单位."""
    prior = {}
    for row in previous:
        prior.setdefault(project_key(row.name, row.unit), row)
    out, seen = YearOverYear(), set()
    for r in scored:
        key = project_key(r.info.get("项目名称"), r.info.get("实施单位"))
        if key in prior and key not in seen:
            out.changes.append(Change(r, prior[key]))
            seen.add(key)
        elif key not in prior:
            out.new.append(r)
    out.dropped = [row for key, row in prior.items() if key not in seen]
    return out


def prior_rows(records) -> list[PriorRow]:
    """Last year's projects from last year's records (a folder of last year's forms, checked)."""
    return [PriorRow(r.info.get("项目名称") or "", r.info.get("实施单位") or "", r.info.get("主管部门") or "",
                     r.total, r.grade, r.exec_rate, r.budget) for r in records if r.scored and r.total is not None]
