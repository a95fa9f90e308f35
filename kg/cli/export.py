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
    graph: Path = typer.Argument(..., help="RDF file written by `kg build` (.ttl .nt .nq .trig .jsonld .rdf) or a store directory (`kg build --store`)."),
    format: str = typer.Option(..., "--format", "-f", help="Output format. " + _formats_help() + "."),
    output: Path = typer.Option(..., "--output", "-o", help="File to write; a directory for csv, parquet and neo4j."),
) -> None:
    """Export GRAPH to a visual or research format (see docs/export.md)."""
    from kg.errors import KGError
    from kg.export import export, get_exporter
    from kg.store import read_graph_source as read_graph

    spec = get_exporter(format)  # unknown names fail before the graph is read
    if output.exists() and graph.exists() and output.resolve() == graph.resolve():
        raise KGError(f"{output} is the input graph; choose another output path")
    kg = read_graph(graph)
    written = export(kg, spec.name, output)
    err.print(
        f"wrote {spec.name}: {', '.join(str(p) for p in written)} ({len(kg.entities)} entities, {len(kg.statements)} relations)",
        highlight=False,
        markup=False,
    )
