import openpyxl
from click.testing import CliRunner

from perfeval.cli import cli

from conftest import SEED000_XLSX, SEED004_XLSX


def annotate(src, out):
    result = CliRunner().invoke(cli, ["check", str(src), "--annotate", str(out)])
    assert "Traceback" not in result.output
    return result


def test_annotated_copy_marks_every_finding(tmp_path, make_workbook, seed000_data):
    seed000_data["支付"][1]["预算项目"] = "12329热线"       # an error on 支付!C3
    src = make_workbook(seed000_data)
    before = src.read_bytes()
    out = tmp_path / "标注.xlsx"
    result = annotate(src, out)
    assert result.exit_code == 1 and "已生成标注副本" in result.output
    assert src.read_bytes() == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "检查结果"
    error = wb["支付"]["C3"]
    assert error.fill.fgColor.rgb.endswith("FF9999") and "12329热线" in error.comment.text
    warning = wb["绩效指标"]["P7"]
    assert warning.fill.fgColor.rgb.endswith("FFE699") and "机房维保" in warning.comment.text
    listing = wb["检查结果"]
    rows = [[c.value for c in row] for row in listing.iter_rows(min_row=2)]
    assert rows[0][:3] == ["错误", "支付", "C3"]
    assert listing["C2"].hyperlink.location == "'支付'!C3"
    from perfeval.pipeline import check_workbook
    assert len(rows) == len(check_workbook(src).findings)
    # the rest of the workbook is kept: values and drop-downs
    assert wb["项目信息"]["B2"].value == "住建厅综合平台使用费项目"
    assert wb["绩效指标"].data_validations.dataValidation


def test_annotated_copy_of_a_clean_workbook_says_so(tmp_path):
    out = tmp_path / "a.xlsx"
    assert annotate(SEED004_XLSX, out).exit_code == 0
    assert openpyxl.load_workbook(out)["检查结果"]["D2"].value == "没有发现问题。"


def test_annotate_refuses_to_overwrite_its_input(tmp_path, make_workbook, seed004_data):
    src = make_workbook(seed004_data)
    result = annotate(src, src)
    assert result.exit_code == 1 and "不能覆盖原工作簿" in result.output
    assert openpyxl.load_workbook(src).sheetnames[0] == "填表说明"


def test_annotate_takes_one_workbook(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(SEED000_XLSX), str(SEED004_XLSX), "--annotate",
                                      str(tmp_path / "x.xlsx")])
    assert result.exit_code == 3 and "只能用于一个工作簿" in result.output


def test_chapters_left_empty_are_listed_and_their_drafts_added_for_review(tmp_path, make_workbook, seed004_data):
    seed004_data["文字说明"] = [row for row in seed004_data["文字说明"] if row["章节"] != "经济性"]
    seed004_data["文字说明"] = [row for row in seed004_data["文字说明"] if row["章节"] != "存在问题"]
    src = make_workbook(seed004_data)
    checked = CliRunner().invoke(cli, ["check", str(src)])
    assert checked.exit_code == 0, checked.output                   # a 提示 is not an error
    notes = [line for line in checked.output.splitlines() if "[提示]" in line]
    assert len(notes) == 2 and all("将使用自动生成的文字" in n for n in notes)
    assert any("“经济性”" in n for n in notes) and any("“存在问题”" in n for n in notes)
    out = tmp_path / "标注.xlsx"
    annotate(src, out)
    ws = openpyxl.load_workbook(out)["文字说明"]
    added = [(r[0].value, r[1]) for r in ws.iter_rows(min_row=len(seed004_data["文字说明"]) + 2)]
    assert [slot for slot, _ in added] == ["经济性", "经济性", "存在问题"]
    economy = added[0][1]
    assert economy.value.startswith("本项目预算44.99万元，评价期间实际支出44.99万元")
    assert economy.fill.fgColor.rgb.endswith("DDEBF7") and "自动生成" in economy.comment.text
