import json

import pytest
from click.testing import CliRunner

from perfeval.cli import cli

from conftest import EXAMPLES, SEED000_XLSX, SEED004_XLSX


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name
        result = run(name, "--help")
        assert result.exit_code == 0 and "用法：" in result.output and "退出码" in run("--help").output


def test_check_json_seed000():
    result = run("check", "--json", SEED000_XLSX)
    assert result.exit_code == 0
    [data] = json.loads(result.output)          # always a list, one object a workbook
    assert data["总分"] == 98.8 and data["等级"] == "优"
    scores = {i["三级指标"]: (i["得分"], i["分值"], i["填报得分"]) for i in data["指标"]}
    assert scores["预算执行率"] == (4.3, 5, 4.3) and scores["使用人员满意度"] == (4.5, 5, 4.5)
    assert all(s == w for name, (s, w, _) in scores.items() if name not in ("预算执行率", "使用人员满意度"))
    assert data["项目信息"]["项目名称"] == "住建厅综合平台使用费项目"
    assert [g["一级指标"] for g in data["一级指标小计"]] == ["决策", "过程", "产出", "效益", "满意度"]
    assert {"一级指标": "过程", "二级指标": "资金管理", "分值": 13, "得分": 12.3, "三级指标数": 3} in data["二级指标小计"]
    # the eight contradictions of the seed's text; 使用人员满意度 (90% against ≥90%) met its target
    assert data["错误数"] == 0 and data["警告数"] == len(data["发现"]) == 8
    assert all(f["级别"] == "警告" and f["单元格"] for f in data["发现"])


def test_check_json_seed004():
    [data] = json.loads(run("check", "--json", SEED004_XLSX).output)
    assert (data["总分"], data["等级"]) == (100, "优")


@pytest.fixture
def bad_workbook(make_workbook, seed000_data):
    """Σ预算明细 ≠ 预算总额, a payment to a line that does not exist, text in a number cell."""
    seed000_data["项目信息"]["预算总额"] = 750
    seed000_data["支付"][4]["预算项目"] = "小机维保"
    seed000_data["绩效指标"][3]["分值"] = "三分"
    return make_workbook(seed000_data, "有错误的项目.xlsx")


def test_check_lists_each_problem_with_its_cell(bad_workbook):
    result = run("check", bad_workbook)
    assert result.exit_code == 1
    out = result.output
    assert "【项目信息】" in out and "B9" in out and "750.00万元" in out
    assert "【支付】" in out and "C6" in out and "小机维保" in out
    assert "【绩效指标】" in out and "D5" in out and "三分" in out
    [data] = json.loads(run("check", "--json", bad_workbook).output)
    cells = {(f["工作表"], f["单元格"]) for f in data["发现"] if f["级别"] == "错误"}
    assert {("项目信息", "B9"), ("支付", "C6"), ("绩效指标", "D5")} <= cells
    # a score computed from a workbook with errors is never shown as final
    assert data["总分状态"] == "有错误，仅供参考"
    summary = next(line for line in result.output.splitlines() if line.startswith("×"))
    assert "（有错误，仅供参考）" in summary and "总分" in summary
    assert json.loads(run("check", "--json", SEED000_XLSX).output)[0]["总分状态"] == "有效"


def test_build_batch_writes_good_reports_and_skips_the_bad(bad_workbook, tmp_path):
    out = tmp_path / "out"
    result = run("build", SEED000_XLSX, bad_workbook, "-o", out)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [SEED000_XLSX.stem + "-自评表.xlsx", SEED000_XLSX.stem + ".docx", "汇总表.xlsx", "汇总分析报告.docx"])
    lines = result.output.splitlines()
    assert lines[0].startswith("√") and "总分 98.80 分，等级 优" in lines[0] and ".docx" in lines[0]
    assert any(line.startswith("×") and "有错误的项目.xlsx" in line for line in lines)
    assert "生成报告 1 份，失败 1 个" in result.output


