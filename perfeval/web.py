"""perfeval serve: the CLI's work on a page in the browser, on the user's own machine.

A small Starlette application served by uvicorn on 127.0.0.1. Any website the user visits can
send requests to it, so it answers only requests addressed to it by its own name (no DNS
rebinding), changes nothing unless asked by its own page (Origin and a per-server token), and
lets no other page frame it. Uploads stream to a private temporary folder under safe names; every
file of every upload waits in one queue (webqueue.py) that runs at most --jobs workbooks and one
LibreOffice at a time, through the same library calls as ``perfeval build``. Outputs are kept for
the newest batches of the last day, and removed when the server stops. Nothing is sent anywhere.
"""
from __future__ import annotations

import contextlib
import hmac
import json
import os
import re
import secrets
import shutil
import socket
import tempfile
import threading
import time
import webbrowser
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

# perfeval[web]: where these are missing, `perfeval serve` says how to install them
import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from . import figures as F
from .batch import NO_MEMORY_LIMIT, Task, memory_limit_available
from .desk import write_batch_outputs
from .errors import UploadRefused, WorkbookError
from .limits import DEFAULT_TIMEOUT
from .outputs import TEMPLATE_NAME, Outputs
from .pdf import find_office
from .record import FAILED, HAS_ERRORS, PROVISIONAL, UNREADABLE, form_label
from .sheetview import sheet_view
from .template import write_workbook
from .webqueue import Batch, WorkQueue
from .webupload import receive

MAX_FILE_MB = 20          # far above any real workbook (the seed-000 example is 60 KB)
MAX_FILES = 200
MAX_REQUEST_MB = 1024     # all files of one upload together
MAX_WAITING = 2000        # files waiting in the queue before new uploads are refused
KEEP_BATCHES = 20         # the outputs of the newest finished batches are kept…
KEEP_SECONDS = 24 * 3600  # …for a day
TOKEN_HEADER = "X-Perfeval-Token"
PAGE = Path(__file__).with_name("web_page.html")
ICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" '
        b'fill="#1f4e79"/><path d="M8 23V9h9a5 5 0 0 1 0 10h-5v4z" fill="#fff"/></svg>')
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
DEFAULT_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


# ---------------------------------------------------------------- who may use the server
def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers of requests meant for this server: its loopback names and the address it
    was given, with the port (without it too on port 80). A request naming any other host was sent
    to a name that merely resolves here (DNS rebinding) and is refused."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    if host in ("0.0.0.0", "::", ""):                  # every address of this PC
        names.add(socket.gethostname().lower())
        try:
            for info in socket.getaddrinfo(socket.gethostname(), None):
                address = info[4][0]
                names.add(f"[{address}]" if ":" in address else address)
        except OSError:
            pass
    else:
        names.add(f"[{host}]" if ":" in host and not host.startswith("[") else host.lower())
    out = {f"{n}:{port}" for n in names}
    if port == 80:
        out |= names
    return out


