"""The perfeval command: template, check, build. Each command parses its options, calls the
library and formats what it returns; nothing here computes a figure.

The library is imported inside each command, not here: ``perfeval --help`` (and a mistyped
option) answers without loading it, nor openpyxl, python-docx or pandas behind it. What a command
raises (``errors.PerfevalError``) is said as one line and ends with the exit code EXIT_CODES gives.
"""
from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .clitext import install as _chinese_click
from .errors import FolderBusy, OutputError, PerfevalError, TargetExists, TemplateUnreadable, WorkbookError
from .limits import DEFAULT_TIMEOUT

_chinese_click()

# Exit codes, the same for every command (documented in --help and README.md).
EXIT_OK = 0             # done, no errors in the workbooks
EXIT_ERRORS = 1         # a workbook has errors (reports for it not written), or an output could not be written
EXIT_UNREADABLE = 2     # a file could not be read as a workbook or a 自评表
EXIT_USAGE = 3          # the command itself is wrong: an unknown option, a missing argument, a bad value
# The exit code of each kind of PerfevalError: the first of an exception's classes found here.
EXIT_CODES = {
    WorkbookError: EXIT_UNREADABLE,          # (and LegacyError) a file that is no workbook
    TemplateUnreadable: EXIT_UNREADABLE,     # --reference-doc that is no Word document
    OutputError: EXIT_ERRORS,                # (and TargetExists) an output not written
    FolderBusy: EXIT_ERRORS,                 # the output folder held by another run
    PerfevalError: EXIT_USAGE,               # the command as given cannot run: a bad --font, no template…
}


def exit_code(exc: PerfevalError) -> int:
    return next(EXIT_CODES[kind] for kind in type(exc).__mro__ if kind in EXIT_CODES)


class Problem(PerfevalError):
    """A problem with the command as given (a usage error of our own words)."""


class _Failure(click.ClickException):
    """A PerfevalError as click ends a command with it: its message in Chinese (click's own prefix
    is English) and its exit code (EXIT_CODES)."""

    def __init__(self, exc: PerfevalError):
        super().__init__(str(exc))
        self.exit_code = exit_code(exc)

    def show(self, file=None):
        click.echo(f"错误：{self.format_message()}", file=file, err=True)


class _Commands(click.Group):
    """perfeval's commands: whatever the library raises on purpose ends the command as a _Failure."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PerfevalError as exc:
            raise _Failure(exc) from None


_STDOUT_CLOSED = []


def _close_stdout() -> None:
    """The reader of our output went away (``perfeval check … | head -1``): what is left to say goes
    nowhere, quietly, and the work goes on (a build still writes its reports)."""
    _STDOUT_CLOSED.append(True)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _closed_pipe(exc: OSError) -> bool:
    # Windows reports a closed pipe as EINVAL (or winerror 232)
    return isinstance(exc, BrokenPipeError) or exc.errno in (errno.EPIPE, errno.EINVAL) \
        or getattr(exc, "winerror", None) in (109, 232)


def _say(message="", nl: bool = True) -> None:
    """click.echo to stdout, ending quietly when the pipe has closed."""
    if _STDOUT_CLOSED:
        return
    try:
        click.echo(message, nl=nl)
    except OSError as exc:
        if not _closed_pipe(exc):
            raise
        _close_stdout()


def _summary(record) -> str:
    from . import figures as F
    from .record import PROVISIONAL
    notes = f"，提示 {record.hints} 个" if record.hints else ""
    if not record.scored:
        why = f"（{record.weights_off}）" if record.weights_off else ""
        return f"未计分{why}，错误 {record.errors} 个，警告 {record.warnings} 个{notes}"
    if record.weights_off:       # contract v3: a total over 分值 that do not add up to 100 has no grade
        return (f"总分 {F.score(record.total)} 分（{PROVISIONAL}），不评定等级（{record.weights_off}），"
                f"错误 {record.errors} 个，警告 {record.warnings} 个{notes}")
    provisional = f"（{PROVISIONAL}）" if record.errors else ""
    return (f"总分 {F.score(record.total)} 分，等级 {record.grade}{provisional}，错误 {record.errors} 个，"
            f"警告 {record.warnings} 个{notes}")


def _finding_lines(record, indent: str = "  ") -> list[str]:
    by_sheet: dict[str, list] = {}
    for f in record.findings:
        by_sheet.setdefault(f.sheet or "（工作簿）", []).append(f)
    lines = []
    for sheet, items in by_sheet.items():
        lines.append(f"{indent}【{sheet}】")
        for f in items:
            where = f"{f.cell} " if f.cell else ""
            lines.append(f"{indent}  [{f.severity.value}] {where}{f.message}")
    return lines


def _run(workbooks, mode: str, line_of, **options):
    """Run the batch in the library; print each workbook's lines in input order as results arrive."""
    from .batch import run_workbooks
    bar = None
    if sys.stderr.isatty():
        from .outputs import find_workbooks
        count = len(find_workbooks(workbooks)[0])
        if count > 1:
            from tqdm import tqdm           # a progress bar only where a person watches a terminal
            bar = tqdm(total=count, unit="个", desc="处理工作簿", file=sys.stderr, leave=False)

    def on_result(i, record):
        for line in line_of(record):
            (bar.write if bar is not None else _say)(line)

    def on_wait(holder):
        click.echo(f"提示：输出文件夹正由另一个 perfeval 写入（{holder}），等它完成后继续……", err=True)

    try:
        result = run_workbooks(workbooks, mode, on_result=on_result, on_wait=on_wait,
                               on_done=(lambda i, r: bar.update(1)) if bar is not None else None, **options)
    finally:
        if bar is not None:
            bar.close()
    for note in result.notes:
        click.echo(f"提示：{note}", err=True)
    if not result.records:
        raise Problem("没有找到要检查的工作簿。" if mode == "check" else "没有找到要处理的工作簿。")
    return result


