"""Figures quoted in the evaluator's text against the data (the contradictions of seed 000)."""
import pytest

from perfeval.findings import Code
from perfeval.pipeline import check_workbook

from conftest import check_data, SEED000_XLSX, SEED004_XLSX, indicator

# Each contradiction of seed 000 that sits in its text: (sheet, cell, quoted, the data's figure).
SEED000_CONTRADICTIONS = [
    ("绩效指标", "P7", "“2万”", "机房维保”的预算金额为20.00万元"),
    ("绩效指标", "P18", "“95万元”", "≤94万元"),
    ("绩效指标", "P9", "“85.9%”", "预算执行率为85.98%"),
    ("绩效指标", "P20", "“满分10分”", "分值为15分"),
    ("绩效指标", "P21", "“得分5分”", "得分为4.5分"),
    ("文字说明", "B52", "“7个”", "三级指标数为6个"),
    ("文字说明", "B54", "“3个”", "二级指标数为4个"),
    ("项目信息", "B16", "“大于90%”", "≥90%"),
]


def text_findings(result):
    return [f for f in result.findings if f.code is Code.TEXT_FIGURE]


def test_seed000_contradictions_are_each_reported_once_with_cell_and_both_figures():
    found = text_findings(check_workbook(SEED000_XLSX))
    assert len(found) == len(SEED000_CONTRADICTIONS)
    for sheet, cell, quoted, data in SEED000_CONTRADICTIONS:
        [f] = [f for f in found if (f.sheet, f.cell) == (sheet, cell)]
        assert quoted in f.message and data in f.message and f.severity.value == "警告"


def consistent_seed000(data):
    """Seed 000 with its contradictions put right: the text agrees with the data."""
    fixes = {
        "资金分配合理性": ("机房维保2万", "机房维保20万"),
        "运维项目": ("目标值为95万元", "目标值为94万元"),
        "预算执行率": ("全年执行率为85.9%", "全年执行率为85.98%"),
        "稳定支撑公积金业务运行": ("满分10分，得分15分", "满分15分，得分15分"),
        "使用人员满意度": ("满分5分，得分5分", "满分5分，得分4.5分"),
    }
    for name, (old, new) in fixes.items():
        row = indicator(data, name)
        assert old in row["评分说明"]
        row["评分说明"] = row["评分说明"].replace(old, new)
    indicator(data, "使用人员满意度")["偏差原因"] = "有5份问卷为基本满意，下一步加强系统培训。"
    for row in data["文字说明"]:
        row["内容"] = (row["内容"].replace("由3个二级指标和7个三级指标构成，权重为20分", "由3个二级指标和6个三级指标构成，权重为20分")
                       .replace("由3个二级指标和7个三级指标构成，权重为40分", "由4个二级指标和7个三级指标构成，权重为40分"))
    data["项目信息"]["年度目标"] = data["项目信息"]["年度目标"].replace("满意度大于90%", "满意度不低于90%")
    return data


def test_no_crying_wolf_on_consistent_workbooks(seed000_data, seed004_data):
    data = consistent_seed000(seed000_data)
    clean = check_data(data)
    assert clean.findings == [], [f.message for f in clean.findings]
    assert check_workbook(SEED004_XLSX).findings == []
    # the same facts written differently: rounded figures, other units, other wording
    data["文字说明"] += [
        {"章节": "主要绩效", "内容": "全年实际支出6311050元，执行率约为86%，资金到位率100%。"},
        {"章节": "主要绩效", "内容": "公积金业务系统预算3500000元，实际支出313.29万元；满意率为90.0%。"},
        {"章节": "有关建议", "内容": "综合评价总分为98.8分，等级为“优”。软件维护数量较往年增加2套。"},
        {"章节": "主要绩效", "内容": "共安排预算七百三十四万元，实际支出 631.11 万元，满意率为百分之九十。"},
        {"章节": "主要绩效", "内容": "项目过程指标由二个二级指标和五个三级指标构成，十分重要。"},
    ]
    variant = check_data(data)
    assert variant.findings == [], [f.message for f in variant.findings]


@pytest.mark.parametrize("slot, text, quoted, data", [
    ("主要绩效", "本年度实际支出640万元。", "640万元", "实际支出为631.11万元"),
    ("主要绩效", "最终总分为99分。", "99分", "总分为98.8分"),
    ("主要绩效", "绩效等级为“良”。", "良", "等级为“优”"),
    ("主要绩效", "有效问卷48份。", "48", "有效样本为50"),
    ("主要绩效", "其中完全满意的调查问卷44份。", "44", "满意为45"),
    ("主要绩效", "资金到位率为95%。", "95%", "资金到位率为100%"),
    ("主要绩效", "共安排预算743万元。", "743万元", "预算总额为734.00万元"),
    ("主要绩效", "系统故障率为0.5%。", "0.5%", "系统故障率”的实际值/目标值为0.375%"),
    # figures as people write them: separators, spaces, full-width digits, Chinese numerals
    ("主要绩效", "预算总额为1,234.00万元。", "1234.00万元", "预算总额为734.00万元"),
    ("主要绩效", "实际支出为 640 万元。", "640万元", "实际支出为631.11万元"),
    ("主要绩效", "共安排预算７４３万元。", "743万元", "预算总额为734.00万元"),
    ("主要绩效", "共安排预算七百四十三万元。", "743万元", "预算总额为734.00万元"),
    ("主要绩效", "满意率为百分之八十。", "80%", "满意度为90%"),
])
def test_each_kind_of_figure_is_compared(seed000_data, slot, text, quoted, data):
    seed000_data = consistent_seed000(seed000_data)
    seed000_data["文字说明"].append({"章节": slot, "内容": text})
    found = text_findings(check_data(seed000_data))
    assert len(found) == 1, [f.message for f in found]
    assert f"“{quoted}”" in found[0].message and data in found[0].message
    assert found[0].cell == f"B{len(seed000_data['文字说明']) + 1}"
