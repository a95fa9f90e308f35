"""Train the relation engine (:mod:`kg.extract.engine`) on gold folders, with held-out figures.

1. **Collect.** Every text of the gold folders goes through the map step once
   with the hand-written extractors only, keeping each sentence's candidate
   pairs and their features (:mod:`kg.extract.pairs`).
2. **Label.** A mention stands for the gold entity one of whose names it
   writes (a pronoun or description for its antecedent's). A candidate whose
   two gold entities the gold relates, and whose two mentions stand inside
   one passage of that relation's ``evidence``, gets that relation and
   direction (the first listed property other than ``relatedTo``, else
   ``relatedTo``): the sentence states it. A related pair in a sentence the
   evidence does not quote is left out of training (document-level gold such
   as Re-DocRED's relates pairs that a sentence only mentions together);
   every other candidate is ``none``.
3. **Fit.** Multinomial logistic regression with an L2 penalty, fitted by
   L-BFGS (SciPy) from zero weights: the same data give the same weights.
4. **Hold out.** Folds by document: each fold's model decides the pairs of
   the fold's documents, the decisions are assembled into graphs and scored
   with :func:`kg.eval.evaluate` (one graph per text, micro-averaged per
   folder). The threshold with the best held-out link F1 over all folders
   (pooled) becomes the model's threshold, and a reliability table of the held-out confidences is kept in
   the model's ``info``.

Keep a set you measure generalisation on (``shared/eval/news``) out of the
folders you train on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kg.extract.engine import NAME, NONE, RelationModel
from kg.model import DocResult, Relation
from kg.vocab import CORE_RELATIONS

__all__ = ["TrainingText", "collect", "label", "fit", "cross_validate", "train", "CLASSES"]

log = logging.getLogger(__name__)

CLASSES = [NONE] + [f"{p}{d}" for p in CORE_RELATIONS for d in (">", "<")]
_INDEX = {c: k for k, c in enumerate(CLASSES)}


@dataclass
class TrainingText:
    """One gold text: its folder, the map step's results (with candidates) and its gold file."""

    folder: str
    name: str
    results: list[DocResult]
    gold: dict
    text: str = ""

    @property
    def key(self) -> str:
        return f"{self.folder}/{self.name}"


def collect(
    folders: Iterable[str | Path], *, model: str | None = None, cache: str | Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[TrainingText]:
    """Run the map step (rules only, candidates kept) over every text of ``folders``.

    With ``cache`` (a folder), each text's results are stored as JSON keyed by
    the text's hash and the package version, and reused by later runs.
    """
    from kg import __version__
    from kg.eval_sets import gold_texts
    from kg.ingest import ReadReport, read_sources
    from kg.pipeline import PipelineConfig, process_documents

    config = PipelineConfig(model=model, relation_model="rules", collect_candidates=True)
    cache_dir = Path(cache) if cache else None
    if cache_dir:
        cache_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for folder in folders:
        pairs = gold_texts(folder)
        for n, (text, gold) in enumerate(pairs, 1):
            results = None
            if cache_dir:
                from kg.extract.pairs import FEATURES_VERSION

                key = f"{__version__}|{FEATURES_VERSION}|{model!r}".encode()
                h = hashlib.sha256(text.read_bytes() + key).hexdigest()[:24]
                cached = cache_dir / f"{h}.json"
                if cached.is_file():
                    results = [DocResult.from_json(d) for d in json.loads(cached.read_text(encoding="utf-8"))]
            if results is None:
                results = list(process_documents(read_sources([text], ReadReport()), config))
                if cache_dir:
                    cached.write_text(json.dumps([r.to_json() for r in results]), encoding="utf-8")
            out.append(TrainingText(Path(folder).name, text.stem, results,
                                    json.loads(gold.read_text(encoding="utf-8")),
                                    text.read_text(encoding="utf-8-sig")))
            if progress:
                progress(Path(folder).name, n, len(pairs))
    return out


#: a gold relation: its class's property and the passages of its evidence (squeezed)
_GoldRel = tuple[str, tuple[str, ...]]
SKIP = -1


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _gold_index(gold: dict) -> tuple[dict[str, str], dict[tuple[str, str], _GoldRel]]:
    from kg.eval import normalize_name

    names: dict[str, str] = {}
    for ent in gold.get("entities", []):
        for name in ent.get("names", []):
            names.setdefault(normalize_name(name), ent["id"])
    rels: dict[tuple[str, str], _GoldRel] = {}
    for r in gold.get("relations", []):
        props = [p for p in r["p"] if p != "relatedTo"] or ["relatedTo"]
        passages = tuple(_squeeze(x) for x in str(r.get("evidence") or "").replace("…", "...").split("...") if x.strip())
        rels.setdefault((r["s"], r["o"]), (props[0], passages))
    return names, rels


def _stated(text: str, res: DocResult, a: int, b: int, passages: tuple[str, ...]) -> bool:
    """Mentions ``a`` and ``b`` stand inside one passage of the evidence, and that passage is from
    their sentence (evidence may be abridged: "..." splits it into passages). No evidence: trust the pair."""
    if not passages or not text:
        return True
    ma, mb = res.mentions[a], res.mentions[b]
    sentence = _squeeze(text[ma.sent_start : ma.sent_end])
    return any(
        _squeeze(ma.text) in p and _squeeze(mb.text) in p and (p[:40] in sentence or sentence[:40] in p)
        for p in passages
    )


def label(text: TrainingText) -> list[list[int]]:
    """The class index of every candidate of every result of ``text`` (:data:`SKIP`: left out)."""
    from kg.eval import normalize_name
    from kg.extract.pairs import referent

    names, rels = _gold_index(text.gold)
    out = []
    for res in text.results:
        ents = {}
        labels = []
        for c in res.candidates:
            for i in (c.first, c.second):
                if i not in ents:
                    ents[i] = names.get(normalize_name(res.mentions[referent(i, res.mentions)].text))
            a, b = ents[c.first], ents[c.second]
            k = _INDEX[NONE]
            if a and b and a != b:
                for key, arrow in (((a, b), ">"), ((b, a), "<")):
                    if key in rels:
                        prop, passages = rels[key]
                        stated = _stated(text.text, res, c.first, c.second, passages)
                        k = _INDEX[prop + arrow] if stated else SKIP
                        break
            labels.append(k)
        out.append(labels)
    return out


def _matrix(rows: Sequence[Sequence[str]], vocab: dict[str, int]):
    import numpy as np
    from scipy import sparse

    indptr, indices = [0], []
    for feats in rows:
        idx = sorted({vocab[f] for f in feats if f in vocab})
        indices.extend(idx)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(rows), len(vocab)))


