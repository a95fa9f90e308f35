"""Names a longer name is made of, where the name says whose or where it is.

"BYD" in "BYD Dolphin", "Lingang New Area" in "Lingang New Area Management Committee"
(also without the administrative modifiers of ``relations.toml``: "Nansha" in "Nansha
District People's Government"), the name after an "of" or in brackets ("Thailand" in
"Board of Investment of Thailand", "Guangxi" in "China (Guangxi) Pilot Free Trade Zone").
A part is a mention (kind ``embedded``) only when the document also writes it as a name of
its own; it stands for an earlier such mention
(:func:`kg.extract.references.resolve_references`), and the relation the longer name
states is :func:`kg.extract.relations.of_structure.embedded_name`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span

from kg.extract.mentions import clean_name, is_capitalised
from kg.model import Mention
from kg.vocab import top_class

__all__ = ["find_name_parts"]

_POSSESSIVE = {"'s", "’s", "'", "’"}
_GLUE = {"-", "&", "."}


def find_name_parts(docs: Sequence[tuple[int, Doc]], mentions: list[Mention]) -> list[Mention]:
    """``mentions`` plus the parts of its names (paragraph offset, parsed paragraph in
    ``docs``) that the document names on their own. Sorted by offset."""
    from kg.extract.relations.triggers import load_triggers

    names = {m.text.casefold() for m in mentions if m.kind == "name"}
    modifiers = load_triggers().administrative_modifiers
    out = list(mentions)
    k = 0
    for offset, doc in docs:
        end_of_doc = offset + len(doc.text)
        while k < len(mentions) and mentions[k].start < offset:
            k += 1
        for m in mentions[k:]:
            if m.start >= end_of_doc:
                break
            if m.kind != "name" or top_class(m.cls) == "Person":
                continue
            span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
            if span is None or len(span) < 2:
                continue
            for a, b in _parts(span, modifiers):
                part = doc[a:b]
                text = clean_name(part.text)
                if text.casefold() not in names:
                    continue
                out.append(Mention(text=text, start=offset + part.start_char, end=offset + part.end_char,
                                   cls="Entity", label="EMBEDDED", sent_start=m.sent_start, sent_end=m.sent_end,
                                   kind="embedded", weight=0.0))
    return sorted(out, key=lambda m: (m.start, m.end))


def _parts(span: Span, modifiers: frozenset[str]) -> Iterable[tuple[int, int]]:
    """Token ranges of ``span``: its leading words (with and without trailing administrative
    modifiers), and the capitalised words after an "of" or an opening bracket."""
    doc = span.doc

    def capitalised(a: int, b: int) -> bool:
        return (b > a and all(is_capitalised(doc[k]) or doc[k].text in _GLUE for k in range(a, b))
                and doc[b - 1].text not in _POSSESSIVE | _GLUE and doc[a].text not in _GLUE)

    found: set[tuple[int, int]] = set()
    for b in range(span.end - 1, span.start, -1):
        if doc[b].text in _POSSESSIVE or doc[b - 1].text in _POSSESSIVE or not capitalised(span.start, b):
            continue
        found.add((span.start, b))
        while b - 1 > span.start and doc[b - 1].lower_ in modifiers:
            b -= 1
            found.add((span.start, b))
    for k in range(span.start + 1, span.end - 1):
        if doc[k].lower_ in ("of", "("):
            b = k + 1
            while b < span.end and (is_capitalised(doc[b]) or doc[b].text in _GLUE):
                b += 1
            if capitalised(k + 1, b):
                found.add((k + 1, b))
    return sorted(found)
