"""The local web page, driven in a real browser (Chromium from the system's packages, installed by
.ci/run), against `perfeval serve -j 2` in a process of its own."""
import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from conftest import SEED000_XLSX, SEED004_XLSX, set_cells
from webserver import start_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if os.environ.get("CI") and not CHROMIUM:
    raise RuntimeError("CI must run the browser tests: .ci/run installs chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed")
playwright = pytest.importorskip("playwright.sync_api")
SHOTS = Path(os.environ.get("PERFEVAL_SCREENSHOTS", "")) if os.environ.get("PERFEVAL_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def server():
    proc, url = start_server("-j", "2")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


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
    page.click("#findings button.cell:text('B52')")
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


def tab_to(page, selector, limit=100):
    """Press Tab until the element focused matches ``selector`` (as a keyboard user moves)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline not in ("none", ""), f"{selector} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_page_is_used_with_the_keyboard_only(page):
    """Upload a workbook, open its findings and follow a cell link without the mouse."""
    choosers = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))     # taken over before any key is pressed
    page.wait_for_timeout(200)
    tab_to(page, "#drop")
    page.keyboard.press("Enter")
    for _ in range(100):
        if choosers:
            break
        page.wait_for_timeout(100)
    assert choosers, "Enter on the drop area opened no file chooser"
    choosers[0].set_files([str(SEED000_XLSX), str(SEED004_XLSX)])
    page.wait_for_selector("#results:not([hidden])", timeout=120_000)
    assert page.get_attribute("#bar", "aria-valuenow") == "2" and page.get_attribute("#bar", "aria-valuemax") == "2"
    assert "全部完成" in page.get_attribute("#bar", "aria-valuetext")
    assert page.locator("#detail").is_hidden()                     # two results: nothing opened yet
    tab_to(page, "#summary button.open")
    assert "住建厅综合平台使用费项目" in page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_selector("#detail:not([hidden])")
    assert page.evaluate("() => document.activeElement.id") == "detail-title"      # the reader is taken there
    assert "98.80" in page.inner_text("#detail-title")
    tab_to(page, "#findings button.cell")
    cell = page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press(" ")
    page.wait_for_selector("#sheet td.hit")
    assert cell in page.inner_text("#sheet-title") and page.evaluate("() => document.activeElement.id") == "sheet-title"
    shot(page, "5-键盘")


def test_more_than_200_files_are_refused_before_uploading(page, tmp_path):
    paths = []
    for i in range(201):
        p = tmp_path / f"{i:03d}.xlsx"
        p.write_bytes(b"PK")
        paths.append(str(p))
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.set_input_files("#files", paths)
    page.wait_for_function("() => document.querySelector('#message').textContent.length > 0")
    assert "一次最多上传 200 个文件，这次选择了 201 个" in page.inner_text("#message")
    assert page.locator("#progress").is_hidden() and not posts
    shot(page, "6-超过200个")


def test_an_answer_that_is_not_json_or_no_answer_at_all_shows_a_chinese_reason(page, tmp_path):
    page.route("**/api/batches", lambda route: route.fulfill(status=500, body="Internal Server Error",
                                                             content_type="text/plain"))
    page.set_input_files("#files", [str(SEED000_XLSX)])
    page.wait_for_function("() => document.querySelector('#message').textContent.length > 0", timeout=10_000)
    assert "perfeval 内部出错（HTTP 500）" in page.inner_text("#message") and page.locator("#progress").is_hidden()
    page.unroute("**/api/batches")
    page.route("**/api/batches", lambda route: route.abort())
    page.set_input_files("#files", [str(SEED004_XLSX)])
    page.wait_for_function("() => document.querySelector('#message').textContent.includes('无法连接')", timeout=10_000)
    assert page.locator("#progress").is_hidden()


def test_a_broken_files_detail_shows_its_reason(page, tmp_path):
    broken = tmp_path / "坏了.xlsx"
    broken.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    table = upload(page, broken, SEED004_XLSX)
    assert "坏了.xlsx" in table
    row = page.locator("#summary tr.pick", has_text="坏了.xlsx")
    assert row.locator("td.err").first.inner_text() == "—"           # no count of 0 errors
    row.locator("button.open").click()
    page.wait_for_selector("#detail-reason:not([hidden])")
    reason = page.inner_text("#detail-reason")
    assert "坏了.xlsx" in reason and "损坏" in reason
    assert page.locator("#findings").is_hidden() and "没有发现问题" not in page.inner_text("#detail")
    shot(page, "7-无法读取")


def test_a_workbook_with_errors_can_be_built_anyway_from_the_page(page, tmp_path):
    wrong = set_cells(shutil.copy(SEED000_XLSX, tmp_path / "有错误.xlsx"), {("支付", "D2"): "一百万"})
    table = upload(page, wrong)
    assert "仍然生成报告" in table and "--force" not in page.inner_text("body")
    assert "报告" not in page.locator("#summary td.links").inner_text()
    page.click("#summary button.action:text('仍然生成报告')")
    page.wait_for_selector("#summary td.links a:text('报告')", timeout=120_000)
    assert "（有错误，仅供参考）" in page.inner_text("#summary tbody")
    shot(page, "8-仍然生成")


def test_the_server_listens_on_loopback_only_by_default():
    from perfeval import web
    import inspect
    assert inspect.signature(web.serve).parameters["host"].default == "127.0.0.1"
