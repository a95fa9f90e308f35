"""Quantitative facts: money, percentages and counts attached to the entity they measure.

"In 2022, the actual foreign investment in the Lingang New Area increased from
520 million US dollars in 2020 to 2.04 billion US dollars" gives two facts
about the Lingang New Area, measure "actual foreign investment": 520000000 USD
in 2020 and 2040000000 USD in 2022.

- a quantity is a number, a scale ("billion") and a unit ("US dollars", "%"),
  or a number counting a noun ("50 enterprises", unit ``count``);
- what it measures is the subject of the verb it completes ("X increased to
  …", "X reached …") or the noun it follows ("a total investment of …"); the
  entity is the one that phrase names ("… in the Lingang New Area", "its …",
  "the revenue of BYD"), else the subject when it is an entity ("the park has
  attracted nearly 50 enterprises");
- the date is a year written right after the quantity ("… in 2020"), else a
  year of its clause ("In 2022, …"; "this year", "last year" from the
  document date), else the document date.

The value is exact decimal text (``"2.04 billion"`` → ``"2040000000"``). Units and
scales are data (``[facts]`` of ``kg/ontology/relations.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from spacy.tokens import Doc, Span, Token

from kg.extract.registry import SentenceContext
from kg.extract.relations.common import Arg, SentenceIndex, index, pobjs
from kg.model import Fact

__all__ = ["Quantity", "extract_facts", "find_quantities", "parse_number"]

NAME = "kg.facts.v1"

C_MEASURE = 0.75  # the measured phrase names the entity
C_SUBJECT = 0.6  # the entity is the clause's subject
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
#: words that make a number approximate or a bound; kept out of the measure
_QUALIFIERS = {"about", "nearly", "over", "around", "approximately", "almost", "more", "than", "some", "up", "to"}
#: unit words written before the number
_PREFIX_UNITS = {"rmb", "usd", "us$", "hk$", "eur", "cny", "gbp", "jpy"}
#: words that count as "this year" / "last year" relative to the document date
_RELATIVE_YEARS = {"this": 0, "last": -1, "next": 1}


@dataclass(frozen=True)
class Quantity:
    """A number with its unit inside a sentence (token indices)."""

    start: int
    end: int
    value: str
    unit: str
    head: Token  # the token that carries the quantity's syntax (unit noun, "%", counted noun)


def parse_number(text: str, exponent: int = 0) -> str | None:
    """Exact decimal text of ``text`` × 10^``exponent``.

    >>> parse_number("2.04", 9)
    '2040000000'
    >>> parse_number("1,868")
    '1868'
    >>> parse_number("52.6")
    '52.6'
    """
    try:
        d = Decimal(text.replace(",", "")).scaleb(exponent)
    except InvalidOperation:
        return None
    out = format(d.normalize(), "f")
    return out


def _match(doc: Doc, table: dict[tuple[str, ...], object], at: int, end: int) -> tuple[tuple[str, ...], object] | None:
    """The longest key of ``table`` (lower-case words) that starts at token ``at``."""
    if at >= end:
        return None
    first = doc[at].lower_
    best = None
    for key, value in table.items():
        if key[0] != first:
            continue
        n = len(key)
        if at + n <= end and all(doc[at + k].lower_ == key[k] for k in range(1, n)) and (best is None or n > len(best[0])):
            best = (key, value)
    return best


def find_quantities(sent: Span, si: SentenceIndex) -> Iterator[Quantity]:
    """Money, percentages and other measured amounts, and counts of a noun."""
    doc = sent.doc
    units, scales = si.trig.units, si.trig.scales
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if not _NUMBER.match(tok.text) or tok.ent_type_ in ("DATE", "TIME", "ORDINAL"):
            i += 1
            continue
        if _YEAR.match(tok.text) and tok.ent_type_ != "MONEY":
            i += 1
            continue
        if i > sent.start and doc[i - 1].text in ("-", "–", "~") or i + 1 < sent.end and doc[i + 1].text in ("-", "–"):
            i += 1  # a range ("1-2 billion")
            continue
        start, j = i, i + 1
        exponent = 0
        prefix = None  # "$5 billion", "RMB 3 million": a one-word unit before the number
        if i > sent.start and (doc[i - 1].is_currency or doc[i - 1].lower_ in _PREFIX_UNITS):
            found = units.get((doc[i - 1].lower_,))
            if found is not None:
                prefix, start = found, i - 1
        while (m := _match(doc, scales, j, sent.end)) is not None:
            exponent += int(m[1])  # type: ignore[call-overload]
            j += len(m[0])
        value = parse_number(tok.text, exponent)
        if value is None:
            i = j
            continue
        unit_match = _match(doc, units, j, sent.end)
        if unit_match is not None:
            n = len(unit_match[0])
            yield Quantity(start, j + n, value, str(unit_match[1]), doc[j + n - 1])
            i = j + n
            continue
        if prefix is not None:
            yield Quantity(start, j, value, prefix, doc[j - 1])
            i = j
            continue
        # "a population of 12.4 million": a bare number after a measure noun counts
        last = doc[j - 1]
        if last.dep_ == "pobj" and last.head.lower_ == "of" and last.head.head.lemma_.lower() in si.trig.measure_nouns:
            yield Quantity(start, j, value, "count", last)
            i = j
            continue
        # a count: the number modifies a plural noun ("50 entrepreneurial enterprises")
        last = doc[j - 1]
        noun = last.head if last.dep_ == "nummod" else None
        while noun is not None and noun.dep_ == "nummod":
            noun = noun.head
        if noun is not None and noun.pos_ == "NOUN" and noun.tag_ == "NNS" and si.arg_at(noun) is None and noun.i > tok.i:
            yield Quantity(start, j, value, "count", noun)
        i = j


def _year(tok: Token) -> str | None:
    return tok.text if _YEAR.match(tok.text) else None


def _year_after(doc: Span, q: Quantity, sent: Span) -> str | None:
    """ "520 million US dollars in 2020": a year right after the quantity."""
    k = q.end
    if k + 1 < sent.end and doc[k].lower_ in ("in", "for", "during") and (y := _year(doc[k + 1])):
        return y
    return None


def _clause_year(verb: Token | None, doc_year: int | None, taken: set[int]) -> str | None:
    """ "In 2022, X increased …", "this year", "last year": the year of the clause."""
    node = verb
    for _ in range(4):
        if node is None:
            return None
        for c in node.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "during", "for"):
                for p in pobjs(c) or [g for g in c.children if g.dep_ == "pobj"]:
                    if (y := _year(p)) and p.i not in taken:
                        return y
            if c.dep_ == "npadvmod" and c.lower_ == "year" and doc_year is not None:
                for g in c.children:
                    if g.lower_ in _RELATIVE_YEARS:
                        return str(doc_year + _RELATIVE_YEARS[g.lower_])
        if node.dep_ in ("conj", "advcl", "xcomp", "ccomp") and node.head.i != node.i:
            node = node.head
        else:
            return None
    return None


def _governor(q: Quantity) -> tuple[Token | None, Token | None]:
    """(verb, measure noun) the quantity completes: "increased … to <q>", "an investment of <q>"."""
    node = q.head
    if q.unit == "count":
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ == "NOUN":
            return None, node.head.head  # "a population of 12.4 million"
        verb = node.head if node.dep_ in ("dobj", "attr") else None  # "the park has attracted 50 enterprises"
        return (verb if verb is not None and verb.pos_ in ("VERB", "AUX") else None), None
    for _ in range(4):
        dep, head = node.dep_, node.head
        if dep == "pobj" and head.dep_ in ("prep", "agent"):
            prep = head
            while prep.head.dep_ == "prep" and prep.head.head.i != prep.head.i:
                prep = prep.head  # "from 2.5% to 9.0%": "to" hangs on "from"
            gov = prep.head
            if gov.pos_ in ("NOUN", "PROPN") and prep.lower_ == "of":
                return None, gov
            if gov.pos_ in ("VERB", "AUX"):
                return gov, None
            return None, None
        if dep in ("dobj", "attr", "npadvmod", "nsubj") and head.pos_ in ("VERB", "AUX"):
            return head, None
        if dep in ("compound", "nummod", "appos") and head.i != node.i:
            node = head
            continue
        return None, None
    return None, None


def _change(si: SentenceIndex, verb: Token, q: Quantity) -> str:
    """" growth" / " decline" when the quantity is the size of a change ("rose 20%", "fell by 3%")."""
    lemma = verb.lemma_.lower()
    kind = " growth" if lemma in si.trig.growth_verbs else " decline" if lemma in si.trig.decline_verbs else ""
    if not kind:
        return ""
    node = q.head
    while node.dep_ in ("compound", "nummod") and node.head.i != node.i:
        node = node.head
    if node.dep_ == "pobj" and node.head.lower_ == "by" or node.dep_ in ("dobj", "npadvmod", "attr"):
        return kind
    return ""


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    return None


def _measured(si: SentenceIndex, noun: Token, q: Quantity) -> tuple[Arg | None, str]:
    """The entity a measure phrase names, and the phrase without it ("actual foreign investment")."""
    arg: Arg | None = None
    skip: set[int] = set()
    for c in noun.children:  # "revenue of 480 billion yuan": the quantity is no part of the measure
        if c.dep_ == "prep" and c.left_edge.i <= q.start and q.end - 1 <= c.right_edge.i:
            skip |= set(range(c.i, c.right_edge.i + 1))
    for c in noun.children:
        if c.dep_ == "poss":
            a = si.arg_at(c)
            if a is not None:
                arg = a
                skip |= set(range(c.left_edge.i, c.right_edge.i + 1))
                break
    if arg is None:
        # "the investment in X", "the investment actually used in X"
        nodes = [*noun.children, *(g for c in noun.children if c.dep_ == "acl" for g in c.children)]
        for c in nodes:
            if c.dep_ == "prep" and c.lower_ in ("in", "of", "at", "for"):
                for p in pobjs(c):
                    a = si.arg_at(p)
                    if a is not None:
                        arg = a
                        skip |= set(range(c.i, c.right_edge.i + 1))
                        break
            if arg is not None:
                break
    words = [
        t.text
        for t in si.doc[noun.left_edge.i : noun.right_edge.i + 1]
        if t.i not in skip and t.pos_ not in ("DET", "PUNCT") and t.lower_ not in _QUALIFIERS and t.dep_ != "relcl"
        and not (t.dep_ == "prep" and t.i > noun.i and t.lower_ not in ("in", "of"))
    ]
    if words and si.doc[noun.left_edge.i].is_sent_start and words[0][:1].isupper() and noun.left_edge.pos_ != "PROPN":
        words[0] = words[0].lower()  # "Sales of Tesla …" → "sales"
    return arg, " ".join(words[:8])


def extract_facts(ctx: SentenceContext, doc_date: str | None = None) -> list[Fact]:
    """The quantitative facts stated in one sentence."""
    if not ctx.mentions:
        return []
    si = index(ctx)
    doc = si.doc
    doc_year = int(doc_date[:4]) if doc_date and doc_date[:4].isdigit() else None
    quantities = list(find_quantities(ctx.sent, si))
    taken = {k + 1 for q in quantities if _year_after(doc, q, ctx.sent) for k in [q.end]}
    out: list[Fact] = []
    for q in quantities:
        verb, noun = _governor(q)
        arg, measure, conf = None, "", C_MEASURE
        if noun is not None and (noun.lemma_.lower() in si.trig.measure_nouns or noun.lower_ in si.trig.measure_nouns):
            arg, measure = _measured(si, noun, q)
            if arg is None:
                clause = noun.head if noun.head.pos_ in ("VERB", "AUX") else None
                subj = _subject(clause) if clause is not None else None
                arg = si.arg_at(subj) if subj is not None else None
                conf = C_SUBJECT
                verb = clause
        elif verb is not None:
            subj = _subject(verb)
            if subj is None:
                continue
            if q.unit == "count":
                if verb.lemma_.lower() not in si.trig.count_verbs:
                    continue
                arg = si.arg_at(subj)
                words = [t.text for t in doc[q.end : q.head.i + 1] if t.pos_ not in ("DET", "PUNCT")]
                if verb.tag_ in ("VBD", "VBN") and verb.lemma_ not in ("have", "be"):
                    words.append(verb.text)  # "vehicles sold", "enterprises attracted"
                measure, conf = " ".join(words), C_SUBJECT
            elif verb.lemma_.lower() in si.trig.measure_verbs and si.arg_at(subj) is None:
                arg, measure = _measured(si, subj, q)
                measure += _change(si, verb, q)
        if arg is None or not measure or arg.mention.kind == "embedded":
            continue
        date = _year_after(doc, q, ctx.sent) or _clause_year(verb, doc_year, taken) or (doc_date[:10] if doc_date else None)
        out.append(
            Fact(
                subject=arg.index,
                measure=measure,
                value=q.value,
                unit=q.unit,
                date=date,
                sentence=" ".join(ctx.sent.text.split()),
                sent_start=ctx.start,
                sent_end=ctx.end,
                extractor=NAME,
                confidence=conf * (0.9 if arg.is_reference else 1.0),
            )
        )
    return out
