"""One queue for the whole web server: every uploaded file, of every batch, waits its turn here.

At most ``jobs`` workbooks run at a time, in one pool of worker processes, and one LibreOffice at a
time makes the PDFs (of several reports in one run), however many uploads arrive: a page that
sends a hundred uploads makes a longer queue, not a hundred processes. A workbook's time limit
counts from the moment a worker starts it, so waiting never fails a file; and a workbook stopped
by its limit while the PC was too busy to give it the processor is told so, not blamed on the file.
The worker processes end when the queue has been idle for a while (they hold memory) and start
again with the next upload.
"""
from __future__ import annotations

import collections
import os
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .batch import Task, open_pool, pool_records, run_task
from .errors import PdfError
from .limits import DEFAULT_MEMORY_MB
from .pdf import stop_conversions, to_pdfs
from .record import FAILED, Record

try:
    import psutil             # perfeval[web]: how much processor time a workbook had, how busy the PC was
except ImportError:           # pragma: no cover - the queue then blames no timeout on the load
    psutil = None

IDLE_SECONDS = 120          # the worker processes end after this long without work
CONVERT_AT_ONCE = 8         # reports given to one run of LibreOffice
SAMPLE_SECONDS = 0.5        # how often the processor time of running workbooks is read


@dataclass
class Batch:
    """One upload of one or more files, as the queue and the page see it."""
    id: str
    folder: Path
    names: list[str]                    # as the page shows them, one per upload
    paths: list[Path]                   # where each was saved
    pdf: bool = False
    rejected: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    records: list[list[Record] | None] = field(default_factory=list)
    forced: set[int] = field(default_factory=set)      # uploads built although they have errors
    retry: set[int] = field(default_factory=set)       # uploads stopped because the PC was busy
    done: int = 0                       # uploads whose work (and PDF) is finished
    running: int = 0                    # uploads a worker is on now
    pdf_left: dict[int, int] = field(default_factory=dict)   # reports of an upload still to convert
    outstanding: int = 0                # workbook runs and conversions not yet finished
    finished: bool = False              # all done, and 汇总表 written
    finished_at: float | None = None
    summary: Path | None = None
    analysis: Path | None = None      # 汇总分析报告.docx, beside 汇总表

    def __post_init__(self):
        if not self.records:
            self.records = [None] * len(self.paths)

    @property
    def total(self) -> int:
        return len(self.paths)


@dataclass
class _Running:
    batch: Batch
    index: int
    task: Task
    pid_file: Path
    started: float = field(default_factory=time.monotonic)
    process: object = None              # psutil.Process of the worker, once known
    cpu_base: float = 0.0               # the worker's processor time when it took the task
    cpu: float = 0.0                    # processor seconds the workbook has had
    system_start: object = None         # psutil.cpu_times() when it started


def _note_pid(target: Callable[[Task], list[Record]], task: Task, pid_file: str) -> list[Record]:
    """Run in the worker: say which process works on the task and how much processor time it had
    used before (a worker runs many tasks), then run it."""
    try:
        Path(pid_file).write_text(f"{os.getpid()} {time.process_time()}", encoding="ascii")
    except OSError:
        pass
    return target(task)


def busy_share(start, end) -> float | None:
    """How busy the PC's processors were between two psutil.cpu_times() readings (0 to 1)."""
    if start is None or end is None:
        return None
    spent = {k: getattr(end, k) - getattr(start, k) for k in end._fields}
    total = sum(spent.values())
    if total <= 0:
        return None
    idle = spent.get("idle", 0) + spent.get("iowait", 0)
    return max(0.0, min(1.0, 1 - idle / total))


def caused_by_load(limit: float, cpu: float | None, busy: float | None) -> bool:
    """Whether a workbook stopped by its time limit was stopped by the PC's load: it had less than
    half of that time on a processor while the processors were busy (with other work)."""
    return cpu is not None and busy is not None and cpu < 0.5 * limit and busy >= 0.8


def timeout_records(task: Task, cpu: float | None, busy: float | None) -> list[Record]:
    """The record of a workbook stopped by its time limit; one stopped by the load says so, and
    does not blame the file."""
    name = Path(task.path).name
    if caused_by_load(task.timeout, cpu, busy):
        return [Record(task.path, FAILED, reason=(
            f"{name}：{task.timeout:g} 秒内未处理完，已停止。这段时间电脑非常繁忙，它只得到约 {cpu:.0f} 秒的计算时间，"
            "并不是文件本身的问题。请点击“重新处理”，或稍后在电脑较空闲时再上传。"))]
    return [Record(task.path, FAILED, reason=f"{name}：处理超过 {task.timeout:g} 秒，已跳过（可能文件过大或内容异常）。")]


