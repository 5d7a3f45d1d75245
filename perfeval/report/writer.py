"""Writes the report .docx: the layout walked node by node, with tables, charts and text."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx.oxml.ns import qn

from ..files import atomic_path
from ..schema import EvalMode, Method, ReportType
from ..scoring import Evaluation, Group

from . import narrative as G
from .. import figures as F
from . import charts as C
from . import selfform as SF
from . import tables as T
from ..vocab import EVALUATION_CHAPTER4, SELF_CHAPTER4
from .drafts import draft
from .outline import LAYOUTS, Node
from .style import CLOSING, HEADINGS, SUBTITLE, TITLE, Fonts, set_style, setup_document, style_ids

NOTHING = "无。"
COVER_MODES = (EvalMode.DEPARTMENT, EvalMode.FINANCE, EvalMode.THIRD_PARTY)



def _in_place(e):
    f = e.funds
    return [f"全年预算{F.wan(f.budget)}，实际到位{F.wan(f.in_place)}，资金到位率{F.percent(f.in_place_rate)}。"]


def _allocation(e):
    return ["预算资金分配如下：" + "、".join(f"{l.name}{F.wan(l.budget)}" for l in e.funds.lines) + "。"]


def _payment(e):
    f = e.funds
    return [f"实际支出{F.wan(f.paid)}，预算执行率{F.percent(f.exec_rate)}。"]


GENERATED = {
    "funds": G.funds,
    "goals": G.goals,
    "system_intro": G.system_intro,
    "conclusion": G.conclusion,
    "in_place": _in_place,
    "allocation": _allocation,
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


class _Writer:
    def __init__(self, evaluation: Evaluation, fonts: Fonts, reference=None, toc: bool = False):
        self.e = evaluation
        self.fonts = fonts
        self.doc = setup_document(fonts, reference)
        self.style_id = style_ids(self.doc)
        self.has_cover = reference is not None and any(p.text.strip() for p in self.doc.paragraphs)
        self.toc = toc

    # ------------------------------------------------------------ blocks
    def para(self, text: str) -> None:
        for line in text.split("\n"):
            if line.strip():
                self.doc.add_paragraph(line.strip())

    def styled(self, text: str, style: str):
        """A paragraph in one of the report's styles, set by id (python-docx, given the name, scans
        every style for it)."""
        paragraph = self.doc.add_paragraph(text)
        set_style(paragraph, self.style_id[style])
        return paragraph

    def heading(self, level: int, number: int, title: str) -> None:
        paragraph = self.doc.add_paragraph(F.heading_number(level, number) + title)
        set_style(paragraph, self.style_id[HEADINGS[min(level, 4) - 1]])

    def title_block(self) -> None:
        """The title and what identifies the report; on a cover page of its own where an agency
        evaluates (第三方评价, or a 部门/财政评价 naming its 评价机构), as such reports are bound."""
        info = self.e.project.info
        year = f"{info.year}年度" if info.year else ""
        if self.has_cover:           # the office's own cover page, filled in
            from .package import fill_cover
            fill_cover(self.doc, {"项目名称": info.name, "报告类型": info.report_type.value if info.report_type else "",
                                  "评价年度": str(info.year or ""), "实施单位": info.unit,
                                  "主管部门": info.department, "评价机构": info.evaluator or info.unit,
                                  "报告日期": self.report_date()})
            self.toc_anchor = self.doc.element.body[-2]       # the 目录 goes right after the cover
            self.styled(f"{info.name}{info.report_type.value if info.report_type else ''}", TITLE)
            return
        cover = info.mode in COVER_MODES and bool(info.evaluator) or info.mode is EvalMode.THIRD_PARTY
        if cover:
            for _ in range(4):
                self.styled("", SUBTITLE)
        self.styled(f"{info.name}{info.report_type.value if info.report_type else ''}", TITLE)
        lines = [year, f"实施单位：{info.unit}"]
        if info.department and cover:
            lines.append(f"主管部门：{info.department}")
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
        from docx.enum.section import WD_SECTION
        self.doc.add_section(WD_SECTION.NEW_PAGE)
        cover, body = self.doc.sections[0], self.doc.sections[-1]
        cover.different_first_page_header_footer = True        # its first (and only) page: no footer
        number = body._sectPr.find(qn("w:pgNumType"))
        if number is None:
            from docx.oxml import OxmlElement
            number = OxmlElement("w:pgNumType")
            later = [qn(t) for t in ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                     "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings")]
            following = next((child for child in body._sectPr if child.tag in later), None)
            following.addprevious(number) if following is not None else body._sectPr.append(number)
        number.set(qn("w:start"), "1")

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

    # ------------------------------------------------------------ content keys
    def content(self, key: str, level: int) -> int:
        kind, _, name = key.partition(":")
        if kind == "slot":
            texts = self.e.project.texts(name) or draft(self.e, name)
            for t in texts:
                self.para(t)
            return len(texts)
        if kind == "gen":
            texts = GENERATED[name](self.e)
            for t in texts:
                self.para(t)
            return len(texts)
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
        if kind == "indicators":
            return self.indicators(name, level)
        raise KeyError(key)

    def node(self, node: Node, level: int, number: int) -> None:
        self.heading(level, number, node.title)
        written = sum(self.content(key, level) for key in node.content)
        for i, child in enumerate(node.children, start=1):
            self.node(child, level + 1, i)
        if not written and not node.children:
            self.para(NOTHING)

    # ------------------------------------------------------------ chapter 四
    def groups_for(self, sections) -> dict[str, list[Group]]:
        """Assign each 一级 to the first section whose keywords its name contains."""
        out: dict[str, list[Group]] = {name: [] for name, _ in sections}
        extra: dict[str, list[Group]] = {}
        for g in self.e.level1:
            for name, words in sections:
                if any(w in g.name for w in words):
                    out[name].append(g)
                    break
            else:
                extra.setdefault(g.name, []).append(g)
        return out, extra

    def indicator_block(self, s) -> str:
        """One indicator: the evaluator's 评分说明 where there is one, else the generated sentence
        (never both: they say the same thing); its 偏差原因 where it lost points. Returns the
        last paragraph written."""
        text = s.indicator.remarks or G.indicator_sentence(self.e, s)
        self.para(text)
        if s.applicable and not s.unscorable and s.score < s.indicator.weight and s.indicator.deviation:
            text = f"偏差原因：{s.indicator.deviation}"
            self.para(text)
        return text

    def level2_block(self, g1: Group, level: int, start: int, skip=()) -> int:
        """One numbered sub-section per 二级 of ``g1`` (less the indicators in ``skip``, told
        elsewhere); returns the next number."""
        n = start
        for g2 in self.e.level2_of(g1.name):
            shown = [s for s in self.e.scored_in(g1.name, g2.name) if s not in skip]
            if not shown:
                continue
            self.heading(level, n, g2.name)
            last = ""
            for s in shown:
                last = self.indicator_block(s)
            if "综上" not in last.split("\n")[-1]:      # the evaluator's own summing-up stands
                self.para(G.level2_summary(g2))
            n += 1
        return n

    def indicators(self, scope: str, level: int) -> int:
        if scope == "evaluation":
            sections, extra = self.groups_for(EVALUATION_CHAPTER4)
            items = list(sections.items()) + [(f"{k}情况", v) for k, v in extra.items()]
            for i, (title, groups) in enumerate(items, start=1):
                self.heading(level + 1, i, title)
                own = self.e.project.texts(title)
                for t in own or [G.level1_summary(g) for g in groups]:   # the evaluator's summary wins
                    self.para(t)
                n = 1
                for g in groups:
                    n = self.level2_block(g, level + 2, n)
                if not groups and not own:
                    self.para(f"本项目的评价指标体系未设置{title.removeprefix('项目').removesuffix('情况')}类指标。")
            return len(items)
        # 自评: the indicators of one part of chapter 四, under its headings.
        sections, extra = self.groups_for(SELF_CHAPTER4)
        if scope == "self-output":
            groups = sections[scope] + [g for gs in extra.values() for g in gs]
        else:
            groups = sections[scope]
        # 预算执行率 found by its role wherever it sits (forms put it under 项目管理): told under 资金支付
        execution = [s for s in self.e.scored if s.indicator.method is Method.EXECUTION
                     and not any(s.indicator.level1 == g.name for g in sections["self-funds"])]
        written = 0
        if scope == "self-funds" and not groups:
            for s in execution:
                self.indicator_block(s)
            if not execution:
                for t in _payment(self.e):     # no 预算执行率 indicator: still say what was paid
                    self.para(t)
            return 1
        for g in groups:
            self.para(G.level1_summary(g))
            written += 1
            if scope == "self-funds":
                for s in (s for s in self.e.scored if s.indicator.level1 == g.name):
                    self.indicator_block(s)
            else:
                self.level2_block(g, level + 1, 1, skip=execution)
        return written

    # ------------------------------------------------------------ whole
    def table_of_contents(self, at) -> None:
        """目录: a TOC field that Word and WPS fill when the file is opened (updateFields); until
        then it shows the chapter headings. After the office's cover page, else after the title."""
        from .package import toc_paragraphs
        anchor = getattr(self, "toc_anchor", None)
        for element in reversed(toc_paragraphs(self.doc, self.style_id, new_page=anchor is None)):
            (anchor if anchor is not None else at).addnext(element)

    def write(self, path: Path) -> None:
        from .package import finish
        self.title_block()
        title_end = self.doc.element.body[-2]
        layout = LAYOUTS[self.e.project.info.report_type or ReportType.EVALUATION]
        for i, chapter in enumerate(layout, start=1):
            self.node(chapter, 1, i)
        self.closing_block()
        if self.toc:
            self.table_of_contents(title_end)
        finish(self.doc, self.e, self.fonts)
        with atomic_path(path) as tmp:
            self.doc.save(tmp)


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
