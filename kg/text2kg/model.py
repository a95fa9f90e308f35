"""The learned extraction model: what it holds, how it scores, how it is saved.

A model scores candidate (subject, object) span pairs for each relation:

    score(r | s, o) = sum_f (U[f] + W[f, r]) + v . g(r, s, o)

and, per relation, turns the scores of a text's pairs into probabilities with a
softmax that includes a "no statement" option of score 0. ``U`` weighs the
pair's string features (:func:`~kg.text2kg.features.pair_features`) for all
relations (what a good argument pair looks like), ``W`` per relation; ``v``
weighs the relation-conditioned features
(:data:`~kg.text2kg.features.RELATION_FEATURES`) and is shared by all relations,
so relations without examples are still scored from their labels and ranges.
Beside the weights the model keeps what it learned about values: the surface
forms of objects per relation (templates such as ``"{}"`` for quoted literals or
ISO dates), canonical names seen in the examples, entity types per class.

The model is a plain JSON file (:func:`save_model` / :func:`load_model`).
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from kg.errors import InputError
from kg.text2kg.features import (
    RELATION_FEATURES,
    RelationTable,
    SentenceContext,
    pair_features,
    relation_tensor,
)
from kg.text2kg.ontology import Ontology, ontology_from_dict
from kg.text2kg.score import normalize
from kg.text2kg.spans import Span
from kg.text2kg.values import acronym_letters, as_float, fold, initials

__all__ = [
    "ExtractionModel",
    "DEFAULT_PAIR_WEIGHTS",
    "MODEL_FORMAT",
    "DEFAULT_SHARED_WEIGHTS",
    "save_model",
    "load_model",
    "span_type",
    "pairs_of",
    "MAX_OBJECTS_PER_SUBJECT",
]

MODEL_FORMAT = "kg.text2kg.model.v1"
SHARED = "*"  # key of the weight shared by all relations

#: prior weights of the relation-conditioned features, used when there are no
#: examples to learn them from (and as the starting point when there are)
DEFAULT_SHARED_WEIGHTS: dict[str, float] = {
    "label_on_path": 2.5,
    "label_near_object": 2.5,
    "label_in_object": 0.5,
    "label_in_sentence": 0.5,
    "range_kind_match": 2.0,
    "range_kind_clash": -4.0,
    "object_seen": 2.0,
    "subject_seen": 1.0,
    "object_type": 0.5,
    "subject_type": 0.5,
    "domain_literal": -6.0,
    "unseen": -3.0,
    "range_in_object": 1.0,
    "range_near_object": 1.0,
    "domain_near_subject": 0.5,
    "object_is_label": -2.5,
    "range_entity_type": 1.0,
    "domain_entity_type": 1.0,
}


#: prior weights of pair features shared by all relations: what an argument
#: pair looks like before any example (the starting point of learning, and the
#: whole story for an ontology without examples)
DEFAULT_PAIR_WEIGHTS: dict[str, float] = {
    "s_main": 1.5,
    "s_pron_main": 1.0,
    "s_rank=0": 1.0,
    "s_rank=1": 0.3,
    "s_dep=nsubj": 0.5,
    "s_dep=nsubjpass": 0.5,
    "s_kind=name": 0.5,
    "s_edge=L": -1.0,
    "s_edge=R": -1.0,
    "s_edge=LR": -1.5,
    "o_kind=name": 0.3,
    "o_edge=L": -1.0,
    "o_edge=R": -1.0,
    "o_edge=LR": -1.5,
    "o_kind=chunk_tail": -0.3,
    "xsent": -0.5,
}


def span_type(span: Span, doc) -> str:
    """A coarse type of a span, the unit of the type statistics per class."""
    if span.date or span.month_year:
        return "DATE"
    if span.number is not None:
        return "NUMBER"
    if span.is_pronoun:
        return "PRONOUN"
    ent = doc[span.head].ent_type_
    if ent:
        return ent
    words = [t for t in doc[span.start:span.end] if t.is_alpha]
    if words and all(t.text[:1].isupper() for t in words):
        return "NAME"
    return "LOWER"


def can_be_subject(span: Span, doc) -> bool:
    """Subjects are named things (or pronouns standing for them): the span opens
    with a capitalised word or a number, its head is a name, and it holds a
    proper noun or a capitalised word past the sentence start."""
    if span.is_value:
        return False
    if span.is_pronoun:
        return True
    first, head = doc[span.start], doc[span.head]
    if not (first.text[:1].isupper() or first.text[:1].isdigit() or first.text in "(\"'"):
        return False
    if not (head.pos_ == "PROPN" or head.text[:1].isupper() or head.text[:1].isdigit()):
        return False  # "U.S. company": a common noun, not a name
    if head.pos_ == "ADJ" or (head.ent_type_ == "NORP" and span.end - span.start == 1):
        return False  # "American": a nationality word, not a named thing
    for tok in doc[span.start:span.end]:
        if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and not tok.is_sent_start):
            return True
        if tok.text[:1].isdigit() and span.end - span.start > 1:
            return True
    return False


#: objects paired with one subject at most: the nearest ones by token distance (ties: the
#: earlier one). A sentence's candidate pairs are then at most this many per subject, so a
#: sentence listing thousands of dates or names costs memory linear in its length, not its
#: square; the DBpedia-WebNLG sentences have far fewer spans, so their pairs are all kept
MAX_OBJECTS_PER_SUBJECT = 24


def pairs_of(ctx: SentenceContext, *, max_objects: int = MAX_OBJECTS_PER_SUBJECT) -> list[tuple[Span, Span]]:
    """Candidate (subject, object) pairs: a subject is a name (:func:`can_be_subject`), its
    objects the other spans but pronouns, the ``max_objects`` nearest of them when there are
    more; in the order of ``ctx.spans`` (subject, then object)."""
    objects = [o for o in ctx.spans if not o.is_pronoun]
    near = _Nearest(objects)
    out = []
    for s in ctx.spans:
        if not can_be_subject(s, ctx.doc):
            continue
        kept = near.nearest(s, max_objects)
        if kept is None:  # an object overlaps the subject (or is it) unless it ends before it or starts after it
            out.extend((s, o) for o in objects if o.end <= s.start or o.start >= s.end)
        else:
            out.extend((s, o) for o in sorted(kept, key=near.order))
    return out


class _Nearest:
    """The spans nearest to a given one by token distance, found by bisection (a sentence
    of thousands of spans costs ``n log n``, not ``n**2``)."""

    def __init__(self, spans: list[Span]) -> None:
        self.by_start = sorted(spans, key=lambda o: (o.start, o.end))  # after a span: nearest first
        self.starts = [o.start for o in self.by_start]
        self.by_end = sorted(spans, key=lambda o: (o.end, -o.start))  # before a span: nearest last
        self.ends = [o.end for o in self.by_end]
        self._index = {id(o): n for n, o in enumerate(spans)}

    def order(self, span: Span) -> int:
        """Where ``span`` is in the spans given."""
        return self._index[id(span)]

    def nearest(self, s: Span, k: int) -> list[Span] | None:
        """The ``k`` spans nearest to ``s`` that do not overlap it (ties: the earlier span),
        or None when there are no more than ``k`` such spans."""
        right = bisect.bisect_left(self.starts, s.end)  # by_start[right:] start at or after s.end
        left = bisect.bisect_right(self.ends, s.start)  # by_end[:left] end at or before s.start
        if len(self.starts) - right + left <= k:
            return None
        after = [(o.start - s.end, o.start, o.end, o) for o in self.by_start[right:right + k]]
        before = [(s.start - o.end, o.start, o.end, o) for o in reversed(self.by_end[max(0, left - k):left])]
        return [x[3] for x in sorted(after + before, key=lambda x: x[:3])[:k]]


def _softmax_with_none(scores, axis: int):
    """Softmax of ``scores`` along ``axis`` with one more option of score 0
    ("none"), which takes the rest of the mass."""
    import numpy as np

    top = np.maximum(scores.max(axis=axis, keepdims=True), 0.0)
    expd = np.exp(scores - top)
    return expd / (expd.sum(axis=axis, keepdims=True) + np.exp(-top))


@dataclass
class ExtractionModel:
    """Everything extraction needs besides the spaCy pipeline."""

    ontology: Ontology
    classes: list[str]  # relations learned from examples (with their own weights)
    weights: dict[str, dict[str, float]] = field(default_factory=dict)  # feature -> class -> w
    shared: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SHARED_WEIGHTS))
    templates: dict[str, dict[str, int]] = field(default_factory=dict)  # rel -> "form|tpl" -> n
    objects: dict[str, dict[str, str]] = field(default_factory=dict)  # rel -> norm -> value
    subjects: dict[str, dict[str, str]] = field(default_factory=dict)  # rel -> norm -> value
    canonical: dict[str, str] = field(default_factory=dict)  # norm(surface) -> canonical name
    subject_templates: dict[str, dict[str, int]] = field(default_factory=dict)  # rel -> tpl -> n
    # "o:rel" / "s:rel" -> template -> how many different values it was seen with
    template_values: dict[str, dict[str, int]] = field(default_factory=dict)
    # rel -> {"float": n, "number": n}: whole numbers in the text written with
    # ".0" or as they are
    number_forms: dict[str, dict[str, int]] = field(default_factory=dict)
    rewrites: dict[str, str] = field(default_factory=dict)  # word -> how the examples write it
    value_kinds: dict[str, dict[str, int]] = field(default_factory=dict)  # rel -> kind -> n
    multi_valued: dict[str, float] = field(default_factory=dict)  # rel -> share with 2+ objects
    object_types: dict[str, dict[str, float]] = field(default_factory=dict)  # class -> type -> logp
    subject_types: dict[str, dict[str, float]] = field(default_factory=dict)
    day_first: bool = True
    article_names: bool = True  # values may start with "The" (see learn.takes_articles)
    threshold: float = 0.3
    threshold_multi: float = 0.6
    threshold_normalized: float = 0.5
    threshold_given: float = 0.0
    # a further object in a coordination with the first one ("created by A and B")
    threshold_conjoined: float = 0.01
    # weight of P(relation | pair) in the ranking of a relation's pairs (see scores)
    competition: float = 2.0
    faithful: bool = False
    info: dict = field(default_factory=dict)

    # ---------------------------------------------------------------- scoring

    @property
    def relation_labels(self) -> list[str]:
        return [r.label for r in self.ontology.relations]

    def set_weights(self, W, U, v, names: list[str], *, prune: float = 0.01) -> None:
        """Store trained arrays as ``{feature: {"*": shared, relation: weight}}``."""
        weights: dict[str, dict[str, float]] = {}
        for i, feat in enumerate(names):
            row = {}
            if abs(U[i]) >= prune:
                row[SHARED] = round(float(U[i]), 4)
            for k, label in enumerate(self.classes):
                if abs(W[i, k]) >= prune:
                    row[label] = round(float(W[i, k]), 4)
            if row:
                weights[feat] = row
        self.weights = weights
        self.shared = {name: round(float(v[k]), 4) for k, name in enumerate(RELATION_FEATURES)}
        self.__dict__.pop("_compiled_cache", None)

    def _compiled(self):
        """Weights as arrays over the ontology's relations, cached."""
        cache = self.__dict__.get("_compiled_cache")
        if cache is not None:
            return cache
        import numpy as np

        column = {label: i for i, label in enumerate(self.relation_labels)}
        rows: dict[str, tuple] = {}
        for feat, per_class in self.weights.items():
            idx = [column[c] for c in per_class if c in column]
            val = [w for c, w in per_class.items() if c in column]
            rows[feat] = (per_class.get(SHARED, 0.0), np.array(idx, dtype=np.int64),
                          np.array(val, dtype=np.float64))
        table = RelationTable.build(
            self.ontology.relations,
            seen=set(self.classes),
            objects={r: set(v) for r, v in self.objects.items()},
            subjects={r: set(v) for r, v in self.subjects.items()},
            object_types=self.object_types,
            subject_types=self.subject_types,
            range_kinds=[self.range_kind(r) for r in self.ontology.relations],
        )
        cache = (rows, table)
        self.__dict__["_compiled_cache"] = cache
        return cache

    def pair_data(self, ctx: SentenceContext, pairs: list[tuple[Span, Span]]):
        """String features and the relation-conditioned tensor of the pairs."""
        _, table = self._compiled()
        feats = [pair_features(ctx, s, o) for s, o in pairs]
        tensor = relation_tensor(ctx, pairs, table, subject_key=self.subject_key,
                                 span_type=span_type)
        return feats, tensor

    def logits(self, ctx: SentenceContext, pairs: list[tuple[Span, Span]]):
        """Array (pairs, relations) of scores; "no statement" scores 0."""
        import numpy as np

        rows, _ = self._compiled()
        feats, tensor = self.pair_data(ctx, pairs)
        out = np.zeros((len(pairs), len(self.relation_labels)))
        for n, fs in enumerate(feats):
            row = out[n]
            shared = 0.0
            for f in set(fs):
                hit = rows.get(f)
                if hit is not None:
                    shared += hit[0]
                    if len(hit[1]):
                        row[hit[1]] += hit[2]
            row += shared
        v = np.array([self.shared.get(name, 0.0) for name in RELATION_FEATURES])
        if len(pairs):
            out += tensor @ v
        return out

    def probabilities(self, ctx: SentenceContext, pairs: list[tuple[Span, Span]]):
        """Array (pairs, relations): for each relation, the probability that each
        pair is its statement in this text (the rest is "no statement")."""
        return self.scores(ctx, pairs)[0]

    def scores(self, ctx: SentenceContext, pairs: list[tuple[Span, Span]]):
        """``(probabilities, ranking)``, two arrays (pairs, relations).

        The probabilities are those of :meth:`probabilities`: per relation, a
        softmax over the text's pairs and "no statement". The ranking orders
        the pairs of a relation: the probability times
        ``P(relation | pair) ** competition``, the softmax of the same scores
        over the relations (and "none") of one pair. A pair that another
        relation explains much better ("born on X" for a death date) falls
        behind one that only this relation explains.
        """
        scores = self.logits(ctx, pairs)
        if not len(pairs):
            return scores, scores
        probs = _softmax_with_none(scores, axis=0)
        if not self.competition:
            return probs, probs
        return probs, probs * _softmax_with_none(scores, axis=1) ** self.competition

    def lexicon_keys(self) -> set[str]:
        """Normalised names seen as subjects or objects in the examples (cached)."""
        keys = self.__dict__.get("_lexicon_keys")
        if keys is None:
            keys = {k for table in (self.objects, self.subjects) for d in table.values() for k in d
                    if len(k) >= 3 and not k.replace(".", "").isdigit()}
            keys |= set(self.canonical)
            self.__dict__["_lexicon_keys"] = keys
        return keys

    def _alias_index(self):
        """Known values (the examples' subjects, objects and canonical names) by
        spelling without accents or dots, and by initials (cached)."""
        index = self.__dict__.get("_alias_index_cache")
        if index is None:
            by_fold: dict[str, set[str]] = {}
            by_initials: dict[str, set[str]] = {}
            values = {v for table in (self.objects, self.subjects) for d in table.values()
                      for v in d.values()} | set(self.canonical.values())
            for value in values:
                by_fold.setdefault(fold(value), set()).add(value)
                by_initials.setdefault(initials(value), set()).add(value)
            index = (by_fold, by_initials)
            self.__dict__["_alias_index_cache"] = index
        return index

    def _alias_value(self, relation: str, text: str, table: dict[str, dict[str, str]]) -> str | None:
        """The one known value ``text`` is another writing of: the same letters
        ("Dona Ana County" for ``Doña_Ana_County``) or its initials ("U.S." for
        ``United_States``), preferring the relation's own values, then those of
        the relations sharing its range, then any."""
        by_fold, by_initials = self._alias_index()
        same = by_fold.get(fold(text), set())
        if len(same) == 1:
            return next(iter(same))
        letters = acronym_letters(text)
        if not letters:
            return None
        matches = by_initials.get(letters, set())
        if not matches:
            return None
        rng = self.ontology.relation(relation).range
        own = set(table.get(relation, {}).values())
        kin = {v for other in self.ontology.relations if other.range == rng
               for v in table.get(other.label, {}).values()}
        for pool in (matches & own, matches & kin, matches):
            if pool:
                return next(iter(pool)) if len(pool) == 1 else None
        return None

    def subject_key(self, ctx: SentenceContext, s: Span) -> str:
        """The normalised text a subject span stands for (a pronoun: the topic)."""
        return normalize(ctx.resolve(s).text)

    # ------------------------------------------------------------------ values

    @staticmethod
    def _choose(counts: dict[str, int], available, values: dict[str, int] | None = None) -> str | None:
        """The most frequent template whose base form is available.

        Whether to decorate (add text such as quotes or a qualifier: ``"{}"``,
        ``{} (band)``) is decided on the different values seen (``values``,
        else ``counts``): a decorating template must hold for at least two of
        them and for most of the relation's values, whatever the number of
        examples about each (on a tie the value is left as written)."""
        values = values or counts
        usable = {spec: n for spec, n in counts.items()
                  if not spec.rpartition("|")[0] or spec.rpartition("|")[0] in available}
        if not usable:
            return None
        total = sum(values.get(spec, 0) for spec in usable)
        decorated = {spec for spec in usable if spec.rpartition("|")[2].replace("{}", "").strip()}
        wanted = {spec for spec in decorated
                  if values.get(spec, 0) >= 2 and values.get(spec, 0) > 0.5 * total}
        pool = wanted or (set(usable) - decorated)
        if not pool:
            return None
        return min(pool, key=lambda spec: (-usable[spec], spec))

    def _templates_for(self, relation: str) -> tuple[dict[str, int], dict[str, int]]:
        """The relation's learned object templates and their different values;
        for a relation without examples, those of the relations sharing its
        range class."""
        own = self.templates.get(relation)
        if own:
            return own, self.template_values.get("o:" + relation, {})
        rng = self.ontology.relation(relation).range
        pooled: dict[str, int] = {}
        pooled_values: dict[str, int] = {}
        for other in self.ontology.relations:
            if other.range == rng and other.label in self.templates:
                for spec, n in self.templates[other.label].items():
                    pooled[spec] = pooled.get(spec, 0) + n
                for spec, n in self.template_values.get("o:" + other.label, {}).items():
                    pooled_values[spec] = pooled_values.get(spec, 0) + n
        return pooled, pooled_values

    def range_kind(self, relation) -> str | None:
        """The literal kind a relation's values take: the declared range's
        (``date``, ``number``, ``string``), else ``date`` or ``number`` when the
        range is a class but the examples only ever give dates or numbers (a
        "Periapsis" class of distances), else None (named things)."""
        if relation.range_kind is not None:
            return relation.range_kind
        kinds = self.value_kinds.get(relation.label)
        if not kinds or "name" in kinds:
            return None
        return "number" if "number" in kinds else "date"

    def allowed_kinds(self, relation: str) -> set[str] | None:
        """Kinds of object value (``date``, ``number``, ``name``) the examples show
        for the relation, or for the relations sharing its range class; None
        when there are none (the declared range decides)."""
        counts = self.value_kinds.get(relation)
        if not counts:
            rng = self.ontology.relation(relation).range
            counts = {}
            for other in self.ontology.relations:
                if other.range == rng:
                    for kind, n in self.value_kinds.get(other.label, {}).items():
                        counts[kind] = counts.get(kind, 0) + n
        if not counts:
            return None
        total = sum(counts.values())
        return {kind for kind, n in counts.items() if n >= 0.2 * total}

    def _number_base(self, relation: str, base: str) -> str:
        """``float`` or ``number``: how the examples write a whole number the
        text writes without decimals ("34" as "34.0" or "34"), else ``base``."""
        forms = self.number_forms.get(relation)
        if not forms:
            return base
        return "float" if forms.get("float", 0) > forms.get("number", 0) else "number"

    def _rewrite(self, value: str) -> str:
        if not self.rewrites:
            return value
        return " ".join(self.rewrites.get(w, w) for w in value.split(" "))

    def object_value(self, relation: str, o: Span) -> str:
        """The canonical string for object span ``o`` of ``relation``.

        The relation's most frequent learned template whose base form the span
        has wins (``date|{}``, ``float|{}``, ``text|"{}"``); without one, a date
        range gives the ISO date and a number range the number. Plain text goes
        through the names the examples taught (``Americans``, ``F.C.``).
        """
        forms = {"text": o.text}
        if o.lemma:
            forms["lemma"] = o.lemma
        if o.date:
            forms["date"] = o.date
        if o.number is not None:
            forms["number"] = o.number
            forms["float"] = as_float(o.number)
        key = normalize(o.text)
        counts, values = self._templates_for(relation)
        spec = self._choose(counts, forms, values)
        if spec is not None and (not self.faithful or spec.endswith("|{}")):
            base, _, template = spec.rpartition("|")
            if base in ("number", "float"):
                base = self._number_base(relation, base)
            best = template.replace("{}", forms[base])
        else:
            kind = self.ontology.relation(relation).range_kind
            if kind == "date" and "date" in forms:
                best = forms["date"]
            elif kind == "number" and "number" in forms:
                best = forms["number"]
            else:
                best = o.text
        if best == o.text and not self.faithful:
            known = (self.objects.get(relation, {}).get(key) or self.canonical.get(key)
                     or self._alias_value(relation, o.text, self.objects))
            best = known if known else self._rewrite(best)
        return best.replace("_", " ")

    def subject_value(self, relation: str, ctx: SentenceContext, s: Span) -> str:
        span = ctx.resolve(s)
        if self.faithful:
            return span.text
        key = normalize(span.text)
        known = (self.subjects.get(relation, {}).get(key) or self.canonical.get(key)
                 or self._alias_value(relation, span.text, self.subjects))
        if known:
            return known.replace("_", " ")
        value = self._rewrite(span.text)
        spec = self._choose(self.subject_templates.get(relation, {}), {"text"},
                            self.template_values.get("s:" + relation))
        if spec:
            value = spec.rpartition("|")[2].replace("{}", value)
        return value.replace("_", " ")

    # ------------------------------------------------------------------- JSON

    def to_dict(self) -> dict:
        return {
            "format": MODEL_FORMAT,
            "ontology": self.ontology.to_dict(),
            "classes": self.classes,
            "threshold": self.threshold,
            "threshold_multi": self.threshold_multi,
            "threshold_normalized": self.threshold_normalized,
            "threshold_given": self.threshold_given,
            "threshold_conjoined": self.threshold_conjoined,
            "competition": self.competition,
            "faithful": self.faithful,
            "day_first": self.day_first,
            "article_names": self.article_names,
            "shared": self.shared,
            "templates": self.templates,
            "objects": self.objects,
            "subjects": self.subjects,
            "canonical": self.canonical,
            "subject_templates": self.subject_templates,
            "template_values": self.template_values,
            "rewrites": self.rewrites,
            "number_forms": self.number_forms,
            "value_kinds": self.value_kinds,
            "multi_valued": self.multi_valued,
            "object_types": self.object_types,
            "subject_types": self.subject_types,
            "info": self.info,
            "weights": self.weights,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ExtractionModel":
        if data.get("format") != MODEL_FORMAT:
            raise InputError("model", f"not a {MODEL_FORMAT} model (format={data.get('format')!r})")
        return cls(
            ontology=ontology_from_dict(data["ontology"]),
            classes=list(data["classes"]),
            weights=data.get("weights", {}),
            shared={**DEFAULT_SHARED_WEIGHTS, **data.get("shared", {})},
            templates=data.get("templates", {}),
            objects=data.get("objects", {}),
            subjects=data.get("subjects", {}),
            canonical=data.get("canonical", {}),
            subject_templates=data.get("subject_templates", {}),
            template_values=data.get("template_values", {}),
            rewrites=data.get("rewrites", {}),
            number_forms=data.get("number_forms", {}),
            value_kinds=data.get("value_kinds", {}),
            multi_valued=data.get("multi_valued", {}),
            object_types=data.get("object_types", {}),
            subject_types=data.get("subject_types", {}),
            day_first=bool(data.get("day_first", True)),
            article_names=bool(data.get("article_names", True)),
            threshold=float(data.get("threshold", 0.3)),
            threshold_multi=float(data.get("threshold_multi", 0.6)),
            threshold_normalized=float(data.get("threshold_normalized", 0.5)),
            threshold_given=float(data.get("threshold_given", 0.0)),
            threshold_conjoined=float(data.get("threshold_conjoined", 0.01)),
            competition=float(data.get("competition", 2.0)),
            faithful=bool(data.get("faithful", False)),
            info=data.get("info", {}),
        )


def save_model(model: ExtractionModel, target: str | Path | IO[str]) -> None:
    """Write the model as JSON to a path or an open text file."""
    text = json.dumps(model.to_dict(), ensure_ascii=False, indent=1, sort_keys=False)
    if hasattr(target, "write"):
        target.write(text)  # type: ignore[union-attr]
    else:
        Path(target).write_text(text, encoding="utf-8")


def load_model(source: str | Path | IO[str]) -> ExtractionModel:
    """Read a model written by :func:`save_model`."""
    try:
        if hasattr(source, "read"):
            data = json.load(source)  # type: ignore[arg-type]
        else:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(source if not hasattr(source, "read") else "model", str(exc)) from None
    return ExtractionModel.from_dict(data)
