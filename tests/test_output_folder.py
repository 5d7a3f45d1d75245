"""One output folder, many writers: a report is reused only when it was made from the same workbook
content with the same options; two inputs with one name are both kept; two batches into one folder
take turns (a lock file with the holder's process id) and end with every report matching its input
and one 汇总表 listing every row; names fit in 255 bytes, temporary names too."""
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from perfeval import files
from perfeval.batch import UP_TO_DATE, run_workbooks
from perfeval.cli import cli
from perfeval.files import LOCK_NAME, FolderBusy, fit_name, folder_lock
from perfeval.outputs import ANALYSIS_NAME, FORM_SUFFIX, SUMMARY_NAME, Outputs, distinct_stems, file_digest, stamp_of

from conftest import SEED000_XLSX, SEED004_XLSX

SEED000_NAME, SEED004_NAME = "住建厅综合平台使用费项目", "网络系统运行服务费项目"


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def project_in(report: Path) -> str:
    """The 项目名称 a report is about (its title, less the report type)."""
    import re
    return re.sub(r"(绩效评价报告|绩效自评报告)$", "", docx.Document(report).core_properties.title)


def form_project(form: Path) -> str:
    ws = openpyxl.load_workbook(form).active
    return next(ws.cell(r, 2).value for r in range(1, 10) if ws.cell(r, 1).value == "项目名称")


def named(src: Path, dest: Path, name: str) -> Path:
    """A copy of a workbook whose 项目名称 is ``name`` (so that its report is known by it)."""
    wb = openpyxl.load_workbook(src)
    wb["项目信息"]["B2"] = name
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    return dest


# ---------------------------------------------------------------- up to date
def test_a_report_of_another_workbook_with_the_same_name_is_rebuilt(tmp_path):
    a = tmp_path / "s1" / "w.xlsx"
    b = tmp_path / "s2" / "w.xlsx"
    a.parent.mkdir()
    b.parent.mkdir()
    shutil.copy(SEED000_XLSX, a)
    shutil.copy(SEED004_XLSX, b)
    out = tmp_path / "seq"
    first = run("build", a, "-o", out)
    assert first.exit_code == 0 and project_in(out / "w.docx") == SEED000_NAME
    os.utime(b, (time.time() - 3600, time.time() - 3600))        # older than A's report: times do not decide
    second = run("build", b, "-o", out)
    assert second.exit_code == 0 and "已是最新" not in second.output, second.output
    assert project_in(out / "w.docx") == SEED004_NAME and form_project(out / f"w{FORM_SUFFIX}") == SEED004_NAME
    assert "总分 100.00 分" in second.output                       # B's own score, not A's 98.8
    again = run("build", b, "-o", out)
    assert "已是最新" in again.output
    # the stamp in both outputs names B's content
    assert stamp_of(out / "w.docx") == stamp_of(out / f"w{FORM_SUFFIX}")
    back = run("build", a, "-o", out)
    assert "已是最新" not in back.output and project_in(out / "w.docx") == SEED000_NAME


def test_a_report_whose_form_belongs_to_another_workbook_is_rebuilt(tmp_path):
    """The report and the 自评表 both carry the stamp: a 自评表 left by another build is not reused."""
    out = tmp_path / "out"
    a = named(SEED000_XLSX, tmp_path / "a" / "w.xlsx", "甲项目")
    b = named(SEED000_XLSX, tmp_path / "b" / "w.xlsx", "乙项目")
    run("build", a, "-o", out)
    kept = (out / "w.docx").read_bytes()
    run("build", b, "-o", out)
    (out / "w.docx").write_bytes(kept)           # A's report beside B's 自评表
    again = run("build", a, "-o", out)
    assert "已是最新" not in again.output and form_project(out / f"w{FORM_SUFFIX}") == "甲项目"


