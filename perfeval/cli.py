"""The perfeval command: template, check, build. Each command parses its options, calls the
library and formats what it returns; nothing here computes a figure."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .pipeline import FORM_SUFFIX

DEFAULT_TEMPLATE = "绩效评价标准工作簿.xlsx"
EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _inputs(paths: tuple[str, ...]) -> list[Path]:
    """Files as given; a folder means every .xlsx in it (Excel's ~$ lock files skipped)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            # Skips Excel's ~$ lock files and the 自评表 that `build` writes, should the output
            # folder be the input folder.
            found = sorted(x for x in p.iterdir()
                           if x.suffix.lower() == ".xlsx" and not x.name.startswith(("~$", "."))
                           and not x.name.endswith(FORM_SUFFIX))
            if not found:
                click.echo(f"提示：文件夹 {p} 中没有 .xlsx 工作簿。", err=True)
            out.extend(found)
        else:
            out.append(p)
    return out


class Problem(click.ClickException):
    """A problem with the command as given, shown in Chinese (click's own prefix is English)."""

    def show(self, file=None):
        click.echo(f"错误：{self.format_message()}", err=True)


def _safe_check(path: Path):
    """check_workbook, with an unexpected failure turned into a result instead of a traceback."""
    from .pipeline import CheckResult, check_workbook
    try:
        return check_workbook(path)
    except Exception as exc:  # noqa: BLE001 - one bad workbook must not stop a batch
        return CheckResult(path, unreadable=f"{path.name}：处理时发生意外错误（{type(exc).__name__}：{exc}）。"
                                             "请检查该工作簿，或将它发送给维护人员。")


def _summary(result) -> str:
    e = result.evaluation
    if not e.scored:
        return f"未计分，错误 {len(result.errors)} 个，警告 {len(result.warnings)} 个"
    return (f"总分 {e.total:.2f} 分，等级 {e.grade}，错误 {len(result.errors)} 个，"
            f"警告 {len(result.warnings)} 个")


def _print_findings(result, indent: str = "  ") -> None:
    by_sheet: dict[str, list] = {}
    for f in result.findings:
        by_sheet.setdefault(f.sheet or "（工作簿）", []).append(f)
    for sheet, items in by_sheet.items():
        click.echo(f"{indent}【{sheet}】")
        for f in items:
            where = f"{f.cell} " if f.cell else ""
            click.echo(f"{indent}  [{f.severity.value}] {where}{f.message}")


def _exit_code(results) -> int:
    if any(r.unreadable for r in results):
        return EXIT_UNREADABLE
    if any(r.errors for r in results):
        return EXIT_ERRORS
    return EXIT_OK


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="perfeval")
def cli():
    """perfeval：项目支出绩效评价。

    填写标准工作簿 → 检查和计分 → 生成绩效评价报告（.docx）。

    \b
    perfeval template 工作簿.xlsx     生成空白标准工作簿
    perfeval check 工作簿.xlsx        检查数据并计分
    perfeval build 工作簿.xlsx        生成报告（默认写入 output/）
    """


@cli.command()
@click.argument("path", required=False, default=DEFAULT_TEMPLATE, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="目标文件已存在时覆盖。")
def template(path, force):
    """生成空白标准工作簿（含填表说明和下拉列表）。

    PATH 为输出文件，默认为当前目录下的“绩效评价标准工作簿.xlsx”。
    """
    from .template import write_workbook
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise Problem(f"{target.name}：标准工作簿应保存为 .xlsx 文件。")
    if target.exists() and not force:
        raise Problem(f"{target} 已存在，未覆盖。如需覆盖请加 --force。")
    try:
        write_workbook(target)
    except OSError as exc:
        raise Problem(f"无法写入 {target}：{exc.strerror or exc}") from None
    click.echo(f"已生成标准工作簿：{target}")


@cli.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出检查和计分结果（供程序使用）。")
@click.option("--annotate", "annotate_to", type=click.Path(dir_okay=False), metavar="OUT.xlsx",
              help="另存一份标注过的工作簿：有问题的单元格标红（错误）或标黄（警告）并附批注，"
                   "首页列出全部问题。原工作簿不会被修改。只能用于一个工作簿。")
