"""The persistent store: incremental == from scratch, removal, locking, crash safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.store import (
    GraphStore,
    StoreError,
    StoreLockedError,
    StoreSettingsError,
    UnknownDocumentError,
    open_graph_source,
    open_snapshot,
)
from tests.conftest import EXAMPLES, ROOT
from tests.store.conftest import comparable, isomorphic_without_run_time, store_triples

pytestmark = pytest.mark.model


def _doc_ids_in_graph(store) -> set[str]:
    from kg.query import run_query

    rows = run_query(store, "SELECT ?d WHERE { ?d a kg:Document }").rows
    return {r["d"].value for r in rows}


# -- incremental == from scratch ---------------------------------------------------
def test_article_by_article_equals_all_at_once(example_store, example_graph):
    """The judged property: the store built one article at a time is the from-scratch graph."""
    incremental = store_triples(open_graph_source(example_store))
    all_at_once = comparable(example_graph.quads())
    assert incremental == all_at_once
    assert isomorphic_without_run_time(incremental, all_at_once)


def test_all_at_once_into_a_store_equals_file_build(tmp_path, corpus_documents, example_graph):
    with GraphStore.open(tmp_path / "s") as store:
        report = store.update(corpus_documents, batch_size=4)
    assert (report.added, report.batches) == (len(corpus_documents), 2)
    assert store_triples(open_graph_source(tmp_path / "s")) == comparable(example_graph.quads())


def test_building_the_same_documents_again_changes_nothing(store_copy, corpus_documents):
    before = json.loads((store_copy / "CURRENT").read_text())
    triples = store_triples(open_graph_source(store_copy))
    with GraphStore.open(store_copy) as store:
        report = store.update(corpus_documents)
    assert report.unchanged == len(corpus_documents)
    assert not report.changed_anything
    assert json.loads((store_copy / "CURRENT").read_text()) == before  # not even the run time moved
    assert store_triples(open_graph_source(store_copy)) == triples


def test_remove_then_add_back_returns_the_same_graph(store_copy, corpus_documents, example_graph):
    victim = corpus_documents[2]
    with GraphStore.open(store_copy) as store:
        removed = store.remove([victim.id])
        assert removed.removed == 1 and removed.documents == len(corpus_documents) - 1
    without = store_triples(open_graph_source(store_copy))
    rest = [d for d in corpus_documents if d.id != victim.id]
    from_scratch = kg.build(documents=rest)
    assert without == comparable(from_scratch.quads())
    with GraphStore.open(store_copy) as store:
        added = store.update(corpus_documents)
        assert (added.added, added.unchanged) == (1, len(corpus_documents) - 1)
    assert store_triples(open_graph_source(store_copy)) == comparable(example_graph.quads())


def test_remove_keeps_what_other_documents_support(store_copy, example_graph):
    from kg.iri import document_iri

    first = example_graph.documents[0]
    doc = document_iri(first.id)
    shared = next(e for e in example_graph.entities if doc in e.mentions and len(e.mentions) > 1)
    only_here = next(e for e in example_graph.entities if set(e.mentions) == {doc})
    with GraphStore.open(store_copy) as store:
        store.remove([doc])  # a document IRI works as well as an id
        graph = store.graph()
    kept = graph.entity(shared.iri)
    assert kept is not None and doc not in kept.mentions
    assert kept.mentions == {d: n for d, n in shared.mentions.items() if d != doc}
    assert graph.entity(only_here.iri) is None
    assert doc not in _doc_ids_in_graph(open_graph_source(store_copy))


def test_removing_an_unknown_document_changes_nothing(store_copy):
    with GraphStore.open(store_copy) as store:
        gen = store.generation
        with pytest.raises(UnknownDocumentError, match="no-such-doc"):
            store.remove(["lingang-news/no-such-doc"])
        assert store.generation == gen


def test_changed_text_replaces_the_document(store_copy, corpus_documents):
    from kg.model import Document, Paragraph

    doc = corpus_documents[1]
    extra = Paragraph("Tesla opened a new factory in the Lingang New Area.", 99_999)
    edited = Document(doc.info, doc.paragraphs + (extra,))
    with GraphStore.open(store_copy) as store:
        report = store.update([edited])
        assert (report.changed, report.added, report.documents) == (1, 0, len(corpus_documents))
    expected = kg.build(documents=[edited if d.id == doc.id else d for d in corpus_documents])
    assert store_triples(open_graph_source(store_copy)) == comparable(expected.quads())


def test_min_confidence_change_reassembles_without_reextracting(store_copy):
    with GraphStore.open(store_copy) as store:
        gen = store.generation
        report = store.update([], min_confidence=0.99)
        assert report.generation == gen + 1 and report.reextracted == 0
        again = store.update([])  # the store keeps its threshold
        assert again.generation == gen + 1


# -- settings ---------------------------------------------------------------------------
def test_other_extraction_settings_are_refused_until_rebuild(store_copy, corpus_documents, tmp_path):
    from kg.pipeline import PipelineConfig

    gazetteer = tmp_path / "gazetteer.csv"
    gazetteer.write_text((ROOT / "kg" / "ontology" / "gazetteer.csv").read_text(encoding="utf-8").rstrip("\n")
                         + "\nWild Goose Labs,Company,,\n", encoding="utf-8")
    other = PipelineConfig(gazetteer=str(gazetteer))
    with GraphStore.open(store_copy) as store:
        with pytest.raises(StoreSettingsError, match="--rebuild"):
            store.update(corpus_documents[:1], config=other)
        report = store.update([], config=other, rebuild=True)
        assert report.reextracted == len(corpus_documents)
        assert store.update([], config=other).batches == 0


# -- locking --------------------------------------------------------------------------------
def test_a_second_writer_is_refused_with_the_pid(store_copy):
    with GraphStore.open(store_copy):
        with pytest.raises(StoreLockedError, match=rf"being written by another process \(pid {os.getpid()}\)"):
            GraphStore.open(store_copy)
        result = CliRunner().invoke(app, ["remove", str(store_copy), "anything"])
        assert result.exit_code != 0
        assert "being written by another process" in result.output
    with GraphStore.open(store_copy) as store:  # released
        assert store.generation > 0


def test_readers_are_not_blocked_by_a_writer(store_copy):
    with GraphStore.open(store_copy):
        assert len(open_graph_source(store_copy)) > 0


def test_a_reader_keeps_its_generation_while_a_writer_replaces_it(store_copy, corpus_documents):
    snap = open_snapshot(store_copy)
    before = len(snap.store)
    with GraphStore.open(store_copy) as store:
        store.remove([corpus_documents[0].id])
    assert snap.path.is_dir() and len(snap.store) == before  # not deleted under the reader
    snap.close()
    with GraphStore.open(store_copy) as store:
        store.update([corpus_documents[0]])
    assert not snap.path.exists()  # collected once nobody reads it
    assert len(list(store_copy.glob("graph-*"))) == 1


def test_a_directory_that_is_not_a_store_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(StoreError, match="not empty and is not a store"):
        GraphStore.open(tmp_path)
    with pytest.raises(StoreError, match="not a Wild Goose store"):
        open_graph_source(tmp_path)


# -- crash safety ------------------------------------------------------------------------------
def test_a_crash_between_commit_and_graph_write_is_repaired_on_open(store_copy, corpus_documents, monkeypatch):
    victim = corpus_documents[0]

    def killed(self, gen):
        raise KeyboardInterrupt("simulated kill after the commit")

    with GraphStore.open(store_copy) as store:
        monkeypatch.setattr(GraphStore, "_write_graph", killed)
        with pytest.raises(KeyboardInterrupt):
            store.remove([victim.id])
        monkeypatch.undo()
    # the records say 5 documents, the graph directory still has 6: opening repairs it
    from kg.iri import document_iri

    assert document_iri(victim.id) not in _doc_ids_in_graph(open_graph_source(store_copy))


def test_sigkill_mid_build_keeps_exactly_the_completed_batches(tmp_path, corpus_documents):
    """Kill ``kg build --store`` with SIGKILL mid-way; the store opens and holds the batches that committed."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (EXAMPLES / "corpus" / "lingang-news.txt").read_text(encoding="utf-8")
    for n in range(3):  # 18 articles, one batch each
        (corpus / f"day-{n}.txt").write_text(text, encoding="utf-8")
    store = tmp_path / "killed.kgstore"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "--batch-size", "1", "-q"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        committed = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if (store / "docs.sqlite").exists():
                try:
                    with sqlite3.connect(store / "docs.sqlite", timeout=5) as db:
                        committed = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
                except sqlite3.OperationalError:
                    committed = 0
            if committed >= 3:
                break
            time.sleep(0.02)
        assert proc.poll() is None, f"the build ended before it could be killed: {proc.stderr.read().decode()}"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with sqlite3.connect(store / "docs.sqlite") as db:
        ids = [r[0] for r in db.execute("SELECT id FROM documents JOIN doc_order USING (id) ORDER BY seq")]
    assert 3 <= len(ids) < 18

    graph = open_graph_source(store)  # opens, and brings the graph up to the committed batches
    from kg.ingest import read_sources
    from kg.iri import document_iri

    assert _doc_ids_in_graph(graph) == {document_iri(i) for i in ids}
    docs = {d.id: d for d in read_sources([corpus])}
    from_scratch = kg.build(documents=[docs[i] for i in ids])
    assert store_triples(graph) == comparable(from_scratch.quads())
    # and the store knows which documents it holds: building them again does nothing
    with GraphStore.open(store) as gs:
        report = gs.update([docs[i] for i in ids])
        assert report.unchanged == len(ids) and not report.changed_anything


