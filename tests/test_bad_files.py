"""Files that are not a usable workbook: each gets its own message and exit code 2, quickly,
and a batch of them beside good workbooks still builds the good ones."""
import io
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from perfeval.cli import cli
from perfeval.pipeline import check_workbook

from conftest import SEED000_XLSX, SEED004_XLSX
from office import save_xlsx_with_password

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024


def _rezip(src, dst, replace: dict):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = replace.get(item.filename, zin.read(item.filename))
            zout.writestr(item.filename, data)
        for name, data in replace.items():
            if name not in zin.namelist():
                zout.writestr(name, data)
    return dst


BOMB_XML = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
                       for i in range(1, 10))
            + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def make_bad_files(folder):
    """name -> (path, words its message must contain)."""
    files = {}

    def put(name, data, words):
        path = folder / name
        path.write_bytes(data)
        files[name] = (path, words)

    put("旧版.xls", OLE2, "旧版 Excel（.xls）")
    put("表格.et", OLE2, "WPS 表格（.et）")
    put("损坏的复合文档.xlsx", OLE2, "已损坏")
    files["加密.xlsx"] = (save_xlsx_with_password(SEED004_XLSX, folder / "加密.xlsx"), "密码")
    put("空文件.xlsx", b"", "空的")
    put("数据.xlsx", "项目名称,预算\n住建厅综合平台使用费项目,734\n".encode("utf-8"), "不是 Excel 工作簿")
    put("截断.xlsx", SEED000_XLSX.read_bytes()[:5000], "损坏或不完整")
    docx_buf = io.BytesIO()
    with zipfile.ZipFile(docx_buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    put("报告.xlsx", docx_buf.getvalue(), "Word 文档")
    old = folder / "旧模板.xlsx"
    wb = openpyxl.load_workbook(SEED004_XLSX)
    wb.properties.keywords = "perfeval-template-v0"
    wb.save(old)
    files["旧模板.xlsx"] = (old, "第 0 版")
    files["压缩炸弹.xlsx"] = (_rezip(SEED004_XLSX, folder / "压缩炸弹.xlsx",
                                     {"xl/worksheets/sheet9.xml": b" " * (8 * 1024 * 1024)}), "远超")
    files["实体炸弹.xlsx"] = (_rezip(SEED004_XLSX, folder / "实体炸弹.xlsx", {"xl/worksheets/sheet2.xml": BOMB_XML}),
                          "不安全的 XML")
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x{r * 7919 % 100003}</t></is></c></row>'
                   for r in range(1, 160_001))
    huge = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{rows}</sheetData></worksheet>").encode()
    files["超大.xlsx"] = (_rezip(SEED004_XLSX, folder / "超大.xlsx", {"xl/worksheets/sheet3.xml": huge}), "远超")
    return files


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    return make_bad_files(tmp_path_factory.mktemp("bad"))


def test_each_bad_file_has_its_own_message(bad_files):
    for name, (path, words) in bad_files.items():
        r = check_workbook(path)
        assert r.unreadable, name
        assert name in r.unreadable and words in r.unreadable, (name, r.unreadable)


def test_check_exits_2_on_each(bad_files):
    for name, (path, _) in bad_files.items():
        result = CliRunner().invoke(cli, ["check", str(path)])
        assert result.exit_code == 2, (name, result.output)
        assert "Traceback" not in result.output and name in result.output


def test_batch_builds_the_good_and_lists_the_bad(bad_files, tmp_path):
    out = tmp_path / "out"
    args = ["build", str(SEED000_XLSX), *[str(p) for p, _ in bad_files.values()], str(SEED004_XLSX), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([
        SEED000_XLSX.stem + ".docx", SEED000_XLSX.stem + "-自评表.xlsx",
        SEED004_XLSX.stem + ".docx", SEED004_XLSX.stem + "-自评表.xlsx", "汇总表.xlsx", "汇总分析报告.docx"])
    lines = result.output.splitlines()
    for name in bad_files:
        assert any(line.startswith("×") and name in line for line in lines), name
    assert f"生成报告 2 份，失败 {len(bad_files)} 个" in result.output
