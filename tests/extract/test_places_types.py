"""GeoNames senses of a name and the learned type model, on spacy.blank("en") Docs."""

from __future__ import annotations

import spacy

from kg.extract.entity_types import TypeModel, load_type_model, mention_features
from kg.extract.places import geonames_iri, place_senses


def test_place_senses_come_from_geonames_with_their_ids():
    [us] = place_senses("U.S.")
    assert us.cls == "Country" and geonames_iri(us.geonameid) == "https://sws.geonames.org/6252001/"
    kinds = {s.kind for s in place_senses("Georgia")}
    assert kinds == {"country", "state"}  # ambiguous: the context decides
    assert place_senses("Debrecen")[0].cls == "City"
    assert place_senses("MEXICO CITY")[0].cls == "City"  # a dateline in capitals
    assert place_senses("Unknownville") == ()


def test_features_see_the_context_of_a_name():
    nlp = spacy.blank("en")
    d = nlp("He was born in Debrecen , a city of Hungary .")
    feats = mention_features(d, 4, 5)
    assert "prev1=in" in feats and "geo=city" in feats and "w=debrecen" in feats


def test_the_model_scores_by_its_weights():
    model = TypeModel({"prev1=in": [0.0, 0.0, 3.0, 0.0], "w=mr": [4.0, 0.0, 0.0, 0.0]}, [0.0, 0.0, 0.0, 0.0])
    p = model.probs(["prev1=in", "w=debrecen"])
    assert max(p, key=p.get) == "LOC"
    assert max(model.probs(["w=mr"]).items(), key=lambda kv: kv[1])[0] == "PER"


def test_the_shipped_model_tells_a_born_in_place_from_a_person():
    model = load_type_model()
    assert model is not None
    nlp = spacy.blank("en")
    d = nlp("The singer Zella Lehr was born in Hamburg , Germany .")
    p_person = model.probs(mention_features(d, 2, 4))
    p_place = model.probs(mention_features(d, 7, 8))
    assert max(p_person, key=p_person.get) == "PER"
    assert max(p_place, key=p_place.get) == "LOC"
