"""项目支出绩效自评表, the official self-evaluation form: one layout (a grid of cells and merges),
written as a table in the report and as ``<stem>-自评表.xlsx`` printable on A4 landscape."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..files import atomic_path
from ..schema import FundSource, Method
from ..scoring import Evaluation
from ..vocab import ACHIEVEMENTS
from . import narrative as G
from .narrative import shown
from .. import figures as F
from .tables import Grid

COLUMNS = 9
# Column shares of the width (A4 landscape in Excel, the text block in the report).
SHARES = [1.7, 1.3, 1.6, 2.6, 1.5, 1.5, 0.9, 1.0, 3.0]
# In the report the form is as wide as the text block (156 mm): the figures need the room.
DOCX_SHARES = [1.2, 1.2, 1.3, 2.3, 1.5, 1.5, 0.9, 1.5, 1.8]
DASH = "—"


def _execution_indicator(e: Evaluation):
    return next((s for s in e.scored if s.indicator.method is Method.EXECUTION), None)


def _fund_rows(e: Evaluation):
    """(label, 年初预算数, 全年预算数, 全年执行数) for the total and each 资金来源."""
    f = e.funds
    yield "年度资金总额", f.budget, f.budget, f.paid
    for source, label in ((FundSource.CURRENT, "其中：当年财政拨款"), (FundSource.CARRIED, "上年结转资金"),
                          (FundSource.OTHER, "其他资金")):
        lines = [l for l in f.lines if l.source is source]
        budget = sum((l.budget for l in lines), Decimal(0))
        paid = sum((l.paid for l in lines), Decimal(0))
        yield label, budget, budget, paid


def build_form(e: Evaluation) -> Grid:
    info = e.project.info
    g = Grid()
    r = g.add(["项目支出绩效自评表"], header=True, columns=COLUMNS)
    g.merge(r, 0, r, COLUMNS - 1)
    r = g.add([f"（{info.year}年度）" if info.year else ""])
    g.merge(r, 0, r, COLUMNS - 1)

    r = g.add(["项目名称", info.name], header=False)
    g.merge(r, 1, r, COLUMNS - 1)
    r = g.add(["主管部门", info.department or DASH, "", "", "实施单位", info.unit])
    g.merge(r, 1, r, 3)
    g.merge(r, 5, r, COLUMNS - 1)

    execution = _execution_indicator(e)
    first = g.add(["项目资金（万元）", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                  header=True)
    g.merge(first, 1, first, 2)
    for i, (label, start, full, paid) in enumerate(_fund_rows(e)):
        rate = paid / full if full else None
        if i == 0:
            weight = F.plain(execution.indicator.weight) if execution else DASH
            score = F.score(execution.score) if execution else DASH
        else:
            weight = score = DASH
        r = g.add(["", label, "", F.money(start), F.money(full), F.money(paid), weight, F.percent(rate), score])
        g.merge(r, 1, r, 2)
        g.numeric.update((r, c) for c in range(3, 9))
    g.merge(first, 0, r, 0)

    r1 = g.add(["年度总体目标", "预期目标", "", "", "", "实际完成情况"], header=True)
    g.merge(r1, 1, r1, 4)
    g.merge(r1, 5, r1, COLUMNS - 1)
    goal = "\n".join(x for x in (info.overall_goal, info.annual_goal) if x) or DASH
    done = "\n".join(e.project.texts(ACHIEVEMENTS) or G.achievements(e)) or DASH
    r2 = g.add(["", goal, "", "", "", done])
    g.text.update({(r2, 1), (r2, 5)})
    g.merge(r2, 1, r2, 4)
    g.merge(r2, 5, r2, COLUMNS - 1)
    g.merge(r1, 0, r2, 0)

    head = g.add(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                  "偏差原因分析及改进措施"], header=True)
    rows = [s for s in e.scored if s.indicator.method is not Method.EXECUTION]
    start = len(g.rows)
    for s in rows:
        ind = s.indicator
        target = shown(ind, "target")
        if target and ind.operator and ind.method is not Method.QUALITATIVE and not target.startswith(ind.operator.value):
            target = ind.operator.value + target
        actual = shown(ind, "actual")
        if ind.method in (Method.SATISFACTION, Method.FUNDS_IN_PLACE) and s.rate is not None:
            actual = F.percent(s.rate)
        if not s.applicable:
            score = "不适用"
        else:
            score = F.score(s.score)
        deviation = ind.deviation if (s.applicable and s.score is not None and s.score < ind.weight) else ""
        r = g.add(["", ind.level1, ind.level2, ind.name, target or DASH, actual or DASH,
                   F.plain(ind.weight), score, deviation])
        g.numeric.update({(r, 6), (r, 7)})
        g.text.update({(r, 3), (r, 8)})
    g.merge_runs(start, len(g.rows) - 1, 1)
    g.merge_runs(start, len(g.rows) - 1, 2)
    g.merge(head, 0, max(head, len(g.rows) - 1), 0)

    r = g.add(["总分", "", "", "", "", "", F.plain(e.applicable_weight), F.score(e.total), ""], header=True)
    g.merge(r, 0, r, 5)
    g.numeric.update({(r, 6), (r, 7)})
    return g


# ---------------------------------------------------------------- Excel
def write_form_xlsx(e: Evaluation, path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    grid = build_form(e)
    wb = Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font, bold_font = Font(name="宋体", size=10), Font(name="宋体", size=10, bold=True)
    widths = [w * 8 for w in SHARES]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    aligned = {h: Alignment(horizontal=h, vertical="center", wrap_text=True) for h in ("left", "center", "right")}
    for i, row in enumerate(grid.rows, start=1):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(i, j, value or None)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"        # "=100%" is a target, not a formula
            cell.font = bold_font if (i - 1) in grid.header_rows else body_font
            where = (i - 1, j - 1)
            cell.alignment = aligned["right" if where in grid.numeric else "left" if where in grid.text else "center"]
            if i > 2:
                cell.border = border
    from openpyxl.worksheet.merge import MergedCellRange
    for r1, c1, r2, c2 in grid.merges:
        # Registered directly: merge_cells() would also re-style every covered cell, which costs
        # more than the rest of the sheet; the cells already have their borders and are blank.
        ref = f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(c2 + 1)}{r2 + 1}"
        ws.merged_cells.add(MergedCellRange(ws, ref))
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws.row_dimensions[1].height = 28
    # Excel does not grow a row for wrapped text in merged cells: give long texts their height.
    spans = {(r1, c1): sum(widths[c1:c2 + 1]) for r1, c1, r2, c2 in grid.merges if r1 == r2}
    for r, c in grid.text:
        chars_per_line = max(4, int(spans.get((r, c), widths[c]) / 2))   # a CJK character is ~2 units
        lines = sum(1 + len(part) // chars_per_line for part in grid.rows[r][c].split("\n"))
        height = min(400, 15 * lines)
        if height > (ws.row_dimensions[r + 1].height or 15):
            ws.row_dimensions[r + 1].height = height
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
