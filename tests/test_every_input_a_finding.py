"""Every input gets a finding at its cell, never an internal error, and ``check`` and ``build`` agree:
figures beyond any real amount, a repeated 项目信息 field; contract v3's 分值 rules (all blank, a sum
other than 100); the size limits that a real 部门 workbook passes and a zip bomb does not."""
import copy
import json
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from perfeval.cli import cli
from perfeval.findings import Code
from perfeval.reader import MAX_RATIO, WorkbookError, _check_archive

from conftest import SEED000_XLSX, SEED004_XLSX, check_data, set_cells


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result


def finding_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith("[")]


@pytest.mark.parametrize("sheet, cell, value, words", [
    ("合同", "D2", 1e29, "1000万亿元"),
    ("支付", "D2", 1e308, "1000万亿元"),
    ("支付", "D3", "99999999999999999999999999999", "1000万亿元"),
    ("预算明细", "B2", 1e12, "1000万亿元"),                  # 万元: 10^16 元
    ("绩效指标", "D2", 1e20, "1000万亿"),                    # 分值
    ("绩效指标", "H6", 1e29, "1000万亿"),                    # 实际值
    ("满意度调查", "B2", 1e18, "1000万亿"),                  # 有效样本
])
def test_a_figure_beyond_any_real_amount_is_a_finding_at_its_cell(tmp_path, sheet, cell, value, words):
    import shutil
    path = tmp_path / "大数.xlsx"
    shutil.copy(SEED000_XLSX, path)
    set_cells(path, {(sheet, cell): value})
    checked = run("check", path)
    assert checked.exit_code == 1, checked.output
    [line] = [x for x in finding_lines(checked.output) if x.split(" ")[1] == cell and words in x]
    assert "[错误]" in line and f"【{sheet}】" in checked.output
    built = run("build", path, "-o", tmp_path / "out")
    assert built.exit_code == checked.exit_code == 1 and not (tmp_path / "out").exists() or \
        not list((tmp_path / "out").iterdir())
    [data] = json.loads(run("check", "--json", path).output)
    assert any(f["单元格"] == cell and f["工作表"] == sheet for f in data["发现"])


def test_an_amount_just_below_the_limit_is_read(seed000_data):
    seed000_data["支付"][0]["支付金额"] = 999_999_999_999_999      # < 10^15 元: no finding of size
    r = check_data(seed000_data)
    assert not [f for f in r.findings if "1000万亿" in f.message]


def test_a_repeated_info_field_is_a_finding_at_its_second_row(tmp_path):
    path = tmp_path / "重复.xlsx"
    wb = openpyxl.load_workbook(SEED000_XLSX)
    ws = wb["项目信息"]
    ws.append(["项目名称", "另一个名称"])
    second = ws.max_row
    ws.append(["实施单位", ws["B3"].value])          # the same value again: a warning only
    wb.save(path)
    result = run("check", path)
    assert result.exit_code == 1
    lines = finding_lines(result.output)
    [conflict] = [x for x in lines if x.split(" ")[1] == f"A{second}"]
    assert "[错误]" in conflict and "第2行和第" in conflict and "另一个名称" in conflict
    [same] = [x for x in lines if x.split(" ")[1] == f"A{second + 1}"]
    assert "[警告]" in same and "内容相同" in same
    assert run("build", path, "-o", tmp_path / "out").exit_code == 1


# ---------------------------------------------------------------- contract v3: 分值
def test_a_workbook_whose_weights_are_all_blank_is_told_weights_are_missing(seed004_data):
    for row in seed004_data["绩效指标"]:
        row["分值"] = None
    r = check_data(seed004_data)
    codes = [f.code for f in r.errors]
    assert codes.count(Code.WEIGHTS_MISSING) == 1 and Code.INDICATORS_EMPTY not in codes
    assert not [f for f in r.findings if f.code is Code.REQUIRED and f.key == "weight"]
    [f] = [f for f in r.errors if f.code is Code.WEIGHTS_MISSING]
    assert "分值" in f.message and f"共{len(seed004_data['绩效指标'])}个" in f.message and f.cell == "D2"
    assert not r.evaluation.scorable


