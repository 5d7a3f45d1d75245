"""One workbook through the pipeline: read -> score -> check -> (report).

The CLI calls these functions; they never print and never raise for a bad
workbook: the outcome (findings, or the reason the file could not be read) is data.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import schema as S
from .annotate import write_annotated
from .checks import run_checks
from .errors import OutputError, PdfError, TargetExists, WorkbookError
from .figures import as_number as _num
from .findings import Code, Finding, locate
from .forms import as_workbook_data
from .model import Project
from .outputs import Outputs, file_digest, imported_workbooks, options_stamp
from .pdf import to_pdf
from .reader import NEITHER, read_file
from .record import FINAL, PROVISIONAL, form_label
from .report import write_report
from .report.drafts import drafted
from .report.fonts import Fonts
from .report.problems import unsaid_problems
from .report.selfform import write_form_xlsx
from .schema import NARRATIVE, Severity
from .scoring import Evaluation, evaluate
from .template import write_workbook
from .textchecks import check_text_figures


@dataclass
class CheckResult:
    path: Path
    project: Project | None = None
    evaluation: Evaluation | None = None
    findings: list[Finding] = field(default_factory=list)
    unreadable: str = ""          # why the file is not a usable workbook
    part: int | None = None       # which 自评表 of a file holding several

    @property
    def label(self) -> str:
        """The file, and the form where the file holds several: how messages name it."""
        return form_label(self.path, self.part)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.NOTE]

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.errors


@contextmanager
def _collector_paused():
    """Python's cycle collector paused while a workbook is read: openpyxl makes several objects a
    cell, none of them garbage yet, and the collector, run every few hundred of them, goes over
    all that are alive: reading would grow with the square of the rows."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_file(path) -> list[CheckResult]:
    """Read, score and check a standard workbook, or each 自评表 of a file of them."""
    path = Path(path)
    try:
        with _collector_paused():
            read = read_file(path)
    except WorkbookError as exc:
        return [CheckResult(path, unreadable=str(exc))]
    results = [check_project(project, findings, path) for project, findings in read]
    if len(results) > 1:
        for k, r in enumerate(results, start=1):
            r.part = k
    return results


def check_workbook(path) -> CheckResult:
    """Read, score and check one workbook (the first form of a file of 自评表)."""
    return check_file(path)[0]


def check_project(project: Project, findings: list[Finding] = (), path=None) -> CheckResult:
    """Score and check a project already read (from a workbook, or from plain data with
    ``reader.read_mapping``); ``findings`` are the reader's. The findings come back located
    (each with its cell) and ordered."""
    evaluation = evaluate(project)
    found = (list(findings) + evaluation.findings + run_checks(project, evaluation)
             + check_text_figures(evaluation))
    evaluation.findings = found       # what the report states under 存在的问题 stands on these
    notes = [] if project.form else unsaid_problems(evaluation) + generated_text(evaluation)
    return CheckResult(Path(path or project.source), project, evaluation,
                       _ordered(locate(found + notes, project.columns, project.titles)))


def generated_text(evaluation: Evaluation) -> list[Finding]:
    """A note for each chapter that the report will fill with generated text."""
    out = []
    for slot, paragraphs in drafted(evaluation).items():
        preview = paragraphs[0] if len(paragraphs[0]) <= 30 else paragraphs[0][:30] + "…"
        out.append(Code.GENERATED_TEXT.at(NARRATIVE.name, slot=slot.value, preview=preview))
    return out


def _ordered(findings: list[Finding]) -> list[Finding]:
    """Errors first, then sheet by sheet in the workbook's order, cell by cell; duplicates dropped."""
    sheets = [S.INFO_SHEET] + [t.name for t in S.TABLE_SHEETS]
    seen, out = set(), []
    for f in findings:
        key = (f.severity, f.code, f.sheet, f.cell, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)

    def position(f: Finding):
        return ({Severity.ERROR: 0, Severity.WARNING: 1}.get(f.severity, 2),
                sheets.index(f.sheet) if f.sheet in sheets else len(sheets), f.row or 0, len(f.letter), f.letter)
    return sorted(out, key=position)


