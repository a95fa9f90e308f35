"""SPARQL over a graph, through Oxigraph.

Queries get the vocabulary's prefixes (and rdf, rdfs, skos, owl, prov, xsd,
dcterms, schema) predeclared. Values come in as ``bindings`` (never formatted
into the query text). Queries never reach the network or the file system:
``SERVICE``, ``LOAD`` and ``FROM`` / ``FROM NAMED`` are refused, and updates are
not accepted here; :func:`check_query` decides on the parsed query.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, QueryRefusedError
from kg.rdf import PREFIXES, read_store

__all__ = ["QueryResult", "GraphFile", "open_graph", "run_query", "prologue", "check_query", "load_query_text"]

#: what each refused part of a query would reach (decided on the parse tree, never on the text)
_WHY = {
    "ServiceGraphPattern": "SERVICE would query a remote endpoint",
    "DatasetClause": "FROM / FROM NAMED would load a graph from outside; query the graph you opened",
    "Load": "LOAD would read from the network or file system",
}
#: operations of SPARQL Update, as rdflib's parser names them
_UPDATE_WORDS = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
    "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}
#: SPARQL's code point escapes, expanded before parsing (SPARQL 1.1 section 19.2)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


_QueryBoolean = getattr(ox, "QueryBoolean", bool)
#: an empty store, to check a query's syntax the way Oxigraph does before another engine runs it
_EMPTY = ox.Store()


def prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def _canonical_text(sparql: str) -> str:
    """The query as both the guard's parser and Oxigraph read it alike.

    Code point escapes are expanded once, here (each parser would expand them
    again: a query whose expansion still holds one is refused), and every line
    end becomes LF (SPARQL ends a comment at CR too, rdflib's parser only at LF).
    """

    def expand(m: re.Match[str]) -> str:
        code = int(m[1] or m[2], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"invalid SPARQL: {m[0]} is not a Unicode character")
        return chr(code)

    text = _CODEPOINT.sub(expand, sparql)
    if _CODEPOINT.search(text):
        raise QueryRefusedError("query refused: an escape (\\u…) that writes another escape cannot be checked")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parts(node: Any) -> Any:
    """Names of the grammar rules in a parse tree of rdflib's SPARQL parser."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            yield x.name
            stack.extend(x.values())
        elif isinstance(x, (list, tuple, ParseResults)):
            stack.extend(x)


def _parse_error(text: str, exc: Exception) -> QueryError:
    """The guard's parse error as the one line :func:`kg.sparql_errors.explain` writes."""
    from kg.sparql_errors import explain

    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    where = f"error at {line}:{col}: " if line else ""
    why = str(getattr(exc, "msg", None) or exc)
    why = why[:1].lower() + why[1:]  # "Expected SelectQuery" -> "expected SelectQuery"
    return QueryError(explain(text, f"{where}{why}", predeclared=PREFIXES, prologue_lines=0))


@functools.lru_cache(maxsize=512)  # the parse costs ~25 ms; a repeated query is checked once
def check_query(sparql: str) -> str:
    """The text to run for ``sparql``, after checking that it only reads the graph.

    The decision is taken on the parse tree of rdflib's SPARQL parser, not on
    the text: a ``SERVICE`` pattern or a ``FROM`` / ``FROM NAMED`` clause, an
    update (``LOAD``, ``INSERT`` …) raise :class:`QueryRefusedError`, and a
    query the guard cannot parse raises :class:`QueryError` (it is never run).
    Run the returned text (line ends and code point escapes made canonical), so
    that the engine reads what was checked.
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    text = _canonical_text(sparql)
    try:
        tree = parseQuery(text)
    except ParseBaseException as exc:
        try:
            update = parseUpdate(text)
        except (ParseBaseException, RecursionError, ValueError):
            raise _parse_error(text, exc) from None
        ops = [name for name in _parts(update) if name in _UPDATE_WORDS]
        if not ops:  # an empty text parses as an empty update: it is no query, and no update either
            raise _parse_error(text, exc) from None
        word = "LOAD" if "Load" in ops else (_UPDATE_WORDS[ops[0]] if ops else "an update")
        if word == "LOAD":
            raise QueryRefusedError(f"query refused: {_WHY['Load']}") from None
        raise QueryRefusedError(f"query refused: {word} is SPARQL Update; `kg query` only reads the graph") from None
    except RecursionError:
        raise QueryError("invalid SPARQL: the query is nested too deeply to be checked") from None
    except ValueError as exc:  # an invalid code point escape
        raise QueryError(f"invalid SPARQL: {exc}") from None
    for name in _parts(tree):
        if name in _WHY:
            raise QueryRefusedError(f"query refused: {_WHY[name]}")
    return text


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
    sparql = check_query(sparql)
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
    """A graph opened for querying: an RDF file (in memory) or a store directory (read-only).

    ``exact`` is set when the file holds literals the store would rewrite
    (:mod:`kg.query_exact`): queries then see them as written; ``notes`` says so."""

    path: Path
    store: ox.Store
    exact: Any = None
    notes: list[str] = field(default_factory=list)

    def query(self, sparql: str, *, bindings: dict[str, Any] | None = None) -> QueryResult:
        if self.exact is None:
            return run_query(self.store, sparql, bindings=bindings)
        from kg.query_exact import run_exact

        run_query(_EMPTY, sparql, bindings=bindings)  # the same syntax errors, same messages, as the store gives
        text = check_query(sparql)
        subs = {k.lstrip("?$"): _term(v) for k, v in (bindings or {}).items()}
        try:
            kind, variables, rows, boolean, triples = run_exact(self.exact, prologue() + text, subs)
        except Exception as exc:  # noqa: BLE001 - rdflib's evaluation errors have no common base
            raise QueryError(f"query failed: {type(exc).__name__}: {exc}") from None
        return QueryResult(kind, variables, rows, boolean=boolean, triples=triples if kind == "construct" else None)

    def __len__(self) -> int:
        return len(self.store)


def open_graph(path: str | Path) -> GraphFile:
    """Open ``path`` for querying: an RDF file (any format Oxigraph reads) or a store directory."""
    if Path(path).is_dir():
        from kg.store import open_graph_source

        return GraphFile(Path(path), open_graph_source(path))
    from kg.query_exact import EXACT_LIMIT, exact_dataset, rewritten_literals
    from kg.rdf import format_for
    from kg.rdf_parse import parse_rdf

    quads = parse_rdf(path, format_for(path))
    store = read_store(path, quads=quads)
    rewritten = rewritten_literals(quads)
    if not rewritten:
        return GraphFile(Path(path), store)
    example = rewritten[0]
    what = f"{len(rewritten)} literal{'s' if len(rewritten) != 1 else ''} written in a form Oxigraph rewrites (such as {example})"
    if len(quads) > EXACT_LIMIT:
        return GraphFile(Path(path), store, notes=[
            f"{path}: {what}; over {EXACT_LIMIT:,} quads they are matched by value (\"01\" as \"1\")"])
    return GraphFile(Path(path), store, exact=exact_dataset(quads), notes=[
        f"{path}: {what}; answering with rdflib so they stay as written (slower)"])
