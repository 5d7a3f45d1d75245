"""perfeval benchmark: how fast and how lean check and build are, against a floor.

    python bench/run.py                      # 1,000 generated workbooks (several minutes on 2 cores)
    python bench/run.py --n 200              # quicker
    python bench/run.py --parts scaling,cold # only the scaling table and the cold start

It generates N realistic workbooks (from the size of the seed-000 example up to 500
payments and 60 indicators), then measures in this one run, on the same files:
  - check and build per workbook in a warm process (median and p95 milliseconds of CPU);
  - the floor: reading the same workbooks' values with the fastest reader installed, plus
    writing a .docx of the same paragraphs and table cells with plain python-docx calls;
  - scaling: the seed-000 example grown to 10 / 100 / 1,000 / 2,000 indicators and to
    1,000 / 10,000 / 20,000 payments, check and build, and the cost of each added row;
  - a cold one-shot `perfeval build` of one workbook beside the floor's as a one-shot script
    (CPU of the whole process, imports included), and its imports by `python -X importtime`;
  - a batch build with 2 workers: throughput and peak memory (parent and workers);
  - `perfeval --help` wall time;
  - the bureau's desk: N units' 自评表, a third each .xlsx, .xls and .et, built into reports,
    汇总表 and 汇总分析报告 (throughput), and the two summaries alone from N records.
Times are CPU time (process time; of the child process for one-shot runs), the median of
repeated runs: other work on the machine barely changes them, as it changes wall time.
Each figure is printed beside its target.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workbook_templates" / "examples"))
sys.path.insert(0, str(ROOT / "tests"))

import seed000  # noqa: E402
from big_workbooks import grown  # noqa: E402

from perfeval.template import write_workbook  # noqa: E402


# ---------------------------------------------------------------- workbooks
def make_data(i: int, rng: random.Random) -> dict:
    """Seed 000, scaled: more payments (split from the real ones) and more indicators."""
    data = copy.deepcopy(seed000.DATA)
    data["项目信息"]["项目名称"] = f"示例项目{i:04d}"
    data["项目信息"]["主管部门"] = rng.choice(["住建局", "财政局", "交通局", "教育局"])
    size = i % 10                         # every tenth workbook is seed-000 sized
    n_payments = 5 if size == 0 else rng.randint(5, 500)
    if n_payments > 5:
        payments = []
        for p in data["支付"]:
            parts = max(1, n_payments // 5)
            amount = p["支付金额"]
            share = amount // parts
            for k in range(parts):       # instalments on different days, as real payments are
                q = share if k < parts - 1 else amount - share * (parts - 1)
                day = p["支付日期"].replace(month=1 + k % 9, day=1 + k // 9 % 28)
                payments.append(dict(p, 支付日期=day, 支付金额=q, 凭证号=f"{i}-{len(payments)}"))
        data["支付"] = payments
    n_indicators = 20 if size == 0 else rng.randint(20, 60)
    if n_indicators > 20:
        extra = n_indicators - 20
        # split the 15 points of 效益 over more 三级 indicators, same total
        base = data["绩效指标"][18]
        data["绩效指标"].pop(18)
        # weights in hundredths of a point that add up to exactly 15
        cents = [1500 // (extra + 1)] * (extra + 1)
        cents[-1] += 1500 - sum(cents)
        weights = [c / 100 for c in cents]
        for k, w in enumerate(weights):
            data["绩效指标"].insert(18 + k, dict(base, 三级指标=f"{base['三级指标']}{k + 1}", 分值=w, 填报得分=w))
    return data


def generate(n: int, folder: Path) -> list[Path]:
    rng = random.Random(20240101)
    paths = []
    for i in range(n):
        paths.append(write_workbook(folder / f"项目{i:04d}.xlsx", make_data(i, rng)))
    return paths


def spoil(paths: list[Path], k: int) -> list[Path]:
    """Spoil ``k`` workbooks the ways people do: cut short, not a workbook, text in a number cell."""
    import openpyxl
    chosen = paths[3::max(1, len(paths) // max(k, 1))][:k]
    for j, p in enumerate(chosen):
        if j % 3 == 0:
            p.write_bytes(p.read_bytes()[:4000])
        elif j % 3 == 1:
            p.write_text("项目名称,预算\n", encoding="utf-8")
        else:
            wb = openpyxl.load_workbook(p)
            wb["支付"]["D2"] = "三百万"
            wb.save(p)
    return chosen


# ---------------------------------------------------------------- measures
def ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def time_each(fn, paths) -> list[float]:
    """CPU seconds of ``fn`` on each path, in this (warm) process."""
    fn(paths[0])                           # warm: imports and caches
    out = []
    for p in paths:
        t = time.process_time()
        fn(p)
        out.append(time.process_time() - t)
    return out


def fastest_reader():
    try:
        from python_calamine import CalamineWorkbook

        def read(path):
            wb = CalamineWorkbook.from_path(str(path))
            return [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]
        return "python-calamine", read
    except ImportError:
        import openpyxl

        def read(path):
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            values = [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]
            wb.close()
            return values
        return "openpyxl (read_only)", read


def floor_job(read, content, out: Path):
    """Read the workbook's values, then write the same paragraphs and table cells, plainly."""
    import docx

    def job(path):
        read(path)
        paragraphs, tables = content[path]
        doc = docx.Document()
        for text in paragraphs:
            doc.add_paragraph(text)
        for rows in tables:
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            for row, values in zip(table.rows, rows):
                for cell, value in zip(row.cells, values):
                    cell.text = value
        doc.save(out / "floor.docx")
    return job


