"""The store keeps records and generations; the incremental build (kg.incremental) runs the pipeline.

Readers go through the public snapshot API; a large generation is written as
N-Quads parts and bulk-loaded, with the same triples as the one-list path.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import kg
from kg.store import GraphStore, current_generation, hold_generation, open_snapshot
from tests.conftest import ROOT
from tests.store.conftest import comparable, store_triples


def test_the_store_and_the_endpoint_load_no_pipeline():
    code = ("import json, sys; import kg.store, kg.serve; "
            "print(json.dumps(sorted(m for m in ('spacy', 'kg.pipeline', 'kg.incremental', 'kg.builder') "
            "if m in sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


@pytest.mark.model
def test_a_large_generation_is_bulk_loaded_from_parts_with_the_same_triples(store_copy, corpus_documents,
                                                                            monkeypatch):
    import kg.store
    from kg.rdf import graph_quads

    monkeypatch.setattr(kg.store, "BULK_LOAD_UNITS", 0)  # every generation takes the bulk path
    with GraphStore.open(store_copy) as store:
        report = store.remove([corpus_documents[0].id])
        expected = comparable(graph_quads(store.graph()))
    assert not list(store_copy.glob(".load-*"))  # the staged parts are gone
    with open_snapshot(store_copy) as snap:
        assert snap.generation == report.generation
        assert store_triples(snap.store) == expected
        assert len(snap.store) == report.triples


@pytest.mark.model
def test_current_generation_names_what_open_snapshot_opens(example_store):
    generation = current_generation(example_store)
    assert generation is not None and generation.path.is_dir()
    fd = hold_generation(generation)
    assert fd is not None
    try:
        with open_snapshot(example_store) as snap:
            assert (snap.path, snap.generation) == (generation.path, generation.number)
            assert len(snap.store) == generation.triples
    finally:
        import os

        os.close(fd)


@pytest.mark.model
def test_kg_build_into_a_store_returns_the_stores_whole_graph(tmp_path, corpus_documents):
    from kg.builder import BuildReport

    root = tmp_path / "s.kgstore"
    first, rest = corpus_documents[:1], corpus_documents[1:3]
    kg.build(documents=first, store=root)
    report = BuildReport()
    graph = kg.build(documents=rest, store=root, report=report)
    assert report.store is not None and (report.store.added, report.store.unchanged) == (len(rest), 0)
    assert {d.id for d in graph.documents} == {d.id for d in first + rest}
    with open_snapshot(root) as snap:
        assert store_triples(snap.store) == comparable(graph.quads())
