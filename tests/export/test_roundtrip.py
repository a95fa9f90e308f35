"""Each format read back by the tool its users load it with."""

from __future__ import annotations

import csv
import json
import shutil
import struct
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from networkx.algorithms.isomorphism import categorical_multiedge_match

from kg.export import MissingDependencyError, export
from kg.export.common import sanitized, xml_text
from kg.graph import KnowledgeGraph
from tests.export.conftest import make_nasty_graph, make_small_graph

GRAPHS = {"small": make_small_graph, "nasty": make_nasty_graph, "empty": KnowledgeGraph}
NODE_ATTRS = ["iri", "label", "class", "aliases", "wikidata", "mentions", "documents"]
EDGE_ATTRS = ["iri", "property", "label", "role", "confidence", "weight", "evidence", "evidence_count"]


def read_graphml(path) -> nx.MultiDiGraph:
    return nx.read_graphml(path, force_multigraph=True, edge_key_type=str)


def read_gexf(path) -> nx.Graph:
    """networkx's reading of a GEXF file, without the ``id`` it adds from the XML edge id (the statement IRI)."""
    g = nx.read_gexf(path, node_type=str)
    for _u, _v, data in g.edges(data=True):
        assert data.pop("id") == data["iri"]
    return g


def _xml_expected(graph: KnowledgeGraph) -> nx.MultiDiGraph:
    """to_networkx() as an XML format can hold it (see kg.export.common.xml_text)."""
    g = nx.MultiDiGraph()
    src = graph.to_networkx()
    clean = lambda d: {k: xml_text(v) if isinstance(v, str) else v for k, v in d.items()}  # noqa: E731
    g.add_nodes_from((xml_text(n), clean(d)) for n, d in src.nodes(data=True))
    g.add_edges_from((xml_text(u), xml_text(v), xml_text(k), clean(d)) for u, v, k, d in src.edges(keys=True, data=True))
    return g


def assert_same_graph(got: nx.Graph, want: nx.MultiDiGraph, *, ignore: tuple[str, ...] = ()) -> None:
    assert got.is_directed()
    # networkx's readers return a DiGraph when the file has no parallel edges; the statement IRI
    # is still each edge's "iri", which is the key to_networkx() uses
    assert nx.is_isomorphic(got, want)
    if not got.is_multigraph():
        simple = got
        got = nx.MultiDiGraph()
        got.add_nodes_from(simple.nodes(data=True))
        got.add_edges_from((u, v, d["iri"], d) for u, v, d in simple.edges(data=True))
    assert nx.is_isomorphic(
        got, want,
        node_match=lambda a, b: {k: v for k, v in a.items() if k not in ignore} == b,
        edge_match=categorical_multiedge_match(EDGE_ATTRS, [None] * len(EDGE_ATTRS)),
    )
    # the identity mapping is the isomorphism: same ids, same attributes, same types
    assert set(got.nodes) == set(want.nodes)
    for n, data in want.nodes(data=True):
        assert {k: v for k, v in got.nodes[n].items() if k not in ignore} == data
        assert all(type(got.nodes[n][k]) is type(v) for k, v in data.items())
    assert set(got.edges(keys=True)) == set(want.edges(keys=True))
    for u, v, k, data in want.edges(keys=True, data=True):
        assert got.edges[u, v, k] == data


# -- GEXF and GraphML ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", GRAPHS)
def test_graphml_reads_back_isomorphic_with_the_same_attributes(name, tmp_path):
    graph = GRAPHS[name]()
    export(graph, "graphml", tmp_path / "g.graphml")
    assert_same_graph(read_graphml(tmp_path / "g.graphml"), _xml_expected(graph))


@pytest.mark.parametrize("name", GRAPHS)
def test_gexf_reads_back_isomorphic_with_the_same_attributes(name, tmp_path):
    graph = GRAPHS[name]()
    export(graph, "gexf", tmp_path / "g.gexf")
    got = read_gexf(tmp_path / "g.gexf")
    assert_same_graph(got, _xml_expected(graph), ignore=("viz",))


def test_plain_graph_round_trips_exactly(tmp_path):
    graph = make_small_graph()
    export(graph, "graphml", tmp_path / "g.graphml")
    export(graph, "gexf", tmp_path / "g.gexf")
    want = graph.to_networkx()
    assert_same_graph(read_graphml(tmp_path / "g.graphml"), want)
    assert_same_graph(read_gexf(tmp_path / "g.gexf"), want, ignore=("viz",))


