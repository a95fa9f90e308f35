"""The Typer application every command module registers on."""

from __future__ import annotations

import functools
import logging
import sys
from typing import Callable, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from kg.errors import EXIT_CODES, KGError

app = typer.Typer(
    name="kg",
    help="Wild Goose: build a knowledge graph from English text and query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: results go to stdout, messages (progress, summaries, errors) to stderr
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # no line breaks inside file names

F = TypeVar("F", bound=Callable[..., object])


def exit_code_for(exc: KGError) -> int:
    for cls in type(exc).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]  # type: ignore[index]
    return 1


def handle_errors(func: F) -> F:
    """Turn a :class:`KGError` into a one-line message and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False, emoji=False)
            raise typer.Exit(exit_code_for(exc)) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what the library does."),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
