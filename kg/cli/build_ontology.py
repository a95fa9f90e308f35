"""``kg build PATH... --ontology FILE [--examples FILE | --model-dir MODEL] -o OUT``: the options' checks.

The graph is built in the user's ontology and nothing else
(:mod:`kg.text2kg.graph`) by :func:`kg.build`; the documents are read by the
same ingest as the normal build (same file types, same ``skipped FILE: reason``
lines); a document whose reading fails is skipped and named the same way
(:func:`kg.pipeline.document_problem`). Exit status 14 when something was skipped;
the rest is still written, atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from kg.cli.app import err

#: options of the normal build that mean nothing in a user ontology
_UNSUPPORTED = ("--store", "--extractors", "--lexicon", "--gazetteer", "--rebuild", "--graph")


def check_options(*, ontology: Optional[Path], examples: Optional[Path], model_dir: Optional[Path],
                  output: Optional[Path], given: dict[str, bool]) -> None:
    """Refuse combinations that make no sense, before any work."""
    if examples is not None and model_dir is not None:
        raise typer.BadParameter("give either --examples (learn now) or --model-dir (a model kg learn wrote), "
                                 "not both", param_hint="--examples / --model-dir")
    if ontology is None and model_dir is None:
        raise typer.BadParameter("--examples needs --ontology FILE (the ontology the examples are in)",
                                 param_hint="--examples")
    for name in _UNSUPPORTED:
        if given.get(name):
            raise typer.BadParameter(
                f"{name} cannot be used with --ontology/--model-dir: the graph is built in your ontology "
                "by the text2kg extractor, not with Wild Goose's vocabulary and extractors", param_hint=name)
    if output is None:
        raise typer.BadParameter("give --output FILE: where to write the graph", param_hint="--output")


def warn_unknown_relations(path: object, examples: list, onto: object) -> None:
    """Say which relations of the examples the ontology lacks (a typo loses them silently otherwise)."""
    from kg.text2kg.graph import unknown_relations

    unknown = unknown_relations(examples, onto)  # type: ignore[arg-type]
    if unknown:
        err.print(f"[yellow]warning[/] {escape(str(path))}: relations not in the ontology, ignored: "
                  f"{escape(', '.join(unknown))}", markup=True, highlight=False, emoji=False)
