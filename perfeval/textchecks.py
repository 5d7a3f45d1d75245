"""Figures quoted in the evaluator's own text, compared with the data.

Paragraphs in 文字说明, 评分说明, 偏差原因 and the goals of 项目信息 quote numbers.
Where a phrase ties a number to something perfeval knows — a budget line, 预算总额,
到位/支出, 执行率, an indicator's 目标值/实际值/分值/得分, a 一级's counts, weight and
score, 总分, 等级, the survey — the number is compared with the data. Units 元/万元/%/分
are understood; a figure rounded (or cut) to fewer decimals matches only when the data
rounds half-up to it, so 85.9% for 85.98% is reported. Each mismatch is a 警告 naming the
cell where the text sits, the quoted figure and the data's figure.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal

from . import schema as S
from . import vocab as V
from .figures import plain as _fmt
from .figures import round_half_up, wan
from .findings import Code, Finding
from .report.outline import EVALUATION_PARTS
from .schema import Method, NarrativeSlot, Operator
from .scoring import HUNDRED, Evaluation, Group, Scored, compute_survey

NUM = r"(\d+(?:\.\d+)?)"
GAP = r"[^\d，。；;,\n（(]"
_OP_RE = V.OPERATOR_PATTERN
_GRADE_RE = "|".join(sorted(V.GRADE_WORDS, key=len, reverse=True))
# What follows a name in the text: a budget line's amount ("机房维保2万"), an indicator's figure
# ("系统故障率不得大于2%"). Compiled once; each is matched where a name ends (see _Names).
_LINE_TAIL = re.compile(GAP + r"{0,4}?" + NUM + r"\s*(万元|万|元)")
_INDICATOR_TAIL = re.compile(r"(" + GAP + r"{0,10}?)(" + _OP_RE + r")?" + NUM
                             + r"\s*(%|万元|万|元|[^\d\s，。；、,;：:]{0,2})")


# ---------------------------------------------------------------- figures as people write them
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_PLACE = {"万": 10 ** 4, "亿": 10 ** 8}          # a numeral's 万 and 亿 (not 万元)
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿点"
_UNITS = "万元|元|%|分|个|份|人|套|项|条|次|天"


def cn_to_number(text: str) -> Decimal | None:
    """七百三十四 -> 734, 十一 -> 11, 一万二千 -> 12000, 三点五 -> 3.5; None if it is not a numeral."""
    whole, _, fraction = text.partition("点")
    total, section, digit = 0, 0, None
    for ch in whole:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        elif ch in _CN_PLACE:
            total = (total + section + (digit or 0)) * _CN_PLACE[ch]
            section, digit = 0, None
        else:
            return None
    value = Decimal(total + section + (digit or 0))
    if fraction:
        if any(ch not in _CN_DIGIT for ch in fraction):
            return None
        value += Decimal("0." + "".join(str(_CN_DIGIT[ch]) for ch in fraction))
    return value


def _cn_figure(m: re.Match) -> str:
    numeral, unit = m.group(1), m.group(2)
    if unit == "分" and numeral == "十":
        return m.group(0)                 # "十分重要": an adverb, not ten points
    value = cn_to_number(numeral)
    return m.group(0) if value is None else f"{value:f}{unit}"


def normalize_figures(text: str) -> str:
    """The figures of a paragraph as the rules read them: full-width digits, thousands separators,
    spaces around a number ("为 734 万元") and Chinese numerals before a unit ("七百三十四万元",
    "百分之九十") become plain figures. Only numerals are converted: "二级指标" stays as it is."""
    s = text.translate(_FULL_WIDTH)
    s = re.sub(r"(?<=\d)[,，](?=\d{3}(?:\D|$))", "", s)
    s = re.sub(r"(?<=[\u4e00-\u9fff\d：:])[ \t\u3000]+(?=\d)|(?<=\d)[ \t\u3000]+(?=[\u4e00-\u9fff%])", "", s)
    s = re.sub(f"百分之([{_CN_NUMERAL}]+)", lambda m: f"{cn_to_number(m.group(1))}%"
               if cn_to_number(m.group(1)) is not None else m.group(0), s)
    return re.sub(f"(?<![\\d.])([{_CN_NUMERAL[:13]}][{_CN_NUMERAL}]*?)({_UNITS})", _cn_figure, s)


def operator_in(text: str) -> Operator | None:
    symbol = V.operator_symbol_in(text)
    return Operator(symbol) if symbol else None


@dataclass
class Source:
    """A piece of the evaluator's text and where it sits."""
    sheet: str
    row: int | None
    key: str
    text: str
    slot: NarrativeSlot | None = None    # 文字说明 章节
    scored: Scored | None = None         # the indicator whose 评分说明/偏差原因 this is


