"""Hand-built graphs for the export tests: small, with statements, and hostile."""

from __future__ import annotations

import pytest

from kg.graph import Entity, Evidence, KnowledgeGraph, RunInfo, Statement
from kg.iri import document_iri, entity_iri
from kg.model import DocInfo

DOC_A = DocInfo("news/a", "corpus/news.jsonl", "Lingang opens a port", "2024-04-15", "https://example.org/a")
DOC_B = DocInfo("news/b", "corpus/news.jsonl", "Tesla in Shanghai", "2024-05-01T08:00:00", None)


def _ev(doc: DocInfo, sentence: str, confidence: float, start: int = 0, extractor: str = "kg.test.v1") -> Evidence:
    return Evidence(
        document=document_iri(doc.id), sentence=sentence, sent_start=start, sent_end=start + len(sentence),
        extractor=extractor, confidence=confidence,
    )


def _entity(cls: str, label: str, alts: tuple[str, ...] = (), same_as: tuple[str, ...] = (), **mentions: int) -> Entity:
    docs = {document_iri({"a": DOC_A, "b": DOC_B}[k].id): n for k, n in sorted(mentions.items())}
    return Entity(iri=entity_iri(cls, label), label=label, cls=cls, alt_labels=alts, same_as=same_as, mentions=docs)


def make_small_graph() -> KnowledgeGraph:
    """Five entities (one isolated), five statements (two parallel), evidence from two documents."""
    lingang = _entity("EconomicZone", "Lingang New Area", ("Lingang", "Lingang Special Area"), ("Q10883578",), a=3, b=1)
    shanghai = _entity("City", "Shanghai", ("Hu",), ("Q8686",), a=2, b=2)
    tesla = _entity("Company", "Tesla", (), ("Q478214",), b=3)
    musk = _entity("Person", "Elon Musk", ("Musk",), (), b=1)
    museum = _entity("Facility", "China Maritime Museum", (), (), a=1)
    s1 = "Lingang New Area is located in Shanghai."
    s2 = "Tesla opened its Gigafactory in Lingang."
    s3 = "Elon Musk, chief executive of Tesla, visited Shanghai."
    statements = [
        Statement(lingang.iri, "locatedIn", shanghai.iri, [_ev(DOC_A, s1, 0.9), _ev(DOC_B, s1, 0.5, 40)]),
        Statement(tesla.iri, "operatesIn", lingang.iri, [_ev(DOC_B, s2, 0.7)], predicate_text="opened its Gigafactory in"),
        Statement(tesla.iri, "investedIn", lingang.iri, [_ev(DOC_B, s2, 0.35, extractor="kg.verbs.v1")]),
        Statement(musk.iri, "worksFor", tesla.iri, [_ev(DOC_B, s3, 0.8, 90)], role="chief executive"),
        Statement(musk.iri, "relatedTo", shanghai.iri, [_ev(DOC_B, s3, 0.2, 90, "kg.cooccurrence.v1")]),
    ]
    entities = sorted([lingang, shanghai, tesla, musk, museum], key=lambda e: e.iri)
    statements.sort(key=lambda s: (s.subject, s.property, s.object, s.role or "", s.predicate_text or ""))
    return KnowledgeGraph(
        documents=[DOC_A, DOC_B], entities=entities, statements=statements,
        run=RunInfo(id="test-run", started="2024-06-01T00:00:00", software_version="0.1.0", model="test"),
    )


#: labels that break naive XML, JSON, CSV, DOT or HTML writers
NASTY_LABELS = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    'Quote "double" and \'single\' & ampersand; semi|pipe',
    "Control\x00\x01\x08\x0b\x0c\x1b\x7f chars\ttab\nnewline\r\nCRLF",
    "Non-BMP \U0001F600 \U0001D54A \U00020000 emoji",
    "Line\u2028separator\u2029para <!-- comment --> ]]> \\backslash\\",
    "=HYPERLINK(\"http://evil\") ${jndi} {{template}}",
    "Lone surrogate \ud800 here",
]


def make_nasty_graph() -> KnowledgeGraph:
    """Every label, alias, role and evidence sentence is hostile."""
    entities = []
    for i, label in enumerate(NASTY_LABELS):
        cls = ["Company", "Person", "City", "Organization"][i % 4]
        entities.append(
            Entity(
                iri=entity_iri(cls, f"nasty {i}"), label=label, cls=cls, alt_labels=(NASTY_LABELS[(i + 1) % len(NASTY_LABELS)], "alias|with;delims"),
                mentions={document_iri(DOC_A.id): i + 1},
            )
        )
    entities.sort(key=lambda e: e.iri)
    statements = []
    for i in range(len(entities) - 1):
        sentence = NASTY_LABELS[(i + 2) % len(NASTY_LABELS)]
        statements.append(
            Statement(entities[i].iri, "relatedTo", entities[i + 1].iri, [_ev(DOC_A, sentence, 0.5)],
                      role=NASTY_LABELS[(i + 3) % len(NASTY_LABELS)], predicate_text=NASTY_LABELS[i])
        )
    title_doc = DocInfo(DOC_A.id, DOC_A.source, NASTY_LABELS[0], None, None)
    return KnowledgeGraph(documents=[title_doc], entities=entities, statements=statements)


@pytest.fixture
def small_graph() -> KnowledgeGraph:
    return make_small_graph()


@pytest.fixture
def nasty_graph() -> KnowledgeGraph:
    return make_nasty_graph()


@pytest.fixture(scope="session")
def example_rdf_graph(example_ttl) -> KnowledgeGraph:
    """The example corpus's graph as ``kg export`` sees it: read back from its RDF file."""
    from kg.rdf_read import read_graph

    return read_graph(example_ttl)


def make_large_graph(n_nodes: int = 5000, n_edges: int = 6000, *, components: int = 1, seed: int = 1) -> KnowledgeGraph:
    """A synthetic graph: ``components`` random trees plus extra edges, with several classes."""
    import random

    rng = random.Random(seed)
    classes = ["Person", "Company", "City", "Organization", "EconomicZone", "Event", "Facility", "Program"]
    doc = document_iri(DOC_A.id)
    entities = [
        Entity(iri=entity_iri(classes[i % len(classes)], f"entity {i}"), label=f"Entity {i}", cls=classes[i % len(classes)],
               alt_labels=(f"E{i}",), mentions={doc: 1 + i % 5})
        for i in range(n_nodes)
    ]
    comp = [i % components for i in range(n_nodes)]
    members: dict[int, list[int]] = {}
    for i, c in enumerate(comp):
        members.setdefault(c, []).append(i)
    pairs = set()
    for ids in members.values():
        for k in range(1, len(ids)):
            pairs.add((ids[k], ids[rng.randrange(k)]))
    while len(pairs) < n_edges:
        ids = members[rng.randrange(components)]
        a, b = rng.choice(ids), rng.choice(ids)
        if a != b:
            pairs.add((a, b))
    props = ["locatedIn", "partOf", "worksFor", "relatedTo", "partnerOf", "operatesIn"]
    statements = [
        Statement(entities[a].iri, props[(a + b) % len(props)], entities[b].iri,
                  [_ev(DOC_A, f"Entity {a} and Entity {b}.", round(0.1 + 0.8 * rng.random(), 2))])
        for a, b in sorted(pairs)
    ]
    return KnowledgeGraph(documents=[DOC_A], entities=entities, statements=statements)
