"""汇总分析报告.docx: the 项目支出绩效自评结果汇总分析报告 a 财政局 sends to its government and to the
主管部门, written from the batch's roll-up (``rollup.Rollup``), the same figures as 汇总表.xlsx, in
the project reports' official style (page, fonts, headings, tables, native charts).

一、基本情况 二、自评结果 三、发现的主要问题 四、自评质量 五、结果应用建议; every sentence is made from
the roll-up's figures, and every chapter says something even when there is nothing to report.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from .. import figures as F
from ..files import atomic_path
from ..rollup import LOW_GRADES, Rollup
from ..vocab import LOW_EXECUTION
from . import charts as C
from . import tables as T
from .numbering import label
from .package import finish_document
from .style import CLOSING, HEADINGS, TITLE, Fonts, set_style, setup_document, style_ids

TABLE_ROWS = 40              # a list longer than this is cut in the report; 汇总表 has every row
LOW_RATE = F.percent(LOW_EXECUTION, 0)
# Why each kind of problem matters, as the report says it after the figures.
PROBLEM_MEANING = {
    "low_execution": "预算执行进度与预算安排不匹配，存在资金沉淀或拨付滞后。",
    "missed": "部分绩效指标未达到年度指标值，项目产出或效益未全部实现。",
    "total_not_rows": "自评表填写的总分与各指标得分相加的结果不一致，属于填报计算错误。",
    "weights": "绩效指标分值设置不规范，总分不能直接比较。",
    "no_reason": "得分低于分值的指标未按自评表要求说明偏差原因及改进措施。",
    "rate_typed": "填写的执行率与全年执行数÷全年预算数不一致。",
    "reported": "指标填写的得分与评分规则、完成情况不相符，详见第四部分。",
    "unreadable": "文件已损坏、设置了打开密码或不是自评表，需报送单位重新报送。",
}
COUNTED_AS = {"missed": "个指标", "no_reason": "个指标", "reported": "个指标", "rate_typed": "处"}


class _Document:
    """The 汇总分析报告's document and its blocks: paragraphs, numbered headings, tables, the title."""

    def __init__(self, roll: Rollup, fonts: Fonts):
        self.r, self.fonts = roll, fonts
        self.doc = setup_document(fonts)
        self.style_id = style_ids(self.doc)

    def para(self, text: str) -> None:
        self.doc.add_paragraph(text)

    def heading(self, level: int, number: int, title: str) -> None:
        paragraph = self.doc.add_paragraph(label(level, number) + title)
        set_style(paragraph, self.style_id[HEADINGS[level - 1]])

    def table(self, caption, header, rows, shares, aligns, total_row=False) -> None:
        last = self.doc.element.body[-2] if len(self.doc.element.body) > 1 else None
        T.add_table(self.doc, caption, header, rows, shares, aligns, total_row=total_row)
        if last is not None and last.tag.endswith("}p"):
            last.get_or_add_pPr().keepNext_val = True        # the sentence introducing it stays with it

    @property
    def title(self) -> str:
        year = f"{self.r.year}年度" if self.r.year else ""
        return f"{year}项目支出绩效自评结果汇总分析报告"

    def year_phrase(self) -> str:
        return f"{self.r.year}年度项目支出绩效自评中，" if self.r.year else "本次项目支出绩效自评中，"

    def cut_note(self, total: int, sheet: str) -> None:
        if total > TABLE_ROWS:
            self.para(f"上表列出前{TABLE_ROWS}个，共{total}个，全部见汇总表“{sheet}”工作表。")


