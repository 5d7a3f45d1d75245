"""The 项目支出绩效自评表 as <stem>-自评表.xlsx and as a table of the self-evaluation report."""
import docx
from docx.oxml.ns import qn
import openpyxl
import pytest

from perfeval.pipeline import build_workbook

from conftest import SEED000_XLSX, SEED004_XLSX


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return {k: build_workbook(p, out) for k, p in (("000", SEED000_XLSX), ("004", SEED004_XLSX))}


def sheet(result):
    return openpyxl.load_workbook(result.form).active


def find(ws, text):
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c
    raise AssertionError(text)


def right_of(ws, cell, k=1):
    return ws.cell(cell.row, cell.column + k).value


def test_form_exists_for_every_workbook(built):
    for result in built.values():
        assert result.form.exists() and result.form.name.endswith("-自评表.xlsx")


def test_form_has_the_official_rows_and_columns(built):
    ws = sheet(built["000"])
    assert ws["A1"].value == "项目支出绩效自评表" and ws["A2"].value == "（2023年度）"
    header = find(ws, "年初预算数")
    assert [right_of(ws, header, k) for k in range(0, 6)] == ["年初预算数", "全年预算数", "全年执行数", "分值",
                                                              "执行率", "得分"]
    for label in ("项目名称", "主管部门", "实施单位", "项目资金（万元）", "年度资金总额", "其中：当年财政拨款",
                  "上年结转资金", "其他资金", "年度总体目标", "预期目标", "实际完成情况", "绩效指标", "总分"):
        find(ws, label)
    head = find(ws, "一级指标")
    assert [right_of(ws, head, k) for k in range(0, 8)] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:I1" in merged and "B3:I3" in merged
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


def test_seed000_form_figures_equal_the_report(built):
    ws = sheet(built["000"])
    total = find(ws, "年度资金总额")
    row = [ws.cell(total.row, c).value for c in range(4, 10)]
    assert row == [734, 734, 631.11, 5, 0.8598, 4.3]          # numbers, shown by their formats
    assert [ws.cell(total.row, c).number_format for c in (4, 8, 9)] == ["#,##0.00", "0.00%", "0.00"]
    # every indicator but 预算执行率 (which sits in the funds block), then 总分
    names = [ws.cell(r, 4).value for r in range(find(ws, "一级指标").row + 1, ws.max_row)]
    assert len(names) == 19 and "预算执行率" not in names and names[0] == "立项依据充分性"
    last = ws.max_row
    assert ws.cell(last, 1).value == "总分" and ws.cell(last, 7).value == 100 and ws.cell(last, 8).value == 98.8
    satisfaction = find(ws, "使用人员满意度")
    assert [right_of(ws, satisfaction, k) for k in (1, 2, 3, 4)] == ["≥90%", "90.00%", 5, 4.5]
    # the report's score table says the same
    report = docx.Document(built["000"].report)
    cells = {c.text for t in report.tables for row in t.rows for c in row.cells}
    assert {"98.80", "4.30", "4.50", "631.11", "85.98%"} <= cells


def test_self_evaluation_report_carries_the_form(built):
    report = docx.Document(built["004"].report)
    captions = [p.text for p in report.paragraphs]
    assert "项目支出绩效自评表（2022年度）" in captions
    i = next(i for i, t in enumerate(report.tables) if t.rows[0].cells[0].text == "项目名称")
    head, indicators = report.tables[i], report.tables[i + 1]      # one form, two tables
    texts = [c.text for t in (head, indicators) for row in t.rows for c in row.cells]
    assert "网络系统运行服务费项目" in texts and "偏差原因分析及改进措施" in texts and "44.99" in texts
    # the indicators' header row repeats on every page the form runs over
    assert indicators.rows[0].cells[1].text == "一级指标"
    assert indicators.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert indicators.rows[-1].cells[0].text == "总分" and indicators.rows[-1].cells[7].text == "100.00"


def test_a_target_written_with_equals_is_text_not_a_formula(built):
    from openpyxl import load_workbook
    ws = load_workbook(built["004"].form).active
    cell = find(ws, "政务服务事项全流程网办率")
    assert right_of(ws, cell, 1) == "=100%" and ws.cell(cell.row, cell.column + 1).data_type == "s"
