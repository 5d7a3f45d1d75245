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
    assert "总分为100分" in second


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
    from perfeval.figures import heading_number
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