def fit(rows: Sequence[Sequence[str]], y: Sequence[int], *, l2: float = 1e-4, min_count: int = 2,
        max_iter: int = 300) -> RelationModel:
    """Multinomial logistic regression over feature strings (L2 penalty, L-BFGS from zero)."""
    import numpy as np
    from scipy.optimize import minimize

    counts = Counter(f for feats in rows for f in set(feats))
    vocab = {f: k for k, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    X = _matrix(rows, vocab)
    Y = np.zeros((len(y), len(CLASSES)))
    Y[np.arange(len(y)), np.asarray(y)] = 1.0
    n, d, k = X.shape[0], X.shape[1], len(CLASSES)
    XT = X.T.tocsr()

    def loss(w):
        W = w.reshape(d, k)
        Z = X @ W
        Z -= Z.max(axis=1, keepdims=True)
        logsum = np.log(np.exp(Z).sum(axis=1, keepdims=True))
        logp = Z - logsum
        value = -(Y * logp).sum() / n + 0.5 * l2 * (w @ w)
        grad = (XT @ (np.exp(logp) - Y)) / n + l2 * W
        return value, grad.ravel()

    res = minimize(loss, np.zeros(d * k), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    W = res.x.reshape(d, k)
    names = sorted(vocab, key=vocab.get)
    weights = {}
    for f, row in zip(names, W):
        kept = {j: float(v) for j, v in enumerate(row) if abs(v) >= 0.01}
        if kept:
            weights[f] = kept
    return RelationModel(list(CLASSES), weights)


def _fold_of(key: str, folds: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % folds


def _rows(texts: Sequence[TrainingText]) -> tuple[list[tuple[str, ...]], list[int]]:
    rows, ys = [], []
    for t in texts:
        for res, labels in zip(t.results, label(t)):
            for c, y in zip(res.candidates, labels):
                if y != SKIP:
                    rows.append(c.features)
                    ys.append(y)
    return rows, ys


def decide_offline(model: RelationModel, res: DocResult, threshold: float, keep_rules: bool = True) -> DocResult:
    """``res`` with its relations decided again by ``model`` from its kept candidates."""
    from kg.extract.engine import decide

    def make(s: int, prop: str, o: int, extractor: str, confidence: float, **extra: str | None) -> Relation:
        return Relation(s, prop, o, "", 0, 0, extractor, confidence, **extra)  # type: ignore[arg-type]

    return replace(res, relations=decide(model, res.candidates, res.relations, make,
                                         threshold=threshold, keep_rules=keep_rules))


def _score(texts: Sequence[TrainingText], decided: dict[str, list[DocResult]]):
    from kg.builder import assemble
    from kg.eval import evaluate
    from kg.eval_sets import add_reports, scoring_graph

    reports = {}
    for t in texts:
        graph = scoring_graph(assemble(decided[t.key]))
        reports.setdefault(t.folder, []).append(evaluate(graph, t.gold))
    return {folder: add_reports(rs) for folder, rs in reports.items()}


def cross_validate(texts: Sequence[TrainingText], *, folds: int = 5, thresholds: Sequence[float] = (),
                   progress: Callable[[str], None] | None = None, **fit_options: float):
    """Held-out reports per threshold (``{threshold: {folder: EvalReport}}``) and held-out confidences."""
    thresholds = list(thresholds) or [0.1, 0.15, 0.2, 0.3, 0.4, 0.5]
    decided: dict[float, dict[str, list[DocResult]]] = {th: {} for th in thresholds}
    confidences: list[tuple[float, bool]] = []
    for k in range(folds):
        train_texts = [t for t in texts if _fold_of(t.key, folds) != k]
        test_texts = [t for t in texts if _fold_of(t.key, folds) == k]
        if not train_texts or not test_texts:
            continue
        model = fit(*_rows(train_texts), **fit_options)
        if progress:
            progress(f"fold {k + 1}/{folds}: trained on {len(train_texts)} texts, deciding {len(test_texts)}")
        for t in test_texts:
            for res, labels in zip(t.results, label(t)):
                for c, y in zip(res.candidates, labels):
                    cls, p = model.best(c.features, calibrated=False)
                    confidences.append((p, y not in (0, SKIP)))
            for th in thresholds:
                decided[th][t.key] = [decide_offline(model, r, th) for r in t.results]
    return {th: _score(texts, d) for th, d in decided.items()}, confidences


def reliability(confidences: Sequence[tuple[float, bool]], bins: int = 10) -> tuple[list[dict], float]:
    """A reliability table of (confidence, pair is related) and its expected calibration error."""
    table, ece, n = [], 0.0, len(confidences) or 1
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, ok) for p, ok in confidences if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if not inside:
            continue
        mean_p = sum(p for p, _ in inside) / len(inside)
        acc = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / n * abs(mean_p - acc)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "pairs": len(inside), "confidence": round(mean_p, 3),
                      "related": round(acc, 3)})
    return table, ece


