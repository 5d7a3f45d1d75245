import openpyxl
import pytest
from click.testing import CliRunner

from perfeval import schema as S
from perfeval.cli import cli
from perfeval.findings import Code
from perfeval.template import LISTS_SHEET

from conftest import ROOT

COMMITTED = ROOT / "workbook_templates" / "绩效评价标准工作簿.xlsx"


def fingerprint(path):
    """What a user sees in the workbook: sheets, cells, drop-downs, prompts, frozen panes, widths."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        cells = [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        dvs = sorted((str(dv.sqref), dv.type, dv.formula1, dv.prompt, dv.error)
                     for dv in ws.data_validations.dataValidation)
        widths = sorted((k, d.width) for k, d in ws.column_dimensions.items())
        out.append((ws.title, ws.sheet_state, ws.freeze_panes, cells, dvs, widths))
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("t") / "t.xlsx"
    result = CliRunner().invoke(cli, ["template", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_committed_template_is_what_the_command_writes(template):
    assert fingerprint(template) == fingerprint(COMMITTED)


def test_every_sheet_and_header_of_the_contract(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames[:1] == [S.INSTRUCTIONS_SHEET]
    info = wb[S.INFO_SHEET]
    assert [info.cell(1, 1).value, info.cell(1, 2).value] == ["字段", "内容"]
    assert [info.cell(r, 1).value for r in range(2, 2 + len(S.INFO_FIELDS))] == [f.header for f in S.INFO_FIELDS]
    assert "预算总额（万元）" in [f.header for f in S.INFO_FIELDS]
    for sheet in S.TABLE_SHEETS:
        ws = wb[sheet.name]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
        assert ws.freeze_panes == "A2"
    assert [c.value for c in wb["支付"][1]][:4] == ["支付日期", "收款单位", "预算项目", "支付金额（元）"]
    assert wb[LISTS_SHEET].sheet_state == "hidden"


def _list_validations(ws):
    """{first cell of the range: list formula} for the drop-downs of a sheet."""
    return {str(dv.sqref).split(":")[0]: dv.formula1
            for dv in ws.data_validations.dataValidation if dv.type == "list"}


def test_drop_downs_on_every_enumerated_column(template):
    wb = openpyxl.load_workbook(template)
    lists = wb[LISTS_SHEET]

    def options(formula):
        ref = formula.split("!")[1].replace("$", "")
        return [c.value for row in lists[ref] for c in row]

    for sheet in S.TABLE_SHEETS:
        ws = wb[sheet.name]
        found = _list_validations(ws)
        for j, spec in enumerate(sheet.columns, start=1):
            if spec.choices:
                letter = openpyxl.utils.get_column_letter(j)
                assert options(found[f"{letter}2"]) == spec.choices.labels(), spec.header
    info = _list_validations(wb[S.INFO_SHEET])
    row = 2 + [f.key for f in S.INFO_FIELDS].index("report_type")
    assert options(info[f"B{row}"]) == ["绩效评价报告", "绩效自评报告"]
    narrative = _list_validations(wb["文字说明"])
    assert "项目背景" in options(narrative["A2"]) and "下一步工作计划" in options(narrative["A2"])


def test_instructions_explain_every_scoring_method(template):
    ws = openpyxl.load_workbook(template)[S.INSTRUCTIONS_SHEET]
    first_column = {c.value for c in ws["A"]}
    for method in S.Method.labels():
        assert method in first_column
    for sheet in S.TABLE_SHEETS:
        assert sheet.name in first_column


def test_template_refuses_to_overwrite(template):
    result = CliRunner().invoke(cli, ["template", str(template)])
    assert result.exit_code == 1 and "已存在" in result.output


def test_the_blank_template_reads_without_a_traceback(template):
    from perfeval.pipeline import check_workbook
    r = check_workbook(template)
    assert not r.unreadable
    assert {f.cell for f in r.errors if f.code is Code.REQUIRED} == {"B2", "B3", "B5", "B6", "B9"}
