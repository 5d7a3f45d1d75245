"""The look of the report: page, fonts, paragraph styles, page numbers (GB/T 9704 as offices apply it).

python-docx only sets the Latin font slots; Chinese text takes ``w:eastAsia``, and
theme attributes override explicit names, so every style gets all four slots and
loses its ``*Theme`` attributes (see the domain notes on python-docx).
"""
from __future__ import annotations

import copy
import io
import itertools
import re
from functools import lru_cache

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .fonts import Fonts
from .reference import from_reference

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
TOC_LEVELS = ["toc 1", "toc 2"]     # Word's names of the 目录's entry styles (LibreOffice: Contents 1, 2)
HEADINGS = ["Heading 1", "Heading 2", "Heading 3", "Heading 4"]


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
    if reference is not None:
        document, _ = from_reference(reference)
        theirs = {s.name for s in document.styles}
    else:
        document, theirs = Document(), set()
        _strip_theme_fonts(document)
    ours = _OwnStyles(document, theirs)
    if BODY not in theirs:
        _body_style(document.styles[BODY], fonts)
    _heading_styles(ours, fonts)
    _named_styles(ours, fonts)
    if reference is not None:
        _reference_page_numbers(document, fonts)
    else:
        _page(document, fonts)
    return document


def _body_style(body, fonts: Fonts) -> None:
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


def _heading_styles(ours: _OwnStyles, fonts: Fonts) -> None:
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


