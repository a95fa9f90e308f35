"""The subject rank of a pair: how many possible subjects are nearer the object than
the pair's subject, by dependency edges and then words (hand-built trees, no model)."""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.tokens import Doc

from kg.text2kg.features import SentenceContext
from kg.text2kg.spans import Span

VOCAB = spacy.blank("en").vocab


def _random_doc(rng: random.Random, sentences: list[int]) -> Doc:
    """Random dependency trees, one per sentence of the given lengths."""
    heads, deps, starts, offset = [], [], [], 0
    for size in sentences:
        order = list(range(offset, offset + size))
        rng.shuffle(order)
        parent = {order[0]: order[0]}
        for k, tok in enumerate(order[1:], 1):
            # flat trees (every token on one node) and deep chains both occur
            parent[tok] = order[0] if rng.random() < 0.3 else order[rng.randrange(k)]
        heads += [parent[i] for i in range(offset, offset + size)]
        deps += ["ROOT" if parent[i] == i else "dep" for i in range(offset, offset + size)]
        starts += [True] + [False] * (size - 1)
        offset += size
    words = [f"w{i}" for i in range(offset)]
    return Doc(VOCAB, words=words, heads=heads, deps=deps, sent_starts=starts)


def _random_spans(rng: random.Random, doc: Doc, n: int) -> list[Span]:
    spans = []
    for _ in range(n):
        start = rng.randrange(len(doc))
        end = min(len(doc), start + rng.randint(1, 3))
        span = Span(start, end, doc[start:end].text, rng.randrange(start, end))
        if rng.random() < 0.2:
            span.date = "2001-01-01"  # a value: never a subject
        spans.append(span)
    return spans


def _distance(doc: Doc, a: int, b: int) -> int:
    """Dependency edges between two tokens, 99 across sentences (by brute force)."""
    if doc[a].sent.start != doc[b].sent.start:
        return 99
    up = [a]
    while doc[up[-1]].head.i != up[-1]:
        up.append(doc[up[-1]].head.i)
    k, cur = 0, b
    while cur not in up:
        cur, k = doc[cur].head.i, k + 1
    return up.index(cur) + k


def _reference_rank(doc: Doc, spans: list[Span], s: Span, o: Span) -> int:
    """The definition: sort the other non-value spans that do not overlap the object
    by (edges, words, order); the rank counts changes of head, capped at 3."""
    cands = [c for c in spans if not c.is_value and c is not o and not (c.start < o.end and o.start < c.end)]
    cands.sort(key=lambda c: (_distance(doc, c.head, o.head), abs(c.start - o.start)))
    last, rank = None, -1
    for c in cands:
        if c.head != last:
            rank, last = rank + 1, c.head
        if c is s:
            return min(rank, 3)
    return 3


@pytest.mark.parametrize("seed", range(12))
def test_subject_rank_follows_its_definition_on_random_trees(seed):
    rng = random.Random(seed)
    doc = _random_doc(rng, [rng.randint(1, 40) for _ in range(rng.randint(1, 4))])
    spans = _random_spans(rng, doc, rng.randint(2, 60))
    ctx = SentenceContext(doc=doc, spans=spans, main=None)
    for o in spans:
        for s in spans:
            if s is not o:
                assert min(ctx.subject_rank(s, o), 3) == _reference_rank(doc, spans, s, o)


def test_the_nearest_subject_in_the_tree_wins_over_the_nearest_in_words():
    # w0 <- w1 -> w2 ... : w4 hangs on w1 beside the object w2, w3 is a child of w4
    doc = Doc(VOCAB, words=[f"w{i}" for i in range(5)], heads=[1, 1, 1, 4, 1],
              deps=["dep", "ROOT", "dep", "dep", "dep"], sent_starts=[True] + [False] * 4)
    obj, near_in_words, near_in_tree = Span(2, 3, "w2", 2), Span(3, 4, "w3", 3), Span(0, 1, "w0", 0)
    ctx = SentenceContext(doc=doc, spans=[near_in_tree, obj, near_in_words], main=None)
    assert ctx.subject_rank(near_in_tree, obj) == 0  # two edges away (w2-w1-w0), two words
    assert ctx.subject_rank(near_in_words, obj) == 1  # three edges away (w2-w1-w4-w3), one word
