"""The relation engine: a log-linear classifier over candidate mention pairs.

For each :class:`~kg.model.Candidate` of a sentence (:mod:`kg.extract.pairs`)
the model gives a probability to "no relation" and to each core relation in
each direction (``worksFor>``: the first mention in text order works for the
second). A pair becomes a relation when its best relation's probability
reaches the model's threshold (chosen by F1 on held-out documents when the
model was trained, see :mod:`kg.extract.training`); that probability is the
relation's ``confidence``. The hand-written extractors run first and are
features of the pairs, and what they state is kept as high-precision
candidates: the engine adds the pairs they missed (and may give a core
relation to a pair they only linked by an open ``relatedTo``). When the engine
keeps a pair a rule also linked with the same property, the rule's role /
predicate text is kept.

The weights are data: ``kg/models/relations.json`` (bundled, rebuilt by
``kg learn-relations``) or any file of that format.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import OntologyError
from kg.model import Candidate, Relation

__all__ = ["RelationModel", "load_relation_model", "relation_model_path", "DEFAULT_MODEL", "NAME", "decide"]

NAME = "kg.engine.v1"
NONE = "none"


def default_model_path() -> Path:
    from importlib.resources import files

    return Path(str(files("kg") / "models" / "relations.json"))


DEFAULT_MODEL = "default"


@dataclass
class RelationModel:
    """Classes (``none`` first), one weight row per feature, a threshold and what it was trained on."""

    classes: list[str]
    weights: dict[str, dict[int, float]]
    threshold: float = 0.5
    info: dict | None = None
    #: Platt scaling (a, b) of the best relation's probability, fitted on held-out pairs:
    #: confidence = sigmoid(a * logit(p) + b)
    calibration: tuple[float, float] = (1.0, 0.0)

    def probabilities(self, features: Sequence[str]) -> list[float]:
        scores = [0.0] * len(self.classes)
        for f in features:
            row = self.weights.get(f)
            if row:
                for k, w in row.items():
                    scores[k] += w
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def best(self, features: Sequence[str], *, calibrated: bool = True) -> tuple[str, float]:
        """The most probable relation class other than ``none``, and its (calibrated) probability."""
        probs = self.probabilities(features)
        k = max(range(1, len(probs)), key=probs.__getitem__)
        return self.classes[k], self.calibrate(probs[k]) if calibrated else probs[k]

    def calibrate(self, p: float) -> float:
        a, b = self.calibration
        if (a, b) == (1.0, 0.0):
            return p
        p = min(max(p, 1e-9), 1 - 1e-9)
        z = a * math.log(p / (1 - p)) + b
        return 1 / (1 + math.exp(-z)) if z > -700 else 0.0

    def to_dict(self) -> dict:
        return {
            "format": "wild-goose-relations/1",
            "classes": self.classes,
            "threshold": self.threshold,
            "calibration": list(self.calibration),
            "info": self.info or {},
            "weights": {f: [[k, round(w, 4)] for k, w in sorted(row.items())] for f, row in sorted(self.weights.items())},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "RelationModel":
        weights = {f: {int(k): float(w) for k, w in row} for f, row in data["weights"].items()}
        a, b = data.get("calibration", (1.0, 0.0))
        return cls(list(data["classes"]), weights, float(data["threshold"]), data.get("info"), (float(a), float(b)))

    def save(self, path: str | Path) -> None:
        text = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        Path(path).write_text(text + "\n", encoding="utf-8")


def relation_model_path(source: str | None) -> Path | None:
    """The file a ``relation_model`` setting names: the bundled one for ``"default"`` (when it
    exists), none for ``"rules"``/None (the hand-written extractors alone)."""
    if source in (None, "rules", "none"):
        return None
    if source == DEFAULT_MODEL:
        path = default_model_path()
        return path if path.is_file() else None  # a source tree before its first `kg learn-relations`
    return Path(source)


@functools.lru_cache(maxsize=4)
def load_relation_model(source: str | None = DEFAULT_MODEL) -> RelationModel | None:
    """The model at ``source`` (a path), the bundled one for ``"default"``, none for ``"rules"``/None."""
    path = relation_model_path(source)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != "wild-goose-relations/1":
            raise ValueError("not a wild-goose-relations/1 file")
        return RelationModel.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OntologyError(f"{path}: cannot read the relation model ({exc})") from None


def decide(
    model: RelationModel,
    cands: Sequence[Candidate],
    rules: Sequence[Relation],
    make: "callable",
    *,
    threshold: float | None = None,
    keep_rules: bool = True,
) -> list[Relation]:
    """The relations the engine keeps among ``cands`` of one sentence.

    ``make(subject, property, object, extractor, confidence, **extra)`` builds a
    :class:`Relation` with the sentence as evidence (``SentenceContext.relation``).
    """
    cut = model.threshold if threshold is None else threshold
    by_pair = {(r.subject, r.object, r.property): r for r in rules}
    # a pair a rule linked by a core relation stays as the rule says; one linked only by the open
    # relatedTo may get a core relation from the engine (which then replaces the relatedTo)
    ruled = {frozenset((r.subject, r.object)) for r in rules if r.property != "relatedTo"}
    out = list(rules) if keep_rules else []
    for c in cands:
        if keep_rules and frozenset((c.first, c.second)) in ruled:
            continue
        label, p = model.best(c.features)
        if p < cut:
            continue
        prop, direction = label[:-1], label[-1]
        s, o = (c.first, c.second) if direction == ">" else (c.second, c.first)
        rule = by_pair.get((s, o, prop)) or (by_pair.get((o, s, prop)) if prop in ("partnerOf", "relatedTo") else None)
        extra = {"role": rule.role, "predicate_text": rule.predicate_text} if rule else {}
        out.append(make(s, prop, o, NAME, round(p, 4), **extra))
    return out
