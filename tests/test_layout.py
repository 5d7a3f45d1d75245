"""Layout an officer signs without retouching: tables that never break a figure or a date, a cover
title broken between phrases, charts with whole-number axes, the 自评表 printed like the form and a
目录 with page numbers in the PDF. The rendered checks use LibreOffice and poppler (as test_render)."""
import html
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

import big_workbooks
import county_water
from conftest import SEED000_XLSX, SEED004_XLSX
from perfeval.pipeline import build_workbook
from perfeval.report import tables as T
from perfeval.report.style import Fonts, em_width, setup_document, title_chars, title_lines
from perfeval.template import write_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
RENDER = bool(SOFFICE and shutil.which("pdftotext"))
needs_office = pytest.mark.skipif(not RENDER, reason="LibreOffice and poppler-utils are not installed")


# ---------------------------------------------------------------- the cover title
def test_a_title_that_fits_stays_on_one_line():
    assert title_lines("住建厅综合平台使用费项目", "绩效评价报告", 19.1) == ["住建厅综合平台使用费项目绩效评价报告"]


@pytest.mark.parametrize("name, kind, lines", [
    ("农村饮水安全工程维修养护项目", "绩效评价报告", ["农村饮水安全工程维修养护项目", "绩效评价报告"]),
    ("农村饮水安全工程维修养护项目", "绩效自评报告", ["农村饮水安全工程维修养护项目", "绩效自评报告"]),
    ("2023年度网络系统运行服务费项目", "绩效自评报告", ["2023年度网络系统运行服务费项目", "绩效自评报告"]),
    ("广东省梅州市住房公积金管理中心网络系统运行服务费项目", "绩效评价报告",
     ["广东省梅州市住房公积金管理中心", "网络系统运行服务费项目绩效评价报告"]),
    ("清河县2024年农村人居环境整治（厕所革命）奖补资金项目", "绩效评价报告",
     ["清河县2024年农村人居环境整治", "（厕所革命）奖补资金项目绩效评价报告"]),
])
def test_a_long_title_breaks_between_phrases(name, kind, lines):
    """Before the report kind, after the year or after …中心 / …整治: never inside a word."""
    chars = title_chars(setup_document(Fonts()))
    assert 18 < chars < 20.5          # 156 mm of 二号 characters, less one for the programs' differences
    got = title_lines(name, kind, chars)
    assert got == lines
    assert "".join(got) == name + kind and all(em_width(line) <= chars for line in got)


def test_a_title_without_any_place_to_break_still_fits_the_page():
    name = "某" * 30
    got = title_lines(name, "绩效评价报告", 19.1)
    assert "".join(got) == name + "绩效评价报告" and all(em_width(line) <= 19.1 for line in got)


def test_the_report_title_paragraph_holds_the_lines(tmp_path):
    result = build_workbook(write_workbook(tmp_path / "县.xlsx", county_water.data()), tmp_path, force=True)
    title = docx.Document(result.report).paragraphs[0]
    assert title.text == "农村饮水安全工程维修养护项目\n绩效评价报告"
    assert len(title._p.xpath(".//w:br")) == 1


# ---------------------------------------------------------------- tables fitted to their content
def _grid_widths(table):
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _table(document, *headers):
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells][:len(headers)] == list(headers))


@pytest.fixture(scope="module")
def county_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    return [build_workbook(write_workbook(out / f"{k}.xlsx", county_water.data(kind)), out, force=True)
            for k, kind in (("评价", "绩效评价报告"), ("自评", "绩效自评报告"))]


def _fits(text, width, compact):
    """``text`` (each line) fits in a cell ``width`` twips wide without wrapping."""
    room = width - 2 * (T.COMPACT_MARGIN if compact else T.MARGIN)
    return all(em_width(line) * T.SIZE[compact] * T.PT <= room for line in text.split("\n"))


def test_figures_and_dates_fit_their_columns(county_reports):
    """The contract amount 1,452,000.00 and every date get a column wide enough for one line."""
    document = docx.Document(county_reports[0].report)
    for header, columns in ((("合同名称",), {"合同金额\n（元）", "签订日期", "服务期"}),
                            (("预算项目", "笔数"), {"笔数", "支付金额\n（元）", "首笔支付", "末笔支付"})):
        table = _table(document, *header)
        widths = _grid_widths(table)
        assert sum(widths) == pytest.approx(156 * 56.7, abs=3)
        compact = table._tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}") is not None
        names = [c.text for c in table.rows[0].cells]
        checked = 0
        for row in table.rows[1:]:
            for c, cell in enumerate(row.cells):
                if names[c] in columns and cell.text:
                    assert _fits(cell.text, widths[c], compact), (names[c], cell.text)
                    checked += 1
        assert checked >= 8
    contracts = _table(document, "合同名称")
    assert "2024年3月20日至\n2024年12月31日" in [c.text for c in contracts.columns[-1].cells]


