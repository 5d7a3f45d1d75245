"""perfeval serve: the CLI's work on a page in the browser, on the user's own machine.

A small Starlette application served by uvicorn on 127.0.0.1. Uploaded files go to a private
temporary folder and are run through the same library calls as ``perfeval build`` (the batch with
its parallelism and limits); the inputs are deleted as soon as they are processed, the outputs
when the server stops. Nothing is sent anywhere.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import threading
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .outputs import Outputs


MAX_FILE_MB = 20          # far above any real workbook (the seed-000 example is 60 KB)
MAX_FILES = 200
PAGE = Path(__file__).with_name("web_page.html")


@dataclass
class Job:
    id: str
    folder: Path
    names: list[str]
    total: int
    done: int = 0
    finished: bool = False
    results: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    summary: str | None = None
    analysis: str | None = None       # 汇总分析报告.docx, in the zip beside 汇总表.xlsx
    notes: list[str] = field(default_factory=list)


class Jobs:
    """The batches of this server, each in a thread of its own so that the page stays responsive."""

    def __init__(self, root: Path, jobs: int | None = None, timeout: float = 120):
        self.root, self.jobs, self.timeout = root, jobs, timeout
        self.all: dict[str, Job] = {}
        self.lock = threading.Lock()

    def start(self, files: list[tuple[str, bytes]], rejected: list[dict]) -> Job:
        job_id = uuid.uuid4().hex[:12]
        folder = self.root / job_id
        (folder / "in").mkdir(parents=True)
        (folder / "out").mkdir()
        names = []
        for name, data in files:
            safe = _safe_name(name, names)
            (folder / "in" / safe).write_bytes(data)
            names.append(safe)
        job = Job(job_id, folder, names, len(names), rejected=rejected)
        self.all[job_id] = job
        threading.Thread(target=self.run, args=(job,), daemon=True).start()
        return job

    def run(self, job: Job) -> None:
        from .batch import run_workbooks
        from .pdf import find_office
        inputs = [job.folder / "in" / n for n in job.names]

        def progress(i, record):
            with self.lock:
                job.done += 1

        try:
            if inputs:
                result = run_workbooks(inputs, "build", outdir=job.folder / "out", pdf=bool(find_office()),
                                       as_json=True, annotate=True, keep_findings=True, jobs=self.jobs,
                                       timeout=self.timeout, on_done=progress)
                job.notes = result.notes
                job.summary = str(result.summary) if result.summary else None
                job.analysis = str(result.analysis) if result.analysis else None
                job.results = [self.describe(r) for r in result.records]
        finally:
            shutil.rmtree(job.folder / "in", ignore_errors=True)    # the uploads are not kept
            job.finished = True

    def describe(self, record) -> dict:
        out = {"文件": Path(record.path).name, "状态": record.status, "原因": record.reason,
               "错误数": record.errors, "警告数": record.warnings, "提示数": record.hints,
               "总分": float(record.total) if record.scored and record.total is not None else None,
               "等级": record.grade if record.scored else None,
               "发现": [f.as_dict() for f in record.findings], "下载": {}}
        if record.json:
            out["一级指标小计"] = record.json.get("一级指标小计", [])
            out["预算明细"] = record.json.get("预算明细", [])
            out["总分状态"] = record.json.get("总分状态")
        for key, path in (("报告", record.report), ("PDF", record.pdf), ("自评表", record.form),
                          ("标注副本", record.annotated)):
            if path:
                out["下载"][key] = Path(path).name
        return out

    def zip(self, job: Job) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted((job.folder / "out").iterdir()):
                zf.write(path, path.name)
        return buffer.getvalue()


def _file_of(label: str) -> str:
    """The uploaded file a result is of ("表.xlsx（第2张自评表）" is of "表.xlsx")."""
    return re.sub(r"（第\d+张自评表）$", "", label)


def _safe_name(name: str, taken: list[str]) -> str:
    """A file name of the upload's own, without any folder, unique within the batch (its stem too,
    so that 表.xlsx and 表.xls uploaded together have outputs and annotated copies of their own)."""
    base = Path(name.replace("\\", "/")).name or "工作簿.xlsx"
    stem, suffix = Path(base).stem, Path(base).suffix
    candidate, k = base, 2
    while Path(candidate).stem in {Path(t).stem for t in taken}:
        candidate, k = f"{stem}-{k}{suffix}", k + 1
    return candidate


def sheet_view(path: Path, sheet: str, max_rows: int = 200, max_cols: int = 30) -> dict:
    """The values of one sheet of a workbook, for the page to show with a cell highlighted."""
    from .reader import open_workbook
    wb = open_workbook(path)
    ws = next((w for w in wb.worksheets if w.title == sheet), None)
    if ws is None:
        return {"行": []}
    rows = []
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, max_rows), max_col=min(ws.max_column, max_cols)):
        rows.append(["" if c.value is None else str(c.value) for c in row])
    wb.close()
    return {"行": rows}


def _lifespan(root: Path):
    import contextlib

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        shutil.rmtree(root, ignore_errors=True)      # the outputs go when the server stops
    return lifespan


def create_app(root: Path | None = None, jobs: int | None = None, timeout: float = 120):
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    root = Path(root or tempfile.mkdtemp(prefix="perfeval-web-"))
    store = Jobs(root, jobs, timeout)

    async def page(request: Request):
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    async def template(request: Request):
        from .template import write_workbook
        path = root / "绩效评价标准工作簿.xlsx"
        if not path.exists():
            write_workbook(path)
        return FileResponse(path, filename=path.name)

    async def upload(request: Request):
        form = await request.form(max_files=MAX_FILES, max_part_size=MAX_FILE_MB * 1024 * 1024 + 1)
        files, rejected = [], []
        for item in form.getlist("files"):
            name = getattr(item, "filename", None)
            if not name:
                continue
            data = await item.read(MAX_FILE_MB * 1024 * 1024 + 1)
            if len(data) > MAX_FILE_MB * 1024 * 1024:
                rejected.append({"文件": Path(name).name, "原因": f"{Path(name).name}：文件超过 {MAX_FILE_MB} MB，"
                                 "远超任何项目的正常规模，已拒绝读取。"})
                continue
            files.append((name, data))
        await form.close()
        if not files and not rejected:
            return JSONResponse({"错误": "没有收到文件。请选择或拖入工作簿（.xlsx、.xls 或 .et）。"}, status_code=400)
        job = store.start(files, rejected)
        return JSONResponse({"编号": job.id, "总数": job.total})

    async def status(request: Request):
        job = store.all.get(request.path_params["job"])
        if job is None:
            return JSONResponse({"错误": "没有这个批次。"}, status_code=404)
        return JSONResponse({"编号": job.id, "总数": job.total, "已完成": job.done, "结束": job.finished,
                             "结果": job.results if job.finished else [], "拒绝": job.rejected,
                             "汇总表": Path(job.summary).name if job.summary else None,
                             "汇总分析报告": Path(job.analysis).name if job.analysis else None, "提示": job.notes})

    async def download(request: Request):
        job = store.all.get(request.path_params["job"])
        name = request.path_params["name"]
        if job is None:
            return JSONResponse({"错误": "没有这个批次。"}, status_code=404)
        if name == "全部.zip":
            return Response(store.zip(job), media_type="application/zip",
                            headers={"Content-Disposition": "attachment; filename*=UTF-8''%E5%85%A8%E9%83%A8.zip"})
        path = (job.folder / "out" / name).resolve()
        if path.parent != (job.folder / "out").resolve() or not path.exists():
            return JSONResponse({"错误": "没有这个文件。"}, status_code=404)
        return FileResponse(path, filename=path.name)

    async def sheet(request: Request):
        job = store.all.get(request.path_params["job"])
        if job is None:
            return JSONResponse({"错误": "没有这个批次。"}, status_code=404)
        name = request.query_params.get("file", "")
        copy = Outputs.of(_file_of(name), job.folder / "out").annotated
        if not copy.exists():
            return JSONResponse({"行": []})
        return JSONResponse(sheet_view(copy, request.query_params.get("sheet", "")))

    app = Starlette(routes=[
        Route("/", page), Route("/template", template), Route("/api/batches", upload, methods=["POST"]),
        Route("/api/batches/{job}", status), Route("/api/batches/{job}/files/{name}", download),
        Route("/api/batches/{job}/sheet", sheet),
    ], lifespan=_lifespan(root))
    app.state.jobs = store
    return app


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True, jobs: int | None = None) -> None:
    import uvicorn
    app = create_app(jobs=jobs)
    if open_browser:
        import webbrowser
        threading.Timer(1.0, lambda: webbrowser.open(f"http://{host}:{port}/")).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")


if __name__ == "__main__":      # pragma: no cover - started by the tests in a process of its own
    serve(port=int(os.environ.get("PERFEVAL_PORT", "8765")), open_browser=False)
