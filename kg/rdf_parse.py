"""The one guarded parser for every RDF file the user brings.

``kg query``, ``kg export``, ``kg stats``, ``kg validate``, ``kg serve`` and
``kg build --ontology`` read RDF through :func:`parse_rdf`:

* nothing is fetched: Oxigraph's parsers load no remote JSON-LD ``@context``
  and expand no external XML entity;
* relative IRIs resolve against the file's own URI (its base IRI);
* literals stay as written (``"01"^^xsd:integer`` is not made ``"1"``);
* RDF/XML that declares entities, JSON-LD nested deeper than Python's JSON
  decoder goes and any file over :data:`IN_PROCESS_BYTES` are parsed in a
  child process with an address-space limit (``RLIMIT_AS``) and a time limit,
  so an entity bomb, a document nested 20,000 deep or a huge literal ends in a
  :class:`~kg.errors.GraphFormatError` naming the file, never in a hang, an
  abort (SIGABRT) or an exhausted machine. The child hands the quads back as
  N-Quads, which are read here by Oxigraph's linear N-Quads parser.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import GraphFormatError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["parse_rdf", "parse_rdf_graph", "rdflib_term", "sniff_formats", "base_iri", "PARSE_MEMORY_BYTES", "PARSE_SECONDS", "IN_PROCESS_BYTES"]

#: address space a child parse may use (``KG_PARSE_MEMORY_MB`` overrides it)
PARSE_MEMORY_BYTES = int(os.environ.get("KG_PARSE_MEMORY_MB", "1024")) * 2**20
#: seconds a child parse may take (``KG_PARSE_SECONDS`` overrides it)
PARSE_SECONDS = float(os.environ.get("KG_PARSE_SECONDS", "60"))
#: files of a line-based or Turtle-family syntax up to this size are parsed in this process
IN_PROCESS_BYTES = 16 * 2**20
#: syntaxes whose parsers expand entities or nest (parsed in a child whatever their size)
_ISOLATED = (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD)


def base_iri(path: str | Path) -> str:
    """The URI of ``path``: the base its relative IRIs resolve against."""
    return Path(path).resolve().as_uri()


def parse_rdf(path: str | Path, fmt: ox.RdfFormat, *, base: str | None = None, memory: int | None = None,
              seconds: float | None = None) -> list[ox.Quad]:
    """The quads of the RDF file ``path`` in syntax ``fmt``, literals as written.

    Relative IRIs resolve against ``base`` (by default the file's URI). Raises
    :class:`GraphFormatError` (``path: problem``) for a missing, unreadable,
    malformed or oversized file.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise GraphFormatError(f"{path}: not a regular file")
    except FileNotFoundError:
        raise GraphFormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise GraphFormatError(f"{path}: cannot read ({exc.strerror})") from None
    base = base or base_iri(path)
    if size > IN_PROCESS_BYTES or _hostile_shape(path, fmt):
        data = _parse_in_child(path, fmt, base, memory or PARSE_MEMORY_BYTES, seconds or PARSE_SECONDS)
        return _xml_literals(list(ox.parse(data, ox.RdfFormat.N_QUADS)), fmt)
    try:
        return _xml_literals(list(ox.parse(path=str(path), format=fmt, base_iri=base)), fmt)
    except (SyntaxError, ValueError) as exc:
        raise GraphFormatError(f"{path}: cannot parse as {fmt.name}: {exc}") from None
    except MemoryError as exc:
        raise GraphFormatError(f"{path}: too large to parse as {fmt.name} ({exc or 'out of memory'}); refused") from None
    except OSError as exc:
        raise GraphFormatError(f"{path}: cannot read ({exc.strerror or exc})") from None


#: the start of an RDF/XML document: a declaration, a doctype or comment, or an element with namespaces
_XML_START = re.compile(rb"<(?:\?xml|!|[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?\s[^>]*xmlns)")


def sniff_formats(head: bytes) -> list[ox.RdfFormat]:
    """The syntaxes to try, in order, for RDF starting with ``head`` (no name says which):
    RDF/XML, JSON-LD, else TriG (which reads Turtle and N-Triples too) then N-Quads.

    >>> [f.name for f in sniff_formats(b'@prefix ex: <http://ex.org/> .')]
    ['TriG', 'N-Quads']
    >>> [f.name for f in sniff_formats(b'\\xef\\xbb\\xbf  <?xml version="1.0"?>')]
    ['RDF/XML']
    """
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if _XML_START.match(start):
        return [ox.RdfFormat.RDF_XML]
    if start[:1] in (b"{", b"["):
        return [ox.RdfFormat.JSON_LD]
    return [ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS]


def rdflib_term(t: object) -> object:
    """The rdflib term for an Oxigraph term, a literal exactly as written (rdflib would
    otherwise rewrite ``"01"^^xsd:integer`` as ``"1"``); None for an RDF 1.2 triple term,
    which rdflib has not."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language, normalize=False)
        return Literal(t.value, datatype=URIRef(t.datatype.value), normalize=False)
    return None


def parse_rdf_graph(path: str | Path, fmt: ox.RdfFormat) -> "Graph":
    """The triples of ``path`` (of all its graphs) in an rdflib graph, read by
    :func:`parse_rdf` and handed over term by term (:func:`rdflib_term`)."""
    from rdflib import Graph

    graph = Graph()
    for q in parse_rdf(path, fmt):
        s, p, o = rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)
        if s is not None and o is not None:
            graph.add((s, p, o))
    return graph


def _xml_literals(quads: list[ox.Quad], fmt: ox.RdfFormat) -> list[ox.Quad]:
    """RDF/XML's ``rdf:parseType="Literal"`` values in canonical XML (RDF 1.1 XML
    Syntax 7.2.17): Oxigraph copies every in-scope namespace onto the literal's
    elements, canonical XML keeps only those the literal uses."""
    if fmt is not ox.RdfFormat.RDF_XML:
        return quads
    import xml.etree.ElementTree as ET

    out = []
    for q in quads:
        o = q.object
        if isinstance(o, ox.Literal) and o.datatype.value == _XML_LITERAL and "xmlns" in o.value:
            try:
                text = ET.canonicalize(f"<kg-literal>{o.value}</kg-literal>")
                q = ox.Quad(q.subject, q.predicate, ox.Literal(text[12:-13], datatype=o.datatype), q.graph_name)
            except ET.ParseError:
                pass  # kept as Oxigraph read it
        out.append(q)
    return out


_XML_LITERAL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral"


def _hostile_shape(path: Path, fmt: ox.RdfFormat) -> bool:
    """Whether a small file may still blow up its parser: RDF/XML that declares
    entities, JSON-LD nested deeper than Python's JSON decoder goes."""
    if fmt not in _ISOLATED:
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return False  # the parser reports it
    if fmt is ox.RdfFormat.RDF_XML:
        return b"<!ENTITY" in data
    try:
        json.loads(data)
    except RecursionError:
        return True
    except ValueError:
        pass  # not JSON: Oxigraph says where
    return False


