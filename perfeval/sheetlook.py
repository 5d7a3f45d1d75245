"""How the sheets perfeval writes look: a figure's number format (as figures.py writes it in a
report), a header row, and a sheet printed on A4 as wide as the page. One look for 汇总表, the
自评表, the annotated copy and the standard workbook."""
from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill

# Number formats of figures in a cell: they show as the report writes them (figures.money, .percent, .score).
MONEY_FORMAT, RATE_FORMAT, SCORE_FORMAT = "#,##0.00", "0.00%", "0.00"
HEADER_FILL = "DDEBF7"          # light blue


def header_row(ws, row: int = 1) -> None:
    """A row of column names: bold on light blue, centred, wrapped."""
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in ws[row]:
        cell.font, cell.fill, cell.alignment = bold, fill, centred


def link_look(cell) -> None:
    """A cell that holds a link looks like one (blue, underlined), as Excel sets it."""
    cell.font = Font(color="0563C1", underline="single")


def print_on_a4(ws, landscape: bool = True, title_rows: str | None = "1:1", margins: float | None = None) -> None:
    """Printed on A4 (landscape by default), as wide as the page however long, ``title_rows``
    repeated on every page; ``margins``: left and right, in inches."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = title_rows
    if margins is not None:
        ws.page_margins.left = ws.page_margins.right = margins
