import datetime as dt
from decimal import Decimal

import openpyxl

from perfeval.findings import Code
from perfeval.pipeline import check_workbook
from perfeval.reader import read_mapping, read_workbook

from conftest import SEED000_XLSX, codes, found, indicator, set_cells


def test_seed000_reads_every_row():
    project, findings = read_workbook(SEED000_XLSX)
    assert findings == []
    assert project.info.name == "住建厅综合平台使用费项目"
    assert project.info.period_start == dt.date(2023, 1, 1)
    assert [b.budget for b in project.budget] == [350, 260, 30, 70, 20, 4]
    assert sum(p.amount for p in project.payments) == 6311050
    assert len(project.indicators) == 20
    assert project.survey[0].valid == 50


def test_text_in_a_number_cell_is_reported_with_its_cell(make_workbook, seed000_data):
    seed000_data["支付"][2]["支付金额"] = "十九万二千"
    r = check_workbook(make_workbook(seed000_data))
    bad = [f for f in r.errors if f.code is Code.BAD_VALUE]
    assert [(f.sheet, f.cell) for f in bad] == [("支付", "D4")]
    assert "十九万二千" in bad[0].message and "金额" in bad[0].message


def test_a_bad_optional_value_is_reported_not_dropped(make_workbook, seed000_data):
    seed000_data["预算明细"][0]["到位金额"] = "全部"
    r = check_workbook(make_workbook(seed000_data))
    assert ("BAD_VALUE", "预算明细", "C2") in codes(r)


def test_columns_are_found_by_header_not_position(make_workbook, seed000_data, tmp_path):
    path = make_workbook(seed000_data)
    wb = openpyxl.load_workbook(path)
    ws = wb["支付"]
    ws.move_range("A1:A10", cols=7)           # 支付日期 moves to column H
    ws.delete_cols(1)
    ws["A1"] = " 收款单位 "                    # stray spaces in a header
    wb.save(path)
    project, findings = read_workbook(path)
    assert findings == []
    assert project.payments[0].date == dt.date(2023, 9, 26)


def test_amount_header_in_another_unit_is_converted(make_workbook, seed000_data):
    for row in seed000_data["预算明细"]:
        row["预算金额"] *= 10000
    path = make_workbook(seed000_data)
    set_cells(path, {("预算明细", "B1"): "预算金额（元）"})
    project, findings = read_workbook(path)
    assert findings == []
    assert project.budget[0].budget == Decimal(350)


def test_missing_sheet_header_and_field(make_workbook, seed000_data):
    path = make_workbook(seed000_data)
    wb = openpyxl.load_workbook(path)
    del wb["满意度调查"]          # optional, but 使用人员满意度 needs it
    del wb["支付"]                # required
    wb["预算明细"]["A1"] = "项目"  # renamed header
    wb["项目信息"]["A2"] = "名称"  # renamed field
    wb.save(path)
    r = check_workbook(path)
    got = codes(r)
    assert ("SHEET_MISSING", "支付", "") in got
    assert ("HEADER_MISSING", "预算明细", "A1") in got         # the misspelled header itself
    [header] = [f for f in r.findings if f.code is Code.HEADER_MISSING]
    assert "“项目”是否应为“预算项目”" in header.message
    assert not found(r, Code.BUDGET_EMPTY)     # not a second message for one cause
    unscored = {f.cell: f.message for f in r.findings if f.code is Code.CANNOT_SCORE}
    assert "预算明细" in unscored["E9"] and "缺少工作表“满意度调查”" in unscored["E21"]
    assert not any(found(r, code) for code in (Code.REPORTED_SCORE, Code.UNKNOWN_BUDGET_LINE, Code.NO_DEVIATION_REASON))
    # the evaluator's figures are not compared with funds and scores that are unknown
    assert not any(f.code is Code.TEXT_FIGURE and ("支出为0" in f.message or "得分为0" in f.message or "总分" in f.message)
                   for f in r.findings)
    assert ("FIELD_MISSING", "项目信息", "") in got
    assert ("SHEET_MISSING", "满意度调查", "") in got     # the first cause, not "没有有效样本"
    assert not any("没有有效样本" in f.message for f in r.findings)


def test_an_optional_sheet_nobody_needs_may_be_missing(make_workbook, seed004_data):
    seed004_data["绩效指标"] = [row for row in seed004_data["绩效指标"] if row["计分方法"] != "满意度"]
    path = make_workbook(seed004_data)
    wb = openpyxl.load_workbook(path)
    del wb["满意度调查"]
    del wb["合同"]
    wb.save(path)
    assert not found(check_workbook(path), Code.SHEET_MISSING)


