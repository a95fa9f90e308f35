"""Resolve pronouns and definite descriptions to the name mention they refer to.

Within one document, "he"/"him" refer to an earlier person, "it"/"its" to an
earlier non-person in the same or the previous two sentences. A pronoun that
is a subject takes the nearest earlier subject (the subject is what a text is
about: "The Lingang New Area has released rules based on Pudong New Area
regulations. It has also issued …" is about Lingang); another pronoun looks in
its own sentence first ("the revenue of BYD rose, and its market share …"),
preferring a subject there, then in the sentences before.
A definite description ("the park", "the base") refers to the nearest name of
the last few sentences whose head word is that noun, else to the nearest one
there whose class fits the noun, else likewise further back. A name inside a longer name ("Lingang New Area" in "Lingang New
Area Management Committee", kind ``embedded``) refers to an earlier mention of
the same name. Unresolved references are dropped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from kg.lexicon import Lexicon
from kg.model import Mention
from kg.vocab import is_subclass

__all__ = ["resolve_references"]

#: how far back (in sentences) a pronoun may look
PRONOUN_WINDOW = 2
#: most characters between two sentences that count as adjacent (spaces, a paragraph break)
SENTENCE_GAP = 3
#: how far back (in sentences) a description prefers a name with its head word
DESCRIPTION_WINDOW = 6


#: class-vote weight at or below which a name's class is only the NER's guess
WEAK = 1.0


def _fits(m: Mention, classes: tuple[str, ...]) -> bool:
    if any(is_subclass(m.cls, c) for c in classes):
        return True
    # the NER says only "ORG": "the company" may well be it
    return m.cls == "Organization" and m.weight <= WEAK and any(is_subclass(c, "Organization") for c in classes)


def resolve_references(
    mentions: list[Mention], lex: Lexicon, *, subjects: Sequence[int] = (), sentence_starts: Sequence[int] | None = None
) -> list[Mention]:
    """Set ``antecedent`` on reference mentions; drop the ones left unresolved.

    ``mentions`` are one document's, sorted by offset; indices in the result
    refer to the result list. ``subjects`` are the (sorted) character offsets
    of the tokens that are grammatical subjects, and ``sentence_starts`` the sorted
    start offsets of every sentence, when the parse is known.
    """
    names: list[int] = []  # indices (in ``out``) of name mentions seen so far
    sentences: list[int] = []  # sentence number of each name in ``names``
    seen: list[int] = []  # names and resolved references, for pronouns
    seen_sents: list[int] = []
    sent_order: dict[int, int] = {}
    last_end = 0
    out: list[Mention] = []
    is_subject = _subject_test(subjects)
    for m in mentions:
        if m.sent_start not in sent_order:
            if sentence_starts is not None:
                sent_order[m.sent_start] = bisect_right(sentence_starts, m.sent_start) - 1
            else:
                # without the parse: text between two sentences with mentions holds
                # sentences without any, so they count as far apart
                gap = m.sent_start - last_end if sent_order else 0
                step = 1 if gap <= SENTENCE_GAP else PRONOUN_WINDOW + 1
                sent_order[m.sent_start] = max(sent_order.values()) + step if sent_order else 0
            last_end = m.sent_end
        sent = sent_order[m.sent_start]
        if m.kind in ("name", "acronym"):
            names.append(len(out))
            sentences.append(sent)
            seen.append(len(out))
            seen_sents.append(sent)
            out.append(m)
            continue
        if m.kind == "embedded":
            target = _same_name(m, out, names)
        elif m.kind == "pronoun":
            target = _pronoun_antecedent(m, out, seen, seen_sents, sent, lex, is_subject)
        else:
            target = _antecedent(m, out, names, sentences, sent, lex)
        if target is not None:
            if m.kind != "embedded":
                seen.append(len(out))
                seen_sents.append(sent)
            out.append(replace(m, antecedent=target, cls=out[target].cls))
    return out


def _subject_test(subjects: Sequence[int]):  # type: ignore[no-untyped-def]
    def test(m: Mention) -> bool:
        k = bisect_left(subjects, m.start)
        return k < len(subjects) and subjects[k] < m.end

    return test


def _same_name(m: Mention, out: list[Mention], names: list[int]) -> int | None:
    """An embedded name refers to the nearest earlier mention of that name (a place)."""
    key = m.text.casefold()
    for idx in reversed(names):
        cand = out[idx]
        if cand.kind == "name" and cand.text.casefold() == key and cand.end <= m.start and is_subclass(cand.cls, "Place"):
            return _root(out, idx)
    return None


def _pronoun_antecedent(
    m: Mention,
    out: list[Mention],
    seen: list[int],
    seen_sents: list[int],
    sent: int,
    lex: Lexicon,
    is_subject,  # type: ignore[no-untyped-def]
) -> int | None:
    """A subject pronoun takes the nearest earlier subject that fits. Otherwise the
    closest sentence (this one first) with a fitting mention decides; in it, a
    subject wins over the nearest mention."""
    classes = lex.pronouns.get(m.text.lower(), ())
    if is_subject(m):
        # a subject pronoun continues the topic: the nearest earlier subject that fits
        for idx, s in zip(reversed(seen), reversed(seen_sents)):
            if sent - s > PRONOUN_WINDOW:
                break
            cand = out[idx]
            if cand.end <= m.start and _fits(cand, classes) and is_subject(cand):
                return _root(out, idx)
    group: list[int] = []
    group_sent = None
    for idx, s in zip(reversed(seen), reversed(seen_sents)):
        if sent - s > PRONOUN_WINDOW:
            break
        if group and s != group_sent:
            break  # the closer sentence had candidates
        cand = out[idx]
        if cand.end <= m.start and _fits(cand, classes):
            group.append(idx)
            group_sent = s
    if not group:
        return None
    subjects = [idx for idx in group if is_subject(out[idx])]
    return _root(out, subjects[0] if subjects else group[0])


def _antecedent(m: Mention, out: list[Mention], names: list[int], sentences: list[int], sent: int, lex: Lexicon) -> int | None:
    word = m.text.lower().split()[-1]
    classes = lex.descriptions.get(word, ())
    recent = [idx for idx, s in zip(names, sentences) if sent - s <= DESCRIPTION_WINDOW and out[idx].end <= m.start]
    older = [idx for idx, s in zip(names, sentences) if sent - s > DESCRIPTION_WINDOW]
    for pool in (recent, older):  # nearby names first; in each, the head word before the class
        for idx in reversed(pool):
            if _head_word(out[idx].text) == word:
                return _root(out, idx)
        for idx in reversed(pool):
            if _fits(out[idx], classes):
                return _root(out, idx)
    return None


def _head_word(name: str) -> str:
    """ "Qingpu Innovation Park" → "park"; "Department of Commerce" → "department"."""
    words = name.lower().split()
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    return words[-1].rstrip(".") if words else ""


def _root(out: list[Mention], idx: int) -> int:
    while out[idx].antecedent is not None:
        idx = out[idx].antecedent  # type: ignore[assignment]
    return idx
