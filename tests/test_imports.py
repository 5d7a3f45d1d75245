"""A cold start pays only for what it uses: the command's process, as a user starts it, imports
neither the network stack nor numpy to check or build one workbook, nor python-docx to check one;
the batch's 汇总表 (pandas, hence numpy) is still written in such a process."""
import json
import shutil
import subprocess
import sys

import openpyxl
import pytest

from conftest import SEED000_XLSX, SEED004_XLSX

NETWORK = ["ssl", "http.client", "urllib.request", "email.parser"]


def run_command(args) -> tuple[int, list[str]]:
    """Run ``perfeval <args>`` as the console command does, in a new process; its exit code and
    which of the modules watched here it imported."""
    watched = NETWORK + ["numpy", "pandas", "docx", "openpyxl"]
    code = ("import json, sys\n"
            "from perfeval.cli import main\n"
            "try:\n"
            f"    main({args!r})\n"
            "except SystemExit as exit:\n"
            "    code = exit.code\n"
            f"print(json.dumps([code, [m for m in {watched!r} if m in sys.modules]]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_check_imports_openpyxl_alone(tmp_path):
    code, modules = run_command(["check", str(SEED000_XLSX)])
    assert code == 0
    assert modules == ["openpyxl"]          # no network stack, numpy, pandas or python-docx


def test_build_imports_no_network_stack_nor_numpy(tmp_path):
    code, modules = run_command(["build", str(SEED000_XLSX), "-o", str(tmp_path)])
    assert code == 0 and (tmp_path / f"{SEED000_XLSX.stem}.docx").exists()
    assert modules == ["docx", "openpyxl"]


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"]])
def test_help_imports_no_workbook_library(args):
    code, modules = run_command(args)
    assert code == 0 and modules == []


def test_a_batch_writes_its_summary_where_openpyxl_was_imported_without_numpy(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (SEED000_XLSX, SEED004_XLSX):
        shutil.copy(path, folder / path.name)
    code, modules = run_command(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "1"])
    assert code == 0 and "numpy" in modules and "pandas" in modules
    rows = list(openpyxl.load_workbook(tmp_path / "out" / "汇总表.xlsx")["按主管部门汇总"].values)
    assert len(rows) >= 2 and all(isinstance(row[1], int) for row in rows[1:])
    assert sum(row[1] for row in rows[1:]) == 2
