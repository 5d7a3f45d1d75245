"""The report as PDF, through LibreOffice when it is installed.

LibreOffice's own ``--convert-to pdf`` prints a table of contents as the .docx holds it: Word fills
a TOC field's page numbers when the document is opened, LibreOffice does not. So the conversion is
run by a small Basic macro instead, placed in the private LibreOffice profile every conversion
uses (``user/basic/Standard``, the user's own macros, which LibreOffice runs without asking): it
opens the .docx hidden, updates every index (the 目录 gets its page numbers), exports the PDF
and quits. Nothing but LibreOffice itself is needed (no Python inside LibreOffice, no UNO
bridge), the same on Windows. Where the macro cannot run (macros switched off by a policy), the
plain conversion is made: the PDF then shows the 目录 without page numbers.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from html import escape      # (xml.sax.saxutils would load urllib.request, and ssl with it)
from pathlib import Path

from .errors import PdfError
from .files import atomic_path
from .outputs import pdf_of

INSTALL_HINT = (
    "未找到 LibreOffice，未生成 PDF（.docx 报告已生成）。如需 PDF，请安装 LibreOffice 后重新运行："
    "Windows 请从 LibreOffice 官方网站下载安装包安装；"
    "Debian/Ubuntu 请运行 sudo apt-get install libreoffice-writer；"
    "也可以在 Word 或 WPS 中打开 .docx，另存为 PDF。")

_WINDOWS_PATHS = [r"C:\Program Files\LibreOffice\program\soffice.exe",
                  r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"]


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
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
    proc.wait()


def stop_conversions() -> None:
    """End the conversions under way (the server is stopping)."""
    for proc in list(_running):
        _end(proc)


# ---------------------------------------------------------------- the macro and its profile
MODULE = "PerfevalPdf"
MACRO_URL = f"macro:///Standard.{MODULE}.Convert"
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
_DOCTYPE = '<!DOCTYPE {0} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{1}">\n'
_LIBRARIES = ('<library:libraries xmlns:library="http://openoffice.org/2000/library" '
              'xmlns:xlink="http://www.w3.org/1999/xlink"><library:library library:name="Standard" '
              'library:link="false"/></library:libraries>')
_LIBRARY = ('<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
            'library:readonly="false" library:passwordprotected="false">{0}</library:library>')
# The profile counts as set up (LibreOffice would otherwise copy its default macros over ours).
_REGISTRY = ('<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
             '<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse">'
             '<value>true</value></prop></item>'
             '<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">'
             '<value>false</value></prop></item></oor:items>')


def macro_source(source_url: str, target_url: str) -> str:
    """The Basic macro that opens ``source_url`` hidden, updates its indexes twice (the second
    time for the pages the first one added) and exports it as PDF to ``target_url``."""
    return f'''Sub Convert
  Dim document As Object
  On Error GoTo Done
  Dim opening(0) As New com.sun.star.beans.PropertyValue
  opening(0).Name = "Hidden"
  opening(0).Value = True
  document = StarDesktop.loadComponentFromURL("{source_url}", "_blank", 0, opening())
  Dim indexes As Object
  indexes = document.getDocumentIndexes()
  Dim pass As Integer, i As Integer
  For pass = 1 To 2
    For i = 0 To indexes.getCount() - 1
      indexes.getByIndex(i).update()
    Next i
  Next pass
  Dim export(0) As New com.sun.star.beans.PropertyValue
  export(0).Name = "FilterName"
  export(0).Value = "writer_pdf_Export"
  document.storeToURL("{target_url}", export())
Done:
  On Error Resume Next
  If Not IsNull(document) Then document.close(True)
  StarDesktop.terminate()
End Sub
'''


def install_macro(profile: Path, source: Path, target: Path) -> None:
    """Make ``profile`` a LibreOffice user profile whose own macros hold ``macro_source``."""
    user = profile / "user"
    standard = user / "basic" / "Standard"
    standard.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_XML + _REGISTRY, encoding="utf-8")
    for kind in ("script", "dialog"):
        (user / "basic" / f"{kind}.xlc").write_text(
            _XML + _DOCTYPE.format("library:libraries", "libraries.dtd") + _LIBRARIES, encoding="utf-8")
    (standard / "dialog.xlb").write_text(
        _XML + _DOCTYPE.format("library:library", "library.dtd") + _LIBRARY.format(""), encoding="utf-8")
    (standard / "script.xlb").write_text(
        _XML + _DOCTYPE.format("library:library", "library.dtd")
        + _LIBRARY.format(f'<library:element library:name="{MODULE}"/>'), encoding="utf-8")
    code = macro_source(source.resolve().as_uri(), target.resolve().as_uri())
    (standard / f"{MODULE}.xba").write_text(
        _XML + _DOCTYPE.format("script:module", "module.dtd")
        + f'<script:module xmlns:script="http://openoffice.org/2000/script" script:name="{MODULE}" '
          f'script:language="StarBasic">{escape(code, quote=False)}</script:module>', encoding="utf-8")


def _run(cmd: list[str], timeout: int, name: str) -> None:
    try:
        run_office(cmd, timeout)
    except subprocess.TimeoutExpired:
        raise PdfError(f"LibreOffice 转换 {name} 超过 {timeout} 秒未完成，未生成 PDF。") from None


def to_pdf(docx: Path, timeout: int = 180) -> Path:
    """Write ``<docx stem>.pdf`` beside ``docx``, its 目录 with page numbers. Raises PdfError."""
    office = find_office()
    if office is None:
        raise PdfError(INSTALL_HINT)
    docx = Path(docx)
    target = pdf_of(docx)
    with tempfile.TemporaryDirectory(prefix="perfeval-pdf-") as tmp:
        # A profile of its own: a LibreOffice window the user has open does not block the
        # conversion. The report is copied under a plain name, so that no character of its path
        # (Chinese, spaces, #) has to pass through a URL or a command line.
        work = Path(tmp)
        source, produced = work / "report.docx", work / "report.pdf"
        shutil.copyfile(docx, source)
        profile = work / "profile"
        install_macro(profile, source, produced)
        _run([office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", MACRO_URL],
             timeout, docx.name)
        if not produced.exists() or produced.stat().st_size == 0:     # no macros: the plain conversion
            _run([office, f"-env:UserInstallation={(work / 'plain').as_uri()}", "--headless", "--convert-to", "pdf",
                  "--outdir", str(work), str(source)], timeout, docx.name)
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
            produced = pdf_of(done / source.name)
            if produced.exists() and produced.stat().st_size > 0:
                try:
                    with atomic_path(pdf_of(docx)) as part:
                        shutil.copyfile(produced, part)
                    out[docx] = pdf_of(docx)
                except OSError:
                    out[docx] = PdfError(f"无法写入 {pdf_of(docx).name}，未生成 PDF。")
            elif timed_out:
                out[docx] = PdfError(f"LibreOffice 转换 {docx.name} 超过 {limit} 秒未完成，未生成 PDF。")
            else:
                out[docx] = PdfError(f"LibreOffice 未能把 {docx.name} 转换为 PDF。")
    return out
