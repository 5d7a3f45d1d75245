"""项目支出绩效自评表 in layouts that differ in structure (form_variants): each read with the total, the
names and the money an officer reads off the form by hand, built and imported with the same total."""
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from perfeval.cli import cli
from perfeval.findings import Code
from perfeval.pipeline import build_file, check_file, check_workbook, import_forms

import form_variants as V


def check(tmp_path, variant):
    path, expected = V.save(tmp_path / f"{variant}.xlsx", variant)
    return check_file(path), expected


@pytest.mark.parametrize("variant", sorted(V.VARIANTS))
def test_each_variant_reads_as_an_officer_reads_it(tmp_path, variant):
    results, expected = check(tmp_path, variant)
    assert len(results) == len(expected)
    for r, e in zip(results, expected):
        assert not r.unreadable and not r.errors, [f.message for f in r.errors]
        info = r.project.info
        assert (info.name, info.unit, info.department, info.year) == (e.name, e.unit, e.department, e.year)
        assert (info.budget_full, r.evaluation.funds.paid) == (Decimal(e.budget), Decimal(e.paid))
        assert r.evaluation.total == Decimal(e.total) and r.evaluation.grade == "优"
        assert len(r.evaluation.scored) == e.indicators
        assert info.self_score == (Decimal(e.total) if e.self_score else None)     # the form's 总分 row
        assert not r.findings, [f.message for f in r.findings]


@pytest.mark.parametrize("variant", sorted(V.VARIANTS))
def test_each_variant_builds_and_imports_with_the_same_total(tmp_path, variant):
    path, expected = V.save(tmp_path / f"{variant}.xlsx", variant)
    built = build_file(path, tmp_path / "out")
    assert [b.check.evaluation.total for b in built] == [Decimal(e.total) for e in expected]
    assert all(b.report is not None for b in built), [b.skipped for b in built]
    for target, e in zip(import_forms(path, tmp_path / "工作簿.xlsx"), expected):
        imported = check_workbook(target)
        assert imported.evaluation.total == Decimal(e.total)
        assert imported.project.info.budget_full == Decimal(e.budget)


def test_money_in_yuan_is_told_in_wan_in_the_json(tmp_path):
    path, _ = V.save(tmp_path / "元.xlsx", "money_in_yuan")
    result = CliRunner().invoke(cli, ["check", "--json", str(path)])
    [out] = json.loads(result.output)
    assert result.exit_code == 0, result.output
    info = out["项目信息"]
    assert (info["预算总额（万元）"], info["全年预算数（万元）"]) == (100, 100)


def test_a_subtotal_row_is_no_indicator_and_a_total_labelled_heji_is_the_total(tmp_path):
    [r], _ = check(tmp_path, "points_cost_and_subtotals")
    names = [s.indicator.name for s in r.evaluation.scored]
    assert "合计" not in names and "小计" not in names and "单位面积维护成本" in names
    assert r.project.info.rows["self_score"] == 24         # the 合计 row, under the last 小计


def test_a_notes_sheet_naming_the_columns_is_not_a_form(tmp_path):
    results, _ = check(tmp_path, "two_forms_and_a_notes_sheet")
    assert {f.sheet for r in results for f in r.findings} <= {"自评表"}
    assert [r.project.info.year for r in results] == [2023, 2022]


def test_sources_named_otherwise_are_kept_and_go_to_their_rows_of_the_form(tmp_path):
    from perfeval.report.selfform import build_form
    [r], _ = check(tmp_path, "sources_named_otherwise")
    assert [(b.name, b.budget) for b in r.project.budget] == [("财政资金", 40), ("一般公共预算资金", 40), ("单位自筹", 20)]
    rows = {row[1]: row[3:6] for row in build_form(r.evaluation).rows if row[1]}
    assert rows["其中：当年财政拨款"] == ["80.00", "80.00", "76.00"] and rows["其他资金"] == ["20.00", "20.00", "19.00"]


def test_the_year_is_the_titles_and_not_the_date_of_filling(tmp_path):
    results, _ = check(tmp_path, "stacked_with_tall_heads")
    assert [r.project.info.year for r in results] == [2023, 2022]
    assert [r.project.info.period_end.year for r in results] == [2023, 2022]


def test_a_head_typed_as_label_and_value_in_one_cell(tmp_path):
    [r], _ = check(tmp_path, "labels_with_their_values")
    assert r.project.columns["项目信息"]["value"][3] == "A"        # findings on the name point at A3


