"""Large workbooks: the text figure checks find names in one pass and give the findings the old
checks (a pattern per name per text, tests/textchecks_per_name.py) give; a 2,000-indicator
workbook checks and builds within the default time limit. Timings are the benchmark's (bench/)."""
import random
import re

import pytest

from big_workbooks import grown
from conftest import check_data
from textchecks_per_name import per_name

from perfeval import textchecks as T
from perfeval.batch import run_workbooks
from perfeval.template import write_workbook

# Indicators whose names hold one another, or characters a pattern would read as its own:
# (name, 指标性质, 目标值, 实际值, 单位); each worth 0.5 points at every size.
PLANTED = [
    ("设备完好率", "≥", 95, 97, "%"),
    ("重点设备完好率", "≥", 90, 99, "%"),          # holds 设备完好率
    ("重点设备", "≥", 10, 12, "台"),               # begins 重点设备完好率
    ("验收合格率(%)", "≥", 98, 100, "%"),
    ("5G+基站覆盖率", "≥", 80, 85, "%"),
    ("12329热线接通率", "≥", 95, 96.5, "%"),        # digits, and a part of a budget line's name
    ("故障率", "≤", 2, 0.5, "%"),
    ("系统故障率", "≤", 1, 0.3, "%"),              # holds 故障率
    ("巡检次数", "≥", 12, 12, "次"),
    ("巡检次数达标率", "≥", 95, 100, "%"),          # begins with 巡检次数: both named at one place
]
# Paragraphs put first in 文字说明 (rows 2–10), each with the figures it gets wrong.
PARAGRAPHS = [
    ("主要绩效", "重点设备完好率为98%，设备完好率为97%，重点设备12台。"),       # 98: 设备完好率 is listed first
    ("主要绩效", "验收合格率(%)为99%，5G+基站覆盖率达到85%，12329热线接通率为96%。"),   # 99, 96
    ("主要绩效", "系统故障率为0.5%，故障率不高于2%。"),                      # 0.5 is 故障率's, not 系统故障率's
    ("项目产出情况", "公积金业务系统预算340万元，实际支出313.29万元；机房维保2万元。"),   # 340, 2
    ("项目决策情况", "设备完好率、重点设备完好率均达到年度目标，合计得分1分。"),     # 1
    ("项目决策情况", "重点设备完好率得分0.4分。"),                          # 0.4
    ("主要绩效", "设备完好率设备完好率为96%。"),                             # 96
    ("主要绩效", "使用人员满意度为88%。"),                                  # 88
    ("主要绩效", "综合服务平台及12329热线接通率为96.5%，全年执行率为85.98%。"),   # agrees
    ("项目过程情况", "巡检次数达标率得分0.4分。"),                          # 0.4
]
EXPECTED_CELLS = ["B2", "B3", "B3", "B4", "B5", "B5", "B6", "B7", "B8", "B9", "B11"]


