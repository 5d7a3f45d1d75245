"""What a batch of several workbooks writes beside their reports, for the office that receives
them: 汇总表.xlsx and 汇总分析报告.docx, both from one roll-up of the batch's records."""
from __future__ import annotations

from pathlib import Path

from .outputs import ANALYSIS_NAME
from .report.bureau import write_bureau_report
from .rollup import PriorRow, rollup
from .summary import earlier_records, write_summary


def write_batch_outputs(records, outdir, previous: list[PriorRow] | None = None, fonts=None) -> tuple[Path, Path]:
    """Write 汇总表.xlsx and 汇总分析报告.docx into ``outdir``; ``previous``: last year's projects
    (``summary.read_previous``), for the year-over-year columns, sheet and section."""
    records = earlier_records(outdir, records) + list(records)     # a folder written to before: its rows too
    roll = rollup(records, previous)
    summary = write_summary(records, outdir, roll)
    analysis = write_bureau_report(roll, Path(outdir) / ANALYSIS_NAME, fonts)
    return summary, analysis
