"""Outputs that cannot be written are said as such: exit code 1, "无法写入 <path>：磁盘已满 / 只读 / …",
nothing left behind, no traceback (nor a zip file complaining as it is collected) on stderr. A
closed pipe on stdout ends quietly, and an error of the program says it is the program's."""
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfeval import files
from perfeval.cli import cli

from conftest import SEED000_XLSX, SEED004_XLSX


def perfeval(*args, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "perfeval", *map(str, args)], capture_output=True, env=env,
                          timeout=300, **kw)


def _mount(folder: Path, options: str) -> bool:
    """A tmpfs at ``folder`` (root on Linux only); False where the system does not allow it."""
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


@pytest.fixture
def tmpfs(tmp_path):
    mounted = []

    def make(name: str, options: str) -> Path:
        folder = tmp_path / name
        if not _mount(folder, options):
            pytest.skip("a tmpfs cannot be mounted here (root on Linux needed); the simulated test covers it")
        mounted.append(folder)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def assert_clean_failure(proc: subprocess.CompletedProcess, out: Path, reason: str) -> None:
    stdout, stderr = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert proc.returncode == 1, (stdout, stderr)
    assert f"无法写入 {out}" in stdout + stderr and reason in stdout + stderr, (stdout, stderr)
    assert "Traceback" not in stdout + stderr and "Exception ignored" not in stderr, stderr
    assert "请检查该工作簿" not in stdout + stderr and "意外错误" not in stdout + stderr
    assert sorted(p.name for p in out.iterdir()) == [], "nothing is left behind"


