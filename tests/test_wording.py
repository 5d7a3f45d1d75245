"""Generated text an officer signs without retouching: headings that nest, lists that count and name
things once, no number running into a figure, no phrase about our data structures, the user's own
words quoted exactly; a third party's report opens with a 前言 and names who commissioned it."""
import copy
import re

import docx
import pytest

import big_workbooks
import county_water
import seed000
import seed004
from conftest import SEED000_XLSX, SEED004_XLSX
from perfeval.pipeline import build_workbook
from perfeval.report.numbering import level_of, marker, renumber
from perfeval.report.style import HEADINGS
from perfeval.template import write_workbook


def _bare(data):
    data = copy.deepcopy(data)
    data["文字说明"] = []
    for row in data["绩效指标"]:
        row.pop("评分说明", None)
    return data


SOURCES = {
    "000": lambda out: SEED000_XLSX,
    "004": lambda out: SEED004_XLSX,
    "000-bare": lambda out: write_workbook(out / "bare000.xlsx", _bare(seed000.DATA)),
    "004-bare": lambda out: write_workbook(out / "bare004.xlsx", _bare(seed004.DATA)),
    "60": lambda out: write_workbook(out / "big.xlsx", _bare(big_workbooks.evaluation_with_60_indicators())),
    "60-self": lambda out: write_workbook(out / "bigself.xlsx", _bare(big_workbooks.self_evaluation_with_60_indicators())),
    "county": lambda out: write_workbook(out / "county.xlsx", county_water.data()),
    "county-self": lambda out: write_workbook(out / "countyself.xlsx", county_water.data("绩效自评报告")),
    "third-party": lambda out: write_workbook(out / "third.xlsx", county_water.data(
        评价方式="第三方评价", 评价机构="河北正信绩效评价咨询有限公司", 组织单位="清河县财政局")),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("wording")
    built = {}
    for name, source in SOURCES.items():
        result = build_workbook(source(out), out / name, force=True)
        assert result.report is not None, result.skipped
        built[name] = result
    return built


def body(result):
    """The body's paragraphs as (text, heading level or None), the title block left out."""
    document = docx.Document(result.report)
    out = []
    for p in document.paragraphs:
        if not p.text.strip():
            continue
        name = p.style.name if p.style is not None else ""
        out.append((p.text, HEADINGS.index(name) + 1 if name in HEADINGS else None))
    start = next(i for i, (text, _) in enumerate(out) if text in ("一、基本情况", "前言"))
    return out[start:]


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_heading_and_numbered_paragraph_nests(reports, name):
    """一、（一）1.（1）① strictly: a level is never skipped, and each list counts 1, 2, 3 under its parent."""
    depth, counts = 0, {}
    for text, heading in body(reports[name]):
        level = level_of(text)
        if level is None:
            if heading == 1:              # 前言: unnumbered, at the top
                depth, counts = 0, {}
            continue
        n = marker(text).number
        assert level <= depth + 1, f"{text!r} (level {level}) under level {depth}"
        assert n == counts.get(level, 0) + 1, f"{text!r}: expected number {counts.get(level, 0) + 1}"
        counts[level] = n
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        depth = level


@pytest.mark.parametrize("name", list(SOURCES))
def test_no_list_number_runs_into_a_figure(reports, name):
    for text, _ in body(reports[name]):
        m = marker(text)
        assert not (m and m.rest[:1].isdigit()), text
        assert not re.match(r"^\d+\.\d+[个项笔份条次]", text), text


@pytest.mark.parametrize("name", [n for n in SOURCES if n not in ("000", "004")])   # generated text only
def test_a_sentence_names_each_indicator_once(reports, name):
    for text, _ in body(reports[name]):
        for sentence in re.split(r"[。；]", text):
            quoted = re.findall(r"“([^”]+)”", sentence)
            repeated = {q for q in quoted if quoted.count(q) > 1}
            assert not repeated, sentence


@pytest.mark.parametrize("name", ["000-bare", "004-bare", "60", "60-self", "county", "county-self"])
def test_no_phrase_about_our_data_structures(reports, name):
    text = "\n".join(t for t, _ in body(reports[name]))
    for phrase in ("×", "分值×", "由1个二级指标和1个三级指标构成", "资金保障到位，预算资金全部到位", "评价人判断为",
                   "偏差原因未说明", "得分率", "未得满分", "其中“"):
        assert phrase not in text, phrase


def test_a_judgement_states_target_and_result_and_the_users_text_is_quoted_exactly(reports):
    text = "\n".join(t for t, _ in body(reports["county"]))
    assert ("农村集中供水工程出厂水质：目标为“符合GB 5749-2022《生活饮用水卫生标准》”，"
            "实际为“48次检测全部符合GB 5749-2022”，达到年度目标。") in text
    assert "GB5749" not in text


def test_an_indicators_class_comes_from_its_level2(reports):
    paras = [t for t, _ in body(reports["county-self"])]
    economy = paras[paras.index("1.经济性") + 1: paras.index("2.效率性")]
    assert "供水管网漏损率" not in "".join(economy)          # 经济效益, an outcome: not a 成本 indicator
    assert "“项目支出控制在预算内”、“单处工程维修养护平均成本”均达到年度目标" in "".join(economy)


def test_names_and_values_are_joined_by_words(reports):
    text = "\n".join(t for t, _ in body(reports["county"]))
    assert "维修养护集中供水工程处数为35处" in text and "处数35处" not in text
    assert "项目支出控制在预算内263.35" not in text


def test_a_rate_is_printed_once_not_beside_a_near_miss_score_rate(reports):
    text = "\n".join(t for t, _ in body(reports["county"]))
    assert "91.92%" in text and "91.90%" not in text
    assert "预算执行率指标由" not in text


def test_scores_are_written_as_computed_in_text_and_with_two_decimals_in_tables(reports):
    document = docx.Document(reports["000"].report)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "4.30" in cells and "4.3" not in cells
    text = "\n".join(t for t, _ in body(reports["000-bare"]))
    assert "得分4.3分" in text and "4.30分" not in text


def test_suggestions_follow_from_a_problem_and_never_ask_to_raise_a_met_target(reports):
    paras = [t for t, _ in body(reports["county"])]
    advice = "\n".join(paras[paras.index("六、有关建议"):paras.index("七、其他需要说明的问题")])
    assert "提高满意度" not in advice
    assert "查明农村自来水普及率未达到目标的原因" in advice


def test_a_third_party_report_opens_with_a_preface_and_names_who_commissioned_it(reports):
    document = docx.Document(reports["third-party"].report)
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    i = texts.index("前言")
    assert texts[i + 1].startswith("受清河县财政局委托，河北正信绩效评价咨询有限公司依据")
    assert texts[i + 3] == "一、基本情况" and "现将评价情况报告如下。" in texts[i + 2]
    cover = texts[:i]
    for line in ("项目名称：农村饮水安全工程维修养护项目", "实施单位：清河县农村供水管理站", "组织单位：清河县财政局",
                 "评价机构：河北正信绩效评价咨询有限公司"):
        assert line in cover
    for name in ("000", "county"):                  # no 评价机构: the report opens at 一、基本情况
        assert "前言" not in [p.text for p in docx.Document(reports[name].report).paragraphs]


def test_the_preface_is_a_chapter_the_evaluator_may_write(tmp_path):
    data = county_water.data(评价机构="河北正信绩效评价咨询有限公司")
    data["文字说明"] = [{"章节": "前言", "内容": "受县财政局委托，我公司对该项目开展了评价。"}]
    result = build_workbook(write_workbook(tmp_path / "w.xlsx", data), tmp_path, force=True)
    texts = [p.text for p in docx.Document(result.report).paragraphs if p.text.strip()]
    assert texts[texts.index("前言") + 1] == "受县财政局委托，我公司对该项目开展了评价。"


def test_the_evaluators_own_lists_are_renumbered_to_the_level_they_stand_at():
    assert renumber(["（一）科学公正。", "（二）统筹兼顾。"], 3) == ["（1）科学公正。", "（2）统筹兼顾。"]
    assert renumber(["1.时间范围：全年。", "（1）上半年", "（2）下半年", "2.项目范围"], 2) == \
        ["1.时间范围：全年。", "（1）上半年", "（2）下半年", "2.项目范围"]
    assert renumber(["3.14个三级指标得满分。"], 1) == ["3.14个三级指标得满分。"]     # a figure, not a number


def test_the_evaluators_funds_paragraphs_replace_the_generated_ones(reports):
    """Seed 004's evaluator wrote 资金到位 and 资金分配: the generated lines are not printed as well;
    left empty, they are drafted."""
    paras = [t for t, _ in body(reports["004"])]
    i = paras.index("（1）资金到位")
    assert paras[i + 1:i + 4] == ["网络系统运行与维护费用项目全年预算44.99万元。", "（2）资金分配", "2022年预算支出44.99万。"]
    bare = [t for t, _ in body(reports["004-bare"])]
    i = bare.index("（1）资金到位")
    assert bare[i + 1] == "全年预算44.99万元，实际到位44.99万元，资金到位率100.00%。"


def test_a_manual_score_under_its_weight_is_told_as_figures_are_in_a_sentence(seed000_data):
    from conftest import check_data, indicator
    from perfeval.report.problems import indicator_problem
    indicator(seed000_data, "立项程序规范性").update({"计分方法": "人工", "填报得分": 3.5, "评分说明": "评价组打分"})
    e = check_data(seed000_data).evaluation
    s = next(s for s in e.scored if s.indicator.name == "立项程序规范性")
    # the 评分说明 of a score given by hand follows as its reason
    assert indicator_problem(s).text == "立项程序规范性未达到年度目标，得分3.5分（分值4分）。评价组打分"