class _Names:
    """Where names (of indicators, of budget lines) occur in a text: every occurrence of every
    name, overlapping ones included ("系统故障率" holds "故障率"), as ``name in text`` would find
    them. One pattern for all the names, compiled once per workbook, so that a text is read once
    whatever the number of names (a pattern per name per text grows with the square of the rows).

    The pattern is a trie of the names' first characters, then the rest in one alternation,
    longest first: at each position it matches the longest name starting there; the shorter
    names starting there are its prefixes, looked up in the set of names."""

    DEPTH = 4           # trie levels before a plain alternation (bounds the pattern's nesting)

    def __init__(self, names):
        self.names = {n for n in names if n}
        self.pattern = re.compile(self._trie(sorted(self.names))) if self.names else None
        self._prefixes: dict[str, list[str]] = {}

    @classmethod
    def _trie(cls, names: list[str], depth: int = 0) -> str:
        """A pattern matching the longest of ``names`` ("" for: a name may end here)."""
        ends = "" in names
        rest = [n for n in names if n]
        if len(rest) > 1 and depth < cls.DEPTH:
            heads: dict[str, list[str]] = {}
            for n in rest:
                heads.setdefault(n[0], []).append(n[1:])
            alternatives = [re.escape(ch) + cls._trie(tails, depth + 1) for ch, tails in heads.items()]
        else:
            alternatives = [re.escape(n) for n in sorted(rest, key=len, reverse=True)]
        if not alternatives:
            return ""
        if len(alternatives) == 1 and not ends:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")" + ("?" if ends else "")

    def prefixes(self, name: str) -> list[str]:
        """The names that ``name`` begins with, itself included."""
        if name not in self._prefixes:
            self._prefixes[name] = [name[:k] for k in range(len(name), 0, -1) if name[:k] in self.names]
        return self._prefixes[name]

    def find(self, text: str) -> list[tuple[int, str]]:
        """(position, name) of every occurrence, by position."""
        found: list[tuple[int, str]] = []
        if self.pattern is None:
            return found
        search = self.pattern.search
        m = search(text)
        while m:
            at = m.start()
            found.extend((at, name) for name in self.prefixes(m.group()))
            m = search(text, at + 1)
        return found


@dataclass
class _Ctx:
    e: Evaluation
    findings: list[Finding] = field(default_factory=list)
    seen: set = field(default_factory=set)

    # A figure is compared only with data that is known: not with the funds when 预算明细 or 支付
    # could not be read, not with scores when some indicator could not be scored (its own error
    # is the first cause; a text "quoting the wrong figure" would only repeat it). Each is worked
    # out once per workbook, as are the lookups by name below.
    funds_known: bool = field(init=False)
    scores_final: bool = field(init=False)

    def __post_init__(self):
        e = self.e
        self.funds_known = not ({S.BUDGET.name, S.PAYMENTS.name} & e.project.unread)
        self.scores_final = not e.provisional
        self.level1 = {g.name: g for g in e.level1}
        self.level2 = {(g.level1, g.name): g for g in e.level2}
        # by name, in the order of the workbook: (position in it, budget line or scored indicator)
        self.lines: dict[str, list] = {}
        for k, line in enumerate(e.funds.lines):
            self.lines.setdefault(line.name, []).append((k, line))
        self.phrased: dict[str, list] = {}      # 比率 and 满意度 indicators, whose figures the text quotes
        self.scored: dict[str, list] = {}       # scored indicators a sentence may name
        for k, s in enumerate(e.scored):
            name = s.indicator.name
            if len(name) < 3:
                continue
            if s.indicator.method in (Method.RATIO, Method.SATISFACTION):
                self.phrased.setdefault(name, []).append((k, s))
            if s.score is not None:
                self.scored.setdefault(name, []).append((k, s))
        self.names = _Names([*self.lines, *self.phrased, *self.scored])
        self._found: tuple[str, list, list] = ("", [], [])

    def found(self, text: str) -> tuple[list[tuple[int, str]], list[int]]:
        """The names in ``text`` (position, name) by position, and their positions; the last
        text's are kept, as every rule asks about the same text in turn."""
        if self._found[0] is not text:
            occurrences = self.names.find(text)
            self._found = (text, occurrences, [at for at, _ in occurrences])
        return self._found[1], self._found[2]

    def named_in(self, text: str, start: int, end: int) -> dict[str, int]:
        """The names wholly inside ``text[start:end]``, each with its last position there."""
        occurrences, positions = self.found(text)
        last: dict[str, int] = {}
        for at, name in occurrences[bisect_left(positions, start):bisect_left(positions, end)]:
            if at + len(name) <= end:
                last[name] = at
        return last

    def report(self, src: Source, start: int, quoted: str, data: str) -> None:
        key = (src.sheet, src.row, src.key, start)
        if key in self.seen:
            return
        self.seen.add(key)
        self.findings.append(Code.TEXT_FIGURE.at(src.sheet, src.row, src.key, snippet=_snippet(src.text, start),
                                                 quoted=quoted, data=data))


