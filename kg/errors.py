"""Every error the library raises, in one small tree.

::

    KGError                          base of everything below
    ├── InputError (ValueError)      a source file or line could not be read
    │   └── NoInputError             nothing to read: a missing input path, no readable text
    ├── ModelNotFoundError (OSError) the spaCy pipeline is not installed
    ├── UnknownNameError (KeyError)  a registry was asked for a name it lacks
    ├── OntologyError (ValueError)   the ontology / gazetteer files are broken
    ├── QueryError (ValueError)      a SPARQL query is invalid or refused
    │   └── QueryRefusedError        it would touch the network or file system
    ├── GraphFormatError (ValueError) an RDF file cannot be read or written
    ├── GoldFormatError (ValueError) a gold file does not follow the format
    ├── MissingDependencyError (ImportError) an optional package or program is absent
    ├── StoreError (OSError)         a store directory cannot be opened, read or written
    │   ├── StoreLockedError         another process is writing the store
    │   ├── StoreSettingsError       a build's settings differ from the store's
    │   └── UnknownDocumentError     ``kg remove`` named a document the store lacks
    ├── PushError (OSError)          a Graph Store server refused or could not be reached
    ├── ServeError (OSError)         the SPARQL endpoint cannot start
    └── ClusterError (ConnectionError) the Dask cluster of ``--dask`` is unreachable or lost work

The CLI maps each class to an exit code (:data:`EXIT_CODES`); the library never
prints, it logs.
"""

from __future__ import annotations

__all__ = [
    "KGError",
    "InputError",
    "NoInputError",
    "ModelNotFoundError",
    "UnknownNameError",
    "OntologyError",
    "QueryError",
    "QueryRefusedError",
    "GraphFormatError",
    "GoldFormatError",
    "MissingDependencyError",
    "ClusterError",
    "StoreError",
    "StoreLockedError",
    "StoreSettingsError",
    "UnknownDocumentError",
    "PushError",
    "ServeError",
    "EXIT_CODES",
    "EXIT_USAGE",
    "EXIT_SKIPPED",
    "EXIT_NOT_CONFORMING",
    "EXIT_MEANINGS",
    "exit_status_table",
]


class KGError(Exception):
    """Base class of every error Wild Goose raises on purpose."""


class InputError(KGError, ValueError):
    """A source could not be read; ``path`` names it and ``reason`` says why."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NoInputError(InputError):
    """Nothing to read: an input path does not exist, or no readable text was found under the paths."""


class ModelNotFoundError(KGError, OSError):
    """No spaCy pipeline of the requested name is installed."""


class UnknownNameError(KGError, KeyError):
    """A registry lookup failed; the message lists the known names."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        self.kind, self.name, self.known = kind, name, sorted(known)
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(self.known) or '(none)'}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class OntologyError(KGError, ValueError):
    """An ontology, shapes or gazetteer file is missing or malformed."""


class QueryError(KGError, ValueError):
    """A SPARQL query could not be parsed or evaluated."""


class QueryRefusedError(QueryError):
    """A query asked for SERVICE, LOAD, FROM or another outside access."""


class GraphFormatError(KGError, ValueError):
    """An RDF file has an unknown extension or cannot be parsed."""


class GoldFormatError(KGError, ValueError):
    """A gold file for ``kg eval`` does not follow ``shared/eval/README.md``."""


class MissingDependencyError(KGError, ImportError):
    """A feature needs an optional Python package (an extra) or an external program."""


class StoreError(KGError, OSError):
    """A store directory cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process is writing the store; ``pid`` names it when known."""

    def __init__(self, path: object, pid: int | None) -> None:
        self.path, self.pid = str(path), pid
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(
            f"store {self.path} is being written by another process ({who}); "
            "wait for it to finish, then run the command again"
        )

    def __str__(self) -> str:  # OSError would format its args
        return str(self.args[0])


class StoreSettingsError(StoreError, ValueError):
    """A build asks for other extraction settings than the store's documents were built with."""


class UnknownDocumentError(StoreError, KeyError):
    """``kg remove`` named a document the store does not hold."""

    def __str__(self) -> str:
        return str(self.args[0])


class PushError(KGError, OSError):
    """The Graph Store server could not be reached or refused the upload."""

    def __str__(self) -> str:
        return str(self.args[0])


class ServeError(KGError, OSError):
    """The endpoint cannot start (port taken, graph unreadable, workers failing)."""

    def __str__(self) -> str:
        return str(self.args[0])


class ClusterError(KGError, ConnectionError):
    """The Dask cluster of ``--dask`` cannot be reached, has no workers, or lost the work."""


#: exit status of the CLI per error class (most specific class wins)
EXIT_CODES: dict[type[KGError], int] = {
    KGError: 1,
    InputError: 3,
    ModelNotFoundError: 4,
    UnknownNameError: 2,
    OntologyError: 5,
    QueryError: 6,
    QueryRefusedError: 6,
    GraphFormatError: 7,
    GoldFormatError: 8,
    MissingDependencyError: 9,
    StoreError: 10,
    StoreLockedError: 11,
    StoreSettingsError: 10,
    UnknownDocumentError: 10,
    PushError: 12,
    ServeError: 13,
    NoInputError: 15,
    ClusterError: 17,
}

#: exit statuses that no error class carries
EXIT_USAGE = 2  # click's own status for a wrong command line
EXIT_SKIPPED = 14
EXIT_NOT_CONFORMING = 16

#: what each exit status of ``kg`` means: one meaning per status (the README's table is
#: :func:`exit_status_table`, checked by tests/test_exit_status.py)
EXIT_MEANINGS: dict[int, str] = {
    0: "success",
    1: "any other failure",
    EXIT_USAGE: "usage error: unknown command or option, bad or unknown value (an export format, an extractor name)",
    3: "an input file or line that the command needs cannot be read",
    4: "the spaCy pipeline is not installed",
    5: "the ontology, shapes, lexicon or gazetteer is missing or broken",
    6: "the SPARQL query is invalid or refused",
    7: "an RDF file cannot be read (syntax, unknown extension) or written",
    8: "a gold file of `kg eval` is malformed",
    9: "an optional package or program is missing (the message names the extra to install)",
    10: "a store cannot be opened, read or written",
    11: "another process is writing the store",
    12: "the Graph Store server refused the upload or could not be reached",
    13: "the SPARQL endpoint cannot start",
    EXIT_SKIPPED: "built, but some input was skipped (each skipped source is named on stderr)",
    15: "nothing to read: an input path does not exist or holds no readable text; nothing is written",
    EXIT_NOT_CONFORMING: "`kg validate`: the graph does not conform to the shapes",
    17: "the Dask cluster of `kg build --dask` cannot be reached or started, or lost work; nothing is written",
}


def exit_status_table() -> str:
    """The Markdown table of exit statuses in the README, made from :data:`EXIT_MEANINGS`."""
    rows = ["| status | meaning | error |", "|---|---|---|"]
    for status, meaning in sorted(EXIT_MEANINGS.items()):
        classes = ", ".join(f"`{cls.__name__}`" for cls, code in EXIT_CODES.items() if code == status)
        rows.append(f"| {status} | {meaning} | {classes} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m kg.errors: print the README's table
    print(exit_status_table(), end="")