def check(workbooks, as_json, annotate_to):
    """检查工作簿中的数据并计分。

    WORKBOOKS 为一个或多个工作簿，或包含工作簿的文件夹。
    退出码：0 无错误；1 有错误；2 有文件无法作为工作簿读取。
    """
    from .pipeline import result_as_dict
    paths = _inputs(workbooks)
    if annotate_to and len(paths) != 1:
        raise Problem("--annotate 只能用于一个工作簿。")
    if annotate_to and Path(annotate_to).suffix.lower() != ".xlsx":
        raise Problem(f"{annotate_to}：标注副本应保存为 .xlsx 文件。")
    results = [_safe_check(p) for p in paths]
    if not results:
        raise Problem("没有找到要检查的工作簿。")
    if annotate_to and not results[0].unreadable:
        from .annotate import write_annotated
        try:
            write_annotated(results[0].path, results[0].findings, Path(annotate_to))
        except ValueError as exc:
            raise Problem(str(exc)) from None
        except OSError as exc:
            raise Problem(f"无法写入 {annotate_to}：{exc.strerror or exc}") from None
        if not as_json:
            click.echo(f"已生成标注副本：{annotate_to}")
    if as_json:
        data = [result_as_dict(r) for r in results]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r.unreadable:
                click.echo(f"✗ {r.unreadable}")
                continue
            click.echo(f"{'✓' if r.ok else '✗'} {r.path}：{_summary(r)}")
            _print_findings(r)
    sys.exit(_exit_code(results))


@cli.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "outdir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="报告输出文件夹。")
@click.option("--force", is_flag=True, help="有错误时仍生成报告。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF（需已安装 LibreOffice）。")
@click.option("--font", "font_settings", multiple=True, metavar="项目=字体",
              help="更换报告字体，可多次使用，如 --font 正文=仿宋 --font 标题=黑体。"
                   "项目：正文、标题、一级标题、二级标题、三级标题、数字、页码。")
def build(workbooks, outdir, force, pdf, font_settings):
    """检查、计分并生成绩效评价报告（<工作簿名>.docx）和项目支出绩效自评表（<工作簿名>-自评表.xlsx）。

    WORKBOOKS 为一个或多个工作簿，或包含工作簿的文件夹。有错误的工作簿不生成报告
    （除非加 --force），其余工作簿照常生成。任何工作簿失败时退出码非0。
    """
    from .pipeline import BuildResult, build_workbook
    from .report.style import Fonts
    settings = {}
    for item in font_settings:
        key, sep, name = item.partition("=")
        if not sep:
            raise Problem(f"字体设置“{item}”应写成 项目=字体，如 正文=仿宋。")
        settings[key.strip()] = name
    try:
        fonts = Fonts().with_settings(settings)
    except ValueError as exc:
        raise Problem(str(exc)) from None
    paths = _inputs(workbooks)
    if not paths:
        raise Problem("没有找到要处理的工作簿。")
    outcomes = []
    for path in paths:
        try:
            outcome = build_workbook(path, outdir, force=force, fonts=fonts, pdf=pdf)
        except Exception as exc:  # noqa: BLE001 - isolate the failure, keep the batch going
            outcome = BuildResult(_safe_check(path), skipped=f"生成报告时发生意外错误（{type(exc).__name__}：{exc}）")
        outcomes.append(outcome)
        r = outcome.check
        if r.unreadable:
            click.echo(f"✗ {r.unreadable}")
            continue
        if outcome.report:
            extra = f"，PDF {outcome.pdf}" if outcome.pdf else ""
            click.echo(f"✓ {path}：{_summary(r)}，报告 {outcome.report}，自评表 {outcome.form}{extra}")
            for note in outcome.notes:
                click.echo(f"  提示：{note}")
        else:
            click.echo(f"✗ {path}：{_summary(r)}，{outcome.skipped}")
        if r.findings:
            _print_findings(r)
    failed = [o for o in outcomes if o.report is None]
    if len(outcomes) > 1:
        click.echo(f"共 {len(outcomes)} 个工作簿：生成报告 {len(outcomes) - len(failed)} 份，失败 {len(failed)} 个。")
    if any(o.check.unreadable for o in failed):
        sys.exit(EXIT_UNREADABLE)
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)


def main(argv=None):
    """Entry point: click's usage errors are shown with a Chinese lead and exit code 2."""
    try:
        code = cli.main(args=argv, prog_name="perfeval", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(1)
    except Problem as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        click.echo(f"命令用法有误：{exc.format_message()}", err=True)
        click.echo("运行 perfeval --help 查看用法。", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code or 0)


if __name__ == "__main__":
    main()
