"""``kg stats`` and :func:`kg.stats.graph_stats`."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.graph import KnowledgeGraph
from kg.stats import graph_stats, pagerank
from kg.export.common import sanitized
from tests.export.conftest import make_large_graph, make_nasty_graph, make_small_graph

runner = CliRunner()


def test_counts_components_and_rankings():
    stats = graph_stats(make_small_graph(), top=3)
    assert (stats.entities, stats.relations, stats.documents, stats.observations) == (5, 5, 2, 0)
    assert stats.classes == {"City": 1, "Company": 1, "EconomicZone": 1, "Facility": 1, "Person": 1}
    assert stats.properties == {"investedIn": 1, "locatedIn": 1, "operatesIn": 1, "relatedTo": 1, "worksFor": 1}
    assert (stats.components, stats.largest_component, stats.isolated) == (2, 4, 1)
    # ties go to the entity mentioned more often: Lingang (4) before Tesla (3), Shanghai (4) before Elon Musk (1)
    assert [(r.label, r.score) for r in stats.top_degree] == [("Lingang New Area", 3), ("Tesla", 3), ("Shanghai", 2)]
    assert stats.top_pagerank[0].label == "Shanghai"  # everything flows into Shanghai
    assert stats.top_pagerank[0].cls == "City"


def test_empty_graph():
    stats = graph_stats(KnowledgeGraph())
    assert stats.entities == stats.components == stats.largest_component == 0
    assert stats.top_degree == stats.top_pagerank == []


def test_pagerank_agrees_with_networkx():
    pytest.importorskip("scipy", reason="networkx.pagerank needs SciPy")
    for graph in (make_small_graph(), make_large_graph(300, 450, components=4)):
        g = graph.to_networkx()
        ours = pagerank(g)
        theirs = nx.pagerank(g, weight="confidence", tol=1e-10, max_iter=1000)
        assert ours.keys() == theirs.keys()
        assert max(abs(ours[v] - theirs[v]) for v in ours) < 1e-7
        assert sum(ours.values()) == pytest.approx(1.0)


def test_stats_json_cli(tmp_path):
    path = tmp_path / "g.ttl"
    make_small_graph().write(path)
    result = runner.invoke(app, ["stats", str(path), "--json", "--top", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["entities"] == 5 and data["relations"] == 5 and data["classes"]["Company"] == 1
    assert [r["label"] for r in data["top_degree"]] == ["Lingang New Area", "Tesla"]
    assert set(data["top_pagerank"][0]) == {"iri", "label", "cls", "score"}


def test_stats_table_cli(tmp_path):
    path = tmp_path / "g.ttl"
    make_small_graph().write(path)
    result = runner.invoke(app, ["stats", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    for text in ("entities", "connected components", "EconomicZone", "locatedIn", "top entities by degree",
                 "top entities by PageRank", "Lingang New Area"):
        assert text in result.output


def test_stats_table_prints_labels_as_plain_text(tmp_path):
    graph = sanitized(make_nasty_graph())  # kg.rdf cannot write a lone surrogate
    graph.entities[0].label = "[bold red]markup[/] \x1b[31mescape\x1b[0m"
    path = tmp_path / "g.ttl"
    graph.write(path)
    result = runner.invoke(app, ["stats", str(path), "--top", "20"], terminal_width=300)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "[bold red]markup[/]" in result.output


@pytest.mark.model
def test_example_graph_stats(example_graph, example_ttl):
    result = runner.invoke(app, ["stats", str(example_ttl), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["entities"] == len(example_graph.entities)
    assert data["relations"] == len(example_graph.statements)
    assert data["documents"] == len(example_graph.documents)
    assert sum(data["classes"].values()) == data["entities"]
    assert len(data["top_degree"]) == min(10, data["entities"])
