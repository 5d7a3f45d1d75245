"""The web server as any page on the user's PC can reach it: who may use it, how much work it takes
on, and the names it is sent (in-process; the browser tests are in test_web.py)."""
import io
import json
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import SEED000_XLSX, SEED004_XLSX, set_cells

pytest.importorskip("starlette")
pytest.importorskip("httpx")
pytest.importorskip("python_multipart")
pytest.importorskip("psutil")
uvicorn = pytest.importorskip("uvicorn")
import httpx  # noqa: E402

from perfeval import web  # noqa: E402
from perfeval.batch import FAILED, OK, Task  # noqa: E402
from perfeval.web import create_app  # noqa: E402

class Server:
    def __init__(self, app, client, root: Path, port: int, token: str):
        self.app, self.client, self.root, self.port, self.token = app, client, root, port, token
        self.base = f"http://127.0.0.1:{port}"

    def own(self, **extra) -> dict:
        """The headers the page itself sends with a request that changes something."""
        return {"Origin": self.base, "X-Perfeval-Token": self.token, **extra}

    def upload(self, files, headers=None):
        """POST a multipart upload written by hand, so that any name goes as it is (NUL, backslash,
        slash and all): files = [(name, bytes)]."""
        body, kind = multipart(files)
        return self.client.post("/api/batches", content=body,
                                headers=self.own(**{"Content-Type": kind}) if headers is None else
                                {"Content-Type": kind, **headers})

    def wait(self, batch_id: str, timeout: float = 120) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            state = self.client.get(f"/api/batches/{batch_id}").json()
            if state["结束"]:
                return state
            time.sleep(0.1)
        raise AssertionError(f"batch {batch_id} did not finish")

    def batches(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if not p.name.startswith(".")) if self.root.exists() else []


def multipart(files) -> tuple[bytes, str]:
    boundary = "----perfevaltest7MA4YWxkTrZu0gW"
    out = io.BytesIO()
    for name, data in files:
        raw = name.encode("utf-8") if isinstance(name, str) else name
        out.write(f"--{boundary}\r\n".encode())
        out.write(b'Content-Disposition: form-data; name="files"; filename="' + raw + b'"\r\n')
        out.write(b"Content-Type: application/octet-stream\r\n\r\n")
        out.write(data)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """The application served by uvicorn on a free port of 127.0.0.1 (in a thread of this process)."""
    root, port = tmp_path / "服务器的文件夹", free_port()
    app = create_app(root=root, jobs=2, convert=False, port=port)
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not running.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        token = re.search(r'name="perfeval-token" content="([^"]+)"', client.get("/").text).group(1)
        yield Server(app, client, root, port, token)
    running.should_exit = True
    thread.join(timeout=60)
    assert not root.exists()                                    # the outputs go when the server stops


# ---------------------------------------------------------------- only this PC's own page
def test_a_request_for_another_host_is_refused_on_every_route(server):
    app, port = server.app, server.port
    asked = [("GET", "/nothing"), ("GET", "/api/batches/"), ("POST", "/api/batches/"), ("OPTIONS", "/"),
             ("PUT", "/api/batches")]
    for route in app.routes:
        for method in sorted(route.methods):
            asked.append((method, re.sub(r"\{[^}]+\}", "x", route.path)))
    assert {p for _, p in asked} >= {"/", "/template", "/favicon.ico", "/api/batches", "/api/batches/x",
                                     "/api/batches/x/rerun", "/api/batches/x/files/x", "/api/batches/x/sheet"}
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", f"127.0.0.1:{port + 1}",
                 "localhost", f"192.168.1.20:{port}"):
        for method, path in asked:
            reply = server.client.request(method, path, headers=server.own(Host=host), follow_redirects=False)
            assert reply.status_code == 400, (host, method, path, reply.status_code)
            assert "location" not in reply.headers
            assert reply.headers["x-frame-options"] == "DENY"
            assert method == "HEAD" or "已拒绝" in reply.json()["错误"]
    assert server.batches() == []
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert server.client.get("/", headers={"Host": host}).status_code == 200
    slash = server.client.get("/api/batches/", follow_redirects=False)
    assert slash.status_code == 404 and "location" not in slash.headers        # no redirect naming a host


