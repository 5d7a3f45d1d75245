"""The bad-input corpus: every case ends with a message that names the file (and the sheet and
cell where there is one), the documented exit code, no traceback and no partial output; ``check``
and ``build`` agree on every case (a report exactly where the check finds no error).

Two parts: the handmade cases (each field blanked, each typed cell given a wrong type, sheets and
headers renamed …), run as one batch through the library the command runs; and over a thousand
generated ones (corpus.generated: a seeded generator), checked and built in two processes from
their data, with every tenth written as a file and run through the command itself."""
import json
import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

import openpyxl
import pytest

from perfeval.batch import FAILED, UNREADABLE, run_workbooks
from perfeval.outputs import FORM_SUFFIX, SUMMARY_NAME

from corpus import BASES, cases, generated, run_in_memory, write_case_file, write_handmade

CASES = cases()
GENERATED = generated()
THROUGH_THE_COMMAND = GENERATED[::10]


def _pool():
    # spawn: the start method of Windows, and a clean process whatever the tests before did
    return ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn"))


def test_the_corpus_is_large():
    assert len(CASES) >= 200
    assert len(GENERATED) >= 1000 and len({c.name for c in GENERATED}) == len(GENERATED)
    assert generated()[:50] == GENERATED[:50]          # seeded: the same cases on every run


def _exit_code(record) -> int:
    return 2 if record.unreadable else 1 if record.errors else 0


# ---------------------------------------------------------------- handmade, as one batch
@pytest.fixture(scope="module")
def handmade(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    with _pool() as pool:
        paths = list(pool.map(write_handmade, range(len(CASES)), repeat(str(folder)), chunksize=16))
    checked = run_workbooks([folder], "check", as_json=True, keep_findings=True, jobs=2)
    out = folder.parent / f"{folder.name}-out"
    built = run_workbooks([folder], "build", outdir=out, jobs=2)
    by_file = lambda records: {Path(r.source or r.path).name: r for r in records}  # noqa: E731
    return {"paths": paths, "checked": by_file(checked.records), "built": by_file(built.records), "out": out}


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c.name for c in CASES])
def test_case(index, handmade):
    case = CASES[index]
    name = Path(handmade["paths"][index]).name
    checked, built = handmade["checked"][name], handmade["built"][name]
    assert checked.status != FAILED and built.status != FAILED, (checked.reason, built.reason)   # no internal error
    code = _exit_code(checked)
    allowed = {0, 1} if case.exit_code is None else {case.exit_code}
    assert code in allowed, (code, checked.reason, [f.message for f in checked.findings])
    if checked.status == UNREADABLE:
        assert name in checked.reason
    else:
        assert Path(checked.path).name == name and checked.json["文件"].endswith(name)
    if case.sheet:
        assert any(f.sheet == case.sheet for f in checked.findings), [f.where for f in checked.findings]
    if case.cell:
        assert any(f.cell == case.cell for f in checked.findings if f.sheet == case.sheet or not case.sheet), \
            [f.where for f in checked.findings]
    # check and build agree: a report exactly where the check found no error, whole
    stem = Path(name).stem
    written = sorted(p.name for p in handmade["out"].glob(f"{stem}*") if p.stem in (stem, stem + FORM_SUFFIX[:-5]))
    assert _exit_code(built) == code
    if code == 0:
        assert written == sorted([stem + ".docx", stem + FORM_SUFFIX]) and built.report
    else:
        assert written == [] and not built.report


def test_the_handmade_batch_leaves_no_partial_file(handmade):
    out = handmade["out"]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
    ws = openpyxl.load_workbook(out / SUMMARY_NAME)["项目汇总"]
    assert ws.max_row - 1 == len(CASES)                  # 汇总表 lists every input


# ---------------------------------------------------------------- generated, from their data
@pytest.fixture(scope="module")
def generated_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    with _pool() as pool:
        results = list(pool.map(run_in_memory, GENERATED, repeat(str(out)), chunksize=20))
    return {r["name"]: r for r in results}


@pytest.mark.parametrize("case", GENERATED, ids=[c.name[:60] for c in GENERATED])
def test_generated_case(case, generated_results):
    r = generated_results[case.name]
    assert r["exception"] is None, r["exception"]                  # every input gets findings, not an error
    assert r["bad_findings"] == []
    if r["errors"] == 0:                                           # check passes: build must write the report
        assert r["rendered"] and r["left"] == []


def test_the_generated_cases_reach_both_outcomes(generated_results):
    """The generator is worth its time only if it makes workbooks that build and ones that do not."""
    clean = sum(1 for r in generated_results.values() if r["errors"] == 0)
    assert 0.1 * len(GENERATED) < clean < 0.9 * len(GENERATED)


# ---------------------------------------------------------------- generated, through the command
def test_generated_workbooks_through_the_command(tmp_path):
    """Every tenth generated case as a file, through ``perfeval check --json`` and ``perfeval build``
    in processes of their own: no traceback, exit codes 0/1/2, JSON for every file, and a report
    exactly for the files the check finds no error in, with nothing half-written."""
    folder = tmp_path / "in"
    folder.mkdir()
    with _pool() as pool:
        paths = [Path(p) for p in pool.map(write_case_file, THROUGH_THE_COMMAND, repeat(str(folder)), chunksize=5)]
    (folder / "不是工作簿.xlsx").write_bytes(b"PK\x03\x04 broken")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")

    def perfeval(*args):
        return subprocess.run([sys.executable, "-m", "perfeval", *map(str, args)], capture_output=True, env=env,
                              timeout=600)

    report = tmp_path / "check.json"
    checked = perfeval("check", folder, "--json", "--output", report, "-j", "2")
    out = tmp_path / "out"
    built = perfeval("build", folder, "-o", out, "-j", "2")
    for proc in (checked, built):
        text = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
        assert "Traceback" not in text and "内部错误" not in text, text[-3000:]
        assert proc.returncode in (0, 1, 2)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == len(paths) + 1
    expected = 2 if any(not d["可读取"] for d in data) else 1 if any(d["错误数"] for d in data) else 0
    assert checked.returncode == built.returncode == expected
    for d in data:
        stem = Path(d["文件"]).stem
        made = (out / f"{stem}.docx").exists(), (out / f"{stem}{FORM_SUFFIX}").exists()
        if d["可读取"] and d["错误数"] == 0:
            assert made == (True, True), d["文件"]
        else:
            assert made == (False, False), (d["文件"], d.get("原因"))
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
    ws = openpyxl.load_workbook(out / SUMMARY_NAME)["项目汇总"]
    assert sorted(ws.cell(r, 1).value for r in range(2, ws.max_row + 1)) == sorted(Path(d["文件"]).name for d in data)
