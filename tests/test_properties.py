"""Property tests (Hypothesis): any text round-trips through every RDF syntax and export;
the same input builds the same graph twice."""

from __future__ import annotations

import json
import xml.parsers.expat
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.chars import xml_safe
from kg.graph import Entity, Evidence, KnowledgeGraph, Statement
from kg.iri import document_iri
from kg.model import DocInfo

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SYNTAXES = [".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"]
A = "https://w3id.org/wild-goose/id/company/a"
B = "https://w3id.org/wild-goose/id/person/b"

any_text = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), min_size=1, max_size=40)


def _graph(label: str, title: str, sentence: str) -> KnowledgeGraph:
    doc = DocInfo("d/" + title[:10], "src" + title[:10] + ".txt", title=title)
    ev = Evidence(document_iri(doc.id), sentence, 0, len(sentence), "kg.test.v1", 0.5, 0, 1, 2, 3)
    return KnowledgeGraph(
        documents=[doc],
        entities=[Entity(A, label, "Company", alt_labels=(sentence,), mentions={document_iri(doc.id): 1}),
                  Entity(B, "Bob", "Person")],
        statements=[Statement(B, "worksFor", A, evidence=[ev], role=title, predicate_text=label)],
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=any_text, title=any_text, sentence=any_text)
def test_any_text_round_trips_through_every_syntax(tmp_path: Path, label: str, title: str, sentence: str) -> None:
    graph = _graph(label, title, sentence)
    for suffix in SYNTAXES:
        path = graph.write(tmp_path / f"g{suffix}")
        if suffix == ".rdf":
            xml.parsers.expat.ParserCreate().Parse(path.read_bytes(), True)
        fmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML}[suffix]
        quads = list(ox.parse(path=str(path), format=fmt))
        labels = {q.object.value for q in quads if q.subject.value == A and q.predicate.value == RDFS_LABEL}
        assert labels == {xml_safe(label)}, suffix
        literals = {q.object.value for q in quads if isinstance(q.object, ox.Literal)}
        assert {xml_safe(title), xml_safe(sentence)} <= literals, suffix


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=any_text, sentence=any_text)
def test_any_label_survives_every_xml_and_json_export(tmp_path: Path, label: str, sentence: str) -> None:
    from kg.export.registry import export

    graph = _graph(label, "t", sentence)
    for fmt, suffix in (("graphml", ".graphml"), ("gexf", ".gexf")):
        (path,) = export(graph, fmt, tmp_path / f"g{suffix}")
        xml.parsers.expat.ParserCreate().Parse(path.read_bytes(), True)
    for fmt in ("cytoscape", "d3", "jsonld"):
        for path in export(graph, fmt, tmp_path / f"g-{fmt}.json"):
            json.loads(path.read_text(encoding="utf-8"))


words = st.lists(st.sampled_from(["Alice", "Smith", "works", "for", "Acme", "Corp", "in", "Paris", "Bob", "Jones",
                                  "joined", "Globex", "Group", "the", "company", "said", ".", ",", "Berlin", "Ltd."]),
                 min_size=3, max_size=30)


@pytest.mark.model
@settings(max_examples=4, deadline=None)
@given(texts=st.lists(words.map(" ".join), min_size=1, max_size=3))
def test_the_same_input_builds_the_same_graph_twice(texts: list[str]) -> None:
    import kg
    from kg.model import Document, Paragraph

    docs = [Document(DocInfo(f"d{k}", f"d{k}.txt"), (Paragraph(t, 0),)) for k, t in enumerate(texts)]

    def canonical() -> set[str]:
        quads = kg.build(documents=docs).quads()
        return {str(q) for q in quads if q.predicate.value != "http://www.w3.org/ns/prov#startedAtTime"}

    assert canonical() == canonical()
