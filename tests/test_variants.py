"""Lower-case, reordered variants of a name the document uses are mentions of it."""

from __future__ import annotations

import pytest

from kg.extract.mentions import find_mentions
from kg.extract.variants import find_variants
from kg.lexicon import load_lexicon

LEX = load_lexicon()


@pytest.fixture(scope="module")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline()


def _mentions(nlp, text):
    doc = nlp(text)
    return find_variants([(0, doc)], find_mentions(doc, 0, LEX))


@pytest.mark.model
def test_lower_case_reordered_phrase_joins_the_name(nlp):
    ms = _mentions(nlp, "The Harbin New Area opened in May. Officials want to develop the new Harbin area quickly.")
    variants = [m for m in ms if m.label == "VARIANT"]
    assert [m.text for m in variants] == ["new Harbin area"]
    assert variants[0].cls == "EconomicZone"
    # the shorter mention inside it ("Harbin") gave way to the variant
    assert not any(m.text == "Harbin" and m.start >= variants[0].start and m.end <= variants[0].end for m in ms)


@pytest.mark.model
def test_a_phrase_with_other_words_is_not_a_variant(nlp):
    ms = _mentions(nlp, "The Harbin New Area opened in May. The old Harbin district is quiet.")
    assert not [m for m in ms if m.label == "VARIANT"]


@pytest.mark.model
def test_a_phrase_without_any_capital_is_not_a_variant(nlp):
    ms = _mentions(nlp, "The Harbor New Area opened in May. Every new harbor area needs roads.")
    assert not [m for m in ms if m.label == "VARIANT"]