_jobs_option = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                            help="同时处理的工作簿数，默认为 CPU 核数。")


def _batch_options(f):
    f = _jobs_option(f)
    f = click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True,
                     help="单个工作簿的处理时限（秒），超时的工作簿跳过并列出原因。")(f)
    f = click.option("--scheduler", metavar="ADDRESS", default=None,
                     help="把工作交给已有的 Dask 集群（如 tcp://10.0.0.5:8786），需安装 perfeval[dask]。")(f)
    return f


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[选项]",
             subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, "-V", "--version", prog_name="perfeval")
def cli():
    """perfeval：项目支出绩效评价。

    填写标准工作簿 → 检查和计分 → 生成绩效评价报告（.docx）。

    \b
    perfeval template 工作簿.xlsx     生成空白标准工作簿
    perfeval check 工作簿.xlsx        检查数据并计分
    perfeval build 工作簿.xlsx        生成报告（默认写入 output/）
    perfeval import 自评表.xlsx       把自评表转为标准工作簿

    退出码：0 完成且无错误；1 工作簿有错误或无法写出；2 有文件无法读取；3 命令用法有误。
    """


@cli.command(options_metavar="[选项]")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="目标文件已存在时覆盖。")
def template(path, force):
    """生成空白标准工作簿（含填表说明和下拉列表）。

    PATH 为输出文件，默认为当前目录下的“绩效评价标准工作簿.xlsx”。
    """
    from .outputs import TEMPLATE_NAME
    from .template import write_workbook
    target = Path(path or TEMPLATE_NAME)
    if target.suffix.lower() != ".xlsx":
        raise Problem(f"{target.name}：标准工作簿应保存为 .xlsx 文件。")
    if target.exists() and not force:
        raise TargetExists(target)
    write_workbook(target)      # OutputError where it cannot be written
    _say(f"已生成标准工作簿：{target}")


@cli.command(options_metavar="[选项]")
@click.argument("workbooks", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True,
              help="以 JSON 输出检查和计分结果（供程序使用）：总是一个列表，每个工作簿一项，UTF-8 编码。")
@click.option("--output", "json_to", type=click.Path(dir_okay=False), metavar="FILE.json",
              help="把 JSON 写入文件（UTF-8），而不是显示在控制台（控制台为 GBK 时使用）。")
@click.option("--annotate", "annotate_to", type=click.Path(dir_okay=False), metavar="OUT.xlsx",
              help="另存一份标注过的工作簿：有问题的单元格标红（错误）或标黄（警告）并附批注，"
                   "首页列出全部问题。原工作簿不会被修改。只能用于一个工作簿。")
