"""The Typer application every command module registers on."""

from __future__ import annotations

import functools
import logging
import os
import sys
from typing import Callable, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from kg.cli import help_format as _help_format  # noqa: F401  (metavars, not Python types, in --help)
from kg.errors import EXIT_CODES, KGError

app = typer.Typer(
    name="kg",
    help="Wild Goose: build a knowledge graph from English text and query it.",
    no_args_is_help=True,
    add_completion=True,
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


def _print_version(value: bool) -> None:
    if value:
        from kg import __version__

        typer.echo(f"kg (wild-goose-kg) {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what the library does."),
    version: bool = typer.Option(False, "--version", "-V", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def run() -> None:
    """Run the app; a reader that stops early (``kg query ... | head -1``) ends it quietly, status 0."""
    was_devnull = _stdout_is_devnull()
    try:
        app()
    except SystemExit as exc:
        # on EPIPE, click wraps the streams in its (_)PacifyFlushWrapper and rich points stdout at
        # /dev/null, and both exit 1: a reader that has read enough is no failure
        wrapped = type(sys.stdout).__name__.endswith("PacifyFlushWrapper")
        if exc.code == 1 and (wrapped or (not was_devnull and _stdout_is_devnull())):
            _silence_stdout()
            raise SystemExit(0) from None
        raise
    except BrokenPipeError:
        _silence_stdout()
        raise SystemExit(0) from None


def _stdout_is_devnull() -> bool:
    try:
        return os.path.samestat(os.fstat(1), os.stat(os.devnull))
    except OSError:
        return False


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not report the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
    except OSError:
        pass
