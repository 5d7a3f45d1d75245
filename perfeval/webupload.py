"""Uploads to the web page: streamed to disk with the limits checked while reading, under names
that work on every file system.

The browser sends the name the user's file has; a page on another site (or a hand-made request)
can send any name at all. What is saved is a plain base name of bounded length in the batch's
own folder; what the page shows is the user's name, without folders or control characters.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from .errors import UploadRefused

# Bytes of UTF-8 a saved name may take. The outputs add at most ~40 bytes to it (a suffix such as
# "-检查结果.xlsx" and a temporary name's decoration), so every output fits the 255 bytes a file
# name may have on Linux and macOS, and the whole path stays within Windows' 260 characters.
MAX_NAME_BYTES = 120
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*]')            # refused by Windows
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
FALLBACK_STEM = "工作簿"


def display_name(raw: str) -> str:
    """The name the page shows for an upload: its last path component, without control
    characters (the name a browser sends is already a base name; others may send anything)."""
    base = _CONTROL.sub("", raw.replace("\\", "/")).rsplit("/", 1)[-1].strip()
    return base or "（未命名文件）"


def _split(name: str) -> tuple[str, str]:
    m = re.match(r"(.*?)(\.[A-Za-z0-9]{1,8})?$", name)
    return m.group(1), (m.group(2) or "")


def _fit(stem: str, budget: int) -> str:
    """``stem`` within ``budget`` bytes of UTF-8: its beginning and its end, joined by "…" (the end is
    what tells "…第1批" from "…第2批" apart)."""
    if len(stem.encode("utf-8")) <= budget:
        return stem
    budget -= len("…".encode("utf-8"))
    tail_budget = budget // 3
    head, used = "", 0
    for ch in stem:
        size = len(ch.encode("utf-8"))
        if used + size > budget - tail_budget:
            break
        head, used = head + ch, used + size
    tail, used = "", 0
    for ch in reversed(stem[len(head):]):
        size = len(ch.encode("utf-8"))
        if used + size > tail_budget:
            break
        tail, used = ch + tail, used + size
    return head + "…" + tail


def saved_name(display: str, taken: set[str]) -> str:
    """A file name for ``display`` that every file system accepts (no folder, no character Windows
    refuses, no reserved device name, no leading dot or trailing dot or space, at most
    MAX_NAME_BYTES bytes) and whose stem no other upload of the batch has (compared as Windows does,
    without case; 表.xlsx and 表.xls uploaded together get outputs and annotated copies of their own)."""
    stem, suffix = _split(_NOT_IN_NAMES.sub("_", display))
    suffix = suffix.lower() if suffix.lower() in WORKBOOK_SUFFIXES else suffix
    stem = stem.strip().lstrip(".").rstrip(". ")
    if not stem:
        stem = FALLBACK_STEM
    elif stem.split(".")[0].upper() in _RESERVED:
        stem = f"{FALLBACK_STEM}-{stem}"
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    candidate, k = _fit(stem, budget) + suffix, 2
    while _split(candidate)[0].lower() in taken:
        mark = f"-{k}"
        candidate, k = _fit(stem, budget - len(mark)) + mark + suffix, k + 1
    taken.add(_split(candidate)[0].lower())
    return candidate


def unique_display(display: str, shown: set[str]) -> str:
    """Two uploads of one name are told apart as their saved files are: "表.xlsx", "表-2.xlsx"."""
    candidate, k = display, 2
    stem, suffix = _split(display)
    while candidate in shown:
        candidate, k = f"{stem}-{k}{suffix}", k + 1
    shown.add(candidate)
    return candidate


def with_workbook_suffix(path: Path) -> Path:
    """A workbook saved without the .xlsx ending (renamed, even to .xls, or the name cut short) is
    given it, so that it is read as what it is; any other file keeps its name and is told what it is."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return path
    try:
        with zipfile.ZipFile(path) as zf:
            is_workbook = "xl/workbook.xml" in zf.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return path
    if not is_workbook:
        return path
    stem = _fit(path.name, MAX_NAME_BYTES - len(b".xlsx"))
    target = path.with_name(stem + ".xlsx")
    k = 2
    while target.exists():
        target = path.with_name(f"{_fit(path.name, MAX_NAME_BYTES - 12)}-{k}.xlsx")
        k += 1
    path.rename(target)
    return target


@dataclass
class Upload:
    name: str              # as the page shows it
    path: Path             # as it was saved


@dataclass
class Received:
    files: list[Upload] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)       # {"文件": name, "原因": why}


class _Part:
    def __init__(self):
        self.headers: dict[bytes, bytes] = {}
        self.field, self.value = b"", b""
        self.name: str | None = None          # set for a file
        self.path: Path | None = None
        self.handle = None
        self.size = 0
        self.too_big = False


