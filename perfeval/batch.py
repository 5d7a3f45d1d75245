"""Many workbooks: one task per file on any concurrent.futures-style executor, failures isolated.

Each task returns a small picklable ``Record`` (what the console, the JSON and 汇总表 need),
not the whole evaluation, so results travel cheaply between processes or machines.
In a process pool every workbook runs under a time limit enforced by the parent (the worker
that runs past it is ended and replaced, on every platform) and a memory limit where the
platform has one (RLIMIT_AS; not on Windows, and the batch says so); one that exceeds them, or
that crashes its worker, becomes a failed record and the rest go on.
"""
from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Executor, as_completed
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import files
from .errors import BatchError, OutputError
from .files import folder_lock
from .limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from .outputs import SUMMARY_NAME, Outputs, distinct_stems, file_digest, find_workbooks, stamp_of
from .pipeline import annotate, build_file, build_stamp, check_file, check_workbook, result_as_dict
from .rollup import PriorRow, prior_rows
from .summary import read_previous
from .record import (FAILED, HAS_ERRORS, NOT_WRITTEN, OK, UNREADABLE, UP_TO_DATE,  # noqa: F401 - for callers
                     Record)
from .schema import Method

try:
    import resource           # POSIX: a worker's memory can be limited
except ImportError:           # Windows
    resource = None

TASKS_PER_WORKER = 50          # workers are replaced after about this many workbooks: memory stays flat
HEAVY_MODULES = ["perfeval.pipeline", "perfeval.report.writer", "perfeval.scoring", "perfeval.checks",
                 "perfeval.textchecks", "openpyxl", "docx"]


@dataclass(frozen=True)
class Task:
    path: str
    mode: str = "check"            # "check" or "build"
    outdir: str | None = None
    force: bool = False
    pdf: bool = False
    fonts: object = None
    timeout: float = DEFAULT_TIMEOUT
    as_json: bool = False
    reference: str | None = None   # the office's .docx template
    toc: bool = False
    annotate: str | None = None    # write the annotated copy here (the task has checked the workbook anyway)
    stem: str | None = None        # the outputs' name, where the batch gave one (outputs.distinct_stems)


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no library's `except Exception` swallows it."""


def _record(check, **extra) -> Record:
    """The summary of one CheckResult."""
    if check.unreadable:
        return Record(str(check.path), UNREADABLE, reason=check.unreadable, **extra)
    e, info = check.evaluation, check.project.info
    f = e.funds
    kinds: dict[str, int] = {}
    for finding in check.findings:
        kinds[finding.code.value] = kinds.get(finding.code.value, 0) + 1
    return Record(
        check.label, OK if not check.errors else HAS_ERRORS, findings=list(check.findings),
        info={"项目名称": info.name, "实施单位": info.unit, "主管部门": info.department,
              "报告类型": info.report_type.value if info.report_type else "", "评价年度": info.year},
        budget=f.budget_total if f.budget_total is not None else f.budget, in_place=f.in_place, paid=f.paid,
        exec_rate=f.exec_rate, level1=[(g.name, g.score_rate) for g in e.level1],
        total=e.total if e.scorable else None, grade=e.grade if e.graded else "", scored=e.scorable,
        weights_off=e.weights_off, self_score=info.self_score,
        missed=[s.indicator.name for s in e.scored if s.missed and s.indicator.method is not Method.EXECUTION],
        kinds=kinds, **extra)


@functools.lru_cache(maxsize=1)
def program_mtime() -> float:
    """When perfeval itself last changed: a report older than the program is rebuilt."""
    here = Path(__file__).parent
    return max(p.stat().st_mtime for p in here.rglob("*.py"))


def _up_to_date(task: Task) -> str | None:
    """The stamp of the outputs, if the report and the 自评表 there were made from this very
    workbook (the hash of its content) with the same options (fonts, PDF, template, 目录), by this
    version of the program; else None. Times do not count: a report of another workbook of the
    same name is never reused, however new it is."""
    src = Path(task.path)
    out = Outputs.of(src, task.outdir, stem=task.stem)
    try:
        outputs = [out.report, out.form] + ([out.pdf] if task.pdf else [])
        if min(p.stat().st_mtime for p in outputs) <= program_mtime():
            return None
        if task.pdf and out.pdf.stat().st_mtime < out.report.stat().st_mtime:
            return None
        digest = file_digest(src)
    except OSError:
        return None
    stamp = build_stamp(task.fonts, task.pdf, task.reference, task.toc, digest)
    if stamp_of(out.report) != stamp or stamp_of(out.form) != stamp:
        return None
    return stamp