def test_column_widths_put_the_figures_first():
    grid = T.Grid()
    grid.add(["名称", "金额（元）", "日期"], header=True)
    for k in range(3):
        r = grid.add(["很长很长的名称" * 3, "12,345,678.90", "2024年12月31日"])
        grid.numeric.add((r, 1))
        grid.nowrap.add((r, 2))
    widths = T.column_widths(grid, [1, 1, 1], 8845)
    assert sum(widths) == 8845
    assert _fits("12,345,678.90", widths[1], False) and _fits("2024年12月31日", widths[2], False)
    assert widths[0] > widths[1] and widths[0] > widths[2]        # the rest goes to the text


def test_indicator_system_table_leaves_out_empty_columns_and_shows_the_points(county_reports):
    table = _table(docx.Document(county_reports[0].report), "一级指标")
    assert [c.text for c in table.rows[0].cells] == ["一级指标", "二级指标", "三级指标", "分值"]
    assert [c.text for c in table.rows[1].cells][2:] == ["维修养护集中供水工程处数", "8.00"]


def test_long_indicator_names_take_at_most_two_lines(tmp_path):
    data = big_workbooks.evaluation_with_60_indicators()
    data["绩效指标"][0]["三级指标"] = "项目立项依据充分性及与部门职责和中长期规划的相符程度"     # 26 characters
    result = build_workbook(write_workbook(tmp_path / "评价60.xlsx", data), tmp_path, force=True)
    document = docx.Document(result.report)
    seen = 0
    for table in document.tables:
        names = [c.text for c in table.rows[0].cells]
        if names[:3] != ["一级指标", "二级指标", "三级指标"]:
            continue
        width = _grid_widths(table)[2]
        compact = table._tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}") is not None
        for row in table.rows[1:]:
            text = row.cells[2].text
            if text and text != "合计":
                assert T._lines_needed(text, width, compact) <= 2, text
                seen += 1
    assert seen >= 120          # the 指标体系表 and the score table, 60 indicators each


def test_the_forms_opening_is_kept_with_its_header_and_first_group(county_reports):
    """Every row before the indicators, the header row and the first 一级 group's first rows keep
    with the next (w:keepNext), so that the form never starts with its title alone at a page foot."""
    document = docx.Document(county_reports[1].report)
    opening = next(t for t in document.tables if t.rows[0].cells[0].text == "项目名称")
    indicators = _table(document, "绩效指标")

    def kept(row):
        return all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in row._tr.iter(qn("w:p")))
    assert all(kept(row) for row in opening.rows)
    assert kept(indicators.rows[0]) and kept(indicators.rows[1])
    between = opening._tbl.getnext()
    assert between.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


# ---------------------------------------------------------------- charts
def test_chart_axes_are_whole_and_leave_room_for_the_labels(county_reports):
    with zipfile.ZipFile(county_reports[0].report) as z:
        budget, rates = (z.read(f"word/charts/chart{k}.xml").decode("utf-8") for k in (1, 2))
    axis = re.search(r"<c:valAx>.*</c:valAx>", budget).group()
    assert 'formatCode="#,##0"' in axis
    top, step = (Decimal(re.search(rf'<c:{k} val="([\d.]+)"/>', axis).group(1)) for k in ("max", "majorUnit"))
    assert top == int(top) and step == int(step) and top > 148 * Decimal("1.1")      # room beyond 148.00
    axis = re.search(r"<c:valAx>.*</c:valAx>", rates).group()
    assert 'formatCode="0%"' in axis
    top, step = (Decimal(re.search(rf'<c:{k} val="([\d.]+)"/>', axis).group(1)) for k in ("max", "majorUnit"))
    assert top > 1 and (step * 100) == int(step * 100)                              # 100.00% fits, whole percent
    for xml in (budget, rates):
        assert '<c:dLblPos val="outEnd"/>' in xml


