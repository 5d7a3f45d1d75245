"""Report tables: fixed widths that Word and WPS both read, repeated header rows, merged cells.

A table is written as WordprocessingML in one piece (python-docx's cell API rebuilds the
grid on every access and makes large tables quadratic). Widths go in all three places
readers look: ``w:tblW``, ``w:gridCol`` (WPS) and ``w:tcW`` (Word); layout is fixed; rows
never split across pages; header rows repeat on every page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from docx.oxml import parse_xml
from docx.shared import Emu

from ..scoring import Evaluation
from .. import figures as F
from .style import TABLE_CAPTION, TABLE_TEXT, TEXT_WIDTH, set_style, style_ids

LEFT, RIGHT, CENTER = "left", "right", "center"
# A labelled group of rows up to this height (points) is kept on one page; a taller one is cut
# into pieces of about PIECE, each showing its labels again (the text block is 638 points high).
PAGE_FIT = 520
PIECE = 280
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass
class Grid:
    """Cells by row and column, the merged areas, and how each cell is set."""
    rows: list[list[str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # r1, c1, r2, c2 (0-based, inclusive)
    header_rows: set[int] = field(default_factory=set)                       # rows set in bold
    repeat_rows: int = 0                                                     # leading rows repeated on each page
    numeric: set[tuple[int, int]] = field(default_factory=set)               # cells aligned right
    text: set[tuple[int, int]] = field(default_factory=set)                  # long text, aligned left
    bold: set[tuple[int, int]] = field(default_factory=set)
    keep: set[int] = field(default_factory=set)   # rows kept on one page with the row below (e.g. above 合计)
    compact: bool = False          # 小五 text and narrow cell margins (the dense 自评表)
    split_at: int | None = None    # a second table from this row on, its first row repeated on each page

    def add(self, values: list[str], header: bool = False, columns: int | None = None) -> int:
        width = columns or (len(self.rows[0]) if self.rows else len(values))
        self.rows.append(list(values) + [""] * (width - len(values)))
        if header:
            self.header_rows.add(len(self.rows) - 1)
        return len(self.rows) - 1

    def merge(self, r1, c1, r2, c2) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    def merge_runs(self, first: int, last: int, col: int) -> None:
        """Merge down runs of equal values in ``col`` (and equal values in the columns before it)."""
        start = first
        while start <= last:
            end = start
            key = self.rows[start][:col + 1]
            while end + 1 <= last and self.rows[end + 1][:col + 1] == key:
                end += 1
            self.merge(start, col, end, col)
            start = end + 1


# Text metrics for fitting labels into cells (a CJK character is as wide as the font size).
PT = 20                        # twips per point
MARGIN = 108                   # Word's default cell margin left and right (0.19 cm), twips
COMPACT_MARGIN = 57            # 1 mm
SIZE = {False: 10.5, True: 9.0}   # points: 五号, 小五
LINE = 1.3                     # single line spacing of the CJK table fonts, × size


def _char_units(text: str) -> float:
    """Width of ``text`` in CJK character widths (Latin letters and digits count half)."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def _lines_needed(text: str, width_twips: int, compact: bool) -> int:
    room = max(1.0, (width_twips - 2 * (COMPACT_MARGIN if compact else MARGIN)) / (SIZE[compact] * PT))
    return sum(max(1, -(-int(_char_units(part) * 100) // int(room * 100))) for part in str(text).split("\n"))


def _paragraphs(text: str, align: str, bold: bool, style_id: str, compact: bool = False,
                keep_next: bool = False) -> str:
    props = ("<w:b/><w:bCs/>" if bold else "") + (f'<w:sz w:val="{int(SIZE[True] * 2)}"/>'
                                                   f'<w:szCs w:val="{int(SIZE[True] * 2)}"/>' if compact else "")
    run_props = f"<w:rPr>{props}</w:rPr>" if props else ""
    out = []
    for line in (str(text) if text is not None else "").split("\n"):
        run = f'<w:r>{run_props}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else ""
        next_ = "<w:keepNext/>" if keep_next else ""
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{next_}<w:jc w:val="{align}"/></w:pPr>{run}</w:p>')
    return "".join(out)


def _table_xml(grid: Grid, widths: list[int], table_style: str, text_style: str, rows_range: range,
               repeat_rows: int) -> str:
    """One w:tbl of ``grid``'s rows in ``rows_range``.

    A label merged down over several rows (一级/二级) sits at the top of its first row, and that
    row is made tall enough to hold it: rows never split across pages, so the label is never cut
    by a page break, in Word, WPS or LibreOffice alike."""
    twips = [Emu(w).twips for w in widths]
    size = SIZE[grid.compact]
    spans = [m for m in grid.merges if m[0] <= rows_range.stop - 1 and m[2] >= rows_range.start]

    def text_height(r, c1, c2) -> float:
        return _lines_needed(grid.rows[r][c1], sum(twips[c1:c2 + 1]), grid.compact) * size * LINE + 4

    # the height of each row, from its cells that are not merged down
    tall = {(r, c) for r1, c1, r2, c2 in spans if r2 > r1 for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    height = {r: max([text_height(r, c, c) for c in range(len(twips)) if (r, c) not in tall] or [size * LINE])
              for r in rows_range}
    # The outermost labelled groups (一级): kept whole on one page where they fit; a longer one
    # is cut into pieces of about half a page, the same cuts for every column, each piece showing
    # its labels again, so that every page names the 一级/二级 of its rows.
    repeated = [m for m in spans if m[2] > m[0] and all(grid.rows[r][m[1]] == grid.rows[m[0]][m[1]]
                                                        for r in range(m[0], m[2] + 1))]
    outer_col = min((m[1] for m in repeated), default=None)
    cuts, keep = set(), {r for r in grid.keep if r in rows_range}
    for r1, c1, r2, c2 in (m for m in repeated if m[1] == outer_col):
        r1, r2 = max(r1, rows_range.start), min(r2, rows_range.stop - 1)
        if sum(height[r] for r in range(r1, r2 + 1)) <= PAGE_FIT:
            keep.update(range(r1, r2))
            continue
        used = 0.0
        for r in range(r1, r2 + 1):
            if used and used + height[r] > PIECE:
                cuts.add(r)
                used = 0.0
            used += height[r]
    merges = []
    for r1, c1, r2, c2 in spans:
        r1, r2 = max(r1, rows_range.start), min(r2, rows_range.stop - 1)
        start = r1
        for r in range(r1 + 1, r2 + 1):
            if r in cuts:
                merges.append((start, c1, r - 1, c2))
                start = r
        merges.append((start, c1, r2, c2))
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for m in merges:
        r1, c1, r2, c2 = m
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                covered[(r, c)] = m
    min_height: dict[int, int] = {}
    for r1, c1, r2, c2 in merges:
        if r2 == r1:
            continue
        need = int(text_height(r1, c1, c2) * PT) + 60
        min_height[r1] = max(min_height.get(r1, 0), need)
    rows = []
    for r in rows_range:
        cells = []
        c = 0
        while c < len(twips):
            r1, c1, r2, c2 = covered.get((r, c), (r, c, r, c))
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
                body = _paragraphs(grid.rows[r1][c1], align, bold, text_style, grid.compact, r in keep)
            else:
                next_ = "<w:keepNext/>" if r in keep else ""
                body = f'<w:p><w:pPr><w:pStyle w:val="{text_style}"/>{next_}</w:pPr></w:p>'
            cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
            c = c2 + 1
        header = "<w:tblHeader/>" if r - rows_range.start < repeat_rows else ""
        height = f'<w:trHeight w:val="{min_height[r]}" w:hRule="atLeast"/>' if r in min_height else ""
        rows.append(f"<w:tr><w:trPr><w:cantSplit/>{height}{header}</w:trPr>{''.join(cells)}</w:tr>")
    grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    margins = (f'<w:tblCellMar><w:left w:w="{COMPACT_MARGIN}" w:type="dxa"/>'
               f'<w:right w:w="{COMPACT_MARGIN}" w:type="dxa"/></w:tblCellMar>' if grid.compact else "")
    return (f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="{table_style}"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            f'{margins}<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>{"".join(rows)}</w:tbl>')


def add_grid(document, grid: Grid, shares: list[float], caption: str | None, skip_rows: int = 0):
    """Append ``grid`` as a table the width of the text block, columns split by ``shares``
    (two tables, seamlessly one below the other, where ``grid.split_at`` says)."""
    ids = style_ids(document)
    if caption:
        set_style(document.add_paragraph(caption), ids[TABLE_CAPTION])
    scale = sum(shares)
    widths = [int(TEXT_WIDTH * s / scale) for s in shares]
    table_style, text_style = ids.get("Table Grid", "TableGrid"), ids[TABLE_TEXT]
    parts = [range(skip_rows, len(grid.rows))]
    if grid.split_at is not None and skip_rows < grid.split_at < len(grid.rows):
        parts = [range(skip_rows, grid.split_at), range(grid.split_at, len(grid.rows))]
    body = document.element.body
    from docx.table import Table
    first = None
    for i, rows in enumerate(parts):
        if i:   # a paragraph of no height keeps the two tables apart without a visible gap
            body.insert(len(body) - 1, parse_xml(
                f'<w:p xmlns:w="{W_NS}"><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
                f'<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'))
        repeat = grid.repeat_rows if i == 0 else 1
        tbl = parse_xml(_table_xml(grid, widths, table_style, text_style, rows, repeat))
        body.insert(len(body) - 1, tbl)      # before the final w:sectPr
        first = first or Table(tbl, document._body)
    return first


def add_table(document, caption: str | None, header: list[str], rows: list[list[str]],
              shares: list[float], aligns: list, merge_columns: int = 0, total_row: bool = False):
    """A table with one header row; the first ``merge_columns`` columns merged down over runs
    of equal values; a last 合计 row in bold when ``total_row``."""
    grid = Grid(repeat_rows=1)
    grid.add(header, header=True)
    for row in rows:
        r = grid.add(row)
        for c, align in enumerate(aligns):
            if align == RIGHT:
                grid.numeric.add((r, c))
            elif align == LEFT:
                grid.text.add((r, c))
    last = len(grid.rows) - 1
    if total_row:
        grid.header_rows.add(last)
        grid.keep.add(last - 1)         # 合计 never alone at the top of a page
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
    rows = [[s.indicator.level1, s.indicator.level2, s.indicator.name,
             s.indicator.explanation, s.indicator.key_points] for s in e.scored]
    table, _ = add_table(document, caption, ["一级指标", "二级指标", "三级指标", "指标解释", "评价要点"],
                         rows, [1.8, 1.8, 2.0, 3.9, 5.0], [CENTER, CENTER, LEFT, LEFT, LEFT], merge_columns=2)
    return table


def score_table(document, e: Evaluation, caption: str):
    rows = []
    for s in e.scored:
        ind = s.indicator
        if s.applicable:
            rows.append([ind.level1, ind.level2, ind.name, F.score(ind.weight), F.score(s.score),
                         F.percent(s.score_rate)])
        else:
            rows.append([ind.level1, ind.level2, ind.name, F.score(ind.weight), "不适用", "—"])
    total_weight = e.applicable_weight
    rows.append(["合计", "", "", F.score(total_weight), F.score(e.raw_total),
                 F.percent(e.raw_total / total_weight if total_weight else None)])
    grid = Grid(repeat_rows=1)
    grid.add(["一级指标", "二级指标", "三级指标", "分值", "得分", "得分率"], header=True)
    for row in rows:
        r = grid.add(row)
        grid.numeric.update({(r, 3), (r, 4), (r, 5)})
        grid.text.add((r, 2))
    last = len(grid.rows) - 1
    grid.header_rows.add(last)
    grid.keep.add(last - 1)
    grid.merge_runs(1, last - 1, 0)
    grid.merge_runs(1, last - 1, 1)
    grid.merge(last, 0, last, 2)
    return add_grid(document, grid, [1.6, 2.0, 3.6, 1.2, 1.2, 1.4], caption)


# Up to this many payments the report lists each one; above it, a summary by budget line.
PAYMENTS_LISTED = 12


def contracts_table(document, e: Evaluation, caption: str):
    """The contracts; the amount, date and period columns only where some contract gives them."""
    contracts = e.project.contracts
    if not contracts:
        return None
    columns = [("合同名称", 3.2, LEFT, lambda c: c.name), ("供应商", 2.8, LEFT, lambda c: c.supplier),
               ("预算项目", 2.2, LEFT, lambda c: c.budget_line or "—")]
    if any(c.amount is not None for c in contracts):
        columns.append(("合同金额\n（元）", 2.0, RIGHT, lambda c: F.yuan(c.amount) if c.amount is not None else "—"))
    if any(c.signed for c in contracts):
        columns.append(("签订日期", 2.3, CENTER, lambda c: F.date(c.signed) if c.signed else "—"))
    if any(c.service_start and c.service_end for c in contracts):
        columns.append(("服务期", 2.6, CENTER, lambda c: f"{F.date(c.service_start)}至{F.date(c.service_end)}"
                        if c.service_start and c.service_end else "—"))
    rows = [[value(c) for *_, value in columns] for c in contracts]
    table, _ = add_table(document, caption, [name for name, *_ in columns], rows,
                         [share for _, share, *_ in columns], [align for _, _, align, _ in columns])
    return table


def payments_table(document, e: Evaluation, caption: str):
    """Each payment for a small project; otherwise the payments summed by budget line."""
    payments = e.project.payments
    if not payments:
        return None
    if len(payments) <= PAYMENTS_LISTED:
        rows = [[F.date(p.date), p.payee, p.budget_line, F.yuan(p.amount), p.voucher or "—"]
                for p in sorted(payments, key=lambda p: p.date)]
        rows.append(["合计", "", "", F.yuan(sum((p.amount for p in payments), 0)), ""])
        table, _ = add_table(document, caption, ["支付日期", "收款单位", "预算项目", "支付金额\n（元）", "凭证号"],
                             rows, [2.6, 3.4, 2.6, 2.0, 1.4], [CENTER, LEFT, LEFT, RIGHT, CENTER], total_row=True)
        return table
    by_line: dict[str, list] = {}
    for p in payments:
        by_line.setdefault(p.budget_line, []).append(p)
    rows = [[line, str(len(items)), F.yuan(sum((p.amount for p in items), 0)),
             F.date(min(p.date for p in items)), F.date(max(p.date for p in items))]
            for line, items in by_line.items()]
    rows.append(["合计", str(len(payments)), F.yuan(sum((p.amount for p in payments), 0)),
                 F.date(min(p.date for p in payments)), F.date(max(p.date for p in payments))])
    table, _ = add_table(document, caption, ["预算项目", "笔数", "支付金额\n（元）", "首笔支付", "末笔支付"],
                         rows, [3.4, 1.0, 2.2, 2.4, 2.4], [LEFT, RIGHT, RIGHT, CENTER, CENTER], total_row=True)
    return table
