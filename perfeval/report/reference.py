"""The office's own template (``--reference-doc``): a .docx made in Word or WPS whose styles, page
setup, headers and footers (红头) the report takes over, and whose cover page (what comes before its
first page break) it keeps, with {项目名称}-style fields filled in."""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from ..errors import TemplateError, TemplateUnreadable


def check_reference(path) -> None:
    """Raise TemplateError, in words for the user, unless ``path`` is a .docx Word can open
    (TemplateUnreadable where the file is there but is no Word document)."""
    ref = Path(path)
    if not ref.exists():
        raise TemplateError(f"模板 {ref} 不存在。")
    if ref.suffix.lower() != ".docx":
        raise TemplateError(f"{ref.name}：模板应为 Word 文档（.docx）。")
    try:
        Document(str(ref))
    except Exception:  # noqa: BLE001 - any failure to open means: not a usable .docx
        raise TemplateUnreadable(f"{ref.name}：无法作为 Word 文档打开，请在 Word 或 WPS 中另存为 .docx 后再试。") from None


def from_reference(path):
    """The office's own .docx (红头, styles, page setup, headers/footers) as the report's start: its
    body is emptied, except a cover page (what comes before its first page break), kept with its
    {项目名称} {报告类型} {评价年度} {实施单位} {主管部门} {组织单位} {评价机构} {报告日期} to fill in."""
    document = Document(str(path))
    body = document.element.body
    cover = []
    found_break = False
    for child in list(body):
        if child.tag == qn("w:sectPr"):
            continue
        if not found_break:
            cover.append(child)
            found_break = bool(child.xpath('.//w:br[@w:type="page"]') or child.xpath(".//w:pageBreakBefore"))
            continue
        body.remove(child)
    if not found_break:            # no cover page in the template: the body was only an example
        for child in cover:
            body.remove(child)
        cover = []
    return document, bool(cover)


def fill_cover(document, values: dict[str, str]) -> None:
    """Replace {项目名称}-style fields in the kept cover page (run by run, and across runs)."""
    for paragraph in document.paragraphs:
        text = paragraph.text
        if "{" not in text:
            continue
        new = text
        for key, value in values.items():
            new = new.replace("{" + key + "}", value)
        texts = [r for r in paragraph.runs if r._r.findall(qn("w:t"))]    # not the runs holding a page break
        if new != text and texts:
            for t in texts[0]._r.findall(qn("w:t"))[1:]:
                texts[0]._r.remove(t)
            texts[0]._r.findall(qn("w:t"))[0].text = new
            for run in texts[1:]:
                for t in run._r.findall(qn("w:t")):
                    run._r.remove(t)