@_batch_options
def check(workbooks, as_json, json_to, annotate_to, jobs, timeout, scheduler):
    """检查工作簿中的数据并计分。

    WORKBOOKS 为一个或多个工作簿，或包含工作簿的文件夹。
    退出码：0 完成且无错误；1 工作簿有错误或无法写出；2 有文件无法读取；3 命令用法有误。
    """
    from .outputs import find_workbooks
    if annotate_to and len(find_workbooks(workbooks)[0]) > 1:
        raise Problem("--annotate 只能用于一个工作簿。")
    if annotate_to and Path(annotate_to).suffix.lower() != ".xlsx":
        raise Problem(f"{annotate_to}：标注副本应保存为 .xlsx 文件。")

    if json_to:
        as_json = True

    def lines(record):
        if as_json:
            return []
        if record.unreadable:
            return [f"× {record.reason}"]
        return [f"{'√' if not record.errors else '×'} {record.path}：{_summary(record)}"] + _finding_lines(record)

    records = _run(workbooks, "check", lines, as_json=as_json, jobs=jobs, timeout=timeout, scheduler=scheduler,
                   annotate=annotate_to).records
    if as_json:
        data = [r.json if r.json is not None else {"文件": r.path, "可读取": False, "原因": r.reason}
                for r in records]
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if json_to:
            from .files import save_atomic
            save_atomic(Path(json_to), text.encode("utf-8"))
        else:
            _say(text.encode("utf-8"), nl=False)     # UTF-8 whatever the console's code page
    if records[0].annotate_error:
        _say_error(records[0].annotate_error)
        sys.exit(EXIT_ERRORS)
    if records[0].annotated and not as_json:
        _say(f"已生成标注副本：{records[0].annotated}")
    if any(r.unreadable for r in records):
        sys.exit(EXIT_UNREADABLE)
    sys.exit(EXIT_ERRORS if any(r.errors for r in records) else EXIT_OK)


@cli.command(options_metavar="[选项]")
@click.argument("workbooks", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "outdir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="报告输出文件夹。")
@click.option("--force", is_flag=True, help="有错误时仍生成报告；已是最新的报告也重新生成。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF（需已安装 LibreOffice）。")
@click.option("--font", "font_settings", multiple=True, metavar="项目=字体",
              help="更换报告字体，可多次使用，如 --font 正文=仿宋 --font 标题=黑体。"
                   "项目：正文、标题、一级标题、二级标题、三级标题、数字、页码。")
@click.option("--reference-doc", "reference", type=click.Path(dir_okay=False), metavar="单位模板.docx",
              help="以单位自己在 Word/WPS 中做的 .docx 为模板：沿用其样式、页面设置、页眉页脚（红头）；"
                   "模板中第一个分页符之前的内容作为封面，其中的 {项目名称}、{报告类型}、{评价年度}、{实施单位}、"
                   "{主管部门}、{评价机构}、{报告日期} 会被填入。")
@click.option("--toc", is_flag=True, help="在标题后加入目录（Word/WPS 打开时自动更新页码）。")
@click.option("--previous", type=click.Path(), metavar="上年汇总表.xlsx",
              help="上年的汇总表.xlsx（或其所在文件夹，或上年自评表所在的文件夹）：按项目名称和实施单位对比，"
                   "汇总表和汇总分析报告中增加得分和执行率的变化、连续两年为中/差或执行率低于90%的项目、"
                   "新增和未再报送的项目。")
@_batch_options
def build(workbooks, outdir, force, pdf, font_settings, reference, toc, previous, jobs, timeout, scheduler):
    """检查、计分并生成绩效评价报告（<工作簿名>.docx）和项目支出绩效自评表（<工作簿名>-自评表.xlsx）。

    WORKBOOKS 为一个或多个工作簿，或包含工作簿的文件夹。有错误的工作簿不生成报告
    （除非加 --force），其余工作簿照常生成；报告比工作簿新的不重新生成（--force 重新生成）。
    处理多个工作簿时，输出文件夹中另有“汇总表.xlsx”和“汇总分析报告.docx”。

    退出码：0 完成且无错误；1 工作簿有错误或无法写出；2 有文件无法读取；3 命令用法有误。
    """
    from .record import UP_TO_DATE
    from .report.fonts import Fonts
    fonts = Fonts.from_settings(font_settings)       # SettingError: a usage error

    def lines(record):
        if record.unreadable:
            return [f"× {record.reason}"]
        if record.report:
            extra = f"，PDF {record.pdf}" if record.pdf else ""
            fresh = "（已是最新，未重新生成）" if record.status == UP_TO_DATE else ""
            out = [f"√ {record.path}：{_summary(record)}，报告 {record.report}{fresh}，自评表 {record.form}{extra}"]
            out += [f"  提示：{note}" for note in record.notes]
        else:
            out = [f"× {record.path}：{_summary(record)}，{record.reason}"]
        return out + (_finding_lines(record) if record.findings and record.status != UP_TO_DATE else [])

    if reference:
        from .report.reference import check_reference
        check_reference(reference)
    result = _run(workbooks, "build", lines, outdir=outdir, force=force, pdf=pdf, fonts=fonts, jobs=jobs,
                  timeout=timeout, scheduler=scheduler, reference=reference, toc=toc, previous=previous)
    records = result.records
    failed = [r for r in records if not r.report]
    if result.summary:
        _say(f"共 {len(records)} 个工作簿：生成报告 {len(records) - len(failed)} 份，失败 {len(failed)} 个。"
             f"汇总表：{result.summary}，汇总分析报告：{result.analysis}")
    if any(r.unreadable for r in failed):
        sys.exit(EXIT_UNREADABLE)
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)


