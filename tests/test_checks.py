import datetime as dt

from perfeval.findings import Code
from perfeval.pipeline import check_workbook
from perfeval.schema import Severity

from conftest import check_data, found, SEED000_XLSX, SEED004_XLSX, indicator


def test_seed004_passes_every_check():
    r = check_workbook(SEED004_XLSX)
    assert r.findings == [], [f.message for f in r.findings]


def test_seed000_has_only_warnings_and_no_errors():
    r = check_workbook(SEED000_XLSX)
    assert r.ok and r.errors == []
    # 使用人员满意度 90% against ≥90% met its target: 4.5 of 5 by the proportional rule, no 偏差原因 asked (v3)
    assert {f.code for f in r.findings if f.severity is not Severity.NOTE} == {Code.TEXT_FIGURE}


def test_budget_lines_must_add_up_to_the_total(seed000_data):
    seed000_data["项目信息"]["预算总额"] = 740
    [f] = found(check_data(seed000_data), Code.BUDGET_SUM)
    assert (f.severity.value, f.sheet, f.cell) == ("错误", "项目信息", "B9")
    assert "740.00万元" in f.message and "734.00万元" in f.message


def test_in_place_cannot_exceed_budget(seed000_data):
    seed000_data["预算明细"][5]["到位金额"] = 5
    [f] = found(check_data(seed000_data), Code.IN_PLACE_OVER)
    assert (f.sheet, f.cell) == ("预算明细", "C7")


def test_payment_must_name_a_budget_line(seed000_data):
    seed000_data["支付"][1]["预算项目"] = "12329热线"
    [f] = found(check_data(seed000_data), Code.UNKNOWN_BUDGET_LINE)
    assert (f.severity.value, f.sheet, f.cell) == ("错误", "支付", "C3")
    assert "12329热线" in f.message and "综合服务平台及12329热线" in f.message


def test_payments_of_a_line_cannot_exceed_its_budget(seed000_data):
    seed000_data["支付"].append({"支付日期": dt.date(2023, 10, 8), "收款单位": "新疆华顺科技有限公司",
                               "预算项目": "机房维保", "支付金额": 10000})
    [f] = found(check_data(seed000_data), Code.PAID_OVER_BUDGET)
    assert (f.sheet, f.cell) == ("预算明细", "B6") and "20.20万元" in f.message


def test_payment_outside_the_period_is_a_warning(seed000_data):
    seed000_data["支付"][0]["支付日期"] = dt.date(2024, 1, 5)
    r = check_data(seed000_data)
    [f] = found(r, Code.PAYMENT_OUTSIDE_PERIOD)
    assert (f.severity.value, f.cell) == ("警告", "A2") and r.ok


def test_weights_must_sum_to_100(seed000_data):
    indicator(seed000_data, "系统故障率")["分值"] = 12
    [f] = found(check_data(seed000_data), Code.WEIGHT_TOTAL)
    assert "102分" in f.message


def test_reported_score_above_weight_is_an_error(seed000_data):
    indicator(seed000_data, "验收合格率")["填报得分"] = 6
    [f] = found(check_data(seed000_data), Code.SCORE_RANGE)
    assert (f.sheet, f.cell) == ("绩效指标", "M16")


def test_a_manual_score_above_its_weight_is_reported_once(seed000_data):
    row = indicator(seed000_data, "验收合格率")
    row.update({"计分方法": "人工", "填报得分": 12, "评分说明": "评价组打分"})
    r = check_data(seed000_data)
    [f] = [f for f in r.findings if f.cell == "M16"]
    assert f.code is Code.SCORE_RANGE and "12分" in f.message
    assert [s.score for s in r.evaluation.scored if s.indicator.name == "验收合格率"] == [row["分值"]]


def test_reported_score_differing_from_computed_is_a_warning(seed000_data):
    indicator(seed000_data, "使用人员满意度")["填报得分"] = 5
    r = check_data(seed000_data)
    [f] = found(r, Code.REPORTED_SCORE)
    assert f.severity.value == "警告" and f.cell == "M21" and "4.50分" in f.message
    assert str(r.evaluation.total) == "98.80"   # the computed score counts


