"""An office's own Word template, as a unit makes it: a 红头 (red rule in the header), its own
正文 style, A4 margins of its own and a cover page with fields to fill."""
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.shared import Mm, Pt, RGBColor

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_reference(path):
    doc = Document()
    # an office's template defines the styles it changed (here 正文), not every heading
    styles = doc.styles.element
    for style in list(styles):
        name = style.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name")
        if name is not None and name.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val",
                                         "").lower().startswith(("heading", "title", "subtitle")):
            styles.remove(style)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    normal.font.name = "Times New Roman"
    normal.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "宋体")
    normal.paragraph_format.first_line_indent = Pt(28)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(30)
    header = section.header.paragraphs[0]
    header.text = "某某市财政局绩效评价中心"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].font.color.rgb = RGBColor(0xFF, 0, 0)
    header.runs[0].font.size = Pt(22)
    ppr = header._p.get_or_add_pPr()
    border = parse_xml(f'<w:pBdr {W}><w:bottom w:val="single" w:sz="24" w:space="4" w:color="FF0000"/></w:pBdr>')
    jc = ppr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}jc")
    jc.addprevious(border) if jc is not None else ppr.append(border)
    for text, size in (("{评价机构}", 16), ("{项目名称}", 22), ("{评价年度}年度{报告类型}", 18), ("{报告日期}", 16)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size = Pt(size)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("这一段是模板里的示例正文，不会出现在报告中。")
    doc.save(path)
    return path
