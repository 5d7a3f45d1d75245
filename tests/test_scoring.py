from decimal import Decimal

import pytest

from perfeval.findings import Code
from perfeval.pipeline import check_workbook
from perfeval.vocab import grade_of

from conftest import check_data, SEED000_XLSX, SEED004_XLSX, indicator


def scores(result):
    return {s.indicator.name: s.score for s in result.evaluation.scored}


def test_seed000_scores_exactly_as_its_scoring_table():
    r = check_workbook(SEED000_XLSX)
    e = r.evaluation
    assert e.total == Decimal("98.80") and e.grade == "优"
    got = scores(r)
    assert got["预算执行率"] == Decimal("4.30")
    assert got["使用人员满意度"] == Decimal("4.50")
    for s in e.scored:
        if s.indicator.name not in ("预算执行率", "使用人员满意度"):
            assert s.score == s.indicator.weight, s.indicator.name
    assert [(g.name, g.weight, g.score) for g in e.level1] == [
        ("决策", 20, Decimal("20.00")), ("过程", 20, Decimal("19.30")), ("产出", 40, Decimal("40.00")),
        ("效益", 15, Decimal("15.00")), ("满意度", 5, Decimal("4.50"))]
    assert [(g.name, g.n_level2, g.n_level3) for g in e.level1][:3] == [("决策", 3, 6), ("过程", 2, 5), ("产出", 4, 7)]


def test_seed000_funds_follow_the_seed_arithmetic():
    f = check_workbook(SEED000_XLSX).evaluation.funds
    assert f.budget == Decimal(734) and f.paid == Decimal("631.105")
    assert round(f.exec_rate * 10000) == 8598


def test_seed004_scores_100():
    e = check_workbook(SEED004_XLSX).evaluation
    assert (e.total, e.grade) == (Decimal("100.00"), "优")
    assert [g.weight for g in e.level1] == [50, 30, 10, 10]


@pytest.mark.parametrize("total, grade", [(90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (60, "中"), (59.99, "差")])
def test_grade_thresholds(total, grade):
    assert grade_of(Decimal(str(total))) == grade


def _score_of(data, name):
    r = check_data(data)
    return scores(r)[name], r


def test_ratio_higher_is_better_is_proportional_when_missed(seed000_data):
    indicator(seed000_data, "硬件维护数量")["实际值"] = 6   # target 8
    score, _ = _score_of(seed000_data, "硬件维护数量")
    assert score == Decimal("3.75")


def test_ratio_lower_is_better_uses_target_over_actual(seed000_data):
    indicator(seed000_data, "系统故障率")["实际值"] = 3     # target ≤ 2
    score, _ = _score_of(seed000_data, "系统故障率")
    assert score == Decimal("6.67")


def test_ratio_equal_uses_min_over_max(seed004_data):
    indicator(seed004_data, "政务服务事项全流程网办率")["实际值"] = 80   # target = 100
    score, _ = _score_of(seed004_data, "政务服务事项全流程网办率")
    assert score == Decimal("8.00")


def test_ratio_operator_may_be_written_in_the_target(seed000_data):
    row = indicator(seed000_data, "软件维护数量")
    row.pop("指标性质")
    row["目标值"], row["实际值"] = "≥4套", "3套"
    score, _ = _score_of(seed000_data, "软件维护数量")
    assert score == Decimal("3.75")


def test_timeliness_late_scores_zero(seed000_data):
    indicator(seed000_data, "按计划完成支付")["实际值"] = "2023年10月"
    score, _ = _score_of(seed000_data, "按计划完成支付")
    assert score == 0


def test_points_counts_markers_when_total_is_blank(seed000_data):
    indicator(seed000_data, "立项依据充分性")["要点达成数"] = 4     # of ①…⑤
    score, _ = _score_of(seed000_data, "立项依据充分性")
    assert score == Decimal("3.20")


def test_satisfaction_basis_counts_basic_satisfied_when_asked(seed000_data):
    seed000_data["项目信息"]["满意度口径"] = "满意+基本满意"
    score, _ = _score_of(seed000_data, "使用人员满意度")
    assert score == Decimal("5.00")


def test_execution_rate_against_budget_when_asked(seed000_data):
    seed000_data["预算明细"][0]["到位金额"] = 300      # 350 budgeted, 300 in place
    r = check_data(seed000_data)
    assert scores(r)["资金到位率"] == Decimal("4.66")   # 5 × 684/734
    assert scores(r)["预算执行率"] == Decimal("4.61")   # 5 × 631.105/684
    seed000_data["项目信息"]["预算执行率口径"] = "预算资金"
    assert scores(check_data(seed000_data))["预算执行率"] == Decimal("4.30")


def test_qualitative_partly_needs_a_score_inside_its_band(seed000_data):
    row = indicator(seed000_data, "稳定支撑公积金业务运行")
    row["定性档次"], row["填报得分"] = "部分达成年度指标并具有一定效果", 10.5   # 70% of 15
    score, r = _score_of(seed000_data, "稳定支撑公积金业务运行")
    assert score == Decimal("10.50") and not r.errors
    row["填报得分"] = 14
    r = check_data(seed000_data)
    assert any(f.code is Code.CANNOT_SCORE and f.cell == "M20" for f in r.errors)


def test_manual_requires_a_reason(seed000_data):
    row = indicator(seed000_data, "立项程序规范性")
    row.update({"计分方法": "人工", "填报得分": 3.5, "评分说明": ""})
    r = check_data(seed000_data)
    assert any("评分说明" in f.message and f.cell == "P3" for f in r.errors)


def test_not_applicable_is_left_out_and_the_total_rescaled(seed000_data):
    indicator(seed000_data, "软件维护数量")["计分方法"] = "不适用"
    r = check_data(seed000_data)
    e = r.evaluation
    assert e.rescaled and e.applicable_weight == 95
    assert e.raw_total == Decimal("93.80")
    assert e.total == Decimal("98.74")     # 93.80 × 100 / 95, half-up
    assert not r.errors
