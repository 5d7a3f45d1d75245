import re
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn

from perfeval.pipeline import build_workbook

from conftest import SEED000_XLSX, SEED004_XLSX, indicator

# The headings of the seeds, in order, as they should be numbered (the seeds themselves slip:
# seed 000 writes "6、有关建议", seed 004 "1、基本情况").
SEED000_HEADINGS = [
    "一、基本情况", "（一）项目概况", "1.项目背景、主要内容及实施情况", "2.资金投入和使用情况", "（二）项目绩效目标",
    "二、绩效评价工作开展情况", "（一）绩效评价目的、对象和范围", "1.绩效评价完整性", "2.评价目的", "3.评价对象",
    "4.绩效评价范围", "（二）绩效评价原则、指标体系、方法及标准", "1.评价原则", "2.评价指标体系", "3.评价方法",
    "4.评价标准", "（三）绩效评价工作过程", "三、综合评价情况及评价结论", "（一）评价结论", "（二）主要绩效",
    "四、绩效评价指标分析", "（一）项目决策情况", "1.项目立项", "2.绩效目标", "3.资金投入", "（二）项目过程情况",
    "1.资金管理", "2.组织实施", "（三）项目产出情况", "1.产出数量", "2.产出质量", "3.产出成本", "4.产出时效",
    "（四）项目效益情况", "1.项目效益", "五、主要经验及做法、存在的问题及原因分析", "（一）主要经验及做法",
    "（二）存在的问题及原因分析", "六、有关建议", "七、其他需要说明的问题",
]
SEED004_HEADINGS = [
    "一、基本情况", "（一）项目基本情况", "（二）项目决策情况", "（三）绩效目标", "二、绩效自评工作组织情况",
    "三、绩效自评结论", "四、绩效指标分析", "（一）决策分析", "1.项目立项情况", "（1）论证决策", "（2）目标设置",
    "（3）保障措施", "2.资金落实情况", "（1）资金到位", "（2）资金分配", "（二）管理分析", "1.资金管理",
    "（1）资金支付", "（2）支出规范性", "2.事项管理", "（1）实施程序", "（2）管理情况", "（三）产出分析",
    "1.经济性", "2.效率性", "（四）效益实现度分析", "1.效果性", "2.公平性", "五、主要绩效", "六、存在问题",
    "七、下一步工作计划",
]
# The score table of seed 000 (一级, 二级, 三级, 分值, 得分), indicator names as in its 指标体系.
SEED000_SCORES = [
    ("决策", "项目立项", "立项依据充分性", 4, 4), ("决策", "项目立项", "立项程序规范性", 4, 4),
    ("决策", "绩效目标", "绩效目标合理性", 3, 3), ("决策", "绩效目标", "绩效指标明确性", 3, 3),
    ("决策", "资金投入", "预算编制科学性", 3, 3), ("决策", "资金投入", "资金分配合理性", 3, 3),
    ("过程", "资金管理", "资金到位率", 5, 5), ("过程", "资金管理", "预算执行率", 5, 4.3),
    ("过程", "资金管理", "资金使用合规性", 3, 3), ("过程", "组织实施", "管理制度健全性", 3, 3),
    ("过程", "组织实施", "制度执行有效性", 4, 4), ("产出", "产出数量", "软件维护数量", 5, 5),
    ("产出", "产出数量", "硬件维护数量", 5, 5), ("产出", "产出质量", "系统故障率", 10, 10),
    ("产出", "产出质量", "验收合格率", 5, 5), ("产出", "产出成本", "系统运行", 5, 5),
    ("产出", "产出成本", "运维项目", 5, 5), ("产出", "产出时效", "按计划完成支付", 5, 5),
    ("效益", "项目效益", "稳定支撑公积金业务运行", 15, 15), ("满意度", "满意度指标", "使用人员满意度", 5, 4.5),
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The two examples; and both as a new user's workbook would be: 文字说明 empty and (in
    "000-bare") no 评分说明 either, so that every paragraph of text is generated."""
    import copy

    import seed000
    import seed004
    from perfeval.template import write_workbook
    out = tmp_path_factory.mktemp("out")
    bare000, bare004 = copy.deepcopy(seed000.DATA), copy.deepcopy(seed004.DATA)
    bare000["文字说明"], bare004["文字说明"] = [], []
    for row in bare000["绩效指标"]:
        row.pop("评分说明", None)
    sources = [("000", SEED000_XLSX), ("004", SEED004_XLSX),
               ("000-bare", write_workbook(out / "bare000.xlsx", bare000)),
               ("004-bare", write_workbook(out / "bare004.xlsx", bare004))]
    paths = {}
    for name, src in sources:
        result = build_workbook(src, out)
        assert result.report is not None, result.skipped
        paths[name] = result.report
    return paths


def headings(document):
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def is_subsequence(needles, haystack):
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


def test_seed000_report_follows_the_evaluation_outline(reports):
    got = headings(docx.Document(reports["000"]))
    assert is_subsequence(SEED000_HEADINGS, got), got
    top = [h for h in got if re.match(r"^[一二三四五六七八九十]+、", h)]
    assert top == [h for h in SEED000_HEADINGS if re.match(r"^[一二三四五六七八九十]+、", h)]


def test_seed004_report_follows_the_self_evaluation_outline(reports):
    got = headings(docx.Document(reports["004"]))
    assert is_subsequence(SEED004_HEADINGS, got), got
    top = [h for h in got if re.match(r"^[一二三四五六七八九十]+、", h)]
    assert top == [h for h in SEED004_HEADINGS if re.match(r"^[一二三四五六七八九十]+、", h)]


def table_after(document, caption):
    body = document.element.body
    seen = False
    for el in body.iterchildren():
        if el.tag == qn("w:p") and "".join(t.text or "" for t in el.iter(qn("w:t"))) == caption:
            seen = True
        elif seen and el.tag == qn("w:tbl"):
            return docx.table.Table(el, document)
    raise AssertionError(caption)


def rows_of(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_seed000_score_table_equals_the_seed(reports):
    rows = rows_of(table_after(docx.Document(reports["000"]), "项目各部分权重和绩效分值"))
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "分值", "得分"]      # as the seed's table
    body = [(r[0], r[1], r[2], Decimal(r[3]), Decimal(r[4])) for r in rows[1:-1]]
    assert body == [(a, b, c, Decimal(str(w)), Decimal(str(s))) for a, b, c, w, s in SEED000_SCORES]
    assert rows[-1][:2] == ["合计", "合计"] and rows[-1][3:] == ["100.00", "98.80"]


def test_score_table_merges_level_cells(reports):
    table = table_after(docx.Document(reports["000"]), "项目各部分权重和绩效分值")
    xml = table._tbl.xml
    # 决策 spans six rows: one restart and five continuations in the first column
    first_col = [tr.findall(qn("w:tc"))[0] for tr in table._tbl.findall(qn("w:tr"))[1:7]]
    merges = [tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") for tc in first_col]
    assert merges[0].get(qn("w:val")) == "restart" and all(m is not None for m in merges[1:])
    assert "w:tblHeader" in xml and "w:cantSplit" in xml


def test_budget_table_has_every_line_and_a_total(reports):
    rows = rows_of(table_after(docx.Document(reports["000"]), "预算资金执行情况表"))
    assert [r[0] for r in rows[1:-1]] == ["公积金业务系统", "综合服务平台及12329热线", "华为云平台",
                                          "小型机及存储维保", "机房维保", "监控系统维保"]
    assert rows[-1] == ["合计", "734.00", "734.00", "631.11", "85.98%"]
    assert rows[5][1:] == ["20.00", "20.00", "19.20", "96.00%"]


def test_indicator_system_table(reports):
    rows = rows_of(table_after(docx.Document(reports["000"]), "项目支出绩效评价指标体系"))
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "分值", "指标解释", "评价要点"]
    assert len(rows) == 21 and rows[1][2] == "立项依据充分性" and rows[1][3] == "4.00" and "①项目立项" in rows[1][5]


def text_of(path):
    return "\n".join(p.text for p in docx.Document(path).paragraphs)


def test_generated_sentences_carry_every_figure(reports):
    text = text_of(reports["000"])
    assert "共安排预算734.00万元" in text and "机房维保20.00万元" in text
    assert "实际支出631.11万元，预算执行率85.98%" in text
    assert "总分为98.8分，绩效等级为“优”" in text
    assert "偏差原因：该项目资金未支付完毕" in text
    # the evaluator's words are kept verbatim, mistakes included
    assert "机房维保2万、监控系统维保4万" in text
    bare = text_of(reports["000-bare"])
    assert "项目过程指标由2个二级指标和5个三级指标构成，权重为20分，实际得分19.3分" in bare
    assert "项目决策指标由3个二级指标和6个三级指标构成" in bare
    assert "系统故障率：目标值≤2%，实际完成值0.375%，达到年度目标。该指标满分10分，得分10分。" in bare
    assert "有效问卷50份，其中满意45份、基本满意5份、不满意0份" in bare


def test_the_evaluators_paragraph_replaces_the_generated_one(reports):
    """Seed 000's evaluator wrote the 决策 summary ("项目决算指标由…") and each indicator's 评分说明:
    the generated sentences for the same places are not printed as well."""
    paragraphs = [p.text for p in docx.Document(reports["000"]).paragraphs]
    assert not any(p.startswith("项目决策指标由") for p in paragraphs)
    assert any(p.startswith("项目决算指标由3个二级指标和7个三级指标构成") for p in paragraphs)
    assert not any(p.startswith("系统故障率：目标值≤2%，实际完成值0.375%") for p in paragraphs)
    assert len(paragraphs) - len(set(p for p in paragraphs if p)) < 5     # only short repeated labels
    for a, b in zip(paragraphs, paragraphs[1:]):
        assert not (a.startswith("综上") and b.startswith("综上")), (a, b)


def test_a_summary_never_contradicts_the_score_beside_it(reports):
    """满意度 90% meets its ≥90% target but scores 4.5 of 5: the sentence says why, in the words of
    the rule (no formula of ours)."""
    text = text_of(reports["000-bare"])
    assert "满意度为90.00%，达到目标值≥90%。该指标满分5分，按满意度折算得分4.5分。" in text
    assert "×" not in text


def test_empty_chapters_say_nothing_and_no_placeholder(reports):
    doc = docx.Document(reports["004"])
    paragraphs = [p.text for p in doc.paragraphs]
    i = paragraphs.index("六、存在问题")
    assert paragraphs[i + 1] == "无。"
    for path in reports.values():
        text = text_of(path)
        for marker in ("TODO", "XXX", "待填", "占位", "None", "{", "}"):
            assert marker not in text


def test_fonts_are_set_in_the_east_asian_slot_without_theme_fonts(reports):
    doc = docx.Document(reports["000"])
    styles = doc.styles.element
    assert not [el for el in styles.iter(qn("w:rFonts")) if el.get(qn("w:eastAsiaTheme"))]
    for name, font in (("Normal", "仿宋_GB2312"), ("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312")):
        rfonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == font
        assert rfonts.get(qn("w:ascii")) == "Times New Roman"


def test_page_setup_and_page_numbers(reports):
    doc = docx.Document(reports["000"])
    s = doc.sections[0]
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    for footer in (s.footer, s.even_page_footer):
        assert "PAGE" in footer._element.xml and "— " in footer.paragraphs[0].text


def test_a_workbook_with_errors_gets_no_report_unless_forced(make_workbook, seed000_data, tmp_path):
    seed000_data["项目信息"]["预算总额"] = 700
    path = make_workbook(seed000_data)
    out = tmp_path / "out"
    result = build_workbook(path, out)
    assert result.report is None
    assert not out.exists() or not any(out.iterdir())
    forced = build_workbook(path, out, force=True)
    assert forced.report.exists()


def test_not_applicable_is_said_in_the_report(make_workbook, seed000_data, tmp_path):
    indicator(seed000_data, "软件维护数量")["计分方法"] = "不适用"
    result = build_workbook(make_workbook(seed000_data), tmp_path / "out")
    text = text_of(result.report)
    assert "指标“软件维护数量”不适用" in text and "按比例折算为100分制后总分为98.74分" in text


def test_reports_carry_native_charts_with_chinese_fonts(reports):
    import zipfile
    with zipfile.ZipFile(reports["000"]) as z:
        names = z.namelist()
        charts = sorted(n for n in names if n.startswith("word/charts/chart"))
        assert charts == ["word/charts/chart1.xml", "word/charts/chart2.xml"]
        assert any(n.startswith("word/embeddings/") and n.endswith(".xlsx") for n in names)
        xml = z.read(charts[0]).decode("utf-8")
        assert "各预算项目预算与实际支出" in xml and "机房维保" in xml and 'a:ea typeface="仿宋_GB2312"' in xml
        assert "631.105" not in xml and "<c:v>19.20</c:v>" in xml
        assert "各一级指标得分率" in z.read(charts[1]).decode("utf-8")
        assert "drawingml/2006/chart" in z.read("word/document.xml").decode("utf-8")


def test_tables_have_fixed_widths_inside_the_text_block(reports):
    from docx.shared import Mm
    for path in reports.values():
        doc = docx.Document(path)
        for table in doc.tables:
            tblpr = table._tbl.tblPr
            assert tblpr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
            width = int(tblpr.find(qn("w:tblW")).get(qn("w:w")))
            grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            assert abs(sum(grid) - width) <= len(grid) and width <= Mm(156).twips + 1
            first = table.rows[0]._tr
            assert first.trPr.find(qn("w:cantSplit")) is not None


def test_title_block_names_project_unit_kind_and_date(reports):
    doc = docx.Document(reports["004"])
    first = [p.text for p in doc.paragraphs[:6]]
    assert first[0] == "网络系统运行服务费项目绩效自评报告"
    assert "实施单位：梅州市住房公积金管理中心" in first and "评价方式：单位自评" in first
    assert any(re.fullmatch(r"报告日期：\d{4}年\d{1,2}月\d{1,2}日", t) for t in first)


def test_a_new_projects_workbook_gets_a_chapter_of_text_under_every_heading(reports):
    """文字说明 left empty: every chapter of both outlines has text (drafted from the data or the
    standard wording); "无。" only under 其他需要说明的问题, where nothing is true to say."""
    for name in ("000-bare", "004-bare"):
        paragraphs = [(p.text, p.style.name) for p in docx.Document(reports[name]).paragraphs]
        for i, (text, style) in enumerate(paragraphs):
            if text == "无。":
                heading = next(t for t, s in reversed(paragraphs[:i]) if s.startswith("Heading"))
                assert heading.endswith("其他需要说明的问题"), (name, heading)
            if style.startswith("Heading") and i + 1 < len(paragraphs):
                # a heading is followed by text, a table caption or a sub-heading, never by nothing
                assert paragraphs[i + 1][0].strip(), (name, text)
        body = "\n".join(t for t, _ in paragraphs)
        for standard in ("比较法", "计划标准") if name == "000-bare" else ("自评工作", "满意度调查覆盖"):
            assert standard in body, (name, standard)


def test_every_figure_in_the_generated_text_agrees_with_the_data(make_workbook, seed000_data, seed004_data):
    """The drafts, read back as if the evaluator had written them, raise no TEXT_FIGURE."""
    from perfeval.model import Narrative
    from perfeval.report.drafts import drafted
    from perfeval.schema import NarrativeSlot
    from perfeval.textchecks import check_text_figures
    from conftest import check_data
    for data in (seed000_data, seed004_data):
        data["文字说明"] = []
        for row in data["绩效指标"]:
            row.pop("评分说明", None)
        e = check_data(data).evaluation
        drafts = drafted(e)
        assert len(drafts) >= 10
        e.project.narratives = [Narrative(i, NarrativeSlot(slot), text)
                                for i, (slot, texts) in enumerate(drafts.items(), start=2) for text in texts]
        found = [f for f in check_text_figures(e) if f.sheet == "文字说明"]
        assert found == [], [f.message for f in found]


def test_merged_labels_sit_in_their_first_row_and_that_row_holds_them(reports):
    """What keeps a 一级/二级 label from being cut by a page break in any word processor: the label
    is at the top of its merged cell, the first row is tall enough for it and rows never split."""
    doc = docx.Document(reports["000"])
    score = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:5] == ["一级指标", "二级指标", "三级指标", "分值", "得分"])
    restarts = 0
    for tr in score._tbl.tr_lst:
        assert tr.trPr.find(qn("w:cantSplit")) is not None
        for tc in tr.tc_lst:
            merge = tc.tcPr.find(qn("w:vMerge"))
            if merge is not None and merge.get(qn("w:val")) == "restart":
                restarts += 1
                assert tc.tcPr.find(qn("w:vAlign")).get(qn("w:val")) == "top"
                assert tr.trPr.find(qn("w:trHeight")) is not None
    assert restarts >= 8


def test_no_header_breaks_in_the_forms_narrow_columns(reports):
    """The 自评表 in the report is set in 小五 with columns wide enough for 一级指标, 年度指标值, 分值."""
    from perfeval.report.tables import _lines_needed
    doc = docx.Document(reports["004"])
    form = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["绩效指标", "一级指标"])
    widths = [int(col.get(qn("w:w"))) for col in form._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) <= 156 * 56.7 + 5
    headers = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    for header, width in zip(headers, widths):
        assert _lines_needed(header, width, compact=True) == 1, header


def test_an_agencys_report_has_a_cover_page_and_every_report_a_closing_block(tmp_path, seed000_data):
    from perfeval.template import write_workbook
    seed000_data["项目信息"].update({"评价方式": "第三方评价", "评价机构": "某某会计师事务所", "报告日期": "2024年3月15日"})
    report = build_workbook(write_workbook(tmp_path / "第三方.xlsx", seed000_data), tmp_path / "out").report
    paragraphs = docx.Document(report).paragraphs
    cover = next(i for i, p in enumerate(paragraphs) if p.text == "报告日期：2024年3月15日")
    # the cover is a section of its own with no page number; the body's pages count from 1
    assert "<w:sectPr" in paragraphs[cover + 1]._p.xml or "<w:sectPr" in paragraphs[cover]._p.xml
    sections = docx.Document(report).sections
    assert len(sections) == 2 and sections[0].different_first_page_header_footer
    assert 'w:start="1"' in sections[1]._sectPr.xml
    assert [p.text for p in paragraphs[-2:]] == ["某某会计师事务所", "2024年3月15日"]
    assert paragraphs[-1].alignment is None and paragraphs[-1].style.name == "落款"


def test_the_report_lists_contracts_and_payments(reports):
    doc = docx.Document(reports["000"])
    first_rows = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["合同名称", "供应商", "预算项目"] in first_rows          # seed 000 gives no amounts or dates
    assert any(r[:2] == ["支付日期", "收款单位"] for r in first_rows)  # five payments: listed one by one
    self_doc = docx.Document(reports["004"])
    rows = [[c.text for c in t.rows[0].cells] for t in self_doc.tables]
    assert any(r[:2] == ["预算项目", "笔数"] for r in rows)            # 51 payments: summed by budget line


def test_the_document_looks_made_by_the_office_not_by_a_library(reports):
    import datetime as dt
    import zipfile
    doc = docx.Document(reports["000"])
    cp = doc.core_properties
    assert cp.title == "住建厅综合平台使用费项目绩效评价报告"
    assert cp.author == "乌鲁木齐住房公积金管理中心" and cp.language == "zh-CN"
    assert cp.created.date() == dt.datetime.now(dt.timezone.utc).date() and cp.modified == cp.created
    with zipfile.ZipFile(reports["000"]) as z:
        names = z.namelist()
        settings = z.read("word/settings.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
        app = z.read("docProps/app.xml").decode()
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
    assert "ja-JP" not in settings and 'w:eastAsia="zh-CN"' in settings
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts and "ＭＳ" not in fonts
    assert not [n for n in names if "stylesWithEffects" in n or n.startswith("customXml") or "thumbnail" in n]
    assert "<Application>perfeval</Application>" in app


def test_the_offices_own_template_gives_styles_page_header_and_cover(tmp_path):
    import zipfile
    from reference_doc import make_reference
    reference = make_reference(tmp_path / "单位模板.docx")
    result = build_workbook(SEED000_XLSX, tmp_path / "out", reference=reference, toc=True)
    doc = docx.Document(result.report)
    texts = [p.text for p in doc.paragraphs]
    import datetime as dt
    from perfeval.figures import date
    today = date(dt.date.today())                      # seed 000 gives no 报告日期
    assert texts[:4] == ["乌鲁木齐住房公积金管理中心", "住建厅综合平台使用费项目", "2023年度绩效评价报告", today]
    assert "{" not in "".join(texts[:4]) and "这一段是模板里的示例正文" not in "".join(texts)
    assert texts[4] == "目　录" and "住建厅综合平台使用费项目绩效评价报告" in texts
    # the template's 正文 style is kept; the report's own styles fill what it lacks
    normal = doc.styles["Normal"].element.xml
    assert 'w:eastAsia="宋体"' in normal and 'w:val="28"' in normal
    assert "报告标题" in [s.name for s in doc.styles] and "表格文字" in [s.name for s in doc.styles]
    with zipfile.ZipFile(result.report) as z:
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
        document = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert headers and all('w:color="FF0000"' in h and "某某市财政局绩效评价中心" in h for h in headers)
    assert 'w:w="11906"' in document and 'w:left="1701"' in document       # the template's A4 and 30 mm
    assert "TOC \\o" in document and '<w:updateFields w:val="true"/>' in settings
    # another template, or none, is another report
    from perfeval.pipeline import build_stamp
    assert build_stamp(None, False, reference, True) != build_stamp(None, False, None, True)
