"""The vocabulary's terms as Python constants (a closed namespace: typos raise).

The authoritative definition is ``kg/ontology/wildgoose.ttl``; this module only
names the terms the code writes. Local names are fixed by
``shared/spec/vocabulary.md``; the namespace IRI is ours.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace, URIRef

#: namespace of the vocabulary (classes and properties)
VOCAB_IRI = "https://w3id.org/wild-goose/vocab#"
#: namespace under which entity IRIs are minted (see :func:`kg.iri.entity_iri`)
ID_IRI = "https://w3id.org/wild-goose/id/"

SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
ORG = Namespace("http://www.w3.org/ns/org#")


class KG(DefinedNamespace):
    """Terms of the Wild Goose vocabulary."""

    _fail = True
    _NS = Namespace(VOCAB_IRI)

    # classes of extracted entities
    Entity: URIRef
    Person: URIRef
    Organization: URIRef
    Company: URIRef
    GovernmentBody: URIRef
    EducationalInstitution: URIRef
    Place: URIRef
    Country: URIRef
    City: URIRef
    AdministrativeArea: URIRef
    EconomicZone: URIRef
    Facility: URIRef
    Event: URIRef
    Program: URIRef
    Product: URIRef
    # bookkeeping classes (not entity classes)
    Document: URIRef
    Mention: URIRef
    Statement: URIRef
    Evidence: URIRef
    Observation: URIRef
    BuildRun: URIRef
    # relations between entities
    relatedTo: URIRef
    locatedIn: URIRef
    partOf: URIRef
    subOrganizationOf: URIRef
    worksFor: URIRef
    founded: URIRef
    alumniOf: URIRef
    partnerOf: URIRef
    administers: URIRef
    organized: URIRef
    participatedIn: URIRef
    investedIn: URIRef
    operatesIn: URIRef
    produces: URIRef
    issued: URIRef
    # literal and bookkeeping properties
    role: URIRef
    predicateText: URIRef
    confidence: URIRef
    extractor: URIRef
    sentence: URIRef
    sentenceStart: URIRef
    sentenceEnd: URIRef
    subjectStart: URIRef
    subjectEnd: URIRef
    objectStart: URIRef
    objectEnd: URIRef
    evidence: URIRef
    mentionedIn: URIRef
    mention: URIRef
    document: URIRef
    mentionCount: URIRef
    documentCount: URIRef
    sourceFile: URIRef
    value: URIRef
    unit: URIRef
    measure: URIRef
    date: URIRef
    observation: URIRef
    softwareVersion: URIRef


#: entity classes, most general first; the order is also the tie-break order
ENTITY_CLASSES: tuple[str, ...] = (
    "Entity",
    "Person",
    "Organization",
    "Company",
    "GovernmentBody",
    "EducationalInstitution",
    "Place",
    "Country",
    "City",
    "AdministrativeArea",
    "EconomicZone",
    "Facility",
    "Event",
    "Program",
    "Product",
)

#: direct super-class of each entity class
SUPERCLASS: dict[str, str | None] = {
    "Entity": None,
    "Person": "Entity",
    "Organization": "Entity",
    "Company": "Organization",
    "GovernmentBody": "Organization",
    "EducationalInstitution": "Organization",
    "Place": "Entity",
    "Country": "Place",
    "City": "Place",
    "AdministrativeArea": "Place",
    "EconomicZone": "Place",
    "Facility": "Place",
    "Event": "Entity",
    "Program": "Entity",
    "Product": "Entity",
}

#: the core relations between entities (all sub-properties of relatedTo)
CORE_RELATIONS: tuple[str, ...] = (
    "locatedIn",
    "partOf",
    "subOrganizationOf",
    "worksFor",
    "founded",
    "alumniOf",
    "partnerOf",
    "administers",
    "organized",
    "participatedIn",
    "investedIn",
    "operatesIn",
    "produces",
    "issued",
    "relatedTo",
)

SYMMETRIC_RELATIONS: frozenset[str] = frozenset({"partnerOf", "relatedTo"})


def top_class(cls: str) -> str:
    """The child of ``Entity`` that ``cls`` falls under (``Company`` → ``Organization``)."""
    while SUPERCLASS.get(cls) not in (None, "Entity"):
        cls = SUPERCLASS[cls]  # type: ignore[assignment]
    return cls


def is_subclass(cls: str, ancestor: str) -> bool:
    c: str | None = cls
    while c is not None:
        if c == ancestor:
            return True
        c = SUPERCLASS.get(c)
    return False
