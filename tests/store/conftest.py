"""Fixtures of the store, endpoint and push tests.

The example corpus is mapped into a store once per session
(``example_store``); tests that change a store work on a copy
(``store_copy``). Graphs are compared with the run's start time put aside:
every run has its own ``prov:startedAtTime``.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import EXAMPLES

STARTED = "http://www.w3.org/ns/prov#startedAtTime"


def comparable(quads) -> set[str]:
    """The triples of ``quads`` as N-Triples lines, without the run's start time."""
    return {
        str(ox.Triple(q.subject, q.predicate, q.object))
        for q in quads
        if q.predicate.value != STARTED
    }


def store_triples(store: ox.Store) -> set[str]:
    return comparable(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def isomorphic_without_run_time(a: set[str], b: set[str]) -> bool:
    """rdflib's isomorphism check on two sets of N-Triples lines."""
    import rdflib
    from rdflib.compare import isomorphic

    ga, gb = rdflib.Graph(), rdflib.Graph()
    ga.parse(data="".join(f"{t} .\n" for t in a), format="nt")
    gb.parse(data="".join(f"{t} .\n" for t in b), format="nt")
    return isomorphic(ga, gb)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def corpus_documents():
    from kg.ingest import read_sources

    return list(read_sources([EXAMPLES / "corpus"]))


@pytest.fixture(scope="session")
def example_store(tmp_path_factory, corpus_documents) -> Path:
    """A store holding the example corpus, added article by article (do not change it)."""
    from kg.store import GraphStore

    path = tmp_path_factory.mktemp("stores") / "example.kgstore"
    with GraphStore.open(path) as store:
        for doc in corpus_documents:
            store.update([doc])
    return path


@pytest.fixture()
def store_copy(example_store, tmp_path) -> Path:
    """A private copy of ``example_store`` to change."""
    dest = tmp_path / "copy.kgstore"
    shutil.copytree(example_store, dest, ignore=shutil.ignore_patterns("write.lock"))
    return dest