def _named_styles(ours: _OwnStyles, fonts: Fonts) -> None:
    """The report's own paragraph styles: title, subtitle, table caption and text, 落款, 目录 entries."""
    for name, configure in (
            (TITLE, lambda st: _configure(st, fonts, fonts.title, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER,
                                          exact=Pt(36), after=Pt(12))),
            (SUBTITLE, lambda st: _configure(st, fonts, fonts.heading2, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)),
            (TABLE_CAPTION, lambda st: _configure(st, fonts, fonts.heading1, SIZE_4, align=WD_ALIGN_PARAGRAPH.CENTER,
                                                  before=Pt(6), after=Pt(6), exact=None)),
            (CLOSING, lambda st: _configure(st, fonts, fonts.body, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)),
            (TABLE_TEXT, lambda st: _configure(st, fonts, fonts.body, SIZE_5, exact=None,
                                               align=WD_ALIGN_PARAGRAPH.LEFT)),
            # 目录 entries: 四号, 一级 in the heading font, 二级 two characters in; the page number
            # right, after a dotted leader (Word builds the entries with these styles; LibreOffice
            # with its own of the same name when the PDF conversion updates the 目录)
            (TOC_LEVELS[0], lambda st: _configure(st, fonts, fonts.heading1, SIZE_4, exact=Pt(26),
                                                  align=WD_ALIGN_PARAGRAPH.LEFT)),
            (TOC_LEVELS[1], lambda st: _configure(st, fonts, fonts.body, SIZE_4, exact=Pt(26),
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
        if name in TOC_LEVELS:
            style.paragraph_format.left_indent = SIZE_4 * 2 * TOC_LEVELS.index(name)
            style.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _reference_page_numbers(document, fonts: Fonts) -> None:
    """The office's template keeps its page; where it has no page numbers of its own, ours, odd pages
    right and even left (the even pages then need the template's header as well)."""
    section = document.sections[0]
    if any(p.text.strip() or p._p.xpath(".//w:fldChar") for p in section.footer.paragraphs):
        return
    if not document.settings.odd_and_even_pages_header_footer:
        even = section.even_page_header
        even.is_linked_to_previous = False
        for child in list(even._element):
            even._element.remove(child)
        for child in section.header._element:
            even._element.append(copy.deepcopy(child))
    _page_numbers(document, section, fonts)


def _page(document, fonts: Fonts) -> None:
    """A4, the GB/T 9704 margins, page numbers."""
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = Mm(28) - SIZE_4   # 页码位于版心下边缘之下
    section.start_type = WD_SECTION.NEW_PAGE
    _page_numbers(document, section, fonts)


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

# ---------------------------------------------------------------- how wide text is
# Latin characters' widths in ems (Times New Roman; digits are half an em in every report font).
_LATIN = {**dict.fromkeys(",.;:'!|", 0.28), **dict.fromkeys("-()[]/\\", 0.34), " ": 0.25, "%": 0.84,
          "‰": 1.0, "+": 0.57, "=": 0.57, "<": 0.57, ">": 0.57, "_": 0.5, "#": 0.5, "&": 0.78, "@": 0.93}
AUTOSPACE = 0.25               # the gap Word, WPS and LibreOffice put between Chinese and Latin text


def _wide(ch: str) -> bool:
    """Set a full em wide: Chinese, full-width forms, and the symbols the CJK font draws (≥, “, —)."""
    return ord(ch) >= 0x2E80 or ch in "“”‘’—…≥≤≠±×÷℃№①②③④⑤⑥⑦⑧⑨⑩" or 0x2460 <= ord(ch) <= 0x24FF


@lru_cache(maxsize=8192)
def em_width(text: str) -> float:
    """Width of one line of ``text`` in ems of its font size, as printed (with the autospace
    between a Chinese character and a Latin letter or digit next to it)."""
    width, before = 0.0, None         # before: the previous character was wide (True), Latin alphanumeric (False)
    for ch in str(text):
        wide = _wide(ch)
        if wide:
            width += 1.0
        elif ch.isdigit():
            width += 0.5
        elif ch in _LATIN:
            width += _LATIN[ch]
        else:
            width += 0.75 if ch.isupper() else 0.5
        kind = True if wide else False if ch.isalnum() else None
        if kind is not None and before is not None and kind != before:
            width += AUTOSPACE
        before = kind
    return width


# ---------------------------------------------------------------- the title
# Where a title may break, best first: before the report kind; after its year, a punctuation mark
# or before a bracket; after a word ending a project's or an office's name (…项目, …工程, …中心);
# after another word ending a phrase (…维修养护, …系统). Never inside a word.
_YEAR = re.compile(r"\d{4}(?:\s*[-—～~至]\s*\d{4})?\s*年度?")
_BREAKS = [
    (1, re.compile(r"[，、；：）》」\s]")),
    (2, re.compile(r"项目|工程|专项|资金|经费|补助|补贴|奖补|中心|委员会|办公室|管理局|管理站|管理处|局|厅")),
    (3, re.compile(r"建设|改造|提升|维修养护|运行维护|运维|服务|管理|系统|平台|设备|采购|购置|工作|行动|计划|能力|体系|"
                   r"试点|示范|整治|自治区|自治州|(?:[省市县区州盟旗](?![场域级内外直属政民委辖]))")),
]
_OPENING = re.compile(r"[（《「]")
_MAX_BREAKS = 4


def _title_breaks(name: str) -> dict[int, int]:
    """Positions in ``name`` where a title may break, with their rank (1 best)."""
    ranks: dict[int, int] = {}

    def put(at, rank):
        if 0 < at < len(name):
            ranks[at] = min(rank, ranks.get(at, rank))
    for year in _YEAR.finditer(name):          # a year in the name: before it and after it
        put(year.start(), 1)
        put(year.end(), 1)
    for m in _OPENING.finditer(name):
        put(m.start(), 1)
    for rank, words in _BREAKS:
        for m in words.finditer(name):
            put(m.end(), rank)
    return ranks


def title_lines(name: str, report_kind: str, chars_per_line: float) -> list[str]:
    """The report's title (``name`` + ``report_kind``) as the lines it is printed in, none wider
    than ``chars_per_line`` (characters of the title's size): on one line where it fits; else in
    as few lines as fit, broken at the best places (before 绩效评价报告 / 绩效自评报告, after the year,
    after …项目 or …中心), the lines as even as those places allow; never inside a word, except a
    single word wider than the page."""
    name, kind = (name or "").strip(), (report_kind or "").strip()
    text = name + kind
    if em_width(text) <= chars_per_line or not name:
        return [text]
    ranks = _title_breaks(name)
    if kind:
        ranks[len(name)] = 0
    places = sorted(ranks)
    for count in range(1, min(_MAX_BREAKS, len(places)) + 1):
        best = None
        for cut in itertools.combinations(places, count):
            lines = [text[a:b].strip() for a, b in zip((0,) + cut, cut + (len(text),))]
            widths = [em_width(line) for line in lines]
            if max(widths) > chars_per_line or not all(lines):
                continue
            score = (sum(ranks[c] for c in cut), max(widths) - min(widths))
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    # No few places will do: fill the lines phrase by phrase, cutting only a phrase wider than a line.
    lines = [""]
    for a, b in zip([0] + places, places + [len(text)]):
        phrase = text[a:b]
        if lines[-1] and em_width(lines[-1] + phrase) > chars_per_line:
            lines.append("")
        for ch in phrase:
            if lines[-1] and em_width(lines[-1] + ch) > chars_per_line:
                lines.append("")
            lines[-1] += ch
    return [line.strip() for line in lines if line.strip()]


def title_chars(document, size=SIZE_2) -> float:
    """How many title characters (二号, or the TITLE style's own size) a line of the text block
    holds, less one for the differences between Word, WPS and LibreOffice."""
    try:
        section = document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
    except (AttributeError, TypeError, IndexError):
        width = TEXT_WIDTH
    try:
        style_size = document.styles[TITLE].font.size
    except KeyError:
        style_size = None
    return (width or TEXT_WIDTH) / (style_size or size) - 1


def title_text(document, name: str, report_kind: str) -> str:
    """The title as its paragraph holds it: its lines (``title_lines``) joined by line breaks."""
    return "\n".join(title_lines(name, report_kind, title_chars(document)))


_SECTPR_AFTER_PGNUM = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                       "w:rtlGutter", "w:docGrid", "w:printerSettings")


def unnumbered_front(document, last) -> None:
    """Make everything up to the paragraph ``last`` (the cover, the 目录) a section whose pages carry
    no page number, the pages after it counted from 1. ``last`` either ends a section already (a
    cover of its own) or holds the page break after the 目录, which becomes the section break."""
    final = document.element.body.sectPr
    ppr = last.get_or_add_pPr()
    front = ppr.find(qn("w:sectPr"))
    if front is None:
        for run in last.findall(qn("w:r")):
            if run.find(qn("w:br")) is not None and not run.findall(qn("w:t")):
                last.remove(run)
        front = copy.deepcopy(final)
        for child in front.findall(qn("w:pgNumType")) + front.findall(qn("w:titlePg")):
            front.remove(child)
        change = ppr.find(qn("w:pPrChange"))
        change.addprevious(front) if change is not None else ppr.append(front)
    # the front's footers (its page numbers) go to the body, where it has none of its own
    theirs = {ref.get(qn("w:type")) for ref in final.findall(qn("w:footerReference"))}
    for ref in front.findall(qn("w:footerReference")):
        if ref.get(qn("w:type")) not in theirs:
            final.insert(0, copy.deepcopy(ref))
        front.remove(ref)
    for child in front.findall(qn("w:titlePg")):
        front.remove(child)
    count_from_one(final)


def count_from_one(sect_pr) -> None:
    """The pages of the section ``sect_pr`` ends are numbered from 1."""
    number = sect_pr.find(qn("w:pgNumType"))
    if number is None:
        number = OxmlElement("w:pgNumType")
        following = next((c for c in sect_pr if c.tag in {qn(t) for t in _SECTPR_AFTER_PGNUM}), None)
        following.addprevious(number) if following is not None else sect_pr.append(number)
    number.set(qn("w:start"), "1")


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
