"""Contract v2: what real 自评表 carry that v1 could not say."""
from decimal import Decimal

import openpyxl

from perfeval.findings import Code
from perfeval.pipeline import check_workbook
from perfeval.report.selfform import build_form

from conftest import check_data, indicator


def form_rows(result):
    return [row for row in build_form(result.evaluation).rows]


def test_initial_and_full_year_budgets_appear_in_the_form(seed004_data):
    seed004_data["项目信息"].update({"年初预算数": 40, "全年预算数": 44.99})
    r = check_data(seed004_data)
    assert r.findings == [], [f.message for f in r.findings]
    [total] = [row for row in form_rows(r) if row[1] == "年度资金总额"]
    assert total[3:6] == ["40.00", "44.99", "44.99"] and total[7] == "100.00%"     # 执行率 on 全年预算数
    [fiscal] = [row for row in form_rows(r) if row[1] == "其中：当年财政拨款"]
    assert fiscal[3] == "—"              # 年初 by source is unknown once the budget was adjusted


def test_only_one_of_the_two_budgets_says_which_was_assumed(seed004_data):
    seed004_data["项目信息"]["全年预算数"] = 44.99
    r = check_data(seed004_data)
    [note] = [f for f in r.findings if f.code is Code.BUDGET_ASSUMED]
    assert note.severity.value == "提示" and "年初预算数" in note.message and "44.99万元" in note.message
    assert r.evaluation.project.info.budget_initial == Decimal("44.99")
    seed004_data["项目信息"]["全年预算数"] = 50
    [mismatch] = [f for f in check_data(seed004_data).errors if f.code is Code.BUDGET_FULL_MISMATCH]
    assert "50.00万元" in mismatch.message and "44.99万元" in mismatch.message


def test_fund_sources_of_real_forms_and_free_text_roll_up_as_the_form_does(seed004_data):
    lines = seed004_data["预算明细"]
    lines[0]["资金来源"], lines[1]["资金来源"] = "省级补助", "财政专户管理资金"
    lines[2]["资金来源"], lines[3]["资金来源"] = "单位资金", "社会捐赠"
    r = check_data(seed004_data)
    assert not r.errors
    assert r.project.budget[3].source == "社会捐赠"                       # kept as typed
    rows = {row[1]: row for row in form_rows(r) if row[1] and row[4] not in ("", "全年预算数")}
    # contract v3: the form's three source rows; 财政专户管理资金, 单位资金 and free text go to 其他资金
    assert {"年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"} <= set(rows)
    assert not {"财政专户管理资金", "单位资金"} & set(rows)
    assert rows["其中：当年财政拨款"][4] == "25.08"                        # 省级补助 is 财政拨款
    assert rows["其他资金"][4] == "19.91"                                  # 3.00 + 12.00 + 4.91
    [note] = [f for f in r.findings if f.code is Code.FUND_SOURCE_CLASSIFIED]
    assert note.where == "预算明细!D5" and "社会捐赠" in note.message and "其他资金" in note.message


def test_a_free_text_source_is_put_in_the_form_row_its_words_say(seed004_data):
    lines = seed004_data["预算明细"]
    lines[0]["资金来源"], lines[1]["资金来源"] = "县级财政拨款", "上年结余资金"
    lines[2]["资金来源"], lines[3]["资金来源"] = "中央转移支付", "自筹资金"
    r = check_data(seed004_data)
    rows = {row[1]: row[4] for row in form_rows(r) if row[1] and row[4] not in ("", "全年预算数")}
    assert rows["其中：当年财政拨款"] == "37.08"          # 县级财政拨款 25.08 + 中央转移支付 12.00
    assert rows["上年结转资金"] == "3.00" and rows["其他资金"] == "4.91"
    notes = {f.where: f.message for f in r.findings if f.code is Code.FUND_SOURCE_CLASSIFIED}
    assert "当年财政拨款" in notes["预算明细!D2"] and "上年结转资金" in notes["预算明细!D3"]
    assert "其他资金" in notes["预算明细!D5"]
    assert "预算明细!D4" not in notes                  # 中央转移支付 is a listed source (中央补助资金)


