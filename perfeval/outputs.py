"""Which files a run reads and which it writes: the workbooks among the paths given, and the
names of every output (report, 自评表, PDF, 汇总表). One place, so that a folder used for both
input and output never takes an output for a workbook."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .files import fit_name, fit_stem

TEMPLATE_NAME = "绩效评价标准工作簿.xlsx"   # what ``perfeval template`` writes unless told otherwise
FORM_SUFFIX = "-自评表.xlsx"
ANNOTATED_SUFFIX = "-检查结果.xlsx"
PDF_SUFFIX = ".pdf"
IMPORTED_SUFFIX = "-工作簿.xlsx"          # what ``perfeval import`` writes by default
SUMMARY_NAME = "汇总表.xlsx"
ANALYSIS_NAME = "汇总分析报告.docx"
# What a folder is searched for: the workbook as Excel saves it, and the old formats units still send.
READ_SUFFIXES = (".xlsx", ".xls", ".et")


def output_stem(workbook) -> str:
    """The name a workbook's outputs start with: its own, less the extension; an .xls or .et whose
    name differs only in its extension from another file beside it keeps the extension too
    (表（xls）.docx), so that the outputs of 表.xlsx and 表.xls never overwrite each other."""
    path = Path(workbook)
    suffix = path.suffix.lower()
    if suffix in READ_SUFFIXES[1:]:
        for twin in (path.with_suffix(s) for s in READ_SUFFIXES if s != suffix):
            try:
                if twin.exists() and not os.path.samefile(twin, path):    # (the same file where case is ignored)
                    return f"{path.stem}（{suffix[1:]}）"
            except OSError:
                continue
    return path.stem


ENDINGS = (".docx", FORM_SUFFIX, PDF_SUFFIX, ANNOTATED_SUFFIX)
_LONGEST_ENDING = max(len(e.encode("utf-8")) for e in ENDINGS)


@dataclass(frozen=True)
class Outputs:
    """The files ``build`` writes for one workbook."""
    report: Path
    form: Path
    pdf: Path
    annotated: Path

    @classmethod
    def of(cls, workbook, outdir, part: int | None = None, stem: str | None = None) -> "Outputs":
        """``part``: which 自评表 of a file holding several (its outputs are numbered). ``stem``: the
        name the batch gave this workbook's outputs (see ``distinct_stems``), else the file's own.
        Every name fits in 255 bytes: the stem is cut, its part number and ending kept, and all
        four outputs share one stem (so that each still pairs with its report)."""
        number = _part(part)
        base = fit_stem(stem if stem is not None else output_stem(workbook), len(number.encode("utf-8")) + _LONGEST_ENDING)
        stem, outdir = base + number, Path(outdir)
        return cls(outdir / f"{stem}.docx", outdir / f"{stem}{FORM_SUFFIX}", pdf_of(outdir / f"{stem}.docx"),
                   outdir / f"{stem}{ANNOTATED_SUFFIX}")

    def all(self) -> tuple[Path, ...]:
        return (self.report, self.form, self.pdf, self.annotated)


def _part(part: int | None) -> str:
    """What tells the outputs of a file's ``part``-th 自评表 apart: "-2"."""
    return f"-{part}" if part else ""


def pdf_of(report) -> Path:
    """The PDF of a report: beside it, of the same name."""
    return Path(report).with_suffix(PDF_SUFFIX)


def imported_workbook(form) -> Path:
    """The standard workbook ``perfeval import`` writes for a file of 自评表 unless told otherwise:
    ``<its name>-工作簿.xlsx`` beside it (within 255 bytes)."""
    form = Path(form)
    return form.with_name(fit_name(form.stem, IMPORTED_SUFFIX))


def imported_workbooks(target, forms: int) -> list[Path]:
    """Where ``perfeval import`` writes the standard workbooks of a file of ``forms`` 自评表:
    ``target`` for one, ``target-1.xlsx``, ``target-2.xlsx``… for several."""
    target = Path(target)
    if forms == 1:
        return [target]
    return [target.with_name(fit_name(target.stem, _part(k) + target.suffix)) for k in range(1, forms + 1)]


