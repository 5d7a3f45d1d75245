"""What perfeval cannot do, as exceptions with one base (``PerfevalError``, as python-docx has
``PythonDocxError``): each says why in Chinese, for the user, and the command line maps each kind
to its exit code in one place (cli.EXIT_CODES).

A bad cell is never an exception but a finding (findings.py); these are for what stops a file, an
output or a command as a whole. The floor of the package: it imports nothing of perfeval, so that
the command line knows every kind without loading the modules that raise them.
"""
from __future__ import annotations

import errno
from pathlib import Path


class PerfevalError(Exception):
    """The base of every exception perfeval raises on purpose; its text is the user's message."""


# ---------------------------------------------------------------- reading
class WorkbookError(PerfevalError):
    """The file cannot be read as a workbook at all (a standard workbook or a 自评表)."""


class LegacyError(WorkbookError):
    """An .xls/.et (OLE2 compound file) that cannot be read as a workbook."""


# ---------------------------------------------------------------- writing
class OutputError(PerfevalError, OSError):
    """An output that could not be written: ``path`` and ``reason`` (Chinese)."""

    def __init__(self, path, cause: OSError | None = None, reason: str | None = None):
        reason = reason or write_reason(cause)
        super().__init__(getattr(cause, "errno", None), reason)
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"无法写入 {self.path}：{self.reason}"


class TargetExists(OutputError):
    """The file to write is there already and is not to be overwritten without being asked."""

    def __init__(self, path):
        super().__init__(path, reason="已存在，未覆盖")

    def __str__(self) -> str:
        return f"{self.path} 已存在，未覆盖。如需覆盖请加 --force。"


class FolderBusy(PerfevalError):
    """Another perfeval is writing into the output folder, and did not finish in time."""


# Windows error codes worth a sentence of their own (os.strerror does not know them).
_WINERRORS = {
    32: "文件正被其他程序（如 Word、WPS、Excel）打开，请关闭后再试",
    33: "文件正被其他程序（如 Word、WPS、Excel）打开，请关闭后再试",
    112: "磁盘已满",
    206: "文件名或路径太长",
    1224: "文件正被其他程序打开，请关闭后再试",
}
_ERRNOS = {
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.EACCES: "没有写入权限（或文件正被其他程序打开）",
    errno.EPERM: "没有写入权限",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有同名的文件，不是文件夹",
    errno.EISDIR: "已有同名的文件夹",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.EIO: "磁盘读写出错",
    errno.EFBIG: "文件超过了该磁盘允许的大小",
}
if hasattr(errno, "EDQUOT"):
    _ERRNOS[errno.EDQUOT] = "超出了磁盘配额"


def write_reason(exc: OSError | None) -> str:
    """Why a write (or a read) failed, in Chinese, from the error the system gave."""
    if exc is None:
        return "未知原因"
    if isinstance(exc, OutputError):
        return exc.reason
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINERRORS:
        return _WINERRORS[winerror]
    if exc.errno in _ERRNOS:
        return _ERRNOS[exc.errno]
    return exc.strerror or str(exc) or type(exc).__name__


# ---------------------------------------------------------------- what a command is given
class SettingError(PerfevalError, ValueError):
    """A setting given to a command cannot be used (``--font 正文字体=仿宋``)."""


class TemplateError(PerfevalError):
    """The office's template (--reference-doc) cannot be used: the path is wrong."""


class TemplateUnreadable(TemplateError):
    """The office's template is there, but is not a Word document."""


class BatchError(PerfevalError):
    """The batch cannot start (no Dask scheduler at the address given, last year's 汇总表 unusable)."""


class PreviousError(BatchError):
    """The previous year's 汇总表 cannot be used; the message says why."""


# ---------------------------------------------------------------- beside the pipeline
class PdfError(PerfevalError):
    """The PDF could not be made; the message says why and what to do (a note: the report stands)."""


class UploadRefused(PerfevalError):
    """An upload to the web page refused as a whole, with the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status
