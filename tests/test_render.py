"""The reports as a reader sees them: rendered to PDF by LibreOffice (installed by .ci/run)."""
import os
import re
import shutil
import subprocess

import pytest

from perfeval.pipeline import build_workbook

from conftest import SEED000_XLSX, SEED004_XLSX

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
AVAILABLE = bool(SOFFICE and shutil.which("pdftotext"))
if os.environ.get("CI") and not AVAILABLE:
    raise RuntimeError("CI must render the reports: .ci/run installs LibreOffice and poppler-utils")
pytestmark = pytest.mark.skipif(not AVAILABLE, reason="LibreOffice and poppler-utils are not installed")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    docs = [build_workbook(p, out).report for p in (SEED000_XLSX, SEED004_XLSX)]
    profile = tmp_path_factory.mktemp("profile")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, docs)], check=True, capture_output=True, timeout=240)
    return [d.with_suffix(".pdf") for d in docs]


def pdftext(pdf):
    """The PDF's text without white space (pdftotext spaces out numbers between Chinese characters)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def test_reports_convert_and_show_their_chinese_text(pdfs):
    first, second = (pdftext(p) for p in pdfs)
    for heading in ("一、基本情况", "三、综合评价情况及评价结论", "四、绩效评价指标分析", "七、其他需要说明的问题"):
        assert heading in first
    assert "总分为98.8分" in first and "住建厅综合平台使用费项目" in first
    for heading in ("二、绩效自评工作组织情况", "四、绩效指标分析", "七、下一步工作计划"):
        assert heading in second
    assert "自评得分100分" in second


def test_chinese_text_is_set_in_a_cjk_font(pdfs):
    fonts = subprocess.run(["pdffonts", str(pdfs[0])], capture_output=True, text=True, check=True).stdout
    assert any(word in fonts for word in ("CJK", "Song", "Hei", "Kai", "Fang", "Ming", "WenQuanYi", "Droid"))


def test_page_numbers_are_printed(pdfs):
    text = pdftext(pdfs[0])
    assert "—1—" in text and "—2—" in text


MM = 72 / 25.4   # PDF points per millimetre


def words(pdf):
    """[(page, text, xMin, yMin, xMax, yMax)] in millimetres, and the page sizes."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages, out = [], []
    for n, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S)):
        w, h = (float(x) / MM for x in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        pages.append((w, h))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             page):
            x0, y0, x1, y1 = (float(v) / MM for v in m.groups()[:4])
            out.append((n, m.group(5), x0, y0, x1, y1))
    return pages, out


def test_pages_are_a4_and_text_stays_inside_the_margins(pdfs):
    for pdf in pdfs:
        pages, ws = words(pdf)
        assert all(abs(w - 210) < 1 and abs(h - 297) < 1 for w, h in pages)
        body = [w for w in ws if not re.fullmatch(r"—|\d+", w[1])]       # page numbers sit in the footer
        assert min(w[2] for w in body) >= 28 - 1, "text left of the left margin (28 mm)"
        # LibreOffice hangs a line-ending full-width punctuation mark into the margin (Word does
        # not: the styles forbid it); anything else must stay inside the 156 mm text block.
        hanging = "，。；：、！？）”’》"
        right = max(w[4] - (5.7 if w[1][-1] in hanging else 0) for w in body)
        assert right <= 210 - 26 + 1, "text right of the right margin (26 mm): a table too wide?"
        assert min(w[3] for w in body) >= 37 - 1, "text above the top margin (37 mm)"
        assert max(w[5] for w in body) <= 297 - 35 + 1, "text below the bottom margin (35 mm)"
        footer = [w for w in ws if re.fullmatch(r"\d+", w[1]) and w[3] > 297 - 35]
        assert footer, "no page numbers in the footer"


def test_odd_page_numbers_right_even_left(pdfs):
    pages, ws = words(pdfs[0])
    numbers = {w[0]: w for w in ws if re.fullmatch(r"\d+", w[1]) and w[3] > 297 - 35}
    assert numbers[0][1] == "1" and numbers[0][2] > 105    # page 1 (odd): right half
    assert numbers[1][1] == "2" and numbers[1][4] < 105    # page 2 (even): left half


def test_every_chapter_heading_and_the_total_score_appear(pdfs):
    from perfeval.report.outline import headings
    from perfeval.report.numbering import label as heading_number
    from perfeval.schema import ReportType
    for pdf, kind in zip(pdfs, (ReportType.EVALUATION, ReportType.SELF)):
        text = pdftext(pdf)
        chapters = [t for level, t in headings(kind) if level == 1]
        for i, title in enumerate(chapters, start=1):
            assert heading_number(1, i) + title in text
    assert "总分为98.8分" in pdftext(pdfs[0])


