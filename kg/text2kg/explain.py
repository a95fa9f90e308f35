"""What a learned model knows, per relation, in words a user can check.

A model file is plain JSON, but 4,000 weighted features are not read by
eye. :func:`explain_model` sums it up per relation of the ontology: domain and
range, how many example statements taught it, the value kinds and templates
seen, and the features that speak most *for* that relation (its own weights,
not the ones shared by all relations, which cannot tell relations apart).

>>> from kg.text2kg import read_model                          # doctest: +SKIP
>>> explain_model(read_model("company-model/"))["relations"][0]  # doctest: +SKIP
{'relation': 'foundingDate', 'domain': 'Company', 'range': 'Date', 'examples': 12, ...}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.text2kg.model import ExtractionModel

__all__ = ["explain_model"]


def _top(counts: dict[str, float] | None, n: int) -> list[str]:
    return [key for key, _ in sorted((counts or {}).items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def explain_model(model: "ExtractionModel", *, top: int = 5, relation: str | None = None) -> dict:
    """A JSON-ready summary: the model's figures, then one entry per relation
    (only ``relation`` if given; an unknown one raises :class:`~kg.errors.UnknownNameError`)."""
    data = model.to_dict()
    weights: dict[str, dict[str, float]] = data.get("weights", {})
    learned = set(data.get("classes", []))
    relations = model.ontology.relations
    if relation is not None:
        relations = [model.ontology.relation(relation)]
    rows = []
    for rel in relations:
        label = rel.label
        kinds = data.get("value_kinds", {}).get(label, {})
        cues = sorted(((w[label], name) for name, w in weights.items() if w.get(label, 0.0) > 0),
                      key=lambda wn: (-wn[0], wn[1]))[:top]
        rows.append({
            "relation": label,
            "domain": rel.domain,
            "range": rel.range,
            # what a value becomes in the graph: a literal of this kind, or a node
            "takes": model.range_kind(rel) or "node",
            "learned": label in learned,
            "examples": int(sum(kinds.values())),
            "value_kinds": _top(kinds, 3),
            "templates": _top(data.get("templates", {}).get(label), 3),
            "second_object": round(float(data.get("multi_valued", {}).get(label, 0.0)), 3),
            "cues": [{"feature": name, "weight": round(w, 3)} for w, name in cues],
        })
    return {
        "ontology": model.ontology.id,
        "relations_in_ontology": len(model.ontology.relations),
        "relations_learned": len(learned),
        "features": len(weights),
        "thresholds": {"threshold": model.threshold, "threshold_multi": model.threshold_multi,
                       "threshold_normalized": model.threshold_normalized,
                       "threshold_conjoined": model.threshold_conjoined},
        "competition": model.competition,
        "training": {k: v for k, v in data.get("info", {}).items() if k != "operating_point"},
        "operating_point": data.get("info", {}).get("operating_point", {}),
        "relations": rows,
    }