def _parse_in_child(path: Path, fmt: ox.RdfFormat, base: str, memory: int, seconds: float) -> bytes:
    cmd = [sys.executable, "-m", "kg.rdf_parse", str(path), fmt.file_extension, base, str(memory)]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=seconds, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise GraphFormatError(f"{path}: parsing as {fmt.name} took over {seconds:g}s; refused "
                               "(an entity bomb or a document too deeply nested?)") from None
    if done.returncode == 0:
        return done.stdout
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    if done.returncode == 2 and message:
        raise GraphFormatError(f"{path}: {message[-1]}")
    raise GraphFormatError(f"{path}: parsing as {fmt.name} needed over {memory // 2**20} MB of memory or crashed "
                           f"(exit {done.returncode}); refused (an entity bomb, a huge literal or deep nesting?)")


def _child(argv: list[str]) -> int:
    """``python -m kg.rdf_parse PATH EXT BASE MEMORY``: the file's quads as N-Quads on stdout."""
    import resource

    path, ext, base, memory = argv
    resource.setrlimit(resource.RLIMIT_AS, (int(memory), int(memory)))
    fmt = ox.RdfFormat.from_extension(ext)
    try:
        quads = ox.parse(path=path, format=fmt, base_iri=base)
        ox.serialize(quads, sys.stdout.buffer, ox.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError) as exc:
        print(f"cannot parse as {fmt.name}: {exc}", file=sys.stderr)
        return 2
    except MemoryError as exc:
        why = str(exc) or f"needed over {int(memory) // 2**20} MB of memory"
        print(f"too large to parse as {fmt.name} ({why}); refused", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cannot read ({exc.strerror or exc})", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