def test_the_annexs_lettered_headers_and_qizhong_in_a_cell_of_its_own(tmp_path):
    [r], _ = check(tmp_path, "annex_as_printed")
    assert [(b.name, b.budget) for b in r.project.budget] == [("当年财政拨款", 80), ("上年结转资金", 20)]


def test_the_signatures_end_a_form_without_a_total_row(tmp_path):
    [r], _ = check(tmp_path, "no_total_row_and_a_footer")
    assert not [f for f in r.findings if f.row and f.row > 20], [f.message for f in r.findings]


def test_the_report_states_each_target_with_its_comparison(tmp_path):
    """A form's ≥/≤ (typed in the 年度指标值 or in a 指标性质 column) is in the report and its 自评表."""
    import docx
    import openpyxl
    path, _ = V.save(tmp_path / "表.xlsx", "two_row_header_reordered")
    [built] = build_file(path, tmp_path / "out")
    text = "\n".join(p.text for p in docx.Document(built.report).paragraphs)
    assert "平均修复时长：目标值≤48小时" in text and "道路维护面积：目标值≥12万平方米" in text
    cells = [c for row in openpyxl.load_workbook(built.form).active.iter_rows(values_only=True) for c in row]
    assert "≤48小时" in cells and "≥12万平方米" in cells


def test_the_points_in_an_yiji_label_are_not_its_name_and_the_summary_has_one_column_a_yiji(tmp_path):
    import openpyxl
    folder = tmp_path / "in"
    folder.mkdir()
    V.save(folder / "分值在名称中.xlsx", "points_cost_and_subtotals")
    V.save(folder / "年度在标题中.xlsx", "year_title_and_signatures")
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    head = next(openpyxl.load_workbook(tmp_path / "out" / "汇总表.xlsx")["项目汇总"].iter_rows(values_only=True))
    assert [h for h in head if h.endswith("得分率")] == ["预算执行率得分率", "产出指标得分率", "成本指标得分率", "效益指标得分率",
                                                       "满意度指标得分率"]


def test_an_amount_that_cannot_be_read_is_told_at_its_cell(tmp_path):
    wb, _ = V.amounts_typed_with_their_units()
    wb.active["E6"] = "约100"
    wb.save(tmp_path / "表.xlsx")
    [r] = check_file(tmp_path / "表.xlsx")
    [f] = r.errors
    assert (f.sheet, f.cell) == ("Sheet1", "E6") and "约100" in f.message and "全年预算数" in f.message


def test_a_form_whose_indicator_header_is_not_found_says_so_once(tmp_path):
    wb, _ = V.year_title_and_signatures()
    for row in wb.active.iter_rows():
        for c in row:
            if c.value == "三级指标":
                c.value = "指标名称"
    wb.save(tmp_path / "表.xlsx")
    [r] = check_file(tmp_path / "表.xlsx")
    [f] = r.findings
    assert "没有找到绩效指标的表头" in f.message and "三级指标" in f.message and "分值" in f.message
    assert not r.evaluation.graded and r.evaluation.weights_off == "绩效指标未能读取"


def test_a_title_left_without_its_year_takes_the_sheets_or_is_told_at_the_title(tmp_path):
    wb, _ = V.two_row_header_reordered()
    wb.active["A2"] = "（    年度）"
    wb.save(tmp_path / "表.xlsx")
    [r] = check_file(tmp_path / "表.xlsx")
    [f] = r.errors
    assert (f.sheet, f.cell) == ("绩效自评表", "A2") and "评价年度" in f.message
    wb.active.title = "2023年自评表"
    wb.save(tmp_path / "表.xlsx")
    [r] = check_file(tmp_path / "表.xlsx")
    assert r.project.info.year == 2023 and not r.findings


def test_the_unit_is_the_filling_units_where_the_form_has_no_shishi_danwei_and_a_blank_one_is_told(tmp_path):
    wb, _ = V.year_title_and_signatures()
    wb.active["F4"] = wb.active["G4"] = None          # no 实施单位: the 填报单位 line above the table
    wb.save(tmp_path / "表.xlsx")
    [r] = check_file(tmp_path / "表.xlsx")
    assert r.project.info.unit == V.UNIT and not r.findings
    wb, _ = V.two_row_header_reordered()
    wb.active["G4"] = None
    wb.save(tmp_path / "表.xlsx")
    [r] = check_file(tmp_path / "表.xlsx")
    [f] = r.errors
    assert (f.sheet, f.cell) == ("绩效自评表", "G4") and "实施单位" in f.message