def platt(confidences: Sequence[tuple[float, bool]]) -> tuple[float, float]:
    """Platt scaling: (a, b) of sigmoid(a * logit(p) + b) fitted to held-out (p, related) pairs."""
    import numpy as np
    from scipy.optimize import minimize

    if not confidences:
        return 1.0, 0.0
    p = np.clip(np.array([c for c, _ in confidences]), 1e-9, 1 - 1e-9)
    y = np.array([ok for _, ok in confidences], dtype=float)
    z = np.log(p / (1 - p))

    def loss(w):
        q = 1 / (1 + np.exp(-(w[0] * z + w[1])))
        q = np.clip(q, 1e-12, 1 - 1e-12)
        value = -(y * np.log(q) + (1 - y) * np.log(1 - q)).mean()
        g = q - y
        return value, np.array([(g * z).mean(), g.mean()])

    res = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return float(res.x[0]), float(res.x[1])


def train(texts: Sequence[TrainingText], *, folds: int = 5, progress: Callable[[str], None] | None = None,
          **fit_options: float) -> tuple[RelationModel, dict]:
    """The model trained on every text, its threshold chosen by pooled held-out link F1;
    and the held-out reports per threshold."""
    by_threshold, confidences = cross_validate(texts, folds=folds, progress=progress, **fit_options)

    def pooled_f1(reports) -> float:
        # every held-out pair counts alike (micro-average over all folders)
        from kg.eval_sets import add_reports

        return add_reports(list(reports.values())).links.f1

    best = max(sorted(by_threshold), key=lambda th: pooled_f1(by_threshold[th]))
    raw_table, raw_ece = reliability(confidences)
    a, b = platt(confidences)
    model = fit(*_rows(texts), **fit_options)
    model.calibration = (round(a, 6), round(b, 6))
    table, ece = reliability([(model.calibrate(p), ok) for p, ok in confidences])
    model.threshold = round(model.calibrate(best), 4)
    held_out = {
        folder: {"links_f1": round(r.links.f1, 4), "typed_f1": round(r.typed.f1, 4),
                 "links_p": round(r.links.precision, 4), "links_r": round(r.links.recall, 4)}
        for folder, r in by_threshold[best].items()
    }
    model.info = {
        "extractor": NAME,
        "trained_on": sorted({t.folder for t in texts}),
        "texts": len(texts),
        "folds": folds,
        "threshold": model.threshold,
        "threshold_uncalibrated": best,
        "held_out": held_out,
        "thresholds": {str(th): {folder: round(rep.links.f1, 4) for folder, rep in r.items()}
                       for th, r in sorted(by_threshold.items())},
        "reliability": table,
        "expected_calibration_error": round(ece, 4),
        "expected_calibration_error_uncalibrated": round(raw_ece, 4),
        "fit": {k: v for k, v in sorted(fit_options.items())},
    }
    return model, by_threshold


