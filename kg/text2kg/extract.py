"""Extract ontology triples from text with a learned model.

For each text: candidate spans, every (subject, object) pair scored for every
relation of the ontology, then per relation the best pair above the model's
threshold (and further pairs above a higher threshold), values in their
canonical form, and finally :func:`enforce_domain_range`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from kg.text2kg.features import SentenceContext
from kg.text2kg.model import ExtractionModel, pairs_of
from kg.text2kg.ontology import Ontology
from kg.text2kg.score import normalize
from kg.text2kg.spans import candidate_spans

__all__ = [
    "ExtractedTriple",
    "ScoredDoc",
    "score_doc",
    "decode",
    "consolidate",
    "extract_doc",
    "extract",
    "enforce_domain_range",
    "value_kind",
]


@dataclass(frozen=True)
class ExtractedTriple:
    """A statement in the ontology, with where it came from and how sure we are."""

    sub: str
    rel: str
    obj: str
    confidence: float
    sub_span: tuple[int, int]  # character offsets in the text
    obj_span: tuple[int, int]

    def as_list(self) -> list[str]:
        return [self.sub, self.rel, self.obj]


_ISO_RE = re.compile(r'^"?-?\d{4}(-\d\d(-\d\d)?)?"?$')
# a number, optionally with a unit word or a bracketed unit: 8500, "30843.8 (square metres)"
_NUMBER_RE = re.compile(
    r'^"?[-−]?[$€£]?\d[\d,]*(\.\d+)?((\s*[a-z%°/][a-z%°/.]*){0,3})(\s*\([^()]*\))?"?$')


def value_kind(value: str) -> str:
    """``date`` (ISO 8601), ``year`` (four digits), ``number`` or ``name``."""
    value = value.strip()
    if _YEAR_RE.match(value):
        return "year"
    if _ISO_RE.match(value):
        return "date"
    if _NUMBER_RE.match(value):
        return "number"
    return "name"


_YEAR_RE = re.compile(r'^"?\d{4}"?$')
#: kinds that can stand in for one another (a year is a date and a number)
_COMPATIBLE = {"year": {"year", "date", "number"}, "date": {"date", "year"},
               "number": {"number", "year"}, "name": {"name"}}


def _fits(ontology: Ontology, rel: str, sub: str, obj: str,
          allowed: set[str] | None = None) -> bool:
    """Literal checks of domain and range: a subject is never a bare date or
    number; the object must be of a kind the range allows (``allowed``, learned
    from the examples, else from the declared range: a date range takes a date,
    a number range a number, a class a name)."""
    if not ontology.has_relation(rel):
        return False
    if value_kind(sub) not in ("name",):
        return False
    obj_kind = value_kind(obj)
    if allowed is not None:
        return any(obj_kind in _COMPATIBLE.get(kind, {kind}) for kind in allowed)
    kind = ontology.relation(rel).range_kind
    if kind == "date":
        return obj_kind in ("date", "year") or bool(re.search(r"\d{4}", obj))
    if kind == "number":
        return obj_kind in ("number", "year")
    if kind is None:
        return obj_kind == "name"
    return True


def enforce_domain_range(triples: Sequence[ExtractedTriple], ontology: Ontology, *,
                         value_kinds: Callable[[str], set[str] | None] | None = None,
                         ) -> list[ExtractedTriple]:
    """Keep the triples that respect domain and range, most confident first.

    A triple's relation must belong to the ontology and its values must be of the
    range's kind (:func:`_fits`; a model knows from its examples which kinds of
    value a range class takes: a "Periapsis" class whose examples are all
    numbers takes numbers). Each entity then takes the classes its
    triples give it (domain for a subject, range for an object); a triple that
    would give an entity a class the ontology declares incompatible with one it
    already has (:meth:`Ontology.compatible`) is dropped.
    """
    kept: list[ExtractedTriple] = []
    classes: dict[str, set[str]] = {}
    for tr in sorted(triples, key=lambda t: -t.confidence):
        allowed = value_kinds(tr.rel) if value_kinds is not None else None
        if not _fits(ontology, tr.rel, tr.sub, tr.obj, allowed):
            continue
        rel = ontology.relation(tr.rel)
        wanted = [(normalize(tr.sub), rel.domain)]
        if rel.range_kind is None:
            wanted.append((normalize(tr.obj), rel.range))
        if any(cls and not all(ontology.compatible(cls, have) for have in classes.get(ent, ()))
               for ent, cls in wanted):
            continue
        for ent, cls in wanted:
            if cls:
                classes.setdefault(ent, set()).add(cls)
        kept.append(tr)
    order = {id(t): i for i, t in enumerate(triples)}
    return sorted(kept, key=lambda t: order[id(t)])


#: pairs tried per relation before giving up (domain and range may skip many)
MAX_TRIED = 30


@dataclass
class ScoredDoc:
    """A parsed text with its candidate pairs and their probabilities per relation."""

    doc: object
    ctx: SentenceContext | None
    pairs: list
    probs: object  # array (pairs, relations) or None
    ranking: object = None  # scores to rank pairs by (default: probs)


def score_doc(doc, model: ExtractionModel) -> ScoredDoc:
    """Candidate spans, pairs and the model's probabilities for one parsed text."""
    spans = candidate_spans(doc, day_first=model.day_first, extra=_lexicon_spans(doc, model),
                            articles=model.article_names)
    ctx = SentenceContext.build(doc, spans)
    pairs = pairs_of(ctx)
    if not pairs:
        return ScoredDoc(doc, ctx, pairs, None)
    probs, ranking = model.scores(ctx, pairs)
    return ScoredDoc(doc, ctx, pairs, probs, ranking if ranking is not probs else None)