def test_survey_counts_must_add_up(seed000_data):
    seed000_data["满意度调查"][0]["基本满意"] = 4
    [f] = found(check_data(seed000_data), Code.SURVEY_SUM)
    assert (f.sheet, f.cell) == ("满意度调查", "B2") and "49" in f.message


def test_contract_must_name_a_budget_line(seed000_data):
    seed000_data["合同"][0]["预算项目"] = "业务系统"
    [f] = found(check_data(seed000_data), Code.UNKNOWN_BUDGET_LINE)
    assert (f.sheet, f.cell) == ("合同", "C2")


# ---------------------------------------------------------------- cross-checks between sheets
def test_payments_beyond_the_contract_amount(seed004_data):
    seed004_data["合同"][1]["合同金额"] = 50000           # 联通: 12 × 4800 = 57600 paid
    [f] = found(check_data(seed004_data), Code.PAID_OVER_CONTRACT)
    # amounts written as the report writes them, with thousands separators
    assert f.sheet == "支付" and "57,600.00元" in f.message and "50,000.00元" in f.message


def test_payment_before_signing_or_outside_the_service_period(seed004_data):
    seed004_data["支付"][0]["支付日期"] = dt.date(2021, 12, 10)    # 电信, signed 2021-12-20
    r = check_data(seed004_data)
    [before] = found(r, Code.PAID_BEFORE_SIGNED)
    [outside] = found(r, Code.PAID_OUTSIDE_SERVICE)
    assert before.cell == outside.cell == "A2"
    assert not found(check_workbook(SEED004_XLSX), Code.PAID_OUTSIDE_SERVICE)


def test_duplicate_payments(seed004_data):
    seed004_data["支付"].append(dict(seed004_data["支付"][5]))
    [f] = found(check_data(seed004_data), Code.DUPLICATE_PAYMENT)
    assert f.cell == f"D{len(seed004_data['支付']) + 1}" and "第7行" in f.message


def test_budget_line_paid_without_a_contract(seed004_data):
    seed004_data["合同"] = [c for c in seed004_data["合同"] if c["预算项目"] != "短信费"]
    [f] = found(check_data(seed004_data), Code.PAID_WITHOUT_CONTRACT)
    assert (f.sheet, f.cell) == ("预算明细", "A3") and "短信费" in f.message


# ---------------------------------------------------------------- evaluation policy
def test_score_below_weight_needs_a_deviation_reason(seed004_data):
    indicator(seed004_data, "数据传输线路可用率")["实际值"] = 95
    r = check_data(seed004_data)
    [f] = found(r, Code.NO_DEVIATION_REASON)
    assert f.cell == "Q4"
    indicator(seed004_data, "数据传输线路可用率")["偏差原因"] = "两条线路曾中断，已更换设备。"
    assert not found(check_data(seed004_data), Code.NO_DEVIATION_REASON)


def test_target_exceeded_by_far_needs_an_explanation(seed004_data):
    indicator(seed004_data, "数据专线保障条数")["实际值"] = 15         # 136% of 11
    [f] = found(check_data(seed004_data), Code.FAR_ABOVE_TARGET)
    assert f.cell == "Q2" and "136.36%" in f.message
    indicator(seed004_data, "数据专线保障条数")["偏差原因"] = "新增4个县区管理部专线。"
    assert not found(check_data(seed004_data), Code.FAR_ABOVE_TARGET)


def test_low_execution_needs_an_explanation(seed000_data):
    indicator(seed000_data, "预算执行率")["偏差原因"] = None
    seed000_data["文字说明"] = [r for r in seed000_data["文字说明"] if r["章节"] != "存在的问题及原因分析"]
    [f] = found(check_data(seed000_data), Code.LOW_EXECUTION)
    assert f.cell == "Q9" and "85.98%" in f.message
    assert not found(check_workbook(SEED000_XLSX), Code.LOW_EXECUTION)


