"""Candidate mention pairs of a sentence and their features: the input of the relation engine.

Every two mentions of one sentence that stand for different things are a
candidate (a pronoun or description counts as the name it refers to, so pairs
reach across sentences through references). A candidate is described by
strings, in the spirit of the classic feature-based relation extractors
(Mintz et al. 2009; Zhou et al. 2005):

* the classes and kinds of the two mentions;
* the words between them (as a whole when short, and one by one), the word
  before the first and after the second, and how many mentions lie between;
* the dependency path between their heads (labels and the lemma where the
  path turns), the verbs on it;
* the classes the project's word lists give those words (``bc:role`` for a word of a post
  between them, ``onc:v:produces`` for a verb of a ``produces`` frame on the path): the
  hand-written knowledge as features, so what the model learns from "president" on
  Wikipedia carries over to "CEO" in news;
* what the gazetteer says of one lying in the other (``g:in>``, ``g:out<``);
* what the hand-written extractors (:mod:`kg.extract.relations`) said about
  the pair: ``r:worksFor>`` means a rule linked the first mention (in text
  order) as subject of ``worksFor`` to the second. The rules are features, so
  the learned weights decide how far each rule is trusted.

Direction is relative to text order: ``>`` reads "first → second", ``<``
"second → first". Everything here is plain strings; no weights.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from spacy.tokens import Span, Token

from kg.extract.places import containment
from kg.model import Candidate, Mention, Relation
from kg.vocab import top_class

__all__ = ["Candidate", "candidates", "pair_features", "referent", "MAX_MENTIONS"]

#: bumped whenever the features change (it keys cached training data)
FEATURES_VERSION = 11
#: a sentence with more mentions than this gives pairs of its first mentions only
MAX_MENTIONS = 16
_MAX_WORDS = 6  # "words between" as one feature up to this length
_MAX_BAG = 12  # single words between, up to this distance
_MAX_PATH = 6


@functools.lru_cache(maxsize=1)
def word_classes() -> dict[str, tuple[str, ...]]:
    """Lower-case word or lemma → its classes in the lexicon and the relation triggers:
    ``role`` (a post: "ceo", "chairman"), ``founder``, ``part`` ("subsidiary", "branch"),
    ``parent``, ``v:<property>`` (a verb of a frame of that property: "manufacture" →
    ``v:produces``)."""
    from kg.extract.relations.triggers import load_triggers
    from kg.lexicon import load_lexicon

    lex, trig = load_lexicon(), load_triggers()
    out: dict[str, set[str]] = {}
    for tag, words in (("role", lex.role_words - {"in", "charge", "person", "party", "general"}),
                       ("founder", trig.founder_titles), ("part", trig.part_nouns), ("parent", trig.parent_nouns)):
        for w in words:
            out.setdefault(w, set()).add(tag)
    for frame in trig.frames:
        for lemma in frame.lemmas - {"*", "be", "have"}:
            out.setdefault(lemma, set()).add(f"v:{frame.property}")
    return {w: tuple(sorted(tags)) for w, tags in out.items()}


def _classes_of(tokens: Iterable[Token], prefix: str, ta: str, tb: str) -> list[str]:
    known = word_classes()
    tags = {tag for t in tokens for w in {t.lower_, _lemma(t)} for tag in known.get(w, ())}
    return [f for tag in sorted(tags) for f in (f"{prefix}:{tag}", f"{prefix}t:{ta}|{tag}|{tb}")]


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n <= 6 else "7-10" if n <= 10 else "11+"


def _lemma(tok: Token) -> str:
    if tok.like_num:
        return "<num>"
    return (tok.lemma_ or tok.text).lower()


def _chain(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) < 40:
        out.append(out[-1].head)
    return out


def _path(a: Token, b: Token) -> tuple[list[Token], Token, list[Token]] | None:
    """Tokens up from ``a`` to the lowest common ancestor, the ancestor, tokens down to ``b``."""
    up_a, up_b = _chain(a), _chain(b)
    pos_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in pos_b:
            return up_a[:k], t, list(reversed(up_b[: pos_b[t.i]]))
    return None


def _path_features(a: Span, b: Span, ta: str, tb: str) -> list[str]:
    found = _path(a.root, b.root)
    if found is None:
        return ["p:none"]
    up, top, down = found
    feats = []
    if len(up) + len(down) <= _MAX_PATH:
        deps = "^".join(t.dep_ for t in up) + f"|{_lemma(top)}|" + "v".join(t.dep_ for t in down)
        feats.append(f"p:{deps}")
        feats.append(f"pt:{ta}|{deps}|{tb}")
        feats.append("pd:" + "^".join(t.dep_ for t in up) + "|" + "v".join(t.dep_ for t in down))
    feats.append(f"pl:{len(up) + len(down) if len(up) + len(down) < 6 else '6+'}")
    feats.append(f"top:{_lemma(top)}")
    feats.append(f"topt:{ta}|{_lemma(top)}|{tb}")
    if top.i == a.root.i or top.i == b.root.i:
        feats.append("gov:" + ("first" if top.i == a.root.i else "second"))
    on = [t for t in (*up[1:], top, *down[:-1]) if t.i not in (a.root.i, b.root.i)]
    for t in on:
        if t.pos_ in ("VERB", "AUX", "NOUN", "ADP"):
            feats.append(f"on:{_lemma(t)}")
    feats.extend(_classes_of(on, "onc", ta, tb))
    # the prepositions and case markers right above each end ("in X", "of X", "X's")
    for side, span in (("a", a), ("b", b)):
        head = span.root.head
        if span.root.dep_ == "pobj":
            feats.append(f"prep{side}:{head.lower_}")
        for c in span.root.children:
            if c.dep_ == "case":
                feats.append(f"case{side}:{c.lower_}")
        feats.append(f"dep{side}:{span.root.dep_}")
    return feats


def pair_features(a: Span, b: Span, ma: Mention, mb: Mention, n_between_mentions: int) -> list[str]:
    """The features of mentions ``ma`` (span ``a``) before ``mb`` (span ``b``) in one sentence."""
    doc = a.doc
    ta, tb = top_class(ma.cls), top_class(mb.cls)
    feats = ["bias", f"c:{ma.cls}|{mb.cls}", f"t:{ta}|{tb}", f"ca:{ma.cls}", f"cb:{mb.cls}"]
    if ma.kind != "name" or mb.kind != "name":
        feats.append(f"k:{ma.kind}|{mb.kind}")
    between = doc[a.end : b.start] if a.end <= b.start else doc[0:0]
    n = len(between)
    feats.append(f"n:{_bucket(n)}")
    feats.append(f"m:{min(n_between_mentions, 3)}")
    words = [_lemma(t) for t in between]
    if n == 0:
        feats.append(f"adj:{ta}|{tb}")
    elif n <= _MAX_WORDS:
        w = " ".join(words)
        feats.append(f"w:{w}")
        feats.append(f"wt:{ta}|{w}|{tb}")
    if 0 < n <= _MAX_BAG:
        feats.extend(f"bw:{w}" for w in set(words))
        feats.append(f"bf:{words[0]}")
        feats.append(f"bl:{words[-1]}")
        feats.extend(_classes_of(between, "bc", ta, tb))
    else:
        feats.append("far")
    if a.start > 0:
        feats.append(f"pre:{_lemma(doc[a.start - 1])}")
    if b.end < len(doc):
        feats.append(f"post:{_lemma(doc[b.end])}")
    feats.extend(_path_features(a, b, ta, tb))
    feats.extend(_coordination(a.root, b.root, ta, tb))
    return feats


def _conj_top(tok: Token) -> Token:
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _coordination(a: Token, b: Token, ta: str, tb: str) -> list[str]:
    """Two members of one list ("Mercedes-Benz, BMW and Volkswagen"), or one end in a list the
    other is outside of: lists name things side by side, rarely one in or of the other."""
    ca, cb = _conj_top(a), _conj_top(b)
    if ca.i == cb.i:
        return ["coord:siblings", f"coordt:{ta}|{tb}"]
    listed = [side for side, tok, top in (("a", a, ca), ("b", b, cb))
              if tok.i != top.i or any(c.dep_ == "conj" for c in tok.children)]
    return [f"coord:in-list-{side}" for side in listed]


def geo_features(first: str, second: str) -> list[str]:
    """What the gazetteer says of the two names (first and second in text order) lying one in
    the other: ``g:in>`` (the first lies in the second), ``g:out<`` (the second is not in the first), ...
    (:func:`kg.extract.places.containment`)."""
    feats = []
    for inner, outer, arrow in ((first, second, ">"), (second, first, "<")):
        found = containment(inner, outer)
        if found:
            feats.append(f"g:{found}{arrow}")
    return feats


def referent(idx: int, mentions: Sequence[Mention]) -> int:
    """The name mention that mention ``idx`` stands for (itself for a name)."""
    seen = 0
    while mentions[idx].antecedent is not None and seen < 8:
        idx = mentions[idx].antecedent  # type: ignore[assignment]
        seen += 1
    return idx


def candidates(
    inside: Sequence[tuple[int, Mention, Span]], all_mentions: Sequence[Mention], rules: Iterable[Relation] = ()
) -> list[Candidate]:
    """Every pair of mentions of one sentence that stand for different things, with its features.

    ``inside`` holds (index in the document's mentions, mention, token span);
    ``rules`` are the hand-written extractors' relations in this sentence.
    """
    # a name inside a longer name (kind "embedded") is no argument of its own
    ordered = sorted((x for x in inside if x[1].kind != "embedded"), key=lambda x: (x[2].start, x[2].end))[:MAX_MENTIONS]
    said: dict[tuple[int, int], list[str]] = {}
    for r in rules:
        said.setdefault((r.subject, r.object), []).append(r.property)
    refs = {i: referent(i, all_mentions) for i, _, _ in ordered}
    out = []
    for x in range(len(ordered)):
        ia, ma, sa = ordered[x]
        for y in range(x + 1, len(ordered)):
            ib, mb, sb = ordered[y]
            if sb.start < sa.end:
                continue  # nested or overlapping spans name one thing
            if refs[ia] == refs[ib] or ma.text == mb.text:
                continue
            feats = pair_features(sa, sb, ma, mb, y - x - 1)
            feats.extend(geo_features(all_mentions[refs[ia]].text, all_mentions[refs[ib]].text))
            for prop in said.get((ia, ib), ()):
                feats.append(f"r:{prop}>")
            for prop in said.get((ib, ia), ()):
                feats.append(f"r:{prop}<")
            if (ia, ib) in said or (ib, ia) in said:
                feats.append("r:any")
            out.append(Candidate(ia, ib, tuple(feats)))
    return out
