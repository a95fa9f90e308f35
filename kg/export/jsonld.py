"""JSON-LD: the whole RDF graph, compacted with a small ``@context``.

Every triple that ``kg build`` writes is kept (entities, documents, reified
statements with their evidence, observations, the build run), so the file
parses back with rdflib or Oxigraph into a graph isomorphic to
:meth:`KnowledgeGraph.to_rdflib`. The context maps the vocabulary to bare
names (``@vocab``), declares the usual prefixes, and types the common
properties (IRIs, integers, decimals), so a node reads like::

    {"@id": "id:company/tesla", "@type": "Company", "label": "Tesla",
     "mentionCount": "3", "locatedIn": "id:city/shanghai"}

A value that does not fit its term's type is written in expanded form under a
prefixed key, so nothing is coerced wrongly. Output is sorted: the same graph
gives the same bytes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.export.common import sanitized
from kg.export.registry import exporter
from kg.rdf import PREFIXES, atomic_write
from kg.vocab import CORE_RELATIONS, VOCAB_IRI

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["CONTEXT", "jsonld_data", "write_jsonld"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = PREFIXES["xsd"]

_IRI_TERMS = {
    "sameAs": "owl:sameAs",
    "wasDerivedFrom": "prov:wasDerivedFrom",
    "wasGeneratedBy": "prov:wasGeneratedBy",
    "wasAssociatedWith": "prov:wasAssociatedWith",
    "subject": "rdf:subject",
    "predicate": "rdf:predicate",
    "object": "rdf:object",
    **{name: f"kg:{name}" for name in ("mentionedIn", "mention", "document", "evidence", "observation")},
    **{name: f"kg:{name}" for name in CORE_RELATIONS},
}
_TYPED_TERMS = {
    **{name: ("kg:" + name, "xsd:integer") for name in (
        "mentionCount", "documentCount", "sentenceStart", "sentenceEnd",
        "subjectStart", "subjectEnd", "objectStart", "objectEnd",
    )},
    "confidence": ("kg:confidence", "xsd:decimal"),
    "value": ("kg:value", "xsd:decimal"),
    "startedAtTime": ("prov:startedAtTime", "xsd:dateTime"),
}

#: the ``@context`` of every JSON-LD export
CONTEXT: dict[str, Any] = {
    "@vocab": VOCAB_IRI,
    **PREFIXES,
    "label": "rdfs:label",
    "comment": "rdfs:comment",
    "altLabel": "skos:altLabel",
    "title": "dcterms:title",
    **{name: {"@id": iri, "@type": "@id"} for name, iri in _IRI_TERMS.items()},
    **{name: {"@id": iri, "@type": dt} for name, (iri, dt) in _TYPED_TERMS.items()},
}


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


# full property IRI → (term, coercion: None for plain strings, "@id", or a datatype IRI)
_TERMS: dict[str, tuple[str, str | None]] = {}
for _name, _def in CONTEXT.items():
    if _name.startswith("@") or _name in PREFIXES:
        continue
    if isinstance(_def, str):
        _TERMS[_expand(_def)] = (_name, None)
    else:
        _TERMS[_expand(_def["@id"])] = (_name, _def["@type"] if _def["@type"] == "@id" else _expand(_def["@type"]))
_DEFINED = {name for name in CONTEXT if not name.startswith("@")}
_NAMESPACES = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def _curie(iri: str) -> str:
    """``iri`` as ``prefix:local`` when a declared namespace covers it, else as is."""
    for ns, prefix in _NAMESPACES:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _vocab_term(iri: str) -> str:
    """A class or property IRI as the context writes it (bare name for the vocabulary)."""
    if iri.startswith(VOCAB_IRI):
        local = iri[len(VOCAB_IRI):]
        if local and local not in _DEFINED and ":" not in local and not local.startswith("@"):
            return local
    return _curie(iri)


def _node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else _curie(term.value)


def _key_and_value(p: str, o: Any) -> tuple[str, Any]:
    term, coercion = _TERMS.get(p, (None, None))
    if isinstance(o, (ox.NamedNode, ox.BlankNode)):
        if term and coercion == "@id":
            return term, _node_id(o)
        return _vocab_term(p) if not term else _curie(p), {"@id": _node_id(o)}
    value = o.value
    if o.language:
        return (_curie(p) if term else _vocab_term(p)), {"@value": value, "@language": o.language}
    datatype = o.datatype.value
    if term and coercion == datatype:
        return term, value
    if datatype == XSD + "string":
        if term and coercion is None:
            return term, value
        return (_curie(p) if term else _vocab_term(p)), value
    return (_curie(p) if term else _vocab_term(p)), {"@value": value, "@type": _curie(datatype)}


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def jsonld_data(graph: "KnowledgeGraph") -> dict[str, Any]:
    """The graph as a compacted JSON-LD document (``@context`` and ``@graph``)."""
    nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    ids: dict[str, str] = {}
    for quad in sanitized(graph).quads():
        s = _node_id(quad.subject)
        ids[s] = s
        p = quad.predicate.value
        if p == RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            nodes[s]["@type"].append(_vocab_term(quad.object.value))
            continue
        key, value = _key_and_value(p, quad.object)
        nodes[s][key].append(value)
    out = []
    for s in sorted(nodes):
        node: dict[str, Any] = {"@id": s}
        props = nodes[s]
        for key in sorted(props, key=lambda k: (k != "@type", k)):
            values = sorted(props[key], key=_sort_key)
            node[key] = values[0] if len(values) == 1 else values
        out.append(node)
    return {"@context": CONTEXT, "@graph": out}


@exporter("jsonld", suffix=".jsonld", description="JSON-LD with a compact @context: every RDF triple")
def write_jsonld(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    text = json.dumps(jsonld_data(graph), ensure_ascii=False, indent=1) + "\n"
    return [atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))]