def test_weights_against_the_rule_of_the_report_type(seed004_data, seed000_data):
    indicator(seed004_data, "数据专线保障条数")["分值"] = 5
    indicator(seed004_data, "缴存职工满意度")["分值"] = 15
    [f] = found(check_data(seed004_data), Code.WEIGHT_RULE)
    assert "产出45分" in f.message and "满意度15分" in f.message
    for name in ("系统运行", "运维项目"):
        indicator(seed000_data, name)["一级指标"] = "过程"
    [f] = found(check_data(seed000_data), Code.WEIGHT_RULE)
    assert "50分" in f.message
    assert not found(check_workbook(SEED000_XLSX), Code.WEIGHT_RULE)


def test_written_operator_contradicting_the_indicator_nature(seed004_data):
    indicator(seed004_data, "数据传输线路可用率")["目标值"] = "≤99%"
    [f] = found(check_data(seed004_data), Code.OPERATOR_MISMATCH)
    assert f.cell == "G4" and "≤99%" in f.message


def test_one_indicator_twice_or_under_two_parents(seed004_data):
    twice = dict(indicator(seed004_data, "数据专线保障条数"))
    other = dict(indicator(seed004_data, "数据传输线路可用率"), 二级指标="数量指标")
    seed004_data["绩效指标"] += [twice]
    r = check_data(seed004_data)
    [f] = found(r, Code.INDICATOR_DUPLICATE)
    assert f.severity.value == "错误" and f.cell == "C12"
    seed004_data["绩效指标"][-1] = other
    [g] = found(check_data(seed004_data), Code.INDICATOR_TWO_PARENTS)
    assert "质量指标" in g.message and "数量指标" in g.message


def test_a_row_with_an_unknown_method_still_counts_in_the_weights(seed000_data):
    """105 points in the rows, one 计分方法 misspelled: the total says 105 and the cell is named."""
    indicator(seed000_data, "软件维护数量")["分值"] = 10        # 5 more than the seed: 105 in all
    indicator(seed000_data, "验收合格率")["计分方法"] = "比例"
    r = check_data(seed000_data)
    [bad] = [f for f in r.errors if f.code is Code.BAD_VALUE]
    assert (bad.sheet, bad.cell) == ("绩效指标", "E16") and "比例" in bad.message
    [total] = found(r, Code.WEIGHT_TOTAL)
    assert "105分" in total.message
    assert r.evaluation.weight_total == 105
    assert [s.score for s in r.evaluation.scored if s.indicator.name == "验收合格率"] == [0]


def test_weight_rules_find_execution_and_satisfaction_by_their_role(seed004_data):
    """预算执行率 under 项目管理 and 满意度 under 效益, as real forms put them: still 10 and 10."""
    for row in seed004_data["绩效指标"]:
        if row["计分方法"] == "预算执行率":
            row.update({"一级指标": "项目管理", "二级指标": "资金管理"})
        if row["计分方法"] == "满意度":
            row["一级指标"] = "效益指标"
    r = check_data(seed004_data)
    assert not found(r, Code.WEIGHT_RULE), [f.message for f in found(r, Code.WEIGHT_RULE)]
    next(row for row in seed004_data["绩效指标"] if row["计分方法"] == "满意度")["分值"] = 5
    next(row for row in seed004_data["绩效指标"] if row["计分方法"] == "比率")["分值"] = 15
    [f] = found(check_data(seed004_data), Code.WEIGHT_RULE)
    assert "满意度5分" in f.message and "预算执行率10分" in f.message and "无满意度指标" not in f.message


def test_a_self_evaluation_on_the_framework_gets_the_framework_rule(seed000_data):
    seed000_data["项目信息"]["报告类型"] = "绩效自评报告"
    assert not found(check_data(seed000_data), Code.WEIGHT_RULE)      # 产出 40 + 效益 15 + 满意度 5 ≥ 60
