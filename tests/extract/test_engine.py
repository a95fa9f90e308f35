"""The relation engine: candidate pairs, their features, the classifier and its decisions.

Sentences are hand-parsed (``tests/extract/helpers.py``); no model is needed.
"""

from __future__ import annotations

import json

import pytest

from kg.extract.engine import NAME, RelationModel, decide, load_relation_model
from kg.extract.pairs import candidates
from kg.extract.training import SKIP, TrainingText, fit, label
from kg.model import Candidate, DocResult, DocInfo, Relation
from tests.extract.helpers import M, context

# Anna Berg joined Tova Labs in Oslo .
JOINED = """
Anna|Anna|PROPN|NNP|compound|1 Berg|Berg|PROPN|NNP|nsubj|2 joined|join|VERB|VBD|ROOT|2
Tova|Tova|PROPN|NNP|compound|4 Labs|Labs|PROPN|NNP|dobj|2 in|in|ADP|IN|prep|4
Oslo|Oslo|PROPN|NNP|pobj|5 .|.|PUNCT|.|punct|2
"""
MENTIONS = [M(0, 2, "Person"), M(3, 5, "Company"), M(6, 7, "City")]


def _rel(ctx, s, p, o):
    return ctx.relation(s, p, o, "kg.test.v1", 0.9)


def test_every_pair_of_a_sentence_is_a_candidate_described_by_its_words_and_path():
    ctx = context(JOINED, MENTIONS)
    cands = candidates(ctx.mentions, ctx.all_mentions)
    assert [(c.first, c.second) for c in cands] == [(0, 1), (0, 2), (1, 2)]
    person_company = cands[0].features
    assert "w:join" in person_company  # the word between
    assert "t:Person|Organization" in person_company
    assert any(f.startswith("p:nsubj|join|dobj") for f in person_company)  # the dependency path
    company_city = cands[2].features
    assert "w:in" in company_city and "prepb:in" in company_city


def test_the_word_lists_give_classes_of_the_words_between_and_on_the_path():
    # Anna Berg , CEO of Tova Labs , manufactures drones .
    tokens = """
    Anna|Anna|PROPN|NNP|compound|1 Berg|Berg|PROPN|NNP|nsubj|8 ,|,|PUNCT|,|punct|1 CEO|CEO|PROPN|NNP|appos|1
    of|of|ADP|IN|prep|3 Tova|Tova|PROPN|NNP|compound|6 Labs|Labs|PROPN|NNP|pobj|4 ,|,|PUNCT|,|punct|1
    manufactures|manufacture|VERB|VBZ|ROOT|8 drones|drone|NOUN|NNS|dobj|8 .|.|PUNCT|.|punct|8
    """
    ctx = context(tokens, [M(0, 2, "Person"), M(5, 7, "Company")])
    (cand,) = candidates(ctx.mentions, ctx.all_mentions)
    # "CEO" is a post in the lexicon: what the model learns of "president" carries over to it
    assert "bc:role" in cand.features and "bct:Person|role|Organization" in cand.features
    assert "onc:role" in cand.features  # the path turns at "CEO"
    assert not any(f.startswith("bc:v:") for f in cand.features)


def test_members_of_one_list_are_marked_as_such():
    # Velna , Ostra and Corvin grew in Oslo .
    tokens = """
    Velna|Velna|PROPN|NNP|nsubj|5 ,|,|PUNCT|,|punct|0 Ostra|Ostra|PROPN|NNP|conj|0 and|and|CCONJ|CC|cc|2
    Corvin|Corvin|PROPN|NNP|conj|2 grew|grow|VERB|VBD|ROOT|5 in|in|ADP|IN|prep|5 Oslo|Oslo|PROPN|NNP|pobj|6
    .|.|PUNCT|.|punct|5
    """
    ctx = context(tokens, [M(0, 1, "Company"), M(2, 3, "Company"), M(4, 5, "Company"), M(7, 8, "City")])
    by_pair = {(c.first, c.second): c.features for c in candidates(ctx.mentions, ctx.all_mentions)}
    assert "coord:siblings" in by_pair[(0, 2)] and "coord:siblings" in by_pair[(1, 2)]
    assert "coord:in-list-a" in by_pair[(2, 3)] and "coord:siblings" not in by_pair[(2, 3)]


def test_what_a_rule_said_about_a_pair_is_a_feature_with_its_direction():
    ctx = context(JOINED, MENTIONS)
    rules = [_rel(ctx, 0, "worksFor", 1), _rel(ctx, 2, "partnerOf", 1)]
    by_pair = {(c.first, c.second): c.features for c in candidates(ctx.mentions, ctx.all_mentions, rules)}
    assert "r:worksFor>" in by_pair[(0, 1)]
    assert "r:partnerOf<" in by_pair[(1, 2)]  # the rule's subject is the second mention
    assert not any(f.startswith("r:") for f in by_pair[(0, 2)])


def test_a_reference_and_the_name_it_stands_for_are_no_pair():
    # Tova Labs said it grew .
    tokens = """
    Tova|Tova|PROPN|NNP|compound|1 Labs|Labs|PROPN|NNP|nsubj|2 said|say|VERB|VBD|ROOT|2
    it|it|PRON|PRP|nsubj|4 grew|grow|VERB|VBD|ccomp|2 .|.|PUNCT|.|punct|2
    """
    ctx = context(tokens, [M(0, 2, "Company"), M(3, 4, "Company", kind="pronoun", ante=0)])
    assert candidates(ctx.mentions, ctx.all_mentions) == []


