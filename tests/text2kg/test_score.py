"""The Text2KGBench scorer reproduces the benchmark's published figures for
ontology 7 when fed the benchmark's own Vicuna-13B outputs."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SHARED

T2K = SHARED / "text2kgbench"
pytestmark = pytest.mark.skipif(not T2K.is_dir(), reason="shared/text2kgbench is not beside the checkout")


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_scorer_reproduces_published_vicuna_figures_for_ontology_7():
    from kg.text2kg.ontology import load_ontology
    from kg.text2kg.score import score_ontology

    onto = load_ontology(T2K / "dbpedia_webnlg" / "ontologies" / "7_company_ontology.json")
    gold = _jsonl(T2K / "dbpedia_webnlg" / "ground_truth" / "ont_7_company_ground_truth.jsonl")
    published = _jsonl(T2K / "baselines" / "vicuna-13b.7_company.eval.jsonl")
    system = [{"id": rec["id"], "triples": rec["llm_triples"]} for rec in published]
    score = score_ontology(
        gold, system, relation_labels=onto.relation_labels, concept_labels=onto.concept_labels, onto_id="7_company"
    )
    ours = {s.id: s for s in score.per_sentence}
    assert len(ours) == len(published)
    for rec in published:
        got = ours[rec["id"]]
        for metric in ("precision", "recall", "f1", "onto_conf", "sub_halluc", "obj_halluc"):
            assert getattr(got, metric) == pytest.approx(rec[metric], abs=1e-9), (rec["id"], metric)
    (avg,) = [r for r in _jsonl(T2K / "baselines" / "vicuna-13b.jsonl") if r["onto"] == "7_company"]
    assert round(score.f1, 2) == pytest.approx(float(avg["avg_f1"]), abs=0.011)
    assert round(score.precision, 2) == pytest.approx(float(avg["avg_precision"]), abs=0.011)
