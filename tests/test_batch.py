"""Many workbooks: parallel, in input order, failures isolated, re-runs skip what is up to date,
and the 汇总表 a reviewer sorts and filters."""
import os
import shutil
from pathlib import Path
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from perfeval.batch import FAILED, OK, UP_TO_DATE, Task, run_batch
from perfeval.cli import cli
from perfeval.outputs import FORM_SUFFIX, SUMMARY_NAME, find_workbooks

from conftest import SEED000_XLSX, SEED004_XLSX



def test_a_folder_used_for_input_and_output_never_takes_an_output_for_a_workbook(tmp_path):
    for name in ["a.xlsx", f"a{FORM_SUFFIX}", SUMMARY_NAME, "~$a.xlsx", "b.xlsx", "a.docx", f"单位{FORM_SUFFIX}"]:
        (tmp_path / name).write_bytes(b"")
    empty = tmp_path / "空"
    empty.mkdir()
    found, notes = find_workbooks([tmp_path, empty])
    # a unit's own 自评表 (no report beside it) is an input; the 自评表 build wrote beside a.docx is not
    assert [p.name for p in found] == ["a.xlsx", "b.xlsx", f"单位{FORM_SUFFIX}"]
    assert notes == [f"文件夹 {empty} 中没有工作簿（.xlsx、.xls 或 .et）。"]


def test_results_reach_the_caller_in_input_order_whatever_order_they_finish_in(monkeypatch):
    import perfeval.batch as B
    from perfeval.batch import Record

    class Reversed:
        """An executor that finishes the tasks last first."""
        def submit(self, fn, task):
            from concurrent.futures import Future
            future = Future()
            future.set_result([Record(task.path, OK)])
            return future

    seen = []
    tasks = [Task(f"{i}.xlsx") for i in range(5)]
    finished = []
    monkeypatch.setattr(B, "as_completed", lambda futures: list(futures)[::-1])
    records = run_batch(tasks, executor=Reversed(), on_result=lambda i, r: seen.append(i),
                        on_done=lambda i, r: finished.append(i))
    assert finished == [4, 3, 2, 1, 0]
    assert seen == [0, 1, 2, 3, 4] and [r.path for r in records] == [t.path for t in tasks]


@pytest.fixture
def folder(tmp_path, make_workbook, seed000_data, seed004_data):
    """Six workbooks: copies of the two examples under other 主管部门, and one with an error."""
    src = tmp_path / "in"
    src.mkdir()
    for i, dept in enumerate(["住建局", "住建局", "财政局"]):
        seed000_data["项目信息"]["主管部门"] = dept
        seed004_data["项目信息"]["主管部门"] = dept
        shutil.copy(make_workbook(seed000_data, f"a{i}.xlsx"), src / f"{i}-评价.xlsx")
        shutil.copy(make_workbook(seed004_data, f"b{i}.xlsx"), src / f"{i}-自评.xlsx")
    seed004_data["项目信息"]["预算总额"] = 50
    shutil.copy(make_workbook(seed004_data, "bad.xlsx"), src / "9-有错误.xlsx")
    (src / "8-不是工作簿.xlsx").write_text("hello", encoding="utf-8")
    return src


def test_parallel_results_come_back_in_input_order(folder):
    paths = sorted(folder.iterdir())
    records = run_batch([Task(str(p)) for p in paths], jobs=2)
    assert [r.path for r in records] == [str(p) for p in paths]
    assert [r.status for r in records].count(OK) == 6
    serial = run_batch([Task(str(p)) for p in paths], jobs=1)
    assert [(r.total, r.grade, len(r.findings)) for r in records] == \
           [(r.total, r.grade, len(r.findings)) for r in serial]