def _snippet(text: str, at: int, before: int = 14, after: int = 10) -> str:
    a, b = max(0, at - before), min(len(text), at + after)
    s = text[a:b].replace("\n", " ")
    return ("…" if a > 0 else "") + s + ("…" if b < len(text) else "")


def same(quoted: Decimal, value: Decimal | None, exact: bool = False) -> bool:
    """A quoted amount or rate agrees with the data when the data, rounded half-up to the quoted
    decimals, equals it. Scores and counts are exact figures: ``exact`` allows no rounding
    (得分5分 does not describe 4.5分)."""
    if value is None:
        return False
    if exact:
        return Decimal(value) == quoted
    places = max(0, -quoted.as_tuple().exponent)
    return round_half_up(Decimal(value), places) == quoted


def _money_agrees(quoted: Decimal, unit: str, values) -> bool:
    """Quoted 元 or 万 against 万元 values, each compared in the unit that was written."""
    for v in values:
        if v is None:
            continue
        if unit == S.YUAN and same(quoted, v * S.YUAN_PER_WAN):
            return True
        if unit != S.YUAN and same(quoted, v):
            return True
    return False


# ---------------------------------------------------------------- the rules
def _after_names(ctx: _Ctx, text: str, by_name: dict[str, list], tail: re.Pattern) -> list[tuple]:
    """(item, match of ``tail``) for each item of ``by_name`` whose name is followed by ``tail`` in
    ``text``, ordered as a pattern per item (``name + tail``) found them one item after the other:
    by the item's place in the workbook, then by position; an occurrence of a name inside the
    previous match for that name is passed over, as re.finditer does."""
    hits: list[tuple] = []
    ends: dict[str, int] = {}
    for at, name in ctx.found(text)[0]:
        items = by_name.get(name)
        if items is None or at < ends.get(name, 0):
            continue
        m = tail.match(text, at + len(name))
        if m is None:
            continue
        ends[name] = m.end()
        hits.extend((k, at, item, m) for k, item in items)
    for m in tail.finditer(text) if "" in by_name else ():    # a nameless item: the tail anywhere
        hits.extend((k, m.start(), item, m) for k, item in by_name[""])
    hits.sort(key=lambda hit: hit[:2])
    return [(item, m) for _, _, item, m in hits]


def _budget_lines(ctx: _Ctx, src: Source) -> None:
    if not ctx.funds_known:
        return
    for line, m in _after_names(ctx, src.text, ctx.lines, _LINE_TAIL):
        q, unit = Decimal(m.group(1)), m.group(2)
        if not _money_agrees(q, unit, (line.budget, line.in_place, line.paid)):
            ctx.report(src, m.start(1), m.group(1) + unit,
                       f"预算项目“{line.name}”的预算金额为{wan(line.budget)}"
                       f"（到位{wan(line.in_place)}，支出{wan(line.paid)}）")


def _indicator_values(src: Source) -> list[Decimal]:
    """Figures of the indicator whose text this is (a 评分说明 may quote its own 实际支出)."""
    if src.scored is None:
        return []
    out = []
    for which in ("target", "actual"):
        m = getattr(src.scored.indicator, which)
        if m is not None and m.number is not None:
            out.append(m.number)
    return out