def test_build_folder_means_every_workbook_in_it(tmp_path):
    out = tmp_path / "out"
    result = run("build", EXAMPLES, "-o", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([SEED000_XLSX.stem + ".docx", SEED000_XLSX.stem + "-自评表.xlsx",
                            SEED004_XLSX.stem + ".docx", SEED004_XLSX.stem + "-自评表.xlsx", "汇总表.xlsx", "汇总分析报告.docx"])
    # building again into the same folder as the inputs does not take the 自评表 for workbooks
    again = run("build", out, "-o", out)
    assert again.exit_code == 3 and "没有找到" in again.output


def test_unreadable_file_exits_2_without_traceback(tmp_path):
    fake = tmp_path / "报告.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    result = run("check", fake)
    assert result.exit_code == 2 and "报告.xlsx" in result.output and "不是 Excel 工作簿" in result.output
    result = run("build", fake, SEED004_XLSX, "-o", tmp_path / "out")
    assert result.exit_code == 2 and (tmp_path / "out" / (SEED004_XLSX.stem + ".docx")).exists()


def test_missing_file_and_usage_errors_are_explained(tmp_path, capfd):
    from perfeval.cli import main
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 3                        # a usage error, apart from an unreadable workbook
    err = capfd.readouterr().err
    assert "命令用法有误" in err and "缺少参数" in err
    with pytest.raises(SystemExit) as exc:
        main(["check", "--nosuch", str(SEED000_XLSX)])
    assert exc.value.code == 3 and "没有选项 '--nosuch'" in capfd.readouterr().err
    result = run("check", tmp_path / "没有这个文件.xlsx")
    assert result.exit_code == 2 and "文件不存在" in result.output


def test_check_json_is_a_list_in_utf8_whatever_the_console(tmp_path, seed000_data, make_workbook):
    import subprocess
    import sys
    folder = tmp_path / "一个"
    folder.mkdir()
    seed000_data["项目信息"]["实施单位"] = "乌鲁木齐住房公积金管理中心（𠀋）"      # outside GBK
    make_workbook(seed000_data, "一个/项目.xlsx")
    env = {"PYTHONIOENCODING": "gbk", "PATH": "/usr/bin:/bin"}
    for args, count in (([str(SEED000_XLSX)], 1), ([str(folder)], 1), ([str(SEED000_XLSX), str(SEED004_XLSX)], 2)):
        done = subprocess.run([sys.executable, "-m", "perfeval", "check", "--json", *args], capture_output=True,
                              env=env)
        data = json.loads(done.stdout.decode("utf-8"))
        assert isinstance(data, list) and len(data) == count
    assert data[1]["总分"] == 100
    one = json.loads(subprocess.run([sys.executable, "-m", "perfeval", "check", "--json", str(folder)],
                                    capture_output=True, env=env).stdout.decode("utf-8"))
    assert one[0]["项目信息"]["实施单位"].endswith("（𠀋）")
    out = tmp_path / "结果.json"
    assert run("check", folder, "--output", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))[0]["项目信息"]["实施单位"].endswith("（𠀋）")


def test_input_workbook_is_never_modified(tmp_path):
    before = SEED000_XLSX.read_bytes()
    run("build", SEED000_XLSX, "-o", tmp_path)
    run("check", "--json", SEED000_XLSX)
    assert SEED000_XLSX.read_bytes() == before


def test_build_pdf_without_libreoffice_explains_and_keeps_the_docx(tmp_path, monkeypatch):
    import perfeval.pdf
    monkeypatch.setattr(perfeval.pdf, "find_office", lambda: None)
    result = run("build", "--pdf", SEED004_XLSX, "-o", tmp_path)
    assert result.exit_code == 0
    assert "未找到 LibreOffice" in result.output and "apt-get install libreoffice-writer" in result.output
    assert (tmp_path / (SEED004_XLSX.stem + ".docx")).exists()
    assert not (tmp_path / (SEED004_XLSX.stem + ".pdf")).exists()


def test_build_pdf_writes_the_pdf_next_to_the_docx(tmp_path):
    import perfeval.pdf
    if perfeval.pdf.find_office() is None:
        pytest.skip("LibreOffice is not installed")
    result = run("build", "--pdf", SEED004_XLSX, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / (SEED004_XLSX.stem + ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and f"PDF {pdf}" in result.output


def test_font_setting_changes_the_report_fonts(tmp_path):
    import docx
    from docx.oxml.ns import qn
    result = run("build", "--font", "正文=仿宋", "--font", "标题=黑体", SEED004_XLSX, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    doc = docx.Document(tmp_path / (SEED004_XLSX.stem + ".docx"))
    east = lambda style: doc.styles[style].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))  # noqa: E731
    assert east("Normal") == "仿宋" and east("报告标题") == "黑体" and east("Heading 1") == "黑体"
    bad = run("build", "--font", "正文字体=仿宋", SEED004_XLSX, "-o", tmp_path)
    assert bad.exit_code == 3 and "未知的字体设置“正文字体”" in bad.output


def test_console_output_survives_a_chinese_windows_console(bad_workbook, tmp_path):
    """Output redirected to a file on Chinese Windows is GBK: our own symbols must fit in it."""
    for args in (["check", SEED000_XLSX, bad_workbook], ["build", SEED004_XLSX, bad_workbook, "-o", tmp_path]):
        result = run(*args)
        assert result.exit_code in (1, 2) and "√" in result.output and "×" in result.output, result.output
        assert result.output.encode("gbk").decode("gbk") == result.output      # encodes, nothing replaced
