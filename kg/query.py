"""SPARQL over a graph, through Oxigraph.

Queries get the vocabulary's prefixes (and rdf, rdfs, skos, owl, prov, xsd,
dcterms, schema) predeclared. Values come in as ``bindings`` (never formatted
into the query text). Queries never reach the network or the file system:
``SERVICE``, ``LOAD`` and ``FROM`` / ``FROM NAMED`` are refused, and updates are
not accepted here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, QueryRefusedError
from kg.rdf import PREFIXES, read_store

__all__ = ["QueryResult", "GraphFile", "open_graph", "run_query", "prologue", "check_query", "load_query_text"]

#: strings, IRIs and comments are blanked before keywords are looked for
_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
    # variables (?from) and prefixed names (ex:service) are not keywords either
    r"|[?$]\w+|(?:[^\W\d][\w.-]*)?:[\w.%-]*"
)
#: keywords, not variables (?from), prefixed names (ex:load) or prefixes (from:)
_REFUSED = re.compile(
    r"(?<![?$:\w])(SERVICE|LOAD|FROM|INSERT|DELETE|CLEAR|DROP|CREATE|COPY|MOVE|ADD|WITH|USING)(?![:\w-])", re.IGNORECASE
)
_WHY = {
    "SERVICE": "SERVICE would query a remote endpoint",
    "LOAD": "LOAD would read from the network or file system",
    "FROM": "FROM / FROM NAMED would load a graph from outside; query the graph you opened",
}


_QueryBoolean = getattr(ox, "QueryBoolean", bool)


def prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def check_query(sparql: str) -> None:
    """Raise :class:`QueryRefusedError` for anything that reaches outside the graph."""
    blanked = _LEXEMES.sub(lambda m: " " if m.group(0).startswith("#") else '""', sparql)
    for m in _REFUSED.finditer(blanked):
        word = m.group(1).upper()
        if word in _WHY:
            raise QueryRefusedError(f"query refused: {_WHY[word]}")
        # a keyword of SPARQL Update
        raise QueryRefusedError(f"query refused: {word} is SPARQL Update; `kg query` only reads the graph")


def load_query_text(query: str) -> str:
    """``query`` itself, or the content of the ``.rq``/``.sparql`` file it names."""
    if query.endswith((".rq", ".sparql")) or ("\n" not in query and _is_file(query)):
        try:
            return Path(query).read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{query}: cannot read query file ({exc.strerror})") from None
    return query


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a long one-line query is no file name
        return False


def _term(value: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(PREFIXES["xsd"] + "double"))
    text = str(value)
    try:  # rdflib URIRef and friends
        from rdflib import URIRef

        if isinstance(value, URIRef):
            return ox.NamedNode(text)
    except ImportError:  # pragma: no cover
        pass
    return ox.Literal(text)


def _py(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _shorten(iri: str) -> str:
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns):]) and p not in ("id",):
            return f"{p}:{iri[len(ns):]}"
    return f"<{iri}>"


@dataclass
class QueryResult:
    """The answer of a query: ``kind`` is ``select``, ``ask`` or ``construct``."""

    kind: str
    variables: list[str]
    rows: list[dict[str, Any]]  # oxigraph terms (None for unbound)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples or [])

    def values(self) -> list[dict[str, Any]]:
        """Rows with plain Python values (IRIs and literal values as strings)."""
        return [{k: _py(v) for k, v in row.items()} for row in self.rows]

    # -- output formats ---------------------------------------------------
    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON (or N-Triples text for CONSTRUCT)."""
        if self.kind == "ask":
            return json.dumps({"head": {}, "boolean": self.boolean})
        if self.kind == "construct":
            return self.to_ntriples()
        bindings = []
        for row in self.rows:
            b = {}
            for k, v in row.items():
                if v is None:
                    continue
                if isinstance(v, ox.NamedNode):
                    b[k] = {"type": "uri", "value": v.value}
                elif isinstance(v, ox.BlankNode):
                    b[k] = {"type": "bnode", "value": v.value}
                else:
                    entry = {"type": "literal", "value": v.value}
                    if v.language:
                        entry["xml:lang"] = v.language
                    elif v.datatype and v.datatype.value != PREFIXES["xsd"] + "string":
                        entry["datatype"] = v.datatype.value
                    b[k] = entry
            bindings.append(b)
        return json.dumps({"head": {"vars": self.variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1)

    def to_ntriples(self) -> str:
        return ox.serialize(self.triples or [], None, ox.RdfFormat.N_TRIPLES).decode("utf-8")

    def to_delimited(self, delimiter: str = ",") -> str:
        buf = io.StringIO()
        if self.kind == "ask":
            return f"{str(self.boolean).lower()}\n"
        w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
        w.writerow(self.variables)
        for row in self.rows:
            w.writerow(["" if row.get(v) is None else _py(row[v]) for v in self.variables])
        return buf.getvalue()

    def table_rows(self) -> list[list[str]]:
        """Rows as short display strings (IRIs shortened with the prefixes)."""
        out = []
        for row in self.rows:
            cells = []
            for v in self.variables:
                t = row.get(v)
                if t is None:
                    cells.append("")
                elif isinstance(t, ox.NamedNode):
                    cells.append(_shorten(t.value))
                else:
                    cells.append(str(_py(t)))
            out.append(cells)
        return out


def _values_clause(subs: dict[ox.Variable, Any]) -> str:
    """``VALUES (?a ?b) { (term term) }`` from already-constructed RDF terms."""
    names = " ".join(str(v) for v in subs)
    terms = " ".join(str(t) for t in subs.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def run_query(store: ox.Store, sparql: str, *, bindings: dict[str, Any] | None = None) -> QueryResult:
    """Run a read-only query against ``store`` with optional variable ``bindings``."""
    check_query(sparql)
    subs = {ox.Variable(k.lstrip("?$")): _term(v) for k, v in (bindings or {}).items()}
    try:
        try:
            result = store.query(prologue() + sparql, substitutions=subs or None)
        except (OSError, ValueError, RuntimeError) as exc:
            if not subs or "projection" not in str(exc):
                raise
            # Oxigraph substitutes only projected variables; bind the others with a
            # trailing VALUES clause of terms serialised by Oxigraph (never raw text)
            result = store.query(prologue() + sparql + "\n" + _values_clause(subs))
    except SyntaxError as exc:
        from kg.sparql_errors import explain

        raise QueryError(explain(sparql, str(exc), predeclared=PREFIXES, prologue_lines=prologue().count("\n"))) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None
    if isinstance(result, (bool, _QueryBoolean)):  # pyoxigraph 0.5 answers ASK with a QueryBoolean
        return QueryResult("ask", [], [], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [{v: sol[v] for v in variables} for sol in result]
        return QueryResult("select", variables, rows)
    triples = list(result)
    return QueryResult("construct", ["subject", "predicate", "object"], [], triples=triples)


@dataclass
class GraphFile:
    """A graph opened for querying: an RDF file (in memory) or a store directory (read-only)."""

    path: Path
    store: ox.Store

    def query(self, sparql: str, *, bindings: dict[str, Any] | None = None) -> QueryResult:
        return run_query(self.store, sparql, bindings=bindings)

    def __len__(self) -> int:
        return len(self.store)


def open_graph(path: str | Path) -> GraphFile:
    """Open ``path`` for querying: an RDF file (any format Oxigraph reads) or a store directory."""
    if Path(path).is_dir():
        from kg.store import open_graph_source

        return GraphFile(Path(path), open_graph_source(path))
    return GraphFile(Path(path), read_store(path))
