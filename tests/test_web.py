"""The local web page, driven in a real browser (Chromium from the system's packages, installed by
.ci/run), against `python -m perfeval.web` in a process of its own."""
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import SEED000_XLSX, SEED004_XLSX

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if os.environ.get("CI") and not CHROMIUM:
    raise RuntimeError("CI must run the browser tests: .ci/run installs chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed")
playwright = pytest.importorskip("playwright.sync_api")
SHOTS = Path(os.environ.get("PERFEVAL_SCREENSHOTS", "")) if os.environ.get("PERFEVAL_SCREENSHOTS") else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    env = dict(os.environ, PERFEVAL_PORT=str(port))
    proc = subprocess.Popen([sys.executable, "-m", "perfeval.web"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import httpx
    for _ in range(100):
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    page.goto(server)
    yield page
    page.close()


def shot(page, name):
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def upload(page, *paths, timeout=120_000):
    page.set_input_files("#files", [str(p) for p in paths])
    page.wait_for_selector("#results:not([hidden])", timeout=timeout)
    return page.inner_text("#summary tbody")


def test_the_page_is_chinese_and_offers_the_template(page, server):
    import httpx
    assert "项目支出绩效评价" in page.title() and "不会发送到任何地方" in page.inner_text("header")
    reply = httpx.get(server + "/template")
    assert reply.status_code == 200 and reply.content[:2] == b"PK"


def test_upload_the_example_see_its_score_findings_and_download_the_report(page, server, tmp_path):
    import docx
    table = upload(page, SEED000_XLSX)
    assert "98.80" in table and "优" in table
    shot(page, "1-结果")
    findings = page.inner_text("#findings")
    assert "【文字说明】" in findings and "B52" in findings
    page.click("#findings a.cell:text('B52')")
    page.wait_for_selector("#sheet td.hit")
    assert "文字说明" in page.inner_text("#sheet-title") and "B52" in page.inner_text("#sheet-title")
    hit = page.inner_text("#sheet td.hit")
    assert hit.startswith("项目决算指标由3个二级指标")            # the cell the finding names
    shot(page, "2-单元格")
    with page.expect_download() as download:
        page.click("#summary a:text('报告')")
    path = tmp_path / "报告.docx"
    download.value.save_as(path)
    assert "住建厅综合平台使用费项目绩效评价报告" in [p.text for p in docx.Document(path).paragraphs][:8]
    assert page.inner_text("#scores tbody").count("\n") >= 4 and page.locator("#chart-rate svg rect").count() == 5


def test_a_broken_file_gets_the_clis_message_and_the_server_keeps_serving(page, server, tmp_path):
    renamed = tmp_path / "其实是文档.xlsx"
    import docx
    d = docx.Document()
    d.add_paragraph("不是工作簿")
    d.save(renamed)
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    big = tmp_path / "很大.xlsx"
    with open(big, "wb") as fh:
        fh.write(b"PK" + os.urandom(1024) * (100 * 1024))          # 100 MB
    table = upload(page, renamed, bomb, big)
    shot(page, "3-错误文件")
    assert "这是改了扩展名的Word 文档，不是 Excel 工作簿" in table
    assert "炸弹.xlsx" in table and "已拒绝读取" in table
    assert "很大.xlsx" in table and "超过 20 MB" in table
    again = upload(page, SEED004_XLSX)                                # still serving
    assert "100.00" in again


def test_a_batch_of_twenty_finishes_with_a_zip(page, server, tmp_path):
    import openpyxl
    paths = []
    for i in range(20):
        p = tmp_path / f"项目{i:02d}.xlsx"
        shutil.copy(SEED000_XLSX if i % 2 else SEED004_XLSX, p)
        paths.append(p)
    page.set_input_files("#files", [str(p) for p in paths])
    page.wait_for_selector("#progress:not([hidden])")
    seen = set()
    for _ in range(600):                                   # the page answers while the batch runs
        seen.add(page.inner_text("#count"))
        if not page.locator("#results").is_hidden():
            break
        time.sleep(0.2)
    shot(page, "4-批量")
    assert any(text.startswith("已处理") for text in seen)
    assert page.locator("#summary tr.pick").count() == 20
    with page.expect_download() as download:
        page.click("#zip")
    data = io.BytesIO(download.value.path().read_bytes())
    names = zipfile.ZipFile(data).namelist()
    assert {"汇总表.xlsx", "汇总分析报告.docx"} <= set(names) and sum(n.endswith(".docx") for n in names) == 21
    zipfile.ZipFile(data).extract("汇总表.xlsx", tmp_path)
    rows = list(openpyxl.load_workbook(tmp_path / "汇总表.xlsx")["项目汇总"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 20


def test_the_server_listens_on_loopback_only_by_default():
    from perfeval import web
    import inspect
    assert inspect.signature(web.serve).parameters["host"].default == "127.0.0.1"
