"""Merging that says why: people's short names, acronyms, shared GeoNames ids (hand-made DocResults)."""

from __future__ import annotations

from kg.resolve import resolve
from tests.test_resolve import GPE, LEX, ORG, PERSON, by_label, doc, entities, entity_of, m


def test_surname_and_title_join_the_one_full_name_of_their_document():
    ents = entities(doc("a", m("Maria Garcia", "Person", PERSON), m("Garcia", "AdministrativeArea", GPE),
                        m("Mr. Loescher", "Person", PERSON), m("Peter Loescher", "Person", PERSON)))
    assert entity_of(ents, "Garcia").label == "Maria Garcia"
    assert entity_of(ents, "Mr. Loescher").label == "Peter Loescher"
    assert entity_of(ents, "Garcia").cls == "Person"


def test_a_surname_two_people_share_joins_neither():
    ents = entities(doc("a", m("Dolly Parton", "Person", PERSON), m("Stella Parton", "Person", PERSON),
                        m("Parton", "Person", PERSON)))
    assert {e.label for e in ents} == {"Dolly Parton", "Stella Parton", "Parton"}


def test_people_merge_across_documents_by_full_name_only():
    ents = entities(doc("a", m("Maria Garcia", "Person", PERSON)), doc("b", m("Garcia", "Person", PERSON)))
    assert {e.label for e in ents} == {"Maria Garcia", "Garcia"}


def test_given_name_joins_when_no_surname_matches():
    ents = entities(doc("a", m("Dave Calhoun", "Person", PERSON), m("Dave", "Person", PERSON)))
    assert [e.label for e in ents] == ["Dave Calhoun"]


def test_acronym_joins_the_name_whose_initials_it_spells_in_its_document():
    ents = entities(doc("a", m("British American Tobacco", "Company"), m("BAT", "Organization", ORG),
                        m("Contemporary Amperex Technology Co. Limited", "Company"), m("CATL", "Company", ORG)))
    assert entity_of(ents, "BAT").label == "British American Tobacco"
    assert entity_of(ents, "CATL").label == "Contemporary Amperex Technology Co. Limited"
    # another document's "BAT" is left alone
    other = entities(doc("a", m("British American Tobacco", "Company")), doc("b", m("BAT", "Organization", ORG)))
    assert len(other) == 2


def test_names_with_one_geonames_id_are_one_place_and_the_merge_is_explained():
    iri = "https://sws.geonames.org/6252001/"
    res = resolve([doc("a", m("United States", "Country", GPE, same_as=iri), m("U.S.", "Country", GPE, same_as=iri))], LEX)
    [ent] = res.entities
    assert ent.label == "United States" and iri in ent.same_as
    assert res.merges[ent.iri] == [("U.S.", "United States", "same GeoNames/Wikidata id")]


def test_city_and_county_of_one_name_stay_apart():
    ents = by_label(entities(doc("a", m("Charleston", "City", GPE), m("Charleston County", "AdministrativeArea"))))
    assert set(ents) == {"Charleston", "Charleston County"}


def test_a_region_and_its_name_with_the_level_are_one():
    ents = entities(doc("a", m("Zhejiang", "AdministrativeArea", GPE), m("Zhejiang province", "AdministrativeArea")))
    assert [e.label for e in ents] == ["Zhejiang province"]
