"""The official 项目支出绩效自评表 read directly, in the layouts units submit, and imported."""
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from perfeval.cli import cli
from perfeval.findings import Code
from perfeval.pipeline import build_file, check_file, check_workbook

import forms as F


def check(tmp_path, *forms, **kwargs):
    return check_file(F.save_forms(tmp_path / "自评表.xlsx", *forms, **kwargs))


# The total each layout's rows give (分值 × completion, 达成判断 from the typed 得分, 不适用 rescaled).
EXPECTED = {"national": "95.83", "sichuan": "95.83", "adjusted": "95.83", "execution_under_management": "95.83",
            "satisfaction_under_outcome": "95.83", "text_targets": "97.37"}


@pytest.mark.parametrize("layout", sorted(F.LAYOUTS))
def test_each_layout_is_read_and_scored(tmp_path, layout):
    [r] = check(tmp_path, F.LAYOUTS[layout]())
    assert not r.unreadable and not r.errors, [f.message for f in r.errors]
    assert r.evaluation.total == Decimal(EXPECTED[layout])
    info = r.project.info
    assert (info.name, info.unit, info.department, info.year) == ("城区道路维护项目", "市市政设施管理中心",
                                                                  "市住房和城乡建设局", 2023)
    names = [s.indicator.name for s in r.evaluation.scored]
    assert "预算执行率" in names and "市民满意度" in names
    # no weight warning: 预算执行率 and 满意度 are found by their role, wherever they sit
    assert not [f for f in r.findings if f.code in ("WEIGHT_RULE", "WEIGHT_TOTAL")], [f.message for f in r.findings]


def test_the_national_annex_is_clean_and_its_execution_comes_from_the_funds(tmp_path):
    [r] = check(tmp_path, F.national())
    assert r.findings == [], [f.message for f in r.findings]
    execution = next(s for s in r.evaluation.scored if s.indicator.name == "预算执行率")
    assert execution.rate == Decimal("0.95") and execution.score == Decimal("9.50")


def test_the_sichuan_form_keeps_its_fund_sources(tmp_path):
    [r] = check(tmp_path, F.sichuan())
    sources = {b.name: (b.budget, b.source.value) for b in r.project.budget}
    assert sources["财政专户管理资金"] == (Decimal(20), "财政专户管理资金")
    assert sources["单位资金"] == (Decimal(20), "单位资金")
    assert r.evaluation.funds.paid == Decimal(114)


def test_a_form_with_adjusted_budget_shows_both(tmp_path):
    [r] = check(tmp_path, F.adjusted())
    info = r.project.info
    assert (info.budget_initial, info.budget_full) == (Decimal(80), Decimal(100))
    from perfeval.report.selfform import build_form
    [total] = [row for row in build_form(r.evaluation).rows if row[1] == "年度资金总额"]
    assert total[3:6] == ["80.00", "100.00", "95.00"] and total[7] == "95.00%"


def test_text_targets_follow_the_typed_score_and_not_applicable_rescales(tmp_path):
    [r] = check(tmp_path, F.text_targets())
    by_name = {s.indicator.name: s for s in r.evaluation.scored}
    assert by_name["道路通行保障"].score == 15 and by_name["设施使用年限延长"].score == 8
    assert by_name["设备轮换"].score is None and r.evaluation.rescaled
    assert by_name["完成时间"].score == 10                 # a date target: 时效
    # the form's own 总分 (97.5, counting the row that did not apply) differs from the rows' 97.37
    [f] = [f for f in r.findings if f.code is Code.SELF_SCORE]
    assert "97.5分" in f.message and "97.37分" in f.message and f.sheet == "自评表" and f.cell.startswith("H")


def test_the_forms_own_arithmetic_is_checked_with_its_cells(tmp_path):
    """Rows rounded to whole points, weights summing to 110, a 总分 the rows cannot reach."""
    form = F.national()
    form.rows[1] = form.rows[1][:6] + (9,) + form.rows[1][7:]          # 9.33 typed as 9
    form.rows[2] = form.rows[2][:5] + (20, 20, "")                     # 分值 20: the weights sum to 110
    form.total = (110, 100)
    [r] = check(tmp_path, form)
    codes = {f.code: f for f in r.findings}
    assert codes["REPORTED_SCORE"].cell == "H14" and "9分" in codes["REPORTED_SCORE"].message
    assert "110分" in codes["WEIGHT_TOTAL"].message
    assert "100分" in codes["SELF_SCORE"].message and codes["SELF_SCORE"].cell == "H20"
    # the typed 总分 is not even the sum of the typed rows (9.5 + 20 + 9 + 20 + 10 + 15 + 12 + 10)
    assert codes["TOTAL_NOT_ROWS"].cell == "H20" and "各指标填写的得分之和为105.5分" in codes["TOTAL_NOT_ROWS"].message
    assert all(f.sheet == "自评表" for f in r.findings)


