"""Writes the report .docx: the layout walked node by node, with tables, charts and text."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn

from .. import figures as F
from ..files import save_document
from ..schema import EvalMode, Method, ReportType
from ..schema import NarrativeSlot as Slot
from ..scoring import Evaluation, Group
from . import charts as C
from . import narrative as G
from . import selfform as SF
from . import tables as T
from .drafts import draft, has_preface, uncovered
from .fonts import Fonts
from .numbering import label, renumber
from .outline import EVALUATION_PARTS, LAYOUTS, SELF_PARTS, Node, Part
from .package import finish, toc_paragraphs
from .reference import fill_cover
from .style import (CLOSING, HEADINGS, SUBTITLE, TITLE, count_from_one, set_style, setup_document, style_ids,
                    title_text, unnumbered_front)

NOTHING = "无。"
COVER_MODES = (EvalMode.DEPARTMENT, EvalMode.FINANCE, EvalMode.THIRD_PARTY)


def _payment(e):
    f = e.funds
    return [f"实际支出{F.wan(f.paid)}，预算执行率{F.percent(f.exec_rate)}。"]


GENERATED = {
    "funds": G.funds,
    "goals": G.goals,
    "system_intro": G.system_intro,
    "conclusion": G.conclusion,
}

TABLES = {
    "budget": (T.budget_table, "预算资金执行情况表"),
    "system": (T.indicator_system_table, "项目支出绩效评价指标体系"),
    "score": (T.score_table, "项目各部分权重和绩效分值"),
    "contracts": (T.contracts_table, "合同情况表"),
    "payments": (T.payments_table, lambda e: "支付明细表" if len(e.project.payments) <= T.PAYMENTS_LISTED
                 else "支付情况汇总表（按预算项目）"),
    "selfform": (lambda doc, e, caption: T.add_grid(doc, SF.build_form(e, compact=True), SF.DOCX_SHARES, caption,
                                                    skip_rows=2),
                 lambda e: f"项目支出绩效自评表（{e.project.info.year}年度）" if e.project.info.year else "项目支出绩效自评表"),
}


CHARTS = {
    "budget": C.budget_chart,
    "score_rate": C.score_rate_chart,
}


class _Document:
    """The report's document and its blocks: paragraphs, headings, the title (or cover), the 落款
    and the 目录."""

    def __init__(self, evaluation: Evaluation, fonts: Fonts, reference=None, toc: bool = False):
        self.e = evaluation
        self.fonts = fonts
        self.doc = setup_document(fonts, reference)
        self.style_id = style_ids(self.doc)
        self.has_cover = reference is not None and any(p.text.strip() for p in self.doc.paragraphs)
        self.toc = toc

    def para(self, text: str) -> None:
        for line in text.split("\n"):
            if line.strip():
                self.doc.add_paragraph(line.strip())

    def paras(self, texts, level: int) -> int:
        """A block of paragraphs under a heading of ``level``, their list numbers one level below it."""
        lines = [line.strip() for text in texts for line in text.split("\n") if line.strip()]
        for line in renumber(lines, level):
            self.doc.add_paragraph(line)
        return len(lines)

    def styled(self, text: str, style: str):
        """A paragraph in one of the report's styles, set by id (python-docx, given the name, scans
        every style for it)."""
        paragraph = self.doc.add_paragraph(text)
        set_style(paragraph, self.style_id[style])
        return paragraph

    def heading(self, level: int, number: int, title: str) -> None:
        paragraph = self.doc.add_paragraph(label(level, number) + title)
        set_style(paragraph, self.style_id[HEADINGS[min(level, 4) - 1]])

    def title_block(self) -> None:
        """The title and what identifies the report; on a cover page of its own where an agency
        evaluates (第三方评价, or a 部门/财政评价 naming its 评价机构), as such reports are bound."""
        info = self.e.project.info
        year = f"{info.year}年度" if info.year else ""
        if self.has_cover:           # the office's own cover page, filled in
            fill_cover(self.doc, {"项目名称": info.name, "报告类型": info.report_type.value if info.report_type else "",
                                  "评价年度": str(info.year or ""), "实施单位": info.unit,
                                  "主管部门": info.department, "评价机构": info.evaluator or info.unit,
                                  "组织单位": info.organiser,
                                  "报告日期": self.report_date()})
            self.toc_anchor = self.doc.element.body[-2]       # the 目录 goes right after the cover
            self.styled(title_text(self.doc, info.name, info.report_type.value if info.report_type else ""), TITLE)
            return
        cover = info.mode in COVER_MODES and bool(info.evaluator) or info.mode is EvalMode.THIRD_PARTY
        if cover:
            for _ in range(4):
                self.styled("", SUBTITLE)
        self.styled(title_text(self.doc, info.name, info.report_type.value if info.report_type else ""), TITLE)
        lines = [year] + ([f"项目名称：{info.name}"] if cover else []) + [f"实施单位：{info.unit}"]
        if info.department and cover:
            lines.append(f"主管部门：{info.department}")
        if info.organiser:
            lines.append(f"组织单位：{info.organiser}")
        if info.mode:
            lines.append(f"评价方式：{info.mode.value}")
        if info.evaluator:
            lines.append(f"评价机构：{info.evaluator}")
        lines.append(f"报告日期：{self.report_date()}")
        for line in lines:
            if line:
                self.styled(line, SUBTITLE)
        if cover:
            self.cover_section()

    def cover_section(self) -> None:
        """The cover is a section of its own, without a page number; the body's pages count from 1."""
        self.doc.add_section(WD_SECTION.NEW_PAGE)
        cover, body = self.doc.sections[0], self.doc.sections[-1]
        cover.different_first_page_header_footer = True        # its first (and only) page: no footer
        count_from_one(body._sectPr)

    def report_date(self) -> str:
        # 报告日期 as filled in; left blank, the day the report is written.
        return F.date(self.e.project.info.report_date or dt.date.today())

    def closing_block(self) -> None:
        """落款: who made the report and when, at its end, aligned right."""
        info = self.e.project.info
        who = info.evaluator or info.unit
        self.styled("", CLOSING)                # a blank line above the 落款
        for line in (who, self.report_date()):
            if line:
                self.styled(line, CLOSING)

    def table_of_contents(self, at) -> None:
        """目录: a TOC field that Word and WPS fill when the file is opened (updateFields), and the PDF
        conversion updates (pdf.py); until then it shows the chapter headings. After the office's
        cover page, else after the title; the pages up to its end carry no page number."""
        anchor = getattr(self, "toc_anchor", None)
        elements = toc_paragraphs(self.doc, self.style_id, new_page=anchor is None)
        if anchor is None and at.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            # a cover of its own: the 目录 joins its section, whose break starts the body's page
            for element in elements[:-1]:
                at.addprevious(element)
            unnumbered_front(self.doc, at)
            return
        for element in reversed(elements):
            (anchor if anchor is not None else at).addnext(element)
        unnumbered_front(self.doc, elements[-1])       # cover and 目录 without page numbers