def _run(task: Task) -> list[Record]:
    """The records of one file: one for a standard workbook, one per form of a file of 自评表."""
    if task.mode == "build":
        stamp = None if (task.force or task.as_json or task.annotate) else _up_to_date(task)
        if stamp:
            check = check_workbook(task.path)
            if not check.unreadable and not check.errors and check.part is None:
                out = Outputs.of(task.path, task.outdir, stem=task.stem)
                record = _record(check, report=str(out.report), form=str(out.form),
                                 pdf=str(out.pdf) if task.pdf else None, stamp=stamp)
                record.status = UP_TO_DATE
                return [record]
        records, checks = [], []
        for outcome in build_file(task.path, task.outdir, force=task.force, fonts=task.fonts, pdf=task.pdf,
                                  reference=task.reference, toc=task.toc, stem=task.stem):
            record = _record(outcome.check, report=str(outcome.report) if outcome.report else None,
                             form=str(outcome.form) if outcome.form else None,
                             pdf=str(outcome.pdf) if outcome.pdf else None, notes=list(outcome.notes),
                             json=result_as_dict(outcome.check) if task.as_json else None, stamp=outcome.stamp)
            if outcome.report is None and not outcome.check.unreadable:
                record.reason = outcome.skipped
            if outcome.write_error:
                record.status = NOT_WRITTEN
            records.append(record)
            checks.append(outcome.check)
    else:
        checks = check_file(task.path)
        records = [_record(check, json=result_as_dict(check) if task.as_json else None) for check in checks]
    if task.annotate and not checks[0].unreadable:
        _annotate(checks[0], task.annotate, records[0])
    return records


def _annotate(check, target: str, record: Record) -> None:
    """The annotated copy (of the first form, for a file of 自评表), from the check just made."""
    try:
        record.annotated = str(annotate(check, target))
    except OSError as exc:          # OutputError: the path and why, in Chinese
        record.annotate_error = str(exc) if isinstance(exc, OutputError) else str(OutputError(target, exc))


def _on_alarm(_signum, _frame):
    raise _Timeout()


def _failed(task: Task, reason: str) -> list[Record]:
    return [Record(task.path, FAILED, reason=f"{Path(task.path).name}：{reason}")]


def run_task(task: Task) -> list[Record]:
    """One file's records, never raising: a crash or running out of memory is a record. (The time
    limit is the parent's to enforce: it ends a worker that runs past it.)"""
    try:
        records = _run(task)
        for record in records:
            record.source = task.path
        return records
    except MemoryError:
        return _failed(task, "处理时超出内存限制，已跳过（可能文件过大或内容异常）。")
    except OutputError as exc:
        return [Record(task.path, NOT_WRITTEN, reason=str(exc))]
    except Exception as exc:  # noqa: BLE001 - one workbook never stops the batch
        return _failed(task, internal_error(exc))


def internal_error(exc: BaseException) -> str:
    """An error of the program, said as such: the workbook is not to blame, and the file is wanted."""
    return (f"perfeval 内部错误（{type(exc).__name__}：{exc}）。这是程序的问题，不是工作簿的问题；"
            "请把该工作簿和这条信息发送给维护人员，以便修复。")


def _timed_out(task: Task) -> list[Record]:
    return _failed(task, f"处理超过 {task.timeout:g} 秒，已跳过（可能文件过大或内容异常）。")


def memory_limit_available() -> bool:
    """Whether a worker's memory can be limited here (POSIX ``resource``; not on Windows)."""
    return resource is not None and hasattr(resource, "RLIMIT_AS")


NO_MEMORY_LIMIT = ("本系统（如 Windows）不能限制单个工作簿使用的内存，只限制处理时间；"
                   "异常巨大的工作簿会在读取前被拒绝。")


def _limit_memory(memory_mb: int) -> None:
    """Worker initializer: let this worker grow by at most ``memory_mb`` beyond its size now
    (a forked worker starts with its parent's address space, whatever that is)."""
    if not memory_limit_available():
        return        # the time limit still applies; the batch says so
    try:
        with open("/proc/self/statm") as fh:
            start = int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError):
        start = 0
    try:
        limit = start + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


def _context(start_method: str | None):
    """Workers that start from a clean process: 'forkserver' forks them from a server that has
    imported the heavy libraries once; where it is missing (Windows), 'spawn'."""
    method = start_method or os.environ.get("PERFEVAL_START_METHOD") or None
    if method is None:
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(HEAVY_MODULES)
    return ctx


