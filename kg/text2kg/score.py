"""Text2KGBench scoring, done the way the benchmark's ``run_eval.py`` does it.

Per test sentence (ground truth order; a sentence the system skipped adds 0 to
every sum, yet counts in the denominator):

* keep only system triples whose relation is among the sentence's gold relations;
* normalise subject, relation and object (delete ``_`` and white space, lower
  case) and concatenate them;
* precision, recall and F1 of the two sets, all 0 when the filtered system set
  is empty;
* ontology conformance: share of *all* system triples whose relation is a label
  of the ontology (1 when the system gave nothing); relation hallucination is
  its complement;
* subject / object hallucination: share of *all* system triples whose Porter
  stemmed, normalised subject (object) is not a substring of the stemmed,
  normalised sentence followed by the ontology's concept labels.

Averages are per ontology (over its gold sentences), then the plain mean of the
per-ontology averages.

The benchmark tokenises with NLTK's ``word_tokenize``, which needs the ``punkt``
sentence model (a data download). :func:`word_tokenize` reproduces it without
data: NLTK's Treebank-style word tokenizer (pure code) on sentences split by a
small rule (end punctuation, white space, not after a known abbreviation or an
initial). The only effect of the sentence split is whether a sentence-final
period is split off a word before stemming.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field
from typing import Iterable, Mapping, Sequence

from kg.errors import InputError
from kg.text2kg.nltk_tools import porter_stemmer, word_tokenizer

__all__ = [
    "SentenceScore",
    "OntologyScore",
    "normalize",
    "triple_key",
    "precision_recall_f1",
    "word_tokenize",
    "stemmed_normalized",
    "score_sentence",
    "score_ontology",
    "average_scores",
    "METRICS",
]

#: per-sentence and averaged metrics, in the benchmark's order and naming
METRICS = ("precision", "recall", "f1", "onto_conf", "rel_halluc", "sub_halluc", "obj_halluc")

_NORM_RE = re.compile(r"(_|\s+)")

Triple = Sequence[str]


def normalize(label: str) -> str:
    """Delete underscores and white space, lower-case (``normalize_triple`` of the benchmark)."""
    return _NORM_RE.sub("", label).lower()


def triple_key(sub: str, rel: str, obj: str) -> str:
    return f"{normalize(sub)}{normalize(rel)}{normalize(obj)}"


def precision_recall_f1(gold: set[str], pred: set[str]) -> tuple[float, float, float]:
    if not pred:
        return 0, 0, 0
    hits = len(gold & pred)
    p = hits / len(pred)
    r = hits / len(gold)
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0
    return p, r, f1


# ------------------------------------------------------------ tokenize and stem

# abbreviations after which a period does not end a sentence (lower case, no period)
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr inc co corp ltd no vs etc jan feb mar apr jun jul aug
    sep sept oct nov dec gen col lt sgt capt rev mt ft fig al approx dept est govt
    univ assn bros e.g i.e u.s u.k a.m p.m""".split()
)
_SENT_END_RE = re.compile(r"(?<=[.!?])([\"')\]]*)\s+(?=[\"'(\[]*[A-Z0-9])")


def _split_sentences(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _SENT_END_RE.finditer(text):
        end = match.start()
        before = text[start:end]
        words = before.split()
        last = words[-1].rstrip(".!?").lower() if words else ""
        if text[end - 1] == "." and (
            last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()) or "." in last
        ):
            continue
        cut = match.start() + len(match.group(1))
        parts.append(text[start:cut])
        start = match.end()
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _tools():
    return word_tokenizer(), porter_stemmer("the Text2KGBench scorer")


def word_tokenize(text: str) -> list[str]:
    """NLTK's ``word_tokenize`` without the punkt download (see the module docstring)."""
    tokenizer, _ = _tools()
    return [tok for sent in _split_sentences(text) for tok in tokenizer.tokenize(sent)]


def stemmed_normalized(text: str) -> str:
    """Porter-stem every token, concatenate, then normalise (``clean_entity_string``)."""
    _, stemmer = _tools()
    stemmed = "".join(stemmer.stem(word) for word in word_tokenize(text))
    return normalize(stemmed)


@functools.lru_cache(maxsize=65536)
def _clean_entity(entity: str) -> str:
    return stemmed_normalized(entity).replace("01januari", "")