class Guard:
    """ASGI middleware in front of every route: a foreign Host is refused with 400; a request that
    changes something (any method but GET/HEAD) without this page's Origin and token with 403; every
    response carries the framing and content-security headers."""

    def __init__(self, app, hosts: set[str], token: str):
        self.app, self.hosts, self.token = app, hosts, token

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":           # the page uses none
            return await send({"type": "websocket.close", "code": 1008})
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get(b"host", "").lower()
        if host not in self.hosts:
            return await _refuse(send, 400, "这个地址不是本机 perfeval 网页的地址，请求已拒绝。"
                                 "请在浏览器中打开 perfeval serve 显示的地址（如 http://127.0.0.1:8765/）。")
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get(b"origin", "")
            token = headers.get(TOKEN_HEADER.lower().encode(), "")
            if origin != f"http://{host}":
                return await _refuse(send, 403, "只接受本机 perfeval 网页自己发出的请求，已拒绝。请在 perfeval 网页上操作。")
            if not hmac.compare_digest(token.encode(), self.token.encode()):
                return await _refuse(send, 403, "网页已过期（服务重新启动过），请刷新网页后再操作。")

        async def secured(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in SECURITY_HEADERS if h[0] not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", DEFAULT_CSP))
                if b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                message = dict(message, headers=list(message.get("headers", [])) + extra)
            await send(message)
        await self.app(scope, receive, secured)


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"错误": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"), (b"content-security-policy", DEFAULT_CSP)] + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})


# ---------------------------------------------------------------- what the page is told
_EXCEPTION = re.compile(r"（[A-Za-z_][\w.]*(?:Error|Exception|Warning|Expired|Exit)\b[^）]*）")
_OS_REASONS = (("Errno 36", "文件名过长"), ("Errno 28", "磁盘已满"), ("Errno 13", "没有写入权限"),
               ("No space", "磁盘已满"), ("too long", "文件名过长"), ("ermission", "没有写入权限"))


def page_text(text: str, batch: Batch) -> str:
    """A message as the page shows it: the upload's own name instead of the name it was saved
    under, no folder of the server, and no exception's English text."""
    if not text:
        return text
    for folder in (batch.folder / "in", batch.folder / "out", batch.folder):
        for form in {str(folder), str(folder).replace("\\", "/")}:
            text = text.replace(form + os.sep, "").replace(form + "/", "").replace(form, "")
    for name, path in zip(batch.names, batch.paths):
        if path.name != name:
            text = text.replace(path.name, name)

    def chinese(m: re.Match) -> str:
        found = next((zh for key, zh in _OS_REASONS if key in m.group(0)), None)
        return f"（{found}）" if found else ""
    return _EXCEPTION.sub(chinese, text)


def describe(batch: Batch, index: int, part: int, record) -> dict:
    """One result row of the page."""
    label = form_label(batch.names[index], part if len(batch.records[index] or []) > 1 else None)
    reason = record.reason
    can_force = record.status == HAS_ERRORS and not record.report
    if can_force:
        reason = "有错误，未生成报告。请改正工作簿后重新上传，或点击“仍然生成报告”（报告中的得分仅供参考）。"
    out = {"序号": index, "文件": label, "状态": record.status, "原因": page_text(reason, batch),
           "无法处理": record.status in (UNREADABLE, FAILED),
           "错误数": record.errors, "警告数": record.warnings, "提示数": record.hints,
           "总分": float(record.total) if record.scored and record.total is not None else None,
           "等级": record.grade if record.scored else None,
           "总分文字": _total_text(record), "等级文字": (record.grade if record.scored else "") or F.DASH,
           "发现": [f.as_dict() for f in record.findings], "下载": {},
           "提示": [page_text(n, batch) for n in record.notes],
           "可强制": can_force and part == 1, "可重试": index in batch.retry and part == 1,
           "可查看工作表": bool(record.annotated)}
    for f in out["发现"]:
        f["说明"] = page_text(f["说明"], batch)
    if record.json:
        out["一级指标"] = [_group_row(g) for g in record.json.get("一级指标小计", [])]
        out["预算"] = [_line_row(line) for line in record.json.get("预算明细", [])]
        out["总分状态"] = record.json.get("总分状态")
    for key, path in (("报告", record.report), ("PDF", record.pdf), ("自评表", record.form),
                      ("标注副本", record.annotated)):
        if path:
            out["下载"][key] = Path(path).name
    return out


def _total_text(record) -> str:
    """The total as the page shows it: two decimals, for reference only where the workbook has errors."""
    if not record.scored or record.total is None:
        return F.DASH
    return F.score(record.total) + (f"（{PROVISIONAL}）" if record.errors else "")


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _group_row(g: dict) -> dict:
    """A 一级 of the JSON as the page's table and chart show it, its figures written by figures.py."""
    rate = _decimal(g.get("得分率"))
    return {"一级指标": g["一级指标"], "分值": F.plain(_decimal(g["分值"])), "得分": F.score(_decimal(g["得分"])),
            "得分率": F.percent(rate), "条": [[float(rate * 100) if rate is not None else 0.0, F.percent(rate)]]}


def _line_row(line: dict) -> dict:
    """A budget line of the JSON as the page's chart shows it: bars (万元) and their labels."""
    budget, paid = _decimal(line["预算金额（万元）"]), _decimal(line["实际支出（万元）"])
    return {"预算项目": line["预算项目"], "条": [[float(budget or 0), F.money(budget)], [float(paid or 0), F.money(paid)]]}


# ---------------------------------------------------------------- the batches of this server
class Batches:
    def __init__(self, root: Path, jobs: int | None, timeout: float, convert: bool | None = None):
        self.root, self.timeout = root, timeout
        self.convert = bool(find_office()) if convert is None else convert
        self.all: dict[str, Batch] = {}
        self.expired: set[str] = set()
        self.lock = threading.Lock()
        self.queue = WorkQueue(jobs, scratch=root / ".run", on_finished=self.finished)

    def task(self, batch: Batch, index: int, force: bool = False) -> Task:
        path = batch.paths[index]
        out = batch.folder / "out"
        return Task(str(path), "build", outdir=str(out), force=force, pdf=False, timeout=self.timeout,
                    as_json=True, annotate=str(Outputs.of(path, out).annotated))

    def start(self, batch: Batch) -> None:
        (batch.folder / "out").mkdir(exist_ok=True)
        if batch.total > 1 and not memory_limit_available():
            batch.notes.append(NO_MEMORY_LIMIT)
        with self.lock:
            self.all[batch.id] = batch
        if batch.total:
            self.queue.submit(batch, [(i, self.task(batch, i)) for i in range(batch.total)])
        else:
            self.finished(batch)

    def rerun(self, batch: Batch, index: int) -> None:
        record = (batch.records[index] or [None])[0]
        force = record is not None and record.status == HAS_ERRORS
        if force:
            batch.forced.add(index)
        batch.done -= 1
        batch.finished_at = None        # not to expire while it runs again
        self.queue.submit(batch, [(index, self.task(batch, index, force=force or index in batch.forced))])

    def finished(self, batch: Batch) -> None:
        """All of a batch's work is done: its 汇总表 and 汇总分析报告 (also for one workbook: the zip
        promises them), and its uploads removed except those the page may run again."""
        records = []
        for index, found in enumerate(batch.records):
            for part, record in enumerate(found or [], start=1):
                label = form_label(batch.names[index], part if len(found) > 1 else None)
                records.append(replace(record, path=label, reason=describe(batch, index, part, record)["原因"]))
        try:
            batch.summary, batch.analysis = write_batch_outputs(records, batch.folder / "out") if records \
                else (None, None)
        except OSError:
            batch.notes.append("汇总表和汇总分析报告未能写入（磁盘空间或权限不足）。")
        for index, found in enumerate(batch.records):
            keep = found and (found[0].status == HAS_ERRORS or index in batch.retry)
            if not keep:
                try:
                    batch.paths[index].unlink()
                except OSError:
                    pass
        shutil.rmtree(batch.folder / "zip", ignore_errors=True)      # the zip is made again
        batch.finished_at = time.time()
        self.prune()                    # before the page sees it finished: no more batches are kept than said
        batch.finished = True

    def prune(self) -> None:
        """Remove the outputs of finished batches beyond the newest KEEP_BATCHES or older than KEEP_SECONDS."""
        with self.lock:
            done = sorted((b for b in self.all.values() if b.finished_at),
                          key=lambda b: b.finished_at, reverse=True)
            now = time.time()
            gone = [b for k, b in enumerate(done) if k >= KEEP_BATCHES or now - b.finished_at > KEEP_SECONDS]
            for b in gone:
                del self.all[b.id]
                self.expired.add(b.id)
        for b in gone:
            shutil.rmtree(b.folder, ignore_errors=True)

    def get(self, batch_id: str) -> Batch | None:
        self.prune()
        with self.lock:
            return self.all.get(batch_id)

    def zip(self, batch: Batch) -> Path:
        """全部.zip: every output of the batch, its 汇总表 and 汇总分析报告 (made once after each finish)."""
        target = batch.folder / "zip" / "全部.zip"
        if target.exists():
            return target
        target.parent.mkdir(exist_ok=True)
        part = target.with_name(f".{secrets.token_hex(4)}.part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted((batch.folder / "out").iterdir()):
                if path.is_file() and not path.name.startswith("."):
                    zf.write(path, path.name)
        os.replace(part, target)
        return target


# ---------------------------------------------------------------- the application
def _problem(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"错误": message}, status_code=status)


class _Routes:
    """What the server answers at each address (create_app lists them)."""

    def __init__(self, root: Path, store: Batches, token: str):
        self.root, self.store, self.token = root, store, token

    def lookup(self, batch_id: str) -> Batch | JSONResponse:
        batch = self.store.get(batch_id)
        if batch is not None:
            return batch
        if batch_id in self.store.expired:
            return _problem(f"这批结果已过期删除（只保留最近 {KEEP_BATCHES} 批、24 小时内的结果）。请重新上传。", 404)
        return _problem("没有这批结果（perfeval 可能重新启动过）。请重新上传。", 404)

    async def page(self, request: Request):
        nonce = secrets.token_urlsafe(16)
        html = PAGE.read_text(encoding="utf-8").replace("{{nonce}}", nonce).replace("{{token}}", self.token)
        html = html.replace("{{max_files}}", str(MAX_FILES)).replace("{{max_file_mb}}", str(MAX_FILE_MB))
        csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
               "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
        return HTMLResponse(html, headers={"Content-Security-Policy": csp})

    async def icon(self, request: Request):
        return Response(ICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    async def template(self, request: Request):
        path = self.root / TEMPLATE_NAME
        if not path.exists():
            await anyio.to_thread.run_sync(write_workbook, path)
        return FileResponse(path, filename=path.name)

    async def upload(self, request: Request):
        store = self.store
        if len(store.queue.waiting) >= MAX_WAITING:
            return _problem(f"已有 {len(store.queue.waiting)} 个文件在排队，请等它们处理完再上传。", 503)
        batch_id = secrets.token_hex(8)
        folder = self.root / batch_id
        try:
            received = await receive(request, folder / "in", MAX_FILES, MAX_FILE_MB * 1024 * 1024,
                                     MAX_REQUEST_MB * 1024 * 1024)
        except UploadRefused as exc:
            shutil.rmtree(folder, ignore_errors=True)
            return _problem(exc.message, exc.status)
        except ClientDisconnect:
            shutil.rmtree(folder, ignore_errors=True)
            return _problem("上传中断，请重新上传。")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)        # nothing half-made is left
            raise
        if not received.files and not received.rejected:
            shutil.rmtree(folder, ignore_errors=True)
            return _problem("没有收到文件。请选择或拖入工作簿或自评表（.xlsx、.xls 或 .et）。")
        batch = Batch(batch_id, folder, [u.name for u in received.files], [u.path for u in received.files],
                      pdf=store.convert, rejected=received.rejected)
        store.start(batch)
        return JSONResponse({"编号": batch.id, "总数": batch.total})

    async def status(self, request: Request):
        batch = self.lookup(request.path_params["batch"])
        if isinstance(batch, Response):
            return batch
        with self.store.queue.cond:
            state = {"编号": batch.id, "总数": batch.total, "已完成": batch.done, "处理中": batch.running,
                     "结束": batch.finished, "拒绝": batch.rejected, "提示": list(batch.notes),
                     "汇总表": batch.summary.name if batch.finished and batch.summary else None,
                     "汇总分析报告": batch.analysis.name if batch.finished and batch.analysis else None}
            results = [describe(batch, i, k, r) for i, found in enumerate(batch.records)
                       for k, r in enumerate(found or [], start=1)] if batch.finished else []
        state["排队"] = None if batch.finished else self.store.queue.place(batch)
        state["结果"] = results
        return JSONResponse(state)

    async def rerun(self, request: Request):
        batch = self.lookup(request.path_params["batch"])
        if isinstance(batch, Response):
            return batch
        try:
            index = int((await request.json())["序号"])
        except (ValueError, KeyError, TypeError):
            return _problem("请求的格式不对。请刷新网页后再操作。")
        if not batch.finished:
            return _problem("这批文件还在处理中，请等处理完再操作。", 409)
        if not 0 <= index < batch.total or not batch.paths[index].exists():
            return _problem("这个文件已不在服务中（可能已过期删除），请重新上传。", 404)
        self.store.rerun(batch, index)
        return JSONResponse({"编号": batch.id, "总数": batch.total})

    async def download(self, request: Request):
        batch = self.lookup(request.path_params["batch"])
        if isinstance(batch, Response):
            return batch
        name = request.path_params["name"]
        if name == "全部.zip":
            if not batch.finished:
                return _problem("这批文件还在处理中，请等处理完再下载。", 409)
            path = await anyio.to_thread.run_sync(self.store.zip, batch)
            return FileResponse(path, filename="全部.zip", media_type="application/zip")
        out = (batch.folder / "out").resolve()
        path = (out / name).resolve()
        if path.parent != out or not path.is_file() or name.startswith("."):
            return _problem("没有这个文件（可能已过期删除）。", 404)
        return FileResponse(path, filename=path.name)

    async def sheet(self, request: Request):
        batch = self.lookup(request.path_params["batch"])
        if isinstance(batch, Response):
            return batch
        try:
            index = int(request.query_params.get("i", ""))
            record = (batch.records[index] or [None])[0]
        except (ValueError, IndexError):
            record = None
        if record is None or not record.annotated or not Path(record.annotated).exists():
            return _problem("这个文件没有可显示的工作表。", 404)
        try:
            view = await anyio.to_thread.run_sync(sheet_view, Path(record.annotated),
                                                  request.query_params.get("sheet", ""),
                                                  request.query_params.get("cell", ""))
        except WorkbookError:
            return _problem("无法显示这个工作表。", 404)
        return JSONResponse(view)


def create_app(root: Path | None = None, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT,
               host: str = "127.0.0.1", port: int = 8765, convert: bool | None = None):
    root = Path(root or tempfile.mkdtemp(prefix="perfeval-web-"))
    token = secrets.token_urlsafe(24)
    store = Batches(root, jobs, timeout, convert)
    routes = _Routes(root, store, token)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        await anyio.to_thread.run_sync(store.queue.stop)
        shutil.rmtree(root, ignore_errors=True)      # the outputs go when the server stops

    app = Starlette(routes=[
        Route("/", routes.page), Route("/favicon.ico", routes.icon), Route("/template", routes.template),
        Route("/api/batches", routes.upload, methods=["POST"]), Route("/api/batches/{batch}", routes.status),
        Route("/api/batches/{batch}/rerun", routes.rerun, methods=["POST"]),
        Route("/api/batches/{batch}/files/{name}", routes.download), Route("/api/batches/{batch}/sheet", routes.sheet),
    ], middleware=[Middleware(Guard, hosts=allowed_hosts(host, port), token=token)], lifespan=lifespan)
    app.router.redirect_slashes = False              # a redirect would name the Host it was sent
    app.state.batches = store
    return app


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True, jobs: int | None = None) -> None:
    app = create_app(jobs=jobs, host=host, port=port)
    if open_browser:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        threading.Timer(1.0, lambda: webbrowser.open(f"http://{shown}:{port}/")).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", limit_concurrency=64)


if __name__ == "__main__":      # pragma: no cover - started by the tests in a process of its own
    serve(port=int(os.environ.get("PERFEVAL_PORT", "8765")), open_browser=False)