def run_batch(tasks: list[Task], jobs: int | None = None, executor: Executor | None = None,
              memory_mb: int = DEFAULT_MEMORY_MB,
              on_result: Callable[[int, Record], None] | None = None,
              on_done: Callable[[int, Record], None] | None = None,
              start_method: str | None = None) -> list[Record]:
    """Run ``tasks``; return their records in input order. ``on_result(i, record)`` is called for
    each in input order, as soon as it and all before it are finished; ``on_done(i, record)`` as
    each finishes (in completion order, e.g. for a progress bar).

    Without ``executor``: a pool of ``jobs`` worker processes (all cores by default). Each task's
    time limit is enforced from here, the same on every platform: a worker that runs past it is
    ended and replaced, and the task becomes a record saying so. A worker that dies (out of
    memory, or a crash in a library) fails its own task only. Workers are replaced every
    TASKS_PER_WORKER tasks, so memory does not grow with the batch. One task (or ``jobs=1``) runs
    in this process where the platform can interrupt it (SIGALRM), else in a worker as well."""
    results: list[list[Record] | None] = [None] * len(tasks)
    following = [0]            # the next task whose records are owed to on_result

    def done(i, records):
        results[i] = records
        if on_done:
            on_done(i, records[0])
        while following[0] < len(results) and results[following[0]] is not None:
            for record in results[following[0]]:
                if on_result:
                    on_result(following[0], record)
            following[0] += 1

    def flat() -> list[Record]:
        return [r for rs in results for r in (rs or [])]

    jobs = jobs or os.cpu_count() or 1
    if executor is not None:
        _submit_all(executor, tasks, done)
        return flat()
    if (jobs == 1 or len(tasks) <= 1) and _can_interrupt():
        for i, task in enumerate(tasks):
            done(i, _run_here(task))
        return flat()
    _run_pool(tasks, min(jobs, len(tasks)) or 1, memory_mb, done, start_method)
    return flat()


def _can_interrupt() -> bool:
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


