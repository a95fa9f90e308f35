"""Loading a user ontology: Text2KGBench JSON and OWL/RDFS Turtle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import OntologyError, UnknownNameError
from kg.text2kg.ontology import (
    ONTOLOGY_FORMATS,
    load_ontology,
    literal_kind,
    ontology_from_dict,
    split_label,
)

TTL = """
@prefix ex: <http://example.org/onto#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:Organisation a owl:Class ; rdfs:label "Organisation" .
ex:Company a owl:Class ; rdfs:label "Company" ; rdfs:subClassOf ex:Organisation .
ex:Person a owl:Class ; rdfs:label "Person" ; owl:disjointWith ex:Organisation .
ex:Place a owl:Class ; rdfs:label "Place" .

ex:founder a owl:ObjectProperty ; rdfs:label "founder" ;
    rdfs:domain ex:Company ; rdfs:range ex:Person .
ex:foundingDate a owl:DatatypeProperty ; rdfs:label "foundingDate" ;
    rdfs:domain ex:Company ; rdfs:range xsd:date .
ex:numberOfEmployees a owl:DatatypeProperty ; rdfs:label "numberOfEmployees" ;
    rdfs:domain ex:Company ; rdfs:range xsd:integer .
ex:motto a owl:DatatypeProperty ; rdfs:label "motto" ; rdfs:domain ex:Company .
"""


def test_json_and_turtle_of_the_benchmark_agree(bench_dir):
    from_json = load_ontology(bench_dir / "dbpedia_webnlg/ontologies/7_company_ontology.json")
    from_ttl = load_ontology(bench_dir / "dbpedia_webnlg/ontologies/owl/ont_7_company.ttl")
    assert from_json.id == "ont_7_company"
    assert len(from_json.relations) == 28
    as_set = lambda o: {(r.label, r.domain, r.range) for r in o.relations}  # noqa: E731
    assert as_set(from_json) == as_set(from_ttl)
    rel = from_json.relation("foundingDate")
    assert (rel.domain, rel.range, rel.range_kind) == ("Company", "Date", "date")
    assert from_json.relation("numberOfEmployees").range_kind == "number"
    assert from_json.relation("country").range_kind is None


def test_owl_turtle_with_datatypes_subclasses_and_disjointness(tmp_path):
    path = tmp_path / "company.ttl"
    path.write_text(TTL, encoding="utf-8")
    onto = load_ontology(path)
    assert sorted(onto.relation_labels) == ["founder", "foundingDate", "motto", "numberOfEmployees"]
    assert sorted(onto.concept_labels) == ["Company", "Organisation", "Person", "Place"]
    assert onto.relation("foundingDate").range == "xsd:date"
    assert onto.relation("foundingDate").range_kind == "date"
    assert onto.relation("numberOfEmployees").range_kind == "number"
    # a datatype property without a range takes strings
    assert onto.relation("motto").range_kind == "string"
    assert onto.relation("founder").iri == "http://example.org/onto#founder"
    assert onto.ancestors("Company") == {"Company", "Organisation"}
    # disjointness is inherited through rdfs:subClassOf
    assert not onto.compatible("Company", "Person")
    assert onto.compatible("Company", "Organisation")
    assert onto.compatible("Company", "Place")
    assert not onto.compatible("Company", "xsd:date")


def test_json_round_trip():
    data = {
        "id": "tiny",
        "title": "Tiny",
        "concepts": [{"qid": "Company", "label": "Company"}],
        "relations": [{"pid": "revenue", "label": "revenue", "domain": "Company", "range": "number"}],
    }
    onto = ontology_from_dict(data)
    assert onto.to_dict() == data
    assert ontology_from_dict(onto.to_dict()) == onto


@pytest.mark.parametrize(
    "content, suffix, message",
    [
        ("{not json", ".json", "not a readable JSON ontology"),
        (json.dumps({"concepts": []}), ".json", "lacks a field"),
        (json.dumps({"relations": []}), ".json", "declares no relations"),
        ("@prefix : <x> . :a :b", ".ttl", "cannot parse as RDF"),
        ("anything", ".xyz", "cannot tell the ontology format"),
    ],
)
def test_broken_ontologies_raise_ontology_error(tmp_path, content, suffix, message):
    path = tmp_path / f"onto{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OntologyError, match=message):
        load_ontology(path)


def test_missing_file_and_unknown_names(tmp_path):
    with pytest.raises(OntologyError, match="no such ontology file"):
        load_ontology(tmp_path / "nope.json")
    path = tmp_path / "onto.json"
    path.write_text(json.dumps({"relations": [{"label": "r"}]}), encoding="utf-8")
    with pytest.raises(UnknownNameError, match="known: json, rdf"):
        load_ontology(path, format="yaml")
    with pytest.raises(UnknownNameError, match="known: r"):
        load_ontology(path).relation("s")


@pytest.mark.parametrize("name", sorted(ONTOLOGY_FORMATS))
def test_every_registered_format_claims_suffixes(name):
    loader, suffixes = ONTOLOGY_FORMATS[name]
    assert callable(loader) and suffixes


@pytest.mark.parametrize(
    "label, words",
    [
        ("elevationAboveTheSeaLevel", ["elevation", "above", "the", "sea", "level"]),
        ("associatedBand/associatedMusicalArtist", ["associated", "band", "associated", "musical", "artist"]),
        ("1stRunwaySurfaceType", ["1st", "runway", "surface", "type"]),
        ("ICAOLocationIdentifier", ["icao", "location", "identifier"]),
    ],
)
def test_split_label(label, words):
    assert split_label(label) == words


@pytest.mark.parametrize(
    "name, kind",
    [("xsd:date", "date"), ("Date", "date"), ("Year", "date"), ("number", "number"),
     ("xsd:nonNegativeInteger", "number"), ("string", "string"), ("Person", None), (None, None)],
)
def test_literal_kind(name, kind):
    assert literal_kind(name) == kind


def test_the_turtle_twin_round_trips_through_the_model_json_form():
    # a model saved from an OWL ontology keeps IRIs, datatypes and disjointness
    from kg.text2kg.ontology import load_ontology, ontology_from_dict

    onto = load_ontology(Path(__file__).parent / "data" / "company_ontology.ttl")
    again = ontology_from_dict(onto.to_dict())
    assert again == onto and again.schema_key() == onto.schema_key()
    assert again.relation("founder").iri == "http://example.org/tiny-company#founder"
    assert not again.compatible("Person", "Company")
    plain = load_ontology(Path(__file__).parent / "data" / "company_ontology.json")
    assert plain.schema_key() != onto.schema_key()


def test_a_turtle_ontology_is_named_by_its_iri_not_its_file(tmp_path):
    from kg.text2kg.graph import default_base

    source = Path(__file__).parent / "data" / "company_ontology.ttl"
    renamed = tmp_path / "draft-v2.ttl"
    renamed.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    a, b = load_ontology(source), load_ontology(renamed)
    assert a.id == b.id == "tiny-company"  # <http://example.org/tiny-company> a owl:Ontology
    assert default_base(a) == default_base(b)
    anonymous = tmp_path / "plain.ttl"
    anonymous.write_text(TTL, encoding="utf-8")  # no owl:Ontology: the file name
    assert load_ontology(anonymous).id == "plain"
