"""Three more projects read as the officer who signs the report: a school-meal subsidy with money not
all in place (school_meals), a CT scanner bought under one contract paid before it was signed, an
indicator 不适用 (hospital_ct), and a 部门评价 by an agency whose paragraphs quote figures, some wrong
(pest_control)."""
import datetime as dt
from decimal import Decimal

import docx
import pytest

from perfeval.findings import Code
from perfeval.pipeline import build_workbook
from perfeval.template import write_workbook

import hospital_ct
import pest_control
import school_meals
from conftest import check_data, found


def paragraphs(path):
    return [p.text for p in docx.Document(path).paragraphs if p.text.strip()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each project built as a 绩效评价报告 and as a 绩效自评报告: {(module name, kind): result}."""
    folder = tmp_path_factory.mktemp("projects")
    out = {}
    for module in (school_meals, hospital_ct, pest_control):
        for kind in ("绩效评价报告", "绩效自评报告"):
            name = f"{module.__name__}-{kind}"
            path = write_workbook(folder / f"{name}.xlsx", module.data(kind))
            out[module.__name__, kind] = build_workbook(path, folder / "out", force=True)
    return out


def text_of(built, module, kind="绩效评价报告"):
    return "\n".join(paragraphs(built[module.__name__, kind].report))


# ---------------------------------------------------------------- the evaluator's figures
def test_a_percentage_typed_with_the_values_is_compared_where_the_unit_column_is_blank():
    """防治效果 88% against a target of 90%, 单位 left blank: the paragraph's “达到92%” is not the data."""
    r = check_data(pest_control.data())
    texts = {f.where: f.message for f in found(r, Code.TEXT_FIGURE)}
    assert "“92%”与数据不符：指标“病虫害防治效果”的实际值/目标值为88%（目标值90%）" in texts["文字说明!B4"]
    assert "“416万元”与数据不符" in texts["文字说明!B3"]
    assert "“95.61分”与数据不符：总分为96.61分" in texts["文字说明!B5"]
    assert len(texts) == 3          # 470万元, 98.09%, 21.5万亩, 600份 and 500/40/60 are right


# ---------------------------------------------------------------- money not all in place
def test_each_lines_rate_has_the_denominator_of_the_total(built):
    """预算执行率口径 到位资金: 575.50 / 591.00 = 97.38% in total, so 472.50 / 486.00 = 97.22% for the
    central grant (not 472.50 / 540.00 = 87.50%, which no total of the table adds up to)."""
    document = docx.Document(built["school_meals", "绩效评价报告"].report)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "预算项目" and "到位" in t.rows[0].cells[2].text)
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["学生营养膳食补助"] == ["学生营养膳食补助", "540.00", "486.00", "472.50", "97.22%"]
    assert rows["合计"][1:] == ["645.00", "591.00", "575.50", "97.38%"]
    text = text_of(built, school_meals)
    assert "学生营养膳食补助预算540.00万元，到位486.00万元，支出472.50万元，执行率97.22%" in text
    assert "87.50%" not in text


# ---------------------------------------------------------------- sentences that must read right
def test_one_indicator_is_not_said_to_be_all_of_them(built):
    """“均” speaks of several: a 时效 class of one indicator is told without it."""
    text = text_of(built, hospital_ct, "绩效自评报告")
    assert "时效指标“设备安装调试完成时间”未达到年度目标" in text
    assert "“设备安装调试完成时间”均" not in text
    text = text_of(built, school_meals, "绩效自评报告")
    assert "满意度指标“学生家长满意度”未达到年度目标，得分8分（满分10分）。" in text
    assert "“学生家长满意度”均" not in text and "合计得分8分" not in text


def test_targets_are_not_said_to_be_met_overall_where_four_of_nine_were_missed(built):
    """5 of 9 scored indicators reached their targets (时效, 要点, 定性 and 执行率 did not): most, not
    “绩效目标总体完成”; 12 of 15 (80%) is."""
    text = text_of(built, hospital_ct)
    assert "绩效目标总体完成" not in text and "多数绩效目标完成。9个三级指标中有5个达到年度目标。" in text
    assert "绩效目标总体完成。15个三级指标中有12个达到年度目标。" in text_of(built, pest_control)