@pytest.mark.parametrize("room", ["none", "report"])   # the report does not fit / the report fits, its 自评表 not
def test_a_full_disk_is_an_output_failure(tmpfs, tmp_path, room):
    sizes = tmp_path / "sizes"
    assert perfeval("build", SEED004_XLSX, "-o", sizes).returncode == 0
    report = next(sizes.glob("*.docx")).stat().st_size
    pages = -(-report // 4096) + 1 if room == "report" else 2         # tmpfs counts whole pages
    out = tmpfs(f"disk-{room}", f"size={pages * 4}k")
    proc = perfeval("build", SEED004_XLSX, "-o", out)
    assert_clean_failure(proc, out, "磁盘已满")


def test_a_full_disk_in_a_batch_fails_each_workbook_and_the_summary(tmpfs, tmp_path):
    out = tmpfs("disk-batch", "size=4k")
    proc = perfeval("build", SEED000_XLSX, SEED004_XLSX, "-o", out, "-j", "1")
    stdout, stderr = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 1 and stdout.count("磁盘已满") == 2, (stdout, stderr)
    assert "无法写入" in stderr and "汇总表.xlsx" in stderr and "磁盘已满" in stderr
    assert "Traceback" not in stdout + stderr and "Exception ignored" not in stderr
    assert [p.name for p in out.iterdir()] == []


def test_a_read_only_folder_is_an_output_failure(tmpfs):
    out = tmpfs("ro", "size=1m,ro")
    proc = perfeval("build", SEED004_XLSX, "-o", out)
    assert_clean_failure(proc, out, "只读")


def test_a_full_disk_simulated_where_no_tmpfs_can_be_mounted(tmp_path, monkeypatch):
    """The same as on a small tmpfs, by a write that fails half-way with ENOSPC."""
    real = files._write

    def half_then_full(path, data):
        real(path, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    calls = []

    def second_write_fails(path, data):        # the report is written; its 自评表 finds the disk full
        calls.append(path)
        return real(path, data) if len(calls) == 1 else half_then_full(path, data)

    out = tmp_path / "out"
    for fail in (half_then_full, second_write_fails):
        calls.clear()
        monkeypatch.setattr(files, "_write", fail)
        result = CliRunner().invoke(cli, ["build", str(SEED004_XLSX), "-o", str(out)])
        assert result.exit_code == 1, result.output
        assert f"无法写入 {out}" in result.output and "磁盘已满" in result.output
        assert "意外错误" not in result.output and "Traceback" not in result.output
        assert list(out.iterdir()) == []
    # 汇总表 on a full disk: the reports are there, the command says which file could not be written
    monkeypatch.setattr(files, "_write", real)
    monkeypatch.setattr(files, "save_atomic", _fail_for("汇总表.xlsx", files.save_atomic))
    import perfeval.xlsxsafe
    result = CliRunner().invoke(cli, ["build", str(SEED000_XLSX), str(SEED004_XLSX), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1 and f"无法写入 {out / '汇总表.xlsx'}：磁盘已满" in result.output, result.output
    assert perfeval.xlsxsafe  # (the 汇总表 is written through xlsxsafe.save -> files.save_atomic)


def _fail_for(name, real):
    def save(target, data):
        if Path(target).name == name:
            raise files.OutputError(target, OSError(errno.ENOSPC, "No space left on device"))
        return real(target, data)
    return save


def test_write_reasons_are_said_in_chinese():
    cases = {errno.ENOSPC: "磁盘已满", errno.EROFS: "只读", errno.EACCES: "没有写入权限", errno.ENAMETOOLONG: "太长"}
    for code, words in cases.items():
        assert words in str(files.OutputError("out/a.docx", OSError(code, os.strerror(code))))
    sharing = OSError(errno.EACCES, "The process cannot access the file")
    sharing.winerror = 32                  # Windows: the report is open in Word
    assert "正被其他程序" in files.write_reason(sharing)


def test_an_annotated_copy_that_cannot_be_written_exits_1(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "_write", lambda path, data: (_ for _ in ()).throw(
        OSError(errno.EROFS, os.strerror(errno.EROFS))))
    target = tmp_path / "标注.xlsx"
    result = CliRunner().invoke(cli, ["check", str(SEED000_XLSX), "--annotate", str(target)])
    assert result.exit_code == 1 and f"无法写入 {target}：磁盘或文件夹是只读的" in result.output, result.output
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- a closed pipe
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_closed_pipe_on_stdout_ends_quietly(tmp_path, command):
    """``perfeval check A.xlsx | head -1``: the reader goes away; nothing is said of a 汇总表, no
    traceback, and a build still writes its report."""
    out = tmp_path / "out"
    args = [command, SEED000_XLSX] + (["-o", out] if command == "build" else [])
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    read, write = os.pipe()
    os.close(read)                          # closed before perfeval writes a byte
    proc = subprocess.run([sys.executable, "-m", "perfeval", *map(str, args)], stdout=write,
                          stderr=subprocess.PIPE, env=env, timeout=300)
    os.close(write)
    stderr = proc.stderr.decode("utf-8")
    assert stderr == "", stderr
    assert proc.returncode == 0
    if command == "build":
        assert (out / (SEED000_XLSX.stem + ".docx")).exists()


def test_check_piped_to_head_says_nothing_on_stderr():
    if not shutil.which("head") or sys.platform == "win32":
        pytest.skip("needs a POSIX shell")
    for _ in range(3):                      # it failed one run in three before
        proc = subprocess.run(f'"{sys.executable}" -m perfeval check "{SEED000_XLSX}" | head -1', shell=True,
                              capture_output=True, timeout=300, env=dict(os.environ, PYTHONIOENCODING="utf-8"))
        assert proc.stderr == b"", proc.stderr.decode()
        assert proc.stdout.decode().startswith("√")


# ---------------------------------------------------------------- the program's own errors
def test_an_internal_error_says_it_is_the_programs_fault(monkeypatch, tmp_path):
    import perfeval.scoring

    def broken(project):
        raise TypeError("a bug")

    monkeypatch.setattr(perfeval.scoring, "evaluate", broken)
    monkeypatch.setattr("perfeval.pipeline.evaluate", broken)
    result = CliRunner().invoke(cli, ["check", str(SEED004_XLSX)])
    assert result.exit_code == 2
    assert "内部错误" in result.output and "不是工作簿的问题" in result.output and "发送给维护人员" in result.output
    assert "请检查该工作簿" not in result.output and "Traceback" not in result.output