# ---------------------------------------------------------------- 自评表.xlsx
def _form_groups(ws):
    """(first row, last row) of each 一级 group of the form's indicators, 1-based, and the header row."""
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "一级指标")
    total = next(r for r in range(head, ws.max_row + 1) if ws.cell(r, 1).value == "总分")
    merged = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_col == 2:
            for r in range(rng.min_row, rng.max_row + 1):
                merged[r] = ws.cell(rng.min_row, 2).value
    labels = [merged.get(r, ws.cell(r, 2).value) for r in range(head + 1, total)]
    groups, start = [], head + 1
    for k in range(1, len(labels) + 1):
        if k == len(labels) or labels[k] != labels[k - 1]:
            groups.append((start, head + k))
            start = head + k + 1
    return head, total, groups


def test_the_form_repeats_its_header_row_and_keeps_groups_whole(tmp_path):
    result = build_workbook(write_workbook(tmp_path / "自评60.xlsx", big_workbooks.self_evaluation_with_60_indicators()),
                            tmp_path, force=True)
    ws = openpyxl.load_workbook(result.form).active
    head, total, groups = _form_groups(ws)
    assert ws.print_title_rows == f"${head}:${head}"
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) >= 2
    heights = {r: ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)}
    room = 470 - heights[head]
    for b in breaks:           # a page ends between groups, unless the group is taller than a page
        inside = [(a, z) for a, z in groups if a <= b < z]
        if inside:
            a, z = inside[0]
            assert sum(heights[r] for r in range(a, z + 1)) > room, (b, inside)
    # a label merged over a page break is printed on both pages
    for rng in ws.merged_cells.ranges:
        assert not any(rng.min_row <= b < rng.max_row for b in breaks), str(rng)


def test_instruction_rows_are_tall_enough_for_their_text(tmp_path):
    from perfeval.template import INSTRUCTION_WIDTHS, LINE_HEIGHT, _text_lines
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "模板.xlsx"))["填表说明"]
    tall = 0
    for r in range(1, ws.max_row + 1):
        text = ws.cell(r, 2).value
        if ws.cell(r, 1).value and text:
            lines = _text_lines(text, INSTRUCTION_WIDTHS[1])
            assert ws.row_dimensions[r].height >= lines * LINE_HEIGHT, (r, text)
            tall += lines > 1
    assert tall >= 10


# ---------------------------------------------------------------- cover and 目录 without page numbers
def test_with_a_table_of_contents_cover_and_contents_carry_no_page_number(tmp_path):
    result = build_workbook(SEED000_XLSX, tmp_path, toc=True)
    document = docx.Document(result.report)
    body = document.element.body
    breaks = body.xpath("./w:p/w:pPr/w:sectPr")
    assert len(breaks) == 1
    front = breaks[0]
    assert not front.findall(qn("w:footerReference"))
    final = body.sectPr
    assert final.findall(qn("w:footerReference"))
    assert final.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    # the 目录 comes before the section break, the first chapter after it
    texts = [p.text for p in document.paragraphs]
    owner = breaks[0].getparent().getparent()
    index = list(body).index(owner)
    assert any("目" in (e.xpath("string(.)") or "") for e in list(body)[:index])
    assert "一、基本情况" in [e.xpath("string(.)") for e in list(body)[index + 1:]]
    assert "一、基本情况" in texts


# ---------------------------------------------------------------- rendered
def _convert(files, outdir, profile):
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    if not RENDER:
        pytest.skip("LibreOffice and poppler-utils are not installed")
    out = tmp_path_factory.mktemp("rendered")
    sources = [SEED000_XLSX, SEED004_XLSX,
               write_workbook(out / "评价60.xlsx", big_workbooks.evaluation_with_60_indicators()),
               write_workbook(out / "自评60.xlsx", big_workbooks.self_evaluation_with_60_indicators()),
               write_workbook(out / "县评价.xlsx", county_water.data()),
               write_workbook(out / "县自评.xlsx", county_water.data("绩效自评报告"))]
    results = [build_workbook(p, out, force=True) for p in sources]
    _convert([r.report for r in results] + [r.form for r in results], out, tmp_path_factory.mktemp("profile"))
    return results


