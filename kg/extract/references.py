"""Resolve pronouns and definite descriptions to the name mention they refer to.

Within one document, "he"/"him" refer to the nearest earlier person, "it"/"its"
to the nearest earlier non-person in the same or the previous sentence, and a
definite description ("the park", "the company") to the nearest earlier name
whose class fits the noun or whose head word is that noun. Unresolved
references are dropped.
"""

from __future__ import annotations

from dataclasses import replace

from kg.lexicon import Lexicon
from kg.model import Mention
from kg.vocab import is_subclass

__all__ = ["resolve_references"]

#: most characters between two sentences that count as adjacent (spaces, a paragraph break)
SENTENCE_GAP = 3


def _fits(m: Mention, classes: tuple[str, ...]) -> bool:
    return any(is_subclass(m.cls, c) for c in classes)


def resolve_references(mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """Set ``antecedent`` on reference mentions; drop the ones left unresolved.

    ``mentions`` are one document's, sorted by offset; indices in the result
    refer to the result list.
    """
    names: list[int] = []  # indices (in ``out``) of name mentions seen so far
    out: list[Mention] = []
    for m in mentions:
        if m.kind in ("name", "acronym"):
            names.append(len(out))
            out.append(m)
            continue
        target = _antecedent(m, out, names, lex)
        if target is not None:
            out.append(replace(m, antecedent=target, cls=out[target].cls))
    return out


def _near(cand: Mention, m: Mention) -> bool:
    """``cand`` is in the sentence of ``m`` or the one right before it."""
    if cand.sent_start == m.sent_start:
        return True
    return 0 <= m.sent_start - cand.sent_end <= SENTENCE_GAP


def _antecedent(m: Mention, out: list[Mention], names: list[int], lex: Lexicon) -> int | None:
    word = m.text.lower().split()[-1]
    if m.kind == "pronoun":
        classes = lex.pronouns.get(word, ())
        for idx in reversed(names):
            cand = out[idx]
            if not _near(cand, m) and cand.sent_start != m.sent_start:
                if cand.sent_end < m.sent_start - SENTENCE_GAP:
                    break
                continue
            if cand.end <= m.start and _fits(cand, classes):
                return _root(out, idx)
        return None
    classes = lex.descriptions.get(word, ())
    for idx in reversed(names):
        cand = out[idx]
        head = cand.text.lower().split()[-1].rstrip(".")
        if cand.end <= m.start and (head == word or _fits(cand, classes)):
            return _root(out, idx)
    return None


def _root(out: list[Mention], idx: int) -> int:
    while out[idx].antecedent is not None:
        idx = out[idx].antecedent  # type: ignore[assignment]
    return idx
