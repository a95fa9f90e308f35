"""Features of a candidate (subject span, object span) pair in a parsed sentence.

Two families:

* :func:`pair_features` -- strings describing the pair alone (dependency path,
  words between, trigger lemmas, span kinds and entity types, context words).
  The model learns one weight per (feature, relation).
* :func:`relation_features` -- numbers describing how well the pair fits one
  relation of the ontology *without examples* (label words seen as triggers,
  range kind matches the object, values seen with the relation). Their weights
  are shared by all relations, so they carry over to relations (and
  ontologies) never seen in training.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import re
from dataclasses import dataclass, field

from kg.text2kg.nltk_tools import porter_stemmer
from kg.text2kg.ontology import split_label
from kg.text2kg.spans import Span, is_name_token

__all__ = [
    "SentenceContext",
    "pair_features",
    "RELATION_FEATURES",
    "RelationTable",
    "relation_tensor",
    "label_stems",
    "stem",
    "main_entity",
]

_CONTENT_POS = frozenset(("VERB", "NOUN", "ADJ", "PROPN", "ADP", "AUX", "NUM"))
_TRIGGER_POS = frozenset(("VERB", "NOUN", "ADJ", "ADP"))
_SUBJ_DEPS = frozenset(("nsubj", "nsubjpass"))
_LABEL_STOP = frozenset("the of a an by in to is has have at on for and or with from as".split())
_MAX_BETWEEN = 10


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return porter_stemmer().stem(word.lower())


def _related(a: str, b: str) -> bool:
    """Two stems name the same idea: equal, or sharing a 5-letter start."""
    if a == b:
        return True
    k = min(len(a), len(b))
    return k >= 4 and a[: min(k, 5)] == b[: min(k, 5)]


#: English nouns whose related verb or adjective does not share their stem
#: (irregular derivation; general morphology, nothing about any ontology)
DERIVATIONS: dict[str, tuple[str, ...]] = {
    "birth": ("bear", "born"), "death": ("die", "dead"), "height": ("high", "tall"),
    "length": ("long",), "width": ("wide",), "depth": ("deep",), "weight": ("weigh", "heavy"),
    "strength": ("strong",), "growth": ("grow",), "speech": ("speak",), "flight": ("fly",),
    "life": ("live",), "loss": ("lose",), "sale": ("sell",), "proof": ("prove",),
    "choice": ("choose",), "gift": ("give",), "sight": ("see",), "thought": ("think",),
    "seller": ("sell",), "heir": ("inherit",), "successor": ("succeed",),
    "predecessor": ("precede",), "residence": ("live", "reside"), "spouse": ("marry", "wife", "husband"),
    "child": ("son", "daughter"), "parent": ("father", "mother"), "sibling": ("brother", "sister"),
    "1st": ("first",), "2nd": ("second",), "3rd": ("third",), "4th": ("fourth",), "5th": ("fifth",),
}


def label_stems(words: list[str]) -> tuple[str, ...]:
    """Stems a relation label can show up as in text (its words and their
    irregular derivations)."""
    out = []
    for w in words:
        if w in _LABEL_STOP or len(w) <= 1:
            continue
        out.append(stem(w))
        out.extend(stem(d) for d in DERIVATIONS.get(w, ()))
    return tuple(out)


@dataclass
class SentenceContext:
    """Per-document data shared by every pair: paths to the root, stems, the topic."""

    doc: object
    spans: list[Span]
    main: Span | None
    stems: list[str] = field(default_factory=list)
    ancestors: list[list[int]] = field(default_factory=list)
    referents: dict[int, Span] = field(default_factory=dict)
    _ranks: dict[int, dict[int, int]] = field(default_factory=dict)
    _index: "_SubjectIndex | None" = None
    _sent_of: list[int] | None = None

    def same_sentence(self, a: int, b: int) -> bool:
        """Whether tokens a and b are in one sentence (``Token.sent`` walks the
        sentence on every call: a sentence of thousands of tokens made it quadratic)."""
        sent_of = self._sent_of
        if sent_of is None:
            sent_of = self._sent_of = [0] * len(self.doc)
            for k, sent in enumerate(self.doc.sents):
                sent_of[sent.start:sent.end] = [k] * (sent.end - sent.start)
        return sent_of[a] == sent_of[b]

    def subject_rank(self, s: Span, o: Span) -> int:
        """How many other possible subjects are closer to ``o`` than ``s`` is
        (dependency edges, then words), counting spans that share a head once;
        3 stands for 3 or more (the feature is capped there)."""
        ranks = self._ranks.get(id(o))
        if ranks is None:
            ranks = {}
            last_head, rank = None, -1
            for c in self._nearest_subjects(o):
                if c.head != last_head:  # spans sharing a head share a rank
                    rank += 1
                    last_head = c.head
                    if rank >= _RANK_CAP:
                        break
                ranks[id(c)] = rank
            self._ranks[id(o)] = ranks
        return ranks.get(id(s), _RANK_CAP)

    def _nearest_subjects(self, o: Span):
        """The possible subjects of ``o`` nearest first: those of its sentence by
        dependency edges from its head (breadth first, so a sentence of thousands
        of spans costs what its nearest few do), ties by words then order, and
        then those of other sentences by words."""
        index = self._index
        if index is None:
            index = self._index = _SubjectIndex(self.doc, self.spans)

        seen: set[int] = set()
        runs = [[o.head]]  # the level as the sorted neighbour lists it is made of
        while runs:
            walked: list[int] = []
            yield from index.level_by_words(o, runs, seen, walked)
            runs = [index.neighbours[t] for t in walked]
        yield from (c for c in index.by_distance(o.start) if c is not o and not (c.start < o.end and o.start < c.end)
                    and not self.same_sentence(c.head, o.head))

    def resolve(self, span: Span) -> Span:
        """The span a pronoun stands for (the span itself when it is no pronoun)."""
        if span.is_pronoun:
            return self.referents.get(id(span), span)
        return span

    @classmethod
    def build(cls, doc, spans: list[Span]) -> "SentenceContext":
        ancestors = []
        for tok in doc:
            chain = [tok.i]
            cur = tok
            while cur.head.i != cur.i and len(chain) < 64:
                cur = cur.head
                chain.append(cur.i)
            ancestors.append(chain)
        main = main_entity(doc, spans)
        return cls(doc=doc, spans=spans, main=main,
                   stems=[stem(t.lemma_) for t in doc], ancestors=ancestors,
                   referents=_referents(doc, spans, main))


_RANK_CAP = 3  # subject ranks past this are one feature value


class _SubjectIndex:
    """The spans that can be subjects (no dates or numbers), by head token and by
    start: what :meth:`SentenceContext.subject_rank`
    searches."""

    def __init__(self, doc, spans: list[Span]) -> None:
        self.by_head: dict[int, list[tuple[int, Span]]] = {}
        #: the tokens one dependency edge away from each token (its head, its children)
        self.neighbours: list[list[int]] = [[] for _ in range(len(doc))]
        for tok in doc:
            if tok.head.i != tok.i:
                self.neighbours[tok.i].append(tok.head.i)
                self.neighbours[tok.head.i].append(tok.i)
        for run in self.neighbours:
            run.sort()
        cands = [(n, c) for n, c in enumerate(spans) if not c.is_value]
        #: how far left of its head a span may start
        self.width = max((c.head - c.start for _, c in cands), default=0)
        for n, c in cands:
            self.by_head.setdefault(c.head, []).append((n, c))
        self.by_start = sorted(cands, key=lambda x: (x[1].start, x[0]))
        self.starts = [c.start for _, c in self.by_start]

    def level_by_words(self, o: Span, runs: list[list[int]], seen: set[int], walked: list[int]):
        """The subjects headed by the tokens of one breadth-first level, by
        (words from ``o``, span order), found lazily: each run (a sorted list of
        tokens) is walked outwards from ``o`` and a span is given out once no token
        left can head a nearer one. Walked tokens are added to ``seen`` and
        ``walked`` (the caller makes the next level of them)."""
        at, width, by_head = o.start, self.width, self.by_head
        cursors: list[tuple[int, int, int, int]] = []  # (least distance, run, step, position)

        def push(r: int, step: int, k: int) -> None:
            if 0 <= k < len(runs[r]):
                t = runs[r][k]
                heapq.heappush(cursors, (at - t if t < at else max(0, t - width - at), r, step, k))

        for r, run in enumerate(runs):
            k = bisect.bisect_left(run, at)
            push(r, -1, k - 1)
            push(r, 1, k)
        ready: list[tuple[int, int, Span]] = []
        while cursors:
            bound, r, step, k = heapq.heappop(cursors)
            while ready and ready[0][0] < bound:
                yield heapq.heappop(ready)[2]
            t = runs[r][k]
            if t not in seen:
                seen.add(t)
                walked.append(t)
                for n, c in by_head.get(t, ()):
                    if c is not o and not (c.start < o.end and o.start < c.end):
                        heapq.heappush(ready, (abs(c.start - at), n, c))
            push(r, step, k + step)
        while ready:
            yield heapq.heappop(ready)[2]

    def by_distance(self, start: int):
        """Every span by distance of its start from ``start``, ties in span order: the
        spans before ``start`` walked leftwards (each group of one start in span
        order) merged with those from ``start`` on, lazily."""
        items, right = self.by_start, bisect.bisect_left(self.starts, start)

        def leftwards():
            k = right - 1
            while k >= 0:
                j = k
                while j > 0 and items[j - 1][1].start == items[k][1].start:
                    j -= 1
                yield from ((start - c.start, n, c) for n, c in items[j:k + 1])
                k = j - 1

        rightwards = ((items[k][1].start - start, *items[k]) for k in range(right, len(items)))
        yield from (c for _, _, c in heapq.merge(leftwards(), rightwards))


_RELATIVE = frozenset(("who", "which", "that", "whose", "whom"))


def _name_like(doc, span: Span) -> bool:
    first, head = doc[span.start], doc[span.head]
    if head.pos_ == "ADJ" or (head.ent_type_ == "NORP" and span.end - span.start == 1):
        return False
    return first.text[:1].isupper() or first.text[:1].isdigit() or first.pos_ == "PROPN"


def _referents(doc, spans: list[Span], main: Span | None) -> dict[int, Span]:
    """Pronoun span -> what it stands for: a relative pronoun its antecedent (the
    noun the relative clause hangs on), any other pronoun the topic of the text."""
    by_head: dict[int, Span] = {}
    for sp in spans:
        if sp.is_pronoun or sp.is_value or not _name_like(doc, sp):
            continue
        best = by_head.get(sp.head)
        if best is None or (sp.end - sp.start) > (best.end - best.start):
            by_head[sp.head] = sp
    out: dict[int, Span] = {}
    for sp in spans:
        if not sp.is_pronoun:
            continue
        tok = doc[sp.start]
        target = main
        if tok.lower_ in _RELATIVE:
            clause = tok.head
            while clause.dep_ not in ("relcl", "acl") and clause.head.i != clause.i and clause.i != tok.i:
                if clause.dep_ in ("ROOT",):
                    break
                clause = clause.head
            if clause.dep_ in ("relcl", "acl") and clause.head.i in by_head:
                target = by_head[clause.head.i]
            else:
                # "X, who ...": the nearest name before the pronoun
                before = [s for s in by_head.values() if s.end <= sp.start]
                if before:
                    target = max(before, key=lambda s: (s.end, s.end - s.start))
        if target is not None:
            out[id(sp)] = target
    return out


def main_entity(doc, spans: list[Span]) -> Span | None:
    """The topic of a text: the subject name of its first sentence, else its first name."""
    def is_name(s: Span) -> bool:
        if s.is_value or s.is_pronoun or s.kinds == {"name_article"}:
            return False
        return bool(s.kinds & {"name", "name_qualified"}) or any(k.startswith("ent_") for k in s.kinds)

    names = [s for s in spans if is_name(s)]
    if not names:
        return None
    first_sent = doc[0].sent
    in_first = [s for s in names if s.start < first_sent.end]
    subj = [s for s in in_first if doc[s.head].dep_ in _SUBJ_DEPS]
    pool = subj or in_first or names
    # the longest of the earliest spans sharing a head (the full name, not a part)
    first = min(pool, key=lambda s: (s.start, -(s.end - s.start)))
    same_head = [s for s in pool if s.head == first.head and "name_qualified" not in s.kinds]
    return max(same_head or [first], key=lambda s: (s.end - s.start, -s.start))


def _path(ctx: SentenceContext, a: int, b: int) -> tuple[list[int], list[int]] | None:
    """Tokens from a up to the lowest common ancestor, and from there down to b."""
    up_a, up_b = ctx.ancestors[a], ctx.ancestors[b]
    set_b = set(up_b)
    for i, node in enumerate(up_a):
        if node in set_b:
            j = up_b.index(node)
            return up_a[: i + 1], up_b[:j]
    return None


def lex(tok) -> str:
    """A token's lemma, with names and numbers abstracted (entities do not repeat
    between examples and new text, their contexts do)."""
    if tok.like_num or tok.is_digit:
        return "#NUM"
    if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and not tok.is_sent_start):
        return "#NAME"
    return tok.lemma_.lower()


def _kind_of(span: Span, doc) -> list[str]:
    kinds = sorted(span.kinds)
    if span.date:
        kinds.append("DATE")
    if span.number is not None:
        kinds.append("NUMBER")
    if span.month_year:
        kinds.append("MONTHYEAR")
    return kinds


def _case(span: Span, doc) -> str:
    words = [t for t in doc[span.start:span.end] if t.is_alpha]
    if not words:
        return "nonalpha"
    if all(t.text[:1].isupper() for t in words):
        return "title"
    if any(t.text[:1].isupper() for t in words):
        return "mixed"
    return "lower"


def _edges(span: Span, doc) -> str:
    """Whether the span could grow into a neighbouring name token: "LR", "L", "R", "-"."""
    left = span.start > 0 and is_name_token(doc[span.start - 1])
    right = span.end < len(doc) and is_name_token(doc[span.end])
    inner_name = is_name_token(doc[span.start]) and is_name_token(doc[span.end - 1])
    if not inner_name:
        return "notname"
    return ("L" if left else "") + ("R" if right else "") or "-"


def pair_features(ctx: SentenceContext, s: Span, o: Span) -> list[str]:
    """String features of the pair (subject span ``s``, object span ``o``)."""
    doc = ctx.doc
    hs, ho = s.head, o.head
    feats: list[str] = ["bias"]
    add = feats.append
    # --- the subject
    if s.is_pronoun:
        add("s_pron=" + ("rel" if doc[s.start].lower_ in _RELATIVE else "pers"))
        if ctx.main is not None and ctx.resolve(s) is ctx.main:
            add("s_pron_main")
    if ctx.main is not None and (s is ctx.main or (s.head == ctx.main.head)):
        add("s_main")
    add("s_dep=" + doc[hs].dep_)
    add("s_case=" + _case(s, doc))
    add("s_edge=" + _edges(s, doc))
    for k in _kind_of(s, doc):
        add("s_kind=" + k)
    if doc[hs].ent_type_:
        add("s_ent=" + doc[hs].ent_type_)
    # --- the object
    o_kinds = _kind_of(o, doc)
    for k in o_kinds:
        add("o_kind=" + k)
    if doc[ho].ent_type_:
        add("o_ent=" + doc[ho].ent_type_)
    add("o_case=" + _case(o, doc))
    add("o_len=" + str(min(o.end - o.start, 5)))
    add("o_edge=" + _edges(o, doc))
    # place in a comma chain of names ("Kuttikkattoor, Kerala, India"): first is most specific
    after_comma = o.start >= 2 and doc[o.start - 1].text == "," and is_name_token(doc[o.start - 2])
    before_comma = o.end + 1 < len(doc) and doc[o.end].text == "," and is_name_token(doc[o.end + 1])
    if after_comma or before_comma:
        add("o_chain=" + ("middle" if after_comma and before_comma else "last" if after_comma else "first"))
    add("o_edge_kind=" + _edges(o, doc) + "|" + (o_kinds[0] if o_kinds else ""))
    add("o_head=" + lex(doc[ho]))
    add("o_last=" + lex(doc[o.end - 1]))
    gov = doc[ho].head
    add("o_dep=" + doc[ho].dep_ + "|" + lex(gov))
    if gov.head.i != gov.i:
        add("o_dep2=" + doc[ho].dep_ + "|" + lex(gov) + "|" + lex(gov.head))
    for k in range(max(0, o.start - 3), o.start):
        add("o_before=" + lex(doc[k]))
    if o.start >= 1:
        add("o_prev=" + lex(doc[o.start - 1]))
    if o.start >= 2:
        add("o_prev2=" + lex(doc[o.start - 2]) + "_" + lex(doc[o.start - 1]))
    if o.end < len(doc):
        add("o_next=" + lex(doc[o.end]))
    # the words of the object span: type words recur across names ("FC",
    # "University", "County"), common nouns say what it is ("metal", "airport")
    for t in doc[o.start:o.end]:
        if t.is_alpha:
            add("o_word=" + t.lower_)
    last = doc[o.end - 1]
    if last.is_alpha:
        add("o_lastword=" + last.lower_)
    s_last = doc[s.end - 1]
    if s_last.is_alpha and not s.is_pronoun:
        add("s_lastword=" + s_last.lower_)
    # --- the two together
    same_sent = ctx.same_sentence(hs, ho)
    add("order=" + ("so" if s.start < o.start else "os"))
    rank = ctx.subject_rank(s, o)
    add("s_rank=" + str(min(rank, 3)))
    if s.is_pronoun or (ctx.main is not None and s.head == ctx.main.head):
        add("s_rank_main=" + str(min(rank, 3)))
    if not same_sent:
        add("xsent")
        if s.is_pronoun or s is ctx.main:
            add("xsent_" + ("pron" if s.is_pronoun else "main"))
    else:
        path = _path(ctx, hs, ho)
        if path is not None:
            up, down = path
            lca = up[-1]
            deps_up = [doc[i].dep_ for i in up[:-1]]
            deps_down = [doc[i].dep_ for i in reversed(down)]
            lemma_lca = lex(doc[lca])
            add("path=" + "<".join(deps_up) + "^" + lemma_lca + "^" + ">".join(deps_down))
            add("dpath=" + "<".join(deps_up) + "^" + ">".join(deps_down))
            inner = [i for i in up[1:] + list(reversed(down))[:-1] if i not in (hs, ho)]
            lexpath = "_".join(lex(doc[i]) for i in inner if doc[i].pos_ in _CONTENT_POS)
            add("lpath=" + lexpath)
            add("plen=" + str(min(len(up) + len(down), 7)))
            for i in inner:
                if doc[i].pos_ in _TRIGGER_POS:
                    add("trig=" + lex(doc[i]))
            add("lca_pos=" + doc[lca].pos_)
        lo, hi = (s.end, o.start) if s.start < o.start else (o.end, s.start)
        gap = hi - lo
        if gap < 0:
            add("overlap")
        else:
            add("gap=" + str(min(gap, 8)))
            if gap <= _MAX_BETWEEN:
                words = [lex(doc[k]) for k in range(lo, hi)
                         if doc[k].pos_ in _CONTENT_POS and not doc[k].is_punct]
                for w in words:
                    add("btw=" + w)
                if gap <= 5:
                    add("bseq=" + "_".join(lex(doc[k]) for k in range(lo, hi)))
    return feats


#: names of the relation-conditioned features, in vector order
RELATION_FEATURES = (
    "label_on_path",      # a label word is a trigger between the arguments
    "label_near_object",  # a label word in the three words before the object
    "label_in_object",    # a label word inside the object span
    "label_in_sentence",  # a label word anywhere in the sentence
    "range_kind_match",   # a literal range and an object of that kind (date, number)
    "range_kind_clash",   # a literal range and an object that is not, or the reverse
    "object_seen",        # the object value was an object of this relation in the examples
    "subject_seen",       # the subject was a subject of this relation in the examples
    "object_type",        # log P(object entity type | range class), learned per class
    "subject_type",       # log P(subject entity type | domain class), learned per class
    "domain_literal",     # the subject is a date or a number (never a good subject)
    "unseen",             # the relation had no examples
    "range_in_object",    # a word of the range class label inside the object ("... Party")
    "range_near_object",  # a word of the range class label just before the object ("the city of")
    "domain_near_subject",  # a word of the domain class label in or next to the subject
    "object_is_label",    # every word of the object is a label word ("Astronaut Office")
    "range_entity_type",  # the recogniser's description of the object's type names the range class
    "domain_entity_type",  # same for the subject and the domain class
)


@dataclass
class RelationTable:
    """What the relation-conditioned features need to know about each relation.

    Built once per model (:meth:`build`); arrays are indexed by relation in
    ``labels`` order.
    """

    labels: list[str]
    stems: list[tuple[str, ...]]
    range_stems: list[tuple[str, ...]]
    domain_stems: list[tuple[str, ...]]
    range_ner: dict[str, object]  # NER label -> float (R,)
    domain_ner: dict[str, object]
    range_date: object  # bool arrays (R,)
    range_number: object
    range_entity: object
    unseen: object
    seen_objects: dict[str, object]  # normalised value -> bool (R,)
    seen_subjects: dict[str, object]
    object_types: dict[str, object]  # span type -> float (R,)
    subject_types: dict[str, object]
    default_type: object  # float (R,): log-prob of a type never seen with the class

    @classmethod
    def build(cls, relations, *, seen: set[str], objects: dict[str, set[str]],
              subjects: dict[str, set[str]], object_types: dict[str, dict[str, float]],
              subject_types: dict[str, dict[str, float]],
              range_kinds: list[str | None] | None = None) -> "RelationTable":
        import numpy as np

        labels = [r.label for r in relations]
        n = len(labels)
        # the literal kind of each range: declared, or taught by the examples
        # (a "Periapsis" class whose values are all numbers)
        kinds = range_kinds if range_kinds is not None else [r.range_kind for r in relations]

        def masks(values: dict[str, set[str]]) -> dict[str, object]:
            out: dict[str, object] = {}
            for k, label in enumerate(labels):
                for value in values.get(label, ()):
                    out.setdefault(value, np.zeros(n, dtype=np.float32))[k] = 1.0
            return out

        def type_table(table: dict[str, dict[str, float]], classes: list[str | None]):
            types = {t for dist in table.values() for t in dist if t != "<other>"}
            out = {}
            for t in types:
                out[t] = np.array([table[c].get(t, table[c].get("<other>", 0.0))
                                   if c in table else 0.0 for c in classes], dtype=np.float32)
            return out

        default = np.array([object_types[r.range].get("<other>", 0.0) if r.range in object_types
                            else 0.0 for r in relations], dtype=np.float32)
        return cls(
            labels=labels,
            stems=[label_stems(r.words) for r in relations],
            range_stems=[label_stems(split_label(r.range or "")) if r.range_kind is None else ()
                         for r in relations],
            domain_stems=[label_stems(split_label(r.domain or "")) for r in relations],
            range_ner=_ner_matches([r.range if r.range_kind is None else None for r in relations]),
            domain_ner=_ner_matches([r.domain for r in relations]),
            range_date=np.array([k == "date" for k in kinds]),
            range_number=np.array([k == "number" for k in kinds]),
            range_entity=np.array([k is None for k in kinds]),
            unseen=np.array([label not in seen for label in labels], dtype=np.float32),
            seen_objects=masks(objects),
            seen_subjects=masks(subjects),
            object_types=type_table(object_types, [r.range for r in relations]),
            subject_types=type_table(subject_types, [r.domain for r in relations]),
            default_type=default,
        )


def _ner_matches(classes: list[str | None]) -> dict[str, object]:
    """NER label -> which classes its own description (``spacy.explain``) names:
    "GPE" is "Countries, cities, states", so a class "City" takes GPE entities."""
    import numpy as np

    try:
        from spacy import explain
        from spacy.glossary import GLOSSARY
    except ImportError:  # pragma: no cover - spaCy is a dependency
        return {}
    labels = [k for k in GLOSSARY if k.isupper() and len(k) > 2 and k not in ("CARDINAL", "ORDINAL")]
    out: dict[str, object] = {}
    for label in labels:
        words = [stem(w) for w in re.findall(r"[a-z]+", (explain(label) or "").lower()) if len(w) > 3]
        row = np.zeros(len(classes), dtype=np.float32)
        for k, cls in enumerate(classes):
            if cls and any(_related(w, c) for c in label_stems(split_label(cls)) for w in words):
                row[k] = 1.0
        if row.any():
            out[label] = row
    return out


@functools.lru_cache(maxsize=262144)
def _related_any(token_stem: str, label: tuple[str, ...]) -> bool:
    return any(_related(token_stem, w) for w in label)


def relation_tensor(ctx: SentenceContext, pairs, table: RelationTable, *,
                    subject_key, span_type):
    """The :data:`RELATION_FEATURES` of every pair for every relation: array (P, R, G)."""
    import numpy as np

    n_rel = len(table.labels)
    out = np.zeros((len(pairs), n_rel, len(RELATION_FEATURES)), dtype=np.float32)
    if not pairs:
        return out
    # tokens whose stem is a label word of each relation
    tok = np.array([[_related_any(st, lab) for lab in table.stems] for st in ctx.stems],
                   dtype=np.float32).reshape(len(ctx.stems), n_rel)
    in_sentence = tok.max(axis=0) if len(tok) else np.zeros(n_rel, dtype=np.float32)
    tok_range = np.array([[_related_any(st, lab) if lab else False for lab in table.range_stems]
                          for st in ctx.stems], dtype=np.float32).reshape(len(ctx.stems), n_rel)
    tok_domain = np.array([[_related_any(st, lab) if lab else False for lab in table.domain_stems]
                           for st in ctx.stems], dtype=np.float32).reshape(len(ctx.stems), n_rel)
    zeros = np.zeros(n_rel, dtype=np.float32)
    obj_cache: dict[int, tuple] = {}
    subj_cache: dict[int, tuple] = {}
    doc = ctx.doc
    for n, (s, o) in enumerate(pairs):
        if id(o) not in obj_cache:
            near = tok[max(0, o.start - 3):o.start].max(axis=0) if o.start > 0 else zeros
            inside = tok[o.start:o.end].max(axis=0)
            if o.date or o.month_year or (o.number is not None and len(o.text) == 4):
                is_date, is_number = True, o.number is not None
            else:
                is_date, is_number = False, o.number is not None
            match = (table.range_date & is_date) | (table.range_number & is_number)
            entity_like = not o.is_value or bool(o.kinds & {"name", "ent_ORG", "ent_PERSON"})
            clash = ((table.range_date | table.range_number) & ~match) | (
                table.range_entity & (not entity_like))
            typ = span_type(o, doc)
            obj_cache[id(o)] = (
                near, inside, match.astype(np.float32), clash.astype(np.float32),
                table.seen_objects.get(normalize_key(o.text), zeros),
                table.object_types.get(typ, table.default_type),
                tok_range[o.start:o.end].max(axis=0),
                tok_range[max(0, o.start - 3):o.start].max(axis=0) if o.start > 0 else zeros,
                _all_label(tok, doc, o, zeros),
                table.range_ner.get(doc[o.head].ent_type_, zeros),
            )
        if id(s) not in subj_cache:
            typ = span_type(s, doc)
            ref = ctx.resolve(s)
            subj_cache[id(s)] = (
                table.seen_subjects.get(subject_key(ctx, s), zeros),
                table.subject_types.get(typ, zeros),
                1.0 if s.is_value else 0.0,
                tok_domain[max(0, ref.start - 2):min(len(doc), ref.end + 1)].max(axis=0),
                table.domain_ner.get(doc[ref.head].ent_type_, zeros),
            )
        near, inside, match, clash, o_seen, o_type, r_in, r_near, o_label, o_ner = obj_cache[id(o)]
        s_seen, s_type, s_literal, d_near, s_ner = subj_cache[id(s)]
        path = between_tokens(ctx, s, o)
        on_path = tok[sorted(path)].max(axis=0) if path else zeros
        g = out[n]
        g[:, 0] = on_path
        g[:, 1] = near
        g[:, 2] = inside
        g[:, 3] = in_sentence
        g[:, 4] = match
        g[:, 5] = clash
        g[:, 6] = o_seen
        g[:, 7] = s_seen
        g[:, 8] = o_type
        g[:, 9] = s_type
        g[:, 10] = s_literal
        g[:, 11] = table.unseen
        g[:, 12] = r_in
        g[:, 13] = r_near
        g[:, 14] = d_near
        g[:, 15] = o_label
        g[:, 16] = o_ner
        g[:, 17] = s_ner
    return out


def _all_label(tok, doc, o: Span, zeros):
    """1 for the relations whose label words make up every word of ``o``."""
    rows = [k for k in range(o.start, o.end) if not doc[k].is_punct and not doc[k].is_stop]
    if not rows:
        return zeros
    return tok[rows].min(axis=0)


def normalize_key(text: str) -> str:
    from kg.text2kg.score import normalize

    return normalize(text)


def between_tokens(ctx: SentenceContext, s: Span, o: Span) -> set[int]:
    """Tokens on the dependency path and between the spans (for label-word triggers)."""
    doc = ctx.doc
    toks: set[int] = set()
    if ctx.same_sentence(s.head, o.head):
        path = _path(ctx, s.head, o.head)
        if path is not None:
            toks.update(path[0])
            toks.update(path[1])
        lo, hi = (s.end, o.start) if s.start < o.start else (o.end, s.start)
        if 0 <= hi - lo <= _MAX_BETWEEN:
            toks.update(range(lo, hi))
    toks.difference_update(range(o.start, o.end))
    toks.difference_update(range(s.start, s.end))
    return toks
