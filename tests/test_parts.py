"""Partitioned output (``kg build -o DIR/``): N-Quads parts plus a manifest, read back everywhere.

The parts of a graph, bulk-loaded by Oxigraph, must be the quads of the one-file
build (all but the run's time stamp); every reader (``kg query``, ``kg stats``,
``kg export``, ``kg serve``) reads the directory as it reads a file.
"""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import GraphFormatError, KGError
from kg.parts import MANIFEST, read_parts, write_parts

STAMP = "http://www.w3.org/ns/prov#startedAtTime"
runner = CliRunner()

TEXT = ("Nordwind Shipping Co., Ltd. opened an office in the Harbor Free Trade Zone, next to the Bayport Harbor "
        "Authority. Its chief executive, Anna Berg, met the mayor of Westbrook.\n")


def without_stamp(quads) -> set[str]:
    return {str(q) for q in quads if q.predicate.value != STAMP}


def bulk_loaded(root: Path) -> ox.Store:
    """What Oxigraph's own bulk loader makes of the parts (no Wild Goose reader involved)."""
    store = ox.Store()
    for entry in json.loads((root / MANIFEST).read_text())["parts"]:
        store.bulk_load(path=str(root / entry["file"]), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def one_file(example_graph, tmp_path_factory) -> set[str]:
    path = tmp_path_factory.mktemp("one-file") / "graph.nq"
    example_graph.write(path)
    with path.open("rb") as fh:
        return without_stamp(ox.parse(fh, format=ox.RdfFormat.N_QUADS))


@pytest.mark.model
@pytest.mark.parametrize("parts, jobs", [(1, 1), (4, 1), (3, 2)])
def test_bulk_loaded_parts_are_the_quads_of_the_one_file_build(example_graph, one_file, tmp_path, parts, jobs):
    root = tmp_path / "graph"
    manifest = write_parts(example_graph, root, parts=parts, jobs=jobs)  # jobs=2: two processes write them
    assert without_stamp(bulk_loaded(root)) == one_file
    files = sorted(p.name for p in root.glob("part-*.nq"))
    assert files == [f"part-{n:05d}.nq" for n in range(parts)] == [e["file"] for e in manifest["parts"]]
    seen: set[str] = set()
    for entry in manifest["parts"]:
        data = (root / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
        part = {str(q) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}
        assert len(part) == entry["quads"] and not part & seen  # no quad in two parts
        seen |= part
    assert manifest["quads"] == len(seen) and manifest["format"] == "application/n-quads"
    assert manifest["run"]["id"] == example_graph.run.id
    assert manifest["counts"]["entities"] == len(example_graph.entities)


@pytest.mark.model
def test_rewriting_a_parts_directory_with_fewer_parts_leaves_no_stale_part(example_graph, one_file, tmp_path):
    root = tmp_path / "graph"
    write_parts(example_graph, root, parts=4)
    write_parts(example_graph, root, parts=2)
    assert sorted(p.name for p in root.glob("part-*")) == ["part-00000.nq", "part-00001.nq"]
    assert without_stamp(read_parts(root)) == one_file


def test_a_directory_that_is_not_for_parts_is_refused(tmp_path):
    from kg.graph import KnowledgeGraph

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(KGError, match="not empty and holds no manifest.json"):
        write_parts(KnowledgeGraph(), busy)
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]


def test_a_missing_or_changed_part_is_named(tmp_path):
    from kg.graph import Entity, KnowledgeGraph

    graph = KnowledgeGraph(entities=[Entity(iri=f"https://w3id.org/wild-goose/id/company/c{n}", label=f"C{n}",
                                            cls="Company") for n in range(6)])
    root = tmp_path / "g"
    write_parts(graph, root, parts=2)
    assert len(read_parts(root)) == len(graph.quads())
    (root / "part-00001.nq").write_bytes(b"")
    with pytest.raises(GraphFormatError, match=r"part-00001\.nq: 0 bytes, the manifest says"):
        read_parts(root)
    (root / "part-00001.nq").unlink()
    with pytest.raises(GraphFormatError, match=r"part-00001\.nq: listed in .*manifest\.json but missing"):
        read_parts(root)
    (root / MANIFEST).write_text('{"kind": "something else"}', encoding="utf-8")
    with pytest.raises(GraphFormatError, match="not a manifest of N-Quads parts"):
        read_parts(root)


@pytest.mark.model
def test_kg_build_o_dir_and_every_reader(tmp_path):
    src = tmp_path / "harbor.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "graph"
    result = runner.invoke(app, ["build", str(src), "-o", f"{out}/", "-q"])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / MANIFEST).read_text())
    single = tmp_path / "graph.nq"
    assert runner.invoke(app, ["build", str(src), "-o", str(single), "-q"]).exit_code == 0
    with single.open("rb") as fh:
        assert without_stamp(bulk_loaded(out)) == without_stamp(ox.parse(fh, format=ox.RdfFormat.N_QUADS))

    # an existing directory is a parts target too (no slash needed); its parts are replaced
    assert runner.invoke(app, ["build", str(src), "-o", str(out), "-q"]).exit_code == 0

    ask = "ASK { ?e a kg:Company ; rdfs:label \"Nordwind Shipping Co., Ltd.\" }"
    query = runner.invoke(app, ["query", str(out), ask])
    assert query.exit_code == 0 and query.stdout.strip() == "true", query.stderr
    stats = runner.invoke(app, ["stats", str(out), "--json"])
    assert stats.exit_code == 0, stats.stderr
    assert json.loads(stats.stdout)["entities"] == manifest["counts"]["entities"]
    export = runner.invoke(app, ["export", str(out), "-f", "graphml", "-o", str(tmp_path / "g.graphml")])
    assert export.exit_code == 0, export.stderr
    assert "Nordwind Shipping" in (tmp_path / "g.graphml").read_text(encoding="utf-8")

    from kg.serve import ServeOptions, SparqlServer

    server = SparqlServer.open(out, ServeOptions(port=0, workers=1))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert server.triples == manifest["quads"]
        url = f"{server.url}?" + urllib.parse.urlencode({"query": ask})
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"}),
                                    timeout=30) as resp:
            assert json.loads(resp.read())["boolean"] is True
    finally:
        server.shutdown()
        server.close()


@pytest.mark.model
def test_a_store_directory_is_no_parts_target(tmp_path):
    src = tmp_path / "harbor.txt"
    src.write_text(TEXT, encoding="utf-8")
    store = tmp_path / "s.kgstore"
    assert runner.invoke(app, ["build", str(src), "--store", str(store), "-q"]).exit_code == 0
    result = runner.invoke(app, ["build", str(src), "-o", str(store), "-q"])
    assert result.exit_code != 0 and "is a store directory" in result.stderr
