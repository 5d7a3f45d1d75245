"""项目支出绩效自评表 in layouts that differ in structure from the national annex, as units fill them:
the year in the title and a 填报单位 line and a signature footer, 一级 labels with their points and
成本指标 as an 一级 of its own with 小计 rows, a header over two rows with columns in another order,
money in 元, numbers typed as text with blank rows, and several forms beside a 说明 sheet.

Each variant writes its cells directly, and states what a careful officer computes by hand."""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook

from forms import Form

# The national form's project and rows (tests/forms.py), laid out otherwise here:
# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因), 86.33 of 90, and 预算执行率 95% of 10 → 9.5:
# 95.83 in all
_NATIONAL = Form()
NAME, DEPARTMENT, UNIT = _NATIONAL.name, _NATIONAL.department, _NATIONAL.unit
GOAL, DONE = _NATIONAL.goal, _NATIONAL.done
ROWS = _NATIONAL.rows


@dataclass
class Expected:
    """What an officer reads off the form by hand."""
    total: str
    name: str = NAME
    unit: str = UNIT
    department: str = DEPARTMENT
    year: int = 2023
    budget: str = "100"          # 全年预算数, 万元
    paid: str = "95"             # 全年执行数, 万元
    indicators: int = 8          # 三级 rows scored, 预算执行率 included
    self_score: str | None = "same"   # the 总分 typed on the form: the total, or None where there is no 总分 row


class _Sheet:
    def __init__(self, ws):
        self.ws = ws

    def put(self, r, c, value, to_col=None, to_row=None):
        self.ws.cell(r, c, value)
        if to_col or to_row:
            self.ws.merge_cells(start_row=r, start_column=c, end_row=to_row or r, end_column=to_col or c)


def _head(s: _Sheet, r: int, title: str, lines=()) -> int:
    """Title, the lines above the table, 项目名称 and 主管部门/实施单位; returns the next row."""
    s.put(r, 1, title, 10)
    for line in lines:
        r += 1
        for c, text in line:
            s.put(r, c, text)
    s.put(r + 1, 1, "项目名称")
    s.put(r + 1, 2, NAME, 10)
    s.put(r + 2, 1, "主管部门")
    s.put(r + 2, 2, DEPARTMENT, 5)
    s.put(r + 2, 6, "实施单位")
    s.put(r + 2, 7, UNIT, 10)
    return r + 3


FUNDS = [("年度资金总额", 100, 95), ("其中：当年财政拨款", 100, 95), ("上年结转资金", 0, 0), ("其他资金", 0, 0)]


