"""perfeval: 项目支出绩效评价 — standard workbook in, checked and scored evaluation report out."""

__version__ = "0.1.0"