#: Text2KGBench (DBpedia-WebNLG) relations that state a core relation, as (core property, reversed):
#: ``keyPerson`` of a company is a person who works for it, so the triple's object is the subject
T2K_CORE: dict[str, tuple[str, bool]] = {
    "country": ("locatedIn", False), "location": ("locatedIn", False), "city": ("locatedIn", False),
    "region": ("locatedIn", False), "state": ("locatedIn", False), "locationCity": ("locatedIn", False),
    "headquarter": ("locatedIn", False), "headquarters": ("locatedIn", False),
    "municipality": ("locatedIn", False), "foundationPlace": ("locatedIn", False),
    "capital": ("locatedIn", True), "isPartOf": ("partOf", False), "part": ("partOf", True),
    "club": ("worksFor", False), "employer": ("worksFor", False), "party": ("worksFor", False),
    "keyPerson": ("worksFor", True), "manager": ("worksFor", True), "chairman": ("worksFor", True),
    "almaMater": ("alumniOf", False), "parentCompany": ("subOrganizationOf", False),
    "subsidiary": ("subOrganizationOf", True), "division": ("subOrganizationOf", True),
    "founder": ("founded", True), "foundedBy": ("founded", True),
    "manufacturer": ("produces", True), "builder": ("produces", True), "publisher": ("produces", True),
    "product": ("produces", False), "operatingOrganisation": ("administers", True),
    "operator": ("administers", True), "battle": ("participatedIn", False),
}


def _looks_literal(value: str) -> bool:
    """A date, number or quantity, not an entity."""
    stripped = value.strip().strip('"')
    return not stripped or stripped[0].isdigit() or stripped[0] in "+-−." or '"^^' in value


def text2kgbench_gold(train_files: Iterable[str | Path], out_dir: str | Path) -> Path:
    """A gold folder (``<id>.txt`` + ``<id>.gold.json``) from Text2KGBench train files.

    Every sentence is a text; every subject or object that is not a literal is a
    gold entity named as the triple writes it (underscores read as spaces); a
    triple whose relation is in :data:`T2K_CORE` is that core relation, any
    other between two entities is ``relatedTo``. Entity classes are unknown
    ("Thing"): the folder is for training relations, not for scoring entities.
    """
    import re

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(p) for p in train_files):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            sent = str(row.get("sent", "")).strip()
            ents: dict[str, dict] = {}
            rels = []

            def ent(value: str) -> str:
                name = value.replace("_", " ").strip()
                key = re.sub(r"\W+", "-", name.lower()).strip("-") or "x"
                ents.setdefault(key, {"id": key, "type": "Thing", "names": [name]})
                return key

            for t in row.get("triples", []):
                sub, rel, obj = str(t.get("sub", "")), str(t.get("rel", "")), str(t.get("obj", ""))
                if _looks_literal(obj) or _looks_literal(sub):
                    continue
                prop, reverse = T2K_CORE.get(rel, ("relatedTo", False))
                s, o = ent(sub), ent(obj)
                if s == o:
                    continue
                if reverse:
                    s, o = o, s
                rels.append({"s": s, "p": [prop], "o": o,
                             "evidence": sent})
            ident = re.sub(r"[^\w-]", "_", str(row.get("id", "")))
            if not sent or not rels or not ident:
                continue
            (out / f"{ident}.txt").write_text(sent + "\n", encoding="utf-8")
            gold = {"id": ident, "source": f"text2kgbench/{path.name}", "entities": list(ents.values()),
                    "relations": rels}
            (out / f"{ident}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, sort_keys=True),
                                                    encoding="utf-8")
    return out