def report_content(report: Path):
    import docx
    doc = docx.Document(report)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return [p.text for p in doc.paragraphs], tables


def tree_memory_mb(pid: int) -> float:
    """Memory of a process and all its descendants (Linux /proc): proportional set size, so the
    pages the workers share with the process they were forked from are counted once."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            try:
                with open(f"/proc/{p}/smaps_rollup") as fh:
                    total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
            except (OSError, StopIteration):
                with open(f"/proc/{p}/status") as fh:
                    total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS")), 0)
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total / 1024


def pandas_subtotals(evaluation):
    """The 一级/二级 subtotals as a pandas groupby (what the scoring did before): the comparison for
    the plain loop the scoring uses, on the same indicators."""
    import pandas as pd
    from decimal import Decimal
    scored = [s for s in evaluation.scored if s.applicable]
    frame = pd.DataFrame({"level1": [s.indicator.level1 for s in scored],
                          "level2": [s.indicator.level2 for s in scored],
                          "weight": [s.indicator.weight for s in scored], "score": [s.score for s in scored]})
    total = lambda x: sum(x, Decimal(0))  # noqa: E731
    frame.groupby(["level1", "level2"], sort=False).agg(weight=("weight", total), score=("score", total))
    frame.groupby("level1", sort=False).agg(weight=("weight", total), score=("score", total),
                                            n2=("level2", "nunique"))


def pandas_in_one_workbook(path: Path, out: Path) -> bool:
    """Whether checking and building one workbook imports pandas (it should not: only the batch's
    汇总表 uses it)."""
    code = ("import sys; from perfeval.pipeline import build_workbook, check_workbook; "
            f"check_workbook({str(path)!r}); build_workbook({str(path)!r}, {str(out)!r}, force=True); "
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip() == "True"


# ---------------------------------------------------------------- scaling
INDICATOR_SIZES = (10, 100, 1000, 2000)
PAYMENT_SIZES = (1000, 10000, 20000)


def scaling(folder: Path, repeats: int, show) -> None:
    """Check and build the grown example at each size (median CPU of ``repeats`` runs each) and the
    cost of each row added since the size before: linear stages keep it flat."""
    from perfeval.pipeline import build_workbook, check_workbook
    from perfeval.template import write_workbook

    def measure(indicators, payments):
        path = write_workbook(folder / f"grown-{indicators}-{payments}.xlsx", grown(indicators, payments))
        result = check_workbook(path)
        assert result.ok, f"{path.name}: {[f.message for f in result.errors][:3]}"
        check_t, build_t = [], []
        for _ in range(repeats):
            t = time.process_time()
            check_workbook(path)
            check_t.append(time.process_time() - t)
            t = time.process_time()
            build_workbook(path, folder / "out", force=True)
            build_t.append(time.process_time() - t)
        return statistics.median(check_t) * 1000, statistics.median(build_t) * 1000

    measure(20, 5)                          # warm
    series = [("indicators", [(n, measure(n, 5)) for n in INDICATOR_SIZES]),
              ("payments", [(5, measure(20, 5))] + [(n, measure(20, n)) for n in PAYMENT_SIZES])]
    print(f"\nscaling: CPU ms (median of {repeats}); ms/row = cost of each row added since the size above")
    print(f"{'':<22} {'check ms':>10} {'ms/row':>8} {'build ms':>10} {'ms/row':>8}")
    for what, points in series:
        per_row = {}
        for (n0, (c0, b0)), (n1, (c1, b1)) in zip(points, points[1:]):
            per_row[n1] = ((c1 - c0) / (n1 - n0), (b1 - b0) / (n1 - n0))
        for n, (c, b) in points:
            pc, pb = per_row.get(n, (None, None))
            label = f"{n:,} {what}" + (" (seed)" if what == "payments" and n == 5 else "")
            print(f"{label:<22} {c:>10.0f} {pc if pc is not None else '—':>8.3} {b:>10.0f} "
                  f"{pb if pb is not None else '—':>8.3}", flush=True)
        first, last = per_row[points[1][0]], per_row[points[-1][0]]
        for k, stage in enumerate(("check", "build")):
            ratio = last[k] / first[k]
            show(f"{what}: {stage} ms/row, largest / smallest", ratio, "×", "≤ 2", ratio <= 2)


# ---------------------------------------------------------------- a cold one-shot run
FLOOR_SCRIPT = """\
import json, sys
path, content, out = sys.argv[1:4]
if sys.argv[4:] == ["--no-numpy"]:     # as the perfeval command imports openpyxl
    sys.modules["numpy"] = None
