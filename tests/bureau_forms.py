"""A bureau's spring: many units' 自评表, of every quality, as tests/forms.py writes them. Each form
is drawn from a seeded generator so that a batch has every grade, low 执行率, missed targets and
the usual slips (a 总分 not adding up, 分值 not summing to 100, no 偏差原因); ``previous`` gives the
same projects a year earlier, for the year-over-year comparison."""
from __future__ import annotations

import random
from pathlib import Path

from forms import Form, save_forms

DEPARTMENTS = {
    "市住房和城乡建设局": ["市市政设施管理中心", "市园林绿化服务中心", "市建设工程质量安全站"],
    "市教育局": ["市第一中学", "市实验小学", "市教育技术装备中心"],
    "市交通运输局": ["市公路事务中心", "市交通运输综合执法支队"],
    "市卫生健康委员会": ["市人民医院", "市疾病预防控制中心", "市妇幼保健院"],
    "市农业农村局": ["市农业技术推广中心", "市农村经济服务中心"],
}
TOPICS = ["道路维护", "校舍维修", "公路养护", "医疗设备购置", "农田建设", "绿化养护", "信息系统运维", "疫苗接种服务",
          "安全监督检查", "技术推广培训"]


def form_for(i: int, rng: random.Random, year: int) -> Form:
    """Form ``i``: its department, unit and name fixed by ``i``, its figures drawn from ``rng``."""
    department = list(DEPARTMENTS)[i % len(DEPARTMENTS)]
    units = DEPARTMENTS[department]
    unit = units[(i // len(DEPARTMENTS)) % len(units)]
    name = f"{year}年{TOPICS[i % len(TOPICS)]}项目（第{i + 1}号）"
    q = rng.choice([1.0, 1.0, 1.0, 0.97, 0.93, 0.85, 0.7, 0.5])      # how well the year went
    rate = rng.choice([1.0, 0.98, 0.95]) if q > 0.8 else rng.choice([0.92, 0.8, 0.65])
    form = graded(name, department, unit, year, q, rate, rng, explained=rng.random() >= 0.25)
    if i % 7 == 3:      # a 总分 that is not the sum of its rows
        form.total = (100, round(sum(r[6] for r in form.rows) + form.execution_points[1] + 2, 2))
    if i % 11 == 5:     # 分值 of 105
        form.rows[0] = form.rows[0][:5] + (25, form.rows[0][6] + 5, form.rows[0][7])
    return form


def graded(name, department, unit, year, q: float, rate: float, rng: random.Random, explained=True) -> Form:
    """A form whose indicators reached ``q`` of their targets (1.0: all met; 0.7: 中; 0.5: 差) and
    whose funds were ``rate`` spent."""
    full = rng.randrange(50, 500)
    paid = round(full * rate, 2)
    reason = "受项目实施进度影响，已制定整改措施" if explained else ""

    def numeric(target, unit_, weight):
        f = 1.0 if q == 1.0 else min(1.0, q + rng.uniform(-0.05, 0.05))
        actual = round(target * f, 1)
        score = round(weight * actual / target, 2)
        return f"≥{target}{unit_}", f"{actual:g}{unit_}", weight, score, "" if score >= weight else reason

    def judged(weight):
        score = weight if q > 0.9 else round(weight * (0.8 if q > 0.7 else 0.4), 2)
        return score, "" if score >= weight else reason

    rows = [("产出指标", "数量指标", "完成工作量", *numeric(120, "项", 20)),
            ("产出指标", "数量指标", "服务覆盖数量", *numeric(300, "个", 10)),
            ("产出指标", "质量指标", "验收合格率", *numeric(95, "%", 10)),
            ("产出指标", "时效指标", "按时完成率", *numeric(90, "%", 10)),
            ("效益指标", "社会效益指标", "服务保障作用", "有效", "有效" if q > 0.9 else "基本有效", 15, *judged(15)),
            ("效益指标", "可持续影响指标", "长效机制建设", "显著提升", "良好", 15, *judged(15)),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", *numeric(90, "%", 10))]
    return Form(name=name, department=department, unit=unit, year=year,
                funds=[("年度资金总额", full, full, paid), ("其中：当年财政拨款", full, full, paid),
                       ("上年结转资金", 0, 0, 0), ("其他资金", 0, 0, 0)],
                execution_points=(10, round(10 * paid / full, 2)), rows=rows)


def make_forms(folder, n: int = 30, year: int = 2023, seed: int = 7) -> list[Path]:
    """``n`` forms, one file each, into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    return [save_forms(folder / f"自评表{i + 1:04d}.xlsx", form_for(i, rng, year)) for i in range(n)]
