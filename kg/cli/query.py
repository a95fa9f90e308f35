"""``kg query GRAPH QUERY``: SPARQL over an RDF file or a store directory."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from kg.cli.app import app, err, out, handle_errors
from kg.chars import terminal_safe


class ResultFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


@app.command()
@handle_errors
def query(
    graph: Path = typer.Argument(..., metavar="GRAPH", help="RDF file written by `kg build` (any RDF syntax), or a store directory (`kg build --store`)."),
    sparql: str = typer.Argument(..., metavar="QUERY", help="SPARQL text, a .rq file, or - to read it from standard input. The vocabulary prefixes are predeclared."),
    format: ResultFormat = typer.Option(ResultFormat.table, "--format", "-f", help="Output format for SELECT results."),
) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
    from kg.query import check_query, load_query_text, open_graph

    text = sys.stdin.read() if sparql == "-" else load_query_text(sparql)
    check_query(text)  # refuse before loading a large file
    opened = open_graph(graph)
    for note in opened.notes:
        err.print(f"note: {terminal_safe(note)}", highlight=False, markup=False, soft_wrap=True)
    result = opened.query(text)
    # results are data: printed as is, never read as rich markup, emoji codes or tabs to expand
    if result.kind == "ask":
        typer.echo(result.to_json() if format is ResultFormat.json else str(result.boolean).lower())
        return
    if result.kind == "construct":
        typer.echo(result.to_ntriples(), nl=False)
        return
    if format is ResultFormat.json:
        typer.echo(result.to_json())
    elif format in (ResultFormat.csv, ResultFormat.tsv):
        typer.echo(result.to_delimited("," if format is ResultFormat.csv else "\t"), nl=False)
    else:
        table = Table(*result.variables, show_lines=False, box=None, header_style="bold", pad_edge=False)
        for row in result.table_rows():
            table.add_row(*(Text(terminal_safe(cell)) for cell in row))
        out.print(table)
        out.print(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})", style="dim")
