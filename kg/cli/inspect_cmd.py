"""``kg inspect MODEL``: what a model learned by ``kg learn`` knows, per relation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from kg.cli.app import app, handle_errors, out
from kg.cli.stats import _cell


@app.command("inspect")
@handle_errors
def inspect_command(
    model: Path = typer.Argument(..., help="Model written by `kg learn` (its JSON file or directory)."),
    relation: Optional[str] = typer.Option(None, "--relation", "-r", help="Only this relation."),
    top: int = typer.Option(5, "--top", "-n", min=0, help="Cues (strongest features) per relation."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Sum up a learned model: thresholds and how they were chosen, and per relation its
    domain and range, the examples that taught it, the values seen and its strongest cues."""
    from kg.text2kg.explain import explain_model
    from kg.text2kg.graph import describe_operating_point, read_model
    from kg.text2kg.ontology import literal_kind

    loaded = read_model(model)
    summary = explain_model(loaded, top=top, relation=relation)
    if as_json:
        out.print_json(json.dumps(summary, ensure_ascii=False))
        return
    training = summary["training"]
    out.print(
        f"ontology {summary['ontology']}: {summary['relations_learned']} of "
        f"{summary['relations_in_ontology']} relations learned from {training.get('examples', 0)} examples; "
        f"{summary['features']} features", highlight=False, markup=False)
    out.print(describe_operating_point(loaded), highlight=False, markup=False)
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("relation", "domain → range", "examples", "values", "strongest cues"):
        table.add_column(column, justify="right" if column == "examples" else "left")
    for row in summary["relations"]:
        values = ", ".join(row["value_kinds"] + [t for t in row["templates"] if t not in row["value_kinds"]])
        cues = "  ".join(f"{c['feature']} ({c['weight']:+.2f})" for c in row["cues"])
        taught = row["takes"] != "node" and literal_kind(row["range"]) is None  # a class taking numbers
        target = f"{row['range']} (as {row['takes']})" if taught else row["range"]
        table.add_row(_cell(row["relation"]), _cell(f"{row['domain']} → {target}"), str(row["examples"]),
                      _cell(values), _cell(cues or "—"))
    out.print(table)
