"""Text stays text in every workbook perfeval writes: with a formula payload (=, +, -, @, tab) in every
free-text field of the workbook and in the file's name, no cell of 汇总表, the annotated copy, the
自评表, the imported workbook or a chart's data is a formula, and each such string is marked as text
(quotePrefix) so that editing it in Excel or WPS keeps it text."""
import copy
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import seed000
import seed004
from perfeval import schema as S
from perfeval import xlsxsafe
from perfeval.cli import cli
from perfeval.template import write_workbook

from forms import Form, write_form

PAYLOADS = ("=", "+", "-", "@", "\t=", "=HYPERLINK(\"http://x\",\"a\")&")
FILE_PAYLOAD = '=HYPERLINK("http:x","a")'


def _payload(value: str) -> str:
    """The same text always gets the same payload (names that refer to each other still match)."""
    return PAYLOADS[sum(map(ord, value)) % len(PAYLOADS)] + value


def poisoned(data: dict) -> dict:
    """``data`` with a payload at the start of every free-text value (and the open 资金来源)."""
    data = copy.deepcopy(data)
    info = data[S.INFO_SHEET]
    for spec in S.INFO_FIELDS:
        if spec.kind == S.TEXT:
            info[spec.name] = _payload(str(info.get(spec.name) or spec.name))
    for sheet in S.TABLE_SHEETS:
        for row in data.get(sheet.name, []):
            for spec in sheet.columns:
                if (spec.kind == S.TEXT or spec.open_choice) and row.get(spec.name) not in (None, ""):
                    row[spec.name] = _payload(str(row[spec.name]))
    # every chapter generated: a generated sentence opens with the (poisoned) 项目名称
    data[S.NARRATIVE.name] = []
    return data


def formulas_in(path: Path) -> list[str]:
    """The cells of an .xlsx stored as formulas (<f>), by sheet part."""
    out = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                out += [f"{name}:{m}" for m in re.findall(rb"<(?:\w+:)?f[ >/][^<]*", zf.read(name))]
    return out


def risky_cells(path: Path) -> list:
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.coordinate, c.value, c.data_type, c.quotePrefix)
            for ws in wb.worksheets for row in ws.iter_rows() for c in row if xlsxsafe.risky(c.value)]


def assert_text_only(path: Path, must_show: str | None = None) -> None:
    assert formulas_in(path) == [], path.name
    cells = risky_cells(path)
    assert cells, f"{path.name}: no payload reached the file, the test proves nothing"
    unmarked = [c for c in cells if c[3] != "s" or not c[4]]
    assert unmarked == [], (path.name, unmarked[:5])
    if must_show:
        assert any(c[2] == must_show for c in cells), (path.name, must_show, cells[:5])


@pytest.fixture(scope="module")
def poisoned_files(tmp_path_factory):
    root = tmp_path_factory.mktemp("payload")
    src = root / "in"
    src.mkdir()
    a = write_workbook(src / "a.xlsx", poisoned(seed000.DATA))
    b = write_workbook(src / f"{FILE_PAYLOAD}.xlsx", poisoned(seed004.DATA))
    (src / "+cmd.xlsx").write_text("not a workbook", encoding="utf-8")
    return src, a, b


def test_the_input_carries_the_payloads_as_text(poisoned_files):
    _, a, _ = poisoned_files
    assert_text_only(a)           # the workbook perfeval wrote (template.write_workbook) is the first case


def test_build_outputs_and_summary_keep_text_as_text(poisoned_files, tmp_path):
    src, a, b = poisoned_files
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "--force", "-j", "1"])
    assert "Traceback" not in result.output and result.exit_code == 2, result.output     # +cmd.xlsx is unreadable
    name = poisoned(seed000.DATA)[S.INFO_SHEET]["项目名称"]
    summary = out / "汇总表.xlsx"
    assert_text_only(summary, must_show=name.strip())
    ws = openpyxl.load_workbook(summary)["项目汇总"]
    files = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert f"{FILE_PAYLOAD}.xlsx" in files and "+cmd.xlsx" in files
    assert any(v == f"{FILE_PAYLOAD}.docx" for row in ws.iter_rows(values_only=True) for v in row)
    for form in out.glob("*-自评表.xlsx"):
        assert_text_only(form)
    # the chart's data (what 编辑数据 opens in Word) is a workbook too
    for report in out.glob("*.docx"):
        with zipfile.ZipFile(report) as zf:
            embedded = [n for n in zf.namelist() if n.startswith("word/embeddings/") and n.endswith(".xlsx")]
            assert embedded
            for n in embedded:
                part = tmp_path / Path(n).name
                part.write_bytes(zf.read(n))
                assert formulas_in(part) == []
                assert all(c[3] == "s" and c[4] for c in risky_cells(part))


def test_the_annotated_copy_keeps_text_as_text(poisoned_files, tmp_path):
    _, a, b = poisoned_files
    for src in (a, b):
        target = tmp_path / f"{src.stem}-标注.xlsx"
        result = CliRunner().invoke(cli, ["check", str(src), "--annotate", str(target)])
        assert "Traceback" not in result.output and target.exists(), result.output
        assert_text_only(target)
        # the generated 文字说明 opens with the 项目名称: its rows are text, marked
        ws = openpyxl.load_workbook(target)["文字说明"]
        drafts = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.fill.fgColor.rgb
                  and c.fill.fgColor.rgb.endswith("DDEBF7") and c.column == 2]
        assert drafts and any(xlsxsafe.risky(c.value) for c in drafts)


def test_the_imported_workbook_keeps_text_as_text(tmp_path):
    form = Form(name="=1+1项目", department="+主管", unit="@实施单位", goal="-年度目标", done="=完成情况")
    form.rows = [(l1, l2, "=" + name, t, a, w, s, "=" + dev if dev else dev)
                 for (l1, l2, name, t, a, w, s, dev) in form.rows]
    wb = openpyxl.Workbook()
    write_form(wb.active, form)
    path = xlsxsafe.save(wb, tmp_path / f"{FILE_PAYLOAD}-自评表.xlsx")     # as typed: text, not formulas
    target = tmp_path / "导入.xlsx"
    result = CliRunner().invoke(cli, ["import", str(path), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert_text_only(target, must_show="=1+1项目")
    out = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", str(path), "-o", str(out), "--force"])
    assert "Traceback" not in built.output
    for written in out.glob("*.xlsx"):
        assert_text_only(written)


def test_the_helper_marks_each_risky_start_and_leaves_other_values_alone(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    values = ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "普通文字", "a=b", 12, -3.5]
    xlsxsafe.append(ws, values)
    path = xlsxsafe.save(wb, tmp_path / "x.xlsx")
    row = openpyxl.load_workbook(path).active[1]
    marked = [c.quotePrefix for c in row]
    assert marked == [True] * 6 + [False] * 4
    assert [c.value for c in row][:5] == ["=1+1", "+1", "-1", "@A1", "\t=1"]
    assert row[8].data_type == "n" and row[9].value == -3.5 and formulas_in(path) == []