try:
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(path)
    values = [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]
except ImportError:
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    values = [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]
    wb.close()
import docx
paragraphs, tables = json.load(open(content, encoding="utf-8"))
doc = docx.Document()
for text in paragraphs:
    doc.add_paragraph(text)
for rows in tables:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for row, cells in zip(table.rows, rows):
        for cell, value in zip(row.cells, cells):
            cell.text = value
doc.save(out)
"""


def child_cpu_ms(cmd: list[str]) -> float:
    """CPU time (user + system) of a command run to its end, imports and start-up included."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{cmd} failed")
    return (usage.ru_utime + usage.ru_stime) * 1000


def import_times(cmd: list[str]) -> tuple[dict[str, float], float, float]:
    """What `python -X importtime` reports for the command (wall time, ms): each module's
    cumulative import time, the first time it is imported; all imports together; and the
    modules of perfeval themselves (their own time, without what they import)."""
    done = subprocess.run([sys.executable, "-X", "importtime"] + cmd, capture_output=True, text=True)
    modules, total, own = {}, 0.0, 0.0
    for line in done.stderr.splitlines():
        fields = line[len("import time:"):].split("|") if line.startswith("import time:") else []
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        self_us, cumulative, name = int(fields[0]), int(fields[1]) / 1000, fields[2]
        modules.setdefault(name.strip(), cumulative)
        if not name[1:].startswith(" "):          # imported by the program itself, not by a module
            total += cumulative
        if name.strip().split(".")[0] == "perfeval":
            own += self_us / 1000
    return modules, total, own