def _funds(s: _Sheet, r: int, label="项目资金（万元）", money=1, rate=lambda p, f: f"{p / f * 100:.2f}%", rows=FUNDS) -> int:
    """The national funds block (年初/全年/执行/分值/执行率/得分), amounts × ``money``; 分值 and 得分 on
    the first row."""
    head = r
    for c, text in zip(range(4, 10), ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        s.put(r, c, text)
    for i, (name, full, paid) in enumerate(rows):
        r += 1
        s.put(r, 2, name, 3)
        for c, v in ((4, full * money), (5, full * money), (6, paid * money)):
            s.put(r, c, v)
        s.put(r, 8, rate(paid, full) if full else "—")
        s.put(r, 7, 10 if i == 0 else "—")
        s.put(r, 9, 9.5 if i == 0 else "—")
    s.put(head, 1, label, None, r)
    return r + 1


def _goals(s: _Sheet, r: int) -> int:
    s.put(r, 1, "年度总体目标", None, r + 1)
    s.put(r, 2, "预期目标", 5)
    s.put(r, 6, "实际完成情况", 10)
    s.put(r + 1, 2, GOAL, 5)
    s.put(r + 1, 6, DONE, 10)
    return r + 2


HEADS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def _indicators(s: _Sheet, r: int, rows, total_label="总分", total=(100, 95.83), heads=HEADS) -> int:
    """The national indicator block from row ``r`` (绩效指标 in A)."""
    first = r
    for c, h in enumerate(heads, start=2):
        s.put(r, c, h)
    for row in rows:
        r += 1
        for c, v in enumerate(row, start=2):
            s.put(r, c, v)
    s.put(first, 1, "绩效指标", None, r)
    r += 1
    s.put(r, 1, total_label, 6)
    s.put(r, 7, total[0])
    s.put(r, 8, total[1])
    return r + 1


def _book(*sheets):
    wb = Workbook()
    wb.remove(wb.active)
    return wb, [_Sheet(wb.create_sheet(name)) for name in sheets]


# ---------------------------------------------------------------- the variants
def year_title_and_signatures():
    """The year inside the title, a 填报单位/填报日期 line (dated the next year), a 项目负责人/联系电话 row,
    and a 填表人/审核人/日期 footer under the table."""
    wb, [s] = _book("Sheet1")
    r = _head(s, 1, "2023年度项目支出绩效自评表", [[(1, "填报单位（盖章）：市市政设施管理中心"), (7, "填报日期：2024年1月20日")]])
    s.put(r, 1, "项目负责人")
    s.put(r, 2, "王建国", 5)
    s.put(r, 6, "联系电话")
    s.put(r, 7, "0871-65432100", 10)
    r = _indicators(s, _goals(s, _funds(s, r + 1)), ROWS)
    s.put(r + 1, 1, "填表人：张丽")
    s.put(r + 1, 4, "审核人：李强")
    s.put(r + 1, 7, "填表日期：2024年1月20日")
    return wb, [Expected("95.83")]


def points_cost_and_subtotals():
    """The 2021 template's 成本指标 as an 一级 of its own, 一级 labels with their points, a 小计 row under
    each 一级, and the 总分 row labelled 合计: 39.33 + 10 + 27 + 10 + 9.5 = 95.83."""
    wb, [s] = _book("自评表")
    r = _goals(s, _funds(s, _head(s, 1, "项目支出绩效自评表（2023年度）")))
    groups = [
        ("产出指标（40分）", [("数量指标", "道路维护面积", "≥12万平方米", "12.6万平方米", 15, 15, ""),
                          ("数量指标", "路灯维修数量", "≥300盏", "280盏", 10, 9.33, "部分路灯待更换灯杆，转入下年"),
                          ("质量指标", "道路完好率", "≥95%", "98%", 10, 10, ""),
                          ("时效指标", "维修及时率", "≥90%", "92%", 5, 5, "")]),
        ("成本指标（10分）", [("经济成本指标", "单位面积维护成本", "≤8元/平方米", "7.6元/平方米", 10, 10, "")]),
        ("效益指标（30分）", [("社会效益指标", "道路通行保障", "有效", "有效", 15, 15, ""),
                          ("可持续影响指标", "设施使用年限延长", "显著提升", "良好", 15, 12, "部分路段超负荷使用")]),
        ("满意度指标（10分）", [("服务对象满意度指标", "市民满意度", "≥90%", "93%", 10, 10, "")]),
    ]
    rows = []
    for level1, items in groups:
        rows += [(level1, *item) for item in items]
        rows.append((level1, "小计", "", "", "", sum(i[4] for i in items), round(sum(i[5] for i in items), 2), ""))
    _indicators(s, r, rows, total_label="合计")
    return wb, [Expected("95.83", indicators=9)]


def two_row_header_reordered():
    """The indicator header over two rows (绩效指标 over 一级/二级/三级, 年度指标值 over 指标性质 and 指标值),
    计量单位 in a column of its own, 得分 before 分值, 偏差原因 and 改进措施 apart."""
    wb, [s] = _book("绩效自评表")
    r = _goals(s, _funds(s, _head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]])))
    s.put(r, 1, "绩效指标", 3)
    s.put(r, 4, "年度指标值", 5)
    for c, h in ((6, "计量单位"), (7, "实际完成值"), (8, "得分"), (9, "分值"), (10, "偏差原因"), (11, "改进措施")):
        s.put(r, c, h, None, r + 1)
    for c, h in enumerate(["一级指标", "二级指标", "三级指标", "指标性质", "指标值"], start=1):
        s.put(r + 1, c, h)
    rows = [
        ("产出指标", "数量指标", "道路维护面积", "≥", 12, "万平方米", 12.6, 20, 20, "", ""),
        ("产出指标", "数量指标", "路灯维修数量", "≥", 300, "盏", 280, 9.33, 10, "部分路灯待更换灯杆", "转入下年更换"),
        ("产出指标", "质量指标", "道路完好率", "≥", 95, "%", 98, 10, 10, "", ""),
        ("产出指标", "时效指标", "平均修复时长", "≤", 48, "小时", 36, 10, 10, "", ""),
        ("效益指标", "社会效益指标", "道路通行保障", "定性", "有效", "", "有效", 15, 15, "", ""),
        ("效益指标", "可持续影响指标", "设施使用年限延长", "定性", "显著提升", "", "良好", 12, 15, "部分路段超负荷使用",
         "加强重载车辆管理"),
        ("满意度指标", "服务对象满意度指标", "市民满意度", "≥", 90, "%", 93, 10, 10, "", ""),
    ]
    r += 1
    for row in rows:
        r += 1
        for c, v in enumerate(row, start=1):
            s.put(r, c, v)
    s.put(r + 1, 1, "总分", 7)
    s.put(r + 1, 8, 95.83)
    s.put(r + 1, 9, 100)
    return wb, [Expected("95.83")]


