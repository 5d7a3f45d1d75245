"""项目支出绩效自评表, the official self-evaluation form: one layout (a grid of cells and merges),
written as a table in the report and as ``<stem>-自评表.xlsx`` printable on A4 landscape."""
from __future__ import annotations

from copy import copy
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.pagebreak import Break

from .. import figures as F
from .. import xlsxsafe
from ..schema import Method, NarrativeSlot, fund_row
from ..sheetlook import MONEY_FORMAT, RATE_FORMAT, SCORE_FORMAT, print_on_a4
from ..scoring import Evaluation
from ..vocab import FORM_FUND_ROWS
from . import narrative as G
from .grid import Grid
from .narrative import shown

COLUMNS = 9
# Column shares of the width (A4 landscape in Excel, the text block in the report).
SHARES = [1.7, 1.3, 1.6, 2.6, 1.5, 1.5, 0.9, 1.0, 3.0]
# In the report the form is as wide as the text block (156 mm), in 小五 with narrow cell margins:
# millimetres, so that "一级指标", "年度指标值", "分值" and "100.00" each fit on one line.
DOCX_SHARES = [15, 15, 15, 23, 18, 18, 9, 15, 28]


def _execution_indicator(e: Evaluation):
    return next((s for s in e.scored if s.indicator.method is Method.EXECUTION), None)


# Number formats of the form's figures in the .xlsx: they show as the report shows them.
WEIGHT_FORMAT = "General"


def _as_cell(value, number_format: str):
    """A figure for a spreadsheet cell, rounded as the form shows it (so that what is read back is
    what is seen): money and scores to 0.01, a rate to 0.01%."""
    if value is None:
        return None
    if number_format == WEIGHT_FORMAT:
        return F.as_number(Decimal(value))
    return float(F.round_half_up(Decimal(value), 4 if number_format == RATE_FORMAT else 2))


def _fund_rows(e: Evaluation):
    """(label, 年初预算数, 全年预算数, 全年执行数) for the total and the form's three 资金来源 rows
    (contract v3): 当年财政拨款 (every current-year appropriation and 补助), 上年结转资金, 其他资金."""
    f, info = e.funds, e.project.info
    full = info.budget_full if info.budget_full is not None else f.budget
    initial = info.budget_initial if info.budget_initial is not None else full
    yield "年度资金总额", initial, full, f.paid
    for k, row in enumerate(FORM_FUND_ROWS):
        lines = [l for l in f.lines if fund_row(l.source) == row]
        yield _source_row(f"其中：{row}" if k == 0 else row, lines, initial == full)


def _source_row(label, lines, unchanged: bool):
    budget = sum((l.budget for l in lines), Decimal(0))
    paid = sum((l.paid for l in lines), Decimal(0))
    # 年初 by source is known only where the budget was not adjusted during the year
    return label, (budget if unchanged else None), budget, paid


def build_form(e: Evaluation, compact: bool = False) -> Grid:
    g = Grid(compact=compact, max_lines={3: 2})      # 三级 names in two lines where the page allows
    _form_head(g, e)
    _form_funds(g, e)
    _form_goals(g, e)
    _form_indicators(g, e)
    g.keep.add(len(g.rows) - 1)      # the last indicator stays with 总分
    r = g.add([f"总分{_rescaled_note(e)}", "", "", "", "", "", F.plain(e.applicable_weight), F.score(e.total), ""],
              header=True)
    g.merge(r, 0, r, 5)
    g.number(r, 6, _as_cell(e.applicable_weight, WEIGHT_FORMAT), WEIGHT_FORMAT)
    g.number(r, 7, _as_cell(e.total, SCORE_FORMAT), SCORE_FORMAT)
    return g


def _rescaled_note(e: Evaluation) -> str:
    """Where an indicator 不适用 leaves the 分值 short of 100, why 总分 is not the sum of the 得分 above it."""
    if not e.rescaled:
        return ""
    names = "、".join(f"“{s.indicator.name}”" for s in e.scored if not s.applicable)
    return (f"（{names}不适用，其余指标分值{F.plain(e.applicable_weight)}分、得分{F.plain(e.raw_total)}分，"
            f"按比例折算为100分制）")