def _lines_in_clause(ctx: _Ctx, text: str, at: int) -> list[Decimal]:
    """Figures of the budget lines named in the clause before ``at`` ("某预算项目……实际支出X万元")."""
    start = max(text.rfind(ch, 0, at) for ch in "。；;\n") + 1
    named = [*ctx.named_in(text, start, at), ""]
    return [v for name in named for _, l in ctx.lines.get(name, ()) for v in (l.budget, l.in_place, l.paid)]


def _totals(ctx: _Ctx, src: Source) -> None:
    f, e = ctx.e.funds, ctx.e
    money_rules = [
        (r"(?:总预算|预算总额|预算总金额|共安排预算|全年预算|安排预算)(?:资金)?(?:为|是|：|:)?", "预算总额",
         f.budget_total if f.budget_total is not None else f.budget),
        (r"(?:财政拨付|实际到位资金|实际到位|到位资金)(?:为|是|：|:)?", "实际到位资金", f.in_place),
        (r"(?:实际执行金额|实际执行情况|实际执行|实际支出金额|实际支出|执行金额)(?:为|是|：|:)?", "实际支出", f.paid),
    ]
    own = _indicator_values(src)
    if not ctx.funds_known:
        money_rules = []
    for lead, label, value in money_rules:
        for m in re.finditer(lead + NUM + r"\s*(万元|万|元)", src.text):
            q, unit = Decimal(m.group(1)), m.group(2)
            if _money_agrees(q, unit, [value] + own + _lines_in_clause(ctx, src.text, m.start())):
                continue
            ctx.report(src, m.start(1), m.group(1) + unit, f"{label}为{wan(value)}")
    rate_rules = [
        (r"(?:预算执行率|资金执行率|执行率|资金支出率|支出率)", "预算执行率", f.exec_rate),
        (r"资金到位率", "资金到位率", f.in_place_rate),
    ] if ctx.funds_known else []
    for lead, label, rate in rate_rules:
        if rate is None:
            continue
        for m in re.finditer(lead + r"(?:为|是|达到|达|：|:)?" + NUM + r"\s*%", src.text):
            q = Decimal(m.group(1))
            if not same(q, rate * HUNDRED):
                ctx.report(src, m.start(1), m.group(1) + "%", f"{label}为{_fmt(rate * HUNDRED)}%")
    if not ctx.scores_final:
        return
    for m in re.finditer(r"(?:总分|自评分数|自评得分|综合得分|评价得分)(?:为|是|：|:)?" + NUM + r"\s*分", src.text):
        q = Decimal(m.group(1))
        if not same(q, e.total, exact=True):
            ctx.report(src, m.start(1), m.group(1) + "分", f"总分为{_fmt(e.total)}分")
    for m in re.finditer(r"(?:等级|评级)(?:为|是|：|:)?[“\"「]?(" + _GRADE_RE + ")", src.text):
        if V.GRADE_WORDS[m.group(1)] != e.grade:
            ctx.report(src, m.start(1), m.group(1), f"等级为“{e.grade}”（总分{_fmt(e.total)}分）")


def _survey(ctx: _Ctx, src: Source) -> None:
    if ctx.e.survey is None:
        return
    rules = [
        (r"有效(?:调查)?(?:问卷|样本)(?:数|量|总量)?(?:共|合计|总计)?(?:为|是|：|:)?" + NUM + r"\s*(?:份|个|人)",
         "有效样本", "valid"),
        (r"(?<!不)(?<!基本)(?<!一般)(?<!比较)(?:完全|非常)?满意的?(?:调查)?(?:问卷|人数|样本)(?:为|：|:)?" + NUM
         + r"\s*(?:份|个|人)", "满意", "satisfied"),
        (r"(?:基本满意|一般满意|比较满意)的?(?:调查)?(?:问卷|人数|样本)(?:为|：|:)?" + NUM + r"\s*(?:份|个|人)",
         "基本满意", "basic"),
        (r"不满意的?(?:调查)?(?:问卷|人数|样本)(?:为|：|:)?" + NUM + r"\s*(?:份|个|人)", "不满意", "unsatisfied"),
    ]
    for pattern, label, attr in rules:
        for m in re.finditer(pattern, src.text):
            who, v = _surveyed_before(ctx, src.text, m.start())
            if v is not None and Decimal(m.group(1)) != getattr(v, attr):
                ctx.report(src, m.start(1), m.group(1), f"“满意度调查”中{who}{label}为{getattr(v, attr)}")
    for m in re.finditer(r"满意(?:率|度)(?:为|是|达到|达|：|:)" + NUM + r"\s*%", src.text):
        who, v = _surveyed_before(ctx, src.text, m.start())
        if v is not None and v.rate is not None and not same(Decimal(m.group(1)), v.rate * HUNDRED):
            ctx.report(src, m.start(1), m.group(1) + "%", f"{who or '满意度调查'}的满意度为{_fmt(v.rate * HUNDRED)}%")