def test_edges_are_weighted_by_confidence_and_have_no_attribute_named_id(tmp_path):
    graph = make_small_graph()
    export(graph, "graphml", tmp_path / "g.graphml")
    export(graph, "gexf", tmp_path / "g.gexf")
    confidence = {s.iri: s.confidence for s in graph.statements}
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(tmp_path / "g.graphml").getroot()
    names = {k.get("attr.name"): k.get("id") for k in root.findall("g:key[@for='edge']", ns)}
    assert "id" not in names and "weight" in names
    edges = root.findall(".//g:edge", ns)
    assert {e.get("id"): float(e.find(f"g:data[@key='{names['weight']}']", ns).text) for e in edges} == confidence
    gexf = ET.parse(tmp_path / "g.gexf").getroot()
    gns = {"x": "http://www.gexf.net/1.2draft"}
    assert "id" not in {a.get("title") for a in gexf.findall(".//x:attributes[@class='edge']/x:attribute", gns)}
    assert {e.get("id"): float(e.get("weight")) for e in gexf.findall(".//x:edge", gns)} == confidence


def test_igraph_reads_graphml_with_statement_ids_and_weights(tmp_path):
    import warnings

    ig = pytest.importorskip("igraph")
    graph = make_small_graph()
    export(graph, "graphml", tmp_path / "g.graphml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warns, and drops the edge ids, on an attribute named "id"
        g = ig.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
    assert g.is_directed() and g.ecount() == len(graph.statements) and g.vcount() == len(graph.entities)
    confidence = {s.iri: s.confidence for s in graph.statements}
    assert {e["iri"]: e["weight"] for e in g.es} == confidence
    assert {(g.vs[e.source]["id"], g.vs[e.target]["id"]) for e in g.es} == {(s.subject, s.object) for s in graph.statements}
    assert {v["id"] for v in g.vs} == {e.iri for e in graph.entities}
    pagerank = g.pagerank(weights="weight")  # igraph's own algorithms take the weight
    assert len(pagerank) == g.vcount()


def test_gexf_is_the_same_file_on_another_day(tmp_path, monkeypatch):
    import time

    graph = make_small_graph()
    export(graph, "gexf", tmp_path / "a.gexf")
    real_strftime = time.strftime
    monkeypatch.setattr(time, "strftime", lambda fmt, *a: real_strftime(fmt, time.gmtime(0)))
    export(graph, "gexf", tmp_path / "b.gexf")
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()
    assert b"lastmodifieddate" not in (tmp_path / "a.gexf").read_bytes()


def test_gexf_colours_by_class_and_sizes_by_degree(tmp_path):
    graph = make_small_graph()
    export(graph, "gexf", tmp_path / "g.gexf")
    got = nx.read_gexf(tmp_path / "g.gexf", node_type=str)
    want = graph.to_networkx()
    tesla = next(n for n, d in want.nodes(data=True) if d["label"] == "Tesla")
    museum = next(n for n, d in want.nodes(data=True) if d["label"] == "China Maritime Museum")
    assert got.nodes[tesla]["viz"]["color"] == {"r": 0x17, "g": 0xBE, "b": 0xCF, "a": 1.0}
    assert got.nodes[tesla]["viz"]["size"] > got.nodes[museum]["viz"]["size"]
    assert got.nodes[tesla]["label"] == "Tesla" and got.nodes[tesla]["class"] == "Company"


# -- Cytoscape.js and D3 ---------------------------------------------------------------------------


def _check_elements(data: dict) -> None:
    """What Cytoscape.js requires of ``elements``: unique string ids, edges between existing nodes."""
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    ids = [el["data"]["id"] for el in nodes + edges]
    assert all(isinstance(i, str) and i for i in ids) and len(ids) == len(set(ids))
    node_ids = {el["data"]["id"] for el in nodes}
    for el in edges:
        assert el["data"]["source"] in node_ids and el["data"]["target"] in node_ids
    for el in nodes:
        assert isinstance(el.get("classes", ""), str)
        assert "position" not in el or set(el["position"]) == {"x", "y"}


@pytest.mark.parametrize("name", GRAPHS)
def test_cytoscape_json_loads_in_networkx_and_is_valid_cytoscape(name, tmp_path):
    graph = GRAPHS[name]()
    export(graph, "cytoscape", tmp_path / "g.cyjs")
    data = json.loads((tmp_path / "g.cyjs").read_text(encoding="utf-8"))
    _check_elements(data)
    got = nx.cytoscape_graph(data)
    want = sanitized(graph).to_networkx()
    assert got.is_directed() and got.is_multigraph()
    assert set(got.nodes) == set(want.nodes)
    assert set(got.edges(keys=True)) == set(want.edges(keys=True))
    for n, d in want.nodes(data=True):
        mine = got.nodes[n]
        assert mine["label"] == mine["name"] == d["label"] and mine["class"] == d["class"]
        assert "|".join(a.replace("|", "\N{BROKEN BAR}") for a in mine["aliases"]) == d["aliases"]
        assert mine["mentions"] == d["mentions"] and mine["documents"] == d["documents"]
    for u, v, k, d in want.edges(keys=True, data=True):
        mine = got.edges[u, v, k]
        assert {a: mine[a] for a in EDGE_ATTRS} == d
        assert mine["all_evidence"][0]["sentence"] == d["evidence"]


@pytest.mark.parametrize("name", GRAPHS)
def test_d3_json_is_node_link_data(name, tmp_path):
    graph = GRAPHS[name]()
    export(graph, "d3", tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert set(data) >= {"nodes", "links"}
    ids = [n["id"] for n in data["nodes"]]
    assert len(ids) == len(set(ids))
    assert all(link["source"] in set(ids) and link["target"] in set(ids) for link in data["links"])
    got = nx.node_link_graph(data, edges="links")
    want = sanitized(graph).to_networkx()
    assert set(got.nodes) == set(want.nodes) and set(got.edges(keys=True)) == set(want.edges(keys=True))
    for u, v, k, d in want.edges(keys=True, data=True):
        assert {a: got.edges[u, v, k][a] for a in EDGE_ATTRS} == d


# -- TSV (PyKEEN) -----------------------------------------------------------------------------------


def _triples(graph: KnowledgeGraph) -> list[tuple[str, str, str]]:
    seen: dict[tuple[str, str, str], None] = {}
    for s in graph.statements:
        seen.setdefault((s.subject, s.property, s.object), None)
    return list(seen)


def test_tsv_loads_with_pandas_as_three_columns(tmp_path):
    pd = pytest.importorskip("pandas")
    graph = make_small_graph()
    export(graph, "tsv", tmp_path / "g.tsv")
    frame = pd.read_csv(tmp_path / "g.tsv", sep="\t")
    assert frame.shape[1] == 3
    # PyKEEN's own reader (pykeen.triples.utils.load_triples): no header, strings, no NA guessing
    rows = pd.read_csv(tmp_path / "g.tsv", sep="\t", header=None, dtype=str, keep_default_na=False)
    assert rows.shape == (len(_triples(graph)), 3)
    assert [tuple(r) for r in rows.to_numpy()] == _triples(graph)


def test_tsv_repeats_a_triple_once(tmp_path):
    graph = make_small_graph()
    graph.statements.append(type(graph.statements[0])(graph.statements[0].subject, graph.statements[0].property,
                                                      graph.statements[0].object, role="another role"))
    export(graph, "tsv", tmp_path / "g.tsv")
    lines = (tmp_path / "g.tsv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(_triples(graph))
    assert all(len(line.split("\t")) == 3 for line in lines)


# -- JSON-LD --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GRAPHS)
def test_jsonld_parses_back_isomorphic_with_rdflib(name, tmp_path):
    import rdflib
    from rdflib.compare import isomorphic

    graph = GRAPHS[name]()
    export(graph, "jsonld", tmp_path / "g.jsonld")
    got = rdflib.Graph().parse(tmp_path / "g.jsonld", format="json-ld")
    want = sanitized(graph).to_rdflib()
    assert len(got) == len(want)
    assert isomorphic(got, want)


def test_jsonld_parses_back_with_oxigraph_too(tmp_path):
    import pyoxigraph as ox

    graph = make_small_graph()
    export(graph, "jsonld", tmp_path / "g.jsonld")
    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "g.jsonld"), format=ox.RdfFormat.JSON_LD)
    assert set(q.triple for q in store) == set(q.triple for q in graph.quads())


def test_jsonld_is_compact(tmp_path):
    export(make_small_graph(), "jsonld", tmp_path / "g.jsonld")
    doc = json.loads((tmp_path / "g.jsonld").read_text(encoding="utf-8"))
    assert set(doc) == {"@context", "@graph"}
    assert doc["@context"]["@vocab"] == "https://w3id.org/wild-goose/vocab#"
    tesla = next(n for n in doc["@graph"] if n["@id"] == "id:company/tesla")
    assert tesla["@type"] == "Company" and tesla["label"] == "Tesla" and tesla["sameAs"] == "wd:Q478214"
    assert tesla["operatesIn"] == "id:economiczone/lingang-new-area"


# -- CSV (Gephi), Parquet, Neo4j --------------------------------------------------------------------


def _read_csv(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", GRAPHS)
def test_gephi_csv_tables(name, tmp_path):
    graph = GRAPHS[name]()
    export(graph, "csv", tmp_path / "out")
    nodes, edges = _read_csv(tmp_path / "out" / "nodes.csv"), _read_csv(tmp_path / "out" / "edges.csv")
    want = sanitized(graph).to_networkx()
    assert [n["Id"] for n in nodes] == list(want.nodes)
    assert [n["Label"] for n in nodes] == [d["label"] for _, d in want.nodes(data=True)]
    assert [n["aliases"] for n in nodes] == [d["aliases"] for _, d in want.nodes(data=True)]
    assert [(e["Source"], e["Target"], e["Id"]) for e in edges] == list(want.edges(keys=True))
    assert all(e["Type"] == "Directed" and float(e["Weight"]) == float(e["confidence"]) for e in edges)
    assert [e["evidence"] for e in edges] == [d["evidence"] for _, _, d in want.edges(data=True)]


def test_parquet_tables(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    graph = make_small_graph()
    export(graph, "parquet", tmp_path / "out")
    nodes = pq.read_table(tmp_path / "out" / "nodes.parquet").to_pylist()
    edges = pq.read_table(tmp_path / "out" / "edges.parquet").to_pylist()
    assert [n["iri"] for n in nodes] == [e.iri for e in graph.entities]
    assert [n["aliases"] for n in nodes] == [list(e.alt_labels) for e in graph.entities]
    assert [n["document_iris"] for n in nodes] == [list(e.mentions) for e in graph.entities]
    assert len(edges) == len(graph.statements)
    locate = next(e for e in edges if e["property"] == "locatedIn")
    assert [ev["confidence"] for ev in locate["all_evidence"]] == [0.9, 0.5]
    assert locate["confidence"] == pytest.approx(0.95)
    works = next(e for e in edges if e["property"] == "worksFor")
    assert works["role"] == "chief executive"
    pd = pytest.importorskip("pandas")
    assert pd.read_parquet(tmp_path / "out" / "edges.parquet").shape[0] == len(graph.statements)


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingDependencyError, match=r"pyarrow.*\[export\]"):
        export(make_small_graph(), "parquet", tmp_path / "out")


@pytest.mark.parametrize("name", GRAPHS)
def test_neo4j_import_files(name, tmp_path):
    graph = GRAPHS[name]()
    export(graph, "neo4j", tmp_path / "out")
    raw_nodes = (tmp_path / "out" / "nodes.csv").read_text(encoding="utf-8")
    raw_rels = (tmp_path / "out" / "relationships.csv").read_text(encoding="utf-8")
    # one record per line: neo4j-admin then needs no --multiline-fields
    assert len(raw_nodes.splitlines()) == len(graph.entities) + 1
    assert len(raw_rels.splitlines()) == len([s for s in graph.statements]) + 1
    nodes = _read_csv(tmp_path / "out" / "nodes.csv")
    rels = _read_csv(tmp_path / "out" / "relationships.csv")
    assert raw_nodes.splitlines()[0].startswith("iri:ID,name,")
    assert raw_rels.splitlines()[0].startswith(":START_ID,:END_ID,:TYPE,")
    ids = {n["iri:ID"] for n in nodes}
    assert all(r[":START_ID"] in ids and r[":END_ID"] in ids for r in rels)
    assert (tmp_path / "out" / "README.txt").read_text(encoding="utf-8").count("neo4j-admin") >= 1


def test_neo4j_labels_and_types(tmp_path):
    export(make_small_graph(), "neo4j", tmp_path / "out")
    nodes = {n["name"]: n for n in _read_csv(tmp_path / "out" / "nodes.csv")}
    assert nodes["Tesla"][":LABEL"] == "Entity;Organization;Company"
    assert nodes["Lingang New Area"]["aliases:string[]"] == "Lingang;Lingang Special Area"
    types = {r[":TYPE"] for r in _read_csv(tmp_path / "out" / "relationships.csv")}
    assert types == {"LOCATED_IN", "OPERATES_IN", "INVESTED_IN", "WORKS_FOR", "RELATED_TO"}


# -- Graphviz -------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pydot's parser uses old pyparsing names
@pytest.mark.parametrize("name", GRAPHS)
def test_dot_parses_with_pydot(name, tmp_path):
    pydot = pytest.importorskip("pydot")
    graph = GRAPHS[name]()
    export(graph, "dot", tmp_path / "g.dot")
    (parsed,) = pydot.graph_from_dot_file(str(tmp_path / "g.dot"), encoding="utf-8")
    names = {n.get_name() for n in parsed.get_nodes()} - {"node", "edge", "graph"}
    assert names == {f'"{xml_text(e.iri)}"' for e in graph.entities}
    assert len(parsed.get_edges()) == len(graph.statements)


needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (apt-get install graphviz) is not installed")


@needs_graphviz
@pytest.mark.parametrize("name", GRAPHS)
def test_svg_is_valid_xml_with_a_shape_per_entity(name, tmp_path):
    pytest.importorskip("pydot")
    graph = GRAPHS[name]()
    export(graph, "svg", tmp_path / "g.svg")
    root = ET.parse(tmp_path / "g.svg").getroot()  # the strict parser: any bad character fails here
    assert root.tag.endswith("svg")
    groups = [g.get("class", "").split() for g in root.iter() if g.tag.endswith("}g")]
    assert sum("node" in c for c in groups) == len(graph.entities)
    assert sum("edge" in c for c in groups) == len(graph.statements)
    texts = {t.text for t in root.iter() if t.tag.endswith("}text")}
    if name == "small":
        assert {e.label for e in graph.entities} <= texts


@needs_graphviz
def test_png_is_a_png(tmp_path):
    pytest.importorskip("pydot")
    export(make_small_graph(), "png", tmp_path / "g.png")
    head = (tmp_path / "g.png").read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    assert width > 100 and height > 100


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_pictures_without_graphviz_say_how_to_install_it(fmt, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(MissingDependencyError, match="apt-get install graphviz"):
        export(make_small_graph(), fmt, tmp_path / f"g.{fmt}")
    assert not (tmp_path / f"g.{fmt}").exists()


def test_dot_without_pydot_names_the_extra(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(MissingDependencyError, match=r"pydot.*\[export\]"):
        export(make_small_graph(), "dot", tmp_path / "g.dot")


# -- the real example graph (built with the spaCy pipeline, read back from its RDF file) ------------


@pytest.mark.model
def test_example_graph_round_trips(example_rdf_graph, tmp_path):
    import importlib.util

    import rdflib
    from rdflib.compare import isomorphic

    graph = example_rdf_graph
    want = graph.to_networkx()
    assert want.number_of_nodes() == len(graph.entities) > 0
    for fmt in ("gexf", "graphml", "cytoscape", "d3", "jsonld", "tsv", "csv", "neo4j", "html"):
        export(graph, fmt, tmp_path / fmt)
    assert_same_graph(read_graphml(tmp_path / "graphml"), want)
    assert_same_graph(read_gexf(tmp_path / "gexf"), want, ignore=("viz",))
    cy = nx.cytoscape_graph(json.loads((tmp_path / "cytoscape").read_text(encoding="utf-8")))
    assert set(cy.nodes) == set(want.nodes) and cy.number_of_edges() == want.number_of_edges()
    d3 = nx.node_link_graph(json.loads((tmp_path / "d3").read_text(encoding="utf-8")), edges="links")
    assert set(d3.nodes) == set(want.nodes) and d3.number_of_edges() == want.number_of_edges()
    assert isomorphic(rdflib.Graph().parse(tmp_path / "jsonld", format="json-ld"), graph.to_rdflib())
    lines = (tmp_path / "tsv").read_text(encoding="utf-8").splitlines()
    assert [tuple(line.split("\t")) for line in lines] == _triples(graph)
    if graph.statements and importlib.util.find_spec("pandas"):
        import pandas as pd

        assert pd.read_csv(tmp_path / "tsv", sep="\t").shape[1] == 3
    assert len(_read_csv(tmp_path / "csv" / "nodes.csv")) == len(graph.entities)
    assert len(_read_csv(tmp_path / "neo4j" / "nodes.csv")) == len(graph.entities)
