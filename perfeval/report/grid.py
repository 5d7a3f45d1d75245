"""A table as data: cells by row and column, merged areas, and how each cell is set.

The one layout behind a table of the report (tables.py writes it as WordprocessingML) and the
自评表 written as an .xlsx (selfform.py): made without any Word or Excel library.
"""
from __future__ import annotations

from dataclasses import dataclass, field


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
    shrink: bool = False           # compact where 五号 would wrap a name to more than CROWDED lines, a
    #                                long text to more than TALL
    split_at: int | None = None    # a second table from this row on, its first row repeated on each page;
    #                                the rows before it, that row and the first labelled group after it
    #                                start on one page (the 自评表's opening)
    numbers: dict[tuple[int, int], tuple[object, str]] = field(default_factory=dict)  # cell -> (value, number format):
    #                                a spreadsheet writes these as numbers, the text in ``rows`` is how they show
    max_lines: dict[int, int] = field(default_factory=dict)   # column -> lines its text may take at most
    nowrap: set[tuple[int, int]] = field(default_factory=set)  # cells each line of which is never broken
    #                                (besides ``numeric``): dates, a period written as two lines

    def add(self, values: list[str], header: bool = False, columns: int | None = None) -> int:
        width = columns or (len(self.rows[0]) if self.rows else len(values))
        self.rows.append(list(values) + [""] * (width - len(values)))
        if header:
            self.header_rows.add(len(self.rows) - 1)
        return len(self.rows) - 1

    def number(self, r: int, c: int, value, number_format: str) -> None:
        """Cell (r, c) holds a number (its text in ``rows`` shows it): kept for spreadsheets."""
        if value is not None:
            self.numbers[(r, c)] = (value, number_format)
        self.numeric.add((r, c))

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
