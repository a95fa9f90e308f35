"""The cached attribute ruler and lemmatizer give exactly what the stock components give.

Rule logic on ``spacy.blank("en")`` pipelines with invented patterns and tables
and hand-built ``Doc``s; one check on the installed English pipeline.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.lookups import Lookups
from spacy.tokens import Doc

from kg.fast_pipes import speed_up

#: one-token patterns on text, tag, dependency; a two-token pattern whose index is 1;
#: two patterns on the same token where the later must win
RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "NNS"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Plur"}},
    {"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"LOWER": "zorp", "TAG": "VBZ"}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"TAG": {"IN": ["DT", "PDT"]}}]], "attrs": {"POS": "DET"}},
    {"patterns": [[{"DEP": "neg"}]], "attrs": {"POS": "PART", "MORPH": "Polarity=Neg"}},
    {"patterns": [[{"ORTH": "wib"}, {"ORTH": "bly"}]], "attrs": {"POS": "PRON", "LEMMA": "wibbly"}, "index": 1},
    {"patterns": [[{"LOWER": {"REGEX": "^qu"}}]], "attrs": {"MORPH": "Foreign=Yes"}},
]

SENTENCES = [
    (["The", "glimmer", "zorp", "not", "blarks"], ["DT", "NN", "VBZ", "RB", "NNS"], ["det", "nsubj", "ROOT", "neg", "dobj"]),
    (["wib", "bly", "glimmer", "quonks"], ["NN", "NN", "NN", "VBZ"], ["compound", "nsubj", "nsubj", "ROOT"]),
    (["Zorp", "wib", "bly", "wib"], ["VBZ", "NN", "NN", "NN"], ["ROOT", "dobj", "dobj", "dobj"]),
    (["all", "the", "quills", "zorp"], ["PDT", "DT", "NNS", "VBZ"], ["predet", "det", "nsubj", "ROOT"]),
]


def _ruler_pipeline(rules=RULES):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    for rule in rules:
        ruler.add(**rule)
    return nlp


def _doc(vocab, words, tags, deps):
    return Doc(vocab, words=words, tags=tags, deps=deps, heads=[0] * len(words))


def _annotations(doc):
    return [(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc]


def _run(nlp, words, tags, deps):
    return _annotations(nlp.get_pipe(nlp.pipe_names[-1])(_doc(nlp.vocab, words, tags, deps)))


def test_the_cached_ruler_assigns_what_the_stock_ruler_assigns():
    stock, fast = _ruler_pipeline(), _ruler_pipeline()
    assert speed_up(fast) == ["attribute_ruler"]
    for words, tags, deps in SENTENCES * 2:  # the second round is served from the cache
        assert _run(fast, words, tags, deps) == _run(stock, words, tags, deps)
    # the rules do fire: later patterns win, the two-token pattern sets its second token
    first = _run(fast, *SENTENCES[0])
    assert [pos for _, pos, _, _ in first] == ["DET", "NOUN", "AUX", "PART", "NOUN"]
    second = _run(fast, *SENTENCES[1])
    assert second[0][1] == "NOUN" and second[1][1:] == ("PRON", "Number=Sing", "wibbly")
    assert second[3][2] == "Foreign=Yes"


def test_a_token_seen_again_with_another_tag_gets_that_tags_attributes():
    fast = _ruler_pipeline()
    speed_up(fast)
    assert _run(fast, ["glimmer"], ["NN"], ["ROOT"])[0][1] == "NOUN"
    assert _run(fast, ["glimmer"], ["VBZ"], ["ROOT"])[0][1] == "VERB"


def test_a_pattern_added_after_the_swap_is_applied():
    stock, fast = _ruler_pipeline(), _ruler_pipeline()
    speed_up(fast)
    _run(fast, *SENTENCES[0])  # fill the cache
    extra = {"patterns": [[{"LOWER": "glimmer"}]], "attrs": {"POS": "PROPN"}}
    for nlp in (stock, fast):
        nlp.get_pipe("attribute_ruler").add(**extra)
    for words, tags, deps in SENTENCES:
        assert _run(fast, words, tags, deps) == _run(stock, words, tags, deps)
    assert _run(fast, *SENTENCES[0])[1][1] == "PROPN"


def test_a_ruler_with_a_pattern_it_cannot_cache_stays_stock():
    nlp = _ruler_pipeline(RULES + [{"patterns": [[{"IS_TITLE": True}]], "attrs": {"POS": "PROPN"}}])
    assert speed_up(nlp) == []
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_the_swapped_pipeline_serialises_and_reloads_as_stock():
    fast = _ruler_pipeline()
    speed_up(fast)
    again = _ruler_pipeline([]).from_bytes(fast.to_bytes())
    assert type(again.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    for words, tags, deps in SENTENCES:
        assert _run(again, words, tags, deps) == _run(fast, words, tags, deps)


def _lemmatizer_pipeline():
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    lookups = Lookups()
    lookups.add_table("lemma_rules", {"noun": [["s", ""], ["ies", "y"]], "verb": [["ed", ""], ["ed", "e"], ["s", ""]]})
    lookups.add_table("lemma_index", {"noun": ["berry", "glimmer"], "verb": ["blink", "snore"]})
    lookups.add_table("lemma_exc", {"noun": {"geese": ["goose"]}, "verb": {"zorped": ["zorp"]}})
    lookups.add_table("lemma_lookup", {})
    lemmatizer.initialize(lookups=lookups)
    return nlp


LEMMA_CASES = [
    (["berries", "glimmers", "geese", "blinked", "snored", "zorped", "Quux", "9s"],
     ["NOUN", "NOUN", "NOUN", "VERB", "VERB", "VERB", "PROPN", "NOUN"],
     ["Number=Plur", "Number=Plur", "Number=Plur", "Tense=Past", "Tense=Past", "Tense=Past", "", ""]),
    (["berries", "blinks", "glimmer", "flanged"],
     ["NOUN", "VERB", "NOUN", "VERB"],
     ["Number=Plur", "Number=Sing|Person=3", "Number=Sing", "VerbForm=Inf"]),
]


def _lemmas(nlp, words, pos, morphs):
    doc = Doc(nlp.vocab, words=words, pos=pos, morphs=morphs)
    return [t.lemma_ for t in nlp.get_pipe("lemmatizer")(doc)]


def test_the_cached_lemmatizer_gives_the_stock_lemmas():
    stock, fast = _lemmatizer_pipeline(), _lemmatizer_pipeline()
    assert speed_up(fast) == ["lemmatizer"]
    for case in LEMMA_CASES * 2:
        assert _lemmas(fast, *case) == _lemmas(stock, *case)
    assert _lemmas(fast, *LEMMA_CASES[0]) == ["berry", "glimmer", "goose", "blink", "snore", "zorp", "Quux", "9"]
    # a base form (VerbForm=Inf) is not cut, the same word with other features is
    assert _lemmas(fast, *LEMMA_CASES[1])[3] == "flanged"
    past = (["flanged"], ["VERB"], ["Tense=Past"])
    assert _lemmas(fast, *past) == _lemmas(stock, *past) != ["flanged"]


INVENTED = [
    "Marlow Quence, who's gonna chair the Tessaly Board, said there is no deal with Orvane Ltd.",
    "The   Vantor plants weren't   opened in Drumhollow on 3 March 2031 ;  lemmings   ran.",
    "\n\nWe'd've gotten 14.5% more if Ms. Olbry hadn't left Kestrel-Nine GmbH's U.S. arm.",
    "Gotta go: the ferries, geese and teeth of Port Ambleside are wanna-be attractions!",
]


def test_the_english_pipeline_annotates_exactly_as_stock():
    from kg.nlp import resolve_model_name

    try:
        name = resolve_model_name()
    except Exception:  # noqa: BLE001
        pytest.skip("no English pipeline installed")
    stock, fast = spacy.load(name), spacy.load(name)
    assert set(speed_up(fast)) == {"attribute_ruler", "lemmatizer"}

    def seen(nlp):
        return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]
                for doc in nlp.pipe(INVENTED * 2)]

    assert seen(fast) == seen(stock)
