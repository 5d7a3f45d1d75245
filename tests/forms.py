"""项目支出绩效自评表 as units fill them, written in the layouts of public documents: the national
annex of 财预〔2020〕10号 and provincial variants. Each layout is a function of the rows it holds, so
that a test states the rows and the total they give."""
from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.utils import get_column_letter


@dataclass
class Form:
    name: str = "城区道路维护项目"
    department: str = "市住房和城乡建设局"
    unit: str = "市市政设施管理中心"
    unit_label: str = "实施单位"
    year: int = 2023
    # (label, 年初, 全年, 执行数); the first row is 年度资金总额
    funds: list = field(default_factory=lambda: [
        ("年度资金总额", 100, 100, 95), ("其中：当年财政拨款", 100, 100, 95), ("上年结转资金", 0, 0, 0),
        ("其他资金", 0, 0, 0)])
    execution_points: tuple | None = (10, 9.5)      # (分值, 得分) in the funds block; None: not there
    rate_typed: str | None = None                    # the 执行率 typed on the total row
    goal: str = "完成城区主次干道日常维护，保障道路完好畅通。"
    done: str = "全年完成道路维护12.6万平方米，道路完好率98%。"
    # (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因)
    rows: list = field(default_factory=lambda: [
        ("产出指标", "数量指标", "道路维护面积", "≥12万平方米", "12.6万平方米", 20, 20, ""),
        ("产出指标", "数量指标", "路灯维修数量", "≥300盏", "280盏", 10, 9.33, "部分路灯待更换灯杆，转入下年"),
        ("产出指标", "质量指标", "道路完好率", "≥95%", "98%", 10, 10, ""),
        ("产出指标", "时效指标", "维修及时率", "≥90%", "92%", 10, 10, ""),
        ("效益指标", "社会效益指标", "道路通行保障", "有效", "有效", 15, 15, ""),
        ("效益指标", "可持续影响指标", "设施使用年限延长", "显著提升", "良好", 15, 12, "部分路段超负荷使用"),
        ("满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "93%", 10, 10, ""),
    ])
    total: tuple | None = None                       # (分值, 得分) of the 总分 row; None: the rows' sums
    labels: dict = field(default_factory=dict)       # header words as a province writes them


HEADERS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def write_form(ws, form: Form, top: int = 1) -> int:
    """Write ``form`` from row ``top``; returns the row after it."""
    L = {**{h: h for h in HEADERS}, "全年预算数": "全年预算数", "年初预算数": "年初预算数", "全年执行数": "全年执行数",
         **form.labels}
    r = top

    def put(row, col, value, to_col=None, to_row=None):
        ws.cell(row, col, value)
        if to_col or to_row:
            ws.merge_cells(start_row=row, start_column=col, end_row=to_row or row, end_column=to_col or col)

    put(r, 1, "项目支出绩效自评表", 10)
    put(r + 1, 1, f"（{form.year}年度）", 10)
    r += 2
    put(r, 1, "项目名称")
    put(r, 2, form.name, 10)
    put(r + 1, 1, "主管部门")
    put(r + 1, 2, form.department, 5)
    put(r + 1, 6, form.unit_label)
    put(r + 1, 7, form.unit, 10)
    r += 2
    head = r
    for c, text in zip(range(4, 10), [L["年初预算数"], L["全年预算数"], L["全年执行数"], "分值", "执行率", "得分"]):
        put(r, c, text)
    put(r, 2, "", 3)
    for i, (label, initial, full, paid) in enumerate(form.funds):
        r += 1
        put(r, 2, label, 3)
        put(r, 4, initial)
        put(r, 5, full)
        put(r, 6, paid)
        if i == 0:
            if form.execution_points:
                put(r, 7, form.execution_points[0])
                put(r, 9, form.execution_points[1])
            put(r, 8, form.rate_typed or (f"{paid / full * 100:.2f}%" if full else "—"))
        else:
            put(r, 7, "—")
            put(r, 8, f"{paid / full * 100:.2f}%" if full else "—")
            put(r, 9, "—")
    put(head, 1, "项目资金（万元）", None, r)
    r += 1
    put(r, 1, "年度总体目标", None, r + 1)
    put(r, 2, "预期目标", 5)
    put(r, 6, "实际完成情况", 10)
    put(r + 1, 2, form.goal, 5)
    put(r + 1, 6, form.done, 10)
    r += 2
    first = r
    put(r, 1, "绩效指标")
    for c, h in enumerate(HEADERS, start=2):
        put(r, c, L[h], 10 if c == 9 else None)
    start = r + 1
    for row in form.rows:
        r += 1
        for c, value in enumerate(row, start=2):
            put(r, c, value, 10 if c == 9 else None)
    # merged 一级/二级 as people make them
    for col in (2, 3):
        run = start
        for k in range(start, r + 2):
            if k > r or ws.cell(k, col).value != ws.cell(run, col).value or \
                    (col == 3 and ws.cell(k, 2).value != ws.cell(run, 2).value):
                if k - 1 > run:
                    for j in range(run + 1, k):
                        ws.cell(j, col).value = None
                    ws.merge_cells(start_row=run, start_column=col, end_row=k - 1, end_column=col)
                run = k
    ws.merge_cells(start_row=first, start_column=1, end_row=r, end_column=1)
    r += 1
    if form.total is None:
        weights = sum(row[5] for row in form.rows) + (form.execution_points[0] if form.execution_points else 0)
        scores = sum(row[6] for row in form.rows) + (form.execution_points[1] if form.execution_points else 0)
    total = form.total or (weights, round(scores, 2))
    put(r, 1, "总分", 6)
    put(r, 7, total[0])
    put(r, 8, total[1])
    for c in range(1, 11):
        ws.column_dimensions[get_column_letter(c)].width = 14
    return r + 1


def save_forms(path, *forms: Form, one_sheet: bool = True) -> object:
    """Several forms stacked on one sheet (two blank rows apart), or one a sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    top = 1
    for i, form in enumerate(forms):
        if not one_sheet and i:
            ws = wb.create_sheet(f"自评表{i + 1}")
            top = 1
        top = write_form(ws, form, top) + 2
    wb.save(path)
    return path


# ---------------------------------------------------------------- the six layouts
def national() -> Form:
    """The annex of 财预〔2020〕10号 as printed."""
    return Form()


def sichuan() -> Form:
    """A Sichuan form: 财政专户管理资金 and 单位资金 rows, 项目实施单位, 一级 labels with their points."""
    f = Form(unit_label="项目实施单位")
    f.funds = [("年度资金总额", 120, 120, 114), ("其中：财政拨款", 80, 80, 78), ("财政专户管理资金", 20, 20, 18),
               ("单位资金", 20, 20, 18), ("其他资金", 0, 0, 0)]
    f.rows = [(f"{a}（{ {'产出指标': 50, '效益指标': 30, '满意度指标': 10}[a]}分）", *rest) for a, *rest in f.rows]
    return f


def adjusted() -> Form:
    """年初 ≠ 全年: the budget was raised during the year."""
    f = Form()
    f.funds = [("年度资金总额", 80, 100, 95), ("其中：当年财政拨款", 80, 100, 95), ("上年结转资金", 0, 0, 0),
               ("其他资金", 0, 0, 0)]
    return f


def execution_under_management() -> Form:
    """预算执行率 as an indicator row under 项目管理, not in the funds block."""
    f = Form(execution_points=None)
    f.rows = [("项目管理", "资金管理", "预算执行率", "100%", "95%", 10, 9.5, "部分工程款待结算")] + f.rows
    return f


def satisfaction_under_outcome() -> Form:
    """满意度 under 效益 (产出/效益 only, as some provinces do)."""
    f = Form()
    f.rows = [row if row[0] != "满意度指标" else ("效益指标", "满意度指标", *row[2:]) for row in f.rows]
    return f


def text_targets() -> Form:
    """Targets and results in words, and one that did not apply this year."""
    f = Form()
    f.rows = [
        ("产出指标", "数量指标", "道路维护面积", "≥12万平方米", "12.6万平方米", 25, 25, ""),
        ("产出指标", "质量指标", "维护质量", "合格", "合格", 15, 15, ""),
        ("产出指标", "时效指标", "完成时间", "2023年12月", "2023年11月", 10, 10, ""),
        ("效益指标", "社会效益指标", "道路通行保障", "有效", "有效", 15, 15, ""),
        ("效益指标", "社会效益指标", "设施使用年限延长", "显著提升", "良好", 10, 8, "部分路段超负荷使用"),
        ("效益指标", "可持续影响指标", "设备轮换", "完成轮换", "无（没有轮换）", 5, 5, ""),
        ("满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "93%", 10, 10, ""),
    ]
    return f


LAYOUTS = {"national": national, "sichuan": sichuan, "adjusted": adjusted,
           "execution_under_management": execution_under_management,
           "satisfaction_under_outcome": satisfaction_under_outcome, "text_targets": text_targets}
