"""Workbooks far larger than the examples, for the tests of page breaks: 60 indicators."""
import copy
import datetime as dt

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


# ---------------------------------------------------------------- seed 000 grown row by row
_PLACES = ["天山区", "沙依巴克区", "新市区", "水磨沟区", "头屯河区", "达坂城区", "米东区", "乌鲁木齐县", "高新区",
           "经开区", "甘泉堡", "城北片区", "城南片区", "老城区", "会展片区", "西山片区", "东山片区", "南湖片区",
           "北京路片区", "河滩路沿线"]
_OBJECTS = ["供水管网", "路灯设施", "公共厕所", "垃圾转运站", "公园绿地", "监控点位", "停车泊位", "公交站台",
            "消防栓", "排水管道"]
_METRICS = ["完好率", "巡检覆盖率", "维修及时率", "验收合格率", "故障修复率", "考核达标率", "设备在线率",
            "整改完成率", "台账完整率", "资料归档率"]
# 一级 of the generated 比率 indicators and the points they share (the rest: 资金到位率, 预算执行率
# and 使用人员满意度 of seed 000, 5 points each); the 一级 weights do not change with the count.
_SHARES = [("决策", "项目决策", 20), ("过程", "组织实施", 10), ("产出", "产出质量", 40), ("效益", "项目效益", 15)]


def grown_name(k: int) -> str:
    """The name of the k-th generated indicator: 区域 × 对象 × 指标 (2,000 distinct, then numbered)."""
    place = _PLACES[k % len(_PLACES)]
    obj = _OBJECTS[k // len(_PLACES) % len(_OBJECTS)]
    metric = _METRICS[k // (len(_PLACES) * len(_OBJECTS)) % len(_METRICS)]
    lap = k // (len(_PLACES) * len(_OBJECTS) * len(_METRICS))
    return f"{place}{obj}{metric}" + (f"（{lap + 1}）" if lap else "")


def _counts(n: int) -> list[int]:
    """How many of ``n`` generated indicators each 一级 of _SHARES holds (at least one each)."""
    total = sum(w for _, _, w in _SHARES)
    counts = [max(1, n * w // total) for _, _, w in _SHARES]
    counts[2] += n - sum(counts)
    return counts


def _payments(n: int) -> list[dict]:
    """Seed 000's five payments as ``n`` (at least 5) instalments, each payee's in proportion to
    what it was paid (same total per payee), no two alike: each round of 365 instalments on the
    days of the year, the next round a yuan apart."""
    seed = seed000.DATA["支付"]
    total = sum(p["支付金额"] for p in seed)
    extra = [(n - len(seed)) * p["支付金额"] / total for p in seed]
    per = [1 + int(x) for x in extra]
    for j in sorted(range(len(seed)), key=lambda j: int(extra[j]) - extra[j])[:n - sum(per)]:
        per[j] += 1                          # largest remainders
    rows = []
    for p, parts in zip(seed, per):
        share = p["支付金额"] // parts
        amounts = [share + k // 365 * (1 if k % 2 else -1) for k in range(parts - 1)]
        amounts.append(p["支付金额"] - sum(amounts))
        for k, amount in enumerate(amounts):
            day = p["支付日期"].replace(month=1, day=1) + dt.timedelta(days=k % 365)
            rows.append(dict(p, 支付日期=day, 支付金额=amount))
    return rows


def grown(indicators: int = 20, payments: int = 5) -> dict:
    """Seed 000 grown row by row: ``indicators`` 三级 indicators (3 of the seed's, the rest 比率
    indicators named by grown_name, each with a 评分说明 quoting its target, result and score) and
    ``payments`` payments; 文字说明 keeps the seed's chapters, tells each 一级's structure and
    names every indicator with its result in 主要绩效, 20 to a paragraph. The text agrees with the
    data, and the 一级 weights and scores are the same at every size: what the checks report
    does not depend on the size."""
    data = copy.deepcopy(seed000.DATA)
    kept = {row["三级指标"]: row for row in data["绩效指标"]}
    in_place, execution, satisfaction = kept["资金到位率"], kept["预算执行率"], kept["使用人员满意度"]
    execution["评分说明"] = execution["评分说明"].replace("全年执行率为85.9%", "全年执行率为85.98%")
    satisfaction["评分说明"] = satisfaction["评分说明"].replace("满分5分，得分5分", "满分5分，得分4.5分")
    satisfaction["偏差原因"] = "有5份问卷为基本满意，下一步加强系统培训。"
    data["项目信息"]["年度目标"] = data["项目信息"]["年度目标"].replace("满意度大于90%", "满意度不低于90%")
    rows, named, k = [], [], 0
    for (level1, level2, points), n in zip(_SHARES, _counts(indicators - 3)):
        cents = [points * 100 // n] * n
        cents[-1] += points * 100 - sum(cents)
        group = []
        for c in cents:
            name, target, actual = grown_name(k), 95, 96 + k % 5
            weight = c / 100
            group.append({"一级指标": level1, "二级指标": f"{level2}{len(group) // 10 + 1}", "三级指标": name,
                          "分值": weight, "计分方法": "比率", "指标性质": "≥", "目标值": target, "实际值": actual,
                          "单位": "%", "指标解释": _QUALITY_TEXT,
                          "评分说明": f"{name}：目标值为{target}%，实际完成值为{actual}%，得分{weight:g}分。"})
            named.append((name, actual))
            k += 1
        if level1 == "过程":
            group[:0] = [in_place, execution]
        rows += group
    data["绩效指标"] = rows + [satisfaction]
    data["支付"] = _payments(payments)
    level2 = {}
    for row in data["绩效指标"]:
        level2.setdefault(row["一级指标"], set()).add(row["二级指标"])
    chapters = {"决策": "项目决策情况", "过程": "项目过程情况", "产出": "项目产出情况", "效益": "项目效益情况"}
    narrative = []
    for row in data["文字说明"]:
        if "指标构成" in row["内容"] or "得分" in row["内容"]:
            continue                      # told below, with this size's counts
        narrative.append(row)
        if row["章节"] == "主要绩效":
            for start in range(0, len(named), 20):
                narrative.append({"章节": "主要绩效", "内容": "，".join(
                    f"{name}为{actual}%" for name, actual in named[start:start + 20]) + "。"})
    for level1, chapter in chapters.items():
        n3 = sum(1 for row in data["绩效指标"] if row["一级指标"] == level1)
        points = sum(w for l1, _, w in _SHARES if l1 == level1) + (10 if level1 == "过程" else 0)
        narrative.append({"章节": chapter, "内容": f"项目{level1}指标由{len(level2[level1])}个二级指标和{n3}个"
                                                 f"三级指标构成，权重为{points}分，实际得分"
                                                 f"{points - 0.7 if level1 == '过程' else points}分。"})
    data["文字说明"] = narrative
    return data


_QUALITY_TEXT = "项目完成的质量达标产出数与实际产出数的比率，用以反映和考核项目产出质量目标的实现程度。"
