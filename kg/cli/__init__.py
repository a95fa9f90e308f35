"""The ``kg`` command line: thin wrappers over the library.

Each command lives in its own module and registers itself on :data:`app`;
adding a command means adding a module and one import below.
"""

from __future__ import annotations

from kg.cli.app import app, run

# command modules register themselves on import
from kg.cli import build as _build  # noqa: E402,F401
from kg.cli import query as _query  # noqa: E402,F401
from kg.cli import validate as _validate  # noqa: E402,F401
from kg.cli import extractors as _extractors  # noqa: E402,F401
from kg.cli import eval_cmd as _eval_cmd  # noqa: E402,F401
from kg.cli import export as _export  # noqa: E402,F401
from kg.cli import stats as _stats  # noqa: E402,F401
from kg.cli import push as _push  # noqa: E402,F401
from kg.cli import serve as _serve  # noqa: E402,F401
from kg.cli import store_cmds as _store_cmds  # noqa: E402,F401
from kg.cli import text2kg_cmd as _text2kg_cmd  # noqa: E402,F401
from kg.cli import inspect_cmd as _inspect_cmd  # noqa: E402,F401
from kg.cli import learn_relations as _learn_relations  # noqa: E402,F401
from kg.cli import explain as _explain  # noqa: E402,F401

__all__ = ["app", "main"]


def main() -> None:
    run()
