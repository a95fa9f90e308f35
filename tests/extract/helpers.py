"""Hand-built parsed sentences for extractor tests (no model needed).

A sentence is written as its tokens, ``word|lemma|POS|TAG|dep|head`` separated
by white space (``head`` is the absolute token index), as the English pipeline
parsed it once, frozen so that the rule logic is tested on its own. Mentions
are given by token range and class; a reference names its antecedent by index
in the mention list.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc

from kg.extract.registry import SentenceContext, get_extractors
from kg.lexicon import load_lexicon
from kg.model import Fact, Mention, Relation

__all__ = ["M", "context", "described", "parse", "run", "triples"]


@dataclass(frozen=True)
class M:
    """A mention spec: tokens ``start:end``, class, kind, antecedent index, class-vote weight."""

    start: int
    end: int
    cls: str
    kind: str = "name"
    ante: int | None = None
    weight: float = 3.0


@functools.lru_cache(maxsize=1)
def _vocab():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.blank("en").vocab  # English lexical attributes, no model


_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "'s", "’s", "%", "-"}
_NO_SPACE_AFTER = {"(", "-", "$"}


def parse(tokens: str) -> Doc:
    """A Doc from ``word|lemma|POS|TAG|dep|head`` tokens (spaced like ordinary prose)."""
    rows = [t.rsplit("|", 5) for t in tokens.split()]
    words = [r[0] for r in rows]
    spaces = [
        k + 1 < len(words) and words[k + 1] not in _NO_SPACE_BEFORE and words[k] not in _NO_SPACE_AFTER
        for k in range(len(words))
    ]
    return Doc(
        _vocab(),
        words=words,
        spaces=spaces,
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        tags=[r[3] for r in rows],
        deps=[r[4] for r in rows],
        heads=[int(r[5]) for r in rows],
    )


def _mentions(doc: Doc, specs: Iterable[M]) -> list[Mention]:
    out = []
    for spec in specs:
        span = doc[spec.start : spec.end]
        sent = span.sent
        out.append(
            Mention(
                text=span.text,
                start=span.start_char,
                end=span.end_char,
                cls=spec.cls,
                label="TEST",
                sent_start=sent.start_char,
                sent_end=sent.end_char,
                kind=spec.kind,
                antecedent=spec.ante,
                weight=0.0 if spec.kind in ("pronoun", "description", "embedded") else spec.weight,
            )
        )
    return out


def context(tokens: str, specs: Iterable[M], sentence: int = -1) -> SentenceContext:
    """The context of sentence number ``sentence`` (default: the last) of a hand-built Doc."""
    doc = parse(tokens)
    specs = list(specs)
    mentions = _mentions(doc, specs)
    sent = list(doc.sents)[sentence]
    inside = [
        (i, m, doc[s.start : s.end])
        for i, (m, s) in enumerate(zip(mentions, specs))
        if sent.start <= s.start and s.end <= sent.end
    ]
    return SentenceContext(sent, 0, inside, mentions, load_lexicon())


def run(name: str, tokens: str, specs: Iterable[M], sentence: int = -1) -> tuple[list[Relation], SentenceContext]:
    """Run the extractor ``name`` on the sentence; its relations and the context."""
    ctx = context(tokens, specs, sentence)
    [(_, extractor)] = get_extractors([name])
    return list(extractor(ctx)), ctx


def _name(ctx: SentenceContext, idx: int) -> str:
    m = ctx.all_mentions[idx]
    while m.antecedent is not None:
        m = ctx.all_mentions[m.antecedent]
    return m.text


def triples(relations: Iterable[Relation], ctx: SentenceContext) -> set[tuple[str, str, str]]:
    """(subject, property, object) with references replaced by the names they stand for."""
    return {(_name(ctx, r.subject), r.property, _name(ctx, r.object)) for r in relations}


def described(facts: Iterable[Fact], ctx: SentenceContext) -> set[tuple[str, str, str, str, str | None]]:
    return {(_name(ctx, f.subject), f.measure, f.value, f.unit, f.date) for f in facts}