def cold(workbook: Path, folder: Path, repeats: int, show) -> None:
    """`perfeval build` of one workbook as a user runs it, against the floor as a one-shot script."""
    out = folder / "cold"
    build = [sys.executable, "-m", "perfeval", "build", str(workbook), "-o", str(out), "--force"]
    subprocess.run(build, capture_output=True, check=True)
    content = folder / "content.json"
    content.write_text(json.dumps(report_content(out / f"{workbook.stem}.docx"), ensure_ascii=False), encoding="utf-8")
    script = folder / "floor.py"
    script.write_text(FLOOR_SCRIPT, encoding="utf-8")
    floor = [sys.executable, str(script), str(workbook), str(content), str(folder / "floor.docx")]
    builds, floors, lean, empty = [], [], [], []
    for _ in range(repeats):              # in turn, so that all meet the same load of the machine
        builds.append(child_cpu_ms(build))
        floors.append(child_cpu_ms(floor))
        lean.append(child_cpu_ms(floor + ["--no-numpy"]))
        empty.append(child_cpu_ms([sys.executable, "-c", "pass"]))
    b, f, f_lean = statistics.median(builds), statistics.median(floors), statistics.median(lean)
    print(f"\ncold one-shot, seed-000 size: CPU ms of the whole process (median of {repeats})")
    print(f"{'  python -c pass':<44} {statistics.median(empty):>10.0f} ms")
    print(f"{'  floor as a script (imports included)':<44} {f:>10.0f} ms")
    print(f"{'  the same, openpyxl imported without numpy':<44} {f_lean:>10.0f} ms")
    print(f"{'  perfeval build (imports included)':<44} {b:>10.0f} ms")
    show("cold build / floor", b / f, "×", "≤ 1.3", b / f <= 1.3)
    print(f"{'  build / the floor without numpy':<44} {b / f_lean:>10.1f} ×  (no target: perfeval's own cost, told apart)")
    imports, total, own = import_times(build[1:])
    print(f"{'  imports of that build, -X importtime (wall ms)':<44} {total:>10.0f} ms in all, of which")
    for name in ("openpyxl", "numpy", "docx", "click", "pebble", "pandas"):
        took = imports.get(name, 0)
        print(f"{'    ' + name:<44} " + (f"{took:>10.0f} ms" if took >= 0.5 else f"{'—':>10}     (not imported)"))
    print(f"{'    perfeval modules themselves':<44} {own:>10.0f} ms")
    network = [name for name in ("ssl", "http.client", "urllib.request", "email.parser") if name in imports]
    show("network modules imported by build", len(network), "", "0", not network)


def help_wall() -> float:
    samples = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "perfeval", "--help"], capture_output=True, check=True)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def single(paths, good, broken, args, tmp: Path, show, rows) -> None:
    """One workbook at a time in a warm process: seed-sized and all sizes, and the floor."""
    from perfeval.pipeline import build_workbook, check_workbook
    seed_sized = [p for i, p in enumerate(paths) if i % 10 == 0 and p not in broken][:args.sample]
    sample = good[:args.sample]
    out = tmp / "single"

    check_t = time_each(check_workbook, seed_sized)
    for p in seed_sized:                   # the reports whose paragraphs and tables the floor writes
        build_workbook(p, out, force=True)
    reader_name, read = fastest_reader()
    content = {p: report_content(out / f"{p.stem}.docx") for p in seed_sized}
    floor = floor_job(read, content, tmp)
    build_t, floor_t = [], []
    floor(seed_sized[0])
    for p in seed_sized:                   # in turn, so that both meet the same load of the machine
        for job, times in ((lambda p: build_workbook(p, out, force=True), build_t), (floor, floor_t)):
            t = time.process_time()
            job(p)
            times.append(time.process_time() - t)
    med, p95 = ms(check_t)
    show("check, seed-000 size, warm (median CPU ms)", med, "ms", "≤ 25", med <= 25)
    print(f"{'  p95':<44} {p95:>10.1f} ms")
    med_b, p95 = ms(build_t)
    show("build, seed-000 size, warm (median CPU ms)", med_b, "ms", "≤ 150", med_b <= 150)
    print(f"{'  p95':<44} {p95:>10.1f} ms")
    all_check = ms(time_each(check_workbook, sample))
    print(f"{'check, all sizes (median / p95 CPU ms)':<44} {all_check[0]:>10.1f} / {all_check[1]:.1f}")
    all_build = ms(time_each(lambda p: build_workbook(p, out, force=True), sample))
    print(f"{'build, all sizes (median / p95 CPU ms)':<44} {all_build[0]:>10.1f} / {all_build[1]:.1f}")

    from perfeval.scoring import evaluate
    projects = [check_workbook(p).project for p in sample]
    loop = ms(time_each(evaluate, projects))
    evaluations = [evaluate(p) for p in projects]
    grouped = ms(time_each(pandas_subtotals, evaluations))
    print(f"{'scoring one workbook, subtotals by loop (ms)':<44} {loop[0]:>10.2f} ms")
    print(f"{'  the same subtotals by pandas groupby (ms)':<44} {grouped[0]:>10.2f} ms"
          f"  (scoring costs less than pandas would: {'yes' if loop[0] < grouped[0] else 'NO'})")
    uses_pandas = pandas_in_one_workbook(seed_sized[0], out)
    rows.append(("pandas not imported for one workbook", 0, "", "", not uses_pandas))
    print(f"{'pandas imported to check and build one workbook':<44} {'yes' if uses_pandas else 'no':>10}"
          f"        target no         {'MISSED' if uses_pandas else 'OK'}")

    med_f, _ = ms(floor_t)
    print(f"{'floor (' + reader_name + ' + plain python-docx)':<44} {med_f:>10.1f} ms")
    show("warm build / floor", med_b / med_f, "×", "≤ 1.5", med_b / med_f <= 1.5)