def _form_head(g: Grid, e: Evaluation) -> None:
    info = e.project.info
    r = g.add(["项目支出绩效自评表"], header=True, columns=COLUMNS)
    g.merge(r, 0, r, COLUMNS - 1)
    r = g.add([f"（{info.year}年度）" if info.year else ""])
    g.merge(r, 0, r, COLUMNS - 1)
    r = g.add(["项目名称", info.name], header=False)
    g.merge(r, 1, r, COLUMNS - 1)
    r = g.add(["主管部门", info.department or F.DASH, "", "", "实施单位", info.unit])
    g.merge(r, 1, r, 3)
    g.merge(r, 5, r, COLUMNS - 1)


def _form_funds(g: Grid, e: Evaluation) -> None:
    """项目资金: the total and the three 资金来源 rows, the 预算执行率 indicator's 分值 and 得分 beside the total."""
    execution = _execution_indicator(e)
    first = g.add(["项目资金（万元）", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                  header=True)
    g.merge(first, 1, first, 2)
    for i, (label, start, full, paid) in enumerate(_fund_rows(e)):
        rate = paid / full if full else None
        if i == 0 and execution:
            weight, score = execution.indicator.weight, execution.score
        else:
            weight = score = None
        r = g.add(["", label, "", F.money(start), F.money(full), F.money(paid), F.plain(weight),
                   F.percent(rate), F.score(score)])
        g.merge(r, 1, r, 2)
        for c, value, fmt in ((3, start, MONEY_FORMAT), (4, full, MONEY_FORMAT), (5, paid, MONEY_FORMAT),
                              (6, weight, WEIGHT_FORMAT), (7, rate, RATE_FORMAT), (8, score, SCORE_FORMAT)):
            g.number(r, c, _as_cell(value, fmt), fmt)
    g.merge(first, 0, r, 0)


def _form_goals(g: Grid, e: Evaluation) -> None:
    info = e.project.info
    r1 = g.add(["年度总体目标", "预期目标", "", "", "", "实际完成情况"], header=True)
    g.merge(r1, 1, r1, 4)
    g.merge(r1, 5, r1, COLUMNS - 1)
    goal = "\n".join(x for x in (info.overall_goal, info.annual_goal) if x) or F.DASH
    done = "\n".join(e.project.texts(NarrativeSlot.ACHIEVEMENTS) or G.achievements(e, compact=True)) or F.DASH
    r2 = g.add(["", goal, "", "", "", done])
    g.text.update({(r2, 1), (r2, 5)})
    g.merge(r2, 1, r2, 4)
    g.merge(r2, 5, r2, COLUMNS - 1)
    g.merge(r1, 0, r2, 0)


def _form_indicators(g: Grid, e: Evaluation) -> None:
    """绩效指标: a row per indicator but 预算执行率 (in the funds block), its 一级 and 二级 merged down."""
    head = g.add(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                  "偏差原因分析及改进措施"], header=True)
    g.split_at = head       # in the report, the indicators are a table of their own: this row repeats
    start = len(g.rows)
    for s in e.scored:
        ind = s.indicator
        if ind.method is Method.EXECUTION:
            continue
        target = shown(ind, "target")
        op = ind.comparison      # 指标性质, or the comparison written in the 目标值 ("≥200次")
        if target and op and ind.method is not Method.QUALITATIVE and not target.startswith(op.value):
            target = op.value + target
        actual = shown(ind, "actual")
        if ind.method in (Method.SATISFACTION, Method.FUNDS_IN_PLACE) and s.rate is not None:
            actual = F.percent(s.rate)
        score = F.score(s.score) if s.applicable else Method.NOT_APPLICABLE.value
        deviation = ind.deviation if s.applicable else ""     # the unit's own words, wherever it wrote them
        r = g.add(["", ind.level1, ind.level2, ind.name, target or F.DASH, actual or F.DASH,
                   F.plain(ind.weight), score, deviation])
        g.number(r, 6, _as_cell(ind.weight, WEIGHT_FORMAT), WEIGHT_FORMAT)
        g.number(r, 7, _as_cell(s.score, SCORE_FORMAT), SCORE_FORMAT)
        g.text.update({(r, 3), (r, 8)})
    g.merge_runs(start, len(g.rows) - 1, 1)
    g.merge_runs(start, len(g.rows) - 1, 2)
    g.merge(head, 0, max(head, len(g.rows) - 1), 0)