def money_in_yuan():
    """项目资金（元）: amounts in 元, columns 全年预算数/全年执行数/分值/执行率/得分 (no 年初预算数), 执行率
    typed 95 (a number), 0.95 and "95%"."""
    wb, [s] = _book("Sheet1")
    r = _head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]])
    head = r
    for c, text in zip(range(4, 9), ["全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        s.put(r, c, text)
    for name, full, paid, rate in (("年度资金总额", 1_000_000, 950_000, 95), ("其中：财政拨款", 800_000, 760_000, 0.95),
                                   ("上年结转资金", 200_000, 190_000, "95%"), ("其他资金", 0, 0, "—")):
        r += 1
        s.put(r, 2, name, 3)
        s.put(r, 4, full)
        s.put(r, 5, paid)
        s.put(r, 6, 10 if name == "年度资金总额" else "—")
        s.put(r, 7, rate)
        s.put(r, 8, 9.5 if name == "年度资金总额" else "—")
    s.put(head, 1, "项目资金（元）", None, r)
    _indicators(s, _goals(s, r + 1), ROWS)
    return wb, [Expected("95.83")]


def amount_unit_above_the_table():
    """“金额单位：元” on a line above the table, the funds block's label without a unit."""
    wb, [s] = _book("Sheet1")
    r = _head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")], [(8, "金额单位：元")]])
    _indicators(s, _goals(s, _funds(s, r, label="项目资金", money=10_000)), ROWS)
    return wb, [Expected("95.83")]


def numbers_as_text_and_blank_rows():
    """分值/得分/amounts typed as text (" 9.5 ", "９.３３", "20"), blank rows inside the indicator block,
    and the 总分 row labelled "总  分"."""
    wb, [s] = _book("Sheet1")
    r = _head(s, 1, "项目支出绩效自评表（2023年度）")
    r = _goals(s, _funds(s, r, rate=lambda p, f: f" {p / f * 100:.0f}% "))
    s.put(r - 5, 9, " 9.5 ")
    s.put(r - 5, 5, "100.00")
    texts = {20: "20", 10: " 10 ", 9.33: "９.３３", 15: "１５", 12: "12.0"}
    rows = []
    for k, row in enumerate(ROWS):
        rows.append(row[:5] + (texts.get(row[5], row[5]), texts.get(row[6], row[6]), row[7]))
        if k in (1, 4):
            rows.append(("",) * 8)
    _indicators(s, r, rows, total_label="总  分", total=("100", "95.83"))
    return wb, [Expected("95.83")]


def two_forms_and_a_notes_sheet():
    """A 说明 sheet (栏目 and how to fill each, 项目名称 among them) before a sheet of two forms, the
    second dated in its title and told in 元 on a line above its table."""
    wb, [notes, s] = _book("填表说明", "自评表")
    notes.put(1, 1, "项目支出绩效自评表填表说明", 3)
    for k, (what, how) in enumerate([("项目名称", "按预算批复的项目全称填写"), ("主管部门", "填写一级预算单位"),
                                     ("三级指标", "按批复的绩效目标填写"), ("分值", "各指标分值合计为100分")], start=2):
        notes.put(k, 1, what)
        notes.put(k, 2, how)
    r = _indicators(s, _goals(s, _funds(s, _head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]]))), ROWS)
    r = _head(s, r + 3, "2022年度项目支出绩效自评表", [[(1, "填报日期：2023年2月10日")], [(8, "单位：元")]])
    _indicators(s, _goals(s, _funds(s, r, label="项目资金", money=10_000)), ROWS)
    return wb, [Expected("95.83"), Expected("95.83", year=2022)]