def _pages(pdf):
    """Each page as its blocks, each block as its lines (text without white space)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [[[html.unescape("".join(re.findall(r">([^<]*)</word>", line)))
              for line in re.findall(r"<line.*?</line>", block, re.S)]
             for block in re.findall(r"<block.*?</block>", page, re.S)]
            for page in re.findall(r"<page.*?</page>", out, re.S)]


def _cell_texts(report):
    return {re.sub(r"\s+", "", c.text) for t in docx.Document(report).tables for row in t.rows for c in row.cells
            if c.text.strip()}


@needs_office
def test_no_table_cell_splits_a_figure_or_a_date_across_lines(rendered):
    checked = 0
    for result in rendered:
        cells = _cell_texts(result.report)
        for page in _pages(result.report.with_suffix(".pdf")):
            for lines in page:
                text = "".join(lines)
                if text not in cells:
                    continue            # not a table cell
                for m in T.FIGURE.finditer(text):
                    token = m.group()
                    if len(token) < 3:
                        continue
                    assert any(token in line for line in lines), (result.report.name, token, lines)
                    checked += 1
    assert checked > 500


@needs_office
def test_the_cover_title_is_printed_in_the_lines_it_was_broken_into(rendered):
    for result in rendered:
        document = docx.Document(result.report)
        title = document.paragraphs[0].text.split("\n")
        first = [line for block in _pages(result.report.with_suffix(".pdf"))[0] for line in block]
        assert first[:len(title)] == [re.sub(r"\s+", "", line) for line in title], result.report.name
    county = docx.Document(rendered[4].report).paragraphs[0].text
    assert county.split("\n") == ["农村饮水安全工程维修养护项目", "绩效评价报告"]


@needs_office
def test_the_embedded_form_starts_with_its_header_and_first_group(rendered):
    for result in rendered:
        e = result.check.evaluation
        if "自评" not in (e.project.info.report_type.value if e.project.info.report_type else ""):
            continue
        pages = [["".join(block) for block in page] for page in _pages(result.report.with_suffix(".pdf"))]
        start = next(i for i, page in enumerate(pages) if any(b.startswith("项目支出绩效自评表（") for b in page))
        text = "".join(pages[start])
        first = next(s for s in e.scored if s.indicator.method.value != "预算执行率")
        for word in ("项目名称", "年度总体目标", "绩效指标", "一级指标", "偏差原因", first.indicator.level1,
                     re.sub(r"\s+", "", first.indicator.name)):
            assert word in text, (result.report.name, word)


@needs_office
def test_every_printed_page_of_the_form_names_the_groups_of_its_rows(rendered):
    """The header row is printed again on each page, and each 一级 label on every page its rows reach."""
    for result in rendered:
        e = result.check.evaluation
        level1 = {re.sub(r"\s+", "", s.indicator.name): s.indicator.level1 for s in e.scored}
        pages = [["".join(block) for block in page] for page in _pages(result.form.with_suffix(".pdf"))]
        rows = 0
        for n, page in enumerate(pages):
            if n:
                assert "一级指标" in page and "三级指标" in page, (result.form.name, n + 1)
            for name, group in level1.items():
                if name in page:                     # a row of the group on this page: its label too
                    assert group in page, (result.form.name, n + 1, name, group)
                    rows += 1
        assert rows >= len(level1) // 2, result.form.name


@needs_office
def test_the_pdfs_table_of_contents_shows_the_page_of_each_chapter(tmp_path):
    """Built with --toc --pdf: the 目录 lists each chapter with the page it starts on; the cover and
    the 目录 carry no page number and the first chapter starts on page 1."""
    result = build_workbook(write_workbook(tmp_path / "县.xlsx", county_water.data(评价机构="河北正信会计师事务所")),
                            tmp_path, force=True, pdf=True, toc=True)
    text = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    number = {}
    for k, page in enumerate(pages):
        found = re.findall(r"—\s*(\d+)\s*—", page)
        if found:
            number[k] = int(found[-1])
    assert 0 not in number and 1 not in number           # cover, 目录
    assert number[2] == 1
    contents = re.findall(r"^\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$", pages[1], re.M)
    assert len(contents) >= 15
    for title, page in contents:
        if re.match(r"[一二三四五六七]、", title):
            where = next(k for k, p in enumerate(pages[2:], start=2)
                         if re.search(rf"^\s*{re.escape(title)}\s*$", p, re.M))
            assert number[where] == int(page), (title, page)


@needs_office
def test_the_pdf_is_made_without_the_macro_too(tmp_path, monkeypatch):
    """Where LibreOffice does not run the macro (macros switched off), the plain conversion is made."""
    import perfeval.pdf as P
    monkeypatch.setattr(P, "MACRO_URL", "macro:///Standard.NoSuchModule.Convert")
    result = build_workbook(SEED004_XLSX, tmp_path, pdf=True)
    assert result.pdf.read_bytes().startswith(b"%PDF")
