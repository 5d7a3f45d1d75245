"""Names as long as Windows allows build through the CLI as through the web page."""
import shutil

from click.testing import CliRunner

from conftest import SEED000_XLSX
from perfeval.cli import cli


def test_a_200_character_workbook_name_builds_through_the_cli_too(tmp_path):
    # 200 characters (as Windows allows); on this file system it must also fit 255 bytes of UTF-8
    name = "某县农村饮水安全工程维修养护项目绩效评价工作簿" + "-2024-" + "x" * 166 + ".xlsx"
    name = name[:195] + ".xlsx"
    assert len(name) == 200 and len(name.encode("utf-8")) <= 255
    source = shutil.copy(SEED000_XLSX, tmp_path / name)
    out = tmp_path / "报告"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert any(n.endswith(".docx") for n in written) and any(n.endswith("-自评表.xlsx") for n in written)
    assert all(len(n.encode("utf-8")) <= 255 for n in written)
    assert "98.80" in result.output
