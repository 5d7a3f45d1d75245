"""The old formats units send (.xls, WPS .et) are read as they are: the examples' 自评表 saved as
.xls and .et by LibreOffice score exactly as the .xlsx originals, findings at the same cells; a
damaged or password-protected file gets its reason; the annotated copy is an .xlsx."""
import shutil
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from perfeval.batch import run_workbooks
from perfeval.cli import cli
from perfeval.pipeline import build_workbook, check_file, check_workbook

import forms as FORMS
from conftest import SEED000_XLSX, SEED004_XLSX
from office import SOFFICE, save_as, save_xls_with_password, save_xlsx_with_password, uno_available

pytestmark = pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A folder as a bureau receives it: the examples' 自评表 as .xlsx, .xls and .et, a damaged
    .xls and password-protected files. Returns (folder, the .xlsx originals, the bad files)."""
    built = tmp_path_factory.mktemp("built")
    folder = tmp_path_factory.mktemp("mixed")
    originals = []
    for seed in (SEED000_XLSX, SEED004_XLSX):
        form = build_workbook(seed, built).form
        originals.append(shutil.copy(form, folder / form.name))
    save_as(originals, folder, "xls")
    save_as(originals, folder, "et")
    bad = {"损坏.xls": "损坏"}
    (folder / "损坏.xls").write_bytes((folder / f"{originals[0].stem}.xls").read_bytes()[:3000])
    save_xlsx_with_password(originals[1], folder / "加密.xlsx")
    bad["加密.xlsx"] = "密码"
    if uno_available():
        save_xls_with_password(originals[0], folder / "加密.xls")
        bad["加密.xls"] = "密码"
    return folder, [p for p in map(type(folder), originals)], bad


def _seen(result):
    return result.evaluation.total, result.evaluation.grade, [
        (f.code, f.sheet, f.cell, f.message) for f in result.findings]


def test_xls_and_et_copies_score_and_find_as_the_originals(mixed):
    folder, originals, _ = mixed
    for original in originals:
        [want] = check_file(original)
        assert want.evaluation.total > 0 and not want.unreadable
        for suffix in (".xls", ".et"):
            [got] = check_file(original.with_suffix(suffix))
            assert not got.unreadable, got.unreadable
            assert _seen(got) == _seen(want), (original.name, suffix)
            assert got.project.info.name == want.project.info.name


def test_damaged_and_password_protected_files_each_say_why(mixed):
    folder, _, bad = mixed
    for name, words in bad.items():
        r = check_workbook(folder / name)
        assert r.unreadable and name in r.unreadable and words in r.unreadable, (name, r.unreadable)


def test_a_batch_of_the_mixed_folder_gives_the_same_totals_and_a_reason_for_each_bad_file(mixed, tmp_path):
    folder, originals, bad = mixed
    result = run_workbooks([folder], "build", outdir=tmp_path / "out", jobs=2, keep_findings=True)
    by_file = {r.path.rsplit("/", 1)[-1]: r for r in result.records}
    assert len(by_file) == 3 * len(originals) + len(bad)
    for original in originals:
        totals = {by_file[original.stem + s].total for s in (".xlsx", ".xls", ".et")}
        assert len(totals) == 1 and None not in totals
    for name, words in bad.items():
        assert by_file[name].status == "无法读取" and words in by_file[name].reason
    # the outputs of 表.xlsx, 表.xls and 表.et do not overwrite each other
    names = {p.name for p in (tmp_path / "out").iterdir()}
    for original in originals:
        assert {f"{original.stem}.docx", f"{original.stem}（xls）.docx", f"{original.stem}（et）.docx"} <= names
    assert {"汇总表.xlsx", "汇总分析报告.docx"} <= names


def test_the_cli_lists_the_bad_files_and_exits_2(mixed, tmp_path):
    folder, _, bad = mixed
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    for name in bad:
        assert any(line.startswith("×") and name in line for line in result.output.splitlines())


def test_the_annotated_copy_of_an_xls_is_an_xlsx_with_the_same_marks(mixed, tmp_path):
    folder, originals, _ = mixed
    original = originals[0]
    for source, target in ((original, tmp_path / "a.xlsx"), (original.with_suffix(".xls"), tmp_path / "b.xlsx")):
        result = CliRunner().invoke(cli, ["check", str(source), "--annotate", str(target)])
        assert result.exit_code in (0, 1), result.output
    a, b = openpyxl.load_workbook(tmp_path / "a.xlsx"), openpyxl.load_workbook(tmp_path / "b.xlsx")
    rows = [[c.value for c in row] for row in a["检查结果"].iter_rows()]
    assert rows == [[c.value for c in row] for row in b["检查结果"].iter_rows()] and len(rows) > 1
    form = a.sheetnames[1]
    marked = {c.coordinate for row in a[form].iter_rows() for c in row if c.comment}
    assert marked and marked == {c.coordinate for row in b[form].iter_rows() for c in row if c.comment}
    assert {str(r) for r in a[form].merged_cells.ranges} == {str(r) for r in b[form].merged_cells.ranges}
    assert original.with_suffix(".xls").exists()          # the input is only read


def test_numbers_shown_as_percentages_are_read_as_percentages(tmp_path):
    """A 完成值 typed as 0.98 and shown as 98% (a number format) against a target "≥95%"."""
    form = FORMS.national()
    path = FORMS.save_forms(tmp_path / "百分比.xlsx", form)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    cell = next(row[5] for row in ws.iter_rows() if row[3].value == "道路完好率")   # 实际完成值
    cell.value, cell.number_format = 0.98, "0%"
    wb.save(path)
    [xls] = save_as([path], tmp_path, "xls")
    want, got = check_workbook(path), check_workbook(xls)
    score = {s.indicator.name: s.score for s in got.evaluation.scored}
    assert score["道路完好率"] == Decimal(10)
    assert _seen(got) == _seen(want)


def test_a_standard_workbook_saved_as_xls_scores_the_same(tmp_path):
    [xls] = save_as([SEED000_XLSX], tmp_path, "xls")
    want, got = check_workbook(SEED000_XLSX), check_workbook(xls)
    assert got.evaluation.total == want.evaluation.total == Decimal("98.80")
    assert [(f.code, f.cell) for f in got.findings] == [(f.code, f.cell) for f in want.findings]