def extract_doc(doc, model: ExtractionModel, **options) -> list[ExtractedTriple]:
    """Triples of one parsed text (a spaCy Doc); options as for :func:`decode`."""
    return decode(score_doc(doc, model), model, **options)


def decode(scored: ScoredDoc, model: ExtractionModel, *, threshold: float | None = None,
           threshold_multi: float | None = None,
           threshold_normalized: float | None = None,
           threshold_given: float | None = None,
           exclusive: bool = False) -> list[ExtractedTriple]:
    """The statements of a scored text.

    Per relation, the best pair is kept when its probability reaches
    ``threshold``; further pairs (another object) need ``threshold_multi``
    (lowered for relations the examples often state twice), or only
    ``model.threshold_conjoined`` when the object is coordinated with the first
    one and has the same subject ("created by A and B"). Pairs are tried in
    the order of ``scored.ranking`` (see :meth:`ExtractionModel.scores`) when
    there is one, else of their probability. Each pair also
    needs ``threshold_given`` of the relation's probability mass (its
    probability *if* the text states the relation at all). A statement whose
    subject or object is not written in the text as such (an ISO date made from
    "July 1, 1901", a canonical name learned from the examples, a quoted
    literal) is only made when the relation's probability of being stated
    reaches ``threshold_normalized``; below it the spans are kept as written.
    Domain and range narrow the search (a pair whose values do not fit is
    skipped for the next one). ``exclusive`` lets an object mention serve one
    relation only.
    """
    t1 = model.threshold if threshold is None else threshold
    t2 = model.threshold_multi if threshold_multi is None else threshold_multi
    th = model.threshold_normalized if threshold_normalized is None else threshold_normalized
    tg = model.threshold_given if threshold_given is None else threshold_given
    tc = model.threshold_conjoined
    doc, ctx, pairs, probs = scored.doc, scored.ctx, scored.pairs, scored.probs
    if not pairs:
        return []
    ranking = probs if scored.ranking is None else scored.ranking
    verbatim = _VerbatimCheck(doc.text)
    first_choice = _exclusive_choices(ranking, pairs) if exclusive else {}
    out: list[ExtractedTriple] = []
    for j, label in enumerate(model.relation_labels):
        column = probs[:, j]
        stated = float(column.sum())  # P(the text states this relation)
        ranked = ranking[:, j].argsort()[::-1]
        if j in first_choice:
            ranked = [first_choice[j]] + [n for n in ranked if n != first_choice[j]]
        taken_objects: list[tuple[int, int]] = []
        seen_values: set[tuple[str, str]] = set()
        allowed = model.allowed_kinds(label)
        # a relation the examples often state twice in a sentence needs less for a second object
        t2_rel = t2 * (1.0 - model.multi_valued.get(label, 0.0))
        first_pair = None
        for n in ranked[:MAX_TRIED]:
            p = float(column[n])
            s, o = pairs[n]
            needed = t1 if not taken_objects else t2_rel
            if first_pair is not None and _conjoined(doc, o, first_pair[1]) and \
                    ctx.resolve(s).head == ctx.resolve(first_pair[0]).head:
                needed = min(needed, tc)
            if p < needed:
                if taken_objects and p >= tc:
                    continue  # a conjoined object further down may still qualify
                if not taken_objects and scored.ranking is not None:
                    continue  # re-ranked: a later pair may still be likely enough
                break
            if stated > 0 and p / stated < tg:
                break
            if any(o.start < e and b < o.end for b, e in taken_objects):
                continue
            sub = model.subject_value(label, ctx, s)
            obj = model.object_value(label, o)
            if stated < th and not (verbatim(sub) and verbatim(obj)):
                if taken_objects:
                    break
                # a normalised value needs more confidence: below it, the spans as written
                obj = o.text
                sub = ctx.resolve(s).text
            if not _fits(model.ontology, label, sub, obj, allowed):
                continue  # domain and range narrow the search: try the next pair
            key = (normalize(sub), normalize(obj))
            if key in seen_values or key[0] == key[1]:
                continue
            seen_values.add(key)
            taken_objects.append((o.start, o.end))
            if first_pair is None:
                first_pair = (s, o)
            s_tok = ctx.resolve(s)
            out.append(ExtractedTriple(
                sub=sub, rel=label, obj=obj, confidence=round(p, 4),
                sub_span=(doc[s_tok.start].idx, doc[s_tok.end - 1].idx + len(doc[s_tok.end - 1])),
                obj_span=(doc[o.start].idx, doc[o.end - 1].idx + len(doc[o.end - 1])),
            ))
    return enforce_domain_range(out, model.ontology, value_kinds=model.allowed_kinds)


