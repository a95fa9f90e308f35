"""``kg export GRAPH --format F -o OUT``: write a graph for Gephi, Cytoscape, yEd, browsers, research tools.

``GRAPH`` may be ``-``: the RDF is read from standard input (``kg build ... -o - -f ttl | kg export - ...``),
in the syntax ``--input-format`` names, else the one its first bytes show (see
:func:`kg.rdf_parse.sniff_formats`), through the same guarded parser as a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.cli.app import app, err, handle_errors


def _formats_help() -> str:
    from kg.export import get_exporter, known_formats

    return "; ".join(f"{name}: {get_exporter(name).description}" for name in known_formats())


@app.command("export")
@handle_errors
def export_command(
    graph: Path = typer.Argument(..., metavar="GRAPH", help="RDF file written by `kg build` (.ttl .nt .nq .trig .jsonld .rdf), a store directory (`kg build --store`), or - to read RDF from standard input."),
    format: str = typer.Option(..., "--format", "-f", metavar="FORMAT", help="Output format. " + _formats_help() + "."),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="File to write; a directory for csv, parquet and neo4j; - writes a one-file format to standard output."),
    input_format: Optional[str] = typer.Option(None, "--input-format", "-i", metavar="RDF", help="RDF syntax of GRAPH when its extension does not say (e.g. GRAPH is -): ttl, nt, nq, trig, jsonld, rdf (default for -: told from its first bytes)."),
) -> None:
    """Export GRAPH to a visual or research format (see docs/export.md)."""
    from kg.errors import KGError
    from kg.export import export, get_exporter
    from kg.store import read_graph_source as read_graph

    spec = get_exporter(format)  # unknown names fail before the graph is read
    if str(graph) == STDIN:
        kg = read_stdin_graph(input_format)
    else:
        if output.exists() and graph.exists() and output.resolve() == graph.resolve():
            raise KGError(f"{output} is the input graph; choose another output path")
        kg = read_graph(graph) if input_format is None else _read_file(graph, input_format)
    if str(output) == "-":
        written = _export_to_stdout(kg, spec.name)
    else:
        written = export(kg, spec.name, output)
    err.print(
        f"wrote {spec.name}: {', '.join(str(p) for p in written)} ({len(kg.entities)} entities, {len(kg.statements)} relations)",
        highlight=False,
        markup=False,
    )


#: the GRAPH that means standard input
STDIN = "-"


def _read_file(path: Path, input_format: str) -> object:
    from kg.errors import GraphFormatError
    from kg.rdf import format_for
    from kg.rdf_read import read_graph

    if path.is_dir():
        raise GraphFormatError(f"{path}: a store directory has no RDF syntax; leave out --input-format")
    try:
        fmt = format_for(path, input_format)
    except GraphFormatError as exc:
        raise typer.BadParameter(str(exc).removeprefix(f"{path}: "), param_hint="--input-format") from None
    return read_graph(path, format=fmt)


def read_stdin_graph(input_format: str | None) -> object:
    """The graph piped into standard input, read through the guarded parser like a file.

    The bytes are spooled to a private temporary file (the parser may read them in a
    child process); relative IRIs resolve against the current directory. Raises
    :class:`~kg.errors.GraphFormatError` naming "standard input" for a terminal,
    empty input, or bytes no syntax tried can read."""
    import shutil
    import sys
    import tempfile

    from kg.errors import GraphFormatError
    from kg.rdf import format_for
    from kg.rdf_parse import sniff_formats
    from kg.rdf_read import read_graph

    try:
        fixed = format_for(STDIN, input_format) if input_format else None  # an unknown name fails before reading
    except GraphFormatError as exc:
        raise typer.BadParameter(str(exc).removeprefix(f"{STDIN}: "), param_hint="--input-format") from None
    if sys.stdin.isatty():
        raise GraphFormatError("standard input is a terminal: pipe an RDF graph in "
                               "(kg build FILES -o - -f ttl | kg export - -f FORMAT -o OUT)")
    with tempfile.TemporaryDirectory(prefix="kg-stdin-") as tmp:
        path = Path(tmp) / "stdin"
        try:
            with path.open("wb") as fh:
                shutil.copyfileobj(sys.stdin.buffer, fh)
        except OSError as exc:
            raise GraphFormatError(f"standard input: cannot read ({exc.strerror or exc})") from None
        with path.open("rb") as fh:
            head = fh.read(4096)
        if not head.strip():
            raise GraphFormatError("standard input: empty; pipe an RDF graph in "
                                   "(kg build FILES -o - -f ttl | kg export - -f FORMAT -o OUT)")
        tried: list[str] = []
        for fmt in [fixed] if fixed is not None else sniff_formats(head):
            try:
                return read_graph(path, format=fmt, base=Path.cwd().as_uri() + "/")
            except GraphFormatError as exc:
                tried.append(str(exc).replace(f"{path}: ", "", 1).replace(str(path), "standard input"))
    hint = "" if fixed is not None else "; give --input-format if it is RDF in another syntax"
    raise GraphFormatError(f"standard input: {'; '.join(tried)}{hint}")


def _export_to_stdout(kg: object, name: str) -> list[str]:
    """Export into a private temporary folder, then copy the one file written to standard output."""
    import shutil
    import sys
    import tempfile

    from kg.errors import KGError
    from kg.export import export

    with tempfile.TemporaryDirectory(prefix="kg-export-") as tmp:
        files = [p for p in export(kg, name, Path(tmp) / f"graph.{name}") if p.is_file()]
        if len(files) != 1:
            raise KGError(f"the {name} export writes {len(files)} files; give -o DIR instead of -o -")
        with files[0].open("rb") as fh:
            shutil.copyfileobj(fh, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    return ["standard output"]
