"""The ontology data files under ``ontology/``: they parse, they declare every
term the code writes, the SHACL shapes accept a well-formed graph and reject
broken ones with messages that name the problem, and the gazetteer is clean."""

from __future__ import annotations

import csv
import re
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.vocab import CORE_RELATIONS, ENTITY_CLASSES, KG, SUPERCLASS, VOCAB_IRI

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "kg" / "ontology"
VOCAB_TTL = ONTOLOGY_DIR / "wildgoose.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
GAZETTEER_CSV = ONTOLOGY_DIR / "gazetteer.csv"

NS = Namespace(VOCAB_IRI)
ID = Namespace("https://w3id.org/wild-goose/id/")
SCHEMA = Namespace("https://schema.org/")

# nodes of the hand-built data graph
TESLA, SHANGHAI = ID["Company/tesla"], ID["City/shanghai"]
STATEMENT, EVIDENCE, OBSERVATION = ID["st/1"], ID["ev/1"], ID["obs/1"]

GAZETTEER_CLASSES = {
    "Country",
    "City",
    "AdministrativeArea",
    "Company",
    "Organization",
    "GovernmentBody",
    "EducationalInstitution",
}
DECLARATION_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
}


# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return Graph().parse(VOCAB_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


@pytest.fixture(scope="module")
def gazetteer_rows() -> list[dict[str, str]]:
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["name", "class", "wikidata", "aliases"]
        return list(reader)


def kg_terms() -> list[str]:
    """Every local name the code writes: the KG namespace plus the tuples."""
    names = [n for n in typing.get_type_hints(KG) if not n.startswith("_")]
    return sorted(set(names) | set(ENTITY_CLASSES) | set(CORE_RELATIONS))


# ---------------------------------------------------------------------------
# wildgoose.ttl
# ---------------------------------------------------------------------------


def test_turtle_files_parse(vocab: Graph, shapes: Graph) -> None:
    assert len(vocab) > 100
    assert len(shapes) > 100


def test_ontology_header(vocab: Graph) -> None:
    onto = URIRef(VOCAB_IRI.rstrip("#"))
    assert (onto, RDF.type, OWL.Ontology) in vocab
    assert vocab.value(onto, OWL.versionInfo) == Literal("0.1.0")
    assert vocab.value(onto, RDFS.label) is not None
    assert vocab.value(onto, RDFS.comment) is not None
    license_ = vocab.value(onto, DCTERMS.license)
    assert license_ is not None and "apache" in str(license_).lower()


@pytest.mark.parametrize("name", kg_terms())
def test_every_code_term_is_declared_with_label_and_comment(vocab: Graph, name: str) -> None:
    term = NS[name]
    types = set(vocab.objects(term, RDF.type))
    assert types & DECLARATION_TYPES, f"kg:{name} is not declared in wildgoose.ttl"
    assert vocab.value(term, RDFS.label) is not None, f"kg:{name} has no rdfs:label"
    assert vocab.value(term, RDFS.comment) is not None, f"kg:{name} has no rdfs:comment"


def test_every_declared_term_is_known_to_the_code(vocab: Graph) -> None:
    declared = {
        str(s)[len(VOCAB_IRI):]
        for t in DECLARATION_TYPES
        for s in vocab.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(VOCAB_IRI)
    }
    assert declared == set(kg_terms())


@pytest.mark.parametrize("name", ENTITY_CLASSES)
def test_entity_class_hierarchy_matches_vocab_py(vocab: Graph, name: str) -> None:
    supers = {o for o in vocab.objects(NS[name], RDFS.subClassOf) if str(o).startswith(VOCAB_IRI)}
    expected = {NS[SUPERCLASS[name]]} if SUPERCLASS[name] else set()
    assert supers == expected
    assert (NS[name], RDF.type, OWL.Class) in vocab


def test_entity_is_a_prov_entity_not_equivalent(vocab: Graph) -> None:
    assert (KG.Entity, RDFS.subClassOf, PROV.Entity) in vocab
    assert (KG.Entity, OWL.equivalentClass, PROV.Entity) not in vocab
    assert (PROV.Entity, OWL.equivalentClass, KG.Entity) not in vocab


@pytest.mark.parametrize("name", [r for r in CORE_RELATIONS if r != "relatedTo"])
def test_core_relations_are_sub_properties_of_related_to(vocab: Graph, name: str) -> None:
    assert (NS[name], RDF.type, OWL.ObjectProperty) in vocab
    assert (NS[name], RDFS.subPropertyOf, KG.relatedTo) in vocab
    assert vocab.value(NS[name], RDFS.domain) is not None
    assert vocab.value(NS[name], RDFS.range) is not None


