"""``kg validate GRAPH``: SHACL validation against ``kg/ontology/shapes.ttl``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.cli.app import app, err, handle_errors, out
from kg.errors import EXIT_NOT_CONFORMING


@app.command()
@handle_errors
def validate(
    graph: Path = typer.Argument(..., help="RDF file to check."),
    shapes: Optional[Path] = typer.Option(None, "--shapes", help="SHACL shapes (default: kg/ontology/shapes.ttl)."),
) -> None:
    """Check that a graph follows the vocabulary's SHACL shapes."""
    from kg.validate import validate as run_validate

    report = run_validate(graph, shapes=shapes)
    if report.conforms:
        out.print(f"{graph}: conforms to the shapes")
        return
    err.print(report.text, markup=False, highlight=False)
    err.print(f"{graph}: {report.violations} violation(s)", highlight=False)
    raise typer.Exit(EXIT_NOT_CONFORMING)
