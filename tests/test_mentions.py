"""Finding name mentions: rule logic on hand-built Docs, a few real-model cases."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from kg.extract.mentions import W_GAZETTEER, W_HEAD, W_NER, clean_name, find_mentions, is_headline
from kg.lexicon import load_lexicon

LEX = load_lexicon()
VOCAB = spacy.blank("en").vocab

_TAGS = {
    "PROPN": "NNP", "NOUN": "NN", "VERB": "VBD", "DET": "DT", "ADP": "IN", "CCONJ": "CC",
    "ADJ": "JJ", "PRON": "PRP", "PUNCT": ".", "NUM": "CD", "AUX": "VBZ", "PART": "POS",
    "ADV": "RB", "SCONJ": "IN",
}
_NO_SPACE_BEFORE = {".", ",", ")", "'s"}


def make_doc(text: str, pos: str, *, ents: list[str] | None = None, spans: list[tuple[int, int, str, str]] = ()) -> Doc:
    """A Doc from space-separated ``text`` and space-separated coarse tags ``pos``.

    A ``"`` token glues to the following word when it opens a quote and to the
    previous one when it closes it; ``spans`` are extra entities
    ``(start, end, label, ent_id)`` (the gazetteer ruler sets ``ent_id``).
    """
    words, tags = text.split(), pos.split()
    assert len(words) == len(tags), (words, tags)
    spaces = [True] * len(words)
    quote_open = False
    for i, w in enumerate(words):
        if w == '"':
            if quote_open:
                spaces[i - 1] = False
            else:
                spaces[i] = False
            quote_open = not quote_open
        if i + 1 < len(words) and words[i + 1] in _NO_SPACE_BEFORE:
            spaces[i] = False
        if w == "(":
            spaces[i] = False
    spaces[-1] = False
    doc = Doc(
        VOCAB,
        words=words,
        spaces=spaces,
        pos=tags,
        tags=[_TAGS[t] for t in tags],
        sent_starts=[True] + [False] * (len(words) - 1),
        ents=ents,
    )
    if spans:
        doc.ents = list(doc.ents) + [Span(doc, s, e, label=label, span_id=ident) for s, e, label, ident in spans]
    return doc


def mentions(doc: Doc, offset: int = 0):
    return find_mentions(doc, offset, LEX)


def names(doc: Doc) -> list[tuple[str, str]]:
    return [(m.text, m.cls) for m in mentions(doc) if m.kind == "name"]


# --------------------------------------------------------------------------- clean_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the Westbrook Science Park", "Westbrook Science Park"),
        ("The Westbrook Science Park", "Westbrook Science Park"),
        ("Westbrook Science Park's", "Westbrook Science Park"),
        ("Westbrook Science Park’s", "Westbrook Science Park"),
        ('"Blue Harbor Talent"', "Blue Harbor Talent"),
        ("“Blue Harbor Talent”", "Blue Harbor Talent"),
        ('the "Bayport Harbor Authority\'s', "Bayport Harbor Authority"),
        ("Bayport Harbor\nAuthority", "Bayport Harbor Authority"),
        ("Bayport   Harbor \r\n Authority", "Bayport Harbor Authority"),
        ("Acme Robotics Co., Ltd.", "Acme Robotics Co., Ltd."),
        ("Nordwind Shipping Inc.", "Nordwind Shipping Inc."),
        ("Westbrook Maritime Museum.", "Westbrook Maritime Museum"),
        ("Theodore Park", "Theodore Park"),  # "The" only as a whole word
    ],
)
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


# --------------------------------------------------------------------------- head cues


@pytest.mark.parametrize(
    ("text", "pos", "expected"),
    [
        ("The Harbor Free Trade Zone opened .", "DET PROPN PROPN PROPN PROPN VERB PUNCT",
         [("Harbor Free Trade Zone", "EconomicZone")]),
        ("Students of Riverside Maple University met .", "NOUN ADP PROPN PROPN PROPN VERB PUNCT",
         [("Riverside Maple University", "EducationalInstitution")]),
        ("Acme Robotics Co. , Ltd. signed a deal .", "PROPN PROPN PROPN PUNCT PROPN VERB DET NOUN PUNCT",
         [("Acme Robotics Co., Ltd.", "Company")]),
        ("The Ministry of Ocean Affairs issued rules .", "DET PROPN ADP PROPN PROPN VERB NOUN PUNCT",
         [("Ministry of Ocean Affairs", "GovernmentBody")]),
        ("Ships reach the Eastfield Science Park .", "NOUN VERB DET PROPN PROPN PROPN PUNCT",
         [("Eastfield Science Park", "EconomicZone")]),  # two-word head "science park" beats "park"
        ("Ships reach the Eastfield Park .", "NOUN VERB DET PROPN PROPN PUNCT",
         [("Eastfield Park", "Facility")]),
    ],
    ids=["zone", "university", "co-ltd", "ministry-of", "science-park", "park"],
)
def test_capitalised_name_with_cue_head_gets_the_cue_class(text, pos, expected):
    doc = make_doc(text, pos)
    got = mentions(doc)
    assert [(m.text, m.cls) for m in got] == expected
    for m in got:
        assert m.weight == W_HEAD
        assert doc.text[m.start : m.end] == m.text


def test_capitalised_words_without_a_cue_are_not_a_rule_name():
    doc = make_doc("Then Westbrook Marigold visited .", "ADV PROPN PROPN VERB PUNCT")
    assert mentions(doc) == []


def test_offsets_are_shifted_by_the_paragraph_start():
    doc = make_doc("The Harbor Free Trade Zone opened .", "DET PROPN PROPN PROPN PROPN VERB PUNCT")
    (m,) = mentions(doc, offset=100)
    assert (m.start, m.end) == (104, 126)
    assert (m.sent_start, m.sent_end) == (100, 100 + len(doc.text))


def test_leading_job_title_is_stripped():
    doc = make_doc(
        "He met the Deputy Director of the Coastal Water Authority .",
        "PRON VERB DET PROPN PROPN ADP DET PROPN PROPN PROPN PUNCT",
    )
    assert names(doc) == [("Coastal Water Authority", "GovernmentBody")]


def test_a_job_title_after_a_coordination_and_a_plural_one_are_stripped():
    doc = make_doc(
        "She chairs the Harbor Standing Committee and Chairman of Corvin Group .",
        "PRON VERB DET PROPN PROPN PROPN CCONJ PROPN ADP PROPN PROPN PUNCT",
    )
    assert [n for n, _ in names(doc)] == ["Harbor Standing Committee", "Corvin Group"]
    doc = make_doc("They were CEOs of the Corvin Group .", "PRON AUX PROPN ADP DET PROPN PROPN PUNCT")
    assert [n for n, _ in names(doc)] == ["Corvin Group"]


def test_department_of_committee_splits_into_two_names():
    doc = make_doc(
        "The Planning Department of the Bayside Management Committee approved it .",
        "DET PROPN PROPN ADP DET PROPN PROPN PROPN VERB PRON PUNCT",
    )
    found = [m for m in mentions(doc) if m.kind == "name"]
    assert [(m.text, m.cls) for m in found] == [
        ("Planning Department", "GovernmentBody"),
        ("Bayside Management Committee", "GovernmentBody"),
    ]
    # the long written form is kept, so it can become an alternative label
    assert found[0].full == "Planning Department of the Bayside Management Committee"


def test_of_is_not_split_when_the_head_is_one_word():
    doc = make_doc("The University of Westbrook opened a lab .", "DET PROPN ADP PROPN VERB DET NOUN PUNCT")
    assert names(doc) == [("University of Westbrook", "EducationalInstitution")]


def test_head_of_x_of_y_decides_the_class():
    doc = make_doc(
        "The University of Westbrook Harbor opened a lab .",
        "DET PROPN ADP PROPN PROPN VERB DET NOUN PUNCT",
    )
    assert names(doc) == [("University of Westbrook Harbor", "EducationalInstitution")]


def test_two_cue_headed_names_joined_by_and_split():
    doc = make_doc(
        "The Harbor Maritime Museum and the Bayside Science Center opened .",
        "DET PROPN PROPN PROPN CCONJ DET PROPN PROPN PROPN VERB PUNCT",
    )
    assert names(doc) == [("Harbor Maritime Museum", "Organization"), ("Bayside Science Center", "Organization")]


def test_name_without_cue_and_the_cue_headed_name_stay_apart():
    doc = make_doc(
        "Acme Logistics and the Bayport Harbor Authority signed the deal .",
        "PROPN PROPN CCONJ DET PROPN PROPN PROPN VERB DET NOUN PUNCT",
        ents=["B-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O"],
    )
    assert names(doc) == [("Acme Logistics", "Organization"), ("Bayport Harbor Authority", "GovernmentBody")]


def test_and_inside_one_name_is_kept():
    doc = make_doc(
        "The Maritime and Port Authority of Westbrook met .",
        "DET PROPN CCONJ PROPN PROPN ADP PROPN VERB PUNCT",
    )
    assert names(doc) == [("Maritime and Port Authority of Westbrook", "GovernmentBody")]


def test_quoted_title_case_name_followed_by_program_is_a_program():
    doc = make_doc(
        'The city launched the " Blue Harbor Talent " program .',
        "DET NOUN VERB DET PUNCT PROPN PROPN PROPN PUNCT NOUN PUNCT",
    )
    assert 'the "Blue Harbor Talent" program.' in doc.text
    assert names(doc) == [("Blue Harbor Talent", "Program")]


def test_quoted_program_followed_by_a_time_expression():
    doc = make_doc(
        'The city launched the " Blue Harbor Talent " program last year .',
        "DET NOUN VERB DET PUNCT PROPN PROPN PROPN PUNCT NOUN ADJ NOUN PUNCT",
    )
    assert names(doc) == [("Blue Harbor Talent", "Program")]


def test_quoted_lower_case_phrase_is_not_a_name():
    doc = make_doc(
        'The city launched the " green harbor " program .',
        "DET NOUN VERB DET PUNCT ADJ NOUN PUNCT NOUN PUNCT",
    )
    assert names(doc) == []


def test_headline_yields_no_rule_chunks():
    doc = make_doc(
        "Harbor Free Trade Zone Signs Deal With Westbrook University",
        "PROPN PROPN PROPN PROPN VERB NOUN ADP PROPN PROPN",
    )
    assert is_headline(doc)
    assert [m for m in mentions(doc) if m.label in ("CHUNK", "QUOTED", "LIST")] == []


def test_same_words_in_a_sentence_do_yield_chunks():
    doc = make_doc(
        "The Harbor Free Trade Zone signed a deal with Westbrook University .",
        "DET PROPN PROPN PROPN PROPN VERB DET NOUN ADP PROPN PROPN PUNCT",
    )
    assert not is_headline(doc)
    assert names(doc) == [("Harbor Free Trade Zone", "EconomicZone"), ("Westbrook University", "EducationalInstitution")]


# --------------------------------------------------------------------------- NER and gazetteer votes


def test_ner_label_is_a_weak_vote_and_a_cue_head_overrides_it():
    doc = make_doc(
        "Marigold Lane met the Bayport Harbor Authority .",
        "PROPN PROPN VERB DET PROPN PROPN PROPN PUNCT",
        ents=["B-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"],
    )
    got = {m.text: m for m in mentions(doc)}
    assert (got["Marigold Lane"].cls, got["Marigold Lane"].weight) == ("Organization", W_NER)
    assert (got["Bayport Harbor Authority"].cls, got["Bayport Harbor Authority"].weight) == ("GovernmentBody", W_HEAD)


def test_gazetteer_entity_carries_class_wikidata_id_and_strongest_weight():
    doc = make_doc(
        "Ferries leave Westbrook for Shanghai daily .",
        "NOUN VERB PROPN ADP PROPN ADV PUNCT",
        spans=[(2, 3, "GPE", ""), (4, 5, "GPE", "City|Q8686|Shanghai")],
    )
    got = {m.text: m for m in mentions(doc)}
    assert (got["Shanghai"].cls, got["Shanghai"].same_as, got["Shanghai"].weight) == ("City", "Q8686", W_GAZETTEER)
    assert got["Westbrook"].cls == "AdministrativeArea" and got["Westbrook"].same_as is None


def test_us_dollars_is_not_the_country():
    doc = make_doc("It cost two billion US dollars .", "PRON VERB NUM NUM PROPN NOUN PUNCT",
                   spans=[(4, 5, "GPE", "Country|Q30|United States")])
    assert names(doc) == []


# --------------------------------------------------------------------------- acronyms and references


def _acronym_doc() -> Doc:
    return make_doc(
        "The Coastal Water Authority ( CWA ) said the CWA would grow .",
        "DET PROPN PROPN PROPN PUNCT PROPN PUNCT VERB DET PROPN AUX VERB PUNCT",
        ents=["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-ORG", "O", "O", "O", "B-ORG", "O", "O", "O"],
    )


def test_acronym_defined_in_brackets_points_to_its_long_form():
    found = mentions(_acronym_doc())
    acronyms = [m for m in found if m.kind == "acronym"]
    assert [(m.text, m.full, m.cls) for m in acronyms] == [("CWA", "Coastal Water Authority", "GovernmentBody")]


def test_each_span_is_one_mention():
    """Mentions are counted, so a span found by two sources must not appear twice."""
    found = [m for m in mentions(_acronym_doc()) if m.kind in ("name", "acronym")]
    spans = [(m.start, m.end) for m in found]
    assert len(spans) == len(set(spans)), found
    assert [m.text for m in found] == ["Coastal Water Authority", "CWA", "CWA"]


def test_pronouns_and_definite_descriptions_are_reference_mentions():
    doc = make_doc(
        "The Harbor Free Trade Zone grew because the zone and its port expanded .",
        "DET PROPN PROPN PROPN PROPN VERB SCONJ DET NOUN CCONJ PRON NOUN VERB PUNCT",
    )
    refs = [(m.text, m.kind) for m in mentions(doc) if m.kind != "name"]
    assert refs == [("the zone", "description"), ("its", "pronoun")]


# --------------------------------------------------------------------------- real model


@pytest.fixture(scope="module")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline()


REAL_CASES = [
    ("Officials from the Riverside Port Authority visited the Eastfield Science Park on Tuesday.",
     [("Riverside Port Authority", "GovernmentBody"), ("Eastfield Science Park", "EconomicZone")]),
    ("Nordwind Shipping Co., Ltd. opened an office in the Harbor Free Trade Zone.",
     [("Nordwind Shipping Co., Ltd.", "Company"), ("Harbor Free Trade Zone", "EconomicZone")]),
    ("Maria Lopez, Deputy Director of the Coastal Energy Bureau, said the plan would be finished soon.",
     [("Maria Lopez", "Person"), ("Coastal Energy Bureau", "GovernmentBody")]),
    ('Students at Westbrook University joined the "Green Shipping Pioneers" program.',
     [("Westbrook University", "EducationalInstitution"), ("Green Shipping Pioneers", "Program")]),
    ("The Planning Department of the Bayside Management Committee approved the design.",
     [("Planning Department", "GovernmentBody"), ("Bayside Management Committee", "GovernmentBody")]),
    ("Tesla opened a showroom in Shanghai near the Bayport Logistics Park.",
     [("Tesla", "Company"), ("Shanghai", "City"), ("Bayport Logistics Park", "EconomicZone")]),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), REAL_CASES, ids=[t[:30] for t, _ in REAL_CASES])
def test_real_model_mentions(nlp, text, expected):
    doc = nlp(text)
    found = [m for m in find_mentions(doc, 0, LEX) if m.kind == "name"]
    assert [(m.text, m.cls) for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.text


@pytest.mark.model
def test_real_model_gazetteer_links_wikidata(nlp):
    doc = nlp("Tesla opened a showroom in Shanghai near the Bayport Logistics Park.")
    same = {m.text: m.same_as for m in find_mentions(doc, 0, LEX)}
    assert same["Tesla"] == "Q478214"
    assert same["Shanghai"] == "Q8686"
    assert same["Bayport Logistics Park"] is None


@pytest.mark.model
def test_gazetteer_name_inside_a_longer_name_does_not_cut_it(nlp):
    # "SAIC" is a gazetteer alias, but "SAIC MG" is a different, longer name
    doc = nlp("Exports of SAIC MG vehicles rose sharply last year.")
    names = [m.text for m in find_mentions(doc, 0, LEX) if m.kind == "name"]
    assert "SAIC" not in names


@pytest.mark.model
def test_place_before_a_comma_and_a_province_is_a_city(nlp):
    doc = nlp("She is a courier from Dali, Yunnan, who moved to the coast.")
    cls = {m.text: m.cls for m in find_mentions(doc, 0, LEX) if m.kind == "name"}
    assert cls.get("Dali") == "City"
    assert cls.get("Yunnan") == "AdministrativeArea"


@pytest.mark.parametrize(
    ("words", "cls"),
    [
        (["hainan", "free", "trade", "port"], "EconomicZone"),  # three-word head phrase
        (["hongqiao", "business", "district"], "EconomicZone"),  # two-word head phrase
        (["minhang", "district"], "AdministrativeArea"),  # one-word head
        (["yangpu", "port"], "Facility"),
    ],
)
def test_longest_head_phrase_decides(words, cls):
    assert LEX.head_class(words) == cls


def test_an_amount_of_money_and_a_lone_direction_are_no_names():
    doc = make_doc("Corvin paid USD 29.44 , and North Harbor grew in the North .",
                   "PROPN VERB PROPN NUM PUNCT CCONJ PROPN PROPN VERB ADP DET PROPN PUNCT",
                   ents=["B-ORG", "O", "B-PRODUCT", "I-PRODUCT", "O", "O", "B-ORG", "I-ORG", "O", "O", "O", "B-LOC", "O"])
    assert [n for n, _ in names(doc)] == ["Corvin", "North Harbor"]
    doc = make_doc("USD 47-billion was the bid .", "PROPN NUM AUX DET NOUN PUNCT", ents=["B-ORG", "O", "O", "O", "O", "O"])
    assert names(doc) == []


def test_a_facility_named_by_a_description_built_on_a_name():
    words = ["Trains", "reach", "the", "Yiwu", "land", "port", "and", "Corvin", "cars", "."]
    pos = ["NOUN", "VERB", "DET", "PROPN", "NOUN", "NOUN", "CCONJ", "PROPN", "NOUN", "PUNCT"]
    heads = [1, 1, 5, 5, 5, 1, 5, 8, 5, 1]  # "Yiwu" and "land" modify "port", "Corvin" modifies "cars"
    deps = ["nsubj", "ROOT", "det", "compound", "compound", "dobj", "cc", "compound", "conj", "punct"]
    doc = Doc(VOCAB, words=words, spaces=[True] * 8 + [False, False], pos=pos, tags=[_TAGS[p] for p in pos],
              heads=heads, deps=deps, sent_starts=[True] + [False] * 9,
              ents=["O", "O", "O", "B-GPE", "O", "O", "O", "B-ORG", "O", "O"])
    got = [(m.text, m.cls, m.same_as) for m in mentions(doc) if m.kind == "name"]
    # "port" is a facility noun of the lexicon, "cars" none; the port is not the town
    assert got == [("Yiwu land port", "Facility", None), ("Corvin", "Organization", None)]


def test_names_listed_after_brands_are_products():
    words = ["Corvin", "sells", "brands", "such", "as", "Velna", ",", "Ostra", "and", "Pall", "Mall", "."]
    pos = ["PROPN", "VERB", "NOUN", "ADJ", "ADP", "PROPN", "PUNCT", "PROPN", "CCONJ", "PROPN", "PROPN", "PUNCT"]
    heads = [1, 1, 1, 4, 2, 4, 5, 5, 7, 10, 7, 1]
    deps = ["nsubj", "ROOT", "dobj", "amod", "prep", "pobj", "punct", "conj", "cc", "compound", "conj", "punct"]
    doc = Doc(VOCAB, words=words, spaces=[True] * 5 + [False] + [True] * 4 + [False, False], pos=pos,
              tags=[_TAGS[p] for p in pos], heads=heads, deps=deps, sent_starts=[True] + [False] * 11,
              ents=["B-ORG", "O", "O", "O", "O", "B-ORG", "O", "B-PERSON", "O", "B-PERSON", "I-PERSON", "O"])
    # a brand is a product line (the vocabulary's Product), not a company
    assert [(n, c) for n, c in names(doc) if n != "Corvin"] == [("Velna", "Product"), ("Ostra", "Product"), ("Pall Mall", "Product")]


def test_a_web_domain_is_an_organisation_not_a_person():
    doc = make_doc("Corvin.org.cn reported it .", "PROPN VERB PRON PUNCT", ents=["B-PERSON", "O", "O", "O"])
    assert names(doc) == [("Corvin.org.cn", "Organization")]
