"""Report tables: fixed widths that Word and WPS both read, repeated header rows, merged cells.

A table is written as WordprocessingML in one piece (python-docx's cell API rebuilds the
grid on every access and makes large tables quadratic). Widths go in all three places
readers look: ``w:tblW``, ``w:gridCol`` (WPS) and ``w:tcW`` (Word); layout is fixed; rows
never split across pages; header rows repeat on every page.
"""
from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from docx.oxml import parse_xml
from docx.shared import Emu
from docx.table import Table

from ..schema import Method
from ..scoring import Evaluation
from .. import figures as F
from .grid import Grid
from .style import TABLE_CAPTION, TABLE_TEXT, TEXT_WIDTH, em_width, set_style, style_ids

LEFT, RIGHT, CENTER = "left", "right", "center"
# A labelled group of rows up to GROUP points high is kept on one page; a taller one is cut into
# pieces of at most PIECE (a row taller than that is a piece alone), each showing its labels again
# and kept on one page: a page loses at most that much to a group moved whole to the next. The
# text block is 638 points high; PAGE_FIT of it is sure to hold what is kept together.
PAGE_FIT = 520
GROUP = 240
PIECE = 160
WHOLE = 300        # a table up to this height (points) is kept on one page, with its caption
CAPTION_PT = 30    # a table's caption (四号, 6 points before and after)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# Text metrics for fitting text into cells.
PT = 20                        # twips per point
MARGIN = 108                   # Word's default cell margin left and right (0.19 cm), twips
COMPACT_MARGIN = 57            # 1 mm
SIZE = {False: 10.5, True: 9.0}   # points: 五号, 小五
LINE = 1.3                     # single line spacing of the CJK table fonts, × size
SLACK = 40                     # twips a cell keeps in reserve beyond its measured text (rounding, bold)
HEADER_WORD = 5                # a header line up to this many ems is a word: never broken
CROWDED = 3                    # lines a header or a name (up to SHORT ems) takes at most, where the page allows
SHORT = 24
TALL = 12                      # lines a long text takes in a cell before its table is set in 小五
# A figure or a date that a line must never break: amounts, rates, counts with their unit
# (12.6公里, 1,452,000.00, 97.50%, ≥35处), dates (2024年3月15日, 2024-03-15, 3月15日), and codes
# (GB 5749-2022 breaks only at its space). Everything else may break between any two Chinese characters.
_UNIT = ("万元|亿元|元|万人次|万人|人次|人|万户|户|万|亿|公里|千米|平方米|立方米|米|公顷|亩|吨|千克|小时|分钟|"
         "个月|天|日|月|年|周|次|处|块|个|台|套|项|份|家|座|辆|件|所|场|篇|本|条|册|批|名|分|倍|期|km|kg|m")
_DATE = (r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*月\s*\d{1,2}\s*日"
         r"|(?<!\d)\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?(?!\d)")
_NUMBER = rf"[≥≤><=＞＜≈±约]?[-+−]?\d[\d,.]*(?:%|‰|(?:{_UNIT}))?"
FIGURE = re.compile(rf"(?:{_DATE})|(?:{_NUMBER})")
_PIECE = re.compile(rf"(?:{_DATE})|(?:{_NUMBER})|[A-Za-z0-9][A-Za-z0-9\-_./:+]*|.", re.S)


def is_figure(text: str) -> bool:
    """``text`` (one line) is a single figure or date."""
    return bool(FIGURE.fullmatch(str(text).strip()))


@lru_cache(maxsize=8192)
def unbreakable_width(text: str, whole: bool = False) -> float:
    """Ems of the widest piece of ``text`` that a line may not break: each whole line where
    ``whole`` (a figure's cell, a header word), else its widest figure, date, Latin word or character."""
    widest = 0.0
    for line in str(text).split("\n"):
        if whole or is_figure(line):
            widest = max(widest, em_width(line))
        else:
            widest = max([widest] + [em_width(m.group()) for m in _PIECE.finditer(line)])
    return widest


