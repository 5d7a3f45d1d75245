"""Native Word charts (DrawingML), editable in Word and WPS like a chart the user made.

python-docx has no chart API, so a chart is written as its own part
(``word/charts/chartN.xml``) with its data both cached in the XML (what Word, WPS
and LibreOffice draw) and in an embedded workbook (what "编辑数据" opens). Fonts
are named in the chart's text properties, so Chinese labels need no font files.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from html import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .. import xlsxsafe
from ..figures import round_half_up
from .style import TABLE_TEXT, TEXT_WIDTH, em_width, set_style, style_ids

CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLORS = ["2F5597", "C55A11", "548235", "7F6000"]


@dataclass
class Series:
    name: str
    values: list[Decimal]


@dataclass
class BarChart:
    title: str
    categories: list[str]
    series: list[Series]
    number_format: str = "#,##0.00"   # of the value labels
    axis_format: str = "#,##0"        # of the value axis: whole numbers (whole percent: "0%")
    unit: Decimal = Decimal(1)        # the axis steps are whole multiples of this (0.01 for a percent)


# Text of the chart (10 points) and the room it takes, to leave space at the bar ends for the labels.
FONT_PT = 10
CHART_PT = TEXT_WIDTH / 12700      # points (TEXT_WIDTH is in EMU)


def _label_text(value: Decimal, number_format: str) -> str:
    if number_format.endswith("%"):
        return f"{Decimal(value) * 100:.2f}%"
    return f"{Decimal(value):,.2f}"


def axis_scale(chart: BarChart) -> tuple[Decimal, Decimal]:
    """(maximum, major unit) of the value axis: steps of 1, 2 or 5 (times a power of ten, never
    finer than ``chart.unit``), about five of them, and room beyond the longest bar for its label
    (labels sit outside the bar ends, never over a bar or over the plot's edge)."""
    values = [v for s in chart.series for v in s.values if v is not None]
    top = max(values, default=Decimal(0))
    if top <= 0:
        return chart.unit * 5, chart.unit
    label = max(em_width(_label_text(v, chart.number_format)) for v in values) * FONT_PT + 8
    names = max((em_width(c) for c in chart.categories), default=0) * FONT_PT
    plot = max(CHART_PT - min(names, CHART_PT * 0.4) - 30, CHART_PT * 0.4)
    need = Decimal(float(top) / max(0.2, 1 - label / plot))
    step = None
    for power in range(-6, 12):
        for m in (1, 2, 5):
            candidate = Decimal(m).scaleb(power)
            if candidate >= chart.unit and candidate * 6 >= need:
                step = candidate
                break
        if step is not None:
            break
    steps = (need / step).to_integral_value(rounding=ROUND_CEILING)
    return step * steps, step


SHEET = "xl/worksheets/sheet1.xml"
_WORKBOOK_PARTS: dict[str, bytes] = {}     # an embedded workbook's parts, as openpyxl writes them
QUOTED = 1                                 # its cell format with quotePrefix (see _workbook_blob)


def _workbook_blob(chart: BarChart) -> bytes:
    """The chart's data as a workbook: openpyxl's parts of an empty one (made once), with the
    sheet written here (a workbook saved by openpyxl for every chart cost a tenth of a report)."""
    if not _WORKBOOK_PARTS:
        wb = Workbook()
        wb.active.title = "Sheet1"
        wb.active["A1"].quotePrefix = True     # styles.xml gets the cell format QUOTED: text kept as text
        buf = io.BytesIO()
        wb.save(buf)
        with zipfile.ZipFile(buf) as saved:
            _WORKBOOK_PARTS.update((name, saved.read(name)) for name in saved.namelist())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _WORKBOOK_PARTS.items():
            z.writestr(name, _sheet_xml(chart) if name == SHEET else data)
    return out.getvalue()


def _sheet_xml(chart: BarChart) -> bytes:
    """Sheet1: the series' names across, a category and its values on each row below; column A
    30 characters wide."""
    rows = [[""] + [s.name for s in chart.series]]
    rows += [[cat] + [float(s.values[i]) for s in chart.series] for i, cat in enumerate(chart.categories)]
    cells = []
    for r, row in enumerate(rows, start=1):
        values = []
        for c, value in enumerate(row, start=1):
            ref = f"{get_column_letter(c)}{r}"
            if isinstance(value, float):
                values.append(f'<c r="{ref}" t="n"><v>{value:.15g}</v></c>')
            elif value:          # text; one a spreadsheet would take for a formula marked quotePrefix
                style = f' s="{QUOTED}"' if xlsxsafe.risky(value) else ""
                values.append(f'<c r="{ref}" t="inlineStr"{style}><is><t>{escape(value, quote=False)}</t></is></c>')
        cells.append(f'<row r="{r}">{"".join(values)}</row>')
    last = f"{get_column_letter(max(len(row) for row in rows))}{len(rows)}"
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr>'
            '<outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/></sheetPr>'
            f'<dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0">'
            '<selection activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
            '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
            '<cols><col width="30" customWidth="1" min="1" max="1"/></cols>'
            f'<sheetData>{"".join(cells)}</sheetData>'
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
            '</worksheet>').encode("utf-8")


def _str_cache(ref: str, values: list[str]) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{escape(v)}</c:v></c:pt>' for i, v in enumerate(values))
    return f"<c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val=\"{len(values)}\"/>{pts}</c:strCache></c:strRef>"


