"""``kg explain SOURCES --entity NAME``: which names were merged into an entity, and by which rule."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from kg.cli.app import app, handle_errors, out


@app.command("explain")
@handle_errors
def explain_command(
    sources: list[Path] = typer.Argument(..., help="Text files or folders, as for `kg build`."),
    entity: str = typer.Option(..., "--entity", "-e", help="A name of the entity (its label or any other name), or its IRI."),
    as_json: bool = typer.Option(False, "--json", help="Print the explanation as JSON."),
) -> None:
    """Build SOURCES and show, for ENTITY, its class, links, names, and every merge with the rule that made it."""
    from kg.builder import build
    from kg.errors import InputError
    from kg.lexicon import load_lexicon
    from kg.resolve import resolve

    results: list = []
    build(sources, progress=results.append)
    resolution = resolve(results, load_lexicon())
    wanted = entity.casefold()
    found = [
        e for e in resolution.entities
        if e.iri == entity or e.label.casefold() == wanted or wanted in {a.casefold() for a in e.alt_labels}
    ]
    if not found:
        raise InputError(", ".join(map(str, sources)), f"no entity named {entity!r} in {len(results)} document(s)")
    rows = [
        {
            "iri": e.iri, "label": e.label, "class": e.cls, "same_as": list(e.same_as), "names": [e.label, *e.alt_labels],
            "merges": [{"name": a, "joined": b, "rule": r} for a, b, r in resolution.merges.get(e.iri, [])],
        }
        for e in found
    ]
    if as_json:
        out.print(json.dumps(rows, indent=2, ensure_ascii=False), markup=False, highlight=False)
        return
    for row in rows:
        out.print(f"{row['label']}  ({row['class']})  {row['iri']}", markup=False, highlight=False)
        for link in row["same_as"]:
            out.print(f"  same as: {link}", markup=False, highlight=False)
        out.print(f"  names: {' | '.join(row['names'])}", markup=False, highlight=False)
        if not row["merges"]:
            out.print("  no merges: every mention has the same name", markup=False, highlight=False)
        for mg in row["merges"]:
            out.print(f"  {mg['name']!r} joined {mg['joined']!r}: {mg['rule']}", markup=False, highlight=False)
