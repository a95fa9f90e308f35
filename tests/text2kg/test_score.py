"""The scorer reproduces Text2KGBench's own evaluation (run_eval.py)."""

from __future__ import annotations

import json

import pytest

from kg.text2kg.bench import read_baselines, score_files
from kg.text2kg.ontology import load_ontology
from kg.text2kg.score import (
    METRICS,
    average_scores,
    normalize,
    precision_recall_f1,
    score_ontology,
    score_sentence,
    stemmed_normalized,
    word_tokenize,
)


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def vicuna7(bench_dir):
    onto = load_ontology(bench_dir / "dbpedia_webnlg/ontologies/7_company_ontology.json")
    gold = _jsonl(bench_dir / "dbpedia_webnlg/ground_truth/ont_7_company_ground_truth.jsonl")
    system = _jsonl(bench_dir / "baselines/vicuna-13b.7_company.responses.jsonl")
    published = {rec["id"]: rec for rec in _jsonl(bench_dir / "baselines/vicuna-13b.7_company.eval.jsonl")}
    score = score_ontology(gold, system, relation_labels=onto.relation_labels,
                           concept_labels=onto.concept_labels, onto_id="7_company")
    return score, published


def test_vicuna_ontology_7_per_sentence_figures(vicuna7):
    score, published = vicuna7
    assert len(score.per_sentence) == len(published) == 56
    for sent in score.per_sentence:
        ref = published[sent.id]
        for metric in METRICS:
            assert getattr(sent, metric) == pytest.approx(float(ref[metric]), abs=1e-12), (sent.id, metric)
        assert sent.filtered_llm_triples == ref["filtered_llm_triples"]


def test_vicuna_ontology_7_published_averages(vicuna7, bench_dir):
    score, _ = vicuna7
    published = read_baselines(bench_dir)["vicuna-13b"]["7_company"]
    for metric in METRICS:
        assert f"{getattr(score, metric):.2f}" == f"{published[metric]:.2f}", metric


def test_score_files_over_the_benchmark_layout(bench_dir):
    system = {"7_company": _jsonl(bench_dir / "baselines/vicuna-13b.7_company.responses.jsonl")}
    (score,) = score_files(bench_dir, system)
    assert round(score.f1, 2) == 0.41


def test_sentence_rules():
    labels = ["country", "foundingDate"]
    gold = [{"sub": "AmeriGas", "rel": "country", "obj": "United_States"}]
    # relations absent from the gold are filtered out; spaces and underscores do not count
    s = score_sentence("x", "AmeriGas is a U.S. company.", gold,
                       [["Ameri Gas", "country", "united states"], ["AmeriGas", "foundingDate", "companies"]],
                       relation_labels=labels, concept_labels=["Company"])
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert s.filtered_llm_triples == [["Ameri Gas", "country", "united states"]]
    # "united states" is not written in the sentence ("companies" is, once stemmed)
    assert s.obj_halluc == 0.5 and s.sub_halluc == 0.0
    # a relation outside the ontology lowers conformance
    s = score_sentence("x", "AmeriGas.", gold, [["AmeriGas", "ceo", "Jerry"]],
                       relation_labels=labels, concept_labels=[])
    assert s.onto_conf == 0.0 and s.rel_halluc == 1.0
    # nothing said: zero scores, full conformance
    s = score_sentence("x", "AmeriGas.", gold, [], relation_labels=labels, concept_labels=[])
    assert (s.f1, s.onto_conf, s.sub_halluc) == (0, 1, 0)


def test_missing_sentences_count_as_zero():
    gold = [{"id": "a", "sent": "A is in B.", "triples": [{"sub": "A", "rel": "r", "obj": "B"}]},
            {"id": "b", "sent": "C is in D.", "triples": [{"sub": "C", "rel": "r", "obj": "D"}]}]
    score = score_ontology(gold, [{"id": "a", "triples": [["A", "r", "B"]]}],
                           relation_labels=["r"], concept_labels=[])
    assert score.f1 == 0.5 and score.onto_conf == 0.5
    avg = average_scores([score, score])
    assert avg["f1"] == 0.5


def test_helpers():
    assert normalize("United_States of  America") == "unitedstatesofamerica"
    assert precision_recall_f1({"a", "b"}, {"a", "c", "d", "e"}) == (0.25, 0.5, pytest.approx(1 / 3))
    assert word_tokenize('He said "hi". It rained.') == ["He", "said", "``", "hi", "''", ".", "It", "rained", "."]
    # an abbreviation does not end a sentence
    assert word_tokenize("Born in the U.S. He left.")[3] == "U.S."
    assert stemmed_normalized("Employees") == "employe"
