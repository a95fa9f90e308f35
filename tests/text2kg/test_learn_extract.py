"""Learning from a handful of examples, extracting from a sentence never seen."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kg.text2kg.extract import extract
from kg.text2kg.learn import Example, align, learn, read_examples
from kg.text2kg.model import load_model, save_model
from kg.text2kg.ontology import load_ontology

DATA = Path(__file__).parent / "data"
HELD_BACK = "Initech was founded in Austin on February 19, 1999 and has 2,300 employees."

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def ontology():
    return load_ontology(DATA / "company_ontology.json")


@pytest.fixture(scope="module")
def model(ontology, nlp):
    return learn(read_examples(DATA / "company_examples.jsonl"), ontology)


def _triples(model, text, **options):
    return {(t.sub, t.rel, t.obj) for t in extract([text], model, **options)[0]}


def test_held_back_sentence(model):
    got = _triples(model, HELD_BACK)
    assert ("Initech", "foundingDate", "1999-02-19") in got  # ISO 8601, learned
    assert ("Initech", "foundationPlace", "Austin") in got
    assert ("Initech", "numberOfEmployees", "2300") in got   # "2,300" -> 2300
    assert all(rel in model.relation_labels for _, rel, _ in got)


def test_what_the_examples_taught(model):
    assert model.templates["foundingDate"] == {"date|{}": 4}
    assert model.templates["numberOfEmployees"] == {"number|{}": 5}
    # "U.S." stands for United_States in the examples
    assert model.canonical["u.s."] == "United_States"
    got = _triples(model, "The U.S. company Vandelay employs 40 people.", threshold=0.0)
    assert ("Vandelay", "numberOfEmployees", "40") in got
    assert model.info["examples"] == 7 and model.info["subject_aligned"] == 16


def test_confidence_and_spans_point_into_the_text(model):
    (triples,) = extract([HELD_BACK], model)
    for t in triples:
        assert 0.0 <= t.confidence <= 1.0
        assert HELD_BACK[t.sub_span[0]:t.sub_span[1]] == "Initech"
    place = next(t for t in triples if t.rel == "foundationPlace")
    assert HELD_BACK[place.obj_span[0]:place.obj_span[1]] == "Austin"


def test_model_is_a_small_json_file_that_round_trips(model, tmp_path):
    path = tmp_path / "model.json"
    save_model(model, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "kg.text2kg.model.v1"
    assert path.stat().st_size < 200_000
    # inspectable: per-relation weights are keyed by feature, then relation
    assert any("foundingDate" in row for row in data["weights"].values())
    again = load_model(path)
    assert _triples(again, HELD_BACK) == _triples(model, HELD_BACK)
    buf = io.StringIO()
    save_model(model, buf)
    assert load_model(io.StringIO(buf.getvalue())).relation_labels == model.relation_labels


def test_without_examples_labels_and_ranges_still_guide(ontology, nlp):
    bare = learn([], ontology)
    assert bare.info["relations_learned"] == 0
    got = _triples(bare, "Cyberdyne, a company from Canada, has 700 employees.", threshold=0.3)
    assert ("Cyberdyne", "numberOfEmployees", "700") in got
    got = _triples(bare, "Cyberdyne was founded on May 5, 1984.", threshold=0.3)
    assert ("Cyberdyne", "foundingDate", "1984-05-05") in got


def test_surface_forms_map_to_canonical_values(model, nlp):
    from kg.text2kg.spans import candidate_spans

    doc = nlp("The U.S. company Vandelay was founded on July 1,1901.")
    by_text = {s.text: s for s in candidate_spans(doc)}
    assert model.object_value("country", by_text["U.S."]) == "United States"
    assert model.object_value("foundingDate", by_text["July 1,1901"]) == "1901-07-01"


def test_alignment_finds_canonical_forms(nlp):
    from kg.text2kg.spans import candidate_spans

    doc = nlp("AmeriGas, a company founded on 01-01-1959, has 8,500 employees.")
    spans = candidate_spans(doc)
    (date,) = {(a.span.text, a.base) for a in align("1959-01-01", spans)}
    assert date == ("01-01-1959", "date")
    assert {a.span.text for a in align("8500", spans)} >= {"8,500"}
    assert [a.template for a in align('"AmeriGas"', spans)] == ['"{}"']


def test_examples_file_errors(tmp_path):
    from kg.errors import InputError

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"sent": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="no 'triples'"):
        read_examples(bad)
    assert read_examples(bad, require_triples=False) == [Example("bad_1", "x", ())]
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        read_examples(bad)


def test_decoration_is_decided_on_different_values_not_examples():
    from kg.text2kg.model import ExtractionModel

    choose = ExtractionModel._choose
    counts = {'date|{}': 11, 'date|"{}"': 9}  # eleven sentences about one entity
    values = {'date|{}': 1, 'date|"{}"': 3}  # three other entities quoted
    assert choose(counts, {"date"}, values) == 'date|"{}"'
    assert choose(counts, {"date"}) == "date|{}"  # counted by examples, one entity wins
    # a tie leaves the value as written; the base form follows the examples
    tie = {"number|{}": 12, "number|{} (days)": 12, "float|{}": 30}
    assert choose(tie, {"number", "float"}, {"number|{}": 5, "number|{} (days)": 5, "float|{}": 0}) \
        == "float|{}"
    assert choose(tie, {"number"}, {"number|{}": 5, "number|{} (days)": 5}) == "number|{}"


def test_a_name_inside_a_longer_gold_name_teaches_that_name(ontology, nlp):
    from kg.text2kg.spans import candidate_spans

    examples = [Example("1", "Initrode was founded by Populous in Austin.",
                        (("Initrode", "founder", "Populous_Group"),
                         ("Initrode", "foundationPlace", "Austin")))]
    model = learn(examples, ontology)
    assert model.canonical["populous"] == "Populous_Group"
    doc = nlp("Globex was founded by Populous.")
    by_text = {s.text: s for s in candidate_spans(doc)}
    assert model.object_value("founder", by_text["Populous"]) == "Populous Group"