# ---------------------------------------------------------------- an indicator 不适用
def test_an_indicator_not_applicable_is_counted_as_the_indicator_system_lists_it(built):
    """The indicator system lists 10 三级 under 8 二级, 效益 with 3 三级 and 30分: chapter 四 counts them so,
    sets the 不适用 one apart from the points and tells it under its own 二级 with the evaluator's reason."""
    text = text_of(built, hospital_ct)
    assert "本项目的评价指标体系由4个一级指标、8个二级指标和10个三级指标构成" in text
    assert ("效益指标由2个二级指标和3个三级指标构成，权重为30分，其中“远程影像会诊开展次数”本年度不适用，"
            "不参与计分，其余指标分值20分，实际得分17分。") in text
    assert "远程影像会诊开展次数：该指标本年度不适用，不参与计分。\n远程影像会诊平台尚未建成。" in text
    self_text = text_of(built, hospital_ct, "绩效自评报告")
    assert "效益指标3个（社会效益、可持续影响），满意度指标1个，预算执行率指标1个，共10个" in self_text


def test_a_scoring_note_that_does_not_name_its_indicator_is_led_by_the_name(built):
    """The 人工 indicator's 评分说明 “技术培训支付18万元未签订合同，扣1分。” alone does not say what was scored."""
    assert "资金使用合规性：技术培训支付18万元未签订合同，扣1分。" in text_of(built, pest_control)


# ---------------------------------------------------------------- what check found, told once
def test_a_payment_before_signing_is_one_problem_not_two(built):
    """1,000,000元 paid on 10 April, the contract signed (and its service begun) on 18 April: `check` notes
    both rules at 支付!A2; the report tells the one fact once, with one suggestion."""
    r = check_data(hospital_ct.data())
    assert [f.where for f in found(r, Code.PAID_BEFORE_SIGNED)] == ["支付!A2"]
    text = text_of(built, hospital_ct)
    assert text.count("2024年4月10日向河北康泰医疗器械有限公司支付100.00万元") == 2     # 过程情况 and 存在的问题
    assert "支付早于合同签订日期，2024年4月10日向河北康泰医疗器械有限公司支付100.00万元（合同签订于2024年4月18日）" in text
    assert "不在合同服务期内" not in text and "服务期外的支付应有合同依据" not in text


def test_a_surveyed_group_no_indicator_names_is_said_to_count_nowhere(built):
    """家庭农场主 were asked (60, 90.00% on 满意+基本满意) but no 满意度 indicator names them: `check` warns,
    and both reports say the survey of them was not scored."""
    r = check_data(pest_control.data())
    assert [f.where for f in found(r, Code.SURVEY_GROUP_UNUSED)] == ["满意度调查!A4"]
    paras = paragraphs(built["pest_control", "绩效评价报告"].report)
    other = paras[paras.index("七、其他需要说明的问题") + 1]
    assert other == "满意度调查中对家庭农场主的调查（有效样本60份，满意度90.00%）没有对应的满意度指标，未参与计分。"
    assert "其中对家庭农场主的调查没有对应的满意度指标，未参与计分。" in text_of(built, pest_control, "绩效自评报告")


def test_the_fund_sources_are_stated_where_each_line_has_its_own(built):
    """Three lines, three sources: the 60万元 carried over from last year is said to be 上年结转资金."""
    assert "按资金来源：中央补助资金540.00万元、上年结转资金60.00万元、县级财政拨款45.00万元。" in text_of(built, school_meals)


def test_a_self_evaluation_scored_on_money_in_place_is_told_its_form_disagrees():
    """The 自评表 divides 全年执行数 by 全年预算数 (575.50 / 645.00 = 89.22%) where the indicator was scored on
    the money in place (575.50 / 591.00 = 97.38%, 4.87分 of 5): `check` says so at 预算执行率口径."""
    [f] = found(check_data(school_meals.data("绩效自评报告")), Code.FORM_EXEC_RATE)
    assert f.where == "项目信息!B13"
    assert "预算执行率按到位资金计算为97.38%（得分4.87分）" in f.message and "计算为89.22%" in f.message
    assert not found(check_data(school_meals.data()), Code.FORM_EXEC_RATE)         # a 财政评价's 口径 is its own
    assert not found(check_data(hospital_ct.data("绩效自评报告")), Code.FORM_EXEC_RATE)   # all in place


