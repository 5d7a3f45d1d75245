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
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"LibreOffice 转换 {docx.name} 超过 {timeout} 秒未完成，未生成 PDF。") from None
        produced = Path(tmp, docx.stem + ".pdf")
        if not produced.exists() or produced.stat().st_size == 0:
            raise PdfError(f"LibreOffice 未能把 {docx.name} 转换为 PDF。")
        with atomic_path(target) as part:
            shutil.copyfile(produced, part)
    return target
