"""Shared fixtures: the two example workbooks (golden files) and workbooks built from plain dicts."""
import copy
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "workbook_templates" / "examples"
sys.path.insert(0, str(EXAMPLES))

import seed000  # noqa: E402
import seed004  # noqa: E402

from perfeval.template import write_workbook  # noqa: E402

SEED000_XLSX = EXAMPLES / "住建厅综合平台使用费项目-2023-绩效评价.xlsx"
SEED004_XLSX = EXAMPLES / "网络系统运行服务费项目-2022-绩效自评.xlsx"


@pytest.fixture
def seed000_data():
    return copy.deepcopy(seed000.DATA)


@pytest.fixture
def seed004_data():
    return copy.deepcopy(seed004.DATA)


@pytest.fixture
def make_workbook(tmp_path):
    """Write the standard workbook filled with ``data``; returns its path."""
    def make(data, name="项目.xlsx"):
        return write_workbook(tmp_path / name, data)
    return make


def check_data(data, name="项目.xlsx"):
    """Score and check a project built in memory from plain data (no file), as the workbook
    ``write_workbook(path, data)`` would read."""
    from perfeval.pipeline import check_project
    from perfeval.reader import read_mapping
    project, findings = read_mapping(data, name)
    return check_project(project, findings)


def set_cells(path, edits):
    """Overwrite cells of a saved workbook: edits = {(sheet, 'B7'): value}."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        wb[sheet][cell] = value
    wb.save(path)
    return path


def indicator(data, name):
    return next(row for row in data["绩效指标"] if row["三级指标"] == name)


# ---------------------------------------------------------------- findings by their code
def found(result, code):
    """The findings of ``code`` (a Code, so that a code renamed fails here rather than a test that
    expects it absent passing silently) in a check result."""
    from perfeval.findings import Code
    assert isinstance(code, Code), code
    return [f for f in result.findings if f.code is code]


def codes(found_in) -> set[tuple]:
    """(code, sheet, cell) of each finding of a check result, or of a list of findings."""
    findings = found_in if isinstance(found_in, list) else found_in.findings
    return {(f.code, f.sheet, f.cell) for f in findings}