def batch(args, tmp: Path, good, broken, show) -> None:
    """The batch as a user runs it: the perfeval command in its own process, its memory (the
    command and all its workers together) sampled while it runs. Wall time: its throughput."""
    cmd = [sys.executable, "-m", "perfeval", "build", str(tmp / "in"), "-o", str(tmp / "batch"),
           "-j", str(args.workers)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, samples = 0.0, []
    while proc.poll() is None:
        now = tree_memory_mb(proc.pid)
        samples.append(now)
        peak = max(peak, now)
        time.sleep(0.2)
    elapsed = time.perf_counter() - t
    rate = args.n / elapsed
    show(f"batch of {args.n}, {args.workers} workers (reports/s)", rate, "/s", "≥ 10", rate >= 10)
    show("peak memory of the batch (command + workers)", peak, "MB", "≤ 400", peak <= 400)
    quarters = [samples[k * len(samples) // 4:(k + 1) * len(samples) // 4] or [0] for k in range(4)]
    print(f"{'  peak memory by quarter of the batch (MB)':<44} "
          + " / ".join(f"{max(q):.0f}" for q in quarters) + "  (flat: not growing with N)")
    print(f"{'  exit code (non-zero: some workbooks failed)':<44} {proc.returncode:>10}")
    from perfeval.batch import Record
    from perfeval.rollup import by_department
    fake = [Record(f"{i}.xlsx", "成功", info={"主管部门": f"部门{i % 40}"}, budget=Decimal(100 + i),
                   paid=Decimal(90), total=Decimal(90), grade="优", scored=True) for i in range(args.n)]
    t = time.perf_counter()
    by_department(fake)
    print(f"{'汇总表 roll-up by 主管部门 (pandas), ' + str(args.n) + ' records':<44} "
          f"{(time.perf_counter() - t) * 1000:>10.1f} ms")
    import openpyxl
    from perfeval import summary
    rows = openpyxl.load_workbook(tmp / "batch" / summary.SUMMARY_NAME)[summary.SHEET].iter_rows(values_only=True)
    head = list(next(rows))
    file, status, reason = (head.index(h) for h in (summary.FILE, summary.STATUS, summary.REASON))
    listed = {row[file]: row[reason] for row in rows if row[status] not in ("成功", "已是最新")}
    every = {p.name for p in broken} == set(listed) and all(listed.values())
    reports = len([p for p in (tmp / "batch").glob("*.docx") if p.name != "汇总分析报告.docx"])
    print(f"{'broken workbooks listed with a reason':<44} {len(listed):>10} of {len(broken)}"
          f"{'' if every else '  MISSED'}; reports written: {reports} of {len(good)} good")


# ---------------------------------------------------------------- the bureau's desk
def mixed_forms(n: int, folder: Path) -> dict[str, int]:
    """``n`` units' 自评表 (tests/bureau_forms.py), a third kept as .xlsx, a third saved by LibreOffice
    as .xls and a third as WPS .et (the same BIFF8 file); without LibreOffice all stay .xlsx."""
    import shutil
    sys.path.insert(0, str(ROOT / "tests"))
    from bureau_forms import make_forms
    paths = make_forms(folder, n)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    counts = {".xlsx": n, ".xls": 0, ".et": 0}
    if not office:
        return counts
    for suffix, chosen in ((".xls", paths[1::3]), (".et", paths[2::3])):
        # one LibreOffice run converts about 250 files and silently skips the rest: 100 a run
        for start in range(0, len(chosen), 100):
            with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
                subprocess.run([office, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                                "--convert-to", f"{suffix[1:]}:MS Excel 97", "--outdir", str(folder),
                                *map(str, chosen[start:start + 100])], check=True, capture_output=True, timeout=1800)
        for p in chosen:
            if p.with_suffix(suffix).exists():
                p.unlink()
                counts[".xlsx"] -= 1
                counts[suffix] += 1
    return counts


def bureau_case(n: int, workers: int, tmp: Path, show) -> None:
    """1,000 forms of mixed formats built as a bureau does: throughput, 汇总表 and 汇总分析报告."""
    t = time.perf_counter()
    counts = mixed_forms(n, tmp / "forms")
    print(f"\ngenerated {n} 自评表 in {time.perf_counter() - t:.1f} s: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)
    cmd = [sys.executable, "-m", "perfeval", "build", str(tmp / "forms"), "-o", str(tmp / "bureau"), "-j", str(workers)]
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rate = n / (time.perf_counter() - t)
    show(f"bureau: {n} mixed forms built, {workers} workers (forms/s)", rate, "/s", "≥ 10", rate >= 10)
    written = all((tmp / "bureau" / name).exists() for name in ("汇总表.xlsx", "汇总分析报告.docx"))
    print(f"{'  汇总表.xlsx and 汇总分析报告.docx written':<44} {'yes' if written else 'NO':>10}")
    from perfeval.batch import run_workbooks
    from perfeval.desk import write_batch_outputs
    records = run_workbooks([tmp / "forms"], "check", jobs=workers).records
    t = time.perf_counter()
    write_batch_outputs(records, tmp / "again")
    took = time.perf_counter() - t
    show(f"  汇总表 + 汇总分析报告 from {n} records (s)", took, "s", "≤ 10", took <= 10)


def help_wall() -> float:
    samples = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "perfeval", "--help"], capture_output=True, check=True)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="number of workbooks (default 1000)")
    ap.add_argument("--sample", type=int, default=100, help="workbooks timed one by one (default 100)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--broken", type=int, default=5, help="workbooks spoilt among them (default 5)")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each scaling size (default 3; 7 cold runs)")
    ap.add_argument("--forms", type=int, default=1000,
                    help="自评表 of mixed formats (.xlsx, .xls, .et) for the bureau's case (default 1000)")
    ap.add_argument("--parts", default="single,scaling,cold,batch,bureau",
                    help="what to measure, of single,scaling,cold,batch,bureau (default all)")
    args = ap.parse_args()
    parts = set(args.parts.split(","))

    from perfeval.template import write_workbook

    rows = []

    def show(name, value, unit, target, ok):
        rows.append((name, value, unit, target, ok))
        print(f"{name:<44} {value:>10.1f} {unit:<6} target {target:<10} {'OK' if ok else 'MISSED'}", flush=True)

    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        if parts & {"single", "batch"}:
            t = time.perf_counter()
            paths = generate(args.n, tmp / "in")
            print(f"generated {args.n} workbooks in {time.perf_counter() - t:.1f} s "
                  f"(payments 5–500, indicators 20–60)", flush=True)
            broken = spoil(paths, args.broken)
            good = [p for p in paths if p not in broken]
        if "single" in parts:
            single(paths, good, broken, args, tmp, show, rows)
        if "scaling" in parts:
            (tmp / "grown").mkdir()
            scaling(tmp / "grown", args.repeats, show)
        if "cold" in parts:
            (tmp / "one").mkdir()
            seed = write_workbook(tmp / "one" / "seed-000.xlsx", make_data(0, random.Random(0)))
            cold(seed, tmp / "one", max(7, args.repeats), show)
        if "batch" in parts:
            batch(args, tmp, good, broken, show)
        if "bureau" in parts and args.forms:
            bureau_case(args.forms, args.workers, tmp, show)
        wall = help_wall()
        show("perfeval --help (wall s)", wall, "s", "≤ 0.3", wall <= 0.3)

    cpu = os.cpu_count()
    print(f"\nmachine: {cpu} cores, Python {sys.version.split()[0]}, {os.uname().machine}")
    missed = [r for r in rows if not r[4]]
    print("all targets met" if not missed else f"missed: {', '.join(r[0] for r in missed)}")


if __name__ == "__main__":
    main()