@dataclass
class BuildResult:
    check: CheckResult
    report: Path | None = None
    form: Path | None = None       # <stem>-自评表.xlsx
    pdf: Path | None = None
    skipped: str = ""              # why no report was written
    notes: list[str] = field(default_factory=list)   # what else the user should know (e.g. no PDF)
    write_error: bool = False      # an output could not be written (``skipped`` says which and why)
    stamp: str = ""                # what the outputs were made from (see build_stamp)


def build_stamp(fonts=None, pdf: bool = False, reference=None, toc: bool = False, source: str | None = None) -> str:
    """What shapes the outputs of ``build``: the workbook's content (``source``, its file_digest)
    and the options. Kept in the report and the 自评表, so that a report made from another
    workbook of the same name, or with other options (or another version of the office's
    template), is never taken as up to date."""
    template = None
    if reference:
        ref = Path(reference)
        template = (str(ref.resolve()), ref.stat().st_mtime if ref.exists() else None)
    return options_stamp(fonts=fonts or Fonts(), pdf=pdf, reference=template, toc=toc, source=source)


def build_file(path, outdir, force: bool = False, fonts=None, pdf: bool = False, reference=None,
               toc: bool = False, stem: str | None = None) -> list[BuildResult]:
    """Check a workbook (or each 自评表 of a file) and write its report and 自评表 into ``outdir``.
    ``stem``: the outputs' name (a batch gives one to each of two workbooks with the same name)."""
    digest = _digest(path)         # before reading: the stamp names the content that was read
    return [_build(result, outdir, force, fonts, pdf, reference, toc, stem, digest) for result in check_file(path)]


def build_workbook(path, outdir, force: bool = False, fonts=None, pdf: bool = False, reference=None,
                   toc: bool = False) -> BuildResult:
    """Check one workbook and write its report and 自评表 into ``outdir`` (and the PDF if asked).
    ``reference``: the office's own .docx (styles, page, 红头, cover page); ``toc``: a 目录."""
    digest = _digest(path)
    return _build(check_workbook(path), outdir, force, fonts, pdf, reference, toc, None, digest)