def test_the_address_given_with_host_is_served_too():
    hosts = web.allowed_hosts("192.168.1.20", 8080)
    assert {"192.168.1.20:8080", "127.0.0.1:8080", "localhost:8080", "[::1]:8080"} <= hosts
    assert "192.168.1.20:8765" not in hosts and "evil.example:8080" not in hosts
    assert "[fe80::1]:8765" in web.allowed_hosts("fe80::1", 8765)


def test_an_upload_or_a_rerun_needs_the_pages_origin_and_token(server):
    files = [("项目.xlsx", SEED000_XLSX.read_bytes())]
    refused = [
        {},                                                         # a hand-made request: no Origin
        {"Origin": "http://evil.example"},                          # another site's page, or its form
        {"Origin": "null"},                                         # a sandboxed frame or a file:// page
        {"Origin": f"http://localhost:{server.port}", "X-Perfeval-Token": server.token},  # another origin
        {"Origin": server.base},                                    # our origin, no token
        {"Origin": server.base, "X-Perfeval-Token": "guessed"},
    ]
    for headers in refused:
        reply = server.upload(files, headers=headers)
        assert reply.status_code == 403, headers
        assert "拒绝" in reply.json()["错误"] or "刷新网页" in reply.json()["错误"]
        rerun = server.client.post("/api/batches/x/rerun", json={"序号": 0}, headers=headers)
        assert rerun.status_code == 403
    assert server.batches() == []                                   # nothing was made
    ok = server.upload(files)
    assert ok.status_code == 200 and server.wait(ok.json()["编号"])["结果"][0]["状态"] == OK


def test_every_response_forbids_framing_and_the_page_runs_only_its_own_script(server):
    page = server.client.get("/")
    csp = page.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert re.findall(r"<script[^>]*>", page.text) == [f'<script nonce="{nonce}">']
    assert " style=" not in page.text and " onclick=" not in page.text       # nothing inline the policy would block
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    for path in ("/api/batches/nothing", "/favicon.ico", "/template"):
        reply = server.client.get(path)
        assert reply.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in reply.headers["content-security-policy"]
        assert reply.headers["x-content-type-options"] == "nosniff"
    icon = server.client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.content.startswith(b"<svg")


# ---------------------------------------------------------------- names
NAMES = ["中" * 300 + ".xlsx", "a/..", "..", "a\x00b.xlsx", "CON.xlsx", r"..\..\Windows\win.ini", "../../etc/passwd",
         "报表", "其实是新版.xls", "项目（第2批） .xlsx.", "\u202eslx.exe.xlsx", "a:b*c?.xlsx", "x" * 254 + ".xlsx"]


def test_any_name_gives_a_result_or_a_chinese_reason_and_never_names_a_server_folder(server):
    for name in NAMES:
        reply = server.upload([(name, SEED000_XLSX.read_bytes())])
        assert reply.status_code == 200, (name, reply.status_code, reply.text)
        state = server.wait(reply.json()["编号"])
        text = json.dumps(state, ensure_ascii=False)
        assert str(server.root) not in text and "/tmp" not in text and "Error" not in text, name
        [result] = state["结果"]
        assert result["状态"] == OK and result["总分"] == 98.8, (name, result["原因"])
        assert "/" not in result["文件"] and "\\" not in result["文件"] and "\x00" not in result["文件"]
        for kind, file in result["下载"].items():
            assert len(file.encode("utf-8")) < 255
            got = server.client.get(f"/api/batches/{state['编号']}/files/{file}")
            assert got.status_code == 200 and got.content[:2] == b"PK", (name, kind)
    assert len(server.batches()) == len(NAMES)
    inside = [p for p in server.root.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(server.root.resolve()) for p in inside)
    assert all(len(p.name.encode("utf-8")) <= 255 for p in inside)


def test_the_page_shows_the_users_own_name_and_two_files_of_one_name_are_both_kept(server):
    long = "某某县农村饮水安全工程维修养护项目" * 8 + "第3批.xlsx"
    reply = server.upload([(long, SEED000_XLSX.read_bytes()), ("表.xlsx", SEED000_XLSX.read_bytes()),
                           ("表.xlsx", SEED004_XLSX.read_bytes())])
    state = server.wait(reply.json()["编号"])
    assert [r["文件"] for r in state["结果"]] == [long, "表.xlsx", "表-2.xlsx"]
    assert [r["总分"] for r in state["结果"]] == [98.8, 98.8, 100.0]
    report = state["结果"][0]["下载"]["报告"]
    assert report.endswith("第3批.docx") and "…" in report           # cut in the middle: the end tells them apart


