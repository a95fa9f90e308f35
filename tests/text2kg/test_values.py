"""Canonical forms of values: ISO dates, plain numbers."""

from __future__ import annotations

import pytest

from kg.text2kg.values import as_float, month_year, parse_date, parse_number, strip_qualifier


@pytest.mark.parametrize(
    "text, iso",
    [
        ("01-01-1959", "1959-01-01"),
        ("July 1,1901", "1901-07-01"),
        ("June 9th 2006", "2006-06-09"),
        ("11th of June 1929", "1929-06-11"),
        ("Dec. 27th, 2012", "2012-12-27"),
        ("1st July 1976", "1976-07-01"),
        ("2006-09-06", "2006-09-06"),
        ("08-16-1920", "1920-08-16"),  # the day cannot be 16 in a month place
        ("the 31st December 2006", "2006-12-31"),
        ("January 2014", None),
        ("1983", None),
        ("yesterday", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_ambiguous_numeric_dates_follow_the_learned_order():
    assert parse_date("06-09-2006", day_first=True) == "2006-09-06"
    assert parse_date("06-09-2006", day_first=False) == "2006-06-09"


@pytest.mark.parametrize(
    "text, number",
    [
        ("8,500", "8500"),
        ("8,500 employees", "8500"),
        ("$211,200,000", "211200000"),
        ("$875.4 million", "875400000"),
        ("15,100,000,000", "15100000000"),
        ("178.0 cm", "178.0"),
        ("−6", "-6"),
        ("twelve", "12"),
        ("Chinabank", None),
    ],
)
def test_parse_number(text, number):
    assert parse_number(text) == number


def test_small_helpers():
    assert as_float("3800") == "3800.0" and as_float("497.5") == "497.5"
    assert month_year("January, 2014") == (2014, 1)
    assert strip_qualifier("Train_(band)") == "Train"
    assert strip_qualifier("Mermaid (Train song)") == "Mermaid"
    assert strip_qualifier("Abilene,_Texas") == "Abilene,_Texas"
