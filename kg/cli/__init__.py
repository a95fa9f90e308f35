"""The ``kg`` command line: thin wrappers over the library.

Each command lives in its own module and registers itself on :data:`app`;
adding a command means adding a module and one import below.
"""

from __future__ import annotations

from kg.cli.app import app

# command modules register themselves on import
from kg.cli import build as _build  # noqa: E402,F401
from kg.cli import text2kg_cmd as _text2kg_cmd  # noqa: E402,F401

__all__ = ["app", "main"]


def main() -> None:
    app()
