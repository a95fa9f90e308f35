"""SPARQL over a graph whose literals Oxigraph's store would rewrite.

Oxigraph stores numbers, booleans and dates by value: ``"01"^^xsd:integer``
comes back as ``"1"``, ``xsd:byte`` as ``xsd:integer``, and the distinct
terms ``"1"``, ``"1.0"`` and ``"1."`` (decimals) become one (there is no
option to keep them: oxigraph/oxigraph#526). Graphs written by ``kg build``
never hold such literals; a graph from elsewhere may. For those,
:func:`kg.query.open_graph` answers with rdflib's SPARQL engine over the
literals as written, so a query sees every triple of the file: slower, and
only up to :data:`EXACT_LIMIT` quads (past it the store answers, by value).

The query is checked by the same guard as everywhere (:func:`kg.query.check_query`:
no SERVICE, FROM or update), so rdflib never reaches the network either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox

__all__ = ["EXACT_LIMIT", "rewritten_literals", "exact_dataset", "run_exact"]

#: the most quads answered with literals as written (rdflib holds ~1 KiB per quad)
EXACT_LIMIT = 1_000_000
_XSD = "http://www.w3.org/2001/XMLSchema#"
_KEPT_AS_WRITTEN = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def rewritten_literals(quads: Iterable[ox.Quad]) -> list[ox.Literal]:
    """The distinct literals of ``quads`` that an Oxigraph store would give back in
    another form (another lexical form or datatype), found by storing each typed
    literal in a scratch store and reading it back."""
    typed = {q.object for q in quads
             if isinstance(q.object, ox.Literal) and q.object.datatype.value.startswith(_XSD)
             and q.object.datatype.value not in _KEPT_AS_WRITTEN}
    if not typed:
        return []
    literals = sorted(typed, key=str)
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:kg:literal")
    scratch.bulk_extend(ox.Quad(ox.NamedNode(f"urn:kg:{i}"), predicate, lit) for i, lit in enumerate(literals))
    back = {q.subject.value: q.object for q in scratch}
    return [lit for i, lit in enumerate(literals) if back.get(f"urn:kg:{i}") != lit]


def exact_dataset(quads: Sequence[ox.Quad]) -> Any:
    """An rdflib Dataset of ``quads`` with every literal as written (the default graph
    is the file's default graph, not the union of its graphs, as in the store)."""
    from rdflib import Dataset
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from kg.rdf_parse import rdflib_term

    dataset = Dataset()
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)  # rdflib 7.1 has no Dataset.default_graph
    graphs: dict[ox.NamedNode | ox.BlankNode, Any] = {}
    for q in quads:
        s, p, o = rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)
        if s is None or o is None:
            continue  # an RDF 1.2 triple term: rdflib has none
        if isinstance(q.graph_name, ox.DefaultGraph):
            target = default
        else:
            target = graphs.get(q.graph_name)
            if target is None:
                target = graphs[q.graph_name] = dataset.graph(rdflib_term(q.graph_name))
        target.add((s, p, o))
    return dataset


def _ox(term: Any) -> Any:
    """The Oxigraph term for an rdflib one (None stays None: unbound)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected term {term!r}")


def run_exact(dataset: Any, text: str, subs: dict[str, Any]) -> tuple[str, list[str], list[dict], bool | None, list]:
    """``(kind, variables, rows, boolean, triples)`` of the checked query ``text`` over
    ``dataset``, ``subs`` (variable name → Oxigraph term) bound as initial bindings."""
    from kg.rdf_parse import rdflib_term

    result = dataset.query(text, initBindings={k: rdflib_term(v) for k, v in subs.items()} or None)
    if result.type == "ASK":
        return "ask", [], [], bool(result.askAnswer), []
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars]
        rows = [{v: _ox(row[i]) for i, v in enumerate(variables)} for row in result]
        return "select", variables, rows, None, []
    return "construct", ["subject", "predicate", "object"], [], None, [
        ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in result]