# --------------------------------------------------------------------- scoring


@dataclass
class SentenceScore:
    id: str
    precision: float
    recall: float
    f1: float
    onto_conf: float
    rel_halluc: float
    sub_halluc: float
    obj_halluc: float
    llm_triples: list = field(default_factory=list)
    filtered_llm_triples: list = field(default_factory=list)
    gt_triples: list = field(default_factory=list)
    sent: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class OntologyScore:
    onto: str
    sentences: int
    precision: float
    recall: float
    f1: float
    onto_conf: float
    rel_halluc: float
    sub_halluc: float
    obj_halluc: float
    per_sentence: list[SentenceScore] = field(default_factory=list, repr=False)

    def metrics(self) -> dict[str, float]:
        return {m: getattr(self, m) for m in METRICS}


def _as_triple_lists(triples: Iterable) -> list[list[str]]:
    out = []
    for tr in triples:
        if isinstance(tr, Mapping):
            out.append([str(tr["sub"]), str(tr["rel"]), str(tr["obj"])])
        else:
            out.append([str(x) for x in tr])
    return out


def score_sentence(
    sent_id: str,
    sentence: str,
    gold: Iterable,
    system: Iterable,
    *,
    relation_labels: Sequence[str],
    concept_labels: Sequence[str],
) -> SentenceScore:
    """Score one sentence; triples are ``[sub, rel, obj]`` lists or ``{"sub","rel","obj"}``."""
    gt = _as_triple_lists(gold)
    sys_triples = _as_triple_lists(system)
    gt_relations = {tr[1].replace(" ", "_") for tr in gt}
    filtered = [tr for tr in sys_triples if tr[1] in gt_relations]
    p, r, f1 = precision_recall_f1(
        {triple_key(*tr) for tr in gt}, {triple_key(*tr) for tr in filtered}
    )
    if sys_triples:
        ont_rels = {label.replace(" ", "_") for label in relation_labels}
        conf = sum(tr[1] in ont_rels for tr in sys_triples) / len(sys_triples)
        rel_h = 1 - conf
        context = stemmed_normalized(sentence + " ".join(concept_labels))
        sub_h = sum(context.find(_clean_entity(tr[0])) == -1 for tr in sys_triples) / len(sys_triples)
        obj_h = sum(context.find(_clean_entity(tr[2])) == -1 for tr in sys_triples) / len(sys_triples)
    else:
        conf, rel_h, sub_h, obj_h = 1, 0, 0, 0
    return SentenceScore(sent_id, p, r, f1, conf, rel_h, sub_h, obj_h, sys_triples, filtered, gt,
                         sentence)


def score_ontology(
    gold_records: Sequence[Mapping],
    system_records: Iterable[Mapping],
    *,
    relation_labels: Sequence[str],
    concept_labels: Sequence[str],
    onto_id: str = "",
) -> OntologyScore:
    """Average the sentence scores over the gold sentences (benchmark semantics)."""
    system = {}
    for rec in system_records:
        if "id" not in rec:
            raise InputError("system output", "a record has no 'id'")
        system[rec["id"]] = rec  # the last record of an id wins, as in the benchmark
    gold = {}
    for rec in gold_records:
        gold[rec["id"]] = rec
    if not gold:
        raise InputError("ground truth", "no gold sentences")
    per_sentence = []
    totals = dict.fromkeys(METRICS, 0.0)
    for sent_id, rec in gold.items():
        if sent_id not in system:
            continue
        score = score_sentence(
            sent_id,
            rec["sent"],
            rec["triples"],
            system[sent_id].get("triples", []),
            relation_labels=relation_labels,
            concept_labels=concept_labels,
        )
        per_sentence.append(score)
        for m in METRICS:
            totals[m] += getattr(score, m)
    n = len(gold)
    return OntologyScore(onto=onto_id, sentences=n, per_sentence=per_sentence,
                         **{m: totals[m] / n for m in METRICS})


def average_scores(scores: Sequence[OntologyScore]) -> dict[str, float]:
    """Plain mean of the per-ontology averages (the benchmark's global figures)."""
    if not scores:
        return dict.fromkeys(METRICS, 0.0)
    return {m: sum(getattr(s, m) for s in scores) / len(scores) for m in METRICS}
