"""Every file perfeval writes validates against the OOXML schemas (openxml-audit, the Open XML
SDK's rules in Python)."""
import shutil

import pytest

from perfeval.batch import run_workbooks
from perfeval.pipeline import annotate_workbook, import_forms
from perfeval.template import write_workbook

import forms as F
from conftest import SEED000_XLSX, SEED004_XLSX

audit = pytest.importorskip("openxml_audit")

# What the validator reports of openpyxl's files that Excel, WPS and the ECMA-376 schema accept:
KNOWN_FALSE_POSITIVES = (
    # inline strings are valid SpreadsheetML; the validator prefers a shared-strings table
    lambda e: "inline-string" in e,
    # CT_Font is an unordered choice in ECMA-376; the validator expects the SDK's element order
    lambda e: "/xl/styles.xml:/styleSheet[1]/fonts[1]/font" in e and "Unexpected element" in e,
)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from reference_doc import make_reference
    tmp = tmp_path_factory.mktemp("ooxml")
    (tmp / "in").mkdir()
    shutil.copy(SEED000_XLSX, tmp / "in" / "评价.xlsx")
    shutil.copy(SEED004_XLSX, tmp / "in" / "自评.xlsx")
    run_workbooks([tmp / "in"], "build", outdir=tmp / "out", jobs=1)
    run_workbooks([tmp / "in" / "评价.xlsx"], "build", outdir=tmp / "out-template", jobs=1, toc=True,
                  reference=make_reference(tmp / "模板.docx"))
    annotate_workbook(SEED000_XLSX, tmp / "标注.xlsx")
    write_workbook(tmp / "模板.xlsx")
    form = F.save_forms(tmp / "自评表.xlsx", F.sichuan())
    import_forms(form, tmp / "导入.xlsx")
    files = sorted((tmp / "out").iterdir()) + sorted((tmp / "out-template").glob("*.docx")) + [
        tmp / "标注.xlsx", tmp / "模板.xlsx", tmp / "导入.xlsx"]
    assert {f.suffix for f in files} == {".docx", ".xlsx"} and len(files) >= 9
    return files


def test_every_output_is_valid_ooxml(outputs):
    validator = audit.OpenXmlValidator(file_format=audit.FileFormat.OFFICE_2019, max_errors=500)
    problems = {}
    for path in outputs:
        errors = [str(e) for e in validator.validate(str(path)).errors]
        real = [e for e in errors if not any(known(e) for known in KNOWN_FALSE_POSITIVES)]
        if real:
            problems[path.name] = real[:5]
    assert problems == {}


def test_the_validator_does_find_a_broken_document(tmp_path, outputs):
    """So that the test above can fail: a report with an element where the schema allows none."""
    import zipfile
    report = next(p for p in outputs if p.suffix == ".docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(report) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body><w:bogus/>", 1)
            dst.writestr(item, data)
    validator = audit.OpenXmlValidator(file_format=audit.FileFormat.OFFICE_2019, max_errors=50)
    assert validator.validate(str(broken)).errors