class _ChapterFour(_Document):
    """The indicators, part by part, 一级 by 一级 and 二级 by 二级 (绩效评价指标分析, 自评 chapter 四)."""

    def groups_for(self, sections) -> tuple[dict, dict[str, list[Group]]]:
        """Assign each 一级 to the first section whose keywords its name contains; the others by name."""
        out: dict = {name: [] for name, _ in sections}
        extra: dict[str, list[Group]] = {}
        for g in self.e.level1:
            for name, words in sections:
                if any(w in g.name for w in words):
                    out[name].append(g)
                    break
            else:
                extra.setdefault(g.name, []).append(g)
        return out, extra

    def indicator_block(self, s) -> list[str]:
        """One indicator's paragraphs: the evaluator's 评分说明 where there is one (led by the indicator's
        name where it does not name it), else the generated sentence (never both: they say the same
        thing), but for an indicator 不适用, which says so and gives the 评分说明 as the reason; its 偏差原因
        where it missed its target."""
        ind = s.indicator
        remarks = ind.remarks if not ind.remarks or ind.name in ind.remarks else f"{ind.name}：{ind.remarks}"
        if not s.applicable:
            texts = [G.indicator_sentence(self.e, s)] + ([ind.remarks] if ind.remarks else [])
        else:
            texts = [remarks or G.indicator_sentence(self.e, s)]
        if s.missed and s.indicator.deviation:
            texts.append(f"偏差原因：{s.indicator.deviation}")
        return texts

    def group_blocks(self, groups: list[Group], level: int, skip=()) -> int:
        """The 二级 of ``groups`` (the 一级 of one part of chapter 四), one numbered sub-section each,
        numbered on across the 一级 as the seeds do (1.项目效益, 2.满意度指标). A 一级 after the first
        is summed up at the head of its first sub-section, unless its only 二级 sums it up anyway.
        Returns how many sub-sections were written."""
        n = 0
        for k, g1 in enumerate(groups):
            level2 = [(g2, [s for s in self.e.scored_in(g1.name, g2.name) if s not in skip])
                      for g2 in self.e.level2_of(g1.name)]
            level2 = [(g2, shown) for g2, shown in level2 if shown]
            for j, (g2, shown) in enumerate(level2):
                n += 1
                self.heading(level, n, g2.name)
                texts = [G.level1_summary(g1)] if (k and not j and len(level2) > 1) else []
                texts += [t for s in shown for t in self.indicator_block(s)]
                if len(shown) > 1 and "综上" not in texts[-1].split("\n")[-1]:   # the evaluator's own stands
                    texts.append(G.level2_summary(g2))
                self.paras(texts, level)
        return n

    def part(self, groups: list[Group], level: int, own=(), skip=()) -> int:
        """One part of chapter 四 under a heading of ``level``: the evaluator's summary or the first
        一级's, then the 二级 one level down. A part holding a single indicator is told in a paragraph."""
        shown = [s for g in groups for s in self.e.scored if s.indicator.level1 == g.name and s not in skip]
        if len(shown) == 1 and len(groups) == 1:
            return self.paras(list(own) + self.indicator_block(shown[0]), level)
        written = self.paras(list(own) or [G.level1_summary(groups[0])], level)
        return written + self.group_blocks(groups, level + 1, skip)

    def indicators(self, scope: Part, level: int) -> int:
        if scope is Part.EVALUATION:
            sections, extra = self.groups_for(EVALUATION_PARTS)
            items = list(sections.items()) + [(f"{k}情况", v) for k, v in extra.items()]
            for i, (slot, groups) in enumerate(items, start=1):
                self.heading(level + 1, i, slot.value if isinstance(slot, Slot) else slot)
                own = self.e.project.texts(slot) if isinstance(slot, Slot) else []   # the evaluator's summary wins
                if groups:
                    self.part(groups, level + 1, own)
                else:
                    self.paras(own or uncovered(self.e, slot), level + 1)
            return len(items)
        # 自评: the indicators of one part of chapter 四, under its headings.
        sections, extra = self.groups_for(SELF_PARTS)
        if scope is Part.SELF_OUTPUT:
            groups = sections[scope] + [g for gs in extra.values() for g in gs]
        else:
            groups = sections[scope]
        # 预算执行率 found by its role wherever it sits (forms put it under 项目管理): told under 资金支付
        execution = [s for s in self.e.scored if s.indicator.method is Method.EXECUTION
                     and not any(s.indicator.level1 == g.name for g in sections[Part.SELF_FUNDS])]
        if scope is Part.SELF_FUNDS:
            texts = [t for s in execution for t in self.indicator_block(s)]
            texts += [t for g in groups for s in self.e.scored if s.indicator.level1 == g.name
                      for t in self.indicator_block(s)]
            return self.paras(texts or _payment(self.e), level)   # no 预算执行率 indicator: what was paid
        groups = [g for g in groups if any(s.indicator.level1 == g.name and s not in execution
                                           for s in self.e.scored)]
        return self.part(groups, level, skip=execution) if groups else 0