def _surveyed_before(ctx: _Ctx, text: str, at: int) -> tuple[str, object]:
    """Whose survey a figure speaks of: the 调查对象 its sentence names nearest before it
    ("家庭农场主满意度为90%", "其中种植户有效问卷500份"), else the survey as a whole ("" and all groups)."""
    start = max(text.rfind(ch, 0, at) for ch in "。；;\n") + 1
    named = [(text.rfind(g.group, start, at), g) for g in ctx.e.project.survey if g.group]
    named = [(k, g) for k, g in named if k >= 0]
    if not named:
        return "", ctx.e.survey
    g = max(named, key=lambda hit: hit[0])[1]
    return f"调查对象“{g.group}”", compute_survey(ctx.e.project, [g])


def _groups_for(ctx: _Ctx, src: Source) -> list[Group]:
    """The 一级 a chapter-四 paragraph speaks of: by its slot, else all."""
    for slot, words in EVALUATION_PARTS:
        if src.slot is slot:
            found = [g for g in ctx.e.level1 if any(w in g.name for w in words)]
            return found or ctx.e.level1
    return ctx.e.level1


def _structure(ctx: _Ctx, src: Source) -> None:
    """'由3个二级指标和7个三级指标构成，权重为20分，实际得分20分'."""
    if not ctx.scores_final:
        return
    pattern = (r"(\S{0,8}?)指标由(\d+)个二级指标和(\d+)个三级指标构成(?:[，,]权重为" + NUM
               + r"分)?(?:[，,]实际得分" + NUM + r"分)?")
    for m in re.finditer(pattern, src.text):
        groups = _groups_for(ctx, src)
        named = [g for g in groups if g.name in m.group(1)] if m.group(1) else []
        candidates = named or groups
        if not candidates:
            return      # no indicators to compare with (reported elsewhere)
        figures = [(2, "二级指标", "n_level2", "个"), (3, "三级指标", "n_level3", "个"),
                   (4, "权重", "weight", "分"), (5, "得分", "score", "分")]
        for idx, label, attr, unit in figures:
            if m.group(idx) is None:
                continue
            q = Decimal(m.group(idx))
            if not any(same(q, Decimal(getattr(g, attr)), exact=True) for g in candidates):
                g = candidates[0]
                ctx.report(src, m.start(idx), m.group(idx) + unit,
                           f"“{g.name}”指标的{label}{'数' if unit == '个' else ''}为{_fmt(getattr(g, attr))}{unit}")