@cli.command("import", options_metavar="[选项]")
@click.argument("form", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False), default=None, metavar="工作簿.xlsx",
              help="写出的标准工作簿，默认为“<自评表文件名>-工作簿.xlsx”；文件中有多张自评表时按序号分别写出。")
@click.option("--force", is_flag=True, help="目标文件已存在时覆盖。")
def import_(form, target, force):
    """把项目支出绩效自评表转为标准工作簿，以便补充支付、合同和文字说明后生成完整报告。

    FORM 为各单位填报的自评表（.xlsx、.xls 或 WPS .et，财预〔2020〕10号附件1或各省格式）。
    """
    from .outputs import imported_workbook
    from .pipeline import import_forms
    source = Path(form)
    target = Path(target) if target else imported_workbook(source)
    if target.suffix.lower() != ".xlsx":
        raise Problem(f"{target.name}：标准工作簿应保存为 .xlsx 文件。")
    written = import_forms(source, target, force=force)   # WorkbookError, TargetExists, OutputError
    for path in written:
        _say(f"已生成标准工作簿：{path}")


@cli.command(options_metavar="[选项]")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="端口。")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听的地址。默认只允许本机访问；改为其他地址会让局域网内的其他电脑也能访问。")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
@_jobs_option
def serve(port, host, no_browser, jobs):
    """在浏览器中使用 perfeval：上传工作簿，查看问题和得分，下载报告。

    在本机启动一个网页（默认 http://127.0.0.1:8765/），文件只在本机处理。需安装 perfeval[web]。
    按 Ctrl+C 停止。
    """
    try:
        from .web import serve as run
    except ImportError:
        raise Problem("网页功能需要安装：pip install \"perfeval[web]\"") from None
    click.echo(f"perfeval 网页已启动：http://{host}:{port}/ （按 Ctrl+C 停止）")
    run(host=host, port=port, open_browser=not no_browser, jobs=jobs)


def openpyxl_without_numpy() -> None:
    """Import openpyxl without numpy, in the command's own process.

    openpyxl imports numpy whenever it is installed (pandas installs it), only to accept numpy
    numbers as cell values: about half of openpyxl's import, on every run of the command.
    perfeval never gives openpyxl a numpy number (summary.py turns pandas' values into Python
    ones first), so the command's process imports openpyxl with numpy hidden; numpy itself
    stays importable (pandas imports it for 汇总表). Not done where perfeval is a library in
    someone else's process, nor when numpy or openpyxl is already imported."""
    if "numpy" in sys.modules or "openpyxl" in sys.modules:
        return
    sys.modules["numpy"] = None          # `import numpy` raises ImportError, which openpyxl expects
    try:
        import openpyxl  # noqa: F401
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]


def main(argv=None):
    """Entry point: click's usage errors are shown with a Chinese lead and exit code 2."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] in ("check", "build", "import", "template") and not {"-h", "--help"} & set(args):
        openpyxl_without_numpy()          # the commands that open or write a workbook
    for stream in (sys.stdout, sys.stderr):
        # Output redirected to a file on Chinese Windows is encoded in GBK: never fail on a
        # character it lacks.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        code = cli.main(args=argv, prog_name="perfeval", standalone_mode=False)
    except OSError as exc:
        if not _closed_pipe(exc):
            _internal(exc)
        _close_stdout()          # the reader went away: end quietly
        sys.exit(EXIT_ERRORS)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        click.echo(f"命令用法有误：{exc.format_message()}", err=True)
        click.echo("运行 perfeval --help 查看用法。", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - a bug of ours is said as such, never as a traceback
        _internal(exc)
    sys.exit(code or 0)


def _say_error(message: str) -> None:
    click.echo(f"错误：{message}", err=True)


def _internal(exc: BaseException) -> None:
    from .batch import internal_error
    _say_error(internal_error(exc))
    sys.exit(EXIT_UNREADABLE)


if __name__ == "__main__":
    main()
