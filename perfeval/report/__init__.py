"""Evaluation -> report .docx in the layout of its 报告类型.

The package's modules that only make text (outline, narrative, drafts) import no Word library,
so that ``check`` can tell which chapters will use generated text without loading python-docx.
"""
from __future__ import annotations


def write_report(evaluation, path, fonts=None, stamp: str = "", reference=None, toc: bool = False):
    """Write the report (writer.write_report), loading python-docx only now."""
    from .writer import write_report as write
    return write(evaluation, path, fonts, stamp, reference, toc)