def _scores(ctx: _Ctx, src: Source) -> None:
    """满分X分 / 得分Y分 against the indicator, its 二级 and its 一级 (or the chapter's 一级)."""
    if not ctx.scores_final:
        return
    e = ctx.e
    if src.scored is not None:
        ind = src.scored.indicator
        candidates = [(ind.name, ind.weight, src.scored.score)]
        candidates += [(g.name, g.weight, g.score) for g in (ctx.level2.get((ind.level1, ind.level2)),
                                                            ctx.level1.get(ind.level1)) if g is not None]
    elif src.slot:
        # a chapter's sentence speaks of a 一级 or of the whole project ("综合得分96.61分", "满分100分")
        candidates = [(g.name, g.weight, g.score) for g in _groups_for(ctx, src)] + _whole(e)
    else:
        return
    if not candidates:
        return
    consumed = set()
    for m in re.finditer(r"满分" + NUM + r"分[，,]?\s*(?:实际)?得分(?:为)?" + NUM + r"分", src.text):
        consumed.add(m.start(2))
        full, got = Decimal(m.group(1)), Decimal(m.group(2))
        match = [c for c in candidates if same(full, c[1], exact=True)]
        if not match:
            name, weight, _ = candidates[1] if src.scored is not None and len(candidates) > 1 and \
                src.text[:m.start()].rstrip().endswith(("综上，", "综上,")) else candidates[0]
            ctx.report(src, m.start(1), f"满分{m.group(1)}分", f"“{name}”的分值为{_fmt(weight)}分")
            match = [c for c in candidates if same(got, c[2], exact=True)] or candidates
        if not any(same(got, c[2], exact=True) for c in match):
            name, _, score = match[0]
            ctx.report(src, m.start(2), f"得分{m.group(2)}分", f"“{name}”的得分为{_fmt(score)}分")
    for m in re.finditer(r"(?<!满分)(?:得分|得)(?:为)?" + NUM + r"分", src.text):
        if m.start(1) in consumed:
            continue
        q = Decimal(m.group(1))
        # an indicator named earlier in the same sentence is what a chapter's sentence speaks of
        named = [(s.indicator.name, s.indicator.weight, s.score) for s in _named_before(ctx, src.text, m.start())] \
            if src.scored is None else []
        if len(named) > 1:      # "…均达到年度目标，合计得分30分"
            named.append(("、".join(n for n, _, _ in named), sum(w for _, w, _ in named), sum(x for _, _, x in named)))
        here = named or candidates
        if not any(same(q, c[2], exact=True) for c in here):
            # the figure it most likely means: the one named, else the nearest ("本项目得分95.61分" → 总分)
            known = [c for c in here if c[2] is not None]
            name, _, score = here[0] if named or not known else min(known, key=lambda c: abs(c[2] - q))
            ctx.report(src, m.start(1), f"得分{m.group(1)}分",
                       f"总分为{_fmt(score)}分" if name == "总分" else f"“{name}”的得分为{_fmt(score)}分")


def _whole(e: Evaluation) -> list[tuple]:
    """The project's own 分值 and 得分: the total, and where 不适用 left out some, the points before rescaling."""
    out = [("总分", e.weight_total, e.total)] if e.total is not None else []
    if e.rescaled and e.raw_total is not None:
        out.append(("总分", e.applicable_weight, e.raw_total))
    return out


def _named_before(ctx: _Ctx, text: str, at: int) -> list[Scored]:
    """The indicators named in the sentence before ``at``, the nearest first (the last mention of
    each counts; named equally near, in the workbook's order)."""
    start = max(text.rfind(ch, 0, at) for ch in "。；;\n") + 1
    found = [(-last, k, s) for name, last in ctx.named_in(text, start, at).items()
             for k, s in ctx.scored.get(name, ())]
    return [s for _, _, s in sorted(found, key=lambda hit: hit[:2])]


def _quoted_unit(unit: str) -> str:
    return S.MONEY_SHORTHAND.get(unit, unit)


def _comparable(quoted: str, data: str) -> bool:
    """Whether a figure written with unit ``quoted`` can speak of a value in unit ``data``."""
    if quoted in S.MONEY_UNITS or data in S.MONEY_UNITS:
        return quoted in S.MONEY_UNITS and data in S.MONEY_UNITS
    if quoted == "%" or data == "%":
        return quoted == data or (quoted == "" and data == "%")
    return not quoted or not data or quoted == data


def _indicator_phrases(ctx: _Ctx, src: Source) -> None:
    """'系统故障率不得大于2%', '目标值为95万元', '实际完成6套' against the indicator's data."""
    phrases: list[tuple[Scored, re.Match, str]] = []   # (indicator, match, role)
    if src.scored is not None:      # the indicator's own 目标值/实际值 phrases speak most precisely: first
        lead_target = r"(?:目标值|指标值|年度指标值|计划值)(?:为|是|：|:)?\s*(" + _OP_RE + r")?"
        lead_actual = r"(?:实际完成值|实际完成|实际值|完成值|实际支出)(?:为|是|：|:)?\s*(" + _OP_RE + r")?"
        for role, lead in (("target", lead_target), ("actual", lead_actual)):
            for m in re.finditer("()" + lead + NUM + r"\s*(%|万元|万|元|[^\d\s，。；、,;：:]{0,2})", src.text):
                phrases.append((src.scored, m, role))
    for s, m in _after_names(ctx, src.text, ctx.phrased, _INDICATOR_TAIL):
        if not V.RELATIVE_WORDS.search(m.group(1) or ""):
            phrases.append((s, m, "name"))
    for s, m, role in phrases:
        _check_phrase(ctx, src, s, m, role)


