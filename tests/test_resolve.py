"""Which mentions are one entity: hand-made DocResults, no model."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from kg.extract.mentions import W_CONTEXT, W_GAZETTEER, W_HEAD, W_NER
from kg.extract.references import resolve_references
from kg.iri import document_iri, entity_iri
from kg.lexicon import load_lexicon
from kg.model import DocInfo, DocResult, Mention
from kg.resolve import name_key, resolve

LEX = load_lexicon()

#: what the mention finder gives each source: (label, weight)
CHUNK = ("CHUNK", W_HEAD)
ORG = ("ORG", W_NER)
PERSON = ("PERSON", W_NER)
GPE = ("GPE", W_NER)
GAZ = ("GAZ", W_GAZETTEER)
ROLE = ("ROLE", W_CONTEXT)


def m(text: str, cls: str, source: tuple[str, float] = CHUNK, **extra) -> Mention:
    """A name mention (offsets are filled in by :func:`doc`)."""
    label, weight = source
    return Mention(text=text, start=0, end=0, cls=cls, label=label, sent_start=0, sent_end=0, weight=weight, **extra)


def ref(text: str, kind: str) -> Mention:
    return Mention(text=text, start=0, end=0, cls="Entity", label=kind.upper(), sent_start=0, sent_end=0,
                   kind=kind, weight=0.0)


def doc(doc_id: str, *mentions: Mention, per_sentence: int = 1) -> DocResult:
    """A document whose mentions follow each other, ``per_sentence`` to a sentence."""
    placed = []
    for k, men in enumerate(mentions):
        sent = (k // per_sentence) * 1000
        start = sent + (k % per_sentence) * 100
        placed.append(replace(men, start=start, end=start + len(men.text), sent_start=sent, sent_end=sent + 999))
    return DocResult(info=DocInfo(id=doc_id, source=f"{doc_id}.txt"), mentions=placed)


def entities(*results: DocResult):
    return resolve(list(results), LEX).entities


def by_label(ents) -> dict:
    return {e.label: e for e in ents}


def entity_of(ents, name: str):
    found = [e for e in ents if e.label == name or name in e.alt_labels]
    assert len(found) == 1, f"{name!r} is in {len(found)} entities: {ents}"
    return found[0]


# --------------------------------------------------------------------------- name keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Harbor New Area", "the new harbor area"),
        ("Harbor New Area", "HARBOR NEW AREA"),
        ("Harbor New Area's", "Harbor New Area"),
        ("Acme Robotics Co., Ltd.", "Acme Robotics Inc."),
        ("Acme Robotics Co., Ltd.", "Acme Robotics"),
        ("Acme Robotics Corp.", "Acme Robotics Limited"),
        ("A.S. Møller Brænd", "A.S. Moller - Braend"),  # accents, ø and æ, a spaced dash
        ("Société Générale", "Societe Generale"),
    ],
)
def test_name_key_ignores_case_word_order_possessive_and_legal_form(a, b):
    assert name_key(a, LEX) == name_key(b, LEX)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Harbor New Area", "Harbor Area"),
        ("Acme Robotics", "Acme Logistics"),
        ("Gulf Free Trade Zone", "Gulf Jebel Free Trade Zone"),
    ],
)
def test_name_key_keeps_distinct_names_apart(a, b):
    assert name_key(a, LEX) != name_key(b, LEX)


# --------------------------------------------------------------------------- merging


def test_case_and_word_order_variants_are_one_entity():
    ents = entities(
        doc("d1", m("Harbor New Area", "EconomicZone"), m("Harbor New Area", "EconomicZone")),
        doc("d2", m("new harbor area", "EconomicZone")),
    )
    (e,) = ents
    assert e.label == "Harbor New Area"  # the most used of the fullest forms
    assert e.alt_labels == ("new harbor area",)
    assert e.mention_count == 3
    assert e.mentions == {document_iri("d1"): 2, document_iri("d2"): 1}


def test_legal_form_variants_are_one_entity():
    ents = entities(doc("d1", m("Acme Robotics Co., Ltd.", "Company"), m("Acme Robotics Inc.", "Company")))
    (e,) = ents
    assert e.label == "Acme Robotics Co., Ltd."
    assert e.alt_labels == ("Acme Robotics Inc.",)
    assert e.cls == "Company"


@pytest.mark.parametrize("long", ["Zenta Company Limited", "Zenta Group", "Zenta Group Co., Ltd."])
def test_company_and_group_are_legal_forms_too(long):
    ents = entities(doc("d1", m("Zenta", "Company", GAZ), m(long, "Company")))
    (e,) = ents
    assert e.label == long and e.alt_labels == ("Zenta",)


def test_short_form_joins_the_dominant_longer_name():
    ents = entities(
        doc("d1", *[m("Acme Robotics Co., Ltd.", "Company")] * 4, m("Acme Logistics Inc.", "Company")),
        doc("d2", m("Acme", "Organization", ORG)),
    )
    acme = entity_of(ents, "Acme")
    assert acme.label == "Acme Robotics Co., Ltd."
    assert acme.mention_count == 5
    assert entity_of(ents, "Acme Logistics Inc.").mention_count == 1


def test_short_form_stays_alone_between_two_equally_frequent_names():
    ents = entities(
        doc("d1", *[m("Acme Robotics Co., Ltd.", "Company")] * 2, *[m("Acme Logistics Inc.", "Company")] * 2),
        doc("d2", m("Acme", "Organization", ORG)),
    )
    assert len(ents) == 3
    acme = entity_of(ents, "Acme")
    assert acme.label == "Acme" and acme.alt_labels == ()


def test_short_form_with_a_single_candidate_joins_it():
    ents = entities(doc("d1", m("Saltmarsh Robotics Co., Ltd.", "Company"), m("Saltmarsh", "Organization", ORG)))
    (e,) = ents
    assert e.label == "Saltmarsh Robotics Co., Ltd."
    assert "Saltmarsh" in e.alt_labels


def test_partial_names_with_the_same_head_merge():
    ents = entities(
        doc("d1", m("Gulf Jebel Free Trade Zone", "EconomicZone"), m("Gulf Free Trade Zone", "EconomicZone")),
    )
    (e,) = ents
    assert e.label == "Gulf Jebel Free Trade Zone"
    assert e.alt_labels == ("Gulf Free Trade Zone",)


def test_a_longer_name_that_goes_on_after_a_name_is_another_thing():
    ents = entities(doc("d1", m("Corvin Terminals", "Company", ORG), m("Corvin Terminals Ostmark", "Organization", ORG),
                        m("Harlow Port", "Facility"), m("Harlow Port Authority", "GovernmentBody")))
    assert len(ents) == 4
    # an "of" phrase keeps the head, and one word is a short form of its longer name
    ents = entities(doc("d2", m("Corvin Bank", "Company"), m("Corvin Bank of Ostmark", "Company")))
    assert len(ents) == 1


def test_a_word_from_the_middle_of_a_name_is_no_short_form_of_it():
    ents = entities(doc("d1", m("Corvin Ostmark Institute", "Organization"), m("Ostmark", "Company", ORG),
                        m("Corvin", "Organization", ORG)))
    assert entity_of(ents, "Ostmark").label == "Ostmark"
    assert entity_of(ents, "Corvin").label == "Corvin Ostmark Institute"  # it begins the name


def test_a_person_name_joins_its_longer_form():
    ents = entities(doc("d1", m("Paul Corvin Jr.", "Person", PERSON), m("Paul Corvin", "Person", PERSON)))
    assert len(ents) == 1


def test_generic_words_alone_never_join_a_name():
    ents = entities(doc("d1", m("Gulf Jebel Free Trade Zone", "EconomicZone"), m("Free Trade Zone", "EconomicZone")))
    assert len(ents) == 2


def test_defined_acronym_becomes_alt_label_and_later_uses_join():
    d = doc(
        "d1",
        m("Coastal Water Authority", "GovernmentBody"),
        Mention("CWA", 0, 0, "GovernmentBody", "ACRONYM", 0, 0, kind="acronym", weight=W_HEAD,
                full="Coastal Water Authority"),
        m("CWA", "Organization", ORG),
    )
    later = doc("d2", m("CWA", "Organization", ORG))
    ents = entities(d, later)
    (e,) = ents
    assert e.label == "Coastal Water Authority"
    assert e.alt_labels == ("CWA",)
    assert e.cls == "GovernmentBody"
    assert e.mentions == {document_iri("d1"): 3, document_iri("d2"): 1}


def test_long_written_form_of_a_split_name_is_an_alt_label():
    ents = entities(
        doc("d1", m("Planning Department", "GovernmentBody",
                    full="Planning Department of the Bayside Management Committee"),
            m("Bayside Management Committee", "GovernmentBody")),
    )
    dept = entity_of(ents, "Planning Department")
    assert dept.alt_labels == ("Planning Department of the Bayside Management Committee",)
    assert entity_of(ents, "Bayside Management Committee") is not dept


def test_gazetteer_entity_never_swallows_a_longer_name():
    ents = entities(
        doc("d1", m("Shanghai", "City", GAZ, same_as="Q8686"),
            *[m("Shanghai Harbor Park", "Facility")] * 6),
    )
    assert len(ents) == 2
    city, park = entity_of(ents, "Shanghai"), entity_of(ents, "Shanghai Harbor Park")
    assert city.same_as == ("Q8686",) and city.cls == "City" and city.alt_labels == ()
    assert park.same_as == () and park.mention_count == 6


@pytest.mark.parametrize(
    ("short", "long"),
    [
        # a person named in a role ("Chairman Morgan") and a company with the same word
        (m("Morgan", "Person", ROLE), m("Morgan Shipping Co., Ltd.", "Company")),
        # an economic zone and the committee that manages it
        (m("Harbor New Area", "EconomicZone"), m("Harbor New Area Management Committee", "GovernmentBody")),
        # a place named by NER and an organisation named after it
        (m("Bayside", "AdministrativeArea", GPE), m("Bayside Shipping Group", "Company")),
    ],
    ids=["person-company", "zone-committee", "place-company"],
)
def test_incompatible_classes_never_merge(short, long):
    ents = entities(doc("d1", short, *[long] * 5))
    assert len(ents) == 2
    assert {e.cls for e in ents} == {short.cls, long.cls}
    assert entity_of(ents, short.text).label == short.text


# --------------------------------------------------------------------------- classes


def test_head_cue_outweighs_ner_labels():
    ents = entities(doc("d1", m("Nordwind Shipping Group", "Company"),
                        *[m("Nordwind Shipping Group", "Organization", ORG)] * 2))
    (e,) = ents
    assert e.cls == "Company"


def test_gazetteer_outweighs_head_cues():
    ents = entities(doc("d1", m("Westbrook", "City", GAZ, same_as="Q1"),
                        *[m("Westbrook", "AdministrativeArea", CHUNK)] * 3))
    (e,) = ents
    assert e.cls == "City"


def test_many_ner_labels_outvote_one_head_cue():
    """It is a weighted vote, not a priority: enough weak votes win."""
    ents = entities(doc("d1", m("Nordwind Shipping Group", "Company"),
                        *[m("Nordwind Shipping Group", "Person", PERSON)] * 4))
    (e,) = ents
    assert e.cls == "Person"


def test_class_vote_spans_every_form_of_the_entity():
    ents = entities(
        doc("d1", m("Acme Robotics Co., Ltd.", "Company"), m("Acme Robotics", "Organization", ORG),
            m("Acme Robotics", "Organization", ORG)),
    )
    (e,) = ents
    assert e.cls == "Company"  # 3.0 for Company vs 2.0 for Organization


def test_one_class_per_entity_and_it_is_a_vocabulary_class():
    from kg.vocab import ENTITY_CLASSES

    ents = entities(
        doc("d1", m("Harbor New Area", "EconomicZone"), m("Harbor New Area", "Place", ("LOC", W_NER)),
            m("Acme Robotics", "Person", PERSON), m("Acme Robotics", "Organization", ORG)),
    )
    assert len(ents) == 2
    for e in ents:
        assert isinstance(e.cls, str) and e.cls in ENTITY_CLASSES


# --------------------------------------------------------------------------- labels and IRIs


def test_canonical_label_is_the_fullest_name_and_the_others_are_alt_labels():
    ents = entities(
        doc("d1", *[m("Gulf Free Trade Zone", "EconomicZone")] * 5, m("Gulf Jebel Free Trade Zone", "EconomicZone"),
            m("gulf free trade zone", "EconomicZone")),
    )
    (e,) = ents
    assert e.label == "Gulf Jebel Free Trade Zone"
    assert e.alt_labels == ("Gulf Free Trade Zone", "gulf free trade zone")
    assert e.label not in e.alt_labels


CORPUS = [
    doc("news/a", m("Acme Robotics Co., Ltd.", "Company"), m("Harbor New Area", "EconomicZone"),
        m("Shanghai", "City", GAZ, same_as="Q8686")),
    doc("news/b", m("new harbor area", "EconomicZone"), m("Acme", "Organization", ORG),
        m("Coastal Water Authority", "GovernmentBody")),
    doc("news/c", m("Gulf Jebel Free Trade Zone", "EconomicZone"), m("Gulf Free Trade Zone", "EconomicZone"),
        m("Acme Robotics Inc.", "Company")),
]


def _iris(results) -> dict[str, str]:
    return {e.label: e.iri for e in resolve(results, LEX).entities}


def test_iris_do_not_depend_on_document_order():
    forward = _iris(CORPUS)
    backward = _iris(list(reversed(CORPUS)))
    shuffled = _iris([CORPUS[1], CORPUS[2], CORPUS[0]])
    assert forward == backward == shuffled
    assert len(forward) == 5


def test_iris_come_from_class_and_name_not_from_counters():
    ents = resolve(CORPUS, LEX).entities
    for e in ents:
        assert e.iri == entity_iri(e.cls, e.label)
    assert by_label(ents)["Harbor New Area"].iri == "https://w3id.org/wild-goose/id/economiczone/harbor-new-area"


def test_adding_documents_does_not_change_existing_iris():
    before = _iris(CORPUS)
    extra = doc("news/d", m("Westbrook University", "EducationalInstitution"), m("Nordwind Shipping Group", "Company"))
    after = _iris([extra, *CORPUS])
    assert {k: after[k] for k in before} == before


def test_two_entities_with_the_same_slug_get_distinct_stable_iris():
    results = [doc("d1", m("Acme-Robotics Park", "Facility")), doc("d2", m("Acme Robotics Park", "Facility"))]
    a = resolve(results, LEX).entities
    b = resolve(list(reversed(results)), LEX).entities
    assert len({e.iri for e in a}) == 2
    assert {(e.label, e.iri) for e in a} == {(e.label, e.iri) for e in b}
    assert not any(re.search(r"-\d+$", e.iri) for e in a)


# --------------------------------------------------------------------------- references


def _placed(*items: tuple[Mention, int]) -> list[Mention]:
    """Mentions at increasing offsets, each in sentence ``n``."""
    out = []
    for k, (men, sent) in enumerate(items):
        start = sent * 1000 + k * 10
        out.append(replace(men, start=start, end=start + len(men.text), sent_start=sent * 1000,
                           sent_end=sent * 1000 + 999))
    return out


def test_pronoun_attaches_to_the_nearest_compatible_name():
    mentions = _placed(
        (m("Harbor Free Trade Zone", "EconomicZone"), 0),
        (m("Lena Park", "Person", PERSON), 0),
        (ref("it", "pronoun"), 1),  # not Lena Park: a person
        (ref("she", "pronoun"), 1),
    )
    out = resolve_references(mentions, LEX)
    assert [(x.text, x.antecedent) for x in out] == [
        ("Harbor Free Trade Zone", None), ("Lena Park", None), ("it", 0), ("she", 1),
    ]
    assert out[2].cls == "EconomicZone" and out[3].cls == "Person"


def test_description_attaches_to_the_nearest_name_of_a_fitting_class():
    mentions = _placed(
        (m("Nordwind Shipping Co., Ltd.", "Company"), 0),
        (m("Westbrook Science Park", "EconomicZone"), 0),
        (m("Bayport Harbor Authority", "GovernmentBody"), 1),
        (ref("the company", "description"), 2),
        (ref("the park", "description"), 2),
        (ref("the authority", "description"), 3),
    )
    out = resolve_references(mentions, LEX)
    assert [x.antecedent for x in out[3:]] == [0, 1, 2]


def test_reference_without_antecedent_is_dropped():
    mentions = _placed((m("Westbrook Science Park", "EconomicZone"), 0), (ref("he", "pronoun"), 0),
                       (ref("the university", "description"), 1))
    out = resolve_references(mentions, LEX)
    assert [x.text for x in out] == ["Westbrook Science Park"]


def test_pronoun_does_not_reach_far_back():
    mentions = _placed(
        (m("Westbrook Science Park", "EconomicZone"), 0),
        (m("Lena Park", "Person", PERSON), 1),
        (m("Omar Haddad", "Person", PERSON), 2),
        (m("Mei Tanaka", "Person", PERSON), 3),
        (ref("it", "pronoun"), 4),
    )
    assert "it" not in [x.text for x in resolve_references(mentions, LEX)]


def test_pronoun_does_not_reach_back_over_sentences_without_names():
    mentions = _placed((m("Westbrook Science Park", "EconomicZone"), 0), (ref("it", "pronoun"), 6))
    assert [x.text for x in resolve_references(mentions, LEX)] == ["Westbrook Science Park"]


def test_pronoun_never_points_forward():
    mentions = _placed((ref("it", "pronoun"), 0), (m("Westbrook Science Park", "EconomicZone"), 0))
    assert [x.text for x in resolve_references(mentions, LEX)] == ["Westbrook Science Park"]


def test_resolved_references_count_as_mentions_of_the_entity():
    mentions = resolve_references(
        _placed(
            (m("Westbrook Science Park", "EconomicZone"), 0),
            (ref("it", "pronoun"), 1),
            (ref("the park", "description"), 2),
            (ref("he", "pronoun"), 2),  # dropped: no person
        ),
        LEX,
    )
    res = resolve([DocResult(DocInfo("d1", "d1.txt"), mentions)], LEX)
    (e,) = res.entities
    assert e.mention_count == 3
    assert res.mention_entity[("d1", 1)] == e.iri
    assert res.mention_entity[("d1", 2)] == e.iri


def test_person_named_by_ner_does_not_join_a_company_named_after_them():
    ents = entities(doc("d1", m("Jordan Lee", "Person", PERSON), m("Jordan Lee", "Person", PERSON),
                        *[m("Jordan Lee Holdings", "Company")] * 3))
    assert len(ents) == 2


def test_an_organisation_the_text_calls_the_company_is_a_company():
    mentions = resolve_references(
        _placed((m("Corvin Tobacco", "Organization", ORG), 0), (ref("the company", "description"), 1),
                (m("Ostmark", "City", GPE), 2), (ref("the company", "description"), 3)),
        LEX,
    )
    ents = resolve([DocResult(DocInfo("d1", "d1.txt"), mentions)], LEX).entities
    assert by_label(ents)["Corvin Tobacco"].cls == "Company"
    assert by_label(ents)["Ostmark"].cls == "City"  # a description refines a class, never changes it
