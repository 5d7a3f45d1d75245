"""项目支出绩效自评表 as units really fill them: compatibility forms of the operators (﹦ ⩾ ⩽ ≮ …),
rows typed "/" as placeholders, a 年度资金总额 row left at zero under source rows that hold the figures,
and contract v3's 分值 rules on a form (all blank; a sum other than 100)."""
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from perfeval.cli import cli
from perfeval.findings import Code
from perfeval.pipeline import check_file
from perfeval.schema import Method, Operator

import forms as F


def check(tmp_path, form):
    [r] = check_file(F.save_forms(tmp_path / "自评表.xlsx", form))
    return r


def by_name(r, name):
    return next(s for s in r.evaluation.scored if s.indicator.name == name)


def test_compatibility_forms_of_the_operators_are_read_as_the_operator(tmp_path):
    form = F.national()
    form.rows = [
        ("产出指标", "数量指标", "道路维护面积", "﹦12万平方米", "12万平方米", 20, 20, ""),
        ("产出指标", "数量指标", "路灯维修数量", "⩾300盏", "280盏", 10, 9.33, "部分路灯待更换灯杆"),
        ("产出指标", "质量指标", "道路完好率", "≮95%", "98%", 10, 10, ""),
        ("产出指标", "时效指标", "投诉处理时长", "⩽2天", "4天", 10, 5, "人手不足，已增配"),
        ("效益指标", "社会效益指标", "事故发生率", "≯1%", "0.5%", 15, 15, ""),
        ("效益指标", "可持续影响指标", "设施完好率", "＝100%", "100%", 15, 15, ""),
        ("满意度指标", "服务对象满意度指标", "市民满意度", "﹥﹦90%", "93%", 10, 10, ""),
    ]
    r = check(tmp_path, form)
    expected = {"道路维护面积": (Operator.EQ, "20.00"), "路灯维修数量": (Operator.GE, "9.33"),
                "道路完好率": (Operator.GE, "10.00"), "投诉处理时长": (Operator.LE, "5.00"),
                "事故发生率": (Operator.LE, "15.00"), "设施完好率": (Operator.EQ, "15.00"),
                "市民满意度": (Operator.GE, "10.00")}
    for name, (op, score) in expected.items():
        s = by_name(r, name)
        assert s.indicator.method is Method.RATIO and s.indicator.comparison is op, name
        assert s.score == Decimal(score), (name, s.score, s.how)
    assert not r.errors, [f.message for f in r.errors]


def test_rows_typed_slash_are_placeholders_with_a_note(tmp_path):
    form = F.national()
    form.rows = form.rows[:4] + [("产出指标", "成本指标", "/", "/", "/", "/", "/", ""),
                                 ("效益指标", "经济效益指标", "经济效益", "/", "/", "/", "/", "")] + form.rows[4:]
    form.total = (100, 95.83)
    r = check(tmp_path, form)
    assert not r.errors, [f"{f.cell} {f.message}" for f in r.errors]
    notes = [f for f in r.findings if f.code is Code.FORM_PLACEHOLDER]
    assert [f.cell for f in notes] == ["D17", "D18"] and all("占位行" in f.message for f in notes)
    assert "“/”" in notes[1].message and "指标值、完成值、分值" in notes[1].message
    assert "经济效益" not in [s.indicator.name for s in r.evaluation.scored]
    assert r.evaluation.total == Decimal("95.83")


def test_a_zero_total_row_takes_the_sum_of_its_source_rows(tmp_path):
    form = F.national()
    form.funds = [("年度资金总额", 0, 0, 0), ("其中：当年财政拨款", 80, 80, 76), ("上年结转资金", 20, 20, 19),
                  ("其他资金", 0, 0, 0)]
    r = check(tmp_path, form)
    info = r.project.info
    assert (info.budget_initial, info.budget_full, info.budget_total) == (Decimal(100),) * 3
    assert r.evaluation.funds.paid == Decimal(95) and by_name(r, "预算执行率").score == Decimal("9.50")
    [note] = [f for f in r.findings if f.code is Code.FORM_TOTAL_FROM_SOURCES]
    assert note.severity.value == "提示" and note.cell == "E6"        # the total's 全年预算数
    assert "100.00万元" in note.message and "95.00万元" in note.message
    assert not r.errors, [f.message for f in r.errors]
    assert r.evaluation.total == Decimal("95.83")


def test_a_form_whose_weights_are_all_blank_is_told_weights_are_missing(tmp_path):
    form = F.national()
    form.rows = [row[:5] + (None,) + row[6:] for row in form.rows]
    form.total = (None, 95.83)
    r = check(tmp_path, form)
    codes = [f.code for f in r.errors]
    assert codes == ["WEIGHTS_MISSING"], [f.message for f in r.errors]
    assert "共7个" in r.errors[0].message and r.errors[0].cell == "G13"
    assert not r.evaluation.scorable
    path = tmp_path / "自评表.xlsx"
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1 and "未计分（分值未填写" in result.output and "没有任何三级指标" not in result.output
    assert "0.00" not in result.output.splitlines()[0] and "差" not in result.output.splitlines()[0]


def test_a_form_whose_weights_sum_to_120_has_no_grade(tmp_path):
    form = F.national()
    form.rows[0] = form.rows[0][:5] + (40, 40, "")
    r = check(tmp_path, form)
    [total] = [f for f in r.errors if f.code is Code.WEIGHT_TOTAL]
    assert "120分" in total.message and "产出指标70分" in total.message and "不评定等级" in total.message
    assert not r.evaluation.graded and r.evaluation.weights_off == "分值合计为120分，不是100分"
    path = tmp_path / "自评表.xlsx"
    line = CliRunner().invoke(cli, ["check", str(path)]).output.splitlines()[0]
    assert "不评定等级" in line and "等级 优" not in line
    [data] = json.loads(CliRunner().invoke(cli, ["check", "--json", str(path)]).output)
    assert data["等级"] is None and data["总分"] == pytest.approx(115.83)