def planted(indicators: int, payments: int = 200) -> dict:
    """The grown example with PLANTED as its first indicators and PARAGRAPHS as its first text: the
    same cells say the same things at every size, so the findings do not depend on the size."""
    data = grown(indicators, payments)
    rows = data["绩效指标"]
    decision = [row for row in rows if row["一级指标"] == "决策"]
    assert len(decision) > len(PLANTED)
    for row, (name, op, target, actual, unit) in zip(decision, PLANTED):
        row.update({"三级指标": name, "指标性质": op, "目标值": target, "实际值": actual, "单位": unit, "分值": 0.5,
                    "评分说明": f"{name}：目标值为{target}{unit}，实际完成值为{actual}{unit}，得分0.5分。"})
    rest = decision[len(PLANTED):]
    cents = [(2000 - 50 * len(PLANTED)) // len(rest)] * len(rest)
    cents[-1] += 2000 - 50 * len(PLANTED) - sum(cents)
    for row, c in zip(rest, cents):
        row["分值"] = c / 100
        row["评分说明"] = f"{row['三级指标']}：目标值为{row['目标值']}%，实际完成值为{row['实际值']}%，得分{c / 100:g}分。"
    data["文字说明"][:0] = [{"章节": slot, "内容": text} for slot, text in PARAGRAPHS]
    return data


def as_tuples(findings):
    return [(f.code, f.severity.value, f.sheet, f.cell, f.message) for f in findings]


@pytest.fixture(scope="module")
def per_name_findings_100():
    """What the old checks find in the 100-indicator workbook."""
    with pytest.MonkeyPatch.context() as mp:
        per_name(mp)
        return as_tuples(check_data(planted(100)).findings)


def test_the_old_checks_find_each_planted_figure(per_name_findings_100):
    text = [f for f in per_name_findings_100 if f[0] == "TEXT_FIGURE" and f[2] == "文字说明"
            and int(f[3][1:]) <= len(PARAGRAPHS) + 1]
    assert [f[3] for f in text] == EXPECTED_CELLS, text
    quoted = ["98%", "99%", "96%", "0.5%", "340万元", "2万元", "得分1分", "得分0.4分", "96%", "88%", "得分0.4分"]
    assert all(f"“{q}”" in f[4] for f, q in zip(text, quoted)), text


def test_one_pass_finds_what_a_pattern_per_name_finds(per_name_findings_100):
    assert as_tuples(check_data(planted(100)).findings) == per_name_findings_100


def test_2000_indicators_check_and_build_with_the_findings_of_100(tmp_path, per_name_findings_100):
    path = write_workbook(tmp_path / "部门整体.xlsx", planted(2000))
    [record] = run_workbooks([path], "build", outdir=tmp_path / "out", keep_findings=True).records
    assert record.status in ("成功", "有错误") and record.report, record.reason
    assert as_tuples(record.findings) == per_name_findings_100
    from openpyxl import load_workbook
    names = [row[3] for row in load_workbook(record.form).active.iter_rows(values_only=True)]
    assert names.count("系统故障率") == 1 and len(names) > 2000


def test_a_figure_named_last_of_2000_is_compared():
    data = planted(2000)
    before = as_tuples(check_data(data).findings)
    last = [row for row in data["文字说明"] if row["章节"] == "主要绩效"][-1]    # the last 20 indicators' results
    name, _, value = last["内容"].rstrip("。").split("，")[-1].partition("为")
    assert value.endswith("%") and name == data["绩效指标"][-2]["三级指标"]
    last["内容"] = last["内容"].replace(f"{name}为{value}", f"{name}为91%")
    [found] = [f for f in as_tuples(check_data(data).findings) if f not in before]
    assert "“91%”" in found[4] and f"指标“{name}”的实际值" in found[4]


# ---------------------------------------------------------------- the one pass, piece by piece
PIECES = ["设备", "完好率", "重点", "故障率", "系统", "(%)", "+", "12329", "热线", "为", "：", "不低于", "≥", "达到",
          "，", "。", "较上年", "96", "0.5", "%", "万元", "元", "台", " ", "\n", "得分", "3"]
NAMES = ["设备完好率", "重点设备完好率", "重点设备", "故障率", "系统故障率", "故障率(%)", "12329热线", "热线",
         "设备", "系统故障", "5G+设备", "为96"]


def texts(n=400, seed=7):
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES + NAMES) for _ in range(rng.randint(1, 30))) for _ in range(n)]


def brute_occurrences(names, text):
    found = []
    for name in names:
        at = text.find(name)
        while at >= 0:
            found.append((at, name))
            at = text.find(name, at + 1)
    return sorted(found, key=lambda hit: (hit[0], -len(hit[1])))


@pytest.mark.parametrize("depth", [0, 1, 4])
def test_every_occurrence_of_every_name_is_found(monkeypatch, depth):
    monkeypatch.setattr(T._Names, "DEPTH", depth)
    names = T._Names(NAMES)
    for text in texts():
        assert names.find(text) == brute_occurrences(NAMES, text), text


def test_names_then_what_follows_as_a_pattern_per_name_finds_it(seed000_data):
    ctx = T._Ctx(check_data(seed000_data).evaluation)
    ctx.names = T._Names(NAMES)
    by_name = {name: [(k, name)] for k, name in enumerate(NAMES)}
    for text in texts():
        for tail in (T._INDICATOR_TAIL, T._LINE_TAIL):
            expected = [(name, m.start(), m.groups()) for name in NAMES
                        for m in re.finditer(re.escape(name) + tail.pattern, text)]
            got = [(name, m.start() - len(name), m.groups()) for name, m in T._after_names(ctx, text, by_name, tail)]
            assert got == expected, text


def test_the_names_in_a_clause_are_those_wholly_inside_it(seed000_data):
    ctx = T._Ctx(check_data(seed000_data).evaluation)
    ctx.names = T._Names(NAMES)
    rng = random.Random(3)
    for text in texts():
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        clause = text[start:end]
        expected = {name: start + clause.rfind(name) for name in NAMES if name in clause}
        assert ctx.named_in(text, start, end) == expected, (text, start, end)