def _num_cache(ref: str, values: list[Decimal], fmt: str) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values))
    return (f"<c:numRef><c:f>{ref}</c:f><c:numCache><c:formatCode>{fmt}</c:formatCode>"
            f"<c:ptCount val=\"{len(values)}\"/>{pts}</c:numCache></c:numRef>")


def _text_props(size: int, east_asian: str, latin: str, bold: bool = False) -> str:
    b = ' b="1"' if bold else ' b="0"'
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}"{b}>'
            f'<a:latin typeface="{escape(latin)}"/><a:ea typeface="{escape(east_asian)}"/>'
            f'<a:cs typeface="{escape(latin)}"/></a:defRPr></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>')


def chart_xml(chart: BarChart, workbook_rid: str, east_asian: str, latin: str) -> bytes:
    n = len(chart.categories)
    cat_ref = f"Sheet1!$A$2:$A${n + 1}"
    series = []
    for k, s in enumerate(chart.series):
        col = get_column_letter(k + 2)
        series.append(
            f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/>'
            f"<c:tx>{_str_cache(f'Sheet1!${col}$1', [s.name])}</c:tx>"
            f'<c:spPr><a:solidFill><a:srgbClr val="{COLORS[k % len(COLORS)]}"/></a:solidFill></c:spPr>'
            f'<c:invertIfNegative val="0"/>'
            f"<c:cat>{_str_cache(cat_ref, chart.categories)}</c:cat>"
            f"<c:val>{_num_cache(f'Sheet1!${col}$2:${col}${n + 1}', s.values, chart.number_format)}</c:val>"
            f"</c:ser>")
    top, step = axis_scale(chart)
    maximum = f'<c:max val="{top:f}"/>'
    title_run = (f'<a:r><a:rPr lang="zh-CN" sz="1200" b="1"><a:latin typeface="{escape(latin)}"/>'
                 f'<a:ea typeface="{escape(east_asian)}"/></a:rPr><a:t>{escape(chart.title)}</a:t></a:r>')
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<c:date1904 val="0"/><c:lang val="zh-CN"/><c:roundedCorners val="0"/>'
        "<c:chart>"
        f"<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p>{title_run}</a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        "<c:plotArea><c:layout/>"
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        + "".join(series) +
        f'<c:dLbls><c:numFmt formatCode="{chart.number_format}" sourceLinked="0"/>'
        '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:dLblPos val="outEnd"/>'
        '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
        '<c:gapWidth val="60"/><c:axId val="50010001"/><c:axId val="50010002"/></c:barChart>'
        '<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="50010002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="50010002"/><c:scaling><c:orientation val="minMax"/>{maximum}'
        '<c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="t"/><c:majorGridlines/>'
        f'<c:numFmt formatCode="{chart.axis_format}" sourceLinked="0"/><c:majorTickMark val="out"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="50010001"/>'
        f'<c:crosses val="max"/><c:crossBetween val="between"/><c:majorUnit val="{step:f}"/></c:valAx>'
        "</c:plotArea>"
        + ('<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>' if len(chart.series) > 1 else "")
        + '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        + _text_props(1000, east_asian, latin)
        + f'<c:externalData r:id="{workbook_rid}"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>")
    return xml.encode("utf-8")


def add_chart(document, chart: BarChart, east_asian: str, latin: str, height_mm: float | None = None) -> None:
    """Append ``chart`` to the document as a native chart, full text width, in its own paragraph."""
    package = document.part.package
    n = 1 + sum(1 for p in package.iter_parts() if str(p.partname).startswith("/word/charts/"))
    chart_part = Part(PackURI(f"/word/charts/chart{n}.xml"), CT_CHART, b"", package)
    data_part = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Sheet{n}.xlsx"), CT_XLSX,
                     _workbook_blob(chart), package)
    workbook_rid = chart_part.relate_to(data_part, RT.PACKAGE)
    chart_part._blob = chart_xml(chart, workbook_rid, east_asian, latin)
    rid = document.part.relate_to(chart_part, RT.CHART)

    rows = len(chart.categories) * max(1, len(chart.series))
    height = Mm(height_mm) if height_mm else Mm(min(160, 35 + 6 * rows))
    width = TEXT_WIDTH
    drawing = (
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{int(width)}" cy="{int(height)}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{9000 + n}" name="图表 {n}" descr="{escape(chart.title)}"/>'
        '<wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing>')
    paragraph = document.add_paragraph()
    set_style(paragraph, style_ids(document)[TABLE_TEXT])
    paragraph.alignment = 1   # centre
    paragraph.paragraph_format.keep_together = True
    run = paragraph.add_run()
    run._r.append(parse_xml(drawing))


# ---------------------------------------------------------------- the report's charts
def budget_chart(e) -> BarChart:
    lines = e.funds.lines
    return BarChart(
        title="各预算项目预算与实际支出（万元）",
        categories=[l.name for l in lines],
        series=[Series("预算金额", [round_half_up(l.budget, 2) for l in lines]),
                Series("实际支出", [round_half_up(l.paid, 2) for l in lines])],
    )


def score_rate_chart(e) -> BarChart:
    groups = e.level1
    return BarChart(
        title="各一级指标得分率",
        categories=[g.name for g in groups],
        series=[Series("得分率", [round_half_up(g.score_rate or Decimal(0), 4) for g in groups])],
        number_format="0.00%",
        axis_format="0%",
        unit=Decimal("0.01"),
    )
