"""The bureau's 汇总分析报告: every count, sum and grade in it is the 汇总表's (both read back here
from the files), and with the previous year's 汇总表 the projects two years running are right."""
import random
import re
from decimal import Decimal

import docx
import openpyxl
import pytest

from perfeval import figures as F
from click.testing import CliRunner

from perfeval.batch import run_workbooks
from perfeval.cli import cli

import bureau_forms as B
from forms import save_forms

TWO = Decimal("0.01")


def d2(value) -> str:
    """A number of 汇总表 as the report prints it: two decimals, half up (a blank cell as —)."""
    if value is None:
        return "—"
    return str(Decimal(str(value)).quantize(TWO, rounding="ROUND_HALF_UP"))


def pct(value) -> str:
    return f"{Decimal(str(value * 100)).quantize(TWO, rounding='ROUND_HALF_UP')}%"


def sheet(wb, name) -> list[dict]:
    rows = list(wb[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def table(document, first_header: str) -> list[list[str]]:
    """The rows of the report's table whose first header cell is ``first_header`` (header left out)."""
    for t in document.tables:
        cells = [[c.text for c in row.cells] for row in t.rows]
        if cells[0][0] == first_header:
            return cells[1:]
    raise AssertionError(f"no table headed {first_header}")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """30 forms of every quality and one damaged file, built as a bureau would."""
    folder = tmp_path_factory.mktemp("forms")
    B.make_forms(folder, 30)
    (folder / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    out = tmp_path_factory.mktemp("out")
    run_workbooks([folder], "build", outdir=out, jobs=2, force=True)
    return openpyxl.load_workbook(out / "汇总表.xlsx"), docx.Document(out / "汇总分析报告.docx")


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_the_basics_are_the_summary_s(batch):
    wb, report = batch
    basics = {row["项目"]: row["数值"] for row in sheet(wb, "基本情况")}
    projects = sheet(wb, "项目汇总")
    scored = [p for p in projects if p["总分"] is not None]
    assert basics["收到的自评表（份）"] == len(projects) == 31
    assert basics["完成计分（份）"] == len(scored) == 30 and basics["无法读取或处理失败（份）"] == 1
    assert basics["实施单位（个）"] == len({p["实施单位"] for p in scored})
    assert basics["主管部门（个）"] == len({p["主管部门"] for p in scored}) == 5
    budget = sum(Decimal(str(p["预算总额（万元）"])) for p in scored)
    assert d2(basics["预算总额（万元）"]) == d2(budget)
    text = text_of(report)
    assert f"共收到5个主管部门、{basics['实施单位（个）']}个实施单位报送的项目支出绩效自评表31份，其中30份" in text
    paid = Decimal(str(basics["全年执行（万元）"]))
    assert f"预算总额{F.wan(budget)}，全年执行{F.wan(paid)}" in text        # amounts with separators, as everywhere
    assert f"总体预算执行率{pct(basics['预算执行率'])}" in text
    assert f"加权的平均得分为{d2(basics['资金加权平均分'])}分" in text
    assert "1份无法读取或处理失败" in text


def test_grades_and_their_funds_are_counted_from_the_projects(batch):
    wb, report = batch
    scored = [p for p in sheet(wb, "项目汇总") if p["总分"] is not None]
    grades = {row["等级"]: row for row in sheet(wb, "等级分布")}
    shown = {row[0]: row for row in table(report, "等级")}
    for grade in ("优", "良", "中", "差"):
        mine = [p for p in scored if p["等级"] == grade]
        assert grades[grade]["项目数"] == len(mine) == int(shown[grade][1])
        budget = sum((Decimal(str(p["预算总额（万元）"])) for p in mine), Decimal(0))
        assert d2(grades[grade]["预算总额（万元）"]) == d2(budget) == shown[grade][3].replace(",", "")
        assert f"{grade}{len(mine)}个" in text_of(report)
    assert {g for g in ("优", "良", "中", "差") if grades[g]["项目数"]} == {"优", "良", "中", "差"}  # a real spread
    assert shown["合计"][1] == "30"


def test_the_department_table_is_the_summary_s(batch):
    wb, report = batch
    want = sheet(wb, "按主管部门汇总")
    got = table(report, "主管部门")
    assert [row[0] for row in got] == [w["主管部门"] for w in want]
    for w, g in zip(want, got):
        assert [int(x) for x in g[1:6]] == [w["项目数"], w["优（个）"], w["良（个）"], w["中（个）"], w["差（个）"]]
        assert g[6].replace(",", "") == d2(w["预算总额（万元）"]) and g[8] == d2(w["资金加权平均分"])


def test_problems_are_counted_as_in_the_summary(batch):
    wb, report = batch
    want = {row["问题类别"]: row for row in sheet(wb, "主要问题")}
    got = {row[0]: row for row in table(report, "问题类别")}
    assert set(want) == set(got)
    for title, row in want.items():
        assert int(got[title][1]) == row["涉及自评表（份）"]
        assert re.match(rf"{row['问题（处）']}\D", got[title][2])
    assert want["无法读取的自评表"]["涉及自评表（份）"] == 1 and "损坏.xlsx" in want["无法读取的自评表"]["例如"]
    # every seventh form typed a 总分 two points above its rows; every eleventh has 分值 of 105
    assert want["填写的总分与各指标得分之和不符"]["涉及自评表（份）"] == 4
    assert want["指标分值合计不为100分"]["涉及自评表（份）"] == 3
    low = [p for p in sheet(wb, "项目汇总") if p["执行率"] is not None and p["执行率"] < 0.9]
    assert want["预算执行率低于90%"]["涉及自评表（份）"] == len(low) > 0
    text = text_of(report)
    for title, row in want.items():
        if row["涉及自评表（份）"] and title != "指标填写的得分与评分规则不符":
            assert f"{row['涉及自评表（份）']}份自评表存在此问题" in text


def test_self_evaluation_quality_lists_the_differences(batch):
    wb, report = batch
    totals = {p["项目名称"]: p["总分"] for p in sheet(wb, "项目汇总")}
    want = sheet(wb, "自评质量")
    got = table(report, "项目名称")          # the first table headed 项目名称 is 自评质量's
    assert len(want) == len(got) > 0
    for w, g in zip(want, got):
        assert g[0] == w["项目名称"] and d2(w["按规则计算的总分"]) == d2(totals[w["项目名称"]]) == g[3]
        assert g[2] == d2(w["填写的总分"]) and g[4] == d2(w["差额（填写−计算）"])


def test_the_review_list_is_every_low_grade_or_slow_project(batch):
    wb, report = batch
    projects = sheet(wb, "项目汇总")
    low = {p["项目名称"] for p in projects if p["总分"] is not None
           and (p["等级"] in ("中", "差") or (p["执行率"] is not None and p["执行率"] < 0.9))}
    listed = [row["项目名称"] for row in sheet(wb, "结果应用")]
    assert set(listed) == low and len(listed) == len(low) > 0
    rows = [row for t in report.tables if [c.text for c in t.rows[0].cells][-1] == "原因"
            for row in ([c.text for c in r.cells] for r in t.rows[1:])]
    assert [row[0] for row in rows] == listed
    text = text_of(report)
    assert f"评价等级为中、差或预算执行率低于90%的项目共{len(low)}个" in text
    for heading in ("一、基本情况", "二、自评结果", "三、发现的主要问题", "四、自评质量", "五、结果应用建议"):
        assert heading in text


# ---------------------------------------------------------------- year over year
PAIR = {   # project: ((q, 执行率) last year, (q, 执行率) this year); 0.5 → 差, 0.7 → 中, 1.0 → 优
    "道路维护": ((0.5, 1.0), (0.5, 1.0)),      # 差 both years: running
    "校舍维修": ((1.0, 0.8), (1.0, 0.75)),     # 优 but 执行率 below 90% both years: running
    "公路养护": ((0.7, 1.0), (0.5, 1.0)),      # 中 then 差: running
    "医疗设备购置": ((0.5, 1.0), (1.0, 1.0)),  # 差 then 优: improved, not running
    "农田建设": ((1.0, 1.0), (0.5, 1.0)),      # 优 then 差: this year only
    "绿化养护": ((1.0, 0.8), (1.0, 1.0)),      # slow last year only
}


def make_year(folder, year, which, extra):
    rng = random.Random(year)
    for k, topic in enumerate(PAIR):
        q, rate = PAIR[topic][which]
        save_forms(folder / f"{k}.xlsx", B.graded(f"{year}年{topic}项目", "市住房和城乡建设局", f"市{topic}中心",
                                                  year, q, rate, rng))
    save_forms(folder / "extra.xlsx", B.graded(f"{year}年{extra}项目", "市教育局", f"市{extra}中心", year, 1.0, 1.0, rng))


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    last, this = tmp_path_factory.mktemp("2022"), tmp_path_factory.mktemp("2023")
    make_year(last, 2022, 0, "旧设备处置")
    make_year(this, 2023, 1, "新校区建设")
    out_last = tmp_path_factory.mktemp("out2022")
    assert CliRunner().invoke(cli, ["build", str(last), "-o", str(out_last)]).exit_code == 0
    return last, this, out_last


def running_in(out) -> set[str]:
    rows = sheet(openpyxl.load_workbook(out / "汇总表.xlsx"), "上年对比")
    return {r["项目名称"] for r in rows if r["类别"] == "连续两年"}


def test_two_years_running_is_right_on_a_constructed_pair(years, tmp_path):
    last, this, out_last = years
    result = CliRunner().invoke(cli, ["build", str(this), "-o", str(tmp_path), "--previous",
                                      str(out_last / "汇总表.xlsx")])
    assert result.exit_code == 0, result.output
    assert running_in(tmp_path) == {"2023年道路维护项目", "2023年校舍维修项目", "2023年公路养护项目"}
    wb = openpyxl.load_workbook(tmp_path / "汇总表.xlsx")
    kinds = {r["项目名称"]: r["类别"] for r in sheet(wb, "上年对比")}
    assert kinds["2023年新校区建设项目"] == "本年新增" and kinds["2022年旧设备处置项目"] == "本年未报送"
    assert kinds["2023年医疗设备购置项目"] == kinds["2023年农田建设项目"] == "两年均有"
    row = {r["项目名称"]: r for r in sheet(wb, "项目汇总")}["2023年医疗设备购置项目"]
    assert row["总分变化"] > 40 and row["连续两年"] is None and row["上年总分"] < 60
    report = docx.Document(tmp_path / "汇总分析报告.docx")
    shown = [r[0] for r in table(report, "项目名称") if r[-1].startswith("连续两年")]
    assert set(shown) == running_in(tmp_path)
    text = text_of(report)
    assert "两年均报送的项目6个" in text and "本年新增项目1个，上年报送而本年未报送的1个" in text
    assert "对连续两年存在问题的3个项目" in text
    review = {r["项目名称"]: r for r in sheet(wb, "结果应用")}
    assert "连续两年" in review["2023年道路维护项目"]["原因"] and "连续两年" not in review["2023年农田建设项目"]["原因"]


def test_the_previous_year_may_be_its_folder_of_forms(years, tmp_path):
    last, this, out_last = years
    a, b = tmp_path / "a", tmp_path / "b"
    CliRunner().invoke(cli, ["build", str(this), "-o", str(a), "--previous", str(out_last)])
    CliRunner().invoke(cli, ["build", str(this), "-o", str(b), "--previous", str(last)])
    assert running_in(a) == running_in(b) == {"2023年道路维护项目", "2023年校舍维修项目", "2023年公路养护项目"}


def test_a_previous_that_is_not_a_summary_says_what_is_expected(years, tmp_path):
    last, this, _ = years
    result = CliRunner().invoke(cli, ["build", str(this), "-o", str(tmp_path), "--previous", str(last / "0.xlsx")])
    assert result.exit_code == 3 and "不是 perfeval 生成的汇总表" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["build", str(this), "-o", str(tmp_path), "--previous", str(tmp_path / "无.xlsx")])
    assert result.exit_code == 3 and "不存在" in result.output


def test_the_report_renders_on_a4_with_every_chapter(batch, tmp_path):
    """As the bureau officer reads it: converted by LibreOffice, every chapter there, no page empty."""
    import shutil
    import subprocess
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice and poppler-utils are not installed")
    _, report = batch
    source = tmp_path / "汇总分析报告.docx"
    report.save(source)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "汇总分析报告.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [re.sub(r"\s+", "", p) for p in pages if p.strip()]
    assert all(len(p) > 40 for p in pages[:-1])               # no page left with only a heading or a number
    whole = "".join(pages)
    for heading in ("一、基本情况", "二、自评结果", "三、发现的主要问题", "四、自评质量", "五、结果应用建议",
                    "各评价等级项目数"):
        assert heading in whole
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d*", info)