class WorkQueue:
    """The server's one queue (see the module's text). ``submit`` adds a batch's tasks;
    ``on_finished(batch)`` is called, in a thread of its own, when all of a batch's work is done."""

    def __init__(self, jobs: int | None = None, *, scratch: Path, memory_mb: int = DEFAULT_MEMORY_MB,
                 on_finished: Callable[[Batch], None] | None = None,
                 target: Callable[[Task], list[Record]] = run_task, start_method: str | None = None):
        self.jobs = jobs or os.cpu_count() or 1
        self.scratch = Path(scratch)
        self.memory_mb, self.on_finished, self.target, self.start_method = memory_mb, on_finished, target, start_method
        self.cond = threading.Condition()
        self.waiting: collections.deque[tuple[Batch, int, Task]] = collections.deque()
        self.running: dict[object, _Running] = {}
        self.completed: list[object] = []
        self.conversions: collections.deque[tuple[Batch, int, Record]] = collections.deque()
        self.converting = 0
        self.most_running = 0           # the most workbooks that ran at once (for the tests)
        self.pool = None
        self.idle_since = time.monotonic()
        self.stopping = False
        self.threads = [threading.Thread(target=self._dispatch, name="perfeval-queue", daemon=True),
                        threading.Thread(target=self._convert, name="perfeval-pdf", daemon=True)]
        for t in self.threads:
            t.start()

    # ------------------------------------------------------------ what the server calls
    def submit(self, batch: Batch, work: list[tuple[int, Task]]) -> None:
        with self.cond:
            for index, task in work:
                batch.outstanding += 1
                self.waiting.append((batch, index, task))
            batch.finished = False
            self.cond.notify_all()

    def place(self, batch: Batch) -> int | None:
        """How many files wait ahead of this batch's first waiting file (None: none of it waits)."""
        with self.cond:
            for k, (b, _, _) in enumerate(self.waiting):
                if b is batch:
                    return k + sum(1 for r in self.running.values() if r.batch is not batch)
        return None

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        for t in self.threads:
            t.join(timeout=30)
        stop_conversions()

    # ------------------------------------------------------------ workbooks
    def _dispatch(self) -> None:
        while True:
            with self.cond:
                if self.stopping:
                    break
                completed, self.completed = self.completed, []
            for future in completed:
                self._complete(future)
            with self.cond:
                while self.waiting and len(self.running) < self.jobs:
                    self._start(*self.waiting.popleft())
                self.most_running = max(self.most_running, len(self.running))
                if self.running or self.waiting:
                    self.idle_since = time.monotonic()
                elif self.pool is not None and time.monotonic() - self.idle_since > IDLE_SECONDS:
                    self._close_pool()
                if not self.completed:
                    self.cond.wait(SAMPLE_SECONDS)
            self._sample()
        self._close_pool(now=True)

    def _start(self, batch: Batch, index: int, task: Task) -> None:
        if self.pool is None:
            self.pool = open_pool(self.jobs, self.memory_mb, self.start_method)
        self.scratch.mkdir(parents=True, exist_ok=True)
        pid_file = self.scratch / f"{batch.id}-{index}-{time.monotonic_ns()}.pid"
        future = self.pool.schedule(_note_pid, args=(self.target, task, str(pid_file)), timeout=task.timeout or None)
        self.running[future] = _Running(batch, index, task, pid_file,
                                        system_start=psutil.cpu_times() if psutil else None)
        batch.running += 1
        future.add_done_callback(self._done)

    def _done(self, future) -> None:
        with self.cond:
            self.completed.append(future)
            self.cond.notify_all()

    def _sample(self) -> None:
        """Read how much processor time each running workbook has had so far."""
        if psutil is None:
            return
        with self.cond:
            running = list(self.running.values())
        for r in running:
            try:
                if r.process is None and r.pid_file.exists():
                    pid, base = r.pid_file.read_text(encoding="ascii").split()
                    r.process, r.cpu_base = psutil.Process(int(pid)), float(base)
                if r.process is not None:
                    times = r.process.cpu_times()
                    r.cpu = max(r.cpu, times.user + times.system - r.cpu_base)
            except (OSError, ValueError, psutil.Error):
                pass

    def _complete(self, future) -> None:
        with self.cond:
            r = self.running.pop(future)
        load = False
        if not future.cancelled() and isinstance(future.exception(), FutureTimeout):
            cpu = r.cpu if r.process is not None else None
            busy = busy_share(r.system_start, psutil.cpu_times()) if psutil else None
            records, load = timeout_records(r.task, cpu, busy), caused_by_load(r.task.timeout, cpu, busy)
        else:
            records = pool_records(r.task, future, self.memory_mb)
        try:
            r.pid_file.unlink()
        except OSError:
            pass
        batch = r.batch
        with self.cond:
            batch.running -= 1
            batch.records[r.index] = records
            (batch.retry.add if load else batch.retry.discard)(r.index)
            converts = [rec for rec in records if batch.pdf and rec.report]
            for rec in converts:
                batch.outstanding += 1
                self.conversions.append((batch, r.index, rec))
            batch.pdf_left[r.index] = len(converts)
            if not converts:
                batch.done += 1
            self._finish_one(batch)
            self.cond.notify_all()

    def _finish_one(self, batch: Batch) -> None:
        """One run or conversion of ``batch`` is over (under the lock)."""
        batch.outstanding -= 1
        if batch.outstanding == 0 and self.on_finished:
            threading.Thread(target=self.on_finished, args=(batch,), daemon=True).start()

    def _close_pool(self, now: bool = False) -> None:
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if now:
            pool.stop()
        else:
            pool.close()
        pool.join(timeout=30)

    # ------------------------------------------------------------ PDF
    def _convert(self) -> None:
        while True:
            with self.cond:
                while not self.conversions and not self.stopping:
                    self.cond.wait()
                if self.stopping:
                    return
                items = [self.conversions.popleft() for _ in range(min(CONVERT_AT_ONCE, len(self.conversions)))]
                self.converting = len(items)
            made = to_pdfs([Path(rec.report) for _, _, rec in items])
            with self.cond:
                for batch, index, rec in items:
                    outcome = made.get(Path(rec.report))
                    if isinstance(outcome, PdfError):
                        rec.notes.append(str(outcome))
                    elif outcome is not None:
                        rec.pdf = str(outcome)
                    batch.pdf_left[index] -= 1
                    if batch.pdf_left[index] == 0:
                        batch.done += 1
                    self._finish_one(batch)
                self.converting = 0
                self.cond.notify_all()