def test_weights_all_blank_in_the_cli_json_and_summary(tmp_path, seed004_data, make_workbook):
    for row in seed004_data["绩效指标"]:
        row["分值"] = None
    path = make_workbook(seed004_data, "无分值.xlsx")
    result = run("check", path)
    assert result.exit_code == 1 and "未计分（分值未填写" in result.output, result.output
    assert "没有任何三级指标" not in result.output
    [data] = json.loads(run("check", "--json", path).output)
    assert data["总分"] is None and data["等级"] is None and "无法计分" in data["总分说明"]


def test_weights_summing_to_120_give_no_grade(tmp_path, seed004_data, make_workbook):
    seed004_data["绩效指标"][0]["分值"] += 20
    path = make_workbook(seed004_data, "分值120.xlsx")
    result = run("check", path)
    summary = next(line for line in result.output.splitlines() if line.startswith("×"))
    assert "不评定等级" in summary and "分值合计为120分" in summary and "等级 优" not in summary
    assert any("各三级指标分值合计为120分" in x and "产出指标" in x for x in finding_lines(result.output))
    [data] = json.loads(run("check", "--json", path).output)
    assert data["等级"] is None and data["总分状态"] == "有错误，仅供参考" and "分值合计为120分" in data["总分说明"]
    out = tmp_path / "out"
    run("build", path, SEED000_XLSX, "-o", out, "--force")
    ws = openpyxl.load_workbook(out / "汇总表.xlsx")["项目汇总"]
    head = [c.value for c in ws[1]]
    row = next(dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "分值120.xlsx")
    assert row["等级"] is None and "总分不是最终结果，不评定等级" in row["原因"]


# ---------------------------------------------------------------- size
def _department_sheet(rows: int) -> bytes:
    """A 支付 sheet as Excel writes a 部门's: ``rows`` payments, shared strings for the names."""
    cells = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{44927 + r % 365}</v></c><c r="B{r}" t="s"><v>{r % 700}</v></c>'
        f'<c r="C{r}" t="s"><v>{700 + r % 6}</v></c><c r="D{r}"><v>{(r * 7919) % 1000000 / 100}</v></c>'
        f'<c r="E{r}" t="inlineStr"><is><t>记-{r:06d}</t></is></c></row>' for r in range(2, rows + 2))
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>').encode()


def test_a_department_workbook_is_within_the_limits_and_a_bomb_is_not(tmp_path):
    """50,000 payments (and 3,000 indicators beside them) are what a 部门 holds: let in. The same size
    packed a thousand times is a bomb: refused, saying the ratio and the limit."""
    big = tmp_path / "部门.zip"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet5.xml", _department_sheet(50_000))
        zf.writestr("xl/worksheets/sheet6.xml", _department_sheet(3_000) * 3)
    with zipfile.ZipFile(big) as zf:
        assert "xl/worksheets/sheet5.xml" in _check_archive(zf, big.name)
        ratio = max(i.file_size / i.compress_size for i in zf.infolist())
    assert ratio < MAX_RATIO / 2
    bomb = tmp_path / "炸弹.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (2 * 1024 * 1024))
    with zipfile.ZipFile(bomb) as zf, pytest.raises(WorkbookError) as exc:
        _check_archive(zf, bomb.name)
    assert f"超过上限 {MAX_RATIO} 倍" in str(exc.value) and "压缩了" in str(exc.value)


def test_a_department_workbook_is_checked(tmp_path):
    """3,000 indicators and 50,000 payments: read and checked (about 20 s), not refused."""
    import datetime as dt

    import seed000
    from perfeval.pipeline import check_file
    from perfeval.template import write_workbook
    data = copy.deepcopy(seed000.DATA)
    names = [line["预算项目"] for line in data["预算明细"]]
    data["支付"] = [{"支付日期": dt.date(2023, 1 + i % 12, 1 + i % 28), "收款单位": f"供应商{i % 700}有限公司",
                   "预算项目": names[i % len(names)], "支付金额": 1 + (i * 37) % 100, "凭证号": f"记-{i:06d}"}
                  for i in range(50_000)]
    base = data["绩效指标"]
    data["绩效指标"] = [dict(base[k % len(base)], 三级指标=f"{base[k % len(base)]['三级指标']}{k}",
                         分值=1 / 30, 填报得分=None, 评分说明="按评分标准打分") for k in range(3_000)]
    path = write_workbook(tmp_path / "部门.xlsx", data)
    [r] = check_file(path)
    assert not r.unreadable, r.unreadable
    assert len(r.project.payments) == 50_000 and len(r.project.indicators) == 3_000
