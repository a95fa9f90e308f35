"""Read a graph written by ``kg build`` back into a :class:`~kg.graph.KnowledgeGraph`.

The inverse of :func:`kg.rdf.graph_quads`: entities, documents, reified
statements with their evidence, and observations are read with SPARQL from an
Oxigraph store (a file is loaded first). Used by ``kg export`` and ``kg stats``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from kg.graph import Entity, Evidence, KnowledgeGraph, Observation, RunInfo, Statement
from kg.model import DocInfo
from kg.query import run_query
from kg.rdf import format_for
from kg.rdf_parse import parse_rdf
from kg.vocab import ENTITY_CLASSES, VOCAB_IRI

__all__ = ["graph_from_store", "graph_from_foreign_store", "read_graph"]

_ENTITIES = """
SELECT ?e ?cls ?label WHERE { ?e a ?cls ; rdfs:label ?label . VALUES ?cls { %s } }
""" % " ".join(f"kg:{c}" for c in ENTITY_CLASSES)
_ALT = "SELECT ?e ?alt WHERE { ?e skos:altLabel ?alt . ?e kg:mentionCount ?n }"
_SAME = "SELECT ?e ?same WHERE { ?e owl:sameAs ?same . ?e kg:mentionCount ?n }"
_MENTIONS = "SELECT ?e ?doc ?n WHERE { ?e kg:mention ?m . ?m kg:document ?doc ; kg:mentionCount ?n }"
_DOCS = """
SELECT ?d ?src ?title ?date ?url WHERE {
  ?d a kg:Document ; kg:sourceFile ?src .
  OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d dcterms:date ?date } OPTIONAL { ?d schema:url ?url }
}"""
_STATEMENTS = """
SELECT ?st ?s ?p ?o ?role ?ptext WHERE {
  ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?st kg:role ?role } OPTIONAL { ?st kg:predicateText ?ptext }
}"""
_EVIDENCE = """
SELECT ?owner ?doc ?sentence ?ss ?se ?x ?c ?subs ?sube ?objs ?obje WHERE {
  ?owner kg:evidence ?ev . ?ev prov:wasDerivedFrom ?doc ; kg:sentence ?sentence ;
    kg:sentenceStart ?ss ; kg:sentenceEnd ?se ; kg:extractor ?x ; kg:confidence ?c .
  OPTIONAL { ?ev kg:subjectStart ?subs } OPTIONAL { ?ev kg:subjectEnd ?sube }
  OPTIONAL { ?ev kg:objectStart ?objs } OPTIONAL { ?ev kg:objectEnd ?obje }
}"""
_OBSERVATIONS = """
SELECT ?ob ?e ?measure ?value ?unit ?date WHERE {
  ?e kg:observation ?ob . ?ob kg:measure ?measure ; kg:value ?value ; kg:unit ?unit .
  OPTIONAL { ?ob kg:date ?date }
}"""
_RUN = "SELECT ?run ?t ?v ?c WHERE { ?run a kg:BuildRun ; prov:startedAtTime ?t ; kg:softwareVersion ?v . OPTIONAL { ?run rdfs:comment ?c } }"


def _v(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def _int(term: object) -> int | None:
    return None if term is None else int(term.value)  # type: ignore[attr-defined]


def graph_from_store(store: ox.Store, quads: list[ox.Quad] | None = None) -> KnowledgeGraph:
    """Rebuild the :class:`KnowledgeGraph` held in ``store``; a graph in another
    vocabulary (``kg build --ontology``, any RDF) is read by
    :func:`graph_from_foreign_store` (from ``quads``, the file's quads as
    written, when given: the store canonicalises literals). A build without
    entities (it has its ``kg:BuildRun``) is an empty graph, not foreign RDF."""
    q = lambda text: run_query(store, text).rows  # noqa: E731
    entities: dict[str, Entity] = {}
    for row in q(_ENTITIES):
        iri = row["e"].value
        cls = row["cls"].value[len(VOCAB_IRI):]
        entities.setdefault(iri, Entity(iri=iri, label=row["label"].value, cls=cls))
    if not entities and len(store) and not q(_RUN):
        return graph_from_foreign_store(store, quads)
    alts: dict[str, list[str]] = defaultdict(list)
    for row in q(_ALT):
        alts[row["e"].value].append(row["alt"].value)
    same: dict[str, list[str]] = defaultdict(list)
    for row in q(_SAME):
        link = row["same"].value  # a Wikidata id is kept as "Q…", any other link (GeoNames) as its IRI
        same[row["e"].value].append(link.rsplit("/", 1)[-1] if link.startswith("http://www.wikidata.org/entity/") else link)
    for row in q(_MENTIONS):
        e = entities.get(row["e"].value)
        if e is not None:
            e.mentions[row["doc"].value] = int(row["n"].value)
    for iri, e in entities.items():
        e.alt_labels = tuple(sorted(alts.get(iri, ())))
        e.same_as = tuple(sorted(same.get(iri, ())))
        e.mentions = dict(sorted(e.mentions.items()))

    from kg.iri import document_iri

    documents = []
    for row in q(_DOCS):
        iri = row["d"].value
        prefix = document_iri("")
        doc_id = iri[len(prefix):] if iri.startswith(prefix) else iri
        from urllib.parse import unquote

        documents.append(DocInfo(unquote(doc_id), row["src"].value, _v(row["title"]), _v(row["date"]), _v(row["url"])))
    documents.sort(key=lambda d: d.id)

    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for row in q(_EVIDENCE):
        evidence[row["owner"].value].append(_evidence_of(row))
    statements = []
    for row in q(_STATEMENTS):
        p = row["p"].value
        statements.append(
            Statement(
                subject=row["s"].value,
                property=p[len(VOCAB_IRI):] if p.startswith(VOCAB_IRI) else p,
                object=row["o"].value,
                evidence=sorted(evidence.get(row["st"].value, []), key=lambda e: (e.document, e.sent_start, e.extractor)),
                role=_v(row["role"]),
                predicate_text=_v(row["ptext"]),
            )
        )
    statements.sort(key=lambda s: (s.subject, s.property, s.object, s.role or "", s.predicate_text or ""))
    observations = [
        Observation(
            subject=row["e"].value,
            measure=row["measure"].value,
            value=row["value"].value,
            unit=row["unit"].value,
            date=_v(row["date"]),
            evidence=evidence.get(row["ob"].value, []),
        )
        for row in q(_OBSERVATIONS)
    ]
    observations.sort(key=lambda o: (o.subject, o.measure, o.value))
    run = None
    for row in q(_RUN):
        comment = _v(row["c"]) or ""
        run = RunInfo(id=row["run"].value.rsplit("/", 1)[-1], started=row["t"].value, software_version=row["v"].value,
                      model=comment.rsplit(" ", 1)[-1] if comment else "")
    return KnowledgeGraph(
        documents=documents,
        entities=sorted(entities.values(), key=lambda e: e.iri),
        statements=statements,
        observations=observations,
        run=run,
    )


def _evidence_of(row: dict) -> Evidence:
    return Evidence(
        document=row["doc"].value,
        sentence=row["sentence"].value,
        sent_start=int(row["ss"].value),
        sent_end=int(row["se"].value),
        extractor=row["x"].value,
        confidence=float(row["c"].value),
        subject_start=_int(row["subs"]),
        subject_end=_int(row["sube"]),
        object_start=_int(row["objs"]),
        object_end=_int(row["obje"]),
    )


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: reified triples (rdf:Statement) with kg:evidence, in any graph (``kg build --ontology`` writes them)
_FOREIGN_EVIDENCE = """
SELECT ?s ?p ?o ?doc ?sentence ?ss ?se ?x ?c ?subs ?sube ?objs ?obje WHERE {
  GRAPH ?g {
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?ev .
    ?ev prov:wasDerivedFrom ?doc ; kg:sentence ?sentence ; kg:sentenceStart ?ss ; kg:sentenceEnd ?se ;
      kg:extractor ?x ; kg:confidence ?c .
    OPTIONAL { ?ev kg:subjectStart ?subs } OPTIONAL { ?ev kg:subjectEnd ?sube }
    OPTIONAL { ?ev kg:objectStart ?objs } OPTIONAL { ?ev kg:objectEnd ?obje }
  }
}"""
_FOREIGN_DOCS = "SELECT ?d ?src WHERE { GRAPH ?g { ?d a kg:Document ; kg:sourceFile ?src } }"


def _local(iri: str) -> str:
    from urllib.parse import unquote

    return unquote(iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]) or iri


def graph_from_foreign_store(store: ox.Store, quads: list[ox.Quad] | None = None) -> KnowledgeGraph:
    """A :class:`KnowledgeGraph` view of RDF in any vocabulary (its default graph).

    Every IRI that has a type, or links to or from one, is an entity, of the
    class its (first) type names and labelled by ``rdfs:label`` or its IRI's
    last part; a triple between two IRIs is a statement named by its
    property's local name; a literal value is an observation. Evidence comes
    from reified triples (``rdf:Statement`` with ``kg:evidence``) in named
    graphs, as ``kg build --ontology`` writes it. Values are read from
    ``quads`` (literals as written) when given, else from the store.
    """
    default = ox.DefaultGraph()
    source = store.quads_for_pattern(None, None, None, default) if quads is None else quads
    types: dict[str, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    links: list[tuple[str, str, str]] = []
    values: list[tuple[str, str, ox.Literal]] = []
    for quad in source:
        if quad.graph_name != default:
            continue
        s, p, o = quad.subject, quad.predicate.value, quad.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == _RDF_TYPE and isinstance(o, ox.NamedNode):
            types[s.value].append(o.value)
        elif p == _RDFS_LABEL and isinstance(o, ox.Literal):
            labels.setdefault(s.value, o.value)
        elif isinstance(o, ox.NamedNode):
            links.append((s.value, p, o.value))
        elif isinstance(o, ox.Literal):
            values.append((s.value, p, o))
    nodes = set(types) | {s for s, _, _ in links} | {o for _, _, o in links}
    entities = [Entity(iri=iri, label=labels.get(iri) or _local(iri),
                       cls=_local(sorted(types[iri])[0]) if types.get(iri) else "Thing")
                for iri in sorted(nodes)]
    evidence: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    documents: dict[str, DocInfo] = {}
    for row in run_query(store, _FOREIGN_EVIDENCE).rows:
        o = row["o"]
        evidence[(row["s"].value, row["p"].value, o.value)].append(_evidence_of(row))
    for row in run_query(store, _FOREIGN_DOCS).rows:
        documents.setdefault(row["d"].value, DocInfo(_local(row["d"].value), row["src"].value))
    order = lambda ev: (ev.document, ev.sent_start, ev.extractor)  # noqa: E731
    statements = [Statement(subject=s, property=_local(p), object=o, evidence=sorted(evidence.get((s, p, o), []), key=order))
                  for s, p, o in sorted(set(links))]
    observations = sorted(
        (Observation(subject=s, measure=_local(p), value=lit.value,
                     unit=_local(lit.datatype.value) if lit.datatype and not lit.language else "", date=None,
                     evidence=sorted(evidence.get((s, p, lit.value), []), key=order))
         for s, p, lit in values if s in nodes),
        key=lambda ob: (ob.subject, ob.measure, ob.value))
    return KnowledgeGraph(documents=sorted(documents.values(), key=lambda d: d.id), entities=entities,
                          statements=statements, observations=observations)


def read_graph(path: str | Path, *, format: ox.RdfFormat | None = None, base: str | None = None) -> KnowledgeGraph:
    """Load an RDF file written by ``kg build`` (or any RDF) as a :class:`KnowledgeGraph`,
    through the guarded parser, literals as written (``format``: else the extension's;
    ``base``: what relative IRIs resolve against, else the file's URI)."""
    quads = parse_rdf(path, format or format_for(path), base=base)
    store = ox.Store()
    store.bulk_extend(quads)
    return graph_from_store(store, quads)
