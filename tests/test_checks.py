import datetime as dt

from perfeval.pipeline import check_workbook

from conftest import SEED000_XLSX, SEED004_XLSX, indicator


def found(result, code):
    return [f for f in result.findings if f.code == code]


def test_seed004_passes_every_check():
    r = check_workbook(SEED004_XLSX)
    assert r.findings == [], [f.message for f in r.findings]


def test_seed000_has_only_warnings_and_no_errors():
    r = check_workbook(SEED000_XLSX)
    assert r.ok and r.errors == []
    assert {f.code for f in r.findings} == {"TEXT_FIGURE", "NO_DEVIATION_REASON"}


def test_budget_lines_must_add_up_to_the_total(make_workbook, seed000_data):
    seed000_data["项目信息"]["预算总额"] = 740
    [f] = found(check_workbook(make_workbook(seed000_data)), "BUDGET_SUM")
    assert (f.severity.value, f.sheet, f.cell) == ("错误", "项目信息", "B9")
    assert "740.00万元" in f.message and "734.00万元" in f.message


def test_in_place_cannot_exceed_budget(make_workbook, seed000_data):
    seed000_data["预算明细"][5]["到位金额"] = 5
    [f] = found(check_workbook(make_workbook(seed000_data)), "IN_PLACE_OVER")
    assert (f.sheet, f.cell) == ("预算明细", "C7")


def test_payment_must_name_a_budget_line(make_workbook, seed000_data):
    seed000_data["支付"][1]["预算项目"] = "12329热线"
    [f] = found(check_workbook(make_workbook(seed000_data)), "UNKNOWN_BUDGET_LINE")
    assert (f.severity.value, f.sheet, f.cell) == ("错误", "支付", "C3")
    assert "12329热线" in f.message and "综合服务平台及12329热线" in f.message


def test_payments_of_a_line_cannot_exceed_its_budget(make_workbook, seed000_data):
    seed000_data["支付"].append({"支付日期": dt.date(2023, 10, 8), "收款单位": "新疆华顺科技有限公司",
                               "预算项目": "机房维保", "支付金额": 10000})
    [f] = found(check_workbook(make_workbook(seed000_data)), "PAID_OVER_BUDGET")
    assert (f.sheet, f.cell) == ("预算明细", "B6") and "20.20万元" in f.message


def test_payment_outside_the_period_is_a_warning(make_workbook, seed000_data):
    seed000_data["支付"][0]["支付日期"] = dt.date(2024, 1, 5)
    r = check_workbook(make_workbook(seed000_data))
    [f] = found(r, "PAYMENT_OUTSIDE_PERIOD")
    assert (f.severity.value, f.cell) == ("警告", "A2") and r.ok


def test_weights_must_sum_to_100(make_workbook, seed000_data):
    indicator(seed000_data, "系统故障率")["分值"] = 12
    [f] = found(check_workbook(make_workbook(seed000_data)), "WEIGHT_TOTAL")
    assert "102分" in f.message


def test_reported_score_above_weight_is_an_error(make_workbook, seed000_data):
    indicator(seed000_data, "验收合格率")["填报得分"] = 6
    [f] = found(check_workbook(make_workbook(seed000_data)), "SCORE_RANGE")
    assert (f.sheet, f.cell) == ("绩效指标", "M16")


def test_reported_score_differing_from_computed_is_a_warning(make_workbook, seed000_data):
    indicator(seed000_data, "使用人员满意度")["填报得分"] = 5
    r = check_workbook(make_workbook(seed000_data))
    [f] = found(r, "REPORTED_SCORE")
    assert f.severity.value == "警告" and f.cell == "M21" and "4.50分" in f.message
    assert str(r.evaluation.total) == "98.80"   # the computed score counts


def test_survey_counts_must_add_up(make_workbook, seed000_data):
    seed000_data["满意度调查"][0]["基本满意"] = 4
    [f] = found(check_workbook(make_workbook(seed000_data)), "SURVEY_SUM")
    assert (f.sheet, f.cell) == ("满意度调查", "B2") and "49" in f.message


def test_contract_must_name_a_budget_line(make_workbook, seed000_data):
    seed000_data["合同"][0]["预算项目"] = "业务系统"
    [f] = found(check_workbook(make_workbook(seed000_data)), "UNKNOWN_BUDGET_LINE")
    assert (f.sheet, f.cell) == ("合同", "C2")