def test_build_batch_writes_reports_and_the_summary(folder, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "-j", "2"])
    assert result.exit_code == 2, result.output          # one file is not a workbook
    assert "生成报告 6 份，失败 2 个" in result.output
    wb = openpyxl.load_workbook(out / "汇总表.xlsx")
    ws = wb["项目汇总"]
    head = [c.value for c in ws[1]]
    for col in ("文件", "项目名称", "实施单位", "主管部门", "报告类型", "预算总额（万元）", "到位（万元）",
                "支出（万元）", "执行率", "决策得分率", "产出指标得分率", "总分", "等级", "错误数", "警告数",
                "报告", "状态", "原因"):
        assert col in head, col
    rows = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 8
    first = rows["0-评价.xlsx"]
    assert (first["总分"], first["等级"], first["主管部门"], first["预算总额（万元）"]) == (98.8, "优", "住建局", 734)
    assert first["报告"] == "0-评价.docx" and ws.freeze_panes == "B2" and ws.auto_filter.ref
    assert rows["9-有错误.xlsx"]["状态"] == "有错误" and "预算总额" in rows["9-有错误.xlsx"]["原因"]
    assert rows["8-不是工作簿.xlsx"]["状态"] == "无法读取" and "不是 Excel" in rows["8-不是工作簿.xlsx"]["原因"]
    by = wb["按主管部门汇总"]
    dept = {r[0]: r for r in by.iter_rows(min_row=2, values_only=True)}
    head2 = [c.value for c in by[1]]
    housing = dict(zip(head2, dept["住建局"]))
    assert housing["项目数"] == 4 and housing["优（个）"] == 4
    # funds-weighted: (98.8 × 734 + 100 × 44.99) × 2 / ((734 + 44.99) × 2)
    expected = (Decimal("98.8") * 734 + 100 * Decimal("44.99")) / (Decimal(734) + Decimal("44.99"))
    assert abs(Decimal(str(housing["资金加权平均分"])) - expected) < Decimal("0.001")


def test_rerun_skips_up_to_date_reports(folder, tmp_path):
    out = tmp_path / "out"
    one = folder / "0-自评.xlsx"
    first = run_batch([Task(str(one), "build", outdir=str(out))])[0]
    assert first.status == OK and first.report
    stamp = os.stat(first.report).st_mtime_ns
    again = run_batch([Task(str(one), "build", outdir=str(out))])[0]
    assert again.status == UP_TO_DATE and os.stat(first.report).st_mtime_ns == stamp
    forced = run_batch([Task(str(one), "build", outdir=str(out), force=True)])[0]
    assert forced.status == OK and os.stat(first.report).st_mtime_ns != stamp
    # the content decides, not the time: a touched workbook is the same workbook
    later = os.stat(first.report).st_mtime + 10
    os.utime(one, (later, later))
    touched = run_batch([Task(str(one), "build", outdir=str(out))])[0]
    assert touched.status == UP_TO_DATE
    wb = openpyxl.load_workbook(one)
    wb["项目信息"]["B2"] = "改过名称的项目"
    wb.save(one)
    changed = run_batch([Task(str(one), "build", outdir=str(out))])[0]
    assert changed.status == OK and changed.info["项目名称"] == "改过名称的项目"


def test_a_report_made_with_other_options_is_rebuilt(folder, tmp_path):
    from click.testing import CliRunner
    from perfeval.cli import cli
    one, out = folder / "0-自评.xlsx", tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(one), "-o", str(out)]).exit_code == 0
    again = runner.invoke(cli, ["build", str(one), "-o", str(out)])
    assert "已是最新" in again.output
    other_font = runner.invoke(cli, ["build", str(one), "-o", str(out), "--font", "正文=仿宋"])
    assert other_font.exit_code == 0 and "已是最新" not in other_font.output
    import docx
    body = docx.Document(out / "0-自评.docx").styles["Normal"].element.xml
    assert "仿宋" in body and "仿宋_GB2312" not in body
    same_font = runner.invoke(cli, ["build", str(one), "-o", str(out), "--font", "正文=仿宋"])
    assert "已是最新" in same_font.output
    back = runner.invoke(cli, ["build", str(one), "-o", str(out)])
    assert "已是最新" not in back.output


@pytest.fixture(scope="module")
def slow_workbook(tmp_path_factory):
    """A workbook that takes seconds and a hundred MB more to read: 15,000 paragraphs of narrative."""
    import copy

    import seed004
    from perfeval.template import write_workbook
    data = copy.deepcopy(seed004.DATA)
    data["文字说明"] += [{"章节": "主要绩效", "内容": f"第{i}段" * 20} for i in range(15_000)]
    return write_workbook(tmp_path_factory.mktemp("slow") / "很慢.xlsx", data)


def test_a_workbook_over_its_time_limit_is_skipped_and_the_rest_finish(slow_workbook):
    tasks = [Task(str(SEED000_XLSX)), Task(str(slow_workbook), timeout=0.5), Task(str(SEED004_XLSX))]
    records = run_batch(tasks, jobs=2)
    assert [r.status for r in records] == [OK, FAILED, OK], [r.reason for r in records]
    assert "超过 0.5 秒" in records[1].reason and "很慢.xlsx" in records[1].reason


