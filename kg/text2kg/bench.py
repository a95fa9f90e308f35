"""Run the DBpedia-WebNLG part of Text2KGBench: learn, extract, score.

For every ontology of the benchmark directory that has a test file: learn a
model from its ``train/`` file, extract triples from its ``test/`` sentences,
optionally write the system output in the benchmark's JSONL format
(``{"id", "triples": [[sub, rel, obj], ...]}``), and score it with
:mod:`kg.text2kg.score` when ``ground_truth/`` has the gold file.

The directory may be the benchmark root (``.../text2kgbench``) or its
``dbpedia_webnlg`` folder; published baseline figures are read from a
``baselines/`` folder beside it (``<system>.jsonl``, one line per ontology).
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from kg.errors import InputError
from kg.text2kg.extract import consolidate, decode, score_doc
from kg.text2kg.learn import learn, read_examples
from kg.text2kg.ontology import load_ontology
from kg.text2kg.score import OntologyScore, average_scores, score_ontology

__all__ = [
    "BenchTask",
    "BenchResult",
    "find_tasks",
    "read_baselines",
    "run_benchmark",
    "cross_validate",
    "BENCH_OPERATING_POINT",
]

log = logging.getLogger(__name__)

#: thresholds the benchmark is run with. The benchmark scores a sentence only on
#: the relations its gold triples use, so the best policy is to state, for every
#: relation, the most probable pair; a normalised value (ISO date, canonical
#: name) still needs some confidence, which keeps hallucination low.
BENCH_OPERATING_POINT = {"threshold": 0.0, "threshold_multi": 0.3, "threshold_normalized": 0.15}


@dataclass(frozen=True)
class BenchTask:
    """One ontology of the benchmark and its files."""

    key: str  # "7_company"
    number: int
    ontology: Path
    train: Path | None
    test: Path | None
    ground_truth: Path | None


@dataclass
class BenchResult:
    """Scores per ontology (when gold was available), outputs and timing."""

    scores: list[OntologyScore] = field(default_factory=list)
    outputs: dict[str, list[dict]] = field(default_factory=dict)
    sentences: int = 0
    extract_seconds: float = 0.0
    learn_seconds: float = 0.0
    model_info: dict[str, dict] = field(default_factory=dict)

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.extract_seconds if self.extract_seconds else 0.0

    def averages(self) -> dict[str, float]:
        return average_scores(self.scores)


def _data_dir(root: Path) -> Path:
    for cand in (root, root / "dbpedia_webnlg"):
        if (cand / "ontologies").is_dir():
            return cand
    raise InputError(root, "no ontologies/ folder here or in dbpedia_webnlg/; "
                           "pass the Text2KGBench directory")


def find_tasks(root: str | Path) -> list[BenchTask]:
    """The benchmark's ontologies with their train/test/ground-truth files, in number order."""
    data = _data_dir(Path(root))
    tasks = []
    for onto in data.glob("ontologies/*_ontology.json"):
        match = re.match(r"(\d+)_(.+)_ontology$", onto.stem)
        if not match:
            continue
        key = f"{match[1]}_{match[2]}"

        def pick(folder: str, suffix: str) -> Path | None:
            path = data / folder / f"ont_{key}_{suffix}.jsonl"
            return path if path.is_file() else None

        tasks.append(BenchTask(key, int(match[1]), onto, pick("train", "train"),
                               pick("test", "test"), pick("ground_truth", "ground_truth")))
    if not tasks:
        raise InputError(data / "ontologies", "no N_name_ontology.json files")
    return sorted(tasks, key=lambda t: t.number)


def read_baselines(root: str | Path) -> dict[str, dict[str, dict[str, float]]]:
    """Published per-ontology figures: ``{system: {ontology key: {metric: value}}}``."""
    root = Path(root)
    folder = next((p for p in (root / "baselines", root.parent / "baselines") if p.is_dir()), None)
    out: dict[str, dict[str, dict[str, float]]] = {}
    if folder is None:
        return out
    for path in sorted(folder.glob("*.jsonl")):
        rows = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if rec.get("type") != "all_test_cases" or "onto" not in rec:
                continue
            rows[rec["onto"]] = {k[4:]: float(v) for k, v in rec.items() if k.startswith("avg_")}
        if rows:
            out[path.stem] = rows
    return out