class _Receiver:
    """The parser's callbacks for one upload: each file part streamed to its own file in ``folder``
    as it arrives, the limits checked as it grows (see ``receive``)."""

    def __init__(self, folder: Path, max_files: int, max_file_bytes: int):
        self.folder, self.max_files, self.max_file_bytes = folder, max_files, max_file_bytes
        self.out = Received()
        self.taken: set[str] = set()          # saved stems, compared as Windows does
        self.shown: set[str] = set()          # names as the page shows them
        self.files = 0
        self.part = _Part()
        self.ended = False

    def callbacks(self) -> dict:
        return {"on_part_begin": self.part_begin, "on_part_data": self.part_data, "on_part_end": self.part_end,
                "on_header_field": self.header_field, "on_header_value": self.header_value,
                "on_header_end": self.header_end, "on_headers_finished": self.headers_finished,
                "on_end": self.end}

    def part_begin(self):
        self.part = _Part()

    def header_field(self, data, start, end):
        self.part.field += data[start:end]

    def header_value(self, data, start, end):
        self.part.value += data[start:end]
        if len(self.part.value) > 64 * 1024:
            raise UploadRefused("上传的数据格式不对，已拒绝。请在页面上重新选择文件。")

    def header_end(self):
        part = self.part
        part.headers[part.field.lower()] = part.value
        part.field, part.value = b"", b""

    def headers_finished(self):
        part = self.part
        _, disposition = parse_options_header(part.headers.get(b"content-disposition", b""))
        if disposition.get(b"name") != b"files" or b"filename" not in disposition:
            return                                      # any other field is not ours: ignored
        raw = disposition[b"filename"].decode("utf-8", errors="replace")
        if not raw:
            return                                      # a file input left empty
        self.files += 1
        if self.files > self.max_files:
            raise UploadRefused(f"一次最多上传 {self.max_files} 个文件，已拒绝。请分批上传。", 413)
        part.name = unique_display(display_name(raw), self.shown)
        name = saved_name(part.name, self.taken)
        try:
            part.handle = open(self.folder / name, "xb")
        except OSError:                                 # a name this system still refuses
            name = saved_name(FALLBACK_STEM + _split(name)[1], self.taken)
            part.handle = open(self.folder / name, "xb")
        part.path = self.folder / name

    def part_data(self, data, start, end):
        part = self.part
        if part.handle is None:
            return
        part.size += end - start
        if part.size > self.max_file_bytes:
            part.too_big = True
            part.handle.close()
            part.handle = None
            part.path.unlink()
            return
        part.handle.write(data[start:end])

    def part_end(self):
        part = self.part
        if part.name is None:
            return
        if part.handle is not None:
            part.handle.close()
            part.handle = None
        if part.too_big:
            self.out.rejected.append({"文件": part.name, "原因": f"{part.name}：文件超过 "
                                      f"{self.max_file_bytes // (1024 * 1024)} MB，远超任何项目的正常规模，已拒绝读取。"})
        else:
            self.out.files.append(Upload(part.name, part.path))

    def end(self):
        self.ended = True

    def close(self):
        if self.part.handle is not None:
            self.part.handle.close()


async def receive(request, folder: Path, max_files: int, max_file_bytes: int, max_request_bytes: int) -> Received:
    """Read the files of a multipart upload into ``folder``, each as it arrives: a file over
    ``max_file_bytes`` is dropped as it passes the limit (and listed as refused); more than
    ``max_files`` files or ``max_request_bytes`` in all refuses the whole upload (UploadRefused),
    and the caller removes the folder. Never holds a file in memory."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise UploadRefused("请在页面上选择或拖入工作簿或自评表（.xlsx、.xls 或 .et）上传。")
    too_much = UploadRefused(f"一次上传的文件合计超过 {max_request_bytes // (1024 * 1024)} MB，已拒绝。请分批上传。", 413)
    try:
        declared = int(request.headers.get("content-length", "0"))
    except ValueError:
        declared = 0
    if declared > max_request_bytes:
        raise too_much
    folder.mkdir(parents=True, exist_ok=True)
    receiver = _Receiver(folder, max_files, max_file_bytes)
    parser = MultipartParser(options[b"boundary"], receiver.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > max_request_bytes:
                raise too_much
            parser.write(chunk)
        parser.finalize()
        if not receiver.ended:
            raise FormParserError("the closing boundary never came")
    except FormParserError:
        raise UploadRefused("上传的数据不完整或格式不对，已拒绝。请在页面上重新选择文件。") from None
    finally:
        receiver.close()
    for upload in receiver.out.files:
        upload.path = with_workbook_suffix(upload.path)
    return receiver.out