class _Writer(_Document):
    """The chapters: 一、基本情况 二、自评结果 三、发现的主要问题 四、自评质量 五、结果应用建议."""

    def basics(self) -> None:
        r = self.r
        self.heading(1, 1, "基本情况")
        who = (f"{r.departments}个主管部门、" if r.departments else "") + f"{r.units}个实施单位"
        unread = len(r.unreadable)
        unscored = r.forms - len(r.scored) - unread
        text = (f"{self.year_phrase()}共收到{who}报送的项目支出绩效自评表{r.forms}份，其中{len(r.scored)}份已按"
                f"《项目支出绩效评价管理办法》（财预〔2020〕10号）的评分规则逐项核定得分，自评覆盖率"
                f"（完成计分的自评表占收到的自评表）为{F.percent(r.coverage)}。")
        if unscored:
            text += f"另有{unscored}份因缺少绩效指标等必要内容未能计分。"
        text += (f"{unread}份无法读取或处理失败，原因见第三部分。" if unread else "收到的自评表均已读取。")
        self.para(text)
        if r.scored:
            self.para(f"完成计分的项目预算总额{F.wan(r.budget)}，全年执行{F.wan(r.paid)}，总体预算执行率"
                      f"{F.percent(r.exec_rate)}；按预算金额加权的平均得分为{F.score(r.weighted_score)}分。")

    def results(self) -> None:
        r = self.r
        self.heading(1, 2, "自评结果")
        self.heading(2, 1, "评价等级分布")
        n = len(r.scored)
        if not n:
            self.para("本次收到的自评表均未能计分，没有可汇总的评价结果。")
            return
        shares = "；".join(f"{g.grade}{g.projects}个，占{F.percent(Decimal(g.projects) / n)}" for g in r.grades)
        self.para(f"按核定的得分，{n}个项目中评价等级为{shares}。")
        chart = C.BarChart(title="各评价等级项目数（个）", categories=[g.grade for g in r.grades],
                           series=[C.Series("项目数", [Decimal(g.projects) for g in r.grades])], number_format="0")
        C.add_chart(self.doc, chart, self.fonts.body, self.fonts.latin, height_mm=50)
        self.heading(2, 2, "各等级的资金分布")
        top = max(r.grades, key=lambda g: g.budget)
        self.para(f"按预算金额计，评价等级为{top.grade}的项目资金最多，为{F.wan(top.budget)}，占"
                  f"{F.percent(top.budget / r.budget if r.budget else None)}。各等级的项目数和资金如下表。")
        rows = [[g.grade, str(g.projects), F.percent(Decimal(g.projects) / n), F.money(g.budget),
                 F.percent(g.budget / r.budget if r.budget else None), F.money(g.paid), F.percent(g.exec_rate)]
                for g in r.grades]
        rows.append(["合计", str(n), F.percent(Decimal(1)), F.money(r.budget),
                     F.percent(Decimal(1) if r.budget else None), F.money(r.paid), F.percent(r.exec_rate)])
        R, M = T.RIGHT, T.CENTER
        self.table("各评价等级项目及资金情况表", ["等级", "项目数", "项目占比", "预算总额\n（万元）", "资金占比",
                                      "全年执行\n（万元）", "预算\n执行率"], rows,
                   [1.2, 1.2, 1.6, 2.4, 1.6, 2.4, 1.6], [M, R, R, R, R, R, R], total_row=True)
        self.departments()
        if r.previous is not None:
            self.year_over_year()

    def departments(self) -> None:
        frame = self.r.by_department
        self.heading(2, 3, "分主管部门情况")
        rows = [list(row) for row in frame.itertuples(index=False)]
        scored = [row for row in rows if row[-2] is not None and row[-2] == row[-2]]
        unnamed = sum(int(row[1]) for row in rows if row[0] == "（未填写）")
        text = f"收到的自评表来自{self.r.departments}个主管部门" + (
            f"，另有{unnamed}份未填写主管部门或无法读取，列为“（未填写）”。" if unnamed else "。")
        if len(scored) > 1:
            best = max(scored, key=lambda row: row[-2])
            worst = min(scored, key=lambda row: row[-2])
            text += (f"资金加权平均分最高的是{best[0]}（{F.score(Decimal(str(best[-2])))}分），"
                     f"最低的是{worst[0]}（{F.score(Decimal(str(worst[-2])))}分）。")
        self.para(text + "各主管部门的项目等级和资金情况如下表。")
        cells = [[str(row[0])] + [str(v) for v in row[1:6]]
                 + [F.money(_dec(row[6])), F.money(_dec(row[7])), F.score(_dec(row[8])), str(row[9])] for row in rows]
        R = T.RIGHT
        self.table("分主管部门自评结果表", ["主管部门", "项目数", "优", "良", "中", "差", "预算总额\n（万元）",
                                    "支出\n（万元）", "资金加权\n平均分", "未计分"], cells,
                   [3.4, 1.0, 0.7, 0.7, 0.7, 0.7, 2.0, 2.0, 1.9, 1.2], [T.LEFT] + [R] * 9)

    def year_over_year(self) -> None:
        y = self.r.previous
        self.heading(2, 4, "与上年比较")
        changes = [c for c in y.changes if c.score_change is not None]
        up = sum(1 for c in changes if c.score_change > 0)
        down = sum(1 for c in changes if c.score_change < 0)
        mean = sum((c.score_change for c in changes), Decimal(0)) / len(changes) if changes else None
        text = (f"与上年汇总表相比，两年均报送的项目{len(y.changes)}个，其中得分提高的{up}个、降低的{down}个"
                + (f"，平均得分{'提高' if mean >= 0 else '降低'}{F.score(abs(mean))}分" if mean is not None else "")
                + f"；本年新增项目{len(y.new)}个，上年报送而本年未报送的{len(y.dropped)}个。")
        running = y.running
        if running:
            text += (f"连续两年评价等级为中或差、或预算执行率低于{LOW_RATE}的项目{len(running)}个，列于下表"
                     "（各项目的逐年对比见汇总表“上年对比”工作表）。")
        else:
            text += f"没有连续两年评价等级为中或差、或预算执行率低于{LOW_RATE}的项目。"
        self.para(text)
        if running:
            rows = [[c.record.info.get("项目名称") or "", c.record.info.get("实施单位") or "",
                     F.score(c.prior.total), F.score(c.record.total), F.percent(c.prior.exec_rate),
                     F.percent(c.record.exec_rate), "；".join(c.running)] for c in running[:TABLE_ROWS]]
            L, R = T.LEFT, T.RIGHT
            self.table("连续两年存在问题的项目", ["项目名称", "实施单位", "上年\n总分", "本年\n总分", "上年\n执行率",
                                        "本年\n执行率", "说明"], rows, [2.8, 2.4, 1.2, 1.2, 1.7, 1.7, 4.0],
                       [L, L, R, R, R, R, L])
            self.cut_note(len(running), "上年对比")

    def problems(self) -> None:
        self.heading(1, 3, "发现的主要问题")
        found = [p for p in self.r.problems if p.forms]
        if not found:
            self.para("对收到的自评表逐表核对，未发现预算执行率偏低、指标未完成、总分或分值计算错误、缺少偏差原因"
                      "或无法读取等问题。")
            return
        self.para("对收到的自评表逐表核对（各表的全部问题及所在单元格见汇总表和各项目的检查结果），"
                  "发现的问题按类别统计如下。")
        rows = [[p.title, str(p.forms), f"{p.count}{COUNTED_AS.get(p.key, '份')}"] for p in self.r.problems]
        self.table("自评表问题分类统计表", ["问题类别", "涉及自评表（份）", "数量"], rows, [7.0, 3.0, 3.0],
                   [T.LEFT, T.RIGHT, T.RIGHT])
        told = [p for p in found if p.key != "reported"]
        for i, p in enumerate(told, start=1):
            self.heading(2, i, p.title)
            more = "等" if p.forms > len(p.examples) else ""
            amount = "" if COUNTED_AS.get(p.key) is None else f"，共{p.count}{COUNTED_AS[p.key]}"
            self.para(f"{p.forms}份自评表存在此问题{amount}，如{'；'.join(p.examples)}{more}。"
                      f"{PROBLEM_MEANING[p.key]}")

    def quality(self) -> None:
        r = self.r
        self.heading(1, 4, "自评质量")
        q = r.quality
        reported = next((p for p in r.problems if p.key == "reported"), None)
        if not r.scored:
            self.para("没有完成计分的自评表，无法评价自评质量。")
            return
        if not q:
            text = f"完成计分的{len(r.scored)}份自评表，填写的总分均与按评分规则核定的总分一致。"
        else:
            high = sum(1 for x in q if x.difference > 0)
            sides = [f"自评得分高于核定得分的{high}份" if high else "", f"低于核定得分的{len(q) - high}份"
                     if len(q) - high else ""]
            worst = q[0]
            text = (f"完成计分的{len(r.scored)}份自评表中，{len(q)}份填写的总分与按评分规则核定的总分不一致，"
                    f"其中{'、'.join(x for x in sides if x)}；相差最多的是{worst.record.info.get('项目名称')}"
                    f"（填写{F.score(worst.typed)}分，核定{F.score(worst.total)}分，相差{F.score(abs(worst.difference))}分）。")
        if reported is not None and reported.count:
            text += (f"逐项看，{reported.forms}份自评表共{reported.count}个指标填写的得分与评分规则、"
                     "完成情况不相符。")
        self.para(text)
        if q:
            rows = [[x.record.info.get("项目名称") or "", x.record.info.get("实施单位") or "", F.score(x.typed),
                     F.score(x.total), F.score(x.difference)] for x in q[:TABLE_ROWS]]
            R = T.RIGHT
            self.table("自评得分与核定得分不一致的自评表", ["项目名称", "实施单位", "填写的\n总分", "核定的\n总分",
                                                "差额"], rows, [4.2, 3.6, 1.6, 1.6, 1.6], [T.LEFT, T.LEFT, R, R, R])
            self.cut_note(len(q), "自评质量")

    def application(self) -> None:
        r = self.r
        self.heading(1, 5, "结果应用建议")
        good = sum(g.projects for g in r.grades if g.grade not in LOW_GRADES)
        low = sum(g.projects for g in r.grades if g.grade in LOW_GRADES)
        slow = sum(1 for v in r.review if v.record.exec_rate is not None and v.record.exec_rate < LOW_EXECUTION)
        self.para("按照《项目支出绩效评价管理办法》（财预〔2020〕10号）关于评价结果与预算安排、政策调整和改进管理"
                  "挂钩的要求，建议：")
        items = [f"对评价等级为优、良的{good}个项目，根据情况在下年度预算安排中予以支持。" if good else "",
                 f"对评价等级为中、差的{low}个项目，督促实施单位完善政策、改进管理，根据情况核减下年度预算；"
                 "不进行整改或整改不到位的，相应调减预算或整改到位后再予安排。" if low else "",
                 f"对预算执行率低于{LOW_RATE}的{slow}个项目，结合结转结余情况审核下年度预算规模。" if slow else ""]
        if r.previous is not None and r.previous.running:
            items.append(f"对连续两年存在问题的{len(r.previous.running)}个项目，作为下年度预算审核的重点，"
                         "整改到位前从严安排。")
        if r.unreadable:
            items.append(f"对无法读取的{len(r.unreadable)}份自评表，通知报送单位按第三部分所列原因重新报送。")
        if r.quality:
            items.append(f"对自评得分与核定得分不一致的{len(r.quality)}份自评表，反馈主管部门复核，"
                         "并将自评质量纳入对部门预算绩效管理工作的考核。")
        items = [text for text in items if text] or ["本年度尚无可据以调整预算的评价结果，待各单位重新报送后再行汇总。"]
        for i, text in enumerate(items, start=1):
            self.para(f"{F.cn_number(i)}是{text}" if len(items) > 1 else text)
        self.review_table()

    def review_table(self) -> None:
        review = self.r.review
        if not review:
            self.para(f"本年度没有评价等级为中、差或预算执行率低于{LOW_RATE}的项目，无需列入预算审核。")
            return
        self.para(f"评价等级为中、差或预算执行率低于{LOW_RATE}的项目共{len(review)}个，建议纳入下年度预算审核，"
                  "如下表（各项目的具体建议见汇总表“结果应用”工作表）。")
        rows = [[v.record.info.get("项目名称") or "", v.record.info.get("实施单位") or "", F.score(v.record.total),
                 v.record.grade, F.percent(v.record.exec_rate), "；".join(v.reasons)] for v in review[:TABLE_ROWS]]
        L, R = T.LEFT, T.RIGHT
        self.table("建议纳入下年度预算审核的项目", ["项目名称", "实施单位", "总分", "等级", "执行率", "原因"], rows,
                   [3.6, 3.0, 1.3, 1.2, 1.7, 3.4], [L, L, R, T.CENTER, R, L])
        self.cut_note(len(review), "结果应用")

    def write(self, path: Path) -> None:
        title = self.doc.add_paragraph(style=TITLE)          # two balanced lines, not a word left alone
        first, _, second = self.title.partition("结果")
        title.add_run(first + "结果").add_break()
        title.add_run(second)
        self.basics()
        self.results()
        self.problems()
        self.quality()
        self.application()
        self.doc.add_paragraph("", style=CLOSING)
        self.doc.add_paragraph(F.date(dt.date.today()), style=CLOSING)
        finish_document(self.doc, self.fonts, title=self.title, author="",
                        subject=f"{self.r.year}年度项目支出绩效自评结果汇总" if self.r.year else "项目支出绩效自评结果汇总")
        with atomic_path(path) as tmp:
            self.doc.save(tmp)


def write_bureau_report(roll: Rollup, path, fonts: Fonts | None = None) -> Path:
    """Write 汇总分析报告.docx for the batch's roll-up."""
    path = Path(path)
    _Writer(roll, fonts or Fonts()).write(path)
    return path


def _dec(value) -> Decimal | None:
    if value is None or value != value:         # NaN: nothing to show
        return None
    return Decimal(str(value))