def test_symmetric_relations(vocab: Graph) -> None:
    symmetric = {str(s)[len(VOCAB_IRI):] for s in vocab.subjects(RDF.type, OWL.SymmetricProperty)}
    assert symmetric == {"partnerOf", "relatedTo"}
    assert (KG.relatedTo, RDFS.subPropertyOf, SKOS.related) in vocab


def test_alignments(vocab: Graph) -> None:
    assert (KG.Person, OWL.equivalentClass, SCHEMA.Person) in vocab
    assert (KG.locatedIn, OWL.equivalentProperty, SCHEMA.containedInPlace) in vocab
    for prop, inverse in [
        (KG.founded, SCHEMA.founder),
        (KG.organized, SCHEMA.organizer),
        (KG.participatedIn, SCHEMA.attendee),
        (KG.produces, SCHEMA.manufacturer),
    ]:
        assert (prop, OWL.inverseOf, inverse) in vocab
    assert (KG.Statement, RDFS.subClassOf, RDF.Statement) in vocab
    assert (KG.BuildRun, RDFS.subClassOf, PROV.Activity) in vocab
    # an observation is a value, not an extracted entity
    assert (KG.Observation, RDFS.subClassOf, KG.Entity) not in vocab
    assert (KG.Observation, RDFS.subClassOf, SCHEMA.QuantitativeValue) in vocab


def test_wikidata_alignments_are_annotations_only(vocab: Graph) -> None:
    """Wikidata items are never used as OWL classes or properties."""
    wikidata = ("http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/")
    for s, p, o in vocab:
        if str(o).startswith(wikidata):
            assert p in (SKOS.closeMatch, RDFS.seeAlso), (s, p, o)


# ---------------------------------------------------------------------------
# shapes.ttl
# ---------------------------------------------------------------------------


def conforming_graph() -> Graph:
    """A small graph in the shape kg build writes."""
    g = Graph()
    g.bind("kg", NS)
    run, agent = ID["run/1"], ID["agent/wild-goose"]
    doc = ID["doc/news-1"]
    tesla, shanghai = TESLA, SHANGHAI
    st, ev, obs, ev2 = STATEMENT, EVIDENCE, OBSERVATION, ID["ev/2"]

    g.add((run, RDF.type, KG.BuildRun))
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, PROV.startedAtTime, Literal("2024-05-01T10:00:00Z", datatype=XSD.dateTime)))
    g.add((run, KG.softwareVersion, Literal("0.1.0")))
    g.add((run, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))

    g.add((doc, RDF.type, KG.Document))
    g.add((doc, KG.sourceFile, Literal("corpus/news-1.txt")))
    g.add((doc, DCTERMS.title, Literal("Tesla in Lingang")))
    g.add((doc, DCTERMS.date, Literal("2023-01-05", datatype=XSD.date)))
    g.add((doc, SCHEMA.url, URIRef("https://example.org/news-1")))

    for ent, cls, label, count in [
        (tesla, KG.Company, "Tesla", 3),
        (shanghai, KG.City, "Shanghai", 2),
    ]:
        g.add((ent, RDF.type, cls))
        g.add((ent, RDFS.label, Literal(label)))
        g.add((ent, KG.mentionCount, Literal(count)))
        g.add((ent, KG.documentCount, Literal(1)))
        g.add((ent, KG.mentionedIn, doc))
        g.add((ent, PROV.wasGeneratedBy, run))
        m = BNode()
        g.add((ent, KG.mention, m))
        g.add((m, RDF.type, KG.Mention))
        g.add((m, KG.document, doc))
        g.add((m, KG.mentionCount, Literal(count)))
    g.add((tesla, SKOS.altLabel, Literal("Tesla, Inc.")))
    g.add((tesla, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q478214")))

    g.add((tesla, KG.operatesIn, shanghai))
    g.add((st, RDF.type, KG.Statement))
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, tesla))
    g.add((st, RDF.predicate, KG.operatesIn))
    g.add((st, RDF.object, shanghai))
    g.add((st, KG.confidence, Literal(Decimal("0.8"))))
    g.add((st, KG.predicateText, Literal("has large-scale exports in")))
    g.add((st, KG.evidence, ev))
    g.add((st, PROV.wasGeneratedBy, run))

    sentence = "Tesla has large-scale exports in Shanghai."
    g.add((ev, RDF.type, KG.Evidence))
    g.add((ev, PROV.wasDerivedFrom, doc))
    g.add((ev, KG.sentence, Literal(sentence)))
    g.add((ev, KG.sentenceStart, Literal(100)))
    g.add((ev, KG.sentenceEnd, Literal(100 + len(sentence))))
    g.add((ev, KG.subjectStart, Literal(100)))
    g.add((ev, KG.subjectEnd, Literal(105)))
    g.add((ev, KG.objectStart, Literal(133)))
    g.add((ev, KG.objectEnd, Literal(141)))
    g.add((ev, KG.extractor, Literal("kg.verb_frame.v1")))
    g.add((ev, KG.confidence, Literal(Decimal("0.8"))))

    g.add((shanghai, KG.observation, obs))
    g.add((obs, RDF.type, KG.Observation))
    g.add((obs, KG.value, Literal(Decimal("2.04"))))
    g.add((obs, KG.unit, Literal("billion US dollars")))
    g.add((obs, KG.measure, Literal("actual foreign investment")))
    g.add((obs, KG.date, Literal("2022", datatype=XSD.gYear)))
    g.add((obs, KG.evidence, ev2))
    g.add((ev2, RDF.type, KG.Evidence))
    g.add((ev2, PROV.wasDerivedFrom, doc))
    g.add((ev2, KG.sentence, Literal("Actual foreign investment reached 2.04 billion US dollars.")))
    g.add((ev2, KG.sentenceStart, Literal(0)))
    g.add((ev2, KG.sentenceEnd, Literal(58)))
    g.add((ev2, KG.extractor, Literal("kg.quantity.v1")))
    g.add((ev2, KG.confidence, Literal(Decimal("1.0"))))
    return g