def _conjoined(doc, o, first) -> bool:
    """Two object spans in one coordination with a conjunction ("created by A
    and B"; not the comma chain of an address, which the parser also links)."""
    head = doc[first.head]
    if o.head == first.head or doc[o.head] not in head.conjuncts:
        return False
    return any(c.dep_ == "cc" for t in (head, *head.conjuncts) for c in t.children)


def consolidate(scored: Sequence[ScoredDoc], model: ExtractionModel, *, weight: float = 2.0,
                top: int = 5) -> None:
    """Let texts of one corpus support each other's statements (in place).

    Each text's ``top`` pairs per relation become statements (canonical values);
    a statement's support is the sum of its best probability in every *other*
    text. Pairs are then ranked by ``p * (1 + weight * support)``: a fact that
    other texts state tips the balance between close candidates. Probabilities,
    thresholds and reported confidences are left as they are.
    """
    import numpy as np

    labels = model.relation_labels
    keys_per_doc: list[dict[tuple[int, int], tuple]] = []
    best_per_doc: list[dict[tuple, float]] = []
    support: dict[tuple, float] = {}
    for sd in scored:
        keys: dict[tuple[int, int], tuple] = {}
        best: dict[tuple, float] = {}
        if sd.pairs:
            for j, label in enumerate(labels):
                for n in np.argsort(sd.probs[:, j])[::-1][:top]:
                    s, o = sd.pairs[n]
                    key = (label, normalize(model.subject_value(label, sd.ctx, s)),
                           normalize(model.object_value(label, o)))
                    keys[(int(n), j)] = key
                    best[key] = max(best.get(key, 0.0), float(sd.probs[n, j]))
        for key, p in best.items():
            support[key] = support.get(key, 0.0) + p
        keys_per_doc.append(keys)
        best_per_doc.append(best)
    for sd, keys, best in zip(scored, keys_per_doc, best_per_doc):
        if not sd.pairs:
            continue
        # re-ranked from the probabilities: support from other texts already
        # settles what relation competition would (measured: F1 0.464 against
        # 0.459 on top of the competition ranking)
        ranking = sd.probs.copy()
        for (n, j), key in keys.items():
            ranking[n, j] *= 1.0 + weight * (support[key] - best[key])
        sd.ranking = ranking


def _exclusive_choices(probs, pairs) -> dict[int, int]:
    """Best pair per relation when an object mention serves one relation only:
    greedy over (relation, pair) by probability."""
    import numpy as np

    order = np.argsort(probs, axis=None)[::-1]
    n_rel = probs.shape[1]
    chosen: dict[int, int] = {}
    claimed: list[tuple[int, int]] = []
    for flat in order[: 50 * n_rel]:
        n, j = divmod(int(flat), n_rel)
        if j in chosen:
            continue
        o = pairs[n][1]
        if any(o.start < e and b < o.end for b, e in claimed):
            continue
        chosen[j] = n
        claimed.append((o.start, o.end))
        if len(chosen) == n_rel:
            break
    return chosen


class _VerbatimCheck:
    """Is a value written in the text (compared as the benchmark compares: Porter
    stems, no spaces or underscores, lower case)?"""

    def __init__(self, text: str) -> None:
        from kg.text2kg.score import stemmed_normalized

        self._stem = functools.lru_cache(maxsize=4096)(stemmed_normalized)
        self._text = stemmed_normalized(text)

    def __call__(self, value: str) -> bool:
        return self._stem(value) in self._text


def _lexicon_spans(doc, model: ExtractionModel):
    """Spans whose text is a name the examples taught (so odd boundaries are proposed)."""
    known = model.lexicon_keys()
    if not known:
        return []
    out = []
    n = len(doc)
    for i in range(n):
        acc = ""
        for j in range(i, min(n, i + 10)):
            acc += normalize(doc[j].text)
            if acc in known:
                out.append((i, j + 1, "lexicon"))
    return out


def extract(texts: Iterable[str], model: ExtractionModel, *, docs: Sequence | None = None,
            batch_size: int = 256, corpus_weight: float = 0.0,
            **options) -> list[list[ExtractedTriple]]:
    """Triples of each text (parsed here unless ``docs`` are given).

    With ``corpus_weight`` > 0 the texts are taken as one corpus whose texts
    support each other's statements (:func:`consolidate`); with 0 (the default)
    every text is read on its own.
    """
    from kg.text2kg.nlp import DEFAULT_MODEL, load_pipeline

    if docs is None:
        nlp = load_pipeline(DEFAULT_MODEL)
        docs = nlp.pipe(list(texts), batch_size=batch_size)
    scored = [score_doc(doc, model) for doc in docs]
    if corpus_weight > 0:
        consolidate(scored, model, weight=corpus_weight)
    return [decode(sd, model, **options) for sd in scored]