def stacked_with_tall_heads():
    """Two forms on a sheet, each headed by its dated title, a blank row, a 填报单位/填报日期 line dated
    the next year and a 金额单位 line: four rows above 项目名称."""
    wb, [s] = _book("Sheet1")
    r = 1
    for year in (2023, 2022):
        r = _head(s, r, f"{year}年度项目支出绩效自评表", [[], [(1, "填报单位：市市政设施管理中心"),
                                                           (7, f"填报日期：{year + 1}年1月15日")],
                                                     [(8, "金额单位：万元")]])
        r = _indicators(s, _goals(s, _funds(s, r)), ROWS) + 3
    return wb, [Expected("95.83"), Expected("95.83", year=2022)]


def labels_with_their_values():
    """The head typed as one cell a field (项目名称：…, 主管部门：…, 实施单位：…), as forms copied from
    Word are."""
    wb, [s] = _book("Sheet1")
    s.put(1, 1, "项目支出绩效自评表", 10)
    s.put(2, 1, "（2023年度）", 10)
    s.put(3, 1, f"项目名称：{NAME}", 10)
    s.put(4, 1, f"主管部门：{DEPARTMENT}", 5)
    s.put(4, 6, f"实施单位：{UNIT}", 10)
    _indicators(s, _goals(s, _funds(s, 5)), ROWS)
    return wb, [Expected("95.83")]


def sources_named_otherwise():
    """资金来源 rows named as units name them: 财政资金, 一般公共预算资金, 单位自筹 (40 + 40 + 20)."""
    wb, [s] = _book("Sheet1")
    r = _head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]])
    head = r
    for c, text in zip(range(4, 10), ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        s.put(r, c, text)
    for name, full, paid in (("年度资金总额", 100, 95), ("其中：财政资金", 40, 38), ("一般公共预算资金", 40, 38),
                             ("单位自筹", 20, 19)):
        r += 1
        s.put(r, 2, name, 3)
        for c, v in ((4, full), (5, full), (6, paid), (8, f"{paid / full:.2%}")):
            s.put(r, c, v)
        s.put(r, 7, 10 if name == "年度资金总额" else "—")
        s.put(r, 9, 9.5 if name == "年度资金总额" else "—")
    s.put(head, 1, "项目资金（万元）", None, r)
    _indicators(s, _goals(s, r + 1), ROWS)
    return wb, [Expected("95.83")]


def annex_as_printed():
    """The annex's own headers: 全年预算数（A）, 全年执行数（B）, 执行率（B/A）, 年度指标值（A）, 实际完成值（B),
    指标分值; 其中 in a cell of its own left of the source's name."""
    wb, [s] = _book("Sheet1")
    r = _head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]])
    head = r
    for c, text in zip(range(4, 10), ["年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"]):
        s.put(r, c, text)
    for k, (name, full, paid) in enumerate((("年度资金总额", 100, 95), ("当年财政拨款", 80, 76), ("上年结转资金", 20, 19),
                                            ("其他资金", 0, 0))):
        r += 1
        s.put(r, 2, "其中" if k == 1 else None, None, r + 2 if k == 1 else None)
        s.put(r, 3 if k else 2, name, 3)
        for c, v in ((4, full), (5, full), (6, paid), (8, f"{paid / full:.2%}" if full else "—")):
            s.put(r, c, v)
        s.put(r, 7, 10 if k == 0 else "—")
        s.put(r, 9, 9.5 if k == 0 else "—")
    s.put(head, 1, "项目资金（万元）", None, r)
    r = _goals(s, r + 1)
    heads = ["一级指标", "二级指标", "三级指标", "年度指标值（A）", "实际完成值（B）", "指标分值", "得分", "偏差原因分析及改进措施"]
    for c, h in enumerate(heads, start=2):
        s.put(r, c, h)
    first = r
    for row in ROWS:
        r += 1
        for c, v in enumerate(row, start=2):
            s.put(r, c, v)
    s.put(first, 1, "绩效指标", None, r)
    s.put(r + 1, 1, "总分", 6)
    s.put(r + 1, 7, 100)
    s.put(r + 1, 8, 95.83)
    return wb, [Expected("95.83")]


