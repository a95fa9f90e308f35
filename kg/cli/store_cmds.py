"""``kg remove STORE DOC_ID...``: retract documents from a store."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.app import app, err, handle_errors


@app.command()
@handle_errors
def remove(
    store: Path = typer.Argument(..., help="Store directory written by `kg build --store`."),
    documents: list[str] = typer.Argument(..., help="Document ids (e.g. lingang-news/some-title) or document IRIs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary."),
) -> None:
    """Retract documents: what only they supported goes, what others also support stays."""
    from kg.store import GraphStore

    with GraphStore.open(store, create=False) as gs:
        report = gs.remove(documents)
    if not quiet:
        err.print(
            f"removed {report.removed} document(s); {store} holds {report.documents} document(s), "
            f"{report.triples} triples (generation {report.generation})",
            highlight=False,
        )
