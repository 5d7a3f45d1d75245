"""The domain's words, in one place: how people write comparisons, which 一级 words mean what,
the grades, and the thresholds of the evaluation rules (the chapters are schema.NarrativeSlot).

Everything that reads or writes Chinese domain words (the reader, scoring, the checks, the
checks of the evaluator's text and the report) takes them from here.
"""
from __future__ import annotations

import re
from decimal import Decimal

# ---------------------------------------------------------------- comparisons
# Symbol of each comparison, and every way people write it (目标值 "不低于95%", "多于5套",
# a sentence "不得超过2%"), the compatibility forms of the symbols that forms are filled with
# included (the small ﹦﹥﹤, the full-width ＝＞＜, the slanted ⩾⩽, ≧≦, "not less than" ≮).
# Ordered longest first wherever they are searched for.
OPERATOR_SYMBOLS = ("≥", ">", "≤", "<", "=")
_WORDS = {
    "≥": (">=", "≧", "⩾", "≮", "＞＝", "﹥﹦", "大于等于", "大于或等于", "不低于", "不少于", "不小于", "不得小于",
          "不得低于", "不得少于", "至少"),
    ">": ("＞", "﹥", "大于", "高于", "多于", "超过"),
    "≤": ("<=", "≦", "⩽", "≯", "＜＝", "﹤﹦", "小于等于", "小于或等于", "不高于", "不多于", "不大于", "不超过",
          "不得大于", "不得高于", "不得超过", "至多"),
    "<": ("＜", "﹤", "小于", "低于", "少于"),
    "=": ("＝", "﹦", "⩵", "==", "等于"),
}
OPERATOR_WORDS: list[tuple[str, str]] = sorted(
    [(symbol, symbol) for symbol in OPERATOR_SYMBOLS] + [(w, s) for s, words in _WORDS.items() for w in words],
    key=lambda pair: -len(pair[0]))
OPERATOR_ALIASES: dict[str, tuple[str, ...]] = _WORDS
OPERATOR_PATTERN = "|".join(re.escape(word) for word, _ in OPERATOR_WORDS)

# 目标值/实际值 as typed: an optional comparison, a number, the rest is its unit ("≥95%", "不超过94万元").
MEASURE_RE = re.compile(r"^(?P<op>" + OPERATOR_PATTERN + r")?(?P<num>[+-]?(\d+(\.\d*)?|\.\d+))(?P<unit>.*)$")


def operator_symbol_in(text: str) -> str | None:
    """The comparison a phrase writes ("不得大于2%" -> "≤"), or None."""
    for word, symbol in OPERATOR_WORDS:
        if word in text:
            return symbol
    return None


# 实际值 that says the indicator did not apply this year: "不适用", "无（没有轮换）", "本年无此项".
NOT_APPLICABLE_RESULT = re.compile(r"^(不适用|不涉及|无此项|本年(度)?无此项|无[（(].*[）)]|无)[。.]?$")

# Words that make the number after an indicator's name a change, not its value ("较往年增加2套").
RELATIVE_WORDS = re.compile(r"增加|减少|增长|下降|提高|降低|较|比|同比|环比|新增")

# ---------------------------------------------------------------- 一级 指标 by their words
# The four 一级 of the 财预〔2020〕10号 framework, as evaluators name them.
DECISION, PROCESS, OUTPUT, OUTCOME = "决策", "过程", "产出", "效益"
FRAMEWORK_LEVEL1 = (DECISION, PROCESS, OUTPUT, OUTCOME)
FRAMEWORK_ONLY = (DECISION, PROCESS)      # 一级 that only the framework has (a 自评表's are 产出, 效益…)

# What a 一级 or 二级 name says the indicators are about.
DECISION_WORDS = (DECISION,)
INITIATION_WORDS = ("立项",)       # the 二级 of 决策 about setting the project up (项目立项)
PROCESS_WORDS = (PROCESS, "管理")
COST_WORDS = ("成本",)      # 产出成本、成本指标 (经济效益 is an outcome, not a cost)
OUTPUT_WORDS = (OUTPUT,) + COST_WORDS     # 成本指标 as an 一级 of its own (the 2021 template) is part of 产出
BENEFIT_WORDS = (OUTCOME,)          # 效益 without 满意度 (the 自评 weights count 满意度 apart)
SATISFACTION_WORDS = ("满意",)
OUTCOME_WORDS = BENEFIT_WORDS + SATISFACTION_WORDS
EXECUTION_WORDS = ("预算执行", "资金执行率", "支出率")
TIME_WORDS = ("时效", "及时")

# The 一级 weights of a 单位自评 (财预〔2020〕10号 附件1), (as the rule names the part, points): 产出 and
# 效益 are the indicators under those 一级, 满意度 and 预算执行率 the indicators of that role wherever
# they sit (scoring.is_satisfaction, scoring.is_execution).
SELF_OUTPUT, SELF_BENEFIT, SELF_SATISFACTION, SELF_EXECUTION = (OUTPUT, 50), (OUTCOME, 30), ("满意度", 10), ("预算执行率", 10)
# 部门评价/财政评价: 产出 and 效益 (满意度 counts as 效益) together at least this many points.
OUTPUT_AND_OUTCOME_WORDS = OUTPUT_WORDS + OUTCOME_WORDS
MIN_OUTPUT_AND_OUTCOME = 60


def has_word(name: str, words) -> bool:
    return any(w in name for w in words)


# ---------------------------------------------------------------- 资金来源 on the 自评表
# The three source rows of the 自评表's funds block (contract v3): 当年财政拨款 holds every current-year
# appropriation and 补助 of any level; 上年结转资金 what names 结转; 其他资金 the rest (单位资金, 自筹,
# 财政专户管理资金…). A source typed as free text is put in a row by these words.
FORM_FUND_ROWS = ("当年财政拨款", "上年结转资金", "其他资金")
CARRIED_WORDS = ("结转", "结余")
APPROPRIATION_WORDS = ("财政拨款", "拨款", "财政资金", "补助", "转移支付", "一般公共预算", "政府性基金")


# ---------------------------------------------------------------- grades
GRADES = [(90, "优"), (80, "良"), (60, "中"), (0, "差")]
GRADE_WORDS = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "合格": "中",
               "差": "差", "不合格": "差", "较差": "差"}


def grade_of(total) -> str:
    for floor, label in GRADES:
        if total >= floor:
            return label
    return GRADES[-1][1]


# ---------------------------------------------------------------- thresholds of the rules
FAR_ABOVE_TARGET = Decimal("1.3")      # completion ≥ 130% of the target: the target may be set too low
LOW_EXECUTION = Decimal("0.9")         # 预算执行率 below 90% must be explained (and is a target missed)
SATISFACTION_TARGET = Decimal("0.9")   # a 满意度 indicator without 目标值 is judged against 90%
MOSTLY_MET = Decimal("0.8")            # 绩效目标总体完成 where at least 80% of the 三级 reached their targets (多数 above half)
