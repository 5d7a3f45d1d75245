"""The report as PDF, through LibreOffice when it is installed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .files import atomic_path

INSTALL_HINT = (
    "未找到 LibreOffice，未生成 PDF（.docx 报告已生成）。如需 PDF，请安装 LibreOffice 后重新运行："
    "Windows 请从 LibreOffice 官方网站下载安装包安装；"
    "Debian/Ubuntu 请运行 sudo apt-get install libreoffice-writer；"
    "也可以在 Word 或 WPS 中打开 .docx，另存为 PDF。")

_WINDOWS_PATHS = [r"C:\Program Files\LibreOffice\program\soffice.exe",
                  r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"]


class PdfError(Exception):
    """The PDF could not be made; the message says why and what to do."""


def find_office() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        return next((p for p in _WINDOWS_PATHS if os.path.exists(p)), None)
    return None


_running: set[subprocess.Popen] = set()


def run_office(cmd: list[str], timeout: float) -> None:
    """Run LibreOffice; past ``timeout`` end it with every process it started (soffice starts
    soffice.bin, which killing soffice alone would leave running) and raise TimeoutExpired."""
    if os.name == "nt":
        options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    else:
        options = {"start_new_session": True}
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, **options)
    _running.add(proc)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end(proc)
        raise
    finally:
        _running.discard(proc)


def _end(proc: subprocess.Popen) -> None:
    if os.name == "nt":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False)
    else:
        import signal
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
    proc.wait()


def stop_conversions() -> None:
    """End the conversions under way (the server is stopping)."""
    for proc in list(_running):
        _end(proc)


def to_pdf(docx: Path, timeout: int = 180) -> Path:
    """Write ``<docx stem>.pdf`` beside ``docx``. Raises PdfError."""
    office = find_office()
    if office is None:
        raise PdfError(INSTALL_HINT)
    docx = Path(docx)
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="perfeval-pdf-") as tmp:
        # A profile of its own: a LibreOffice window the user has open does not block the conversion.
        profile = Path(tmp, "profile").as_uri()
        cmd = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
               "--outdir", tmp, str(docx)]
        try:
            run_office(cmd, timeout)
        except subprocess.TimeoutExpired:
            raise PdfError(f"LibreOffice 转换 {docx.name} 超过 {timeout} 秒未完成，未生成 PDF。") from None
        produced = Path(tmp, docx.stem + ".pdf")
        if not produced.exists() or produced.stat().st_size == 0:
            raise PdfError(f"LibreOffice 未能把 {docx.name} 转换为 PDF。")
        with atomic_path(target) as part:
            shutil.copyfile(produced, part)
    return target


def to_pdfs(docxs: list[Path], timeout_each: int = 60) -> dict[Path, Path | PdfError]:
    """Several reports in one run of LibreOffice (it starts once for all of them: a queue of
    reports converts about twice as fast as one run each). Each .docx gets its PDF beside it, or
    the PdfError that says why not."""
    office = find_office()
    if office is None:
        return {Path(d): PdfError(INSTALL_HINT) for d in docxs}
    docxs = [Path(d) for d in docxs]
    out: dict[Path, Path | PdfError] = {}
    with tempfile.TemporaryDirectory(prefix="perfeval-pdf-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        # Each file in a folder of its own, named by position: two reports of the same name
        # (from different batches) cannot overwrite each other's PDF.
        staged = []
        for k, docx in enumerate(docxs):
            folder = Path(tmp, f"in{k}")
            folder.mkdir()
            source = folder / f"{k}.docx"
            try:
                shutil.copyfile(docx, source)
            except OSError:
                out[docx] = PdfError(f"无法读取 {docx.name}，未生成 PDF。")
                continue
            staged.append((docx, source))
        done = Path(tmp, "out")
        cmd = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(done)] + [str(source) for _, source in staged]
        limit = timeout_each * max(1, len(staged))
        timed_out = False
        if staged:
            try:
                run_office(cmd, limit)
            except subprocess.TimeoutExpired:
                timed_out = True
        for docx, source in staged:
            produced = done / (source.stem + ".pdf")
            if produced.exists() and produced.stat().st_size > 0:
                try:
                    with atomic_path(docx.with_suffix(".pdf")) as part:
                        shutil.copyfile(produced, part)
                    out[docx] = docx.with_suffix(".pdf")
                except OSError:
                    out[docx] = PdfError(f"无法写入 {docx.with_suffix('.pdf').name}，未生成 PDF。")
            elif timed_out:
                out[docx] = PdfError(f"LibreOffice 转换 {docx.name} 超过 {limit} 秒未完成，未生成 PDF。")
            else:
                out[docx] = PdfError(f"LibreOffice 未能把 {docx.name} 转换为 PDF。")
    return out
