"""``kg export``: thin over the library, clear about what goes wrong."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export import known_formats
from tests.export.conftest import make_small_graph

runner = CliRunner()


@pytest.fixture
def graph_file(tmp_path):
    path = tmp_path / "g.ttl"
    make_small_graph().write(path)
    return path


def test_export_reads_the_rdf_and_writes_the_format(graph_file, tmp_path):
    result = runner.invoke(app, ["export", str(graph_file), "--format", "d3", "-o", str(tmp_path / "g.json")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 5 and len(data["links"]) == 5  # statements survive the RDF round trip
    assert "wrote d3" in result.output


def test_directory_formats(graph_file, tmp_path):
    result = runner.invoke(app, ["export", str(graph_file), "-f", "neo4j", "-o", str(tmp_path / "neo")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "neo").iterdir()) == ["README.txt", "nodes.csv", "relationships.csv"]


def test_unknown_format_lists_the_known_ones(graph_file, tmp_path):
    result = runner.invoke(app, ["export", str(graph_file), "-f", "gephi", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "unknown export format 'gephi'" in output and "gexf" in output


def test_help_lists_every_format():
    result = runner.invoke(app, ["export", "--help"], terminal_width=400)
    assert result.exit_code == 0
    assert all(f"{name}:" in result.output for name in known_formats())


def test_missing_graph_file(tmp_path):
    result = runner.invoke(app, ["export", str(tmp_path / "none.ttl"), "-f", "gexf", "-o", str(tmp_path / "g.gexf")])
    assert result.exit_code == 7 and "no such file" in " ".join(result.output.split())


def test_refuses_to_overwrite_its_input(tmp_path):
    path = tmp_path / "g.jsonld"
    make_small_graph().write(path)
    before = path.read_bytes()
    result = runner.invoke(app, ["export", str(path), "-f", "jsonld", "-o", str(path)])
    assert result.exit_code == 1 and "is the input graph" in " ".join(result.output.split())
    assert path.read_bytes() == before


def test_picture_without_graphviz_says_how_to_install_it(graph_file, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    result = runner.invoke(app, ["export", str(graph_file), "-f", "svg", "-o", str(tmp_path / "g.svg")])
    assert result.exit_code == 9  # MissingDependencyError
    assert "apt-get install graphviz" in " ".join(result.output.split())
    assert not (tmp_path / "g.svg").exists()


def test_knowledge_graph_export_method(tmp_path):
    (path,) = make_small_graph().export("graphml", tmp_path / "g.graphml")
    assert path.read_text(encoding="utf-8").startswith("<?xml")