def test_a_score_docked_by_hand_is_told_with_what_it_was_docked_for(built):
    """资金使用合规性, 人工 4 of 5, its 评分说明 says why: 存在问题 gives that reason, not the bare score."""
    assert ("资金使用合规性未达到年度目标，得分4分（分值5分）。技术培训支付18万元未签订合同，扣1分。"
            in text_of(built, pest_control, "绩效自评报告"))


def test_a_payment_after_the_service_ended_is_told_with_the_service_period(tmp_path):
    """The training contract's last 200,000元 paid on 5 December, its service having ended on 30 November:
    the problem says when the service ran, as the one before signing says when it was signed."""
    data = hospital_ct.data()
    data["支付"][4].update({"支付日期": dt.date(2024, 12, 5), "支付金额": 200000})
    result = build_workbook(write_workbook(tmp_path / "项目.xlsx", data), tmp_path / "out", force=True)
    assert ("支付不在合同服务期内，2024年12月5日向衡水医链技术服务有限公司支付20.00万元"
            "（服务期2024年6月10日至2024年11月30日）") in "\n".join(paragraphs(result.report))


# ---------------------------------------------------------------- the targets as typed, the 自评表's 总分
def test_a_comparison_typed_in_the_target_is_quoted_with_it(tmp_path):
    """目标值 “≥95%” with 指标性质 left blank is scored as ≥ and quoted as typed, not as “目标值95%”."""
    data = school_meals.data("绩效自评报告")
    row = next(i for i in data["绩效指标"] if i["三级指标"] == "学生就餐率")
    row.update({"指标性质": None, "目标值": "≥95%"})
    result = build_workbook(write_workbook(tmp_path / "项目.xlsx", data), tmp_path / "out", force=True)
    assert "学生就餐率：目标值≥95%，实际完成值97.2%，达到年度目标。" in "\n".join(paragraphs(result.report))
    form = [[c.text for c in r.cells] for t in docx.Document(result.report).tables for r in t.rows]
    assert any(r[3:6] == ["学生就餐率", "≥95%", "97.2%"] for r in form)


def test_the_self_forms_total_says_why_it_is_not_the_sum_of_the_scores(built):
    """分值 90 and 得分 72.37 above it, 总分 80.41: the 总分 row says the 不适用 indicator was left out and
    the rest rescaled to 100; the form read back scores 80.41 as the workbook did."""
    result = built["hospital_ct", "绩效自评报告"]
    form = [[c.text for c in r.cells] for t in docx.Document(result.report).tables for r in t.rows]
    total = next(r for r in form if r[0].startswith("总分"))
    assert total[0] == "总分（“远程影像会诊开展次数”不适用，其余指标分值90分、得分72.37分，按比例折算为100分制）"
    assert total[-3:] == ["90", "80.41", ""]
    from perfeval.pipeline import check_workbook
    assert check_workbook(result.form).evaluation.total == Decimal("80.41")


def test_the_main_achievements_do_not_claim_to_be_every_target(built):
    """4 of the CT purchase's 9 targets were missed: 主要绩效 lists what was met as such, not as 各项绩效目标."""
    text = text_of(built, hospital_ct)
    assert "2024年度达到年度目标的各项绩效如下。" in text and "各项绩效目标完成情况如下" not in text


