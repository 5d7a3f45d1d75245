"""The look of the report: page, fonts, paragraph styles, page numbers (GB/T 9704 as offices apply it).

python-docx only sets the Latin font slots; Chinese text takes ``w:eastAsia``, and
theme attributes override explicit names, so every style gets all four slots and
loses its ``*Theme`` attributes (see the domain notes on python-docx).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# Font sizes by their Chinese names.
SIZE_2 = Pt(22)     # 二号
SIZE_3 = Pt(16)     # 三号
SIZE_4 = Pt(14)     # 四号
SIZE_5 = Pt(10.5)   # 五号

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT     # 156 mm

BODY = "Normal"
TITLE = "报告标题"
SUBTITLE = "报告副标题"
TABLE_TEXT = "表格文字"
TABLE_CAPTION = "表格标题"
CLOSING = "落款"
HEADINGS = ["Heading 1", "Heading 2", "Heading 3", "Heading 4"]


@dataclass(frozen=True)
class Fonts:
    """Font names used by the report; a setting, with the GB/T 9704 defaults."""
    body: str = "仿宋_GB2312"
    title: str = "方正小标宋简体"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    heading3: str = "仿宋_GB2312"
    latin: str = "Times New Roman"
    page_number: str = "宋体"

    # The names users give the settings (perfeval build --font 正文=仿宋).
    KEYS = {"正文": "body", "标题": "title", "一级标题": "heading1", "二级标题": "heading2",
            "三级标题": "heading3", "数字": "latin", "页码": "page_number"}

    @classmethod
    def from_settings(cls, items) -> "Fonts":
        """The report's fonts with ``['正文=仿宋', '标题=黑体', …]`` (as --font gives them) applied."""
        settings = {}
        for item in items:
            key, sep, name = item.partition("=")
            if not sep:
                raise ValueError(f"字体设置“{item}”应写成 项目=字体，如 正文=仿宋。")
            settings[key.strip()] = name
        return cls().with_settings(settings)

    def with_settings(self, settings: dict[str, str]) -> "Fonts":
        """A copy with ``{'正文': '仿宋', …}`` applied; unknown keys raise ValueError."""
        from dataclasses import replace
        changes = {}
        for key, name in settings.items():
            if key not in self.KEYS:
                raise ValueError(f"未知的字体设置“{key}”，可用：{'、'.join(self.KEYS)}")
            if not name.strip():
                raise ValueError(f"字体设置“{key}”的字体名称为空")
            changes[self.KEYS[key]] = name.strip()
        return replace(self, **changes)


