"""Choose a model's operating point by cross-validation on its own examples.

A model's probabilities are not calibrated alike for every ontology: a
sentence states a few of many relations, and how sure the ranker gets depends
on how many examples there are and how varied they are. A fixed threshold
therefore gives almost nothing for one ontology and noise for another. Here
the examples are split into folds that keep each topic entity on one side
(:func:`~kg.text2kg.learn.entity_folds`, because new text is about new
entities); each fold is extracted by a model learned from the others, and the
thresholds that give the best F1 over **all** statements made (no relation
filter, unlike Text2KGBench's scoring) become the model's operating point.

>>> point = calibrate(examples, ontology)                     # doctest: +SKIP
>>> point.threshold, point.precision, point.recall            # doctest: +SKIP
(0.2, 0.61, 0.47)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Sequence

from kg.text2kg.extract import decode, score_doc
from kg.text2kg.learn import Example, entity_folds, learn
from kg.text2kg.nlp import DEFAULT_MODEL, parse
from kg.text2kg.ontology import Ontology
from kg.text2kg.score import triple_key

__all__ = ["GRID", "MIN_EXAMPLES", "OperatingPoint", "calibrate"]

#: thresholds tried for the best pair of a relation
GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7)
#: fewer examples than this (or a single topic entity) leave the default operating point
MIN_EXAMPLES = 20
#: "never a second object of the same relation"
_NO_SECOND = 1.01


@dataclass(frozen=True)
class OperatingPoint:
    """Thresholds chosen by cross-validation, with the figures they gave."""

    threshold: float
    threshold_multi: float
    threshold_normalized: float
    precision: float
    recall: float
    f1: float
    folds: int
    sentences: int

    def thresholds(self) -> dict[str, float]:
        return {"threshold": self.threshold, "threshold_multi": self.threshold_multi,
                "threshold_normalized": self.threshold_normalized}

    def to_dict(self) -> dict:
        return asdict(self)


def _candidates():
    for t1 in GRID:
        for t2 in sorted({max(t1, 0.3), max(t1, 0.6), _NO_SECOND}):
            for tn in sorted({t1, max(t1, 0.5)}):
                yield t1, t2, tn


def calibrate(
    examples: Sequence[Example],
    ontology: Ontology,
    *,
    docs: Sequence | None = None,
    folds: int = 2,
    epochs: int = 10,
    model_name: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> OperatingPoint | None:
    """The operating point that extracts the held-out examples best, or None
    when there are too few examples (or topic entities) to hold any out."""
    examples = list(examples)
    if len(examples) < MIN_EXAMPLES:
        return None
    if docs is None:
        docs = parse([ex.sent for ex in examples], model=model_name or DEFAULT_MODEL)
    fold_of = entity_folds(examples, folds)
    held: list[tuple[set[str], object, object]] = []  # (gold keys, scored text, model)
    for k in range(folds):
        train = [i for i, f in enumerate(fold_of) if f != k]
        test = [i for i, f in enumerate(fold_of) if f == k]
        if not train or not test:
            continue
        if progress:
            progress(f"cross-validating the operating point: fold {k + 1} of {folds}")
        model = learn([examples[i] for i in train], ontology, docs=[docs[i] for i in train], epochs=epochs)
        for i in test:
            gold = {triple_key(s, r, o) for s, r, o in examples[i].triples if ontology.has_relation(r)}
            held.append((gold, score_doc(docs[i], model), model))
    if not held:
        return None
    best: tuple[tuple[float, float], tuple[float, float, float], tuple[float, float, float]] | None = None
    for t1, t2, tn in _candidates():
        tp = made = wanted = 0
        for gold, scored, model in held:
            pred = {triple_key(t.sub, t.rel, t.obj)
                    for t in decode(scored, model, threshold=t1, threshold_multi=t2, threshold_normalized=tn)}
            tp += len(gold & pred)
            made += len(pred)
            wanted += len(gold)
        p = tp / made if made else 0.0
        r = tp / wanted if wanted else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        # best F1; on a tie the more precise point
        rank = (round(f1, 4), p)
        if best is None or rank > best[0]:
            best = (rank, (t1, t2, tn), (p, r, f1))
    assert best is not None
    (t1, t2, tn), (p, r, f1) = best[1], best[2]
    return OperatingPoint(threshold=t1, threshold_multi=t2, threshold_normalized=tn,
                          precision=round(p, 4), recall=round(r, 4), f1=round(f1, 4),
                          folds=folds, sentences=len(held))
