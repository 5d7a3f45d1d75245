"""Report tables: fixed widths that Word and WPS both read, repeated header rows, merged cells.

A table is written as WordprocessingML in one piece (python-docx's cell API rebuilds the
grid on every access and makes large tables quadratic). Widths go in all three places
readers look: ``w:tblW``, ``w:gridCol`` (WPS) and ``w:tcW`` (Word); layout is fixed; rows
never split across pages; header rows repeat on every page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.shared import Emu

from ..scoring import Evaluation
from .. import figures as F
from .style import TABLE_CAPTION, TABLE_TEXT, TEXT_WIDTH, style_ids

LEFT, RIGHT, CENTER = "left", "right", "center"
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


def _paragraphs(text: str, align: str, bold: bool, style_id: str) -> str:
    run_props = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    out = []
    for line in (str(text) if text is not None else "").split("\n"):
        run = f'<w:r>{run_props}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else ""
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/><w:jc w:val="{align}"/></w:pPr>{run}</w:p>')
    return "".join(out)


def _table_xml(grid: Grid, widths: list[int], table_style: str, text_style: str, skip_rows: int = 0) -> str:
    twips = [Emu(w).twips for w in widths]
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for m in grid.merges:
        r1, c1, r2, c2 = m
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                covered[(r, c)] = m
    rows = []
    for r in range(skip_rows, len(grid.rows)):
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
            props += '<w:vAlign w:val="center"/>'
            if r == r1:
                where = (r1, c1)
                align = RIGHT if where in grid.numeric else LEFT if where in grid.text else CENTER
                bold = r1 in grid.header_rows or where in grid.bold
                body = _paragraphs(grid.rows[r1][c1], align, bold, text_style)
            else:
                body = f'<w:p><w:pPr><w:pStyle w:val="{text_style}"/></w:pPr></w:p>'
            cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
            c = c2 + 1
        header = "<w:tblHeader/>" if r - skip_rows < grid.repeat_rows else ""
        rows.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(cells)}</w:tr>")
    grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    return (f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="{table_style}"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>{"".join(rows)}</w:tbl>')


def add_grid(document, grid: Grid, shares: list[float], caption: str | None, skip_rows: int = 0):
    """Append ``grid`` as a table the width of the text block, columns split by ``shares``."""
    if caption:
        document.add_paragraph(caption, style=TABLE_CAPTION)
    ids = style_ids(document)
    scale = sum(shares)
    widths = [int(TEXT_WIDTH * s / scale) for s in shares]
    tbl = parse_xml(_table_xml(grid, widths, ids.get("Table Grid", "TableGrid"), ids[TABLE_TEXT], skip_rows))
    body = document.element.body
    body.insert(len(body) - 1, tbl)      # before the final w:sectPr
    from docx.table import Table
    return Table(tbl, document._body)


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
                         rows, [1.4, 1.6, 2.0, 4.0, 5.5], [CENTER, CENTER, LEFT, LEFT, LEFT], merge_columns=2)
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
    grid.merge_runs(1, last - 1, 0)
    grid.merge_runs(1, last - 1, 1)
    grid.merge(last, 0, last, 2)
    return add_grid(document, grid, [1.6, 2.0, 3.6, 1.2, 1.2, 1.4], caption)