def validate(data: Graph, shapes: Graph) -> tuple[bool, str]:
    from pyshacl import validate as shacl_validate

    conforms, _report, text = shacl_validate(data, shacl_graph=shapes, inference="none")
    return bool(conforms), text


def test_shapes_graph_is_valid_shacl(shapes: Graph) -> None:
    """The shapes pass SHACL-SHACL (pyshacl's meta_shacl) and accept a good graph."""
    from pyshacl import validate as shacl_validate

    conforms, _report, text = shacl_validate(
        conforming_graph(), shacl_graph=shapes, inference="none", meta_shacl=True
    )
    assert conforms, text


def test_every_entity_class_is_targeted(shapes: Graph) -> None:
    SH = Namespace("http://www.w3.org/ns/shacl#")
    targeted = set(shapes.objects(None, SH.targetClass))
    assert {NS[c] for c in ENTITY_CLASSES} <= targeted


def test_every_shape_has_a_name_and_a_message(shapes: Graph) -> None:
    SH = Namespace("http://www.w3.org/ns/shacl#")
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.objects(None, SH.property))
    assert len(shape_nodes) > 30
    for shape in shape_nodes:
        assert shapes.value(shape, SH.name) is not None, f"shape {shape} has no sh:name"
        assert shapes.value(shape, SH.message) is not None, f"shape {shape} has no sh:message"


Breaker = typing.Callable[[Graph], object]


def drop(s: URIRef, p: URIRef) -> Breaker:
    """Remove every value of ``p`` on ``s``."""
    return lambda g: g.remove((s, p, None))


def put(s: URIRef, p: URIRef, o: Literal | URIRef) -> Breaker:
    """Replace the values of ``p`` on ``s`` with ``o``."""
    return lambda g: g.set((s, p, o))


def add(s: URIRef, p: URIRef, o: Literal | URIRef) -> Breaker:
    return lambda g: g.add((s, p, o))


def remove(s: URIRef, p: URIRef, o: URIRef) -> Breaker:
    return lambda g: g.remove((s, p, o))


#: case -> (how to break the conforming graph, words the report must contain)
BROKEN: dict[str, tuple[Breaker, list[str]]] = {
    "entity without rdfs:label": (drop(TESLA, RDFS.label), ["rdfs:label"]),
    "statement with confidence 1.5": (
        put(STATEMENT, KG.confidence, Literal(Decimal("1.5"))),
        ["kg:confidence", "between 0 and 1"],
    ),
    "evidence without kg:sentence": (drop(EVIDENCE, KG.sentence), ["kg:sentence"]),
    "entity with two entity classes": (
        add(TESLA, RDF.type, KG.Organization),
        ["exactly one entity class"],
    ),
    "label with a language tag": (
        put(SHANGHAI, RDFS.label, Literal("Shanghai", lang="en")),
        ["rdfs:label"],
    ),
    "mention count of zero": (put(SHANGHAI, KG.mentionCount, Literal(0)), ["kg:mentionCount"]),
    "more documents than mentions": (
        put(SHANGHAI, KG.documentCount, Literal(5)),
        ["kg:documentCount"],
    ),
    "statement without its direct triple": (
        remove(TESLA, KG.operatesIn, SHANGHAI),
        ["direct triple"],
    ),
    "statement without evidence": (drop(STATEMENT, KG.evidence), ["kg:evidence"]),
    "sentence end before its start": (
        put(EVIDENCE, KG.sentenceEnd, Literal(50)),
        ["kg:sentenceStart"],
    ),
    "confidence as a float": (put(EVIDENCE, KG.confidence, Literal(0.5)), ["kg:confidence"]),
    "observation value as a string": (put(OBSERVATION, KG.value, Literal("2.04")), ["kg:value"]),
    "observation date as a plain string": (put(OBSERVATION, KG.date, Literal("2022")), ["kg:date"]),
    "document without source file": (drop(ID["doc/news-1"], KG.sourceFile), ["kg:sourceFile"]),
    "build run without version": (drop(ID["run/1"], KG.softwareVersion), ["kg:softwareVersion"]),
    "relation to a literal": (
        add(TESLA, KG.locatedIn, Literal("Shanghai")),
        ["object of kg:locatedIn"],
    ),
}


