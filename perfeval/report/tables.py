"""Report tables: fixed widths that Word and WPS both read, repeated header rows, merged 一级/二级 cells."""
from __future__ import annotations

from decimal import Decimal

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu

from ..scoring import Evaluation
from . import numbers as N
from .style import TABLE_CAPTION, TABLE_TEXT, TEXT_WIDTH

LEFT, RIGHT, CENTER = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER


def _tr_flag(row, tag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _fix_layout(table, widths: list[int]) -> None:
    tbl = table._tbl
    tblpr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(sum(Emu(w).twips for w in widths)))
    for gc, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        gc.set(qn("w:w"), str(Emu(w).twips))
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = w


def add_table(document, caption: str | None, header: list[str], rows: list[list[str]],
              shares: list[float], aligns: list, merge_columns: int = 0, total_row: bool = False):
    """A table the width of the text block. ``shares`` split that width between the columns;
    the first ``merge_columns`` columns are merged down over runs of equal values."""
    if caption:
        document.add_paragraph(caption, style=TABLE_CAPTION)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    scale = sum(shares)
    widths = [int(TEXT_WIDTH * s / scale) for s in shares]
    _fix_layout(table, widths)

    all_rows = [header] + rows
    for i, (row, values) in enumerate(zip(table.rows, all_rows)):
        _tr_flag(row, "w:cantSplit")
        if i == 0:
            _tr_flag(row, "w:tblHeader")
        for j, (cell, value) in enumerate(zip(row.cells, values)):
            if j < merge_columns and i > 0:
                continue     # written after merging
            _write(cell, value, CENTER if i == 0 else aligns[j], bold=(i == 0 or (total_row and i == len(all_rows) - 1)))

    for j in range(merge_columns):
        start = 1
        while start < len(all_rows):
            end = start
            while (end + 1 < len(all_rows) and all_rows[end + 1][j] == all_rows[start][j]
                   and all(all_rows[end + 1][k] == all_rows[start][k] for k in range(j))
                   and not (total_row and end + 1 == len(all_rows) - 1)):
                end += 1
            top = table.rows[start].cells[j]
            if end > start:
                top = top.merge(table.rows[end].cells[j])
            _write(top, all_rows[start][j], aligns[j], bold=total_row and start == len(all_rows) - 1)
            start = end + 1
    return table


def _write(cell, value: str, align, bold: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = str(value).split("\n") if value is not None else [""]
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    first = paragraphs[0]
    for k, line in enumerate(lines):
        p = first if k == 0 else cell.add_paragraph()
        p.style = TABLE_TEXT
        p.alignment = align
        if first.runs and k == 0:
            for r in list(first.runs):
                r._r.getparent().remove(r._r)
        run = p.add_run(line)
        run.bold = bold or None


# ---------------------------------------------------------------- the report's tables
def budget_table(document, e: Evaluation, caption: str):
    f = e.funds
    rows = []
    for line in f.lines:
        rows.append([line.name, N.money(line.budget), N.money(line.in_place), N.money(line.paid),
                     N.percent(line.rate)])
    if f.unassigned_paid:
        rows.append(["（未对应预算项目的支付）", "", "", N.money(f.unassigned_paid), ""])
    rows.append(["合计", N.money(f.budget), N.money(f.in_place), N.money(f.paid), N.percent(f.exec_rate)])
    return add_table(document, caption,
                     ["预算项目", "预算金额\n（万元）", "到位金额\n（万元）", "实际支出\n（万元）", "执行率"],
                     rows, [4, 2.2, 2.2, 2.2, 1.6], [LEFT, RIGHT, RIGHT, RIGHT, RIGHT], total_row=True)


def indicator_system_table(document, e: Evaluation, caption: str):
    rows = [[s.indicator.level1, s.indicator.level2, s.indicator.name,
             s.indicator.explanation, s.indicator.key_points] for s in e.scored]
    return add_table(document, caption, ["一级指标", "二级指标", "三级指标", "指标解释", "评价要点"],
                     rows, [1.4, 1.6, 2.0, 4.0, 5.5], [CENTER, CENTER, LEFT, LEFT, LEFT], merge_columns=2)


def score_table(document, e: Evaluation, caption: str):
    rows = []
    for s in e.scored:
        ind = s.indicator
        if s.applicable:
            rows.append([ind.level1, ind.level2, ind.name, N.score(ind.weight), N.score(s.score),
                         N.percent(s.score_rate)])
        else:
            rows.append([ind.level1, ind.level2, ind.name, N.score(ind.weight), "不适用", "—"])
    total_weight = e.applicable_weight
    rows.append(["合计", "", "", N.score(total_weight), N.score(e.raw_total),
                 N.percent(e.raw_total / total_weight if total_weight else None)])
    table = add_table(document, caption, ["一级指标", "二级指标", "三级指标", "分值", "得分", "得分率"],
                      rows, [1.6, 2.0, 3.6, 1.2, 1.2, 1.4], [CENTER, CENTER, LEFT, RIGHT, RIGHT, RIGHT],
                      merge_columns=2, total_row=True)
    last = table.rows[-1]
    merged = last.cells[0].merge(last.cells[2])
    _write(merged, "合计", CENTER, bold=True)
    return table


def grid_table(document, grid, shares: list[float], caption: str | None, skip_rows: int = 0):
    """A table from a Grid (rows, merges, header rows, numeric and text cells); the first
    ``skip_rows`` rows of the grid (a form's own title) are left out."""
    if caption:
        document.add_paragraph(caption, style=TABLE_CAPTION)
    rows = grid.rows[skip_rows:]
    ncols = len(rows[0])
    table = document.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    scale = sum(shares)
    _fix_layout(table, [int(TEXT_WIDTH * s / scale) for s in shares])
    trs = table.rows
    for row in trs:
        _tr_flag(row, "w:cantSplit")
    cells = [list(row.cells) for row in trs]     # the grid read once: Table.cell() is quadratic
    covered = set()
    for r1, c1, r2, c2 in grid.merges:
        r1, r2 = r1 - skip_rows, r2 - skip_rows
        if r1 < 0:
            continue
        merged = cells[r1][c1].merge(cells[r2][c2])
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                covered.add((r, c))
                cells[r][c] = merged
        covered.discard((r1, c1))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if (r, c) in covered:
                continue
            where = (r + skip_rows, c)
            align = RIGHT if where in grid.numeric else LEFT if where in grid.text else CENTER
            _write(cells[r][c], value, align, bold=(r + skip_rows) in grid.header_rows)
    return table
