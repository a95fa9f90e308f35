"""``kg export GRAPH --format F -o OUT``: write a graph for Gephi, Cytoscape, yEd, browsers, research tools."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.app import app, err, handle_errors


def _formats_help() -> str:
    from kg.export import get_exporter, known_formats

    return "; ".join(f"{name}: {get_exporter(name).description}" for name in known_formats())


@app.command("export")
@handle_errors
def export_command(
    graph: Path = typer.Argument(..., metavar="GRAPH", help="RDF file written by `kg build` (.ttl .nt .nq .trig .jsonld .rdf) or a store directory (`kg build --store`)."),
    format: str = typer.Option(..., "--format", "-f", metavar="FORMAT", help="Output format. " + _formats_help() + "."),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="File to write; a directory for csv, parquet and neo4j; - writes a one-file format to standard output."),
) -> None:
    """Export GRAPH to a visual or research format (see docs/export.md)."""
    from kg.errors import KGError
    from kg.export import export, get_exporter
    from kg.store import read_graph_source as read_graph

    spec = get_exporter(format)  # unknown names fail before the graph is read
    if output.exists() and graph.exists() and output.resolve() == graph.resolve():
        raise KGError(f"{output} is the input graph; choose another output path")
    kg = read_graph(graph)
    if str(output) == "-":
        written = _export_to_stdout(kg, spec.name)
    else:
        written = export(kg, spec.name, output)
    err.print(
        f"wrote {spec.name}: {', '.join(str(p) for p in written)} ({len(kg.entities)} entities, {len(kg.statements)} relations)",
        highlight=False,
        markup=False,
    )


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
