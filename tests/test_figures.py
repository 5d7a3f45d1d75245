"""How figures are written: one rounding (half-up, once) and one thousands-separator rule."""
from decimal import Decimal

from perfeval import figures as F
from perfeval.values import parse_measure


def test_an_amount_has_separators_wherever_it_is_written():
    assert F.money(Decimal("1234.505")) == "1,234.51"          # a table cell
    assert F.wan(Decimal("1234.505")) == "1,234.51万元"         # a sentence or a message, as the table shows it
    assert F.yuan_text(Decimal("57600")) == "57,600.00元"
    assert F.plain(Decimal("1234.5")) == "1234.5"              # other figures have none


def test_figures_in_sentences_drop_trailing_zeros():
    assert F.plain(Decimal("98.80")) == "98.8" and F.plain(Decimal("20.00")) == "20"
    assert F.percent(Decimal("0.859816")) == "85.98%" and F.percent(Decimal("0.9"), 0) == "90%"


def test_measures_are_shown_as_typed_with_their_unit():
    assert F.measure(parse_measure(4), "套") == "4套"
    assert F.measure(parse_measure("≥95%"), "%") == "95%"
    assert F.measure(parse_measure(0.95, percent_format=True)) == "95%"
    assert str(parse_measure("不超过94万元")) == "不超过94万元"


def test_json_numbers():
    assert F.as_number(Decimal("4.30")) == 4.3 and F.as_number(Decimal("100.00")) == 100
    assert isinstance(F.as_number(Decimal("100.00")), int)