# ---------------------------------------------------------------- Excel
LINE_PT = 13.5           # a line of 10-point 宋体
PAGE_PT = 470            # rows printed on one A4 landscape page (595 less 2 × 0.6 inch, less a margin of safety)


def _lines(text: str, width_units: float) -> int:
    """Lines ``text`` takes in a column ``width_units`` wide (Excel units: a CJK character is ~2)."""
    per_line = max(2, int(width_units / 2))
    return sum(max(1, -(-sum(1 if ord(ch) > 0x2E80 else 0.55 for ch in part) // per_line))
               for part in str(text).split("\n"))


def _row_heights(grid: Grid, widths: list[float]) -> list[float]:
    """Each row's height in points, so that every cell's wrapped text shows whole (Excel does not
    grow rows for merged cells, and LibreOffice keeps the heights it is given)."""
    spans = {(r1, c1): (r2, sum(widths[c1:c2 + 1])) for r1, c1, r2, c2 in grid.merges}
    covered = {(r, c) for r1, c1, r2, c2 in grid.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
               if (r, c) != (r1, c1)}
    heights = [LINE_PT + 4] * len(grid.rows)
    tall = []
    for r, row in enumerate(grid.rows):
        for c, value in enumerate(row):
            if not value or (r, c) in covered:
                continue
            r2, width = spans.get((r, c), (r, widths[c]))
            need = _lines(value, width) * LINE_PT + 4
            if r2 == r:
                heights[r] = max(heights[r], need)
            else:
                tall.append((r, r2, need))
    for r1, r2, need in tall:          # a label merged down: its rows together hold it
        have = sum(heights[r1:r2 + 1])
        if have < need:
            heights[r2] += need - have
    return [min(409, h) for h in heights]


def _page_breaks(grid: Grid, heights: list[float]) -> list[int]:
    """Rows after which a page ends (1-based). The indicators' header row is printed again at the
    top of every later page (print titles), so those pages hold less; it never ends a page. Each
    一级 group (with its header row where it is the first) goes whole onto the next page where it
    does not fit on this one but fits on a page; a longer one fills the page and goes on (its
    labels shown again, see ``_split_merges``); the 总分 row (the last) never stands alone."""
    head = grid.split_at
    repeat = heights[head] if head is not None else 0.0
    # blocks of rows that stay together: the opening row by row, then each 一级 group
    starts = set(range(head + 1 if head is not None else len(heights)))
    if head is not None:
        starts.update(r for r in range(head + 2, len(heights) - 1) if grid.rows[r][1] != grid.rows[r - 1][1])
        starts.add(len(heights) - 1)        # 总分
    starts.discard(0)
    bounds = sorted(starts | {0, len(heights)})
    blocks = [range(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]
    breaks, used, room = [], 0.0, PAGE_PT

    def new_page(at: int) -> None:
        nonlocal used, room
        breaks.append(at)                   # the rows before ``at`` (0-based) end the page
        used, room = 0.0, PAGE_PT - (repeat if head is not None and at > head else 0.0)
    for block in blocks:
        size = sum(heights[r] for r in block)
        if used and used + size > room and size <= PAGE_PT - repeat:
            new_page(block.start)
        for r in block:
            if used and used + heights[r] > room:
                new_page(r)
            used += heights[r]
    last = len(heights) - 1
    if breaks and breaks[-1] == last and last >= 2:
        breaks[-1] = last - 1               # the last indicator goes over with 总分
    return breaks


def _label_row(grid: Grid, r: int, c: int) -> int:
    """The first row of the merged area holding cell (r, c)."""
    return next((r1 for r1, c1, r2, c2 in grid.merges if c1 <= c <= c2 and r1 <= r <= r2), r)


def _split_merges(grid: Grid, breaks: list[int]) -> list[tuple[int, int, int, int]]:
    """``grid``'s merged areas cut where a page ends (``breaks``, 1-based rows ending a page):
    a label merged down over rows on two pages is printed on both (see ``write_form_xlsx``)."""
    out = []
    for r1, c1, r2, c2 in grid.merges:
        start = r1
        for end in breaks:                  # ``end`` (1-based) is the 0-based row after the page's last
            if start < end <= r2:
                out.append((start, c1, end - 1, c2))
                start = end
        out.append((start, c1, r2, c2))
    return [m for m in out if (m[0], m[1]) != (m[2], m[3])]


def write_form_xlsx(e: Evaluation, path, stamp: str = "") -> Path:
    """``stamp``: what the 自评表 was made from (pipeline.build_stamp), kept in its properties as the
    report keeps it, so that a form from another workbook is never taken as up to date."""
    grid = build_form(e)
    wb = Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    widths = [w * 8 for w in SHARES]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    _cells(ws, grid)
    _pages(ws, grid, widths)
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    # Fitted to the page's width, the indicators' header row on every page. The page breaks laid
    # out above assume no shrinking (as in Excel, where the columns fit the page): where a program
    # shrinks the sheet to fit, its pages come out a little short, and the breaks still hold.
    head = grid.split_at
    print_on_a4(ws, title_rows=f"{head + 1}:{head + 1}" if head is not None else None, margins=0.5)
    ws.print_options.horizontalCentered = True
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if stamp:
        wb.properties.identifier = stamp
    return xlsxsafe.save(wb, Path(path))


def _cells(ws, grid: Grid) -> None:
    """The grid's values (a figure as a number in its format, as the form shows it) and their look.
    A cell's style is set once for each of the few kinds (bold or not, alignment, border, number
    format) and copied to the other cells of its kind: setting a font or border looks the style up
    in the workbook's list by hashing it, which costs more than the rest of the sheet."""
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font, bold_font = Font(name="宋体", size=10), Font(name="宋体", size=10, bold=True)
    aligned = {h: Alignment(horizontal=h, vertical="center", wrap_text=True) for h in ("left", "center", "right")}
    styles = {}
    for i, row in enumerate(grid.rows, start=1):
        for j, value in enumerate(row, start=1):
            number = grid.numbers.get((i - 1, j - 1))
            if number is not None:
                cell = ws.cell(i, j, number[0])
            else:
                cell = ws.cell(i, j, None if value in ("", None) else value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"        # "=100%" is a target, not a formula
            where = (i - 1, j - 1)
            kind = ((i - 1) in grid.header_rows, "right" if where in grid.numeric else "left" if where in grid.text
                    else "center", i > 2, number[1] if number is not None else None)
            if kind in styles:
                cell._style = copy(styles[kind])
                continue
            cell.font = bold_font if kind[0] else body_font
            cell.alignment = aligned[kind[1]]
            if kind[2]:
                cell.border = border
            if kind[3]:
                cell.number_format = kind[3]
            styles[kind] = copy(cell._style)


def _pages(ws, grid: Grid, widths: list[float]) -> None:
    """Row heights, page breaks and the merged areas, cut where a page ends: a label's part on a
    later page holds the label again, its rows made tall enough, and the pages laid out once more."""
    heights = _row_heights(grid, widths)
    heights[0] = 28
    breaks = _page_breaks(grid, heights)
    heights = _row_heights(replace(grid, merges=_split_merges(grid, breaks)), widths)
    heights[0] = 28
    breaks = _page_breaks(grid, heights)
    starts = {(m[0], m[1]) for m in grid.merges}
    merges = _split_merges(grid, breaks)
    for r1, c1, r2, c2 in merges:
        if (r1, c1) not in starts:           # a label's part on a later page: the label again
            label = ws.cell(_label_row(grid, r1, c1) + 1, c1 + 1)
            cell = ws.cell(r1 + 1, c1 + 1, label.value)
            cell.font, cell.alignment = copy(label.font), copy(label.alignment)
    # Registered at once as plain ranges: merge_cells() would re-style every covered cell (and a
    # MergedCellRange its first cell), and adding ranges one by one compares each with all before
    # it; the cells already have their borders and are blank.
    ws.merged_cells = MultiCellRange([CellRange(min_col=c1 + 1, min_row=r1 + 1, max_col=c2 + 1, max_row=r2 + 1)
                                      for r1, c1, r2, c2 in merges])
    for r, height in enumerate(heights, start=1):
        ws.row_dimensions[r].height = height
    for r in breaks:
        ws.row_breaks.append(Break(id=r))