def is_output(path: Path) -> bool:
    """What ``build`` wrote: 汇总表.xlsx, and a <stem>-自评表.xlsx or <stem>-检查结果.xlsx beside its
    <stem>.docx (a unit's own file named …-自评表.xlsx, with no report beside it, is an input)."""
    if path.name in (SUMMARY_NAME, ANALYSIS_NAME):
        return True
    return any(path.name.endswith(suffix) and path.with_name(path.name[:-len(suffix)] + ".docx").exists()
               for suffix in (FORM_SUFFIX, ANNOTATED_SUFFIX))


def find_workbooks(paths) -> tuple[list[Path], list[str]]:
    """The workbooks to process, in the order given: a file as it is, a folder as every .xlsx, .xls
    and .et in it by name (not Excel's ~$ lock files, hidden files, or the 自评表 and 汇总表 that ``build``
    writes). Also returns a note for each folder that holds no workbook."""
    found: list[Path] = []
    notes: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            try:
                entries = list(p.iterdir())
            except OSError as exc:
                why = "没有读取权限" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
                notes.append(f"无法读取文件夹 {p}（{why}）。")
                continue
            inside = sorted(x for x in entries
                            if x.suffix.lower() in READ_SUFFIXES and not x.name.startswith(("~$", "."))
                            and not is_output(x))
            if not inside:
                notes.append(f"文件夹 {p} 中没有工作簿（.xlsx、.xls 或 .et）。")
            found.extend(inside)
        else:
            found.append(p)
    return found, notes


def _same(stem: str) -> str:
    """Two stems that name one file on Windows (case and width ignored) compare equal."""
    return unicodedata.normalize("NFKC", stem).casefold()


def distinct_stems(paths) -> list[str]:
    """The output stem of each input of a batch, in order, no two naming the same file: the file's
    own stem, or, where an earlier input has that stem (``s1/w.xlsx`` and ``s2/w.xlsx``; ``W`` and
    ``w``, one file on Windows), the stem numbered ``w（2）``, ``w（3）``…; also where it names a
    numbered output of another input (``a-1`` beside ``a``, whose first 自评表 writes ``a-1.docx``)."""
    stems = [output_stem(p) for p in paths]
    all_keys = {_same(s) for s in stems}
    taken: set[str] = set()
    out = []
    for stem in stems:
        part_of = re.fullmatch(r"(.+)-\d+", stem)
        candidate, k = fit_stem(stem, _LONGEST_ENDING), 2
        clash_with_parts = bool(part_of) and _same(part_of.group(1)) in all_keys
        while _same(candidate) in taken or clash_with_parts:
            mark = f"（{k}）"
            candidate = fit_stem(stem, _LONGEST_ENDING + len(mark.encode("utf-8"))) + mark
            k += 1
            clash_with_parts = False
        taken.add(_same(candidate))
        out.append(candidate)
    return out


# ---------------------------------------------------------------- what made a report
def options_stamp(**options) -> str:
    """A short fingerprint of everything that shapes a report besides the workbook (fonts, PDF,
    the program's version): stored in the .docx, so that a report made with other options is
    not taken as up to date."""
    text = repr(sorted((k, repr(v)) for k, v in options.items())) + __version__
    return "perfeval:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def file_digest(path) -> str:
    """The content of a file, as a hash: a report names the workbook it was made from by it."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:32]


def stamp_of(report: Path) -> str | None:
    """The stamp a report (or 自评表) was written with (its dc:identifier), or None."""
    try:
        with zipfile.ZipFile(report) as zf:
            core = zf.read("docProps/core.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    m = re.search(r"<dc:identifier(?:\s[^>]*)?>([^<]*)</dc:identifier>", core)
    return m.group(1) if m else None