def test_the_typed_total_is_compared_with_the_indicators(seed004_data):
    seed004_data["项目信息"]["自评得分"] = 98
    r = check_data(seed004_data)
    [f] = [f for f in r.findings if f.code is Code.SELF_SCORE]
    assert (f.sheet, f.cell) == ("项目信息", f"B{r.project.info.rows['self_score']}")
    assert "98分" in f.message and "100分" in f.message and "相差2分" in f.message
    seed004_data["项目信息"]["自评得分"] = 100
    assert not [f for f in check_data(seed004_data).findings if f.code is Code.SELF_SCORE]


def test_operator_words_in_targets_and_results(seed000_data):
    row = indicator(seed000_data, "软件维护数量")
    row.update({"指标性质": None, "目标值": "多于5套", "实际值": 6, "单位": "套"})
    assert [s.score for s in check_data(seed000_data).evaluation.scored if s.indicator.name == "软件维护数量"] == [5]
    row.update({"目标值": "≥95%", "实际值": "≥95%", "单位": "%"})          # a result typed with its operator
    s = next(s for s in check_data(seed000_data).evaluation.scored if s.indicator.name == "软件维护数量")
    assert s.score == 5 and s.rate == 1


def test_text_targets_are_scored_by_the_evaluators_judgement(seed000_data):
    row = indicator(seed000_data, "稳定支撑公积金业务运行")           # 15 points, target "合格"
    row.update({"计分方法": "达成判断", "目标值": "有效", "实际值": "显著提升", "定性档次": None, "达成情况": "达成"})
    score = lambda: next(s for s in check_data(seed000_data).evaluation.scored  # noqa: E731
                         if s.indicator.name == "稳定支撑公积金业务运行")
    assert score().score == 15
    row.update({"达成情况": "部分达成", "填报得分": 10})
    assert score().score == 10
    row.update({"达成情况": "部分达成", "填报得分": None})
    r = check_data(seed000_data)
    [f] = [f for f in r.errors if f.code is Code.CANNOT_SCORE]
    assert f.cell == "M20" and "部分达成" in f.message
    row.update({"达成情况": "未达成"})
    assert score().score == 0


def test_a_result_meaning_not_applicable_rescales(seed004_data):
    row = next(r for r in seed004_data["绩效指标"] if r["三级指标"] == "数据专线保障条数")
    row.update({"实际值": "无（没有轮换）", "填报得分": None})
    e = check_data(seed004_data).evaluation
    s = next(s for s in e.scored if s.indicator.name == "数据专线保障条数")
    assert s.score is None and not s.applicable
    assert e.rescaled and e.applicable_weight == 90 and e.total == 100


def test_spending_without_contracts_gets_no_contract_warnings(seed004_data):
    seed004_data["合同"] = []
    assert [f for f in check_data(seed004_data).findings if f.code is Code.PAID_WITHOUT_CONTRACT]
    seed004_data["项目信息"]["支出类型"] = "补助"
    assert not [f for f in check_data(seed004_data).findings if f.code is Code.PAID_WITHOUT_CONTRACT]


def test_a_version_1_workbook_is_read_with_a_note_on_what_version_2_adds(make_workbook, seed000_data):
    path = make_workbook(seed000_data)
    wb = openpyxl.load_workbook(path)
    wb.properties.keywords = "perfeval-template-v1"
    info = wb["项目信息"]
    for row in range(info.max_row, 1, -1):
        if info.cell(row, 1).value in ("年初预算数（万元）", "全年预算数（万元）", "自评得分", "支出类型"):
            info.delete_rows(row)
    wb.save(path)
    r = check_workbook(path)
    assert r.ok and r.evaluation.total == Decimal("98.80")
    [note] = [f for f in r.findings if f.code is Code.TEMPLATE_V1]
    assert note.severity.value == "提示" and "年初预算数" in note.message
