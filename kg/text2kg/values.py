"""Canonical forms of literal values: dates to ISO 8601, numbers to plain digits.

Plain functions over strings; nothing here knows an ontology. The date order of
an all-digit date (``06-09-2006``) is a parameter, learned from examples.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["parse_date", "parse_number", "as_float", "MONTHS", "strip_qualifier", "fold", "alias_kind",
           "acronym_letters", "initials"]

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


def fold(text: str) -> str:
    """Letters and digits only, lower case, accents removed ("Clyde F.C." -> "clydefc")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("_", " "))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


_MINOR_WORDS = frozenset("of the and for de la a an in at on".split())


def acronym_letters(surface: str) -> str | None:
    """The letters of an acronym ("U.S." -> "US"), None when it is none."""
    letters = "".join(c for c in surface if c.isalpha())
    return letters if 2 <= len(letters) <= 5 and letters.isupper() else None


def initials(name: str) -> str:
    """The initials of a name's main words ("United_States" -> "US")."""
    return "".join(w[0] for w in re.split(r"[\s_]+", strip_qualifier(name.strip('"')))
                   if w and w[0].isalpha() and w.lower() not in _MINOR_WORDS).upper()


def alias_kind(surface: str, gold: str) -> str | None:
    """How a surface form in a sentence can stand for a gold value written
    differently: ``spelling`` (accents, dots: "Clyde FC" / "Clyde_F.C."),
    ``acronym`` ("U.S." / "United_States") or ``derived`` ("American" / "Americans")."""
    bare = strip_qualifier(gold.strip('"'))
    a, b = fold(surface), fold(bare)
    if not a or not b:
        return None
    if a == b:
        return "spelling"
    letters = acronym_letters(surface)
    if letters and initials(bare) == letters:
        return "acronym"
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3:
        return "derived"
    return None