def _toy_rows():
    rows, ys = [], []
    for _ in range(20):
        rows.append(("bias", "w:join", "t:Person|Organization"))
        ys.append(7)  # worksFor>
        rows.append(("bias", "w:visit", "t:Person|Organization"))
        ys.append(0)
    return rows, ys


def test_the_classifier_learns_which_words_state_a_relation():
    from kg.extract.training import CLASSES

    model = fit(*_toy_rows(), l2=1e-3)
    assert CLASSES[7] == "worksFor>"
    cls, p = model.best(("bias", "w:join", "t:Person|Organization"))
    assert cls == "worksFor>" and p > 0.8
    _, p_visit = model.best(("bias", "w:visit", "t:Person|Organization"))
    assert p_visit < 0.2


def test_a_saved_model_reads_back_the_same(tmp_path):
    model = fit(*_toy_rows(), l2=1e-3)
    model.threshold = 0.4
    model.save(tmp_path / "m.json")
    again = load_relation_model(str(tmp_path / "m.json"))
    assert again.threshold == 0.4
    feats = ("bias", "w:join")
    assert again.probabilities(feats) == pytest.approx(model.probabilities(feats), abs=1e-3)
    assert load_relation_model("rules") is None


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    from kg.errors import OntologyError

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(OntologyError, match="bad.json"):
        load_relation_model(str(bad))


def test_the_engine_keeps_the_rules_and_adds_pairs_above_its_threshold():
    ctx = context(JOINED, MENTIONS)
    model = fit(*_toy_rows(), l2=1e-3)
    rules = [_rel(ctx, 1, "locatedIn", 2)]
    cands = [Candidate(0, 1, ("bias", "w:join", "t:Person|Organization")),
             Candidate(1, 2, ("bias", "w:in")), Candidate(0, 2, ("bias", "w:visit", "t:Person|Organization"))]
    kept = decide(model, cands, rules, ctx.relation, threshold=0.5)
    got = {(r.subject, r.property, r.object, r.extractor) for r in kept}
    assert got == {(1, "locatedIn", 2, "kg.test.v1"), (0, "worksFor", 1, NAME)}
    learned = next(r for r in kept if r.extractor == NAME)
    assert 0.5 <= learned.confidence <= 1.0 and learned.sentence.startswith("Anna Berg joined")
    assert decide(model, cands, rules, ctx.relation, threshold=0.999) == rules


def test_a_candidate_is_labelled_from_the_gold_only_where_the_evidence_quotes_its_sentence():
    text = "Anna Berg joined Tova Labs. Anna Berg met Tova Labs staff."
    from kg.model import Mention

    def m(s, e, cls):
        sent = (0, 27) if s < 27 else (28, len(text))
        return Mention(text[s:e], s, e, cls, "TEST", *sent)

    mentions = [m(0, 9, "Person"), m(17, 26, "Company"), m(28, 37, "Person"), m(42, 51, "Company")]
    res = DocResult(DocInfo("d", "d.txt"), mentions=mentions,
                    candidates=[Candidate(0, 1, ("bias",)), Candidate(2, 3, ("bias",))])
    gold = {"entities": [{"id": "anna", "type": "Person", "names": ["Anna Berg"]},
                         {"id": "tova", "type": "Company", "names": ["Tova Labs"]}],
            "relations": [{"s": "anna", "p": ["worksFor"], "o": "tova", "evidence": "Anna Berg joined Tova Labs."}]}
    from kg.extract.training import CLASSES

    [labels] = label(TrainingText("f", "d", [res], gold, text))
    assert CLASSES[labels[0]] == "worksFor>"
    assert labels[1] == SKIP  # related, but this sentence does not say so: left out of training


def test_text2kgbench_sentences_become_gold_texts_with_core_relations(tmp_path):
    from kg.extract.training import text2kgbench_gold

    train = tmp_path / "ont_x_train.jsonl"
    train.write_text(json.dumps({"id": "ont_x_train_1", "sent": "Alan Bean worked for NASA, founded in 1958.",
                                 "triples": [{"sub": "NASA", "rel": "keyPerson", "obj": "Alan_Bean"},
                                             {"sub": "NASA", "rel": "foundingYear", "obj": "1958"},
                                             {"sub": "Alan_Bean", "rel": "birthPlace", "obj": "Wheeler,_Texas"}]})
                     + "\n", encoding="utf-8")
    folder = text2kgbench_gold([train], tmp_path / "gold")
    gold = json.loads((folder / "ont_x_train_1.gold.json").read_text(encoding="utf-8"))
    assert (folder / "ont_x_train_1.txt").read_text(encoding="utf-8").startswith("Alan Bean worked for NASA")
    names = {e["id"]: e["names"] for e in gold["entities"]}
    assert names["alan-bean"] == ["Alan Bean"] and "1958" not in str(names)  # a literal is no entity
    rels = {(r["s"], r["p"][0], r["o"]) for r in gold["relations"]}
    # keyPerson of NASA: the person works for it; an unmapped relation between entities is relatedTo
    assert rels == {("alan-bean", "worksFor", "nasa"), ("alan-bean", "relatedTo", "wheeler-texas")}


def test_platt_scaling_pulls_overconfident_probabilities_down():
    from kg.extract.training import platt

    # pairs given 0.9 are related only half of the time
    held_out = [(0.9, k % 2 == 0) for k in range(200)] + [(0.1, False)] * 200
    a, b = platt(held_out)
    model = RelationModel(["none", "x>"], {}, calibration=(a, b))
    assert model.calibrate(0.9) == pytest.approx(0.5, abs=0.05)
    assert model.calibrate(0.1) < 0.05
