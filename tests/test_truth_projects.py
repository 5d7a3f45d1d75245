"""Three more projects read as the officer who signs the report: a school-meal subsidy with money not
all in place (school_meals), a CT scanner bought under one contract paid before it was signed, an
indicator 不适用 (hospital_ct), and a 部门评价 by an agency whose paragraphs quote figures, some wrong
(pest_control)."""
import docx
import pytest

from perfeval.findings import Code
from perfeval.pipeline import build_workbook
from perfeval.template import write_workbook

import hospital_ct
import pest_control
import school_meals
from conftest import check_data, found


def paragraphs(path):
    return [p.text for p in docx.Document(path).paragraphs if p.text.strip()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each project built as a 绩效评价报告 and as a 绩效自评报告: {(module name, kind): result}."""
    folder = tmp_path_factory.mktemp("projects")
    out = {}
    for module in (school_meals, hospital_ct, pest_control):
        for kind in ("绩效评价报告", "绩效自评报告"):
            name = f"{module.__name__}-{kind}"
            path = write_workbook(folder / f"{name}.xlsx", module.data(kind))
            out[module.__name__, kind] = build_workbook(path, folder / "out", force=True)
    return out


def text_of(built, module, kind="绩效评价报告"):
    return "\n".join(paragraphs(built[module.__name__, kind].report))


# ---------------------------------------------------------------- the evaluator's figures
def test_a_percentage_typed_with_the_values_is_compared_where_the_unit_column_is_blank():
    """防治效果 88% against a target of 90%, 单位 left blank: the paragraph's “达到92%” is not the data."""
    r = check_data(pest_control.data())
    texts = {f.where: f.message for f in found(r, Code.TEXT_FIGURE)}
    assert "“92%”与数据不符：指标“病虫害防治效果”的实际值/目标值为88%（目标值90%）" in texts["文字说明!B4"]
    assert "“416万元”与数据不符" in texts["文字说明!B3"]
    assert "“95.61分”与数据不符：总分为96.61分" in texts["文字说明!B5"]
    assert len(texts) == 3          # 470万元, 98.09%, 21.5万亩, 600份 and 500/40/60 are right