def no_total_row_and_a_footer():
    """No 总分 row: the indicators end at the signatures (填表人 in A, 审核人 under 三级指标, 填表日期)."""
    wb, [s] = _book("Sheet1")
    r = _head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]])
    r = _indicators(s, _goals(s, _funds(s, r)), ROWS)
    s.ws.delete_rows(r - 1)
    for c, text in ((1, "填表人：张丽"), (4, "审核人：李强"), (7, "填表日期：2024年1月20日")):
        s.put(r + 1, c, text)
    return wb, [Expected("95.83", self_score=None)]


def amounts_typed_with_their_units():
    """Amounts typed as text with their unit in a block in 万元: "100万元", "95万", "950,000元"."""
    wb, [s] = _book("Sheet1")
    r = _funds(s, _head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]]))
    for row, cells in ((r - 4, ("100万元", "100万元", "950,000元")), (r - 3, ("100万", "100万", "95万元"))):
        for c, text in zip((4, 5, 6), cells):
            s.put(row, c, text)
    _indicators(s, _goals(s, r), ROWS)
    return wb, [Expected("95.83")]


def headers_worded_otherwise():
    """权重 for 分值, 原因分析 for 偏差原因分析及改进措施, 全年完成情况 for 实际完成值; no 年度资金总额 row,
    the sources alone (财政拨款 80 + 上年结转 20, 分值 and 得分 on the first)."""
    wb, [s] = _book("Sheet1")
    r = _head(s, 1, "项目支出绩效自评表", [[(1, "（2023年度）")]])
    r = _goals(s, _funds(s, r, rows=[("财政拨款", 80, 76), ("上年结转资金", 20, 19)]))
    heads = ["一级指标", "二级指标", "三级指标", "年度指标值", "全年完成情况", "权重", "得分", "原因分析"]
    _indicators(s, r, ROWS, heads=heads)
    return wb, [Expected("95.83")]


VARIANTS = {f.__name__: f for f in (year_title_and_signatures, points_cost_and_subtotals, two_row_header_reordered,
                                    money_in_yuan, amount_unit_above_the_table, numbers_as_text_and_blank_rows,
                                    two_forms_and_a_notes_sheet, stacked_with_tall_heads, labels_with_their_values,
                                    sources_named_otherwise, annex_as_printed, no_total_row_and_a_footer,
                                    amounts_typed_with_their_units, headers_worded_otherwise)}


def save(path, variant: str):
    """Write ``variant`` to ``path``; returns (path, [Expected, …])."""
    wb, expected = VARIANTS[variant]()
    wb.save(path)
    return path, expected
