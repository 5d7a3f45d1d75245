"""The text checks as they were before names were found in one pass: for each text, a pattern per
budget line and per indicator (``re.escape(name)`` and what follows it), and a scan of every
indicator and budget line for the names in a sentence. Quadratic in the rows (a 2,000-indicator
workbook never finished), kept as the reference the one-pass checks must agree with.

``per_name(monkeypatch)`` puts these in place of perfeval.textchecks' own for one test."""
import re
from decimal import Decimal

from perfeval import textchecks as T
from perfeval import vocab as V
from perfeval.schema import Method
from perfeval.figures import wan
from perfeval.textchecks import GAP, NUM, _OP_RE, _check_phrase, _money_agrees


def budget_lines(ctx, src):
    if not ctx.funds_known:
        return
    for line in ctx.e.funds.lines:
        pattern = re.escape(line.name) + GAP + r"{0,4}?" + NUM + r"\s*(万元|万|元)"
        for m in re.finditer(pattern, src.text):
            q, unit = Decimal(m.group(1)), m.group(2)
            if not _money_agrees(q, unit, (line.budget, line.in_place, line.paid)):
                ctx.report(src, m.start(1), m.group(1) + unit,
                           f"预算项目“{line.name}”的预算金额为{wan(line.budget)}"
                           f"（到位{wan(line.in_place)}，支出{wan(line.paid)}）")


def lines_in_clause(ctx, text, at):
    start = max(text.rfind(ch, 0, at) for ch in "。；;\n") + 1
    clause = text[start:at]
    return [v for l in ctx.e.funds.lines if l.name in clause for v in (l.budget, l.in_place, l.paid)]


def named_before(ctx, text, at):
    e = ctx.e
    start = max(text.rfind(ch, 0, at) for ch in "。；;\n") + 1
    clause = text[start:at]
    found = [(clause.rfind(s.indicator.name), s) for s in e.scored
             if s.score is not None and len(s.indicator.name) >= 3 and s.indicator.name in clause]
    return [s for _, s in sorted(found, key=lambda pair: -pair[0])]


def indicator_phrases(ctx, src):
    phrases = []
    if src.scored is not None:
        lead_target = r"(?:目标值|指标值|年度指标值|计划值)(?:为|是|：|:)?\s*(" + _OP_RE + r")?"
        lead_actual = r"(?:实际完成值|实际完成|实际值|完成值|实际支出)(?:为|是|：|:)?\s*(" + _OP_RE + r")?"
        for role, lead in (("target", lead_target), ("actual", lead_actual)):
            for m in re.finditer("()" + lead + NUM + r"\s*(%|万元|万|元|[^\d\s，。；、,;：:]{0,2})", src.text):
                phrases.append((src.scored, m, role))
    for s in ctx.e.scored:
        ind = s.indicator
        if ind.method not in (Method.RATIO, Method.SATISFACTION) or len(ind.name) < 3:
            continue
        pattern = re.escape(ind.name) + r"(" + GAP + r"{0,10}?)(" + _OP_RE + r")?" + NUM + r"\s*(%|万元|万|元|[^\d\s，。；、,;：:]{0,2})"
        for m in re.finditer(pattern, src.text):
            if not V.RELATIVE_WORDS.search(m.group(1) or ""):
                phrases.append((s, m, "name"))
    for s, m, role in phrases:
        _check_phrase(ctx, src, s, m, role)


def per_name(monkeypatch):
    """Check text figures the old way for the rest of the test."""
    rules = {"_budget_lines": budget_lines, "_indicator_phrases": indicator_phrases}
    for name, rule in rules.items():
        monkeypatch.setattr(T, name, rule)
    monkeypatch.setattr(T, "_lines_in_clause", lines_in_clause)
    monkeypatch.setattr(T, "_named_before", named_before)
    monkeypatch.setattr(T, "RULES", tuple(rules.get(r.__name__, r) for r in T.RULES))
