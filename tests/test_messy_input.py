"""Workbooks as people really fill them: every form a person would call correct reads right."""
import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest

from perfeval.findings import Code
from perfeval.pipeline import check_workbook
from perfeval.reader import read_workbook

from conftest import SEED000_XLSX, codes, found, set_cells


@pytest.mark.parametrize("typed, expected", [
    ("３５０", Decimal(350)),                 # full-width digits
    ("350.00万元", Decimal(350)),             # unit typed as in the header
    ("3,500,000元", Decimal(350)),            # 元 in a 万元 column: converted (with a warning)
    ("￥350", Decimal(350)),
    (" 350 ", Decimal(350)),
])
def test_amounts_as_typed(make_workbook, seed000_data, typed, expected):
    seed000_data["预算明细"][0]["预算金额"] = typed
    project, findings = read_workbook(make_workbook(seed000_data))
    assert project.budget[0].budget == expected
    warned = [f for f in findings if f.code is Code.UNIT_CONVERTED]
    assert bool(warned) == (typed == "3,500,000元")
    if warned:
        assert warned[0].cell == "B2" and "已换算" in warned[0].message


@pytest.mark.parametrize("typed", ["（12.5）", "(12.5)", "\u221212.5", "－12.5"])
def test_negative_amounts_in_accounting_forms_are_read_and_refused_by_the_checks(make_workbook, seed000_data, typed):
    seed000_data["支付"][0]["支付金额"] = typed
    r = check_workbook(make_workbook(seed000_data))
    [f] = [f for f in r.findings if f.code is Code.NEGATIVE]
    assert f.cell == "D2" and "-12.50元" in f.message


@pytest.mark.parametrize("typed", ["2023年9月26日", "2023.9.26", "2023/9/26", "20230926", "2023-09-26",
                                   dt.datetime(2023, 9, 26)])
def test_dates_as_typed(make_workbook, seed000_data, typed):
    seed000_data["支付"][0]["支付日期"] = typed
    project, findings = read_workbook(make_workbook(seed000_data))
    assert project.payments[0].date == dt.date(2023, 9, 26) and findings == []


@pytest.mark.parametrize("format_id", [27, 31, 36, 50, 57, 58])
def test_serial_dates_under_chinese_builtin_formats(make_workbook, seed000_data, format_id):
    path = make_workbook(seed000_data)
    wb = openpyxl.load_workbook(path)
    cell = wb["支付"]["A2"]
    cell.value = 45195                        # 2023-09-26
    wb.save(path)
    # openpyxl cannot write a bare built-in id; patch the style's numFmtId in the file itself
    import re
    import zipfile
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = re.sub(rb'numFmtId="14"', f'numFmtId="{format_id}"'.encode(), data)
            dst.writestr(item, data)
    tmp.replace(path)
    project, findings = read_workbook(path)
    assert project.payments[0].date == dt.date(2023, 9, 26)


def test_percent_typed_three_ways(make_workbook, seed000_data):
    from perfeval.scoring import evaluate
    for typed, fmt in (("2%", None), (2, None), (0.02, "0%")):
        row = next(r for r in seed000_data["绩效指标"] if r["三级指标"] == "系统故障率")
        row["目标值"] = typed
        path = make_workbook(seed000_data, f"p{fmt}{typed}.xlsx")
        if fmt:
            set_cells(path, {})
            wb = openpyxl.load_workbook(path)
            wb["绩效指标"]["G15"].number_format = fmt
            wb.save(path)
        project, _ = read_workbook(path)
        s = next(s for s in evaluate(project).scored if s.indicator.name == "系统故障率")
        assert s.score == 10 and "≤2%" in s.how


def test_headers_and_sheet_names_with_stray_spaces_and_half_width_brackets(make_workbook, seed000_data):
    path = make_workbook(seed000_data)
    wb = openpyxl.load_workbook(path)
    wb["预算明细"]["B1"] = " 预算金额 (万元) "
    wb["支付"].title = " 支付 "
    wb.save(path)
    project, findings = read_workbook(path)
    assert findings == [] and project.budget[0].budget == 350 and len(project.payments) == 5


def test_excel_escapes_and_control_characters_are_cleaned_with_a_warning(make_workbook, seed000_data):
    seed000_data["文字说明"][0]["内容"] = "第一段_x000D_\n第二段_x0007_"
    project, findings = read_workbook(make_workbook(seed000_data))
    assert project.narratives[0].text == "第一段\n第二段"
    [f] = [f for f in findings if f.code is Code.CONTROL_CHARS]
    assert (f.sheet, f.cell, f.severity.value) == ("文字说明", "B2", "警告")


def test_formulas_without_a_cached_value_are_computed_or_reported(make_workbook, seed000_data, tmp_path):
    path = make_workbook(seed000_data)
    wb = openpyxl.load_workbook(path)
    wb["项目信息"]["B9"] = "=SUM(预算明细!B2:B7)"         # not computed by perfeval: another sheet
    wb["预算明细"]["B7"] = "=2*2"                            # computed: 4
    wb.save(path)                                            # openpyxl saves formulas without results
    r = check_workbook(path)
    located = codes(r.findings)
    assert ("FORMULA_COMPUTED", "预算明细", "B7") in located
    assert ("FORMULA_NO_VALUE", "项目信息", "B9") in located
    assert not found(r, Code.REQUIRED)
    assert r.project.budget[5].budget == 4


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
def test_the_example_resaved_by_libreoffice_scores_the_same(tmp_path):
    profile = tmp_path / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"), str(SEED000_XLSX)],
                   check=True, capture_output=True, timeout=240)
    resaved = tmp_path / "lo" / SEED000_XLSX.name
    original, again = check_workbook(SEED000_XLSX), check_workbook(resaved)
    assert again.evaluation.total == original.evaluation.total == Decimal("98.80")
    assert [f.message for f in again.findings] == [f.message for f in original.findings]