def test_no_page_is_empty(pdfs):
    for pdf in pdfs:
        pages, ws = words(pdf)
        for n in range(len(pages)):
            content = [w for w in ws if w[0] == n and not re.fullmatch(r"—|\d+", w[1])]
            assert len(content) > 5, f"{pdf.name}: page {n + 1} is empty"


def test_charts_render_their_chinese_labels(pdfs):
    text = pdftext(pdfs[0])
    assert "各预算项目预算与实际支出" in text and "各一级指标得分率" in text


# ---------------------------------------------------------------- tables across page breaks
def _blocks(pdf):
    """Each page's text blocks (a table cell is a block of its own), white space removed."""
    import html
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [[html.unescape("".join(re.findall(r">([^<]*)</word>", block)))
             for block in re.findall(r"<block.*?</block>", page, re.S)]
            for page in re.findall(r"<page.*?</page>", out, re.S)]


def _cut_labels(pdf, labels):
    """Labels that a page break cuts in two: one block ends a page with the start of the label and
    a block on the next page holds the rest."""
    pages = _blocks(pdf)
    cut = []
    for p in range(len(pages) - 1):
        here, there = set(pages[p]), set(pages[p + 1])
        cut += [(p + 1, label) for label in labels for k in range(1, len(label))
                if label[:k] in here and label[k:] in there]
    return cut


@pytest.fixture(scope="module")
def big_pdfs(tmp_path_factory):
    import big_workbooks
    from perfeval.template import write_workbook
    out = tmp_path_factory.mktemp("big")
    sources = [SEED000_XLSX, SEED004_XLSX,
               write_workbook(out / "评价60.xlsx", big_workbooks.evaluation_with_60_indicators()),
               write_workbook(out / "自评60.xlsx", big_workbooks.self_evaluation_with_60_indicators())]
    results = [build_workbook(p, out) for p in sources]
    profile = tmp_path_factory.mktemp("profile")
    files = [r.report for r in results] + [r.form for r in results]
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, files)], check=True, capture_output=True, timeout=400)
    return [(r, r.report.with_suffix(".pdf"), r.form.with_suffix(".pdf")) for r in results]


def test_no_merged_label_is_cut_by_a_page_break(big_pdfs):
    for result, report, _ in big_pdfs:
        e = result.check.evaluation
        labels = {g.name for g in e.level1} | {g.name for g in e.level2}
        assert _cut_labels(report, labels) == [], report.name


def test_a_long_group_shows_its_label_again_on_later_pages(big_pdfs):
    """评价60's 效益 group runs over pages: its 一级 and 二级 labels are printed more than once."""
    result, report, _ = big_pdfs[2]
    cells = [b for page in _blocks(report) for b in page]
    assert cells.count("项目效益") >= 3
    assert sum(1 for page in _blocks(report) if "效益" in page) >= 2


def test_the_printed_self_evaluation_form_keeps_its_total_with_the_indicators(big_pdfs):
    for _, _, form in big_pdfs:
        pages = subprocess.run(["pdftotext", "-layout", str(form), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        pages = [re.sub(r"\s+", "", p) for p in pages if p.strip()]
        last = pages[-1]
        assert "总分" in last and len(last) > len("总分") + 20, (form.name, last)    # never alone
        assert "项目支出绩效自评表" in pages[0]


def test_reports_round_trip_through_libreoffice(tmp_path_factory):
    """Opened and saved again as .docx by LibreOffice, a report keeps its headings, text and tables."""
    import docx
    out = tmp_path_factory.mktemp("roundtrip")
    reports = [build_workbook(p, out / "a").report for p in (SEED000_XLSX, SEED004_XLSX)]
    profile = tmp_path_factory.mktemp("profile")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(out / "b"), *map(str, reports)],
                   check=True, capture_output=True, timeout=240)
    for original in reports:
        again = docx.Document(out / "b" / original.name)
        before = docx.Document(original)
        heads = lambda d: [p.text for p in d.paragraphs if p.text and p.style.name.startswith(("Heading", "标题"))]  # noqa: E731
        assert heads(again) == heads(before) and len(heads(before)) > 20
        text = lambda d: [p.text for p in d.paragraphs if p.text.strip()]  # noqa: E731
        assert text(again) == text(before)
        cells = lambda d: [c.text for t in d.tables for row in t.rows for c in row.cells]  # noqa: E731
        assert set(cells(before)) <= set(cells(again)) and len(again.tables) == len(before.tables)
