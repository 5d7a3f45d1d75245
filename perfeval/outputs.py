"""Which files a run reads and which it writes: the workbooks among the paths given, and the
names of every output (report, 自评表, PDF, 汇总表). One place, so that a folder used for both
input and output never takes an output for a workbook."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FORM_SUFFIX = "-自评表.xlsx"
SUMMARY_NAME = "汇总表.xlsx"


@dataclass(frozen=True)
class Outputs:
    """The files ``build`` writes for one workbook."""
    report: Path
    form: Path
    pdf: Path

    @classmethod
    def of(cls, workbook, outdir) -> "Outputs":
        stem, outdir = Path(workbook).stem, Path(outdir)
        return cls(outdir / f"{stem}.docx", outdir / f"{stem}{FORM_SUFFIX}", outdir / f"{stem}.pdf")

    def all(self) -> tuple[Path, ...]:
        return (self.report, self.form, self.pdf)


def is_output(path: Path) -> bool:
    return path.name.endswith(FORM_SUFFIX) or path.name == SUMMARY_NAME


def find_workbooks(paths) -> tuple[list[Path], list[str]]:
    """The workbooks to process, in the order given: a file as it is, a folder as every .xlsx in
    it by name (not Excel's ~$ lock files, hidden files, or the 自评表 and 汇总表 that ``build``
    writes). Also returns a note for each folder that holds no workbook."""
    found: list[Path] = []
    notes: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            inside = sorted(x for x in p.iterdir()
                            if x.suffix.lower() == ".xlsx" and not x.name.startswith(("~$", "."))
                            and not is_output(x))
            if not inside:
                notes.append(f"文件夹 {p} 中没有 .xlsx 工作簿。")
            found.extend(inside)
        else:
            found.append(p)
    return found, notes
