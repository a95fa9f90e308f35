"""``kg stats GRAPH``: counts per class and property, components, central entities."""

from __future__ import annotations

import json
import re
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from kg.cli.app import app, handle_errors, out

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _cell(value: object) -> Text:
    """Data as plain text for the terminal: never markup, never an escape sequence."""
    return Text(_UNPRINTABLE.sub("\N{REPLACEMENT CHARACTER}", str(value)))


def _counts(title: str, column: str, counts: dict[str, int]) -> Table:
    table = Table(title=title, title_justify="left", box=None, header_style="bold", pad_edge=False)
    table.add_column(column)
    table.add_column("count", justify="right")
    for name, n in counts.items():
        table.add_row(_cell(name), str(n))
    return table


@app.command("stats")
@handle_errors
def stats_command(
    graph: Path = typer.Argument(..., help="RDF file written by `kg build` (.ttl .nt .nq .trig .jsonld .rdf) or a store directory (`kg build --store`)."),
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
    top: int = typer.Option(10, "--top", "-n", min=0, help="How many entities to rank by degree and PageRank."),
) -> None:
    """Counts per class and property, documents, connected components, top entities by degree and PageRank."""
    from kg.store import read_graph_source as read_graph
    from kg.stats import graph_stats

    stats = graph_stats(read_graph(graph), top=top)
    if as_json:
        out.print(json.dumps(stats.to_json(), indent=2, ensure_ascii=False), markup=False, highlight=False)
        return
    summary = Table(title=f"kg stats: {graph.name}", title_justify="left", box=None, show_header=False, pad_edge=False)
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    for name, value in (
        ("entities", stats.entities),
        ("relations", stats.relations),
        ("documents", stats.documents),
        ("observations", stats.observations),
        ("connected components", stats.components),
        ("largest component", stats.largest_component),
        ("isolated entities", stats.isolated),
        ("density", f"{stats.density:.4f}"),
    ):
        summary.add_row(name, str(value))
    out.print(summary)
    out.print(_counts("\nentities per class", "class", stats.classes))
    out.print(_counts("\nrelations per property", "property", stats.properties) if stats.properties else "\nno relations")
    for title, ranked, fmt in (
        ("top entities by degree", stats.top_degree, "{:.0f}"),
        ("top entities by PageRank", stats.top_pagerank, "{:.4f}"),
    ):
        if not ranked:
            continue
        table = Table(title="\n" + title, title_justify="left", box=None, header_style="bold", pad_edge=False)
        for column, justify in (("#", "right"), ("entity", "left"), ("class", "left"), ("score", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for i, r in enumerate(ranked, 1):
            table.add_row(str(i), _cell(r.label), _cell(r.cls), fmt.format(r.score))
        out.print(table)
