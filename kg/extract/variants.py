"""Lower-case and reordered variants of a name the document already uses.

"the new Lingang area" is not capitalised like a name, so the mention finder
skips it; once the document names "Lingang New Area", a noun phrase made of
exactly the same words (any order, any case) is a mention of it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from kg.extract.mentions import clean_name
from kg.model import Mention

__all__ = ["find_variants"]


def _bag(text: str) -> tuple[str, ...]:
    return tuple(sorted(w.casefold() for w in text.replace("'s", "").split()))


def find_variants(docs: Sequence[tuple[int, Doc]], mentions: list[Mention]) -> list[Mention]:
    """``mentions`` plus the noun phrases of ``docs`` (paragraph offset, parsed
    paragraph) whose words are exactly those of a name mention of two or more
    words. A variant replaces the shorter mentions inside it ("Lingang" in "the
    new Lingang area"); one that cuts across a mention is skipped. Sorted by offset."""
    return sorted(_with_variants(docs, mentions), key=lambda m: (m.start, m.end))


def _with_variants(docs: Sequence[tuple[int, Doc]], mentions: list[Mention]) -> Iterable[Mention]:
    known: dict[tuple[str, ...], Mention] = {}
    for m in mentions:
        if m.kind == "name" and len(m.text.split()) >= 2:
            known.setdefault(_bag(m.text), m)
    if not known:
        yield from mentions
        return
    kept = list(mentions)
    for offset, doc in docs:
        for chunk in doc.noun_chunks:
            text = clean_name(chunk.text)
            name = known.get(_bag(text))
            if name is None or text == name.text or not any(c.isupper() for c in text):
                continue
            start = offset + chunk.start_char + chunk.text.find(text)
            end = start + len(text)
            overlapping = [m for m in kept if m.start < end and start < m.end]
            if any(m.start < start or m.end > end or m.kind != "name" for m in overlapping):
                continue
            kept = [m for m in kept if m not in overlapping]
            sent = chunk.sent
            kept.append(
                Mention(
                    text=text,
                    start=start,
                    end=end,
                    cls=name.cls,
                    label="VARIANT",
                    sent_start=offset + sent.start_char,
                    sent_end=offset + sent.end_char,
                    weight=0.0,  # no class vote: the name it repeats has one
                )
            )
    yield from kept
