"""One contract for every registered relation extractor (pykeen-style).

Each extractor, run on every frozen sentence of the extractor tests and on a
few sentences parsed by the real pipeline, yields :class:`~kg.model.Relation`
records that point at mentions of the document, whose arguments lie inside the
evidence text, with a core property, a confidence in [0, 1] and its own name.
"""

from __future__ import annotations

import pytest

from kg.errors import UnknownNameError
from kg.extract.registry import get_extractors, known_extractors
from kg.model import Relation
from kg.vocab import CORE_RELATIONS
from tests.extract import (
    test_apposition,
    test_location,
    test_of_structure,
    test_open_relation,
    test_phrases,
    test_verb_frames,
)
from tests.extract.helpers import context

NAMES = known_extractors()
FROZEN = [
    p
    for module in (test_apposition, test_location, test_of_structure, test_open_relation, test_phrases, test_verb_frames)
    for name in dir(module)
    if name.isupper() and isinstance(getattr(module, name), list)
    for p in getattr(module, name)
]


def check_contract(name: str, relations: list, ctx) -> None:  # type: ignore[no-untyped-def]
    mentions = ctx.all_mentions
    for r in relations:
        assert isinstance(r, Relation)
        assert r.extractor == name
        assert r.property in CORE_RELATIONS
        assert 0.0 <= r.confidence <= 1.0
        assert 0 <= r.subject < len(mentions) and 0 <= r.object < len(mentions)
        assert r.subject != r.object
        for idx in (r.subject, r.object):
            m = mentions[idx]
            assert r.sent_start <= m.start and m.end <= r.sent_end, "an argument outside its evidence"
        assert r.sent_start <= ctx.start and r.sent_end == ctx.end, "the evidence ends with the sentence"
        assert r.sentence.endswith(" ".join(ctx.text.split())), "the evidence quotes the sentence"
        assert r.role is None or r.property == "worksFor"
        assert r.predicate_text is None or r.property == "relatedTo"
        if r.sent_start == ctx.start:  # a one-sentence relation links mentions of that sentence
            inside = {i for i, _m, _s in ctx.mentions}
            assert {r.subject, r.object} <= inside


def test_every_builtin_extractor_is_registered():
    assert {
        "kg.apposition.v1",
        "kg.title.v1",
        "kg.of_structure.v1",
        "kg.embedded_name.v1",
        "kg.location.v1",
        "kg.verb_frames.v1",
        "kg.prep_phrase.v1",
        "kg.open_relation.v1",
    } <= set(NAMES)


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(UnknownNameError) as info:
        get_extractors(["kg.apposition.v1", "kg.nope.v1"])
    assert "kg.nope.v1" in str(info.value)
    assert all(name in str(info.value) for name in NAMES)


def test_configuration_chooses_extractors_in_order():
    chosen = get_extractors(["kg.location.v1", "kg.apposition.v1"])
    assert [n for n, _ in chosen] == ["kg.location.v1", "kg.apposition.v1"]
    assert [n for n, _ in get_extractors()] == NAMES


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("tokens", "mentions", "_expected"), FROZEN)
def test_contract_on_frozen_sentences(name, tokens, mentions, _expected):
    ctx = context(tokens, mentions)
    [(_, extractor)] = get_extractors([name])
    check_contract(name, list(extractor(ctx)), ctx)


PARSED = [
    "Dai Juan, Deputy General Manager of Saike Intelligent Technology Co., Ltd., stated that the goal is near.",
    (
        "The Xinzhuang Industrial Zone in Shanghai held a ceremony. Seven projects, including Foster and Aohua "
        "Endoscopy, began construction."
    ),
    "Geke Micro Co., Ltd. signed a deal. Chairman Zhao Lixin said that it was founded by him in Hefei, Anhui.",
    (
        "The Lingang New Area signed an agreement with the Dubai Free Trade Zone, which hosted the World Logistics "
        "Forum under the guidance of the Dubai Municipal Government."
    ),
    "Nobody said anything about it.",
]


@pytest.mark.model
@pytest.mark.parametrize("name", NAMES)
def test_contract_on_parsed_sentences(name):
    from kg.extract.mentions import find_mentions
    from kg.extract.references import resolve_references
    from kg.extract.registry import SentenceContext
    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline

    nlp, lex = load_pipeline(), load_lexicon()
    [(_, extractor)] = get_extractors([name])
    for text in PARSED:
        doc = nlp(text)
        mentions = resolve_references(find_mentions(doc, 0, lex), lex)
        for sent in doc.sents:
            inside = []
            for i, m in enumerate(mentions):
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and sent.start <= span.start and span.end <= sent.end:
                    inside.append((i, m, span))
            ctx = SentenceContext(sent, 0, inside, mentions, lex)
            check_contract(name, list(extractor(ctx)), ctx)