def test_conforming_graph_conforms(shapes: Graph) -> None:
    conforms, text = validate(conforming_graph(), shapes)
    assert conforms, text


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_graph_does_not_conform(shapes: Graph, case: str) -> None:
    breaker, expected = BROKEN[case]
    g = conforming_graph()
    breaker(g)
    conforms, text = validate(g, shapes)
    assert not conforms, f"{case}: expected a violation"
    for words in expected:
        assert words in text, f"{case}: message should mention {words!r}:\n{text}"


# ---------------------------------------------------------------------------
# gazetteer.csv
# ---------------------------------------------------------------------------


def _aliases(row: dict[str, str]) -> list[str]:
    return [a for a in row["aliases"].split("|") if a] if row["aliases"] else []


def test_gazetteer_rows_are_well_formed(gazetteer_rows: list[dict[str, str]]) -> None:
    assert len(gazetteer_rows) > 400
    qid = re.compile(r"^Q[0-9]+$")
    for row in gazetteer_rows:
        assert row["name"].strip() == row["name"] and row["name"], row
        assert row["class"] in GAZETTEER_CLASSES, row
        assert row["class"] in ENTITY_CLASSES, row
        if row["wikidata"]:
            assert qid.match(row["wikidata"]), row
        for alias in _aliases(row):
            assert alias.strip() == alias and alias, row
        assert "" not in row["aliases"].split("|") or not row["aliases"], row


def test_gazetteer_has_no_duplicate_names_or_aliases(gazetteer_rows: list[dict[str, str]]) -> None:
    seen: dict[str, str] = {}
    for row in gazetteer_rows:
        for surface in [row["name"], *_aliases(row)]:
            key = surface.casefold()
            assert key not in seen, f"{surface!r} of {row['name']!r} is also used by {seen[key]!r}"
            seen[key] = row["name"]


def test_gazetteer_has_no_duplicate_wikidata_ids(gazetteer_rows: list[dict[str, str]]) -> None:
    ids = [row["wikidata"] for row in gazetteer_rows if row["wikidata"]]
    assert len(ids) == len(set(ids))


def test_gazetteer_is_sorted_by_class_then_name(gazetteer_rows: list[dict[str, str]]) -> None:
    keys = [(row["class"], row["name"].casefold()) for row in gazetteer_rows]
    assert keys == sorted(keys)


def test_gazetteer_contents(gazetteer_rows: list[dict[str, str]]) -> None:
    by_name = {row["name"]: row for row in gazetteer_rows}
    counts: dict[str, int] = {}
    for row in gazetteer_rows:
        counts[row["class"]] = counts.get(row["class"], 0) + 1
    assert counts["Country"] == 193 + 1  # UN member states and Taiwan
    assert by_name["China"]["wikidata"] == "Q148"
    assert by_name["United Kingdom"]["wikidata"] == "Q145"
    assert {"UK", "Britain", "Great Britain"} <= set(_aliases(by_name["United Kingdom"]))
    assert {"US", "U.S.", "USA", "United States of America"} <= set(_aliases(by_name["United States"]))
    assert "UAE" in _aliases(by_name["United Arab Emirates"])
    assert by_name["Hong Kong"]["class"] == "AdministrativeArea"
    assert by_name["Macau"]["class"] == "AdministrativeArea"
    assert by_name["Shanghai"] == {
        "name": "Shanghai",
        "class": "City",
        "wikidata": "Q8686",
        "aliases": by_name["Shanghai"]["aliases"],
    }
    assert by_name["Beijing"]["wikidata"] == "Q956"
    assert {"Tesla Inc.", "Tesla, Inc."} <= set(_aliases(by_name["Tesla"]))
    # all 22 provinces and 5 autonomous regions of China, plus the two SARs
    assert counts["AdministrativeArea"] >= 29
    assert counts["City"] >= 100
    assert counts["Company"] >= 90
