"""Canonical forms of literal values: dates to ISO 8601, numbers to plain digits.

Plain functions over strings; nothing here knows an ontology. The date order of
an all-digit date (``06-09-2006``) is a parameter, learned from examples.
"""

from __future__ import annotations

import re

__all__ = ["parse_date", "parse_number", "as_float", "MONTHS", "strip_qualifier"]

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>\d{4})"

_DATE_PATTERNS = [
    re.compile(rf"^{_YEAR_RE}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})$"),
    re.compile(rf"^(?:the\s+)?{_DAY_RE}(?:\s+of)?\s+{_MONTH_RE},?\s*{_YEAR_RE}$", re.I),
    re.compile(rf"^{_MONTH_RE}\s*(?:the\s+)?{_DAY_RE},?\s*{_YEAR_RE}$", re.I),
]
_NUMERIC_DATE = re.compile(r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<year>\d{4})$")
_MONTH_YEAR = re.compile(rf"^{_MONTH_RE},?\s*(?:of\s+)?{_YEAR_RE}$", re.I)


def _iso(year: int, month: int, day: int) -> str | None:
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def parse_date(text: str, *, day_first: bool = True) -> str | None:
    """ISO 8601 for a full date (day, month and year), else None.

    >>> parse_date("July 1,1901"), parse_date("11th of June 1929"), parse_date("08-16-1920")
    ('1901-07-01', '1929-06-11', '1920-08-16')
    """
    text = text.strip().strip(",.").strip()
    m = _DATE_PATTERNS[0].match(text)
    if m:
        return _iso(int(m["year"]), int(m["m"]), int(m["d"]))
    for pat in _DATE_PATTERNS[1:]:
        m = pat.match(text)
        if m:
            return _iso(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"]))
    m = _NUMERIC_DATE.match(text)
    if m:
        a, b = int(m["a"]), int(m["b"])
        if a > 12:
            day, month = a, b
        elif b > 12:
            day, month = b, a
        else:
            day, month = (a, b) if day_first else (b, a)
        return _iso(int(m["year"]), month, day)
    return None


def month_year(text: str) -> tuple[int, int] | None:
    """(year, month) for "January 2014" / "Jan, 2014", else None."""
    m = _MONTH_YEAR.match(text.strip())
    if m:
        return int(m["year"]), MONTHS[m["month"].lower()]
    return None


_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_RE = re.compile(
    r"^[-−–]?[$€£¥]?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion)\b)?",
    re.I,
)


def parse_number(text: str) -> str | None:
    """The number a span starts with, as plain digits; None when it is not a number.

    Thousands separators go, ``million``/``billion`` multiply, decimals stay as
    written; a leading minus sign (also U+2212) is kept as ``-``.

    >>> parse_number("8,500"), parse_number("$875.4 million"), parse_number("178.0 cm")
    ('8500', '875400000', '178.0')
    """
    raw = text.strip()
    if raw.lower() in _WORD_NUMBERS:
        return str(_WORD_NUMBERS[raw.lower()])
    m = _NUMBER_RE.match(raw)
    if not m:
        return None
    negative = raw[0] in "-−–"
    num = m["num"].replace(",", "")
    if m["scale"]:
        value = float(num) * _SCALE[m["scale"].lower()]
        num = str(int(value)) if value == int(value) else repr(value)
    return ("-" if negative else "") + num


_QUALIFIER_RE = re.compile(r"\s*[(_\s]*\([^()]*\)\s*$")


def strip_qualifier(label: str) -> str:
    """``Train_(band)`` -> ``Train``: drop a trailing parenthesised qualifier."""
    return _QUALIFIER_RE.sub("", label).rstrip("_ ")


def as_float(number: str) -> str:
    """A plain number written with a decimal part: ``3800`` -> ``3800.0``."""
    return number if "." in number else number + ".0"