@pytest.fixture(scope="module")
def large_workbook(tmp_path_factory):
    """A workbook that needs far more memory than a real project's: 15,000 paragraphs, 8,000 payments."""
    import copy
    import datetime as dt

    import seed004
    from perfeval.template import write_workbook
    data = copy.deepcopy(seed004.DATA)
    data["文字说明"] += [{"章节": "主要绩效", "内容": f"第{i}段" * 20} for i in range(15_000)]
    data["支付"] += [{"支付日期": dt.date(2022, 1 + i % 12, 1 + i % 28), "收款单位": "中国电信梅州分公司",
                    "预算项目": "线路租赁费", "支付金额": 1, "凭证号": f"X{i}"} for i in range(8_000)]
    return write_workbook(tmp_path_factory.mktemp("large") / "很大.xlsx", data)


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="memory limits need Linux")
def test_a_workbook_over_the_memory_limit_is_skipped_and_the_rest_finish(large_workbook, tmp_path):
    # 40 MB on top of a fresh worker: ordinary workbooks need about half of it
    tasks = [Task(str(SEED000_XLSX)), Task(str(large_workbook)),
             Task(str(SEED004_XLSX), "build", outdir=str(tmp_path), force=True)]
    records = run_batch(tasks, jobs=2, memory_mb=40)
    assert [r.status for r in records] == [OK, FAILED, OK], [r.reason for r in records]
    assert "超出内存限制" in records[1].reason and "很大.xlsx" in records[1].reason


def test_the_same_batch_on_a_local_dask_cluster_gives_the_same_results(folder, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    import docx
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        out_dask, out_local = tmp_path / "dask", tmp_path / "local"
        runner = CliRunner()
        r1 = runner.invoke(cli, ["build", str(folder), "-o", str(out_dask), "--scheduler", cluster.scheduler_address])
        r2 = runner.invoke(cli, ["build", str(folder), "-o", str(out_local), "-j", "2"])
    assert r1.exit_code == r2.exit_code == 2, r1.output
    reports = sorted(p.name for p in out_local.glob("*.docx"))
    assert reports == sorted(p.name for p in out_dask.glob("*.docx")) and len(reports) == 7
    assert "汇总分析报告.docx" in reports
    for name in reports:
        text = lambda d: "\n".join(p.text for p in docx.Document(d / name).paragraphs)  # noqa: E731
        cells = lambda d: [c.text for t in docx.Document(d / name).tables for c in t._cells]  # noqa: E731
        assert text(out_dask) == text(out_local) and cells(out_dask) == cells(out_local)
    values = lambda d: {ws.title: [[c.value for c in row] for row in ws.iter_rows()]  # noqa: E731
                        for ws in openpyxl.load_workbook(d / "汇总表.xlsx").worksheets}
    assert values(out_dask) == values(out_local) and "主要问题" in values(out_local)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the never-ending input is a named pipe")
def test_as_on_windows_a_workbook_that_never_finishes_is_ended_and_the_rest_finish(monkeypatch, tmp_path):
    """The spawn start method, no SIGALRM and no ``resource`` module, as on Windows: the parent
    ends the worker at the time limit, replaces it, and the other workbooks finish. The workbook
    that never finishes is a named pipe nobody writes to (as a file on a stalled network share):
    reading it blocks for ever."""
    import signal
    import perfeval.batch
    from perfeval.batch import run_workbooks
    monkeypatch.delattr(signal, "SIGALRM", raising=False)
    monkeypatch.setattr(perfeval.batch, "resource", None)        # no `resource` to import
    monkeypatch.setenv("PERFEVAL_START_METHOD", "spawn")
    folder = tmp_path / "in"
    folder.mkdir()
    for name, src in (("a.xlsx", SEED000_XLSX), ("c.xlsx", SEED004_XLSX), ("d.xlsx", SEED000_XLSX)):
        shutil.copy(src, folder / name)
    os.mkfifo(folder / "b-卡住.xlsx")
    result = run_workbooks([folder], "check", jobs=2, timeout=5)
    assert [Path(r.path).name for r in result.records] == ["a.xlsx", "b-卡住.xlsx", "c.xlsx", "d.xlsx"]
    assert [r.status for r in result.records] == [OK, FAILED, OK, OK], [r.reason for r in result.records]
    assert "超过 5 秒" in result.records[1].reason and "b-卡住.xlsx" in result.records[1].reason
    assert any("不能限制单个工作簿使用的内存" in note for note in result.notes)
    # one workbook alone, with no alarm to stop it: it runs in a worker all the same
    [alone] = run_batch([Task(str(folder / "b-卡住.xlsx"), timeout=3)])
    assert alone.status == FAILED and "超过 3 秒" in alone.reason