def set_fonts(rpr_owner, east_asian: str, latin: str) -> None:
    """Put explicit names in all font slots of a style or run and drop theme fonts."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:hint"), "eastAsia")


def _strip_theme_fonts(document) -> None:
    styles = document.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    # The document defaults decide text that no style names; make them Chinese too.
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


class _OwnStyles:
    """The styles the report sets: those the reference document does not define itself."""

    def __init__(self, document, theirs: set[str]):
        self.document, self.theirs = document, theirs

    def get(self, name: str, create: bool = False):
        if name in self.theirs:
            return None
        try:
            return self.document.styles[name]
        except KeyError:
            return _paragraph_style(self.document, name, BODY) if create or name in HEADINGS else None


def _paragraph_style(document, name: str, base: str | None = None):
    styles = document.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = styles[base]
        return style


def _configure(style, fonts: Fonts, east_asian: str, size, bold=False, align=None,
               indent_chars: float = 0, exact=Pt(28), before=Pt(0), after=Pt(0)):
    set_fonts(style.element, east_asian, fonts.latin)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    if exact is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = exact
    pf.space_before, pf.space_after = before, after
    pf.first_line_indent = Pt(size.pt * indent_chars) if indent_chars else Pt(0)
    pf.left_indent = Pt(0)
    if align is not None:
        pf.alignment = align


_SET_UP: dict = {}       # fonts -> the document setup_document made for them, as saved (b"": made once)


def setup_document(fonts: Fonts, reference=None):
    """A document with the report's styles, page and page numbers; started from the office's own
    ``reference`` .docx where given, whose styles, page setup and headers/footers are kept (the
    report's styles fill only what it lacks).

    Without ``reference``, from the second report of a process on, the document set up for the
    same fonts is kept (as saved) and opened again: opening it costs a third of setting it up
    (a command that writes one report does not save it for nothing)."""
    from docx import Document
    if reference is None:
        if _SET_UP.get(fonts):
            return Document(io.BytesIO(_SET_UP[fonts]))
        document = _set_up(fonts)
        if fonts in _SET_UP:
            saved = io.BytesIO()
            document.save(saved)
            _SET_UP[fonts] = saved.getvalue()
        else:
            _SET_UP[fonts] = b""
        return document
    return _set_up(fonts, reference)


def _set_up(fonts: Fonts, reference=None):
    from docx import Document
    from .package import from_reference
    if reference is not None:
        document, _ = from_reference(reference)
        theirs = {s.name for s in document.styles}
    else:
        document, theirs = Document(), set()
        _strip_theme_fonts(document)
    ours = _OwnStyles(document, theirs)
    body = document.styles[BODY]
    if BODY in theirs:
        body = None
    if body is not None:
        _configure(body, fonts, fonts.body, SIZE_3, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        body.paragraph_format.widow_control = True
        # No hanging punctuation: a line-ending "，" stays inside the 156 mm text block.
        ppr = body.element.get_or_add_pPr()
        overflow = OxmlElement("w:overflowPunct")
        overflow.set(qn("w:val"), "0")
        later = ("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                 "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
        following = next((child for child in ppr if child.tag in {qn(t) for t in later}), None)
        if following is None:
            ppr.append(overflow)
        else:
            following.addprevious(overflow)      # schema order of w:pPr

    for level, style_name in enumerate(HEADINGS, start=1):
        style = ours.get(style_name)
        if style is None:
            continue
        east = {1: fonts.heading1, 2: fonts.heading2}.get(level, fonts.heading3)
        _configure(style, fonts, east, SIZE_3, bold=(level == 3), indent_chars=2,
                   align=WD_ALIGN_PARAGRAPH.LEFT)
        style.paragraph_format.keep_with_next = True
        ppr = style.element.get_or_add_pPr()
        if ppr.find(qn("w:outlineLvl")) is None:      # a level in the 目录 and the navigation pane
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level - 1))
            ppr.append(outline)

    for name, configure in (
            (TITLE, lambda st: _configure(st, fonts, fonts.title, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER,
                                          exact=Pt(36), after=Pt(12))),
            (SUBTITLE, lambda st: _configure(st, fonts, fonts.heading2, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)),
            (TABLE_CAPTION, lambda st: _configure(st, fonts, fonts.heading1, SIZE_4, align=WD_ALIGN_PARAGRAPH.CENTER,
                                                  before=Pt(6), after=Pt(6), exact=None)),
            (CLOSING, lambda st: _configure(st, fonts, fonts.body, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)),
            (TABLE_TEXT, lambda st: _configure(st, fonts, fonts.body, SIZE_5, exact=None,
                                               align=WD_ALIGN_PARAGRAPH.LEFT))):
        style = ours.get(name, create=True)
        if style is None:
            continue
        configure(style)
        if name == TABLE_CAPTION:
            style.paragraph_format.keep_with_next = True
        if name == CLOSING:
            style.paragraph_format.right_indent = SIZE_3 * 4     # 落款 sits four characters in from the right
            style.paragraph_format.keep_together = True

    if reference is not None:
        section = document.sections[0]
        if not any(p.text.strip() or p._p.xpath(".//w:fldChar") for p in section.footer.paragraphs):
            # the template has no page numbers of its own: ours, odd pages right and even left; the
            # even pages then need the template's header as well
            if not document.settings.odd_and_even_pages_header_footer:
                import copy
                even = section.even_page_header
                even.is_linked_to_previous = False
                for child in list(even._element):
                    even._element.remove(child)
                for child in section.header._element:
                    even._element.append(copy.deepcopy(child))
            _page_numbers(document, section, fonts)
        return document
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = Mm(28) - SIZE_4   # 页码位于版心下边缘之下
    section.start_type = WD_SECTION.NEW_PAGE
    _page_numbers(document, section, fonts)
    return document


def _page_number_field(paragraph, fonts: Fonts) -> None:
    def run(text=None):
        r = paragraph.add_run(text)
        set_fonts(r._r, fonts.page_number, fonts.page_number)
        r.font.size = SIZE_4
        return r

    run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        r = run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._r.append(el)
    run(" —")


def _page_numbers(document, section, fonts: Fonts) -> None:
    """"— N —" in 四号宋体: odd pages right, even pages left, one character in from the edge."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align is WD_ALIGN_PARAGRAPH.RIGHT:
            pf.right_indent = SIZE_4
        else:
            pf.left_indent = SIZE_4
        _page_number_field(p, fonts)


_STYLE_IDS: list = [None, -1, {}]      # the last document's styles part, its number of styles, their ids


def style_ids(document) -> dict[str, str]:
    """Style name -> style id, read once: python-docx looks a style up by scanning every style
    each time a paragraph's style is set by name, which dominates the time of a large table.
    Kept for the document asked about last (until a style is added to it): every table and
    chart of a report asks again."""
    element = document.styles.element
    if _STYLE_IDS[0] is not element or _STYLE_IDS[1] != len(element):
        _STYLE_IDS[:] = [element, len(element), {s.name: s.style_id for s in document.styles}]
    return _STYLE_IDS[2]


def set_style(paragraph, style_id: str) -> None:
    paragraph._p.get_or_add_pPr().style = style_id
