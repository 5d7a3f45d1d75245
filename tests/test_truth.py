"""The report tells the truth and says what `check` found (contract v3): a county project filled by a
new user — a payment after 31 December, an overpaid contract, a survey of two groups, a county-level
fund source typed as free text, 文字说明 empty — built in both outlines and read as the officer would."""
import json
from decimal import Decimal

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from perfeval.cli import cli
from perfeval.findings import Code
from perfeval.pipeline import build_workbook, check_workbook
from perfeval.template import write_workbook

import county_water
from conftest import SEED000_XLSX, SEED004_XLSX, check_data, indicator


def paragraphs(path):
    return [p.text for p in docx.Document(path).paragraphs if p.text.strip()]


def chapter(paras, heading, next_heading=None):
    """The paragraphs under a heading (by its title, numbering aside) up to the next one named."""
    start = next(i for i, t in enumerate(paras) if t.endswith(heading) and len(t) <= len(heading) + 4)
    rest = paras[start + 1:]
    if next_heading:
        rest = rest[:next(i for i, t in enumerate(rest) if t.endswith(next_heading) and len(t) <= len(next_heading) + 4)]
    return rest


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The county project as a 财政评价 (绩效评价报告) and as a 单位自评 (绩效自评报告), built."""
    folder = tmp_path_factory.mktemp("county")
    out = {}
    for key, kind in (("evaluation", "绩效评价报告"), ("self", "绩效自评报告")):
        path = write_workbook(folder / f"{key}.xlsx", county_water.data(kind))
        out[key] = build_workbook(path, folder / "out")
    return out


# ---------------------------------------------------------------- 1. the period decides the money
def test_the_years_spending_counts_the_payments_inside_the_period_only():
    r = check_data(county_water.data())
    f = r.evaluation.funds
    assert f.paid == Decimal("263.35")                              # 277.35 less the 14万 paid on 2025-01-08
    assert [p.amount for p in f.outside] == [Decimal(140000)]
    assert f"{f.exec_rate:.4f}" == "0.9192"                         # 263.35 / 286.5
    assert indicator_score(r, "预算执行率") == Decimal("9.19")
    [late] = [x for x in r.findings if x.code is Code.PAYMENT_OUTSIDE_PERIOD]
    assert late.where == "支付!A16" and "不计入本年度实际支出和预算执行率" in late.message


def indicator_score(result, name):
    return next(s.score for s in result.evaluation.scored if s.indicator.name == name)


@pytest.mark.parametrize("key", ["evaluation", "self"])
def test_the_report_states_the_years_spending_and_names_the_late_payment(county, key):
    text = "\n".join(paragraphs(county[key].report))
    assert "实际支出263.35万元，预算执行率91.92%" in text
    assert "277.35" not in text and "96.81%" not in text
    assert "另有1笔14.00万元于2025年1月8日支付给衡水恒信仪表有限公司，在评价期间结束后，不计入本年度执行数。" in text
    assert "共支付14笔" in text and "支付15笔" not in text
    for sentence in text.replace("\n", "。").split("。"):
        assert sentence.count("其中") <= 1, sentence


def test_the_late_payment_is_listed_under_other_matters(county):
    paras = paragraphs(county["evaluation"].report)
    other = chapter(paras, "其他需要说明的问题")
    assert other[0] == "另有1笔14.00万元于2025年1月8日支付给衡水恒信仪表有限公司，在评价期间结束后，不计入本年度执行数。"


def test_the_payments_table_totals_the_year_and_shows_the_late_payment_apart(county):
    document = docx.Document(county["evaluation"].report)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "预算项目" and "笔数" in t.rows[0].cells[1].text)
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows}
    assert rows["合计（评价期间内）"][1:3] == ["14", "2,633,500.00"]
    assert rows["评价期间外的支付（不计入执行数）"][1:4] == ["1", "140,000.00", "2025年1月8日"]


def test_the_form_the_summary_and_the_json_count_the_year_only(county, tmp_path):
    ws = openpyxl.load_workbook(county["self"].form).active
    total = next(row for row in ws.iter_rows(values_only=True) if row[1] == "年度资金总额")
    assert total[3:6] == (260, 286.5, 263.35) and total[7] == pytest.approx(0.9192)
    workbook = write_workbook(tmp_path / "in" / "w.xlsx", county_water.data())
    write_workbook(tmp_path / "in" / "x.xlsx", county_water.data("绩效自评报告"))     # a batch writes 汇总表
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(workbook.parent), "-o", str(tmp_path / "out")]).exit_code == 0
    summary = openpyxl.load_workbook(tmp_path / "out" / "汇总表.xlsx").active
    head = [c.value for c in summary[1]]
    row = [c.value for c in summary[2]]
    assert row[head.index("支出（万元）")] == 263.35 and row[head.index("执行率")] == pytest.approx(0.919197, abs=1e-6)
    [data] = json.loads(runner.invoke(cli, ["check", "--json", str(workbook)]).output)
    assert data["资金"]["实际支出（万元）"] == 263.35 and data["资金"]["预算执行率"] == pytest.approx(0.919197, abs=1e-6)


# ---------------------------------------------------------------- 2. what check found is in the report
@pytest.mark.parametrize("key,problems,advice", [("evaluation", "存在的问题及原因分析", "有关建议"),
                                                  ("self", "存在问题", "下一步工作计划")])
def test_the_overpayment_is_a_problem_with_its_amount_and_a_suggestion(county, key, problems, advice):
    paras = paragraphs(county[key].report)
    listed = "\n".join(chapter(paras, problems))
    assert "超过合同《集中供水工程维修养护施工合同》金额1,452,000.00元，超付3,000.00元" in listed
    assert "2025年1月8日向衡水恒信仪表有限公司支付14.00万元" in listed
    assert "偏差原因未说明" not in "\n".join(paras)
    suggested = "\n".join(chapter(paras, advice))
    assert "对超过合同金额的支付逐笔核实，属多付的及时追回" in suggested


def test_experience_does_not_praise_what_a_finding_contradicts(county):
    paras = paragraphs(county["evaluation"].report)
    experience = "\n".join(chapter(paras, "主要经验及做法", "存在的问题及原因分析"))
    assert "合同" not in experience


def test_an_evaluators_own_problems_stand_and_check_names_what_they_leave_out():
    data = county_water.data()
    data["文字说明"] = [{"章节": "存在的问题及原因分析", "内容": "部分工程进度偏慢，农村自来水普及率未达到目标。"}]
    r = check_data(data)
    unsaid = [f for f in r.findings if f.code is Code.PROBLEM_UNSAID]
    assert [f.where for f in unsaid] == ["文字说明!B2", "文字说明!B2"]
    assert "超付3,000.00元" in unsaid[0].message and "2025年1月8日" in unsaid[1].message
    data["文字说明"][0]["内容"] += "向清河县水利建筑工程有限公司多支付3000元；2025年1月8日支付的水表款14万元属跨年支付。"
    assert not [f for f in check_data(data).findings if f.code is Code.PROBLEM_UNSAID]


# ---------------------------------------------------------------- 3. a problem is a target missed
def test_a_met_target_needs_no_deviation_reason_even_when_scored_in_proportion():
    r = check_data(county_water.data())
    asked = {f.message.split("“")[1].split("”")[0] for f in r.findings if f.code is Code.NO_DEVIATION_REASON}
    assert asked == {"农村自来水普及率"}           # 91.5% against ≥92%; not 满意度 97.5% or 执行率 91.92%
    assert indicator_score(r, "受益群众满意度") < 5


def test_a_missed_target_is_a_problem_and_a_low_execution_too(seed000_data):
    r = check_data(seed000_data)
    execution = next(s for s in r.evaluation.scored if s.indicator.name == "预算执行率")
    satisfaction = next(s for s in r.evaluation.scored if s.indicator.name == "使用人员满意度")
    assert execution.missed and not satisfaction.missed       # 85.98% < 90%; 90% meets ≥90%


# ---------------------------------------------------------------- 4. satisfaction by group
def test_each_satisfaction_indicator_uses_its_own_group():
    r = check_data(county_water.data())
    by_name = {s.indicator.name: s for s in r.evaluation.scored}
    public, keepers = by_name["受益群众满意度"], by_name["村级管水员满意度"]
    assert (public.survey.valid, f"{public.rate:.4f}", public.score) == (400, "0.9750", Decimal("4.88"))
    assert (keepers.survey.valid, f"{keepers.rate:.4f}", keepers.score) == (60, "0.9833", Decimal("4.92"))
    assert not public.pooled and not keepers.pooled


@pytest.mark.parametrize("key", ["evaluation", "self"])
def test_the_report_and_the_form_speak_of_each_group(county, key):
    text = "\n".join(paragraphs(county[key].report))
    assert "村级管水员满意度：对村级管水员开展问卷调查，有效问卷60份" in text and "满意度为98.33%" in text
    assert "97.61%" not in text                          # the pooled rate is nobody's
    for sentence in text.split("\n"):
        if sentence.startswith(("受益群众满意度：", "村级管水员满意度：")):
            assert "460" not in sentence
    ws = openpyxl.load_workbook(county[key].form).active
    rates = {row[3]: row[5] for row in ws.iter_rows(values_only=True) if row[3] in ("受益群众满意度", "村级管水员满意度")}
    assert rates == {"受益群众满意度": "97.50%", "村级管水员满意度": "98.33%"}


def test_an_indicator_naming_no_group_pools_them_and_says_so(tmp_path):
    data = county_water.data()
    indicator(data, "受益群众满意度")["三级指标"] = "服务对象满意度"
    indicator(data, "服务对象满意度")["分值"] = 10
    data["绩效指标"] = [row for row in data["绩效指标"] if row["三级指标"] != "村级管水员满意度"]
    r = build_workbook(write_workbook(tmp_path / "w.xlsx", data), tmp_path)
    pooled = next(s for s in r.check.evaluation.scored if s.indicator.name == "服务对象满意度")
    assert pooled.pooled and pooled.survey.valid == 460 and f"{pooled.rate:.4f}" == "0.9761"
    assert "服务对象满意度：对受益群众、村级管水员的问卷合并统计，有效问卷460份" in "\n".join(paragraphs(r.report))


def test_a_group_no_indicator_names_is_told(seed004_data):
    seed004_data["满意度调查"].append({"调查对象": "窗口工作人员", "有效样本": 20, "满意": 20})
    indicator(seed004_data, "缴存职工满意度")          # names 缴存职工: matched
    r = check_data(seed004_data)
    [unused] = [f for f in r.findings if f.code is Code.SURVEY_GROUP_UNUSED]
    assert unused.where == "满意度调查!A3" and "窗口工作人员" in unused.message
    assert r.evaluation.total == 100


# ---------------------------------------------------------------- 5. fund sources
@pytest.mark.parametrize("key", ["evaluation", "self"])
def test_county_funds_sit_under_current_year_appropriations(county, key):
    ws = openpyxl.load_workbook(county[key].form).active
    rows = {row[1]: row for row in ws.iter_rows(values_only=True) if row[1]}
    assert rows["其中：当年财政拨款"][4] == 286.5 and rows["其他资金"][4] == 0
    text = "\n".join(paragraphs(county[key].report))
    assert "按资金来源：省级补助资金200.00万元、县级财政拨款86.50万元。" in text     # named as the user wrote them


def test_the_self_report_form_table_shows_the_sources_in_their_rows(county):
    document = docx.Document(county["self"].report)
    cells = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    fiscal = next(r for r in cells if "其中：当年财政拨款" in r)
    assert "286.50" in fiscal



@pytest.mark.parametrize("where", ["report", "form"])
def test_the_forms_actual_completion_tells_the_target_that_was_missed_too(county, where):
    """实际完成情况 of 年度总体目标 states the year, not only what went well: 农村自来水普及率 91.5%
    against ≥92% is said there beside the targets that were met."""
    if where == "report":
        cells = [c.text for t in docx.Document(county["self"].report).tables for r in t.rows for c in r.cells]
    else:
        ws = openpyxl.load_workbook(county["self"].form).active
        cells = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    done = next(c for c in cells if c.startswith("2024年度，产出方面"))
    assert "均达到年度目标。" in done
    assert done.endswith("农村自来水普及率为91.5%（目标值≥92%），未达到年度目标。")


# ---------------------------------------------------------------- 6. a 自评报告 speaks as a 自评
def test_the_self_report_speaks_of_its_self_score(county, tmp_path):
    text = "\n".join(paragraphs(county["self"].report))
    assert "经自评，农村饮水安全工程维修养护项目2024年度自评得分98.96分，自评等级为“优”。" in text
    assert "经评价" not in text and "绩效评价总分" not in text
    data = county_water.data("绩效自评报告", 自评得分=99.5)
    r = build_workbook(write_workbook(tmp_path / "w.xlsx", data), tmp_path)
    said = [p for p in paragraphs(r.report) if "99.5" in p]
    assert said == ["单位填报的自评得分为99.5分，与按各项指标计算的得分相差0.54分，以计算得分为准。"]


# ---------------------------------------------------------------- 7. the round trip
@pytest.mark.parametrize("source", ["county", "000", "004"])
def test_import_of_the_built_form_rebuilds_with_the_same_total(source, tmp_path):
    path = {"000": SEED000_XLSX, "004": SEED004_XLSX}.get(source) or \
        write_workbook(tmp_path / "county.xlsx", county_water.data("绩效自评报告"))
    built = build_workbook(path, tmp_path / "out")
    form_check = check_workbook(built.form)
    assert not [f for f in form_check.findings if f.code is Code.SELF_SCORE]
    assert form_check.evaluation.total == built.check.evaluation.total
    runner = CliRunner()
    imported = tmp_path / "imported.xlsx"
    assert runner.invoke(cli, ["import", str(built.form), "-o", str(imported)]).exit_code == 0
    again = build_workbook(imported, tmp_path / "again", force=True)
    assert again.check.evaluation.total == built.check.evaluation.total
    original = {s.indicator.name: s.indicator.method for s in built.check.evaluation.scored}
    for s in again.check.evaluation.scored:
        if original.get(s.indicator.name) is not None and original[s.indicator.name].value == "满意度":
            assert s.indicator.method.value == "满意度"
    info, first = again.check.project.info, built.check.project.info
    assert info.budget_initial == (first.budget_initial or first.budget_full or first.budget_total)
    assert info.budget_full == (first.budget_full or first.budget_total)


def test_the_forms_figures_are_numbers_with_formats(county):
    ws = openpyxl.load_workbook(county["self"].form).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    total_row = next(row for row in ws.iter_rows() if row[1].value == "年度资金总额")
    paid, rate = total_row[5], total_row[7]
    assert paid.data_type == "n" and paid.number_format == "#,##0.00"
    assert rate.data_type == "n" and rate.number_format == "0.00%"
    total = next(row for row in ws.iter_rows() if row[0].value == "总分")
    assert total[7].value == pytest.approx(98.96) and total[7].data_type == "n"
    assert "项目支出绩效自评表" in cells


# ---------------------------------------------------------------- 8. the framework of an evaluation
def test_an_evaluation_without_decision_or_process_indicators_is_warned_and_explained(county):
    [warning] = [f for f in county["evaluation"].check.findings if f.code is Code.FRAMEWORK_INCOMPLETE]
    assert warning.where == "绩效指标!A:A" and "决策、过程" in warning.message and "财政评价" in warning.message
    paras = paragraphs(county["evaluation"].report)
    decision = chapter(paras, "项目决策情况", "项目过程情况")
    process = chapter(paras, "项目过程情况", "项目产出情况")
    assert decision[0].startswith("本次评价的指标体系未设置决策类指标") and len(decision) >= 2
    assert process[0].startswith("本次评价的指标体系未设置过程类指标") and "超付3,000.00元" in "".join(process)
    self_check = county["self"].check
    assert not [f for f in self_check.findings if f.code is Code.FRAMEWORK_INCOMPLETE]


def test_a_report_forced_from_points_that_do_not_add_up_states_no_grade(tmp_path):
    data = county_water.data()
    data["绩效指标"][0]["分值"] = 28                     # 分值 add up to 120
    r = build_workbook(write_workbook(tmp_path / "w.xlsx", data), tmp_path, force=True)
    text = "\n".join(paragraphs(r.report))
    assert "由于分值合计为120分，不是100分，该得分不是最终结果，不评定等级。" in text
    assert "绩效等级为" not in text