def test_merged_level_cells_are_spread_down(make_workbook, seed000_data):
    for row in seed000_data["绩效指标"][1:6]:
        row["一级指标"] = None
    path = make_workbook(seed000_data)
    wb = openpyxl.load_workbook(path)
    wb["绩效指标"].merge_cells("A2:A7")
    wb.save(path)
    project, findings = read_workbook(path)
    assert findings == []
    assert {i.level1 for i in project.indicators[:6]} == {"决策"}


def test_blank_rows_are_ignored(make_workbook, seed000_data):
    seed000_data["预算明细"].insert(2, {})
    project, findings = read_workbook(make_workbook(seed000_data))
    assert findings == [] and len(project.budget) == 6


def test_blank_in_place_means_fully_in_place():
    project, _ = read_workbook(SEED000_XLSX)
    assert all(b.in_place == b.budget for b in project.budget)


def test_files_that_are_not_workbooks_are_unreadable(tmp_path):
    ole = tmp_path / "旧格式.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    text = tmp_path / "数据.xlsx"
    text.write_text("a,b\n1,2\n", encoding="utf-8")
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    truncated = tmp_path / "截断.xlsx"
    truncated.write_bytes(SEED000_XLSX.read_bytes()[:3000])
    for path, words in ((ole, ".xls"), (text, "不是 Excel"), (empty, "不是 Excel"), (truncated, "损坏")):
        r = check_workbook(path)
        assert r.unreadable and words in r.unreadable and path.name in r.unreadable


def test_a_project_built_in_memory_reads_as_its_workbook(make_workbook, seed000_data, seed004_data):
    """read_mapping (what the scoring and check tests use) gives what read_workbook gives for the
    workbook written from the same data: every fact, every row and every finding with its cell."""
    broken = dict(seed000_data)
    broken["支付"] = [dict(p) for p in seed000_data["支付"]]
    broken["支付"][2]["支付金额"] = "十万"
    broken["支付"][3]["支付日期"] = None
    indicator(broken, "系统故障率")["目标值"] = "≤2%"
    for i, data in enumerate([seed000_data, seed004_data, broken]):
        path = make_workbook(data, f"{i}.xlsx")
        in_memory, found = read_mapping(data, path.name)
        from_file, found_in_file = read_workbook(path)
        assert in_memory == from_file
        assert found == found_in_file
    assert {(f.code, f.cell) for f in found} == {("BAD_VALUE", "D4"), ("REQUIRED", "A5")}


def test_a_standard_workbooks_helper_sheets_are_not_parsed_to_check_it_but_kept_to_show_it():
    """填表说明 and 下拉选项 are written for the user and never read: checking leaves them empty
    (a third of the file's cells), the sheet view and every other reader still see them."""
    from pathlib import Path
    from perfeval.reader import open_workbook
    quick = open_workbook(Path(SEED000_XLSX), every_sheet=False)
    assert quick.sheetnames == openpyxl.load_workbook(SEED000_XLSX).sheetnames      # same sheets, same order
    assert quick["填表说明"].max_row == 1 and quick["下拉选项"].max_row == 1
    assert quick["绩效指标"].max_row == 21 and quick["绩效指标"].print_title_rows == "$1:$1"
    whole = open_workbook(Path(SEED000_XLSX))
    assert whole["填表说明"].max_row > 20 and whole["下拉选项"].max_row > 20


def test_a_file_of_forms_is_read_whole_whatever_its_sheets_are_called(tmp_path):
    """Without a 项目信息 sheet nothing is left out: a 自评表 on a sheet named 填表说明 is read."""
    import forms as F
    from perfeval.pipeline import check_file
    path = F.save_forms(tmp_path / "自评表.xlsx", F.national())
    wb = openpyxl.load_workbook(path)
    wb["自评表"].title = "填表说明"
    wb.save(path)
    [r] = check_file(path)
    assert not r.unreadable and r.evaluation.total == Decimal("95.83")


def test_an_openpyxl_whose_insides_differ_reads_every_sheet(monkeypatch):
    """The helper sheets are left out through one method of openpyxl's reader; where it is not
    there as expected, the workbook is read whole rather than reported as broken."""
    from pathlib import Path
    from openpyxl.reader.workbook import WorkbookParser
    from perfeval.reader import open_workbook
    real, calls = WorkbookParser.find_sheets, []

    def changed(self):          # the first call is perfeval's (openpyxl's own comes after it)
        calls.append(1)
        if len(calls) == 1:
            raise AttributeError("find_sheets")
        return real(self)
    monkeypatch.setattr(WorkbookParser, "find_sheets", changed)
    wb = open_workbook(Path(SEED000_XLSX), every_sheet=False)
    assert len(calls) == 2
    assert wb["填表说明"].max_row > 20
