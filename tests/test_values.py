import datetime as dt
from decimal import Decimal

import pytest

from perfeval.schema import Operator
from perfeval.figures import round_half_up
from perfeval.values import (BadValue, YearMonth, clean_text, parse_count, parse_date, parse_date_or_month,
                             parse_measure, parse_money, parse_number)


@pytest.mark.parametrize("raw, expected", [
    (350, Decimal(350)),
    (631.105, Decimal("631.105")),
    ("1,234.5", Decimal("1234.5")),
    ("１２３．４", Decimal("123.4")),
    ("\u22125", Decimal(-5)),
    ("(12.5)", Decimal("-12.5")),
    ("4.3分", Decimal("4.3")),
])
def test_numbers_as_people_type_them(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "12元", "", "1.2.3", True])
def test_text_that_is_not_a_number_is_refused(raw):
    with pytest.raises(BadValue):
        parse_number(raw)


def test_money_converts_a_typed_unit_to_the_column_unit():
    assert parse_money("20万元", "元") == (Decimal(200000), "万元")
    assert parse_money("￥3,132,934元", "万元") == (Decimal("313.2934"), "元")
    assert parse_money(734, "万元") == (Decimal(734), None)
    assert parse_money("1200.5万", "万元") == (Decimal("1200.5"), "万元")     # 万 for 万元
    assert parse_money("1200.5万", "元") == (Decimal(12005000), "万元")


def test_half_up_rounding_is_not_bankers_rounding():
    # float round(631.105, 2) gives 631.1; the seed prints 631.11
    assert round_half_up(Decimal("631.105")) == Decimal("631.11")
    assert round_half_up(Decimal("4.2991")) == Decimal("4.30")
    assert round_half_up(Decimal("0.125")) == Decimal("0.13")


@pytest.mark.parametrize("raw, expected", [
    (dt.datetime(2023, 9, 15), dt.date(2023, 9, 15)),
    ("2023年9月15日", dt.date(2023, 9, 15)),
    ("2023.9.15", dt.date(2023, 9, 15)),
    ("2023/9/15", dt.date(2023, 9, 15)),
    ("20230915", dt.date(2023, 9, 15)),
    ("2023年9月15号", dt.date(2023, 9, 15)),
    ("2023-9-15 10:30", dt.date(2023, 9, 15)),      # a time of day is dropped
    ("2023年9月15日 10:30:00", dt.date(2023, 9, 15)),
    (45184, dt.date(2023, 9, 15)),   # Excel serial number under a Chinese date format
])
def test_dates(raw, expected):
    assert parse_date(raw) == expected


def test_year_month_is_a_month_not_a_day():
    assert parse_date_or_month("2023年9月") == YearMonth(2023, 9)
    with pytest.raises(BadValue):
        parse_date("2023年9月")
    with pytest.raises(BadValue):
        parse_date("2023年13月1日")


def test_counts_are_whole_and_not_negative():
    assert parse_count("45") == 45
    for bad in ("4.5", -1):
        with pytest.raises(BadValue):
            parse_count(bad)


def test_measures_keep_operator_number_and_unit():
    m = parse_measure("≥90%")
    assert (m.operator, m.number, m.unit) == (Operator.GE, Decimal(90), "%")
    assert parse_measure(0.9, percent_format=True).number == Decimal("90.0")
    assert parse_measure("不超过94万元").operator is Operator.LE
    assert parse_measure("合格").number is None


def test_clean_text_removes_excel_escapes_and_control_characters():
    assert clean_text("第一段_x000D_\n第二段\x07") == "第一段\n第二段"
