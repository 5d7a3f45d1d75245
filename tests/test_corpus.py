"""The bad-input corpus: every case ends with a message that names the file (and the sheet and
cell where there is one), the documented exit code, no traceback and no partial output."""
import openpyxl
import pytest
from click.testing import CliRunner

from perfeval.cli import cli

from corpus import BASES, cases

CASES = cases()


def test_the_corpus_is_large():
    assert len(CASES) >= 200


@pytest.fixture(scope="module")
def base_books():
    return {k: openpyxl.load_workbook(p) for k, p in BASES.items()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case, tmp_path):
    wb = openpyxl.load_workbook(BASES[case.base])
    case.mutate(wb)
    path = tmp_path / f"{case.name}.xlsx"
    wb.save(path)
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(path)])
    assert checked.exception is None or isinstance(checked.exception, SystemExit), checked.output
    assert "Traceback" not in checked.output
    allowed = {0, 1} if case.exit_code is None else {case.exit_code}
    assert checked.exit_code in allowed, checked.output
    assert path.name in checked.output
    if case.sheet:
        assert f"【{case.sheet}】" in checked.output, checked.output
    if case.cell:
        assert any(line.strip().split(" ")[1] == case.cell for line in checked.output.splitlines()
                   if line.strip().startswith("[")), checked.output
    out = tmp_path / "out"
    built = runner.invoke(cli, ["build", str(path), "-o", str(out)])
    assert "Traceback" not in built.output and built.exit_code == checked.exit_code
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    if built.exit_code == 0:
        assert written == sorted([path.stem + ".docx", path.stem + "-自评表.xlsx"])
    else:
        assert written == []
