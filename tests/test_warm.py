"""What a process keeps from one report for the next (the set-up document, the parts of a chart's
workbook, the style ids) changes nothing in the reports: the third report of a process is the
first one again, part for part."""
import io
import re
import zipfile

from perfeval.pipeline import check_workbook
from perfeval.report import charts, style, write_report
from perfeval.report.style import Fonts

from conftest import SEED000_XLSX, SEED004_XLSX


def parts(docx_path) -> dict[str, bytes]:
    """The parts of a .docx, and of the workbooks embedded in it, without their times."""
    out = {}
    with zipfile.ZipFile(docx_path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    out.update({f"{name}/{n}": re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"", inner.read(n))
                                for n in inner.namelist()})
            else:
                out[name] = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"", data)
    return out


def test_the_third_report_of_a_process_is_the_first_again(tmp_path, monkeypatch):
    monkeypatch.setattr(style, "_SET_UP", {})
    monkeypatch.setattr(charts, "_WORKBOOK_PARTS", {})
    seed000 = check_workbook(SEED000_XLSX).evaluation
    write_report(seed000, tmp_path / "first.docx")
    write_report(check_workbook(SEED004_XLSX).evaluation, tmp_path / "other.docx", Fonts(body="仿宋"))
    write_report(seed000, tmp_path / "second.docx")
    write_report(seed000, tmp_path / "third.docx")
    assert style._SET_UP[Fonts()] and charts._WORKBOOK_PARTS          # kept, and used below
    first, third = parts(tmp_path / "first.docx"), parts(tmp_path / "third.docx")
    assert first.keys() == third.keys()
    assert [name for name in first if first[name] != third[name]] == []
    assert b"\xe4\xbb\xbf\xe5\xae\x8b" in parts(tmp_path / "other.docx")["word/styles.xml"]     # 仿宋: its own fonts
