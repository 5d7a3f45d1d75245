"""One numbering scheme for headings and for numbered paragraphs: 一、 → （一） → 1. → （1） → ①.

Headings take the level of their place in the outline. A paragraph that begins with a number — the
evaluator's own ("（一）科学公正…", "1.时间范围…") or a generated list — sits one level below the
heading it stands under, whatever number the writer typed: a list typed "（一）…" under "1.评价原则"
is printed "（1）…". Lists nested inside a paragraph block keep their nesting, one level further
down each. A number running into a figure ("3.14个…") is not a list number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..figures import cn_number

DEEPEST = 5
_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# (style, pattern): the styles people type, each with its own pattern; the level a style is printed
# at is decided by where it stands, not by the style.
_STYLES = (
    ("cn", re.compile(rf"^([{_CN}]+)、\s*")),
    ("cn-paren", re.compile(rf"^[（(]([{_CN}]+)[）)]\s*")),
    ("arabic", re.compile(r"^(\d{1,2})(?:[.．](?![\d%％])|、)\s*")),
    ("arabic-paren", re.compile(r"^[（(](\d{1,2})[）)]\s*")),
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*")),
)


@dataclass(frozen=True)
class Marker:
    style: str
    number: int
    rest: str          # the text after the number


def _cn_value(token: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十一 → 21 (the numbers of an outline)."""
    digits = [_CN.index(ch) + 1 for ch in token]
    if "十" not in token:
        return digits[0] if len(digits) == 1 else None
    tens, _, ones = token.partition("十")
    value = (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(ones) + 1 if ones else 0)
    return value if len(tens) <= 1 and len(ones) <= 1 else None


def _value(style: str, token: str) -> int | None:
    if style.startswith("cn"):
        return _cn_value(token)
    if style == "circled":
        return _CIRCLED.index(token) + 1
    return int(token)


def marker(text: str) -> Marker | None:
    """The list number a paragraph begins with, or None."""
    for style, pattern in _STYLES:
        m = pattern.match(text)
        if m:
            n = _value(style, m.group(1))
            if n:
                return Marker(style, n, text[m.end():])
    return None


def label(level: int, n: int) -> str:
    """The number of item ``n`` at ``level`` (1–5): 一、 （一） 1. （1） ①."""
    level = min(level, DEEPEST)
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"（{cn_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    return _CIRCLED[n - 1] if n <= len(_CIRCLED) else f"{n}."


def level_of(text: str) -> int | None:
    """The level a printed number stands for (一、 → 1 … ① → 5), or None."""
    m = marker(text)
    if m is None:
        return None
    return {"cn": 1, "cn-paren": 2, "arabic": 3, "arabic-paren": 4, "circled": 5}[m.style]


def renumber(paragraphs: list[str], level: int) -> list[str]:
    """The paragraphs of a block under a heading of ``level``, their list numbers set to the levels
    below it: the first numbering style met is level+1, a style first met inside its items level+2,
    and so on; each list counts from 1 under its parent item."""
    depth: dict[str, int] = {}
    counts: list[int] = [0] * (DEEPEST + 2)
    out = []
    for text in paragraphs:
        m = marker(text)
        if m is None:
            out.append(text)
            continue
        if m.style not in depth:
            depth[m.style] = min(level + 1 + len(depth), DEEPEST)
        at = depth[m.style]
        counts[at] += 1
        for deeper in range(at + 1, len(counts)):
            counts[deeper] = 0
        out.append(label(at, counts[at]) + m.rest)
    return out
