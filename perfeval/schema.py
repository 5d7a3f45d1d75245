"""The workbook contract (v1, with what v2 and v3 add) as data.

One source of truth for the standard workbook: the template writer, the reader,
the checks and the 填表说明 sheet all read the definitions here. Sheet names and
headers are a public interface: a header listed here is never renamed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from .vocab import APPROPRIATION_WORDS, CARRIED_WORDS, FORM_FUND_ROWS, OPERATOR_ALIASES

TEMPLATE_VERSION = "3"
READ_VERSIONS = ("1", "2", "3")     # v1/v2 workbooks are still read (v2 adds, v3 pins rules down)


class LabelEnum(str, Enum):
    """An enum whose value is its Chinese label; parsed in one place, and written as its label."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @classmethod
    def labels(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def parse(cls, text: str):
        """The member whose label, or else one of whose aliases, ``text`` is (as normalize reads it)."""
        return (_LABELS.get(cls) or _labels(cls)).get(normalize(text))


_LABELS: dict[type, dict[str, LabelEnum]] = {}     # each LabelEnum's labels and aliases, normalized once


def _labels(cls) -> dict[str, LabelEnum]:
    found: dict[str, LabelEnum] = {}
    for m in cls:
        found.setdefault(normalize(m.value), m)
    for m, aliases in getattr(cls, "_aliases", lambda: {})().items():
        for alias in aliases:
            found.setdefault(normalize(alias), m)
    _LABELS[cls] = found
    return found


class ReportType(LabelEnum):
    EVALUATION = "绩效评价报告"
    SELF = "绩效自评报告"


class EvalMode(LabelEnum):
    SELF = "单位自评"
    DEPARTMENT = "部门评价"
    FINANCE = "财政评价"
    THIRD_PARTY = "第三方评价"


class ProjectNature(LabelEnum):
    RECURRING = "经常性项目"
    ONE_OFF = "一次性项目"


class ExecBasis(LabelEnum):
    """Denominator of 预算执行率."""
    IN_PLACE = "到位资金"
    BUDGET = "预算资金"


class SatisfactionBasis(LabelEnum):
    SATISFIED = "满意"
    SATISFIED_OR_BASIC = "满意+基本满意"


class FundSource(LabelEnum):
    """资金来源 as real forms list them; any other text is kept as typed (and counts as 其他资金)."""
    CURRENT = "当年财政拨款"
    CARRIED = "上年结转资金"
    OTHER = "其他资金"
    FISCAL = "财政拨款"
    SPECIAL = "财政专户管理资金"
    UNIT = "单位资金"
    CENTRAL = "中央补助资金"
    PROVINCIAL = "省级补助资金"
    CITY = "市级补助资金"
    COUNTY = "县级补助资金"

    @classmethod
    def _aliases(cls):
        return {cls.CURRENT: ["本年财政拨款", "当年财政拨款资金"], cls.CARRIED: ["上年结转", "上年结余"],
                cls.SPECIAL: ["财政专户资金", "财政专户"], cls.UNIT: ["单位自有资金", "自有资金"],
                cls.CENTRAL: ["中央补助", "中央资金", "中央转移支付"], cls.PROVINCIAL: ["省级补助", "省补助资金", "省级资金"],
                cls.CITY: ["市级补助", "市补助资金", "市级资金"], cls.COUNTY: ["县级补助", "县补助资金", "县级资金"]}

    @property
    def form_row(self) -> str:
        """The 自评表 row this source is counted in (当年财政拨款, 上年结转资金 or 其他资金)."""
        current, carried, other = FORM_FUND_ROWS
        if self is FundSource.CARRIED:
            return carried
        if self in (FundSource.CURRENT, FundSource.FISCAL, FundSource.CENTRAL, FundSource.PROVINCIAL,
                    FundSource.CITY, FundSource.COUNTY):
            return current
        return other


def fund_row(source) -> str:
    """The 自评表 row of a 资金来源: a listed source by its kind, free text by its words ("县级财政拨款"
    is an appropriation, "上年结余" carried over, "自筹" other); none given counts as 其他资金."""
    if isinstance(source, FundSource):
        return source.form_row
    text = normalize(source)
    current, carried, other = FORM_FUND_ROWS
    if any(w in text for w in CARRIED_WORDS):
        return carried
    if any(w in text for w in APPROPRIATION_WORDS):
        return current
    return other


class SpendingType(LabelEnum):
    """支出类型: whether the money is spent through contracts."""
    PROJECT = "项目支出"
    WAGES = "工资福利"
    SUBSIDY = "补助"
    RUNNING = "运转经费"

    @classmethod
    def _aliases(cls):
        return {cls.PROJECT: ["采购", "项目"], cls.WAGES: ["工资", "人员经费", "工资福利支出"],
                cls.SUBSIDY: ["补贴", "补助补贴", "对个人和家庭的补助", "补助资金"],
                cls.RUNNING: ["公用经费", "运行经费", "日常运转"]}

    @property
    def has_contracts(self) -> bool:
        return self is SpendingType.PROJECT


class Achievement(LabelEnum):
    """达成情况 of an indicator scored by 达成判断, and its share of 分值 when no 填报得分 is given."""
    MET = "达成"
    PARTLY = "部分达成"
    NOT_MET = "未达成"

    @classmethod
    def _aliases(cls):
        return {cls.MET: ["已达成", "完成", "已完成", "是"], cls.PARTLY: ["基本达成", "部分完成"],
                cls.NOT_MET: ["未完成", "否", "没有达成"]}


class Method(LabelEnum):
    RATIO = "比率"
    FUNDS_IN_PLACE = "资金到位率"
    EXECUTION = "预算执行率"
    SATISFACTION = "满意度"
    TIMELINESS = "时效"
    POINTS = "要点"
    QUALITATIVE = "定性"
    JUDGEMENT = "达成判断"
    MANUAL = "人工"
    NOT_APPLICABLE = "不适用"


class Operator(LabelEnum):
    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="

    @classmethod
    def _aliases(cls):
        return {cls(symbol): words for symbol, words in OPERATOR_ALIASES.items()}

    @property
    def higher_is_better(self) -> bool:
        return self in (Operator.GE, Operator.GT)


class QualBand(LabelEnum):
    """The three bands of a 定性 indicator, with their share of 分值 [low, high)."""
    ACHIEVED = "达成年度指标"
    PARTLY = "部分达成年度指标并具有一定效果"
    NOT_ACHIEVED = "未达成年度指标且效果较差"

    @property
    def band(self) -> tuple[int, int]:
        return {QualBand.ACHIEVED: (80, 100), QualBand.PARTLY: (60, 80),
                QualBand.NOT_ACHIEVED: (0, 60)}[self]


class Severity(LabelEnum):
    ERROR = "错误"
    WARNING = "警告"
    NOTE = "提示"        # nothing wrong, but worth the evaluator's look (e.g. generated text)


# --------------------------------------------------------------------------
# Cell kinds. The reader turns each cell into a value of its kind or a finding.
TEXT = "text"          # free text
MONEY = "money"        # Decimal in the column's unit (万元 or 元), converted to the canonical unit
NUMBER = "number"      # Decimal, no unit
COUNT = "count"        # non-negative integer
DATE = "date"
YEAR = "year"
CHOICE = "choice"      # one of a LabelEnum
MEASURE = "measure"    # 目标值/实际值: number, percent, date, year-month or text, kept as typed

# Money: the units a header or a cell gives it in, how many 元 a 万元 is, and 万 alone as people
# write 万元 in a hurry ("机房维保2万").
WANYUAN, YUAN = "万元", "元"
YUAN_PER_WAN = 10000
MONEY_UNITS = {WANYUAN: YUAN_PER_WAN, YUAN: 1}
MONEY_SHORTHAND = {"万": WANYUAN}


@dataclass(frozen=True)
class Column:
    key: str                 # attribute name in the model
    name: str                # header text without unit
    kind: str = TEXT
    unit: str | None = None  # canonical unit of a MONEY column
    required: bool = False
    choices: type[LabelEnum] | None = None
    prompt: str = ""         # input prompt shown in Excel/WPS
    width: int = 14
    keeps_row: bool = False  # a bad value here is an error, but the row is still read (and counted)
    open_choice: bool = False  # a value that is not one of the choices is kept as typed

    @property
    def header(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name


@dataclass(frozen=True)
class Sheet:
    name: str
    purpose: str
    columns: tuple[Column, ...] = ()
    required: bool = True

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


class NarrativeSlot(LabelEnum):
    """The 章节 of 文字说明: the places of both report layouts that take the evaluator's paragraphs
    (perfeval.report.outline says where each one is printed), and the titles of those chapters."""
    # 绩效评价报告 (seed 000, 参考提纲 of 财预〔2020〕10号); 前言 where a 评价机构 reports (v3)
    PREFACE = "前言"
    BACKGROUND = "项目背景"
    CONTENT = "主要内容及实施情况"
    FUNDING = "资金投入和使用情况"
    GOALS = "绩效目标"
    COMPLETENESS = "评价完整性"
    PURPOSE = "评价目的"
    OBJECT = "评价对象"
    SCOPE = "评价范围"
    PRINCIPLES = "评价原则"
    SYSTEM = "评价指标体系"
    METHODS = "评价方法"
    STANDARDS = "评价标准"
    PROCESS = "评价工作过程"
    CONCLUSION = "评价结论"
    ACHIEVEMENTS = "主要绩效"
    DECISION = "项目决策情况"
    IMPLEMENTATION = "项目过程情况"
    OUTPUT = "项目产出情况"
    OUTCOME = "项目效益情况"
    EXPERIENCE = "主要经验及做法"
    PROBLEMS = "存在的问题及原因分析"
    SUGGESTIONS = "有关建议"
    OTHER = "其他需要说明的问题"
    # 绩效自评报告 (seed 004, Guangdong outline)
    OVERVIEW = "项目基本情况"
    ORGANISATION = "绩效自评工作组织情况"
    SELF_CONCLUSION = "绩效自评结论"
    ARGUMENT = "论证决策"
    TARGET_SETTING = "目标设置"
    SAFEGUARDS = "保障措施"
    FUNDS_IN_PLACE = "资金到位"
    ALLOCATION = "资金分配"
    PAYMENT = "资金支付"
    SPENDING_RULES = "支出规范性"
    PROCEDURE = "实施程序"
    MANAGEMENT = "管理情况"
    ECONOMY = "经济性"
    EFFICIENCY = "效率性"
    EFFECT = "效果性"
    FAIRNESS = "公平性"
    SELF_PROBLEMS = "存在问题"
    NEXT_STEPS = "下一步工作计划"

    @classmethod
    def _aliases(cls):
        return {cls.OBJECT: ["评价对象和范围"], cls.PROBLEMS: ["存在的问题"], cls.SUGGESTIONS: ["建议"],
                cls.DECISION: ["项目决策"]}


NARRATIVE_SLOTS = NarrativeSlot.labels()


def problems_slot(report_type) -> NarrativeSlot:
    """The chapter where the evaluator says what went wrong (存在的问题) in the layout of ``report_type``:
    the other layout's chapter is not printed."""
    return NarrativeSlot.SELF_PROBLEMS if report_type is ReportType.SELF else NarrativeSlot.PROBLEMS


# --------------------------------------------------------------------------
# 项目信息: one field a row (column A 字段, column B 内容)
INFO_SHEET = "项目信息"
INFO_KEY_HEADER = "字段"
INFO_VALUE_HEADER = "内容"

INFO_FIELDS: tuple[Column, ...] = (
    Column("name", "项目名称", TEXT, required=True, prompt="报告中逐字使用的项目全称"),
    Column("unit", "实施单位", TEXT, required=True),
    Column("department", "主管部门", TEXT),
    Column("year", "评价年度", YEAR, required=True, prompt="四位年份，如 2023"),
    Column("report_type", "报告类型", CHOICE, required=True, choices=ReportType,
           prompt="绩效评价报告（参考提纲格式）或 绩效自评报告（自评格式）"),
    Column("mode", "评价方式", CHOICE, choices=EvalMode),
    Column("nature", "项目性质", CHOICE, choices=ProjectNature),
    Column("budget_total", "预算总额", MONEY, unit=WANYUAN, required=True,
           prompt="批复的预算总额（全年预算数），须等于“预算明细”各行之和；填写了全年预算数时可不填"),
    Column("approval_no", "预算批复文号", TEXT, prompt="如 乌财建号〔2023〕8号"),
    Column("period_start", "评价期间开始", DATE, prompt="留空则为评价年度1月1日"),
    Column("period_end", "评价期间结束", DATE, prompt="留空则为评价年度12月31日"),
    Column("exec_basis", "预算执行率口径", CHOICE, choices=ExecBasis,
           prompt="到位资金（默认）：实际支出/实际到位资金；预算资金：实际支出/预算"),
    Column("satisfaction_basis", "满意度口径", CHOICE, choices=SatisfactionBasis,
           prompt="满意（默认）：只计“满意”；满意+基本满意：两者合计"),
    Column("overall_goal", "总体目标", TEXT),
    Column("annual_goal", "年度目标", TEXT, prompt="阶段性目标"),
    Column("evaluator", "评价机构", TEXT, prompt="第三方评价机构；填写后报告有封面和前言"),
    Column("report_date", "报告日期", DATE),
    # v2: from the 自评表 that offices fill
    Column("budget_initial", "年初预算数", MONEY, unit=WANYUAN, prompt="年初批复的预算，自评表“年初预算数”栏；留空则等于全年预算数"),
    Column("budget_full", "全年预算数", MONEY, unit=WANYUAN,
           prompt="调整后的全年预算，执行率以此为分母；留空则等于预算总额"),
    Column("self_score", "自评得分", NUMBER, prompt="评价人自己给出的总分，perfeval 与按指标计算的总分核对"),
    Column("spending_type", "支出类型", CHOICE, choices=SpendingType,
           prompt="项目支出（默认）有合同；工资福利、补助、运转经费没有合同，不做合同核对"),
    # v3
    Column("organiser", "组织单位", TEXT, prompt="委托评价的单位（委托方），如 某县财政局；写入封面和前言"),
)

# A required field that another field can stand in for (v2: 全年预算数 for 预算总额).
INFO_ALTERNATIVES = {"budget_total": "budget_full"}

BUDGET = Sheet("预算明细", "每行一个预算项目（预算明细）。各行预算金额之和须等于项目信息中的预算总额。", (
    Column("name", "预算项目", TEXT, required=True, width=28),
    Column("budget", "预算金额", MONEY, unit=WANYUAN, required=True, width=16),
    Column("in_place", "到位金额", MONEY, unit=WANYUAN, width=16,
           prompt="留空表示该行资金全部到位（到位金额=预算金额）"),
    Column("source", "资金来源", CHOICE, choices=FundSource, width=16, open_choice=True,
           prompt="下拉选择，或填写其他来源（计入其他资金）"),
    Column("note", "备注", TEXT, width=30),
))

CONTRACTS = Sheet("合同", "每行一份合同。预算项目须与“预算明细”中的名称一致。", (
    Column("name", "合同名称", TEXT, required=True, width=30),
    Column("supplier", "供应商", TEXT, required=True, width=26),
    Column("budget_line", "预算项目", TEXT, width=24, prompt="填写“预算明细”中的预算项目名称"),
    Column("amount", "合同金额", MONEY, unit=YUAN, width=16),
    Column("signed", "签订日期", DATE, width=14),
    Column("service_start", "服务期开始", DATE, width=14),
    Column("service_end", "服务期结束", DATE, width=14),
    Column("note", "备注", TEXT, width=30),
), required=False)

PAYMENTS = Sheet("支付", "每行一笔支付。实际支出为本表支付金额之和。", (
    Column("date", "支付日期", DATE, required=True, width=14),
    Column("payee", "收款单位", TEXT, required=True, width=28),
    Column("budget_line", "预算项目", TEXT, required=True, width=24,
           prompt="填写“预算明细”中的预算项目名称"),
    Column("amount", "支付金额", MONEY, unit=YUAN, required=True, width=16),
    Column("voucher", "凭证号", TEXT, width=14),
    Column("note", "备注", TEXT, width=30),
))

INDICATORS = Sheet("绩效指标", "每行一个三级指标。分值合计须为100分。", (
    Column("level1", "一级指标", TEXT, required=True, width=12),
    Column("level2", "二级指标", TEXT, required=True, width=14),
    Column("name", "三级指标", TEXT, required=True, width=20),
    Column("weight", "分值", NUMBER, required=True, width=8),
    Column("method", "计分方法", CHOICE, required=True, choices=Method, width=12,
           prompt="见“填表说明”中各计分方法的规则", keeps_row=True),   # its 分值 still counts in the totals
    Column("operator", "指标性质", CHOICE, choices=Operator, width=10,
           prompt="≥、>：越大越好；≤、<：越小越好；=：等于目标"),
    Column("target", "目标值", MEASURE, width=14, prompt="数值、百分比或日期，如 90%、4、2023年9月"),
    Column("actual", "实际值", MEASURE, width=14),
    Column("unit", "单位", TEXT, width=8),
    Column("band", "定性档次", CHOICE, choices=QualBand, width=18, prompt="计分方法为“定性”时填写"),
    Column("points_total", "要点总数", COUNT, width=10, prompt="留空则按评价要点中①②③…的个数"),
    Column("points_met", "要点达成数", COUNT, width=10),
    Column("reported", "填报得分", NUMBER, width=10, prompt="评价人给出的得分；人工、定性计分时为最终得分"),
    Column("explanation", "指标解释", TEXT, width=30),
    Column("key_points", "评价要点", TEXT, width=36),
    Column("remarks", "评分说明", TEXT, width=40),
    Column("deviation", "偏差原因", TEXT, width=30),
    Column("note", "备注", TEXT, width=24),
    Column("achievement", "达成情况", CHOICE, choices=Achievement, width=10,
           prompt="计分方法为“达成判断”时填写：达成、部分达成（须填填报得分）、未达成"),
))

SURVEY = Sheet("满意度调查", "每行一个调查对象群体。满意+基本满意+不满意=有效样本。", (
    Column("group", "调查对象", TEXT, required=True, width=20),
    Column("valid", "有效样本", COUNT, required=True, width=10),
    Column("satisfied", "满意", COUNT, required=True, width=10),
    Column("basic", "基本满意", COUNT, width=10),
    Column("unsatisfied", "不满意", COUNT, width=10),
    Column("note", "备注", TEXT, width=30),
), required=False)

NARRATIVE = Sheet("文字说明", "评价人撰写的段落。同一章节的多行按顺序成为连续段落。", (
    Column("slot", "章节", CHOICE, required=True, choices=NarrativeSlot, width=20),
    Column("text", "内容", TEXT, required=True, width=100),
), required=False)

TABLE_SHEETS: tuple[Sheet, ...] = (BUDGET, CONTRACTS, PAYMENTS, INDICATORS, SURVEY, NARRATIVE)
INSTRUCTIONS_SHEET = "填表说明"
LISTS_SHEET = "下拉选项"                 # the drop-downs' choices (hidden)
HELPER_SHEETS = (INSTRUCTIONS_SHEET, LISTS_SHEET)   # written for the user, never read back
INFO_PURPOSE = "项目基本信息，每行一个字段：A列为字段名，B列填写内容。"


# --------------------------------------------------------------------------
_UNIT_RE = re.compile(r"^(.*?)\((万元|元|%|分)\)$")


def normalize(text) -> str:
    """Compare form of a header, a field or a label: NFKC, no whitespace."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", s)


def split_header(text) -> tuple[str, str | None]:
    """'预算金额（万元）' -> ('预算金额', '万元'); full- and half-width brackets alike."""
    s = normalize(text)
    m = _UNIT_RE.match(s)
    if m:
        return m.group(1), m.group(2)
    return s, None