def test_a_refused_upload_leaves_nothing_behind_and_says_why_in_chinese(server):
    small = b"PK" + b"0" * 100
    cases = [
        (server.upload([(f"{i}.xlsx", small) for i in range(201)]), 413, "一次最多上传 200 个文件"),
        (server.client.post("/api/batches", content=b"not multipart", headers=server.own(**{"Content-Type": "text/plain"})),
         400, "请在页面上选择"),
        (server.client.post("/api/batches", content=b"--x\r\nbroken", headers=server.own(**{
            "Content-Type": "multipart/form-data; boundary=x"})), 400, "不完整"),
        (server.upload([]), 400, "没有收到文件"),
    ]
    for reply, status, words in cases:
        assert reply.status_code == status and words in reply.json()["错误"], reply.text
    assert server.batches() == []


def test_a_file_over_the_limit_is_refused_and_the_others_are_processed(server, monkeypatch):
    monkeypatch.setattr(web, "MAX_FILE_MB", 1)
    reply = server.upload([("大.xlsx", b"PK" + b"0" * (1024 * 1024 + 10)), ("项目.xlsx", SEED004_XLSX.read_bytes())])
    state = server.wait(reply.json()["编号"])
    assert [r["文件"] for r in state["拒绝"]] == ["大.xlsx"] and "超过 1 MB" in state["拒绝"][0]["原因"]
    assert [r["总分"] for r in state["结果"]] == [100.0]
    assert not any("大" in p.name for p in server.root.rglob("*"))


def test_uploads_stream_to_disk_and_the_limits_are_checked_while_reading(tmp_path):
    """Three 19 MB files and one of 25 MB pass through a few MB of memory; the one over 20 MB is
    dropped as it passes the limit; more than the limit for the whole request stops the reading."""
    import tracemalloc

    import anyio

    from perfeval.webupload import UploadRefused, receive
    body, kind = multipart([("a.xlsx", b"a" * (19 << 20)), ("b.xlsx", b"b" * (25 << 20)),
                            ("c.xlsx", b"c" * (19 << 20)), ("d.xlsx", b"d" * (19 << 20))])

    class Request:
        def __init__(self, declared=True):
            self.headers = {"content-type": kind, **({"content-length": str(len(body))} if declared else {})}
            self.sent = 0

        async def stream(self):
            for k in range(0, len(body), 64 * 1024):
                self.sent = k
                yield body[k:k + 64 * 1024]

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    got = anyio.run(receive, Request(), tmp_path / "in", 200, 20 << 20, 1 << 30)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    assert peak < 4 << 20, peak
    assert [u.name for u in got.files] == ["a.xlsx", "c.xlsx", "d.xlsx"] and [r["文件"] for r in got.rejected] == ["b.xlsx"]
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == ["a.xlsx", "c.xlsx", "d.xlsx"]
    assert (tmp_path / "in" / "c.xlsx").stat().st_size == 19 << 20
    # over the limit for the request: refused from its declared length, or while reading when it has none
    with pytest.raises(UploadRefused, match="合计超过 50 MB"):
        anyio.run(receive, Request(), tmp_path / "in2", 200, 20 << 20, 50 << 20)
    undeclared = Request(declared=False)
    with pytest.raises(UploadRefused, match="合计超过 50 MB"):
        anyio.run(receive, undeclared, tmp_path / "in3", 200, 20 << 20, 50 << 20)
    assert undeclared.sent < 51 << 20                                    # it stopped reading there


# ---------------------------------------------------------------- messages and the zip
def test_a_workbook_with_errors_offers_to_build_anyway_and_names_no_command_line_option(server, tmp_path):
    wrong = set_cells(shutil.copy(SEED000_XLSX, tmp_path / "有错误.xlsx"), {("支付", "D2"): "一百万"})
    state = server.wait(server.upload([("有错误.xlsx", wrong.read_bytes())]).json()["编号"])
    [result] = state["结果"]
    assert result["状态"] == "有错误" and result["可强制"] and "报告" not in result["下载"]
    assert "--force" not in result["原因"] and "仍然生成报告" in result["原因"]
    assert any(f["单元格"] == "D2" and f["工作表"] == "支付" for f in result["发现"])
    again = server.client.post(f"/api/batches/{state['编号']}/rerun", json={"序号": 0}, headers=server.own())
    assert again.status_code == 200
    [built] = server.wait(state["编号"])["结果"]
    assert built["状态"] == "有错误" and "报告" in built["下载"] and not built["可强制"]
    assert "仅供参考" in (built["总分状态"] or "")


