"""Candidate spans: every registered source, names, values, pronouns."""

from __future__ import annotations

import pytest

from kg.text2kg.spans import SPAN_SOURCES, candidate_spans

pytestmark = pytest.mark.model

TEXT = ("The 11th Mississippi Infantry Monument, built in 2000 in Adams County, Pennsylvania, "
        "was designed by American Jack Kirby. It has 8,500 visitors and opened on July 1, 1901.")


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(TEXT)


@pytest.mark.parametrize("name", sorted(SPAN_SOURCES))
def test_every_source_yields_token_ranges(doc, name):
    for start, end, kind in SPAN_SOURCES[name](doc):
        assert 0 <= start < end <= len(doc) and isinstance(kind, str) and kind


def test_candidates(doc):
    spans = {s.text: s for s in candidate_spans(doc)}
    assert "Adams County, Pennsylvania" in spans        # a comma-qualified name
    assert "11th Mississippi Infantry Monument" in spans
    assert "Jack Kirby" in spans and "American" in spans  # nationality split from the name
    assert "American Jack Kirby" not in spans             # ... and not kept together as well
    assert spans["8,500"].number == "8500"
    assert spans["July 1, 1901"].date == "1901-07-01"
    assert spans["It"].is_pronoun
    # a part of a name is not a candidate on its own
    assert "Infantry" not in spans and "Pennsylvania," not in spans


def test_a_title_with_its_article_mid_sentence_is_a_candidate(nlp):
    # "The" / "A" opening a title in mid-sentence was taken as a name word, so
    # the title without it cut a name apart and no span of the title survived
    doc = nlp("The novel A Long Long Way, followed by The Secret Scripture, "
              "was published by Viking Press.")
    spans = {s.text: s for s in candidate_spans(doc)}
    assert {"Long Long Way", "Secret Scripture", "Viking Press"} <= set(spans)
    assert "name_article" in spans["A Long Long Way"].kinds
    assert "name_article" in spans["The Secret Scripture"].kinds
    without = {s.text for s in candidate_spans(doc, articles=False)}
    assert "Secret Scripture" in without and "The Secret Scripture" not in without


def test_hyphenated_identifiers_are_one_candidate(nlp):
    # the tokenizer splits "978-1-4165-4253-7" at every hyphen
    doc = nlp("The book has the ISBN number 978-1-4165-4253-7 and the ISSN 1360-0443.")
    spans = {s.text: s for s in candidate_spans(doc)}
    assert "978-1-4165-4253-7" in spans and "1360-0443" in spans
    assert spans["978-1-4165-4253-7"].number is None  # an identifier, not a quantity