def _digest(path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None                # the reader says why the file cannot be read


def _build(result: CheckResult, outdir, force: bool, fonts, pdf: bool, reference=None, toc=False,
           stem: str | None = None, digest: str | None = None) -> BuildResult:
    path = Path(result.path)
    if result.unreadable:
        return BuildResult(result, skipped=result.unreadable)
    if result.errors and not force:
        return BuildResult(result, skipped="因有错误未生成报告（改正后重新运行，或加 --force 强制生成）")
    out = Outputs.of(path, outdir, result.part, stem)
    if any(p.resolve() == path.resolve() for p in out.all()):
        return BuildResult(result, skipped="输出文件与输入文件相同，已拒绝覆盖。请换一个输出文件夹（-o）。")
    stamp = build_stamp(fonts, pdf, reference, toc, digest)
    written: list[Path] = []
    try:
        return _write_outputs(result, out, stamp, written, fonts, pdf, reference, toc)
    except OutputError as exc:
        # Nothing of this build is left behind: a report without its 自评表 is no output.
        for p in written:
            try:
                p.unlink()
            except OSError:
                pass
        return BuildResult(result, skipped=str(exc), write_error=True)


def _write_outputs(result, out: Outputs, stamp: str, written: list, fonts, pdf, reference, toc) -> BuildResult:
    written.append(write_report(result.evaluation, out.report, fonts, stamp=stamp, reference=reference, toc=toc))
    written.append(write_form_xlsx(result.evaluation, out.form, stamp=stamp))
    outcome = BuildResult(result, report=out.report, form=out.form, stamp=stamp)
    if pdf:
        try:
            outcome.pdf = to_pdf(out.report)
        except PdfError as exc:
            outcome.notes.append(str(exc))
    return outcome


# ---------------------------------------------------------------- JSON


def result_as_dict(result: CheckResult) -> dict:
    """The check result for machines: what `perfeval check --json` prints."""
    out: dict = {"文件": str(result.path), "可读取": not result.unreadable}
    if result.part:
        out["自评表序号"] = result.part
    if result.unreadable:
        out["原因"] = result.unreadable
        return out
    info = result.project.info
    fields = {}
    for spec in S.INFO_FIELDS:
        value = getattr(info, spec.key)
        if hasattr(value, "value"):
            value = value.value
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        fields[spec.header] = _num(value) if value not in ("", None) else None
    out["项目信息"] = fields
    e = result.evaluation
    out["指标"] = [{
        "行": s.indicator.row,
        "一级指标": s.indicator.level1, "二级指标": s.indicator.level2, "三级指标": s.indicator.name,
        "分值": _num(s.indicator.weight), "计分方法": s.indicator.method.value if s.indicator.method else None,
        "得分": _num(s.score), "填报得分": _num(s.indicator.reported),
    } for s in e.scored]
    out["一级指标小计"] = [{"一级指标": g.name, "分值": _num(g.weight), "得分": _num(g.score), "得分率": _num(g.score_rate),
                       "二级指标数": g.n_level2, "三级指标数": g.n_level3} for g in e.level1]
    out["二级指标小计"] = [{"一级指标": g.level1, "二级指标": g.name, "分值": _num(g.weight),
                       "得分": _num(g.score), "三级指标数": g.n_level3} for g in e.level2]
    f = e.funds
    out["预算明细"] = [{"预算项目": line.name, "预算金额（万元）": _num(line.budget), "到位金额（万元）": _num(line.in_place),
                    "实际支出（万元）": _num(line.paid)} for line in f.lines]
    out["资金"] = {"预算总额（万元）": _num(f.budget_total), "预算明细合计（万元）": _num(f.budget),
                 "到位金额（万元）": _num(f.in_place), "实际支出（万元）": _num(f.paid),
                 "预算执行率": _num(f.exec_rate)}
    out["总分"] = _num(e.total) if e.scorable else None
    out["等级"] = e.grade if e.graded else None
    out["总分状态"] = PROVISIONAL if result.errors else FINAL
    if e.weights_off:            # contract v3: no grade (and no total when no 分值 is given), and why
        out["总分说明"] = (f"{e.weights_off}：总分不是最终结果，不评定等级" if e.scorable
                       else f"{e.weights_off}：无法计分")
    out["按比例折算"] = e.rescaled
    out["发现"] = [x.as_dict() for x in result.findings]
    out["错误数"] = len(result.errors)
    out["警告数"] = len(result.warnings)
    out["提示数"] = len(result.notes)
    return out


def annotate(result: CheckResult, target) -> Path:
    """Write the annotated copy of a checked workbook: every finding marked at its cell, and the
    text the report would generate added to 文字说明 for review."""
    drafts = {} if result.project.form else drafted(result.evaluation)
    return write_annotated(Path(result.path), result.findings, Path(target), drafts)


def annotate_workbook(path, target) -> CheckResult:
    """Check ``path`` and write its annotated copy ``target``."""
    result = check_workbook(path)
    if not result.unreadable:
        annotate(result, target)
    return result


# ---------------------------------------------------------------- 自评表 -> standard workbook
def import_forms(path, target, force: bool = False) -> list[Path]:
    """Write each 自评表 of ``path`` as a standard workbook (``target``, numbered where the file holds
    several), for the evaluator to add payments, contracts and text. Raises WorkbookError when the
    file holds no 自评表, and TargetExists rather than overwrite."""
    path, target = Path(path), Path(target)
    read = read_file(path)
    if not read[0][0].form:
        raise WorkbookError(f"{path.name}：这已经是标准工作簿，不需要导入。")
    if not read[0][0].indicators and not read[0][0].budget:
        raise WorkbookError(NEITHER.format(name=path.name))
    targets = imported_workbooks(target, len(read))
    if not force:
        for t in targets:
            if t.exists():
                raise TargetExists(t)
    for (project, _), t in zip(read, targets):
        write_workbook(t, as_workbook_data(project))
    return targets
