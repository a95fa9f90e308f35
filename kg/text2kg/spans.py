"""Candidate argument spans of a parsed sentence.

Every source of spans is a plain function ``Doc -> Iterable[(start, end, kind)]``
registered in :data:`SPAN_SOURCES`; :func:`candidate_spans` runs them all, merges
the spans that cover the same tokens (keeping every kind as evidence) and adds
the canonical values a span can stand for (an ISO date, a plain number).
Over-generation is intended: the learned scorer picks the boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from kg.text2kg.values import month_year, parse_date, parse_number

__all__ = ["Span", "SPAN_SOURCES", "span_source", "candidate_spans", "PRONOUNS", "is_name_token"]

#: personal pronouns that can stand for the main entity of a text
PRONOUNS = frozenset("it he she they its his her their it's who which whose".split())
#: lower-case words allowed inside a name ("Year of No Light", "Live at Roadburn")
NAME_CONNECTORS = frozenset("of the de da di del della du des la le von van der y at for on in and a an to with from 's".split())
#: determiners and similar words dropped at the left edge of a span
_LEFT_STRIP = frozenset("the a an this that these those its his her their our my your".split())
_EDGE_PUNCT = frozenset(",.;:!?\"“”‘’()[]{}")
_MAX_LEN = 12


@dataclass(eq=False)
class Span:
    """A token range ``[start, end)`` with the evidence that proposed it."""

    start: int
    end: int
    text: str
    head: int
    kinds: set[str] = field(default_factory=set)
    date: str | None = None
    number: str | None = None
    month_year: tuple[int, int] | None = None
    lemma: str | None = None  # the text with its last word in dictionary form ("synthesizer")

    @property
    def key(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def is_pronoun(self) -> bool:
        return "pron" in self.kinds

    @property
    def is_value(self) -> bool:
        """A date or a number rather than a named thing."""
        return self.date is not None or self.number is not None or self.month_year is not None


SpanSource = Callable[[object], Iterable[tuple[int, int, str]]]

#: name -> span source; every source runs on every sentence
SPAN_SOURCES: dict[str, SpanSource] = {}


def span_source(name: str) -> Callable[[SpanSource], SpanSource]:
    def deco(func: SpanSource) -> SpanSource:
        SPAN_SOURCES[name] = func
        return func

    return deco


def _trim(doc, start: int, end: int) -> tuple[int, int]:
    """Drop determiners, possessive markers and punctuation at the edges (a
    bracket stays when its partner is inside: "(19255) 1994 VK8")."""
    def keep_bracket(k: int) -> bool:
        partner = _BRACKETS.get(doc[k].text)
        return partner is not None and any(doc[j].text == partner for j in range(start, end))

    while start < end and (doc[start].lower_ in _LEFT_STRIP or (
            doc[start].text in _EDGE_PUNCT and not keep_bracket(start))):
        start += 1
    while end > start and ((doc[end - 1].text in _EDGE_PUNCT and not keep_bracket(end - 1))
                           or doc[end - 1].tag_ == "POS" or doc[end - 1].lower_ in ("'s", "’s")):
        end -= 1
    return start, end


_BRACKETS = {"(": ")", ")": "(", "[": "]", "]": "["}


@span_source("ents")
def entity_spans(doc) -> Iterator[tuple[int, int, str]]:
    for ent in doc.ents:
        yield ent.start, ent.end, "ent_" + ent.label_


_ARTICLES = frozenset(("the", "a", "an"))
_NOT_NAME_POS = frozenset(("VERB", "AUX", "ADV", "ADP", "SCONJ", "CCONJ", "PRON", "DET"))


def _is_cap(tok) -> bool:
    if tok.text in ("(", ")"):
        doc = tok.doc
        if tok.text == "(":
            return tok.i + 2 < len(doc) and doc[tok.i + 1].like_num and doc[tok.i + 2].text == ")"
        return tok.i >= 2 and doc[tok.i - 1].like_num and doc[tok.i - 2].text == "("
    t = tok.text
    if tok.is_sent_start and tok.pos_ != "PROPN" and (
            tok.is_stop or (tok.pos_ in _NOT_NAME_POS and not tok.ent_type_)):
        return False  # "There", "Released", "Located" opening a sentence
    if tok.lower_ in PRONOUNS:
        return False
    if tok.lower_ in _ARTICLES and tok.pos_ == "DET":
        return False  # "The" / "A" before a title: the article is not the name ("name_article")
    return (t[:1].isupper() or t[:1].isdigit()) and tok.pos_ != "PUNCT" or (
        tok.pos_ == "PROPN" and t[:1].isalpha()
    )


def is_name_token(tok) -> bool:
    """A token that belongs in a name (capitalised, a number, a bracketed number)."""
    return _is_cap(tok)


@span_source("names")
def name_spans(doc) -> Iterator[tuple[int, int, str]]:
    """Runs of capitalised words joined by connectors ("Year of No Light"), every
    sub-run, a run with its comma qualifier ("Dothan, Alabama") and with a
    capitalised article before it ("The Two Towers")."""
    n = len(doc)
    runs: list[list[tuple[int, int]]] = []
    i = 0
    while i < n:
        if not _is_cap(doc[i]):
            i += 1
            continue
        segments = []
        j = i
        while True:
            seg_start = j
            j += 1
            while j < n and _is_cap(doc[j]) and not _breaks(doc, j):
                j += 1
            segments.append((seg_start, j))
            if j < n and _is_cap(doc[j]):  # an entity boundary inside capitalised words
                continue
            k = j
            while k < n and k - j < 2 and (doc[k].lower_ in NAME_CONNECTORS or doc[k].text in _NAME_PUNCT):
                k += 1
            if k > j and k < n and _is_cap(doc[k]) and doc[k].text[:1].isalpha():
                j = k
            else:
                break
        runs.append(segments)
        i = segments[-1][1]
    run_starts = {segs[0][0]: segs for segs in runs}
    for segments in runs:
        for a in range(len(segments)):
            for b in range(a, min(len(segments), a + 5)):
                start, end = segments[a][0], segments[b][1]
                yield start, end, "name"
                if start > 0 and doc[start - 1].text in ("The", "A", "An") and a == 0:
                    yield start - 1, end, "name_article"
                # "Dothan, Alabama", "Maple Ridge Township, Alpena County, Michigan"
                tail = end
                for _ in range(3):
                    if not (tail + 1 < n and doc[tail].text == "," and tail + 1 in run_starts):
                        break
                    nxt = run_starts[tail + 1]
                    yield start, nxt[0][1], "name_qualified"
                    if nxt[-1][1] != nxt[0][1]:
                        yield start, nxt[-1][1], "name_qualified"
                    tail = nxt[0][1]


_NAME_PUNCT = frozenset("- – — : / & . '".split())


def _breaks(doc, k: int) -> bool:
    """Token k starts a new name although token k-1 is capitalised too: the
    recogniser starts a person or organisation right after a nationality
    ("American | Jack Kirby")."""
    return (doc[k].ent_iob_ == "B" and doc[k - 1].ent_type_ == "NORP"
            and doc[k].ent_type_ in ("PERSON", "ORG"))


@span_source("chunks")
def chunk_spans(doc) -> Iterator[tuple[int, int, str]]:
    """Noun chunks, their right-hand parts and their modifiers before the head."""
    for chunk in doc.noun_chunks:
        start, end = chunk.start, chunk.end
        yield start, end, "chunk"
        for k in range(start + 1, end):
            if doc[k].pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):
                yield k, end, "chunk_tail"
        # the modifiers before the head's compound group ("sludge metal" album)
        head = chunk.root.i
        group = head
        while group - 1 >= start and doc[group - 1].dep_ in ("compound", "flat") and doc[group - 1].head.i >= group:
            group -= 1
        if group > start:
            yield start, group, "chunk_mod"
            yield group, end, "chunk_head"


@span_source("nouns")
def noun_spans(doc) -> Iterator[tuple[int, int, str]]:
    """Nouns with their compound and adjective modifiers, outside noun chunks too."""
    for tok in doc:
        if tok.pos_ in ("NOUN", "PROPN"):
            start = tok.i
            while start - 1 >= 0 and doc[start - 1].head.i >= start and doc[start - 1].dep_ in (
                "compound", "amod", "nmod", "nummod", "npadvmod"
            ) and doc[start - 1].head.i <= tok.i:
                start -= 1
            yield start, tok.i + 1, "noun"
            if start < tok.i:
                yield tok.i, tok.i + 1, "noun"


_DATE_TEXT_RE = re.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
    r"|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[A-Z][a-z]{2,8}\.?,?\s*\d{4}"
    r"|[A-Z][a-z]{2,8}\.?\s*(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?,?\s*\d{4}"
    r"|[A-Z][a-z]{2,8},?\s+(?:of\s+)?\d{4})\b"
)
_NUMBER_TEXT_RE = re.compile(
    r"(?<![\w.])[-−]?[$€£¥]?\d[\d,]*(?:\.\d+)?(?!st\b|nd\b|rd\b|th\b|\d|[A-Z])"
    r"(?:\s*(?:thousand|million|billion|trillion)\b)?"
)

_CODE_TEXT_RE = re.compile(r"(?<![\w.\-−])\d+(?:-\d+)+(?:-[\dX])?(?![\w\-])")


def _char_spans(doc, regex) -> Iterator[tuple[int, int]]:
    for m in regex.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and len(span):
            yield span.start, span.end


@span_source("values")
def value_spans(doc) -> Iterator[tuple[int, int, str]]:
    """Dates and numbers found in the raw text (spaCy splits them unevenly)."""
    for start, end in _char_spans(doc, _DATE_TEXT_RE):
        yield start, end, "date_text"
    for start, end in _char_spans(doc, _NUMBER_TEXT_RE):
        yield start, end, "number_text"
        # the number with the unit word after it ("178.0 cm", "8,500 employees")
        if end < len(doc) and doc[end].is_alpha and doc[end].is_lower and not doc[end].is_stop \
                and doc[end].pos_ not in ("CCONJ", "ADP", "DET", "PRON", "AUX", "VERB"):
            yield start, end + 1, "number_unit"
    for tok in doc:
        if tok.like_num and tok.is_alpha:
            yield tok.i, tok.i + 1, "number_word"
    # identifiers of digit groups, which the tokenizer splits at each hyphen
    # (ISBN "0-670-03380-4", ISSN "1360-0443")
    for start, end in _char_spans(doc, _CODE_TEXT_RE):
        yield start, end, "code"


@span_source("pronouns")
def pronoun_spans(doc) -> Iterator[tuple[int, int, str]]:
    for tok in doc:
        if tok.lower_ in PRONOUNS and tok.pos_ in ("PRON", "DET"):
            yield tok.i, tok.i + 1, "pron"


def _span_head(doc, start: int, end: int) -> int:
    """The token of the span whose head lies outside it (the last one on ties)."""
    best = end - 1
    for k in range(start, end):
        h = doc[k].head.i
        if h < start or h >= end or h == k:
            best = k
    return best


def candidate_spans(doc, *, sources: Iterable[str] | None = None,
                    extra: Iterable[tuple[int, int, str]] = (),
                    day_first: bool = True, articles: bool = True) -> list[Span]:
    """Merge every source's spans (trimmed, deduplicated) and attach their values.

    ``articles=False`` leaves out names with their article ("The Two Towers"),
    for values that never start with one."""
    names = list(SPAN_SOURCES) if sources is None else list(sources)
    spans: dict[tuple[int, int], Span] = {}
    raw: list[tuple[int, int, str]] = []
    for name in names:
        raw.extend(SPAN_SOURCES[name](doc))
    raw.extend(extra)
    for start, end, kind in raw:
        if kind == "name_article" and not articles:
            continue
        if kind not in ("pron", "name_article"):
            start, end = _trim(doc, start, end)
        if end <= start or end - start > _MAX_LEN:
            continue
        # a span never crosses a sentence boundary (Token.sent would walk the whole sentence)
        if any(doc[k].is_sent_start for k in range(start + 1, end)):
            continue
        # "American Karl Kesel": a nationality, then the name (which is a span of its own)
        if end - start > 1 and _breaks(doc, start + 1) and kind not in _KEEP_KINDS:
            continue
        key = (start, end)
        span = spans.get(key)
        if span is None:
            text = doc[start:end].text
            span = Span(start, end, text, _span_head(doc, start, end))
            span.date = parse_date(text, day_first=day_first) if any(c.isdigit() for c in text) else None
            span.month_year = month_year(text)
            last = doc[end - 1]
            if last.is_alpha and last.is_lower and last.lemma_ and last.lemma_ != last.text:
                span.lemma = doc[start:end - 1].text_with_ws + last.lemma_
            spans[key] = span
        span.kinds.add(kind)
    segment_of = _name_segments(doc)
    for key in list(spans):
        span = spans[key]
        if span.kinds & _KEEP_KINDS:
            continue
        if _cuts_segment(span, segment_of):
            del spans[key]
    for span in spans.values():
        if span.kinds & _NUMBER_KINDS or _PLAIN_NUMBER_RE.match(span.text):
            span.number = parse_number(span.text)
    return sorted(spans.values(), key=lambda s: (s.start, s.end))


_NUMBER_KINDS = {"number_text", "number_unit", "number_word"}
# spans kept even when they cut a name apart
_KEEP_KINDS = {"number_text", "number_unit", "number_word", "date_text", "code", "lexicon", "pron"}


def _name_segments(doc) -> list[int]:
    """For each token, the start of the run of name tokens it belongs to (-1: none)."""
    out = [-1] * len(doc)
    start = -1
    for tok in doc:
        if is_name_token(tok):
            if tok.i == 0 or out[tok.i - 1] < 0 or _breaks(doc, tok.i):
                start = tok.i
            out[tok.i] = start
        else:
            start = -1
    return out


def _cuts_segment(span: "Span", segment_of: list[int]) -> bool:
    """The span begins or ends inside a run of name tokens ("New" of "New Hampshire")."""
    first, last = span.start, span.end - 1
    if segment_of[first] >= 0 and first > 0 and segment_of[first - 1] == segment_of[first]:
        return True
    nxt = span.end
    if segment_of[last] >= 0 and nxt < len(segment_of) and segment_of[nxt] == segment_of[last]:
        return True
    return False
_PLAIN_NUMBER_RE = re.compile(r"^[-−]?[$€£¥]?\d[\d,]*(\.\d+)?$")
