"""How values are written and which pairs a model states: whole numbers in
decimal relations, coordinated objects, relations competing for one pair,
reproducible learning."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kg.text2kg.extract import extract
from kg.text2kg.learn import Example, learn
from kg.text2kg.model import ExtractionModel
from kg.text2kg.ontology import load_ontology

pytestmark = pytest.mark.model


def _ontology(path, concepts, relations):
    """Write and load a Text2KGBench JSON ontology: relations as (label, domain, range)."""
    path.write_text(json.dumps({
        "id": path.stem,
        "concepts": [{"qid": c, "label": c} for c in concepts],
        "relations": [{"pid": label, "label": label, "domain": domain, "range": rng}
                      for label, domain, rng in relations]}), encoding="utf-8")
    return load_ontology(path)


@pytest.fixture(scope="module")
def place_ontology(tmp_path_factory):
    return _ontology(tmp_path_factory.mktemp("onto") / "places.json", ["Airport", "Person", "City"], [
        ("elevation", "Airport", "number"), ("runways", "Airport", "number"),
        ("founder", "Airport", "Person"), ("cityServed", "Airport", "City")])


def _ex(n, sent, *triples):
    return Example(str(n), sent, tuple(triples))


EXAMPLES = [
    _ex(1, "Agra Airport is 167.94 metres above sea level and has 2 runways.",
        ("Agra_Airport", "elevation", "167.94"), ("Agra_Airport", "runways", "2")),
    _ex(2, "Alderney Airport lies 88 metres above sea level.", ("Alderney_Airport", "elevation", "88.0")),
    _ex(3, "Ardmore Airport, 34 metres above sea level, has 3 runways.",
        ("Ardmore_Airport", "elevation", "34.0"), ("Ardmore_Airport", "runways", "3")),
    _ex(4, "Abilene Airport is 546.0 metres above sea level and serves Abilene.",
        ("Abilene_Airport", "elevation", "546.0"), ("Abilene_Airport", "cityServed", "Abilene")),
    _ex(5, "Bedford Airport has 4 runways and was founded by Ann Lee and Tom Fry.",
        ("Bedford_Airport", "runways", "4"), ("Bedford_Airport", "founder", "Ann_Lee"),
        ("Bedford_Airport", "founder", "Tom_Fry")),
    _ex(6, "Carlton Airport was founded by Joe Park and serves Carlton.",
        ("Carlton_Airport", "founder", "Joe_Park"), ("Carlton_Airport", "cityServed", "Carlton")),
    _ex(7, "Dover Airport, founded by Kim Ray and Lou Chen, serves Dover.",
        ("Dover_Airport", "founder", "Kim_Ray"), ("Dover_Airport", "founder", "Lou_Chen"),
        ("Dover_Airport", "cityServed", "Dover")),
    _ex(9, "Hale Airport is 610.0 metres above sea level.", ("Hale_Airport", "elevation", "610.0")),
    _ex(10, "Ives Airport stands 12.5 metres above sea level.", ("Ives_Airport", "elevation", "12.5")),
    _ex(8, "Elton Airport has 5 runways and serves Elton.",
        ("Elton_Airport", "runways", "5"), ("Elton_Airport", "cityServed", "Elton")),
]


@pytest.fixture(scope="module")
def airport_model(place_ontology, nlp):
    return learn(EXAMPLES, place_ontology)


def _triples(model, text, **options):
    return {(t.sub, t.rel, t.obj) for t in extract([text], model, **options)[0]}


def test_whole_numbers_follow_how_the_relation_writes_them(airport_model):
    # elevations written "34" in the text are "34.0" in the examples (most
    # elevations are written with decimals in the text, which says nothing
    # about whole numbers); runways stay whole
    assert airport_model.number_forms["elevation"]["float"] >= 2
    got = _triples(airport_model, "Fenton Airport is 120 metres above sea level and has 6 runways.",
                   threshold=0.0)
    assert ("Fenton Airport", "elevation", "120.0") in got
    assert ("Fenton Airport", "runways", "6") in got


def test_a_number_with_decimals_is_kept_as_written(airport_model):
    got = _triples(airport_model, "Fenton Airport is 120.5 metres above sea level.", threshold=0.0)
    assert ("Fenton Airport", "elevation", "120.5") in got


def test_coordinated_objects_are_all_stated(airport_model):
    got = _triples(airport_model, "Gorton Airport was founded by Max Hale and Sue Bond.",
                   threshold=0.0)
    assert {("Gorton Airport", "founder", "Max Hale"), ("Gorton Airport", "founder", "Sue Bond")} <= got
    # without the coordination rule only one founder is stated
    airport_model.threshold_conjoined = 1.1
    try:
        fewer = _triples(airport_model, "Gorton Airport was founded by Max Hale and Sue Bond.",
                         threshold=0.0, threshold_multi=1.0)
    finally:
        airport_model.threshold_conjoined = 0.01
    assert len({t for t in fewer if t[1] == "founder"}) == 1


def test_a_pair_another_relation_explains_better_ranks_lower(place_ontology):
    model = ExtractionModel(ontology=place_ontology, classes=[])
    labels = model.relation_labels
    # two pairs; pair 0 is a strong "elevation" pair and a fair "runways" pair,
    # pair 1 a fair "runways" pair only
    logits = np.full((2, len(labels)), -8.0)
    logits[0, labels.index("elevation")] = 6.0
    logits[0, labels.index("runways")] = 2.0
    logits[1, labels.index("runways")] = 1.8
    model.logits = lambda ctx, pairs: logits  # the scores only: no parse needed
    probs, ranking = model.scores(None, [None, None])
    j = labels.index("runways")
    assert probs[0, j] > probs[1, j]  # by probability pair 0 wins "runways"
    assert ranking[1, j] > ranking[0, j]  # but "elevation" explains it better
    model.competition = 0.0
    probs0, ranking0 = model.scores(None, [None, None])
    assert np.array_equal(probs0, ranking0) and np.allclose(probs0, probs)


def test_learning_is_reproducible_and_settings_round_trip(place_ontology, nlp, tmp_path):
    from kg.text2kg.model import load_model, save_model

    a = learn(EXAMPLES, place_ontology)
    b = learn(EXAMPLES, place_ontology)
    assert a.weights == b.weights
    single = learn(EXAMPLES, place_ontology, ensemble=1)
    assert single.weights != a.weights  # the default averages several orders
    a.competition, a.threshold_conjoined = 1.5, 0.02
    save_model(a, tmp_path / "m.json")
    again = load_model(tmp_path / "m.json")
    assert (again.competition, again.threshold_conjoined) == (1.5, 0.02)
    assert again.number_forms == a.number_forms


def test_articles_are_kept_only_when_the_examples_write_them(airport_model, place_ontology):
    from kg.text2kg.learn import takes_articles

    assert airport_model.article_names is False  # no example value starts with "The"
    got = _triples(airport_model, "The Gorton Regional Airport has 6 runways.", threshold=0.0)
    assert ("Gorton Regional Airport", "runways", "6") in got
    assert not any(sub.startswith("The ") for sub, _, _ in got)
    with_articles = EXAMPLES + [
        _ex(11, "The Moss Airport has 2 runways.", ("The_Moss_Airport", "runways", "2")),
        _ex(12, "The Reed Airport has 3 runways.", ("The_Reed_Airport", "runways", "3")),
    ]
    assert takes_articles(with_articles) and not takes_articles(EXAMPLES)
    assert takes_articles([])  # nothing to learn from: keep every candidate


def test_a_relation_written_only_as_aliases_is_learned(nlp, tmp_path):
    # every nationality in the examples is a demonym ("American" for
    # Americans) or an acronym ("US" for United_States): the relation is
    # still learned from them, and a new demonym gets the gold form
    ontology = _ontology(tmp_path / "people.json", ["Person", "Country", "Character"], [
        ("nationality", "Person", "Country"), ("creator", "Character", "Person")])
    examples = [
        _ex(1, "Blue Fox was created by the American, Gene Colan.",
            ("Blue_Fox", "creator", "Gene_Colan"), ("Gene_Colan", "nationality", "Americans")),
        _ex(2, "The American, Roy Thomas, created Red Owl.",
            ("Red_Owl", "creator", "Roy_Thomas"), ("Roy_Thomas", "nationality", "Americans")),
        _ex(3, "Green Cat was created by John Buscema, who is a US national.",
            ("Green_Cat", "creator", "John_Buscema"), ("John_Buscema", "nationality", "United_States")),
        _ex(4, "Grey Wolf was created by the American, Len Wein.",
            ("Grey_Wolf", "creator", "Len_Wein"), ("Len_Wein", "nationality", "Americans")),
        _ex(5, "Dick Dillin, a US national, created Black Bat.",
            ("Black_Bat", "creator", "Dick_Dillin"), ("Dick_Dillin", "nationality", "United_States")),
        _ex(6, "Pink Crab was created by Jack Kirby.", ("Pink_Crab", "creator", "Jack_Kirby")),
    ]
    model = learn(examples, ontology)
    assert "nationality" in model.classes  # before, no example aligned: it stayed unseen
    got = _triples(model, "White Hawk was created by the American, Karl Kesel.", threshold=0.0)
    assert ("Karl Kesel", "nationality", "Americans") in got
    assert ("White Hawk", "creator", "Karl Kesel") in got


def test_other_writings_of_known_values_give_the_known_value(place_ontology):
    from kg.text2kg.spans import Span

    model = ExtractionModel(ontology=place_ontology, classes=[], objects={
        "cityServed": {"donaanacounty": "Doña_Ana_County", "unitedstates": "United_States"},
        "founder": {"universityofsydney": "University_of_Sydney"},
    })

    def value(relation, text):
        return model.object_value(relation, Span(0, 1, text, 0))

    assert value("cityServed", "Dona Ana County") == "Doña Ana County"  # accents
    assert value("cityServed", "U.S.") == "United States"  # initials, the relation's own value
    assert value("founder", "US") == "University of Sydney"
    assert value("cityServed", "UK") == "UK"  # nothing known: as written
    # initials two values share, none of them the relation's or its range's: as written
    model.objects["founder"]["unitedstates"] = "United_States"
    model.__dict__.pop("_alias_index_cache", None)
    assert value("runways", "US") == "US"