def test_a_broken_file_says_why_and_is_not_counted_as_without_findings(server):
    state = server.wait(server.upload([("坏.xlsx", b"PK\x03\x04 not really a zip")]).json()["编号"])
    [result] = state["结果"]
    assert result["无法处理"] and result["状态"] == "无法读取" and "坏.xlsx" in result["原因"]
    assert re.search(r"[\u4e00-\u9fff]", result["原因"]) and not re.search(r"[A-Z][a-z]+(Error|Exception)", result["原因"])


def test_a_single_workbooks_zip_holds_its_summary(server):
    state = server.wait(server.upload([("一个.xlsx", SEED000_XLSX.read_bytes())]).json()["编号"])
    reply = server.client.get(f"/api/batches/{state['编号']}/files/全部.zip")
    names = zipfile.ZipFile(io.BytesIO(reply.content)).namelist()
    assert "汇总表.xlsx" in names and "一个.docx" in names
    assert state["汇总表"] == "汇总表.xlsx"


def test_the_outputs_of_old_batches_expire(server, monkeypatch):
    monkeypatch.setattr(web, "KEEP_BATCHES", 2)
    ids = [server.wait(server.upload([(f"{i}.xlsx", b"not a workbook")]).json()["编号"])["编号"] for i in range(3)]
    assert server.batches() == sorted(ids[1:])
    gone = server.client.get(f"/api/batches/{ids[0]}")
    assert gone.status_code == 404 and "已过期" in gone.json()["错误"]
    batch = server.app.state.batches.all[ids[1]]
    batch.finished_at -= web.KEEP_SECONDS + 1                     # a day later
    assert server.client.get(f"/api/batches/{ids[1]}").status_code == 404
    assert server.batches() == [ids[2]]


def test_the_sheet_view_shows_columns_after_z_dates_as_the_workbook_shows_them_and_the_frozen_header(tmp_path):
    import datetime as dt

    import openpyxl

    from perfeval.sheetview import sheet_view
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "支付"
    ws.append(["支付日期", "金额"] + [f"列{i}" for i in range(3, 31)])
    for i in range(2, 400):
        ws.append([dt.datetime(2023, 1, 1) + dt.timedelta(days=i), 1234.5 * i])
        ws.cell(i, 1).number_format = 'yyyy"年"m"月"d"日"'
        ws.cell(i, 2).number_format = "#,##0.00"
    ws["A5"].number_format = "mm-dd-yy"                            # Excel's built-in short date
    ws["AD300"] = "这里"
    ws.freeze_panes = "A2"
    wb.save(tmp_path / "表.xlsx")
    view = sheet_view(tmp_path / "表.xlsx", "支付", "AD300")
    assert view["列"][:3] == ["A", "B", "C"] and view["列"][26:30] == ["AA", "AB", "AC", "AD"]
    assert [row[1][0] for row in view["冻结"]] == ["支付日期"]            # the header row stays
    rows = dict((n, values) for n, values in view["行"])
    assert rows[300][29] == "这里" and view["单元格"] == [300, 30]
    assert rows[299][0] == "2023年10月27日" and rows[299][1] == "369,115.50"
    first = sheet_view(tmp_path / "表.xlsx", "支付")
    assert dict(first["行"])[5][0] == "2023/1/6"


# ---------------------------------------------------------------- one queue for the server
def test_waiting_in_the_queue_never_counts_against_a_files_time_limit(tmp_path):
    """One worker, a limit of 3 s, three files of 2 s each sent at once: the last waits 4 s and still
    finishes."""
    from perfeval.webqueue import Batch, WorkQueue
    import queue_tasks
    finished = threading.Event()
    work = WorkQueue(1, scratch=tmp_path / "run", target=queue_tasks.nap, on_finished=lambda b: finished.set())
    try:
        paths = [tmp_path / f"{i}" / "2.xlsx" for i in range(3)]
        batch = Batch("b", tmp_path, ["2.xlsx"] * 3, paths)
        work.submit(batch, [(i, Task(str(p), timeout=3)) for i, p in enumerate(paths)])
        time.sleep(0.5)
        assert work.place(batch) == 0 and batch.running == 1
        assert finished.wait(30)
        assert [r[0].status for r in batch.records] == [OK, OK, OK], [r[0].reason for r in batch.records]
        assert work.most_running == 1
    finally:
        work.stop()