def test_two_inputs_of_one_batch_with_one_name_are_both_kept(tmp_path):
    a = named(SEED000_XLSX, tmp_path / "s1" / "w.xlsx", "甲项目")
    b = named(SEED004_XLSX, tmp_path / "s2" / "w.xlsx", "乙项目")
    c = named(SEED004_XLSX, tmp_path / "s3" / "W.xlsx", "丙项目")     # one file with w.xlsx on Windows
    out = tmp_path / "out"
    result = run("build", a, b, c, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    assert project_in(out / "w.docx") == "甲项目"
    assert project_in(out / "w（2）.docx") == "乙项目" and form_project(out / f"w（2）{FORM_SUFFIX}") == "乙项目"
    assert project_in(out / "W（3）.docx") == "丙项目"
    ws = openpyxl.load_workbook(out / SUMMARY_NAME)["项目汇总"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [(r["项目名称"], r["报告"]) for r in rows] == [("甲项目", "w.docx"), ("乙项目", "w（2）.docx"),
                                                       ("丙项目", "W（3）.docx")]
    again = run("build", a, b, c, "-o", out, "-j", "1")
    assert again.output.count("已是最新") == 3, again.output


def test_distinct_stems_number_only_what_clashes():
    assert distinct_stems([Path("a/w.xlsx"), Path("b/x.xlsx"), Path("c/w.xlsx"), Path("d/w.xlsx")]) == \
        ["w", "x", "w（2）", "w（3）"]
    # "a-1" is the name of the first 自评表's outputs of a file "a" holding several
    assert distinct_stems([Path("a.xlsx"), Path("a-1.xlsx"), Path("b-1.xlsx")]) == ["a", "a-1（2）", "b-1"]
    # full-width and case differences name one file on Windows
    assert distinct_stems([Path("Ｗ.xlsx"), Path("w.xlsx")]) == ["Ｗ", "w（2）"]


# ---------------------------------------------------------------- two batches, one folder
def _batch_folder(root: Path, tag: str, base: Path, extra: str) -> Path:
    folder = root / tag
    for i in (1, 2, 3):
        named(base, folder / f"w0{i}.xlsx", f"{tag}项目{i}")
    named(base, folder / f"{extra}.xlsx", f"{tag}独有项目")
    return folder


def test_two_batches_into_one_folder_take_turns_and_end_consistent(tmp_path):
    c1 = _batch_folder(tmp_path, "甲", SEED000_XLSX, "only-1")
    c2 = _batch_folder(tmp_path, "乙", SEED004_XLSX, "only-2")
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    cmd = [sys.executable, "-m", "perfeval", "build", "-o", str(out), "-j", "1"]
    procs = [subprocess.Popen(cmd + [str(c)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for c in (c1, c2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (stdout, stderr) in zip(procs, outs):
        assert p.returncode == 0, (stdout.decode(), stderr.decode())
        assert b"Traceback" not in stdout + stderr
    inputs = {file_digest(p): p for c in (c1, c2) for p in c.glob("*.xlsx")}
    reports = sorted(p for p in out.glob("*.docx") if p.name != ANALYSIS_NAME)
    assert sorted(p.name for p in reports) == ["only-1.docx", "only-2.docx", "w01.docx", "w02.docx", "w03.docx"]
    analysis = docx.Document(out / ANALYSIS_NAME)          # of the same rows as 汇总表: both batches
    assert "报送的项目支出绩效自评表5份" in "\n".join(p.text for p in analysis.paragraphs)
    rows = {}
    ws = openpyxl.load_workbook(out / SUMMARY_NAME)["项目汇总"]
    head = [c.value for c in ws[1]]
    for values in ws.iter_rows(min_row=2, values_only=True):
        row = dict(zip(head, values))
        rows[row["报告"]] = row
    # one row per report, and each report, its 自评表 and its row are of the same input
    assert sorted(rows) == [p.name for p in reports]
    for report in reports:
        stamp = stamp_of(report)
        source = next(p for digest, p in inputs.items() if digest in _stamp_source(stamp, p))
        wb = openpyxl.load_workbook(source, read_only=True)
        name = wb["项目信息"]["B2"].value
        wb.close()
        assert project_in(report) == name == rows[report.name]["项目名称"], report.name
        assert form_project(out / f"{report.stem}{FORM_SUFFIX}") == name
        assert Path(rows[report.name]["工作簿路径"]) == source.resolve()
    assert not (out / LOCK_NAME).exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]     # no temporary file left


def _stamp_source(stamp: str, path: Path) -> str:
    """The stamp the build of ``path`` (default options) gives, if it is ``stamp``; else ''."""
    from perfeval.pipeline import build_stamp
    return file_digest(path) if build_stamp(source=file_digest(path)) == stamp else ""


def test_a_second_batch_waits_for_the_folder_and_says_who_holds_it(tmp_path):
    out = tmp_path / "out"
    told = []
    with folder_lock(out):
        text = (out / LOCK_NAME).read_text(encoding="utf-8")
        assert text.split("\n")[0] == str(os.getpid())
        with pytest.raises(FolderBusy) as exc:
            run_workbooks([SEED004_XLSX], "build", outdir=out, lock_wait=0.5, on_wait=told.append)
    assert f"进程 {os.getpid()}" in told[0] and f"进程 {os.getpid()}" in str(exc.value)
    assert "正由另一个 perfeval 写入" in str(exc.value) and not (out / LOCK_NAME).exists()
    assert not list(out.glob("*.docx"))
    # held for a moment by another thread: the batch waits, then runs
    held = threading.Event()

    def hold():
        with folder_lock(out):
            held.set()
            time.sleep(1.0)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    told.clear()
    result = run_workbooks([SEED004_XLSX], "build", outdir=out, lock_wait=30, on_wait=told.append)
    holder.join()
    assert told and result.records[0].report and Path(result.records[0].report).exists()


def test_the_command_stops_with_a_message_when_the_folder_stays_busy(tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr(files, "LOCK_WAIT", 0.3)
    with folder_lock(out):
        result = run("build", SEED004_XLSX, "-o", out)
    assert result.exit_code == 1
    assert "正由另一个 perfeval 写入" in result.output and "等它完成后继续" in result.output


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path):
    """The lock is the system's: a holder killed with kill -9 leaves its file, not its lock."""
    out = tmp_path / "out"
    code = ("import sys, time; from perfeval.files import folder_lock\n"
            f"with folder_lock({str(out)!r}):\n    print('held', flush=True); time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"held"
    proc.kill()
    proc.wait()
    proc.stdout.close()
    assert (out / LOCK_NAME).exists()
    result = run_workbooks([SEED004_XLSX], "build", outdir=out, lock_wait=2)
    assert result.records[0].report


# ---------------------------------------------------------------- names
def test_names_fit_in_255_bytes_keeping_the_end_that_tells_them_apart():
    stem = "某某市住房和城乡建设局" * 9           # 297 bytes
    out = Outputs.of(Path(stem + ".xlsx"), "o", part=12)
    for path in out.all():
        assert len(path.name.encode("utf-8")) <= 255, path.name
    assert out.form.name.endswith("…-12" + FORM_SUFFIX) and out.report.name.endswith("…-12.docx")
    assert out.form.name[:-len(FORM_SUFFIX)] == out.report.stem          # the 自评表 pairs with its report
    assert fit_name("短名", ".docx") == "短名.docx"


def test_temporary_names_are_never_longer_than_the_final_name(tmp_path, monkeypatch):
    seen = []
    real = os.replace

    def spy(src, dst):
        seen.append((Path(src).name, Path(dst).name))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    for name in ("a.pdf", "ab", "abcdef.pdf", "a" * 200 + ".docx", "报" * 80 + ".xlsx"):
        files.save_atomic(tmp_path / name, b"x")
    assert len(seen) == 5
    for tmp, final in seen:
        assert len(tmp.encode()) <= len(final.encode()) and tmp.startswith(("~", ".~"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(final for _, final in seen)


def test_a_workbook_with_a_250_byte_name_builds(tmp_path):
    stem = "项" * 81 + "x"                           # 244 bytes; with .xlsx 249
    src = tmp_path / f"{stem}.xlsx"
    shutil.copy(SEED004_XLSX, src)
    assert 245 <= len(src.name.encode()) <= 255
    out = tmp_path / "out"
    result = run("build", src, "-o", out)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2 and all(len(n.encode()) <= 255 for n in written)
    report = next(out.glob("*.docx"))
    assert project_in(report) == SEED004_NAME and (out / f"{report.stem}{FORM_SUFFIX}").exists()
    assert "已是最新" in run("build", src, "-o", out).output


def test_a_workbook_named_dot_dot_xlsx_is_read(tmp_path):
    src = tmp_path / "..xlsx"
    shutil.copy(SEED000_XLSX, src)
    result = run("check", src)
    assert result.exit_code == 0 and "总分 98.80 分" in result.output, result.output
    built = run("build", src, "-o", tmp_path / "out")
    assert built.exit_code == 0 and (tmp_path / "out" / "..docx").exists()
    annotated = run("check", src, "--annotate", tmp_path / "标注.xlsx")
    assert annotated.exit_code == 0 and (tmp_path / "标注.xlsx").exists()


class _FakeMsvcrt:
    """msvcrt.locking as Windows does it: a byte range locked by one open file, refused to another
    (mandatory, non-blocking with LK_NBLCK)."""
    LK_NBLCK, LK_UNLCK = 2, 0

    def __init__(self):
        self.held = {}          # (device, inode, offset) -> fd

    def locking(self, fd, mode, nbytes):
        st = os.fstat(fd)
        key = (st.st_dev, st.st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        if mode == self.LK_UNLCK:
            self.held.pop(key, None)
        elif key in self.held and self.held[key] != fd:
            raise OSError(13, "Permission denied")
        else:
            self.held[key] = fd


def test_the_folder_lock_as_on_windows(tmp_path, monkeypatch):
    """No fcntl, msvcrt's byte-range lock, the file removed after closing (as Windows allows)."""
    fake = _FakeMsvcrt()
    monkeypatch.setattr(files, "fcntl", None)                    # no `fcntl` to import
    monkeypatch.setattr(files, "msvcrt", fake)
    monkeypatch.setattr(files.sys, "platform", "win32")
    out = tmp_path / "out"
    told = []
    with folder_lock(out):
        assert fake.held and (out / LOCK_NAME).read_text(encoding="utf-8").startswith(f"{os.getpid()}\n")
        with pytest.raises(FolderBusy):
            with folder_lock(out, wait=0.3, on_wait=told.append):
                pass
    assert told and f"进程 {os.getpid()}" in told[0]
    assert not fake.held and not (out / LOCK_NAME).exists()
    with folder_lock(out, wait=0.3):                              # free again
        assert fake.held
