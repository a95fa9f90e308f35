"""Learn an :class:`~kg.text2kg.model.ExtractionModel` from an ontology and examples.

Examples are JSON lines ``{"sent": ..., "triples": [{"sub", "rel", "obj"}]}``.
For each example triple the subject and object are found among the sentence's
candidate spans, directly or through a canonical form (``8,500`` -> ``8500``,
``July 1, 1901`` -> ``1901-07-01``) or a template around it (``"{}"``,
``{} (centimetres)``). The aligned pairs are the positives of a log-linear
classifier over all candidate pairs; what the alignment taught about values
(templates, canonical names, entity types per class) is kept in the model.
"""

from __future__ import annotations

import json
import logging
import math
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from kg.errors import InputError
from kg.text2kg.features import RELATION_FEATURES, SentenceContext, pair_features, relation_tensor
from kg.text2kg.features import RelationTable
from kg.text2kg.model import (
    DEFAULT_PAIR_WEIGHTS,
    DEFAULT_SHARED_WEIGHTS,
    SHARED,
    ExtractionModel,
    pairs_of,
    span_type,
)
from kg.text2kg.ontology import Ontology
from kg.text2kg.score import normalize
from kg.text2kg.spans import Span, candidate_spans
from kg.text2kg.values import alias_kind, as_float, parse_date, strip_qualifier

__all__ = ["Example", "read_examples", "learn", "align", "prepare", "entity_folds"]

log = logging.getLogger(__name__)

# what may surround a value in a template: quotes, a parenthesised qualifier
_DECORATION_RE = re.compile(r'^["\s]*(\{\})(\s*\([^()]*\))?["\s]*$')


@dataclass(frozen=True)
class Example:
    """One annotated sentence."""

    id: str
    sent: str
    triples: tuple[tuple[str, str, str], ...]