def _lines_needed(text: str, width_twips: int, compact: bool) -> int:
    room = max(1.0, (width_twips - 2 * (COMPACT_MARGIN if compact else MARGIN) - SLACK) / (SIZE[compact] * PT))
    return sum(max(1, -(-int(em_width(part) * 100) // int(room * 100))) for part in str(text).split("\n"))


def column_widths(grid: Grid, shares: list[float], total: int, rows: range | None = None) -> list[int]:
    """Column widths in twips adding up to ``total``, fitted to the content of ``grid``'s ``rows``.

    Each column is first made wide enough for what may not break in it: its widest figure or
    date (a cell of figures or of ``grid.nowrap`` keeps each line whole) and its header words;
    then, as far as the page allows, for its header and short names in at most CROWDED lines and
    a column of ``grid.max_lines`` for its longest text in that many lines. What is left goes to
    the columns whose text would still wrap, by ``shares``, none wider than its longest line;
    then to all by ``shares``."""
    n = len(shares)
    rows = rows if rows is not None else range(len(grid.rows))
    em = SIZE[grid.compact] * PT
    pad = 2 * (COMPACT_MARGIN if grid.compact else MARGIN) + SLACK
    need, want, longest, heading = _measured(grid, n, rows, em, pad)
    # a column of names (none longer than SHORT ems), not of long text, gets the names' wish
    name = [x if x <= SHORT else 0.0 for x in longest]

    def in_lines(widths, texts, limits) -> list[float]:
        """Each column wide enough for its text (ems) in its limit of lines (0: no limit)."""
        return [max(w, (x / k + 1) * em + pad) if x and k else w for w, x, k in zip(widths, texts, limits)]
    # Wishes, each given up in turn where the page is too narrow: headers and short names in at
    # most CROWDED lines and the columns of ``grid.max_lines`` (三级 names in two) within theirs;
    # the figures come first and alone where nothing else fits.
    limits = [grid.max_lines.get(c, 0) for c in range(n)]
    headed = in_lines(need, heading, [CROWDED] * n)
    named = in_lines(headed, name, [CROWDED] * n)
    options = (in_lines(named, longest, limits), in_lines(headed, longest, limits), named, headed, need)
    for option in options:
        if sum(option) <= total:
            break
    else:                                   # too many columns for the page: shrink all alike
        return _to_total([w * total / sum(need) for w in need], total)
    return _to_total(_grown(list(option), want, shares, total), total)


def _measured(grid: Grid, n: int, rows: range, em: float, pad: float):
    """For each column, in twips: what it needs (its widest unbreakable piece), what it wants (its
    longest line whole); in ems: its longest line of body text and of header."""
    covered = {}
    for r1, c1, r2, c2 in grid.merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                covered[(r, c)] = (r1, c1, c2)
    need, want, longest, heading = [pad + em] * n, [pad + em] * n, [0.0] * n, [0.0] * n
    for r in rows:
        for c in range(n):
            r1, c1, c2 = covered.get((r, c), (r, c, c))
            if (r1, c1) != (r, c) and r1 >= rows.start or c1 != c2:
                continue            # a covered cell, or one spanning columns: its own columns suffice
            text = grid.rows[r1][c]
            if not text:
                continue
            lines = str(text).split("\n")
            whole = (r1, c) in grid.numeric or (r1, c) in grid.nowrap
            header = r1 in grid.header_rows
            piece = max(em_width(line) if whole or (header and em_width(line) <= HEADER_WORD)
                        else unbreakable_width(line) for line in lines)
            need[c] = max(need[c], piece * em + pad)
            width = max(em_width(line) for line in lines)
            want[c] = max(want[c], width * em + pad)
            if header:
                heading[c] = max(heading[c], width)
            else:
                longest[c] = max(longest[c], width)
    return need, want, longest, heading


def _grown(widths: list[float], want: list[float], shares: list[float], total: int) -> list[float]:
    """``widths`` with what is left of ``total`` given to the columns whose text would still wrap, by
    ``shares``, none wider than it wants; then to all by ``shares``."""
    rest = total - sum(widths)
    growing = [c for c in range(len(widths)) if widths[c] < want[c]]
    while rest > 1 and growing:
        weight = sum(shares[c] for c in growing)
        give = {c: rest * shares[c] / weight for c in growing}
        full = [c for c in growing if widths[c] + give[c] >= want[c]]
        if not full:
            for c in growing:
                widths[c] += give[c]
            rest = 0
            break
        for c in full:
            rest -= want[c] - widths[c]
            widths[c] = want[c]
            growing.remove(c)
    if rest > 1:
        weight = sum(shares)
        widths = [w + rest * s / weight for w, s in zip(widths, shares)]
    return widths


def _crowded(grid: Grid, widths: list[int], rows: range) -> bool:
    """Some short text of ``grid`` (a name, a payee) would take more than CROWDED lines, or a
    long one (a 评价要点) more than TALL lines."""
    for r in rows:
        for c, text in enumerate(grid.rows[r]):
            if (r, c) in grid.text and text:
                limit = CROWDED if em_width(text) <= SHORT else TALL
                if _lines_needed(text, widths[c], grid.compact) > limit:
                    return True
    return False


def _to_total(widths: list[float], total: int) -> list[int]:
    out = [int(w) for w in widths]
    out[out.index(max(out))] += total - sum(out)
    return out


_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])-(?=[A-Za-z0-9])")


def _paragraphs(text: str, align: str, bold: bool, style_id: str, compact: bool = False,
                keep_next: bool = False) -> str:
    props = ("<w:b/><w:bCs/>" if bold else "") + (f'<w:sz w:val="{int(SIZE[True] * 2)}"/>'
                                                   f'<w:szCs w:val="{int(SIZE[True] * 2)}"/>' if compact else "")
    run_props = f"<w:rPr>{props}</w:rPr>" if props else ""
    out = []
    for line in (str(text) if text is not None else "").split("\n"):
        # a hyphen inside a code or a range (GB 5749-2022, 2021-2023) never ends a line
        parts = [f'<w:t xml:space="preserve">{escape(part)}</w:t>' if part else "" for part in _HYPHEN.split(line)]
        run = f'<w:r>{run_props}{"<w:noBreakHyphen/>".join(parts)}</w:r>' if line else ""
        next_ = "<w:keepNext/>" if keep_next else ""
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{next_}<w:jc w:val="{align}"/></w:pPr>{run}</w:p>')
    return "".join(out)


def _row_heights(grid: Grid, twips: list[int], rows_range: range) -> dict[int, float]:
    """Each row's height in points, from its cells that are not merged down."""
    size = SIZE[grid.compact]
    spans = [m for m in grid.merges if m[0] <= rows_range.stop - 1 and m[2] >= rows_range.start]
    tall = {(r, c) for r1, c1, r2, c2 in spans if r2 > r1 for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    starts = {(r1, c1): c2 for r1, c1, r2, c2 in spans if r1 == r2}

    def text_height(r, c) -> float:
        c2 = starts.get((r, c), c)
        return _lines_needed(grid.rows[r][c], sum(twips[c:c2 + 1]), grid.compact) * size * LINE + 4
    return {r: max([text_height(r, c) for c in range(len(twips)) if (r, c) not in tall] or [size * LINE])
            for r in rows_range}


def _table_xml(grid: Grid, twips: list[int], table_style: str, text_style: str, rows_range: range,
               repeat_rows: int, keep_all: bool = False, lead: float | None = None) -> str:
    """One w:tbl of ``grid``'s rows in ``rows_range``.

    A label merged down over several rows (一级/二级) sits at the top of its first row, and that
    row is made tall enough to hold it: rows never split across pages, so the label is never cut
    by a page break, in Word, WPS or LibreOffice alike.

    A short table (up to WHOLE points) is kept on one page; ``keep_all`` keeps every row, the
    last too, with what follows. ``lead``: the points of what comes before the table and must
    stay on its page (the 自评表's opening): the header row and as much of the first group as fits
    beside it stay with it."""
    spans = [m for m in grid.merges if m[0] <= rows_range.stop - 1 and m[2] >= rows_range.start]
    keep, cuts = _kept_together(grid, spans, _row_heights(grid, twips, rows_range), rows_range, keep_all, lead)
    merges = _cut(spans, rows_range, cuts)
    rows = _rows_xml(grid, twips, merges, rows_range, keep, repeat_rows, text_style)
    grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    margins = (f'<w:tblCellMar><w:left w:w="{COMPACT_MARGIN}" w:type="dxa"/>'
               f'<w:right w:w="{COMPACT_MARGIN}" w:type="dxa"/></w:tblCellMar>' if grid.compact else "")
    return (f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="{table_style}"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            f'{margins}<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>{"".join(rows)}</w:tbl>')


def _kept_together(grid: Grid, spans, height: dict[int, float], rows_range: range, keep_all: bool,
                   lead: float | None) -> tuple[set[int], set[int]]:
    """The rows kept on a page with the row below them, and the rows where a labelled group is
    cut. The outermost labelled groups (一级) are kept whole on one page where they fit; a longer
    one is cut into pieces of about half a page, the same cuts for every column, each piece showing
    its labels again, so that every page names the 一级/二级 of its rows."""
    repeated = [m for m in spans if m[2] > m[0] and all(grid.rows[r][m[1]] == grid.rows[m[0]][m[1]]
                                                        for r in range(m[0], m[2] + 1))]
    outer_col = min((m[1] for m in repeated), default=None)
    cuts, keep = set(), {r for r in grid.keep if r in rows_range}
    if keep_all:
        keep.update(rows_range)
    elif sum(height.values()) <= WHOLE:
        keep.update(range(rows_range.start, rows_range.stop - 1))
    groups = sorted((max(m[0], rows_range.start), min(m[2], rows_range.stop - 1))
                    for m in repeated if m[1] == outer_col)
    if lead is not None and groups:
        first = groups[0][0]
        keep.update(range(rows_range.start, first))        # the header rows go with the first group
        lead += sum(height[r] for r in range(rows_range.start, first))
    for k, (r1, r2) in enumerate(groups):
        room = PAGE_FIT - lead if k == 0 and lead is not None else None
        if sum(height[r] for r in range(r1, r2 + 1)) <= (GROUP if room is None else room):
            keep.update(range(r1, r2))
            continue
        # each piece on one page (a piece is at most half a page), so that its labels head it;
        # the first piece after an opening only as tall as the room beside it
        start, used, limit = r1, 0.0, (PIECE if room is None else max(room, 0.0))
        for r in range(r1, r2 + 1):
            if used and used + height[r] > limit:
                cuts.add(r)
                keep.update(range(start, r - 1))
                start, used, limit = r, 0.0, PIECE
            used += height[r]
        keep.update(range(start, r2))
    return keep, cuts


def _cut(spans, rows_range: range, cuts: set[int]) -> list[tuple[int, int, int, int]]:
    """The merged areas within ``rows_range``, each cut where a labelled group is (its label shown again)."""
    merges = []
    for r1, c1, r2, c2 in spans:
        r1, r2 = max(r1, rows_range.start), min(r2, rows_range.stop - 1)
        start = r1
        for r in range(r1 + 1, r2 + 1):
            if r in cuts:
                merges.append((start, c1, r - 1, c2))
                start = r
        merges.append((start, c1, r2, c2))
    return merges


def _rows_xml(grid: Grid, twips: list[int], merges, rows_range: range, keep: set[int], repeat_rows: int,
              text_style: str) -> list[str]:
    """The w:tr of each row: its cells (a merged area's first cell holds the text), kept with the next
    row where ``keep`` says, the first ``repeat_rows`` repeated on each page, and a row that starts a
    label merged down tall enough for the label."""
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for m in merges:
        r1, c1, r2, c2 = m
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                covered[(r, c)] = m
    min_height: dict[int, int] = {}
    for r1, c1, r2, c2 in merges:
        if r2 != r1:
            need = _lines_needed(grid.rows[r1][c1], sum(twips[c1:c2 + 1]), grid.compact) * SIZE[grid.compact] * LINE + 4
            min_height[r1] = max(min_height.get(r1, 0), int(need * PT) + 60)
    rows = []
    for r in rows_range:
        cells, c = [], 0
        while c < len(twips):
            area = covered.get((r, c), (r, c, r, c))
            cells.append(_cell_xml(grid, twips, area, r, r in keep, text_style))
            c = area[3] + 1
        header = "<w:tblHeader/>" if r - rows_range.start < repeat_rows else ""
        height = f'<w:trHeight w:val="{min_height[r]}" w:hRule="atLeast"/>' if r in min_height else ""
        rows.append(f"<w:tr><w:trPr><w:cantSplit/>{height}{header}</w:trPr>{''.join(cells)}</w:tr>")
    return rows


def _cell_xml(grid: Grid, twips: list[int], area: tuple[int, int, int, int], r: int, keep_next: bool,
              text_style: str) -> str:
    """One w:tc of row ``r``, part of the merged ``area`` (r1, c1, r2, c2)."""
    r1, c1, r2, c2 = area
    span = c2 - c1 + 1
    props = f'<w:tcW w:w="{sum(twips[c1:c2 + 1])}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if r2 > r1:
        props += '<w:vMerge w:val="restart"/>' if r == r1 else "<w:vMerge/>"
    props += f'<w:vAlign w:val="{"top" if r2 > r1 else "center"}"/>'
    if r == r1:
        where = (r1, c1)
        align = RIGHT if where in grid.numeric else LEFT if where in grid.text else CENTER
        bold = r1 in grid.header_rows or where in grid.bold
        body = _paragraphs(grid.rows[r1][c1], align, bold, text_style, grid.compact, keep_next)
    else:
        next_ = "<w:keepNext/>" if keep_next else ""
        body = f'<w:p><w:pPr><w:pStyle w:val="{text_style}"/>{next_}</w:pPr></w:p>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def text_width(document) -> int:
    """The width of the text block in twips: the page less its margins (the office's own page
    setup where the report starts from its template), else the report's 156 mm."""
    try:
        section = document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        if width > 0:
            return Emu(width).twips
    except (AttributeError, TypeError, IndexError):
        pass
    return Emu(TEXT_WIDTH).twips


def add_grid(document, grid: Grid, shares: list[float], caption: str | None, skip_rows: int = 0):
    """Append ``grid`` as a table the width of the text block, its columns fitted to their content
    (``column_widths``; ``shares`` divides what is left), as two tables seamlessly one below the
    other where ``grid.split_at`` says."""
    ids = style_ids(document)
    if caption:
        set_style(document.add_paragraph(caption), ids[TABLE_CAPTION])
    shown = range(skip_rows, len(grid.rows))
    widths = column_widths(grid, shares, text_width(document), shown)
    if grid.shrink and not grid.compact and _crowded(grid, widths, shown):
        grid.compact = True
        widths = column_widths(grid, shares, text_width(document), shown)
    table_style, text_style = ids.get("Table Grid", "TableGrid"), ids[TABLE_TEXT]
    parts = [range(skip_rows, len(grid.rows))]
    if grid.split_at is not None and skip_rows < grid.split_at < len(grid.rows):
        parts = [range(skip_rows, grid.split_at), range(grid.split_at, len(grid.rows))]
    body = document.element.body
    first = None
    for i, rows in enumerate(parts):
        head = len(parts) > 1
        if i:   # a paragraph of no height keeps the two tables apart without a visible gap
            body.insert(len(body) - 1, parse_xml(
                f'<w:p xmlns:w="{W_NS}"><w:pPr>{"<w:keepNext/>" if head else ""}'
                f'<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
                f'<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'))
        repeat = grid.repeat_rows if i == 0 else 1
        lead = None
        if head and i == 1:     # the caption and the first table stay with the second's first rows
            lead = sum(_row_heights(grid, widths, parts[0]).values()) + (CAPTION_PT if caption else 0)
        tbl = parse_xml(_table_xml(grid, widths, table_style, text_style, rows, repeat,
                                   keep_all=head and i == 0, lead=lead))
        body.insert(len(body) - 1, tbl)      # before the final w:sectPr
        first = first or Table(tbl, document._body)
    return first


def add_table(document, caption: str | None, header: list[str], rows: list[list[str]],
              shares: list[float], aligns: list, merge_columns: int = 0, total_row: bool = False,
              after_total: int = 0, whole: tuple[int, ...] = (), max_lines: dict[int, int] | None = None):
    """A table with one header row; the first ``merge_columns`` columns merged down over runs
    of equal values; a 合计 row in bold when ``total_row`` (the last, or followed by
    ``after_total`` rows that it does not sum), its label across the empty cells after it.
    Right-aligned columns hold figures and the ``whole`` columns dates: their lines never break;
    ``max_lines``: column -> the lines its longest text may take."""
    grid = Grid(repeat_rows=1, max_lines=dict(max_lines or {}), shrink=True)
    grid.add(header, header=True)
    for row in rows:
        r = grid.add(row)
        for c, align in enumerate(aligns):
            if align == RIGHT:
                grid.numeric.add((r, c))
            elif align == LEFT:
                grid.text.add((r, c))
            if c in whole:
                grid.nowrap.add((r, c))
    last = len(grid.rows) - 1 - after_total
    if total_row:
        grid.header_rows.add(last)
        grid.keep.add(last - 1)         # 合计 never alone at the top of a page
        label = grid.rows[last]
        end = next((c for c in range(1, len(label)) if label[c]), len(label)) - 1
        grid.merge(last, 0, last, end)
    body_end = last - 1 if total_row else last
    for col in range(merge_columns):
        grid.merge_runs(1, body_end, col)
    return add_grid(document, grid, shares, caption), grid


# ---------------------------------------------------------------- the report's tables
def budget_table(document, e: Evaluation, caption: str):
    f = e.funds
    rows = []
    for line in f.lines:
        rows.append([line.name, F.money(line.budget), F.money(line.in_place), F.money(line.paid),
                     F.percent(line.rate)])
    if f.unassigned_paid:
        rows.append(["（未对应预算项目的支付）", "", "", F.money(f.unassigned_paid), ""])
    rows.append(["合计", F.money(f.budget), F.money(f.in_place), F.money(f.paid), F.percent(f.exec_rate)])
    table, _ = add_table(document, caption,
                         ["预算项目", "预算金额\n（万元）", "到位金额\n（万元）", "实际支出\n（万元）", "执行率"],
                         rows, [4, 2.2, 2.2, 2.2, 1.6], [LEFT, RIGHT, RIGHT, RIGHT, RIGHT], total_row=True)
    return table


def indicator_system_table(document, e: Evaluation, caption: str):
    """一级, 二级, 三级 and 分值 of every indicator, with its 指标解释 and 评价要点 where any is given."""
    optional = [(name, share, key) for name, share, key in (("指标解释", 3.9, "explanation"), ("评价要点", 5.0, "key_points"))
                if any((getattr(s.indicator, key) or "").strip() for s in e.scored)]
    rows = [[s.indicator.level1, s.indicator.level2, s.indicator.name, F.score(s.indicator.weight)]
            + [getattr(s.indicator, key) or "" for _, _, key in optional] for s in e.scored]
    table, _ = add_table(document, caption, ["一级指标", "二级指标", "三级指标", "分值"] + [n for n, _, _ in optional],
                         rows, ([1.0, 1.0, 1.0, 0.5] if optional else [1.8, 1.8, 4.0, 1.0]) + [share for _, share, _ in optional],
                         [CENTER, CENTER, LEFT, RIGHT] + [LEFT] * len(optional), merge_columns=2,
                         max_lines={2: 2})
    return table


def score_table(document, e: Evaluation, caption: str):
    """The seed's 评分表: 一级, 二级, 三级, 分值, 得分 (no 得分率 beside a 执行率 or 满意度 that differs
    from it only by rounding: 4.30 of 5 is 86.00%, the rate it was scored by 85.98%)."""
    rows = []
    for s in e.scored:
        ind = s.indicator
        rows.append([ind.level1, ind.level2, ind.name, F.score(ind.weight),
                     F.score(s.score) if s.applicable else Method.NOT_APPLICABLE.value])
    rows.append(["合计", "", "", F.score(e.applicable_weight), F.score(e.raw_total)])
    grid = Grid(repeat_rows=1, max_lines={2: 2})
    grid.add(["一级指标", "二级指标", "三级指标", "分值", "得分"], header=True)
    for row in rows:
        r = grid.add(row)
        grid.numeric.update({(r, 3), (r, 4)})
        grid.text.add((r, 2))
    last = len(grid.rows) - 1
    grid.header_rows.add(last)
    grid.keep.add(last - 1)
    grid.merge_runs(1, last - 1, 0)
    grid.merge_runs(1, last - 1, 1)
    grid.merge(last, 0, last, 2)
    return add_grid(document, grid, [1.6, 2.0, 3.6, 1.2, 1.2], caption)


# Up to this many payments the report lists each one; above it, a summary by budget line.
PAYMENTS_LISTED = 12


def contracts_table(document, e: Evaluation, caption: str):
    """The contracts; the amount, date and period columns only where some contract gives them."""
    contracts = e.project.contracts
    if not contracts:
        return None
    columns = [("合同名称", 3.2, LEFT, lambda c: c.name), ("供应商", 2.8, LEFT, lambda c: c.supplier),
               ("预算项目", 2.2, LEFT, lambda c: c.budget_line or F.DASH)]
    if any(c.amount is not None for c in contracts):
        columns.append(("合同金额\n（元）", 2.0, RIGHT, lambda c: F.yuan(c.amount)))
    if any(c.signed for c in contracts):
        columns.append(("签订日期", 2.3, CENTER, lambda c: F.date(c.signed)))
    if any(c.service_start and c.service_end for c in contracts):      # one date a line
        columns.append(("服务期", 2.6, CENTER, lambda c: f"{F.date(c.service_start)}至\n{F.date(c.service_end)}"
                        if c.service_start and c.service_end else F.DASH))
    rows = [[value(c) for *_, value in columns] for c in contracts]
    table, _ = add_table(document, caption, [name for name, *_ in columns], rows,
                         [share for _, share, *_ in columns], [align for _, _, align, _ in columns],
                         whole=tuple(range(3, len(columns))))
    return table


def payments_table(document, e: Evaluation, caption: str):
    """Each payment for a small project; otherwise the payments summed by budget line."""
    outside = {id(p) for p in e.funds.outside}
    payments = [p for p in e.project.payments if id(p) not in outside]     # the year's
    late = sorted(e.funds.outside, key=lambda p: p.date)
    if not payments and not late:
        return None
    # payments outside 评价期间 follow the 合计, which counts the year's only
    label = "合计（评价期间内）" if late else "合计"
    if len(payments) + len(late) <= PAYMENTS_LISTED:
        rows = [[F.date(p.date), p.payee, p.budget_line, F.yuan(p.amount), p.voucher or F.DASH]
                for p in sorted(payments, key=lambda p: p.date)]
        rows.append([label, "", "", F.yuan(sum((p.amount for p in payments), 0)), ""])
        rows += [[F.date(p.date), f"{p.payee}（评价期间外，不计入执行数）", p.budget_line, F.yuan(p.amount),
                  p.voucher or F.DASH] for p in late]
        table, _ = add_table(document, caption, ["支付日期", "收款单位", "预算项目", "支付金额\n（元）", "凭证号"],
                             rows, [2.6, 3.4, 2.6, 2.0, 1.4], [CENTER, LEFT, LEFT, RIGHT, CENTER], total_row=True,
                             after_total=len(late), whole=(0, 4))
        return table
    by_line: dict[str, list] = {}
    for p in payments:
        by_line.setdefault(p.budget_line, []).append(p)

    def summed(name, items):
        return [name, str(len(items)), F.yuan(sum((p.amount for p in items), 0)),
                F.date(min(p.date for p in items)), F.date(max(p.date for p in items))]
    rows = [summed(line, items) for line, items in by_line.items()]
    if payments:
        rows.append(summed(label, payments))
    if late:
        rows.append(summed("评价期间外的支付（不计入执行数）", late))
    table, _ = add_table(document, caption, ["预算项目", "笔数", "支付金额\n（元）", "首笔支付", "末笔支付"],
                         rows, [3.4, 1.0, 2.2, 2.4, 2.4], [LEFT, RIGHT, RIGHT, CENTER, CENTER],
                         total_row=bool(payments), after_total=1 if late else 0, whole=(3, 4))
    return table