def test_a_rate_typed_as_a_fraction_against_a_percentage_target_is_that_percentage(tmp_path):
    """道路完好率 ≥95% done 0.98 (a cell in General format), 满意度 0.9 and 0.93 both as fractions."""
    rows = list(V.ROWS)
    rows[2] = rows[2][:4] + (0.98,) + rows[2][5:]
    rows[6] = rows[6][:3] + (0.9, 0.93) + rows[6][5:]
    wb, [s] = V._book("Sheet1")
    V._indicators(s, V._goals(s, V._funds(s, V._head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]]))), rows)
    wb.save(tmp_path / "表.xlsx")
    [r] = check_file(tmp_path / "表.xlsx")
    assert r.evaluation.total == Decimal("95.83") and not r.findings, [f.message for f in r.findings]


def test_a_figure_in_the_achievements_text_is_told_at_its_cell(tmp_path, monkeypatch):
    monkeypatch.setattr(V, "DONE", "全年完成道路维护12.6万平方米，道路完好率97%。")
    [r], _ = check(tmp_path, "year_title_and_signatures")
    [f] = r.findings
    assert (f.sheet, f.cell) == ("Sheet1", "F12") and "97%" in f.message


def test_forms_side_by_side_are_said_to_be_read_only_on_the_left(tmp_path):
    wb, _ = V.year_title_and_signatures()
    ws = wb.active
    for row in list(ws.iter_rows()):
        for c in row:
            if c.value is not None:
                ws.cell(c.row, c.column + 11, c.value)
    wb.save(tmp_path / "并排.xlsx")
    [r] = check_file(tmp_path / "并排.xlsx")
    assert r.evaluation.total == Decimal("95.83")
    [f] = r.findings
    assert f.code is Code.FORM_SIDE_BY_SIDE and (f.sheet, f.cell) == ("Sheet1", "A3") and "2个“项目名称”" in f.message


def test_formulas_without_their_results_are_computed_on_a_form_and_told(tmp_path):
    """A form written by a program: 得分 and 总分 formulas with no result saved."""
    wb, _ = V.year_title_and_signatures()
    ws = wb.active
    ws["H19"], ws["H21"] = "=15*0.8", "=SUM(H14:H20)+I7"
    ws["H20"] = "=VLOOKUP(1,Z1:Z2,1)"
    wb.save(tmp_path / "公式.xlsx")
    [r] = check_file(tmp_path / "公式.xlsx")
    scores = {s.indicator.name: s.indicator.reported for s in r.evaluation.scored}
    assert scores["设施使用年限延长"] == 12                 # not blank, which scored it 15 of 15
    cells = {f.cell: f.code for f in r.findings if f.code.name.startswith("FORMULA")}
    # 总分 adds the cell that cannot be computed: it cannot be either
    assert cells == {"H19": Code.FORMULA_COMPUTED, "H20": Code.FORMULA_NO_VALUE, "H21": Code.FORMULA_NO_VALUE}


def test_a_row_with_its_points_but_no_sanji_name_is_told_and_still_counted(tmp_path):
    rows = list(V.ROWS)
    rows[3] = rows[3][:2] + ("",) + rows[3][3:]
    wb, [s] = V._book("Sheet1")
    V._indicators(s, V._goals(s, V._funds(s, V._head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]]))), rows)
    wb.save(tmp_path / "表.xlsx")
    [r] = check_file(tmp_path / "表.xlsx")
    [f] = r.findings
    assert (f.code, f.cell) == (Code.REQUIRED, "D16") and "三级指标" in f.message
    assert r.evaluation.total == Decimal("95.83")       # the row's 10 points are not dropped


@pytest.mark.parametrize("full", ["调整预算数", None])
def test_funds_headers_worded_otherwise(tmp_path, full):
    """年度预算数 / 调整预算数 / 实际支出数 for 年初预算数 / 全年预算数 / 全年执行数 (or no 全年 column)."""
    wb, _ = V.year_title_and_signatures()
    words = {"年初预算数": "年度预算数", "全年预算数": full, "全年执行数": "实际支出数"}
    for row in wb.active.iter_rows():
        for c in row:
            if c.value in words:
                c.value = words[c.value]
    wb.save(tmp_path / "表.xlsx")
    [r] = check_file(tmp_path / "表.xlsx")
    assert (r.project.info.budget_full, r.evaluation.funds.paid, r.evaluation.total) == (100, 95, Decimal("95.83"))
    assert not r.findings, [f.message for f in r.findings]