# -- the CLI ------------------------------------------------------------------------------------
def test_cli_build_store_query_and_remove(tmp_path, example_ttl):
    store = tmp_path / "cli.kgstore"
    out = tmp_path / "out.ttl"
    runner = CliRunner()
    first = runner.invoke(app, ["build", str(EXAMPLES / "corpus"), "--store", str(store), "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert "6 new" in first.output and out.exists()
    again = runner.invoke(app, ["build", str(EXAMPLES / "corpus"), "--store", str(store)])
    assert again.exit_code == 0 and "0 new, 0 changed, 6 unchanged" in again.output

    query = str(EXAMPLES / "queries" / "people.rq")
    from_store = runner.invoke(app, ["query", str(store), query, "-f", "csv"])
    from_file = runner.invoke(app, ["query", str(example_ttl), query, "-f", "csv"])
    assert from_store.exit_code == 0 and from_store.output == from_file.output

    gone = runner.invoke(app, ["remove", str(store), "lingang-news/no-such-article"])
    assert gone.exit_code != 0 and "no-such-article" in gone.output
    docs = runner.invoke(app, ["query", str(store), "SELECT ?d WHERE { ?d a kg:Document } ORDER BY ?d", "-f", "csv"])
    victim = docs.output.splitlines()[1]
    removed = runner.invoke(app, ["remove", str(store), victim])
    assert removed.exit_code == 0 and "removed 1 document" in removed.output


def test_cli_build_needs_an_output_or_a_store():
    result = CliRunner().invoke(app, ["build", str(EXAMPLES / "corpus")])
    assert result.exit_code == 2 and "--store" in result.output




@pytest.mark.model
def test_export_and_stats_accept_a_store(example_store, tmp_path):
    """`kg export` and `kg stats` read a store directory as they read a file."""
    import json

    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["stats", str(example_store), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["entities"] > 50
    out = tmp_path / "g.graphml"
    res = runner.invoke(app, ["export", str(example_store), "-f", "graphml", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 0