def read_examples(path: str | Path, *, require_triples: bool = True) -> list[Example]:
    """Read a JSONL file of examples (``id`` is optional; ``triples`` may be absent
    when ``require_triples`` is false, as in a test file)."""
    path = Path(path)
    out: list[Example] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read ({exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            triples = tuple(
                (str(t["sub"]), str(t["rel"]), str(t["obj"])) for t in rec.get("triples", [])
            )
            sent = str(rec["sent"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(path, f"line {n}: not an example ({exc})") from None
        if require_triples and "triples" not in rec:
            raise InputError(path, f"line {n}: no 'triples'")
        out.append(Example(id=str(rec.get("id", f"{path.stem}_{n}")), sent=sent, triples=triples))
    return out


# ------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class Alignment:
    span: Span
    base: str  # "text" | "date" | "number"
    template: str  # "{}" when the value is the gold string itself


def _forms(span: Span, *, day_first: bool) -> list[tuple[str, str]]:
    forms = []
    if span.date:
        date = parse_date(span.text, day_first=day_first) or span.date
        forms.append(("date", date))
    if span.number is not None:
        forms.append(("number", span.number))
        forms.append(("float", as_float(span.number)))
    forms.append(("text", span.text))
    if span.lemma:
        forms.append(("lemma", span.lemma))
    return forms


#: relation-conditioned features whose weight stays at its prior: "unseen" is
#: never on in training, and a relation's own label words are never its argument
#: (examples rarely show it, but relations without examples need it)
FIXED_SHARED = frozenset(("unseen", "object_is_label"))

#: distinct values a decorating template must have been seen with
MIN_TEMPLATE_VALUES = 3

_FORM_ORDER = {"date": 0, "float": 1, "number": 2, "text": 3, "lemma": 4}


def align(gold: str, spans: Sequence[Span], *, day_first: bool = True) -> list[Alignment]:
    """The spans that stand for ``gold``: exact matches (after canonical forms)
    first, then spans inside a decoration (quotes, a bracketed qualifier or
    unit), then spans that are a whole-word part of it ("English" of
    "English_language")."""
    target = normalize(gold)
    exact: list[Alignment] = []
    decorated: list[Alignment] = []
    affixed: list[Alignment] = []
    spaced = gold.replace("_", " ")
    lowered = spaced.lower()
    for span in spans:
        if span.is_pronoun:
            continue
        for base, value in _forms(span, day_first=day_first):
            if normalize(value) == target:
                exact.append(Alignment(span, base, "{}"))
                break
            if len(value) < 2:
                continue
            pos = lowered.find(value.lower())
            if pos < 0:
                continue
            template = spaced[:pos] + "{}" + spaced[pos + len(value):]
            if _DECORATION_RE.match(template) or (base in ("number", "float")
                                                  and template.startswith("{} (")):
                decorated.append(Alignment(span, base, template))
                break
            before = spaced[pos - 1] if pos > 0 else " "
            after = spaced[pos + len(value)] if pos + len(value) < len(spaced) else " "
            if base == "text" and not before.isalnum() and not after.isalnum() and \
                    len(value) >= 0.4 * len(spaced.strip('"')):
                affixed.append(Alignment(span, base, template))
                break
    for group in (exact, decorated, affixed):
        if group:
            # the longest span wins (the whole name inside its decoration)
            best = max(len(a.span.text) for a in group)
            return [a for a in group if len(a.span.text) == best] if group is not exact else group
    return []


# --------------------------------------------------------------------- corpus


@dataclass
class Prepared:
    """A parsed example with its candidate spans and aligned triples."""

    example: Example
    ctx: SentenceContext
    triples: list[tuple[str, list[Span], list[Span]]]  # (relation, subject spans, object spans)


def prepare(examples: Sequence[Example], docs: Sequence, ontology: Ontology, *,
            day_first: bool = True, stats: dict | None = None,
            articles: bool = True) -> list[Prepared]:
    """Find the candidate spans of each example and align its triples to them."""
    stats = stats if stats is not None else {}
    out = []
    for ex, doc in zip(examples, docs):
        spans = candidate_spans(doc, day_first=day_first, articles=articles)
        ctx = SentenceContext.build(doc, spans)
        triples = []
        for sub, rel, obj in ex.triples:
            if not ontology.has_relation(rel):
                stats["unknown_relation"] = stats.get("unknown_relation", 0) + 1
                continue
            subs = _aligned_spans(sub, spans, day_first=day_first)
            objs = _aligned_spans(obj, spans, day_first=day_first)
            if subs:
                heads = {s.head for s in subs}
                subs += [s for s in spans if s.is_pronoun and ctx.resolve(s).head in heads]
            stats["triples"] = stats.get("triples", 0) + 1
            stats["subject_aligned"] = stats.get("subject_aligned", 0) + bool(subs)
            stats["object_aligned"] = stats.get("object_aligned", 0) + bool(objs)
            triples.append((rel, subs, objs))
        out.append(Prepared(ex, ctx, triples))
    return out


def _aligned_spans(gold: str, spans: Sequence[Span], *, day_first: bool) -> list[Span]:
    """The spans standing for ``gold``: :func:`align`'s, else the names that are
    an alias of it (:func:`alias_kind`: "American" for ``Americans``, "US" for
    ``United_States``), which the value lexicon maps back to the gold form."""
    found = [a.span for a in align(gold, spans, day_first=day_first)]
    if found:
        return found
    return [span for span, _ in _aliases(gold, spans)]


def _aliases(gold: str, spans: Sequence[Span]) -> list[tuple[Span, str]]:
    """The names among ``spans`` written as an alias of ``gold``, with the kind
    of alias (:func:`alias_kind`); values and pronouns are never one."""
    out = []
    for span in spans:
        kind = None if span.is_value or span.is_pronoun else alias_kind(span.text, gold)
        if kind is not None:
            out.append((span, kind))
    return out


# -------------------------------------------------------------- value lexicon


@dataclass
class ValueStats:
    """What the examples teach about how values are written."""

    templates: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    subject_templates: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    objects: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    subjects: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    canonical: dict[str, str] = field(default_factory=dict)
    rewrites: dict[str, str] = field(default_factory=dict)
    object_types: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    subject_types: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    template_values: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    number_forms: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))


def _value_statistics(prepared: Sequence[Prepared], ontology: Ontology, *,
                      day_first: bool) -> ValueStats:
    stats = ValueStats()
    canonical_votes: dict[str, Counter] = defaultdict(Counter)
    rewrite_votes: dict[str, Counter] = defaultdict(Counter)
    distinct: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for prep in prepared:
        doc = prep.ctx.doc
        spans = prep.ctx.spans
        for sub, rel, obj in prep.example.triples:
            if not ontology.has_relation(rel):
                continue
            relation = ontology.relation(rel)
            for role, gold in (("object", obj), ("subject", sub)):
                alignments = align(gold, spans, day_first=day_first)
                if alignments:
                    # a date or a number form generalises better than the same text
                    best = min(alignments, key=lambda a: (_FORM_ORDER[a.base], a.template != "{}"))
                    if role == "object":
                        base = best.base
                        if base in ("number", "float"):
                            # one template for a number, decimal or not; whether a
                            # whole number gets ".0" is learned from the numbers
                            # written without decimals only
                            base = "number"
                            if "." not in best.span.number:
                                stats.number_forms[rel][best.base] += 1
                        stats.templates[rel][f"{base}|{best.template}"] += 1
                        distinct[("o", rel, f"{base}|{best.template}")].add(normalize(gold))
                        stats.object_types[relation.range or ""][span_type(best.span, doc)] += 1
                    else:
                        stats.subject_templates[rel][best.template] += 1
                        distinct[("s", rel, best.template)].add(normalize(gold))
                        stats.subject_types[relation.domain or ""][span_type(best.span, doc)] += 1
                    if best.template == "{}" and best.base == "text":
                        for tok in best.span.text.split():
                            rewrite_votes[tok][tok] += 1
                    elif best.base == "text" and any(c.isalnum() for c in best.template.replace("{}", "")):
                        # the name as written stands for a longer canonical name
                        # ("English" / "English_language", "Populous" / "Populous_(company)")
                        canonical_votes[normalize(best.span.text)][gold] += 1
                else:
                    for span, kind in _aliases(gold, spans):
                        canonical_votes[normalize(span.text)][gold] += 1
                        if kind == "spelling":
                            have, want = span.text.split(), strip_qualifier(gold).replace("_", " ").split()
                            if len(have) == len(want):
                                for h, w in zip(have, want):
                                    rewrite_votes[h][w] += 1
                table = stats.objects if role == "object" else stats.subjects
                key_full = normalize(gold)
                key_bare = normalize(strip_qualifier(gold.strip('"')))
                table[rel][key_full] = gold
                table[rel].setdefault(key_bare, gold)
                if key_bare != key_full:
                    canonical_votes[key_bare][gold] += 1
    # a template that adds words must hold for several different values, not be
    # one entity's qualifier repeated by many examples about it; how many
    # different values each template was seen with is kept (new text is about
    # other entities: many sentences about one entity show only its own way of
    # writing, a quoted literal or a qualifier)
    for (role, rel, spec), values in distinct.items():
        table = stats.templates if role == "o" else stats.subject_templates
        if spec.rpartition("|")[2] != "{}" and len(values) < MIN_TEMPLATE_VALUES:
            del table[rel][spec]
        else:
            stats.template_values[role + ":" + rel][spec] = len(values)
    for key, votes in canonical_votes.items():
        value, count = votes.most_common(1)[0]
        if count == sum(votes.values()):  # never ambiguous
            stats.canonical[key] = value
    for tok, votes in rewrite_votes.items():
        value, count = votes.most_common(1)[0]
        if value != tok and count >= 2 and count >= 0.75 * sum(votes.values()):
            stats.rewrites[tok] = value
    return stats


def _log_distribution(counts: dict[str, Counter], smoothing: float = 1.0) -> dict[str, dict[str, float]]:
    out = {}
    for cls, counter in counts.items():
        if not cls:
            continue
        total = sum(counter.values()) + smoothing * (len(counter) + 1)
        dist = {t: math.log((c + smoothing) / total) for t, c in counter.items()}
        dist["<other>"] = math.log(smoothing / total)
        out[cls] = dist
    return out


def _day_first(prepared: Sequence[Prepared]) -> bool:
    votes = Counter()
    for prep in prepared:
        for _, _, obj in prep.example.triples:
            if not re.fullmatch(r"\d{4}-\d\d-\d\d", obj):
                continue
            for span in prep.ctx.spans:
                if re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4}", span.text):
                    if parse_date(span.text, day_first=True) == obj:
                        votes[True] += 1
                    if parse_date(span.text, day_first=False) == obj:
                        votes[False] += 1
    return votes[True] >= votes[False]


# ------------------------------------------------------------------ training


_ARTICLE_RE = re.compile(r'^"?(the|a|an)[_ ]', re.IGNORECASE)


def takes_articles(examples: Sequence[Example]) -> bool:
    """Do the examples write values with a leading article ("The_Hobbit")?
    Two different such values are enough; without examples, yes. When they do
    not, "The Acharya Institute" is no candidate beside "Acharya Institute"."""
    if not examples:
        return True
    seen = {normalize(v) for ex in examples for sub, _, obj in ex.triples
            for v in (sub, obj) if _ARTICLE_RE.match(v)}
    return len(seen) >= 2


def entity_folds(examples: Sequence[Example], folds: int) -> list[int]:
    """Fold of each example, keeping examples about the same entity together.

    New text is usually about entities the examples never mention, so held-out
    folds must not share the topic entity (an example's most frequent subject)
    with the rest. Groups go, largest first, to the smallest fold.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, ex in enumerate(examples):
        subjects = Counter(normalize(sub) for sub, _, _ in ex.triples)
        topic = subjects.most_common(1)[0][0] if subjects else f"#{i}"
        groups[topic].append(i)
    fold_of = [0] * len(examples)
    sizes = [0] * folds
    for members in sorted(groups.values(), key=len, reverse=True):
        k = sizes.index(min(sizes))
        sizes[k] += len(members)
        for i in members:
            fold_of[i] = k
    return fold_of


def _entity_folds(prepared: Sequence[Prepared], folds: int) -> list[int]:
    return entity_folds([prep.example for prep in prepared], folds)


def _training_groups(prepared: Sequence[Prepared], model: ExtractionModel, *, folds: int):
    """Per example: its pairs' string features, relation tensor and gold pairs per relation.

    The object/subject lexicon features of an example are computed from the
    *other* folds (:func:`_entity_folds`), so the learned weight of "value seen
    in the examples" is not inflated by the example's own triples.
    """
    import numpy as np

    fold_of = _entity_folds(prepared, folds)
    range_kinds = [model.range_kind(r) for r in model.ontology.relations]
    tables = []
    for k in range(folds):
        objs: dict[str, set[str]] = defaultdict(set)
        subs: dict[str, set[str]] = defaultdict(set)
        for prep, f in zip(prepared, fold_of):
            if f == k and folds > 1:
                continue
            for sub, rel, obj in prep.example.triples:
                for key in (normalize(obj), normalize(strip_qualifier(obj.strip('"')))):
                    objs[rel].add(key)
                for key in (normalize(sub), normalize(strip_qualifier(sub.strip('"')))):
                    subs[rel].add(key)
        tables.append(RelationTable.build(
            model.ontology.relations, seen=set(model.classes), objects=objs, subjects=subs,
            object_types=model.object_types, subject_types=model.subject_types,
            range_kinds=range_kinds))
    columns = [model.relation_labels.index(c) for c in model.classes]
    col_of = {c: k for k, c in enumerate(model.classes)}
    groups = []
    for prep, fold in zip(prepared, fold_of):
        ctx = prep.ctx
        pairs = pairs_of(ctx)
        if not pairs:
            continue
        index = {(id(s), id(o)): n for n, (s, o) in enumerate(pairs)}
        positives: dict[int, set[int]] = defaultdict(set)
        unaligned: set[int] = set()
        for rel, subs, objs in prep.triples:
            k = col_of.get(rel)
            if k is None:
                continue
            hits = {index[(id(s), id(o))] for s in subs for o in objs if (id(s), id(o)) in index}
            if hits:
                positives[k] |= hits
            else:
                unaligned.add(k)
        feats = [pair_features(ctx, s, o) for s, o in pairs]
        tensor = relation_tensor(ctx, pairs, tables[fold], subject_key=model.subject_key,
                                 span_type=span_type)[:, columns, :].astype(np.float32)
        groups.append((feats, tensor, dict(positives), unaligned - set(positives)))
    return groups


def _train(groups, n_classes: int, *, epochs: int, l2: float, l2_shared: float, lr: float,
           min_count: int, rng: random.Random):
    """Fit the pair ranker: for every example and relation, a softmax over the
    example's candidate pairs plus a "no such statement" option (logit 0).

    The logit of pair p for relation k is ``x_p . (U + W[:, k]) + g[p, k] . v``:
    ``U`` is shared by all relations (what a good argument pair looks like),
    ``W`` is per relation, ``v`` weighs the relation-conditioned features.
    AdaGrad, one example per step, L2 on the touched rows.
    """
    import numpy as np

    counts = Counter(f for feats, *_ in groups for fs in feats for f in set(fs))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items()
                                               if c >= min_count or f == "bias"))}
    compiled = []
    for feats, tensor, positives, skip in groups:
        rows = [[vocab[f] for f in set(fs) if f in vocab] for fs in feats]
        lens = np.array([len(r) for r in rows])
        flat = np.fromiter((j for r in rows for j in r), dtype=np.int64, count=int(lens.sum()))
        pair_of = np.repeat(np.arange(len(rows)), lens)
        order = np.argsort(flat, kind="stable")
        uniq, first = np.unique(flat[order], return_index=True)
        target = np.zeros((len(rows) + 1, n_classes))
        target[-1, :] = 1.0
        for k, hits in positives.items():
            target[-1, k] = 0.0
            for n in hits:
                target[n, k] = 1.0 / len(hits)
        mask = np.ones(n_classes)
        for k in skip:
            mask[k] = 0.0
        compiled.append((flat, pair_of, order, uniq, first, tensor, target, mask, len(rows)))
    n_feat = len(vocab)
    W = np.zeros((n_feat, n_classes))
    U = np.zeros(n_feat)
    for feat, weight in DEFAULT_PAIR_WEIGHTS.items():
        if feat in vocab:
            U[vocab[feat]] = weight
    v = np.array([DEFAULT_SHARED_WEIGHTS[name] for name in RELATION_FEATURES])
    v_mask = np.array([name not in FIXED_SHARED for name in RELATION_FEATURES], dtype=float)
    gW = np.full_like(W, 1e-6)
    gU = np.full_like(U, 1e-6)
    gv = np.full_like(v, 1e-6)
    sequence = list(range(len(compiled)))
    for _ in range(epochs):
        rng.shuffle(sequence)
        for gi in sequence:
            flat, pair_of, order, uniq, first, tensor, target, mask, n_pairs = compiled[gi]
            logits = np.zeros((n_pairs + 1, n_classes))
            contrib = W[flat] + U[flat][:, None]
            np.add.at(logits, pair_of, contrib)
            logits[:n_pairs] += tensor @ v
            logits -= logits.max(axis=0, keepdims=True)
            prob = np.exp(logits)
            prob /= prob.sum(axis=0, keepdims=True)
            err = (prob - target) * mask
            e_pairs = err[:n_pairs]
            grad_rows = np.add.reduceat(e_pairs[pair_of[order]], first, axis=0)
            gradW = grad_rows + l2 * W[uniq]
            gW[uniq] += gradW ** 2
            W[uniq] -= lr * gradW / np.sqrt(gW[uniq])
            gradU = grad_rows.sum(axis=1) + l2_shared * U[uniq]
            gU[uniq] += gradU ** 2
            U[uniq] -= lr * gradU / np.sqrt(gU[uniq])
            gradv = (np.einsum("pk,pkg->g", e_pairs, tensor) + l2_shared * v) * v_mask
            gv += gradv ** 2
            v -= lr * gradv / np.sqrt(gv)
    inv = sorted(vocab, key=vocab.get)
    return W, U, v, inv


def learn(
    examples: Sequence[Example],
    ontology: Ontology,
    *,
    docs: Sequence | None = None,
    model_name: str | None = None,
    epochs: int = 10,
    l2: float = 1e-2,
    l2_shared: float = 1e-4,
    learning_rate: float = 0.2,
    min_count: int = 2,
    folds: int = 4,
    prune: float = 0.01,
    seed: int = 0,
    ensemble: int = 4,
) -> ExtractionModel:
    """Learn a model for ``ontology`` from ``examples`` (parsed here unless ``docs``).

    The ranker's weights are the average of ``ensemble`` trainings that see the
    examples in different orders (the same vocabulary, so averaging weights
    averages scores)."""
    from kg.text2kg.nlp import DEFAULT_MODEL, parse

    rng = random.Random(seed)
    if docs is None:
        docs = parse([ex.sent for ex in examples], model=model_name or DEFAULT_MODEL)
    stats: dict = {"examples": len(examples)}
    articles = takes_articles(examples)
    prepared = prepare(examples, docs, ontology, stats=stats, articles=articles)
    day_first = _day_first(prepared)
    if not day_first:
        prepared = prepare(examples, docs, ontology, day_first=False, stats={},
                           articles=articles)
    values = _value_statistics(prepared, ontology, day_first=day_first)
    from kg.text2kg.extract import value_kind

    kinds: dict[str, Counter] = defaultdict(Counter)
    multi: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # rel -> [sentences, with 2+ objects]
    for ex in examples:
        for _, rel, obj in ex.triples:
            kinds[rel][value_kind(obj)] += 1
        per_rel = Counter((sub, rel) for sub, rel, _ in ex.triples)
        for rel in {rel for _, rel in per_rel}:
            multi[rel][0] += 1
            multi[rel][1] += any(n > 1 for (s, r), n in per_rel.items() if r == rel)
    positives = Counter(rel for prep in prepared for rel, s, o in prep.triples if s and o)
    classes = [r.label for r in ontology.relations if positives.get(r.label)]
    model = ExtractionModel(
        ontology=ontology,
        classes=classes,
        templates={r: dict(c) for r, c in values.templates.items()},
        subject_templates={r: dict(c) for r, c in values.subject_templates.items()},
        template_values={k: dict(c) for k, c in values.template_values.items()},
        number_forms={r: dict(c) for r, c in values.number_forms.items()},
        objects={r: dict(d) for r, d in values.objects.items()},
        subjects={r: dict(d) for r, d in values.subjects.items()},
        canonical=values.canonical,
        rewrites=values.rewrites,
        value_kinds={r: dict(c) for r, c in kinds.items() if ontology.has_relation(r)},
        multi_valued={r: round(m / n, 3) for r, (n, m) in multi.items()
                      if ontology.has_relation(r) and n},
        object_types=_log_distribution(values.object_types),
        subject_types=_log_distribution(values.subject_types),
        day_first=day_first,
        article_names=articles,
    )
    if classes:
        groups = _training_groups(prepared, model, folds=max(1, min(folds, len(prepared))))
        # an average of several rankers trained in different example orders: one
        # order alone moves the benchmark's average F1 by about +-0.005
        runs = [_train(groups, len(classes), epochs=epochs, l2=l2, l2_shared=l2_shared,
                       lr=learning_rate, min_count=min_count,
                       rng=rng if k == 0 else random.Random(seed * 1000 + k))
                for k in range(max(1, ensemble))]
        W, U, v = (sum(run[i] for run in runs) / len(runs) for i in range(3))
        model.set_weights(W, U, v, runs[0][3], prune=prune)
        stats["pairs"] = sum(len(g[0]) for g in groups)
        stats["trainings_averaged"] = len(runs)
    else:
        # no example could be aligned: relation labels, ranges and priors only
        model.weights = {feat: {SHARED: w} for feat, w in DEFAULT_PAIR_WEIGHTS.items()}
    stats["relations_learned"] = len(classes)
    model.info = stats
    log.info("learned %s: %s", ontology.id, stats)
    return model
