"""Files appear whole or not at all, with names that fit, and one writer in a folder at a time.

- ``atomic_path`` / ``save_atomic``: write to a temporary name beside the target, then rename. The
  temporary name is short (at most 14 bytes, and never longer than the final name), so a final
  name that fits always has a temporary one that fits too.
- ``fit_name``: a file name shortened to the 255 bytes every file system allows, keeping its end
  (the part that tells one output from another: ``-自评表.xlsx``, a part number).
- ``OutputError`` (errors.py) is what every failure to write here is raised as: the path and the
  reason in Chinese (磁盘已满, 只读, 没有权限, 文件名太长, 文件正被其他程序打开 …).
- ``folder_lock``: a batch writing into a folder holds a lock file there (with its process id);
  a second batch waits for it, and stops with a message if it waits too long.
"""
from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import socket
import sys
import time
from pathlib import Path

from .errors import FolderBusy, OutputError, write_reason  # noqa: F401 - files' own errors, for its callers

# The folder lock: POSIX locks the file (fcntl), Windows a byte range of it (msvcrt).
try:
    import fcntl
except ImportError:
    fcntl = None
try:
    import msvcrt
except ImportError:
    msvcrt = None

MAX_NAME_BYTES = 255         # a file name on NTFS (255 UTF-16 units), ext4, APFS: UTF-8 bytes are the stricter
ELLIPSIS = "…"


# ---------------------------------------------------------------- names
def fit_stem(stem: str, room: int, limit: int = MAX_NAME_BYTES) -> str:
    """``stem``, cut (at a character, marked with …) so that it and ``room`` more bytes take at most
    ``limit`` bytes in UTF-8."""
    if len(stem.encode("utf-8")) + room <= limit:
        return stem
    keep = limit - room - len(ELLIPSIS.encode("utf-8"))
    cut = stem.encode("utf-8")[:max(keep, 0)].decode("utf-8", errors="ignore")
    return cut.rstrip() + ELLIPSIS


def fit_name(stem: str, ending: str, limit: int = MAX_NAME_BYTES) -> str:
    """``stem + ending`` in at most ``limit`` bytes: the stem is cut, ``ending`` kept whole (it is what
    tells outputs apart: ``-自评表.xlsx``, a part number)."""
    return fit_stem(stem, len(ending.encode("utf-8")), limit) + ending


def _temp_name(final: str) -> str:
    """A random name no longer than ``final`` (at most 14 bytes; hidden where there is room for the
    leading dot)."""
    length = max(min(len(final.encode("utf-8")), 14), 2)
    if length >= 6:
        return ".~" + secrets.token_hex(8)[:length - 2]
    return "~" + secrets.token_hex(8)[:length - 1]


# ---------------------------------------------------------------- whole or not at all
def _create_temp(folder: Path, final: str) -> Path:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = folder / _temp_name(final)
        try:
            os.close(os.open(tmp, flags, 0o666))     # ordinary permissions (umask applies)
            return tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "临时文件名已被占用", str(folder))


@contextlib.contextmanager
def atomic_path(target):
    """Yield a temporary path in the target's folder; on success it replaces ``target``. Any
    failure to write (a full disk, a read-only folder, a name too long, a file open in Word) is
    raised as OutputError naming ``target``, and the temporary file is removed."""
    target = Path(target)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _create_temp(target.parent, target.name)
        yield tmp
        os.replace(tmp, target)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(target, exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def save_atomic(target, data: bytes) -> Path:
    """Write ``data`` to ``target`` whole or not at all (see atomic_path)."""
    target = Path(target)
    with atomic_path(target) as tmp:
        _write(tmp, data)
    return target


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def save_document(doc, target) -> Path:
    """A python-docx Document, made in memory and then written whole (a full disk leaves no half
    archive behind)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return save_atomic(target, buffer.getvalue())


# ---------------------------------------------------------------- one writer in a folder
LOCK_NAME = ".perfeval.lock"
LOCK_WAIT = 600.0            # seconds a batch waits for another to finish with the folder
_LOCK_OFFSET = 1 << 20       # Windows locks a byte range: one far past the holder's text


def _try_lock(fd: int) -> bool:
    """Take the lock on the open lock file without waiting; False if another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        raise


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        else:
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def lock_holder(folder) -> str:
    """Who holds the folder's lock, as its lock file says ("进程 1234，主机 PC-01，自 10:31:05 起")."""
    try:
        text = (Path(folder) / LOCK_NAME).read_text(encoding="utf-8").split("\n")
    except OSError:
        return "另一个 perfeval 进程"
    if len(text) >= 3 and text[0].isdigit():
        return f"进程 {text[0]}，主机 {text[1]}，自 {text[2]} 起"
    return "另一个 perfeval 进程"


def _acquire(path: Path) -> int | None:
    """The open, locked lock file, or None if another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
    try:
        if not _try_lock(fd):
            os.close(fd)
            return None
        # The holder before us may have removed the file as we opened it: the lock must be on
        # the file that is at the path now.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if not same:
            _unlock(fd)
            os.close(fd)
            return _acquire(path)
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n{socket.gethostname()}\n{time.strftime('%Y-%m-%d %H:%M:%S')}\n"
                 .encode("utf-8"))
        return fd
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise


@contextlib.contextmanager
def folder_lock(folder, wait: float = LOCK_WAIT, on_wait=None):
    """Hold ``folder``'s lock while the body writes into it. When another process holds it, call
    ``on_wait(holder)`` once and wait up to ``wait`` seconds; then raise FolderBusy. The lock is the
    operating system's (released when the holder ends, even if it is killed); the lock file says
    who holds it and is removed when the lock is released."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(folder, exc) from None
    path = folder / LOCK_NAME
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fd = _acquire(path)
        except OSError as exc:
            if exc.errno in (errno.ENOLCK, errno.ENOTSUP, getattr(errno, "EOPNOTSUPP", errno.ENOTSUP)):
                fd = -1        # a file system without locks (some network shares): go on without
            else:
                raise OutputError(path, exc) from None
        if fd is not None:
            break
        if not told and on_wait is not None:
            on_wait(lock_holder(folder))
            told = True
        if time.monotonic() >= deadline:
            raise FolderBusy(f"输出文件夹 {folder} 正由另一个 perfeval 写入（{lock_holder(folder)}），"
                             f"等待 {wait:g} 秒后仍未结束。请等它完成后再运行，或换一个输出文件夹（-o）。")
        time.sleep(min(0.25, max(deadline - time.monotonic(), 0.01)))
    try:
        yield
    finally:
        if fd >= 0:
            if sys.platform != "win32":
                with contextlib.suppress(OSError):
                    os.unlink(path)          # before unlocking: a waiter then finds the path gone
            _unlock(fd)
            os.close(fd)
            if sys.platform == "win32":
                with contextlib.suppress(OSError):
                    os.unlink(path)          # fails while a waiter has it open: it is then theirs