class _Writer(_ChapterFour):
    """The layout walked node by node."""

    def content(self, key, level: int) -> int:
        if isinstance(key, Slot):
            return self.paras(self.e.project.texts(key) or draft(self.e, key), level)
        if isinstance(key, Part):
            return self.indicators(key, level)
        kind, _, name = key.partition(":")
        if kind == "gen":
            return self.paras(GENERATED[name](self.e), level)
        if kind == "table":
            make, caption = TABLES[name]
            body = self.doc.element.body
            last = body[-2] if len(body) > 1 else None
            if make(self.doc, self.e, caption(self.e) if callable(caption) else caption) is None:
                return 0            # nothing to show (e.g. a project without contracts)
            if last is not None and last.tag == qn("w:p"):
                last.get_or_add_pPr().keepNext_val = True   # the sentence introducing it stays with it
            return 1
        if kind == "chart":
            chart = CHARTS[name](self.e)
            if chart.categories:
                C.add_chart(self.doc, chart, self.fonts.body, self.fonts.latin)
            return 1
        raise KeyError(key)

    def node(self, node: Node, level: int, number: int) -> None:
        self.heading(level, number, node.title)
        written = sum(self.content(key, level) for key in node.content)
        for i, child in enumerate(node.children, start=1):
            self.node(child, level + 1, i)
        if not written and not node.children:
            self.para(NOTHING)

    def write(self, path: Path) -> None:
        self.title_block()
        title_end = self.doc.element.body[-2]
        layout = LAYOUTS[self.e.project.info.report_type or ReportType.EVALUATION]
        if has_preface(self.e):          # a 评价机构's report opens with a 前言, before 一、
            paragraph = self.doc.add_paragraph(Slot.PREFACE.value)
            set_style(paragraph, self.style_id[HEADINGS[0]])
            self.paras(self.e.project.texts(Slot.PREFACE) or draft(self.e, Slot.PREFACE), 0)
        for i, chapter in enumerate(layout, start=1):
            self.node(chapter, 1, i)
        self.closing_block()
        if self.toc:
            self.table_of_contents(title_end)
        finish(self.doc, self.e, self.fonts)
        save_document(self.doc, path)


def write_report(evaluation: Evaluation, path, fonts: Fonts | None = None, stamp: str = "", reference=None,
                 toc: bool = False) -> Path:
    """Write the report; ``stamp`` (what options made it) is kept in its properties. ``reference``:
    the office's own .docx to start from; ``toc``: a 目录 after the title."""
    path = Path(path)
    writer = _Writer(evaluation, fonts or Fonts(), reference, toc)
    if stamp:
        writer.doc.core_properties.identifier = stamp
    writer.write(path)
    return path