def test_the_suggestions_follow_the_problems_the_report_states(built):
    """The agency wrote 存在的问题 (防治效果 only, with its cause): 有关建议 answers that problem, acting on the
    cause given, and not the ones the report does not state (check points at the training paid without a
    contract); where the report drafts 存在的问题 itself, each problem has its suggestion."""
    paras = paragraphs(built["pest_control", "绩效评价报告"].report)
    advice = paras[paras.index("六、有关建议") + 1:paras.index("七、其他需要说明的问题")]
    assert advice == ["（一）针对病虫害防治效果未达到目标的原因，完善实施方案，加强过程管理，确保下一年度达到目标。",
                      "（二）持续做好绩效目标管理和绩效运行监控，将评价结果作为以后年度预算安排的参考。"]
    r = check_data(pest_control.data())
    [unsaid] = found(r, Code.PROBLEM_UNSAID)
    assert unsaid.where == "文字说明!B7" and "预算项目“技术培训”支出18.00万元，但没有签订合同" in unsaid.message
    text = text_of(built, pest_control, "绩效自评报告")
    assert "按政府采购和合同管理的规定，先签订合同" in text and "（二）针对资金使用合规性未达到目标的原因" in text


def test_check_speaks_of_the_evaluators_problems_only_where_the_report_prints_them():
    """The agency's 存在的问题及原因分析 is a chapter of the 绩效评价报告; a 绩效自评报告 drafts its own 存在问题
    from the data, so no 提示 says that “报告使用您写的文字” there."""
    assert found(check_data(pest_control.data()), Code.PROBLEM_UNSAID)
    assert not found(check_data(pest_control.data("绩效自评报告")), Code.PROBLEM_UNSAID)


@pytest.mark.parametrize("module, text, wrong", [
    (pest_control, "该项目综合得分96.61分，等级为优。", None),
    (pest_control, "经评价，本项目满分100分，得分96.61分。", None),
    (pest_control, "经评价，本项目得分95.61分。", "“得分95.61分”与数据不符：总分为96.61分"),
    (pest_control, "效益指标得分28.6分。", "“得分28.6分”与数据不符：“效益指标”的得分为29.6分"),
    (hospital_ct, "其余指标得分72.37分，折算后总分80.41分。", None),
])
def test_a_score_of_the_whole_project_is_compared_with_the_total(module, text, wrong):
    """“综合得分96.61分” is the project's total, right; it was compared with the first 一级 (决策 13.33)."""
    data = module.data()
    data["文字说明"] = [{"章节": "评价结论", "内容": text}]
    messages = [f.message for f in found(check_data(data), Code.TEXT_FIGURE) if f.sheet == "文字说明"]
    assert messages == ([] if wrong is None else [m for m in messages if wrong in m]) and (wrong is None or messages)


@pytest.mark.parametrize("text, wrong", [
    ("家庭农场主满意度为95%。", "“95%”与数据不符：调查对象“家庭农场主”的满意度为90%"),
    ("对家庭农场主的调查显示，满意度为90%。", None),
    ("种植户满意度为97%，家庭农场主满意度为90%。", None),
    ("共收回有效问卷600份，其中种植户有效问卷500份。", None),
    ("有效问卷共650份。", "“650”与数据不符：“满意度调查”中有效样本为600"),
])
def test_a_survey_figure_quoted_for_a_surveyed_group_is_that_groups(text, wrong):
    """家庭农场主: 54 of 60 on 满意+基本满意 = 90%, 种植户 500 valid; they were compared with all 600 pooled
    (96.17%, 600); “有效问卷共650份” passed unread."""
    data = pest_control.data()
    data["文字说明"] = [{"章节": "项目效益情况", "内容": text}]
    messages = [f.message for f in found(check_data(data), Code.TEXT_FIGURE) if f.sheet == "文字说明"]
    assert (not messages) if wrong is None else any(wrong in m for m in messages)


def test_a_low_execution_is_explained_only_in_a_chapter_the_report_prints():
    """88.65% with no 偏差原因: a paragraph written for the 绩效评价报告's 存在的问题及原因分析 does not explain it
    in a 绩效自评报告, which prints 存在问题 instead; in the 绩效评价报告 it does."""
    for kind, warned in (("绩效自评报告", True), ("绩效评价报告", False)):
        data = hospital_ct.data(kind)
        next(i for i in data["绩效指标"] if i["三级指标"] == "预算执行率")["偏差原因"] = None
        data["文字说明"] = [{"章节": "存在的问题及原因分析", "内容": "CT设备质保金待质保期满后支付。"}]
        assert bool(found(check_data(data), Code.LOW_EXECUTION)) is warned, kind
