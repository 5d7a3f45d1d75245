"""What makes the .docx look made by the office and not by a library: its properties, settings,
font table and parts, and its 目录 (the office's own template, ``--reference-doc``, is reference.py's).

python-docx's default package carries author "python-docx", a creation date of 2013, Word 2010
compatibility mode (Word shows 兼容模式), a Japanese theme language and font table, a stale
stylesWithEffects part, custom XML and a thumbnail: all replaced or removed here.
"""
from __future__ import annotations

import datetime as dt
import re
from html import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from .style import HEADINGS, SUBTITLE

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Where a font is missing, Word and WPS take the alternative named in the font table.
FALLBACKS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "方正仿宋_GBK": "仿宋",
             "方正楷体_GBK": "楷体", "黑体": "SimHei", "宋体": "SimSun", "仿宋": "FangSong", "楷体": "KaiTi"}
STALE_RELS = ("stylesWithEffects", "customXml", "thumbnail")


def finish(document, evaluation, fonts) -> None:
    info = evaluation.project.info
    finish_document(document, fonts, title=f"{info.name}{info.report_type.value if info.report_type else ''}",
                    author=info.evaluator or info.unit or "",
                    subject=f"{info.year}年度项目支出绩效评价" if info.year else "项目支出绩效评价")


def finish_document(document, fonts, title: str, author: str, subject: str) -> None:
    """Properties, settings, font table and parts of any report perfeval writes."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    cp = document.core_properties
    cp.title = title
    cp.author = cp.last_modified_by = author
    cp.subject = subject
    cp.created = cp.modified = now
    cp.revision = 1
    cp.language = "zh-CN"
    cp.comments = ""
    cp.keywords = "绩效评价"
    _settings(document)
    _font_table(document, fonts)
    _drop_stale_parts(document)
    _app_properties(document)


def _app_properties(document) -> None:
    """docProps/app.xml names the program that wrote the file (the default says a Mac Word)."""
    package = document.part.package
    part = next((rel.target_part for rel in package.rels.values() if rel.reltype == RT.EXTENDED_PROPERTIES), None)
    if part is None:
        return
    part._blob = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
                  'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                  "<Template>Normal.dotm</Template><Application>perfeval</Application><DocSecurity>0</DocSecurity>"
                  "</Properties>").encode("utf-8")


def _settings(document) -> None:
    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = parse_xml(f'<w:compat xmlns:w="{W_NS}"/>')
        settings.append(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            compat.remove(setting)
    compat.append(parse_xml(f'<w:compatSetting xmlns:w="{W_NS}" w:name="compatibilityMode" '
                            f'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'))
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")


def _font_table(document, fonts) -> None:
    """The fonts the report uses, each with its fallback, instead of the default's Japanese ones."""
    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    names = []
    for name in (fonts.body, fonts.title, fonts.heading1, fonts.heading2, fonts.heading3, fonts.page_number,
                 fonts.latin, "宋体"):
        if name and name not in names:
            names.append(name)
    entries = []
    for name in names:
        cjk = bool(re.search(r"[\u4e00-\u9fff]", name))
        alt = f'<w:altName w:val="{escape(FALLBACKS[name])}"/>' if name in FALLBACKS else ""
        entries.append(f'<w:font w:name="{escape(name)}">{alt}<w:charset w:val="{"86" if cjk else "00"}"/>'
                       f'<w:family w:val="{"modern" if cjk else "roman"}"/><w:pitch w:val="variable"/></w:font>')
    xml = (f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           f'<w:fonts xmlns:w="{W_NS}">{"".join(entries)}</w:fonts>')
    part._blob = xml.encode("utf-8")


def _drop_stale_parts(document) -> None:
    for owner in (document.part, document.part.package):
        for r_id, rel in list(owner.rels.items()):
            if any(word in rel.reltype for word in STALE_RELS):
                del owner.rels[r_id]


def toc_paragraphs(document, style_id: dict[str, str], new_page: bool = True) -> list:
    """The 目录: a heading and one TOC field (levels 1–2) whose shown result lists the chapters;
    ``updateFields`` makes Word and WPS fill in the page numbers on opening."""
    heads = [(p.text, int(p.style.name[-1])) for p in document.paragraphs
             if p.style is not None and p.style.name in HEADINGS[:2]]
    out = [parse_xml(f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="{style_id.get(SUBTITLE, "Normal")}"/>'
                     f'{"<w:pageBreakBefore/>" if new_page else ""}</w:pPr><w:r><w:t>目　录</w:t></w:r></w:p>')]
    for i, (text, level) in enumerate(heads):
        begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText xml:space="preserve">'
                 ' TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                 if i == 0 else "")
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if i == len(heads) - 1 else ""
        indent = 0 if level == 1 else 640
        out.append(parse_xml(f'<w:p xmlns:w="{W_NS}"><w:pPr><w:ind w:left="{indent}" w:firstLine="0"/></w:pPr>'
                             f'{begin}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>{end}</w:p>'))
    out.append(parse_xml(f'<w:p xmlns:w="{W_NS}"><w:r><w:br w:type="page"/></w:r></w:p>'))
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = parse_xml(f'<w:updateFields xmlns:w="{W_NS}" w:val="true"/>')
        after = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                 "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                 "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
                 "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
                 "w:decimalSymbol", "w:listSeparator")
        tags = {qn(t) for t in after if not t.startswith(("m:", "sl:"))}
        following = next((child for child in settings if child.tag in tags), None)
        if following is None:
            settings.append(update)
        else:
            following.addprevious(update)      # the schema's order of w:settings
    return out
