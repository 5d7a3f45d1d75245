"""Helpers of the projects written as data (county_water, school_meals, hospital_ct, pest_control):
their payments numbered as vouchers, a 比率 indicator's row, and a copy in either outline."""
import copy
import datetime as dt


def payments(paid) -> list[dict]:
    """Rows of 支付 from (ISO date, payee, budget line, 元), numbered 记-001, 记-002…"""
    return [{"支付日期": dt.date.fromisoformat(d), "收款单位": payee, "预算项目": line, "支付金额": amount,
             "凭证号": f"记-{i:03d}"} for i, (d, payee, line, amount) in enumerate(paid, start=1)]


def ratio(l1, l2, name, weight, op, target, actual, unit, reason="") -> dict:
    """A 比率 indicator's row (its 偏差原因 where one is given)."""
    row = {"一级指标": l1, "二级指标": l2, "三级指标": name, "分值": weight, "计分方法": "比率",
           "指标性质": op, "目标值": target, "实际值": actual, "单位": unit}
    return {**row, "偏差原因": reason} if reason else row


def as_report(data: dict, report_type: str, **info) -> dict:
    """A copy of ``data`` as a 绩效评价报告 (as filled) or a 绩效自评报告 (单位自评), with ``info``
    changed in 项目信息."""
    out = copy.deepcopy(data)
    out["项目信息"]["报告类型"] = report_type
    if report_type == "绩效自评报告":
        out["项目信息"]["评价方式"] = "单位自评"
    out["项目信息"].update(info)
    return out