def test_a_typed_rate_that_disagrees_with_the_amounts_is_reported(tmp_path):
    form = F.national()
    form.rate_typed = "100%"
    [r] = check(tmp_path, form)
    [f] = [f for f in r.findings if f.code is Code.FORM_RATE]
    assert f.cell == "H6" and "100%" in f.message and "95.00%" in f.message


def test_several_forms_on_a_sheet_or_one_a_sheet(tmp_path):
    two = check(tmp_path, F.national(), F.adjusted())
    assert [r.label.endswith(f"（第{k}张自评表）") for k, r in enumerate(two, 1)] == [True, True]
    assert [r.project.info.budget_initial for r in two] == [Decimal(100), Decimal(80)]
    sheets = check(tmp_path, F.national(), F.sichuan(), one_sheet=False)
    assert [r.evaluation.funds.paid for r in sheets] == [Decimal(95), Decimal(114)]
    assert {f.sheet for r in sheets for f in r.findings} <= {"自评表", "自评表2"}


def test_forms_go_into_the_batch_and_its_summary(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    F.save_forms(folder / "两张.xlsx", F.national(), F.sichuan())
    F.save_forms(folder / "一张.xlsx", F.text_targets())
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.docx")) == ["一张.docx", "两张-1.docx", "两张-2.docx", "汇总分析报告.docx"]
    ws = openpyxl.load_workbook(out / "汇总表.xlsx")["项目汇总"]
    files = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert files == ["一张.xlsx", "两张.xlsx（第1张自评表）", "两张.xlsx（第2张自评表）"]


def test_import_writes_a_standard_workbook_with_the_same_total(tmp_path):
    source = F.save_forms(tmp_path / "单位自评表.xlsx", F.text_targets())
    target = tmp_path / "工作簿.xlsx"
    result = CliRunner().invoke(cli, ["import", str(source), "-o", str(target)])
    assert result.exit_code == 0 and "已生成标准工作簿" in result.output, result.output
    imported = check_workbook(target)
    assert not imported.errors, [f.message for f in imported.errors]
    assert imported.evaluation.total == Decimal("97.37") and imported.project.info.self_score == Decimal("97.5")
    [built] = build_file(target, tmp_path / "out")
    assert built.report is not None and built.check.evaluation.total == Decimal("97.37")
    again = CliRunner().invoke(cli, ["import", str(source), "-o", str(target)])
    assert again.exit_code == 1 and "已存在" in again.output


def test_a_file_that_is_neither_says_what_was_expected(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便什么表"
    wb.save(tmp_path / "别的表.xlsx")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "别的表.xlsx")])
    assert result.exit_code == 2
    assert "既不是标准工作簿" in result.output and "项目支出绩效自评表" in result.output and "一级指标" in result.output
    imported = CliRunner().invoke(cli, ["import", str(tmp_path / "别的表.xlsx")])
    assert imported.exit_code == 2 and "既不是标准工作簿" in imported.output


@pytest.mark.parametrize("layout", sorted(F.LAYOUTS))
def test_every_layout_imports_to_a_workbook_that_builds_with_the_same_total(tmp_path, layout):
    from perfeval.pipeline import import_forms
    [target] = import_forms(F.save_forms(tmp_path / "表.xlsx", F.LAYOUTS[layout]()), tmp_path / "工作簿.xlsx")
    [built] = build_file(target, tmp_path / "out")
    assert built.report is not None, built.skipped
    assert built.check.evaluation.total == Decimal(EXPECTED[layout])


def test_execution_under_management_is_told_under_payments_in_the_report(tmp_path):
    import docx
    [built] = build_file(F.save_forms(tmp_path / "表.xlsx", F.execution_under_management()), tmp_path / "out")
    paragraphs = [p.text for p in docx.Document(built.report).paragraphs]
    payments = paragraphs.index("（1）资金支付")
    assert paragraphs[payments + 1].startswith("预算执行率：")
    assert sum(p.startswith("预算执行率：") for p in paragraphs) == 1        # told once
