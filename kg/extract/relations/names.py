"""Relations a name states by itself: "BYD Auto Industry" is a unit of BYD.

Where a name is built on the name of another entity of the same document, the
name says how the two relate (``shared/eval/GUIDELINES.md`` §6 calls these
name-derived relations):

- a zone, facility, event, school or association named for a place below a
  country is there: "Nansha container port" locatedIn Nansha, "Hannover Messe"
  locatedIn Hannover (a country's name is a national label: "China Maritime
  Museum" says nothing of where it is);
- a product, unit, facility or event whose name *begins* with a company's or
  body's name is theirs: BYD produces "BYD Dolphin", "BYD Auto Industry"
  subOrganizationOf BYD, APM Terminals operatesIn "APM Terminals Maasvlakte",
  Acme organized "Acme Developer Day".

A government body named for a place administers it ("Board of Investment of Thailand"; the
embedded-name rule of :mod:`.of_structure` reads the bodies whose name ends in an administrative
head, "X Management Committee", without the place being named apart). Nothing comes from a
company named after a place ("Ningbo Zhoushan Port Group" says nothing of Ningbo), from a
person's name inside another name (a named chair or prize), or from a name that is no entity
of the document on its own (the inner name must be mentioned by itself somewhere in the
text). The evidence is the sentence of the longer name, stretched to the inner name's sentence
when that one is elsewhere in the paragraph (the evidence holds both ends). Like every rule, its
statements are features and high-precision candidates of the relation engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from kg.extract.registry import SentenceContext, extractors
from kg.model import Mention, Relation
from kg.vocab import top_class

__all__ = ["name_derived", "inner_names"]

NAME = "kg.names.v1"

C_PLACE = 0.8
C_OWNER = 0.8
#: classes named for a place they are in (a company named for a place says nothing of it)
LOCATED = frozenset({"EconomicZone", "Facility", "Event", "EducationalInstitution", "Organization"})
#: (a government body named for a place: the embedded-name rule's ``administers``)
#: what a name beginning with an organisation's name is to it, by the longer name's class
OWNED = {
    "Product": ("produces", False),
    "Program": ("relatedTo", False),
    "Company": ("subOrganizationOf", True),
    "Organization": ("subOrganizationOf", True),
    "GovernmentBody": ("subOrganizationOf", True),
    "EducationalInstitution": ("subOrganizationOf", True),
    "Facility": ("operatesIn", False),
    "Event": ("organized", False),
}
_MAX_WORDS = 8
_BRACKETS = re.compile(r"[()\[\]]")

#: (the document's mentions, their name index) of the last document asked about: one
#: document's sentences are read one after another
_LAST: list[tuple[Sequence[Mention], Mapping[tuple[str, ...], list[int]]]] = []


def _names(mentions: Sequence[Mention]) -> Mapping[tuple[str, ...], list[int]]:
    """The words of each name mention (that is its own referent) → its mention indices, in text order."""
    if _LAST and _LAST[0][0] is mentions:
        return _LAST[0][1]
    index: dict[tuple[str, ...], list[int]] = {}
    for i, m in enumerate(mentions):
        if m.kind == "name" and m.antecedent is None:
            index.setdefault(tuple(m.text.split()), []).append(i)
    _LAST[:] = [(mentions, index)]
    return index


def inner_names(words: Sequence[str], index: Mapping[tuple[str, ...], list[int]]) -> Iterable[tuple[list[int], bool]]:
    """(mentions of the name, the longer name begins with it) of each other name written inside ``words``."""
    n = len(words)
    for size in range(min(n - 1, _MAX_WORDS), 0, -1):
        for start in range(0, n - size + 1):
            key = tuple(words[start : start + size])
            got = index.get(key)
            if got is not None and key[0][:1].isupper():
                yield got, start == 0


def _relation(host_cls: str, inner_cls: str, prefix: bool) -> tuple[str, bool] | None:
    """(property, the host is the subject) of a name of class ``host_cls`` built on a name of ``inner_cls``."""
    inner_top = top_class(inner_cls)
    if inner_top == "Place":
        if host_cls == "GovernmentBody":
            return "administers", True  # "Board of Investment of Thailand", "Department of Commerce of X"
        # LOCATED has no Company (one named for a place says nothing of it); a country's name
        # in front of a museum, zone or show is a national label ("China Maritime Museum")
        return ("locatedIn", True) if host_cls in LOCATED and inner_cls != "Country" else None
    if inner_top == "Organization" and prefix:
        return OWNED.get(host_cls)  # a person's or place's class is not in OWNED
    return None


@extractors.register(NAME)
def name_derived(ctx: SentenceContext) -> Iterable[Relation]:
    """Relations between each name of the sentence and the names of the document written inside it."""
    index = _names(ctx.all_mentions)
    inside = {k for k, _m, _s in ctx.mentions}
    # a name the embedded-name rule reads ("X Management Committee" administers X) is its own
    embedded = [s for _k, e, s in ctx.mentions if e.kind == "embedded"]
    out: list[Relation] = []
    for i, m, span in ctx.mentions:
        if m.kind != "name" or m.antecedent is not None:
            continue
        if any(span.start <= e.start and e.end <= span.end for e in embedded):
            continue
        words = _BRACKETS.sub(" ", m.text).split()  # "China (Guangxi) Pilot Free Trade Zone"
        if len(words) < 2:
            continue
        seen: set[str] = set()
        for found_at, prefix in inner_names(words, index):
            j = _nearest(ctx, inside, found_at)
            if j is None:
                continue
            inner = ctx.all_mentions[j]
            if j == i or inner.text in seen or inner.text == m.text:
                continue
            seen.add(inner.text)
            found = _relation(m.cls, inner.cls, prefix)
            if found is None:
                continue
            prop, host_first = found
            s, o = (i, j) if host_first else (j, i)
            conf = C_PLACE if top_class(inner.cls) == "Place" else C_OWNER
            out.append(_stated(ctx, s, prop, o, j, conf))
    return out


def _nearest(ctx: SentenceContext, inside: set[int], found_at: list[int]) -> int | None:
    """The mention of the inner name that evidence can quote: one in this sentence (``inside``),
    else the last one earlier in the paragraph, else the first one after it in the paragraph
    (None when the name stands in other paragraphs only: the evidence must hold both ends)."""
    for j in found_at:
        if j in inside:
            return j
    earlier = [j for j in found_at if ctx.offset <= ctx.all_mentions[j].start and ctx.all_mentions[j].end <= ctx.start]
    if earlier:
        return earlier[-1]
    paragraph_end = ctx.offset + len(ctx.sent.doc.text)
    later = [j for j in found_at if ctx.end <= ctx.all_mentions[j].start and ctx.all_mentions[j].end <= paragraph_end]
    return later[0] if later else None


def _stated(ctx: SentenceContext, s: int, prop: str, o: int, inner: int, conf: float) -> Relation:
    """The relation with its evidence: this sentence, from the inner name's sentence when that came earlier."""
    rel = ctx.relation(s, prop, o, NAME, conf)
    m = ctx.all_mentions[inner]
    if ctx.start <= m.start and m.end <= ctx.end:
        return rel
    if m.start >= ctx.end:
        text = ctx.sent.doc.text[ctx.start - ctx.offset : m.sent_end - ctx.offset]
        return replace(rel, sentence=" ".join(text.split()), sent_end=m.sent_end)
    text = ctx.sent.doc.text[m.sent_start - ctx.offset : ctx.end - ctx.offset]
    return replace(rel, sentence=" ".join(text.split()), sent_start=m.sent_start)