def _read_jsonl(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(path, str(exc)) from None


def _learn_and_extract(nlp, ontology, examples, tests, point: dict[str, float], *,
                       batch_size: int, corpus_weight: float = 0.0):
    """Learn from ``examples``, extract ``tests``: (records, model, t0, t1, t2)."""
    t0 = time.perf_counter()
    train_docs = list(nlp.pipe([e.sent for e in examples], batch_size=batch_size))
    model = learn(examples, ontology, docs=train_docs)
    for name, value in point.items():
        setattr(model, name, value)
    t1 = time.perf_counter()
    scored = [score_doc(doc, model)
              for doc in nlp.pipe([e.sent for e in tests], batch_size=batch_size)]
    if corpus_weight > 0:
        consolidate(scored, model, weight=corpus_weight)
    records = [{"id": ex.id, "triples": [t.as_list() for t in decode(sd, model)]}
               for ex, sd in zip(tests, scored)]
    return records, model, t0, t1, time.perf_counter()


def run_benchmark(
    root: str | Path,
    *,
    output: str | Path | None = None,
    only: Iterable[int] | None = None,
    model_name: str | None = None,
    operating_point: dict[str, float] | None = None,
    batch_size: int = 128,
    corpus_weight: float = 0.0,
    progress: Callable[[str], None] | None = None,
) -> BenchResult:
    """Learn, extract and score every ontology that has a test file.

    ``corpus_weight`` > 0 reads each ontology's test sentences as one corpus
    whose sentences support each other's statements
    (:func:`kg.text2kg.extract.consolidate`); 0 reads every sentence on its own,
    as the published baselines did.
    """
    from kg.text2kg.nlp import DEFAULT_MODEL, load_pipeline

    nlp = load_pipeline(model_name or DEFAULT_MODEL)
    point = dict(BENCH_OPERATING_POINT if operating_point is None else operating_point)
    wanted = set(only) if only is not None else None
    out_dir = Path(output) if output is not None else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    result = BenchResult()
    for task in find_tasks(root):
        if wanted is not None and task.number not in wanted:
            continue
        if task.test is None or task.train is None:
            log.info("skipping %s: no train or test file", task.key)
            continue
        ontology = load_ontology(task.ontology)
        examples = read_examples(task.train)
        tests = read_examples(task.test, require_triples=False)
        records, model, t0, t1, t2 = _learn_and_extract(
            nlp, ontology, examples, tests, point, batch_size=batch_size,
            corpus_weight=corpus_weight)
        result.learn_seconds += t1 - t0
        result.extract_seconds += t2 - t1
        result.sentences += len(tests)
        result.outputs[task.key] = records
        result.model_info[task.key] = dict(model.info)
        if out_dir is not None:
            with (out_dir / f"ont_{task.key}_output.jsonl").open("w", encoding="utf-8") as fh:
                for rec in records:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        if task.ground_truth is not None:
            score = score_ontology(
                _read_jsonl(task.ground_truth), records,
                relation_labels=ontology.relation_labels,
                concept_labels=ontology.concept_labels,
                onto_id=task.key,
            )
            result.scores.append(score)
            if progress:
                progress(f"{task.key}: F1 {score.f1:.3f} ({len(tests)} sentences, "
                         f"{t1 - t0:.1f}s learning, {t2 - t1:.1f}s extraction)")
        elif progress:
            progress(f"{task.key}: {len(tests)} sentences extracted (no ground truth)")
    if not result.outputs:
        raise InputError(root, "no ontology has both a train and a test file")
    return result


def score_files(root: str | Path, system: dict[str, Sequence[dict]]) -> list[OntologyScore]:
    """Score given system outputs (``{ontology key: records}``) against the gold files."""
    scores = []
    for task in find_tasks(root):
        if task.key not in system or task.ground_truth is None:
            continue
        ontology = load_ontology(task.ontology)
        scores.append(score_ontology(_read_jsonl(task.ground_truth), system[task.key],
                                     relation_labels=ontology.relation_labels,
                                     concept_labels=ontology.concept_labels,
                                     onto_id=task.key))
    return scores


def cross_validate(
    root: str | Path,
    *,
    folds: int = 2,
    only: Iterable[int] | None = None,
    model_name: str | None = None,
    operating_point: dict[str, float] | None = None,
    batch_size: int = 128,
    progress: Callable[[str], None] | None = None,
) -> BenchResult:
    """Score every ontology that has a train file on its own train examples.

    The examples are split into ``folds`` folds grouped by topic entity
    (:func:`kg.text2kg.learn.entity_folds`); each fold is extracted by a model
    learned from the other folds, every sentence on its own, and the held-out
    outputs of all folds are scored together as the benchmark scores a test
    file. This measures what carries over to an ontology's unseen entities,
    also for ontologies whose test data is hidden.
    """
    from kg.text2kg.learn import entity_folds
    from kg.text2kg.nlp import DEFAULT_MODEL, load_pipeline

    if folds < 2:
        raise InputError(folds, "cross-validation needs at least 2 folds")
    nlp = load_pipeline(model_name or DEFAULT_MODEL)
    point = dict(BENCH_OPERATING_POINT if operating_point is None else operating_point)
    wanted = set(only) if only is not None else None
    result = BenchResult()
    for task in find_tasks(root):
        if task.train is None or (wanted is not None and task.number not in wanted):
            continue
        ontology = load_ontology(task.ontology)
        examples = read_examples(task.train)
        fold_of = entity_folds(examples, folds)
        records: list[dict] = []
        for k in range(folds):
            train = [ex for ex, f in zip(examples, fold_of) if f != k]
            held = [ex for ex, f in zip(examples, fold_of) if f == k]
            if not train or not held:
                continue
            recs, _, t0, t1, t2 = _learn_and_extract(nlp, ontology, train, held, point,
                                                     batch_size=batch_size)
            records.extend(recs)
            result.learn_seconds += t1 - t0
            result.extract_seconds += t2 - t1
            result.sentences += len(held)
        result.outputs[task.key] = records
        result.model_info[task.key] = {"has_test": task.test is not None}
        gold = [{"id": ex.id, "sent": ex.sent,
                 "triples": [{"sub": s, "rel": r, "obj": o} for s, r, o in ex.triples]}
                for ex in examples]
        score = score_ontology(gold, records, relation_labels=ontology.relation_labels,
                               concept_labels=ontology.concept_labels, onto_id=task.key)
        result.scores.append(score)
        if progress:
            progress(f"{task.key}: cross-validated F1 {score.f1:.3f} "
                     f"({len(examples)} examples, {folds} folds)")
    if not result.scores:
        raise InputError(root, "no ontology has a train file")
    return result