def test_a_timeout_caused_by_load_does_not_blame_the_file(tmp_path):
    """A file that gets no processor time while every processor is busy with other programs is
    stopped at its limit with a message that says so, and the page can run it again."""
    import os
    import subprocess
    import sys

    from perfeval.webqueue import Batch, WorkQueue, caused_by_load
    import queue_tasks
    assert caused_by_load(120, cpu=20, busy=0.95) and not caused_by_load(120, cpu=100, busy=0.95)
    assert not caused_by_load(120, cpu=2, busy=0.1)             # an idle PC and a stuck file: the file
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2 * (os.cpu_count() or 1))]
    finished = threading.Event()
    work = WorkQueue(1, scratch=tmp_path / "run", target=queue_tasks.nap, on_finished=lambda b: finished.set())
    try:
        batch = Batch("b", tmp_path, ["10.xlsx"], [tmp_path / "10.xlsx"])
        work.submit(batch, [(0, Task(str(tmp_path / "10.xlsx"), timeout=3))])
        assert finished.wait(30)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        work.stop()
    [record] = batch.records[0]
    assert record.status == FAILED and "电脑非常繁忙" in record.reason and "并不是文件本身的问题" in record.reason
    assert "可能文件过大" not in record.reason and batch.retry == {0}


def test_thirty_uploads_at_once_run_at_most_two_workbooks_and_one_libreoffice_and_all_finish(tmp_path):
    """`perfeval serve -j 2` sent 30 single-workbook uploads at the same moment (as a page could):
    the server's processes are watched all along."""
    import psutil
    from concurrent.futures import ThreadPoolExecutor

    from perfeval.pdf import find_office
    from webserver import start_server, token_of
    proc, url = start_server("-j", "2")
    server = psutil.Process(proc.pid)
    most = {"workers": 0, "office": 0}
    watching = threading.Event()

    def watch():
        while not watching.is_set():
            workers = office = 0
            for p in server.children(recursive=True):
                try:
                    parent, line = p.ppid(), " ".join(p.cmdline())
                    if parent == proc.pid and "python" not in p.name():
                        office += 1                              # one run of LibreOffice (oosplash/soffice)
                    elif parent != proc.pid and "multiprocessing.forkserver" in line:
                        workers += 1                             # forked by the forkserver: a worker
                except psutil.Error:
                    pass
            most["workers"], most["office"] = max(most["workers"], workers), max(most["office"], office)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        token, seed = token_of(url), SEED000_XLSX.read_bytes()

        def send(i):
            return httpx.post(f"{url}/api/batches", files={"files": (f"项目{i:02d}.xlsx", seed)},
                              headers={"Origin": url, "X-Perfeval-Token": token}, timeout=60)
        with ThreadPoolExecutor(30) as pool:
            replies = list(pool.map(send, range(30)))
        assert [r.status_code for r in replies] == [200] * 30
        ids, states, places = [r.json()["编号"] for r in replies], {}, []
        end = time.monotonic() + 600
        while len(states) < 30 and time.monotonic() < end:
            for batch_id in ids:
                if batch_id not in states:
                    state = httpx.get(f"{url}/api/batches/{batch_id}").json()
                    places.append(state["排队"])
                    if state["结束"]:
                        states[batch_id] = state
            time.sleep(0.2)
    finally:
        watching.set()
        watcher.join()
        proc.terminate()
        proc.wait(timeout=60)
    assert len(states) == 30
    results = [states[i]["结果"][0] for i in ids]
    assert [r["状态"] for r in results] == [OK] * 30 and {r["总分"] for r in results} == {98.8}
    assert max(p or 0 for p in places) >= 10                  # the later uploads were told their place
    assert 1 <= most["workers"] <= 2, most
    if find_office():
        assert all("PDF" in r["下载"] for r in results)
        assert most["office"] == 1, most


def test_without_the_web_extra_serve_says_how_to_install_it(monkeypatch):
    import sys

    from click.testing import CliRunner

    from perfeval.cli import cli
    monkeypatch.delitem(sys.modules, "perfeval.web", raising=False)
    monkeypatch.setitem(sys.modules, "uvicorn", None)                 # `import uvicorn` fails
    result = CliRunner().invoke(cli, ["serve", "--no-browser"])
    assert result.exit_code != 0 and 'pip install "perfeval[web]"' in result.output
    assert "Traceback" not in result.output
