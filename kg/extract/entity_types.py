"""A learned type model: person, organisation, place or other, from a name and its context.

A multinomial logistic regression over sparse string features of a mention: its
words, first and last word, suffix and shape, the words around it, its syntactic
role and governing word ("born in X", "X, a city", "the city of X"), the spaCy NER
label, the lexicon's head-noun cue and the GeoNames senses of the name
(:mod:`kg.extract.places`). Trained on the typed mention clusters of Re-DocRED dev
(``PER``/``ORG``/``LOC``/``MISC``; annotations MIT, texts Wikipedia CC BY-SA) and
shipped as ``entity_types.json`` beside this module. Rebuild it byte for byte with::

    python -m kg.extract.entity_types train ../shared/eval/docred-dev/raw/dev_revised.json \\
        kg/extract/entity_types.json

``--folds 5`` prints the cross-validated accuracy (by document) instead, and
``--fold K --out FILE`` writes the model trained without fold K (used to score
docred-dev honestly). The model only gives coarse classes; the mention finder maps
them to vocabulary classes with its cues and the gazetteer.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.tokens import Doc

from kg.extract.places import place_senses

__all__ = ["COARSE", "TypeModel", "load_type_model", "mention_features", "coarse_of"]

COARSE = ("PER", "ORG", "LOC", "MISC")
MODEL_FILE = Path(__file__).with_name("entity_types.json")
#: L2 penalty and iterations of the trainer
L2 = 1.0
MAX_ITER = 300
#: features seen fewer times than this in training are dropped
MIN_COUNT = 2

_COARSE_OF_TOP = {"Person": "PER", "Organization": "ORG", "Place": "LOC", "Event": "MISC", "Program": "MISC", "Product": "MISC"}


def coarse_of(top_cls: str) -> str | None:
    """The coarse class of a top-level vocabulary class (None for Entity)."""
    return _COARSE_OF_TOP.get(top_cls)


def _shape(text: str) -> str:
    out = []
    for ch in text:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


def mention_features(doc: Doc, start: int, end: int, head_class: str | None = None) -> list[str]:
    """String features of the mention ``doc[start:end]`` (token indices)."""
    span = doc[start:end]
    words = [t for t in span if not t.is_punct]
    if not words:
        words = list(span)
    low = [t.lower_ for t in words]
    f = [f"w={w}" for w in set(low)]
    f += [f"first={low[0]}", f"last={low[-1]}", f"suf={low[-1][-3:]}", f"shape={_shape(span.text)}", f"n={min(len(words), 4)}"]
    if span.text.isupper() and len(span.text) > 1:
        f.append("allcaps")
    root = span.root
    f.append(f"ner={root.ent_type_ or '-'}")
    if head_class:
        f.append(f"cue={head_class}")
    for n, tok in enumerate(reversed(list(doc[max(0, start - 2) : start])), 1):
        f.append(f"prev{n}={tok.lower_}")
    if start >= 2:
        f.append(f"prev12={doc[start - 2].lower_}_{doc[start - 1].lower_}")
    for n, tok in enumerate(doc[end : end + 2], 1):
        f.append(f"next{n}={tok.lower_}")
    if end + 1 < len(doc) and doc[end].text in ("-", "–"):
        f.append(f"hyph={doc[end + 1].lower_}")  # "Paris-based"
    f.append(f"dep={root.dep_}")
    if not (start <= root.head.i < end):
        f.append(f"head={root.head.lemma_.lower()}")
        f.append(f"dep_head={root.dep_}_{root.head.lemma_.lower()}")
        if root.head.dep_ == "prep":
            f.append(f"pp={root.head.lower_}_{root.head.head.lemma_.lower()}")
    for c in root.children:
        if c.dep_ == "appos" and not (start <= c.i < end):
            f.append(f"appos={c.lemma_.lower()}")
    if root.dep_ == "appos":
        f.append(f"apposof={root.head.lemma_.lower()}")
    name = " ".join(t.text for t in words)
    senses = place_senses(name)
    for kind in sorted({s.kind for s in senses}):
        f.append(f"geo={kind}")
    if not senses and len(words) > 1:
        for kind in sorted({s.kind for s in place_senses(words[-1].text)}):
            f.append(f"geolast={kind}")
    return f


class TypeModel:
    """Weights of the logistic regression: feature → one weight per coarse class."""

    def __init__(self, weights: dict[str, Sequence[float]], bias: Sequence[float]) -> None:
        self.weights = weights
        self.bias = list(bias)

    def probs(self, features: Iterable[str]) -> dict[str, float]:
        scores = list(self.bias)
        for feat in features:
            w = self.weights.get(feat)
            if w is not None:
                for k in range(len(scores)):
                    scores[k] += w[k]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(COARSE, exp)}

    def to_json(self, meta: dict[str, object]) -> str:
        data = {"meta": meta, "classes": list(COARSE), "bias": self.bias, "weights": dict(sorted(self.weights.items()))}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


@functools.lru_cache(maxsize=4)
def load_type_model(path: str | None = None) -> TypeModel | None:
    """The shipped model (or ``$KG_TYPE_MODEL``, or ``path``); None when the file is absent."""
    p = Path(path or os.environ.get("KG_TYPE_MODEL") or MODEL_FILE)
    if not p.exists():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    return TypeModel(data["weights"], data["bias"])


# ----------------------------------------------------------------- training


def _docred_examples(raw: str, nlp) -> list[tuple[int, list[str], int]]:  # type: ignore[no-untyped-def]
    """(document index, features, coarse class index) for every typed mention."""
    from kg.lexicon import load_lexicon

    lex = load_lexicon()
    docs = json.loads(Path(raw).read_text(encoding="utf-8"))
    out = []
    for d_idx, d in enumerate(docs):
        words, starts, sent_offset = [], [], []
        for sent in d["sents"]:
            sent_offset.append(len(words))
            starts += [True] + [False] * (len(sent) - 1)
            words += sent
        doc = Doc(nlp.vocab, words=words, sent_starts=starts)
        for _name, proc in nlp.pipeline:
            doc = proc(doc)
        for cluster in d["vertexSet"]:
            types = Counter(m["type"] for m in cluster)
            cls = types.most_common(1)[0][0]
            if cls not in COARSE:
                continue
            for m in cluster:
                s = sent_offset[m["sent_id"]] + m["pos"][0]
                e = sent_offset[m["sent_id"]] + m["pos"][1]
                low = [t.lower_ for t in doc[s:e] if not t.is_punct]
                feats = mention_features(doc, s, e, lex.head_class(low) if low else None)
                out.append((d_idx, feats, COARSE.index(cls)))
    return out


def _fit(examples: Sequence[tuple[int, list[str], int]]) -> TypeModel:
    import numpy as np
    from scipy import sparse
    from scipy.optimize import minimize

    counts = Counter(f for _d, feats, _y in examples for f in set(feats))
    vocab = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: k for k, f in enumerate(vocab)}
    rows, cols = [], []
    for r, (_d, feats, _y) in enumerate(examples):
        for f in sorted(set(feats)):
            if f in index:
                rows.append(r)
                cols.append(index[f])
    n, d, k = len(examples), len(vocab), len(COARSE)
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, d))
    y = np.zeros((n, k))
    y[np.arange(n), [ex[2] for ex in examples]] = 1.0

    def loss(theta):  # type: ignore[no-untyped-def]
        w = theta[: d * k].reshape(d, k)
        b = theta[d * k :]
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        p = np.exp(logp)
        val = -(y * logp).sum() + 0.5 * L2 * (w * w).sum()
        g = p - y
        gw = x.T @ g + L2 * w
        gb = g.sum(axis=0)
        return val, np.concatenate([np.asarray(gw).ravel(), gb])

    res = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": MAX_ITER})
    w = res.x[: d * k].reshape(d, k)
    b = res.x[d * k :]
    weights = {}
    for f, row in zip(vocab, w):
        rounded = [round(float(v), 3) for v in row]
        if any(rounded):
            weights[f] = rounded
    return TypeModel(weights, [round(float(v), 3) for v in b])


def _folds(examples, n_folds):  # type: ignore[no-untyped-def]
    return [[ex for ex in examples if ex[0] % n_folds == k] for k in range(n_folds)]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.extract.entity_types", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    tr = sub.add_parser("train", help="train on a Re-DocRED JSON file")
    tr.add_argument("raw")
    tr.add_argument("out", nargs="?")
    tr.add_argument("--folds", type=int, default=0, help="print cross-validated accuracy over this many folds")
    tr.add_argument("--fold", type=int, default=None, help="leave out fold K (of 5, by document index mod 5)")
    tr.add_argument("--fold-dir", default=None, help="also write fold-K.json (trained without fold K) for K in 0..4")
    a = ap.parse_args(argv)
    from kg.nlp import load_pipeline

    examples = _docred_examples(a.raw, load_pipeline())
    meta = {
        "trained_on": "Re-DocRED dev (tonytan48/Re-DocRED, annotations MIT; texts Wikipedia, CC BY-SA)",
        "examples": len(examples),
    }
    if a.folds:
        folds = _folds(examples, a.folds)
        right = total = 0
        for k in range(a.folds):
            model = _fit([ex for j, f in enumerate(folds) if j != k for ex in f])
            for _d, feats, y in folds[k]:
                p = model.probs(feats)
                right += max(p, key=p.get) == COARSE[y]
                total += 1
        print(f"cross-validated mention accuracy over {a.folds} folds: {right / total:.3f} ({total} mentions)")
        return 0
    if a.fold_dir:
        Path(a.fold_dir).mkdir(parents=True, exist_ok=True)
        for k in range(5):
            kept = [ex for ex in examples if ex[0] % 5 != k]
            text = _fit(kept).to_json({**meta, "examples": len(kept), "left_out_fold": k})
            (Path(a.fold_dir) / f"fold-{k}.json").write_text(text, encoding="utf-8")
    if a.fold is not None:
        examples = [ex for ex in examples if ex[0] % 5 != a.fold]
        meta["left_out_fold"] = a.fold
    model = _fit(examples)
    text = model.to_json(meta)
    if a.out:
        Path(a.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
