"""The reports as a reader sees them: rendered to PDF by LibreOffice (installed by .ci/run)."""
import os
import re
import shutil
import subprocess
import sys

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
