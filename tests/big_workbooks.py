"""Workbooks far larger than the examples, for the tests of page breaks: 60 indicators."""
import copy

import seed000
import seed004


def _split(row: dict, n: int) -> list[dict]:
    """``row`` as ``n`` indicators whose 分值 add up to its own (in hundredths of a point)."""
    cents = [int(row["分值"] * 100) // n] * n
    cents[-1] += int(row["分值"] * 100) - sum(cents)
    return [dict(row, 三级指标=f"{row['三级指标']}{k + 1}", 分值=c / 100, 填报得分=None, 评分说明=None)
            for k, c in enumerate(cents)]


def evaluation_with_60_indicators() -> dict:
    """Seed 000 with its 效益 and 产出 indicators split into many (the same 100 points)."""
    data = copy.deepcopy(seed000.DATA)
    rows = []
    for row in data["绩效指标"]:
        if row["三级指标"] in ("稳定支撑公积金业务运行", "软件维护数量", "系统故障率"):
            rows += _split(row, {"稳定支撑公积金业务运行": 25, "软件维护数量": 10, "系统故障率": 10}[row["三级指标"]])
        else:
            rows.append(row)
    data["绩效指标"] = rows
    return data


def self_evaluation_with_60_indicators() -> dict:
    """Seed 004 (a 自评表 with long 二级 names) with 产出 and 效益 split into many indicators."""
    data = copy.deepcopy(seed004.DATA)
    rows = []
    for row in data["绩效指标"]:
        if row["一级指标"] in ("产出指标", "效益指标"):
            rows += _split(row, 7 if row["一级指标"] == "产出指标" else 8)
        else:
            rows.append(row)
    data["绩效指标"] = rows
    return data