def _typed_unit(ind) -> str:
    """The unit typed with the 目标值 or 实际值 ("90%", "88%") where the 单位 column is blank."""
    return next((m.unit for m in (ind.target, ind.actual) if m is not None and m.unit), "")


def _check_phrase(ctx: _Ctx, src: Source, s: Scored, m: re.Match, role: str) -> None:
    ind = s.indicator
    gap, op_word, number, unit = m.group(1) or "", m.group(2), m.group(3), m.group(4) or ""
    q = Decimal(number)
    written_op = operator_in(op_word) if op_word else (operator_in(gap) if role == "name" else None)
    q_unit, i_unit = _quoted_unit(unit), _quoted_unit(ind.unit or _typed_unit(ind))
    if ind.method is Method.SATISFACTION:
        i_unit = "%"
    if not _comparable(q_unit, i_unit):
        return      # a different quantity (e.g. a count next to a rate)
    if q_unit == S.YUAN and i_unit == S.WANYUAN:
        q = q / S.YUAN_PER_WAN
    target = ind.target
    target_value = target.number if target is not None else None
    if ind.method is Method.SATISFACTION and s.rate is not None:
        actual_value = s.rate * HUNDRED
    else:
        actual = ind.actual
        actual_value = actual.number if actual is not None else None
    data_op = ind.comparison
    quoted = f"{op_word or (written_op.value if written_op and role == 'name' else '')}{number}{unit}"
    if role == "actual" or (role == "name" and written_op is None):
        allowed = [actual_value] if role == "actual" else [actual_value, target_value]
        if all(v is None for v in allowed):
            return      # nothing known to compare with
        if not any(same(q, v) for v in allowed if v is not None):
            what = "实际值" if role == "actual" else "实际值/目标值"
            ctx.report(src, m.start(3), quoted, f"指标“{ind.name}”的{what}为{_fmt(actual_value, 4)}{i_unit}"
                       + (f"（目标值{_fmt(target_value, 4)}{i_unit}）" if role != "actual" and target_value is not None else ""))
        return
    # a target: the number, and the comparison where one is written
    if target_value is None:
        return
    wrong_number = not same(q, target_value)
    wrong_op = written_op is not None and data_op is not None and written_op is not data_op
    if wrong_number or wrong_op:
        data = f"{data_op.value if data_op else ''}{_fmt(target_value, 4)}{i_unit}"
        ctx.report(src, m.start(3) if not wrong_op else m.start(2) if m.group(2) else m.start(3), quoted,
                   f"“绩效指标”中指标“{ind.name}”的目标为{data}")


RULES = (_budget_lines, _totals, _survey, _structure, _scores, _indicator_phrases)


def sources(evaluation: Evaluation) -> list[Source]:
    p = evaluation.project
    out = []
    for n in p.narratives:
        out.append(Source(S.NARRATIVE.name, n.row, "text", n.text, slot=n.slot))
    for s in evaluation.scored:
        for key in ("remarks", "deviation"):
            text = getattr(s.indicator, key)
            if text:
                out.append(Source(S.INDICATORS.name, s.indicator.row, key, text, scored=s))
    for key in ("overall_goal", "annual_goal"):
        text = getattr(p.info, key)
        if text and key in p.info.rows:
            out.append(Source(S.INFO_SHEET, p.info.rows[key], "value", text))
    return out


# What every rule needs in a text: a figure, or the word 等级/评级 (the one rule without a figure).
_ANY_RULE = re.compile(r"\d|级")


def check_text_figures(evaluation: Evaluation) -> list[Finding]:
    ctx = _Ctx(evaluation)
    for src in sources(evaluation):
        src.text = normalize_figures(src.text)
        if not _ANY_RULE.search(src.text):
            continue            # most paragraphs quote no figure
        for rule in RULES:
            rule(ctx, src)
    return ctx.findings