def _run_here(task: Task) -> list[Record]:
    """One task in this process, stopped by the alarm at its time limit."""
    if not task.timeout:
        return run_task(task)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, task.timeout)
    try:
        return run_task(task)
    except _Timeout:
        return _timed_out(task)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _run_pool(tasks, workers: int, memory_mb: int, done, start_method) -> None:
    with open_pool(workers, memory_mb, start_method) as pool:
        futures = {pool.schedule(run_task, args=(task,), timeout=task.timeout or None): i
                   for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            done(i, pool_records(tasks[i], future, memory_mb))


# pebble (about a tenth of a second to import) only where a pool is made: one workbook checked
# from the command line runs in this process without it.
def open_pool(workers: int, memory_mb: int = DEFAULT_MEMORY_MB, start_method: str | None = None):
    """A pebble pool of ``workers`` processes as the batch uses them (memory limit, workers
    replaced every TASKS_PER_WORKER tasks), for the batch and for a caller that keeps one open
    across many batches (the web page's one queue). Schedule ``run_task`` with the task's
    timeout; pebble counts it from the moment a worker starts the task."""
    from pebble import ProcessPool
    return ProcessPool(max_workers=workers, max_tasks=TASKS_PER_WORKER, initializer=_limit_memory,
                       initargs=(memory_mb,), context=_context(start_method))


def pool_records(task: Task, future, memory_mb: int = DEFAULT_MEMORY_MB,
                 timed_out: Callable[[Task], list[Record]] | None = None) -> list[Record]:
    """The records of a finished pool future: its own, or one failed record saying why
    (``timed_out`` words the time limit's record; by default the batch's own)."""
    from pebble import ProcessExpired        # (see open_pool)
    try:
        return future.result()
    except FutureTimeout:
        return (timed_out or _timed_out)(task)
    except ProcessExpired:
        return _failed(task, f"处理时进程异常退出（可能超出内存限制 {memory_mb} MB），已跳过。")
    except Exception as exc:  # noqa: BLE001 - a failure of this task only
        return _failed(task, f"任务执行失败（{type(exc).__name__}：{exc}）。")


def _submit_all(executor: Executor, tasks, done) -> None:
    futures = {executor.submit(run_task, task): i for i, task in enumerate(tasks)}
    for future in as_completed(futures):
        i = futures[future]
        try:
            done(i, future.result())
        except Exception as exc:  # noqa: BLE001 - an executor-level failure for this task only
            done(i, _failed(tasks[i], f"任务执行失败（{type(exc).__name__}：{exc}）。"))


# ---------------------------------------------------------------- what the commands run
def dask_executor(address: str) -> Executor:
    try:
        from dask.distributed import Client          # an optional extra (perfeval[dask]), imported when asked for
    except ImportError:
        raise BatchError("使用 --scheduler 需要安装 Dask：pip install \"perfeval[dask]\"") from None
    try:
        return Client(address, timeout=30).get_executor()
    except OSError as exc:
        raise BatchError(f"无法连接 Dask 调度器 {address}：{exc}") from None


@dataclass
class BatchResult:
    records: list[Record]
    notes: list[str] = field(default_factory=list)      # e.g. a folder that holds no workbook
    summary: Path | None = None                          # 汇总表.xlsx, for a build of several workbooks
    analysis: Path | None = None                         # 汇总分析报告.docx, beside it


def run_workbooks(paths, mode: str = "check", *, outdir=None, force: bool = False, pdf: bool = False,
                  fonts=None, as_json: bool = False, reference=None, toc: bool = False, annotate=None,
                  jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                  scheduler: str | None = None, keep_findings: bool = False, previous=None,
                  on_result: Callable[[int, Record], None] | None = None,
                  on_done: Callable[[int, Record], None] | None = None,
                  lock_wait: float | None = None, on_wait: Callable[[str], None] | None = None) -> BatchResult:
    """``check`` or ``build`` the workbooks among ``paths`` (files or folders), in parallel.

    ``on_result`` sees each record in input order; after it, a record keeps only its counts and
    first errors (memory stays flat over thousands of workbooks) unless ``keep_findings``. A build
    of several workbooks also writes 汇总表.xlsx and 汇总分析报告.docx into ``outdir``; ``previous``: the
    previous year's 汇总表.xlsx (or its folder, or a folder of its forms) for the year-over-year
    comparison in both. ``annotate``: the file for the
    annotated copy of the one workbook, or True for each workbook's <stem>-检查结果.xlsx in ``outdir``;
    each is written by the task that checks the workbook.

    Two workbooks whose outputs would have one name (``s1/w.xlsx``, ``s2/w.xlsx``) are both built,
    the second as ``w（2）``. A run that writes into ``outdir`` holds its lock (files.folder_lock):
    another run into the same folder waits for it (``on_wait(holder)`` is told once), up to
    ``lock_wait`` seconds (files.LOCK_WAIT by default), then raises FolderBusy."""
    prior = load_previous(previous, jobs=jobs, timeout=timeout, scheduler=scheduler) \
        if previous is not None and mode == "build" else None
    found, notes = find_workbooks(paths)
    stems = distinct_stems(found) if outdir is not None else [None] * len(found)

    def annotated(p: Path, stem) -> str | None:
        if annotate is True:
            return str(Outputs.of(p, outdir, stem=stem).annotated)
        return str(annotate) if annotate else None

    tasks = [Task(str(p), mode, outdir=str(outdir) if outdir is not None else None, force=force, pdf=pdf,
                  fonts=fonts, timeout=timeout, as_json=as_json,
                  reference=str(reference) if reference else None, toc=toc, annotate=annotated(p, stem),
                  stem=stem if stem != p.stem else None) for p, stem in zip(found, stems)]
    if not tasks:
        return BatchResult([], notes)
    executor = dask_executor(scheduler) if scheduler else None
    writes = outdir is not None and (mode == "build" or annotate is True)
    try:
        wait = files.LOCK_WAIT if lock_wait is None else lock_wait
        with folder_lock(outdir, wait, on_wait) if writes else contextlib.nullcontext():
            return _run_tasks(tasks, mode, outdir, notes, executor, jobs, keep_findings, on_result, on_done,
                              prior, fonts)
    finally:
        client = getattr(executor, "_client", None)     # a Dask client: closed, not left to reconnect
        if client is not None:
            client.close()


def _run_tasks(tasks, mode, outdir, notes, executor, jobs, keep_findings, on_result, on_done,
               prior=None, fonts=None) -> BatchResult:
    def deliver(i, record):
        if on_result:
            on_result(i, record)
        if not keep_findings:
            record.compact()

    records = run_batch(tasks, jobs=jobs, executor=executor, on_result=deliver, on_done=on_done)
    if executor is None and len(tasks) > 1 and (jobs or 2) > 1 and not memory_limit_available():
        notes.append(NO_MEMORY_LIMIT)
    result = BatchResult(records, notes)
    if mode == "build" and len(records) > 1:
        from .desk import write_batch_outputs       # pandas and python-docx only where there is a summary
        result.summary, result.analysis = write_batch_outputs(records, outdir, prior, fonts)
    return result


def load_previous(path, jobs=None, timeout: float = DEFAULT_TIMEOUT, scheduler=None) -> list[PriorRow]:
    """Last year's projects: from its 汇总表.xlsx (the file, or a folder holding it), or else from a
    folder of last year's forms, checked here. Raises BatchError when there is neither."""
    path = Path(path)
    if not path.exists():
        raise BatchError(f"上年汇总表 {path} 不存在。")
    if path.is_dir() and not (path / SUMMARY_NAME).exists():
        if not find_workbooks([path])[0]:
            raise BatchError(f"文件夹 {path} 中既没有上年的汇总表.xlsx，也没有上年的自评表或工作簿。")
        return prior_rows(run_workbooks([path], "check", jobs=jobs, timeout=timeout, scheduler=scheduler).records)
    return read_previous(path / SUMMARY_NAME if path.is_dir() else path)      # PreviousError: a BatchError
