"""The graph writer streams (#15): quads are sorted as N-Quads lines, in runs spilled to
temporary files past :data:`kg.rdf.SORT_BUFFER_BYTES`, and merged as the serializer reads
them; the files are those of sorting every quad in memory, byte for byte."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import kg.rdf
from kg.rdf import _lit, _n, _Triples, stream_quads, write_quads


def _in_memory(quads) -> list[ox.Quad]:
    """The order the writer always had: every quad once, sorted by its N-Quads text."""
    return sorted(set(quads), key=str)


def test_spilled_runs_merge_to_the_in_memory_order():
    t = _Triples(buffer_bytes=300)  # a run every few quads
    added = []
    for k in [5, 3, 9, 3, 1, 7, 5, 0, 8, 2, 6, 4] * 3:  # out of order, each three times
        for o in (_lit(f"é {k}"), _lit(k, "integer"), _n(f"http://example.org/o{k}")):
            t.add(f"http://example.org/s{k % 4}", "http://example.org/p", o)
            added.append(ox.Quad(_n(f"http://example.org/s{k % 4}"), _n("http://example.org/p"), o))
    assert list(t.sorted()) == _in_memory(added)


@pytest.mark.model
@pytest.mark.parametrize("suffix", [".ttl", ".nq", ".nt", ".trig", ".jsonld", ".rdf"])
def test_example_graph_streamed_is_byte_identical_to_sorting_in_memory(example_graph, tmp_path, monkeypatch,
                                                                      suffix):
    expected = tmp_path / f"expected{suffix}"
    write_quads(_in_memory(example_graph.quads()), expected)
    monkeypatch.setattr(kg.rdf, "SORT_BUFFER_BYTES", 20_000)  # the example graph in some twenty runs
    streamed = example_graph.write(tmp_path / f"streamed{suffix}")
    assert streamed.read_bytes() == expected.read_bytes()
    assert list(stream_quads(example_graph)) == _in_memory(example_graph.quads())


def test_rdf_xml_names_blank_nodes_as_xml_names_without_merging_two(tmp_path):
    # "0b" is no XML name and becomes one; "b0b" (what a prefix of "b" would make of it) stays another node
    p = _n("http://example.org/p")
    quads = [ox.Quad(ox.BlankNode(a), p, ox.BlankNode(b)) for a, b in [("0b", "b0b"), ("b0b", "x"), ("x", "0b")]]
    consumed = []

    def lazily():  # a generator, as the build streams them
        for q in quads:
            consumed.append(q)
            yield q

    path = write_quads(lazily(), tmp_path / "g.rdf")
    text = path.read_text(encoding="utf-8")
    assert 'rdf:nodeID="0b"' not in text
    back = list(ox.parse(path=str(path), format=ox.RdfFormat.RDF_XML))
    assert len(back) == 3 and len({t.subject for t in back}) == 3
    nodes = {t.subject: t.object for t in back}
    start = next(iter(nodes))
    assert nodes[nodes[nodes[start]]] == start  # still one cycle of three distinct nodes
    assert consumed == quads
