"""One contract over every registered exporter: a new format is tested without a new test file."""

from __future__ import annotations

import doctest
import importlib
import shutil

import pytest

from kg.errors import KGError, UnknownNameError
from kg.export import MissingDependencyError, export, exporters, get_exporter, known_formats
from kg.graph import KnowledgeGraph
from tests.export.conftest import make_nasty_graph, make_small_graph

FORMATS = known_formats()


def _run(fmt: str, graph: KnowledgeGraph, out):
    """Export, or skip when the format's optional package or program is missing here."""
    spec = get_exporter(fmt)
    if spec.binary and shutil.which(spec.binary) is None:
        with pytest.raises(MissingDependencyError, match="install"):
            export(graph, fmt, out)
        pytest.skip(f"{fmt} needs the {spec.binary} program (apt-get install graphviz)")
    try:
        return export(graph, fmt, out)
    except MissingDependencyError as exc:
        assert spec.extra and f"[{spec.extra}]" in str(exc)
        pytest.skip(str(exc))


def _target(tmp_path, fmt):
    spec = get_exporter(fmt)
    return tmp_path / (fmt if spec.directory else f"graph{spec.suffix}")


def test_the_issue_formats_are_all_registered():
    expected = {"gexf", "graphml", "cytoscape", "d3", "dot", "html", "jsonld", "csv", "tsv", "parquet", "neo4j", "svg", "png",
                "graphrag", "cypher"}
    assert expected <= set(FORMATS)


def test_unknown_format_lists_the_known_ones():
    with pytest.raises(UnknownNameError) as info:
        get_exporter("gephi")
    assert "gexf" in str(info.value) and "html" in str(info.value)


def test_exporters_are_catalogue_entries():
    assert set(exporters.get_all()) == set(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_metadata(fmt):
    spec = get_exporter(fmt)
    assert spec.name == fmt and spec.description
    assert (spec.suffix == "") == spec.directory
    assert spec.suffix == "" or spec.suffix.startswith(".")


@pytest.mark.parametrize("fmt", FORMATS)
def test_writes_what_it_returns_and_nothing_else(fmt, tmp_path):
    out = _target(tmp_path, fmt)
    written = _run(fmt, make_small_graph(), out)
    assert written, "an exporter returns the files it wrote"
    for path in written:
        assert path.is_file() and path.stat().st_size > 0
        assert path == out or path.parent == out
    leftovers = [p.name for p in tmp_path.rglob("*") if p.is_file() and p not in written]
    assert leftovers == [], "temporary files left behind"


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_graph_same_bytes(fmt, tmp_path):
    a = _run(fmt, make_small_graph(), _target(tmp_path / "a", fmt))
    b = _run(fmt, make_small_graph(), _target(tmp_path / "b", fmt))
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_graph(fmt, tmp_path):
    written = _run(fmt, KnowledgeGraph(), _target(tmp_path, fmt))
    assert all(p.exists() for p in written)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_labels_do_not_break_the_writer(fmt, tmp_path):
    written = _run(fmt, make_nasty_graph(), _target(tmp_path, fmt))
    for path in written:
        if path.suffix in (".csv", ".tsv", ".json", ".cyjs", ".jsonld", ".gexf", ".graphml", ".html", ".dot", ".svg", ".txt"):
            path.read_text(encoding="utf-8")  # valid UTF-8 throughout


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_kind_is_checked(fmt, tmp_path):
    spec = get_exporter(fmt)
    if spec.directory:
        (tmp_path / "file").write_text("x")
        with pytest.raises(KGError, match="directory"):
            export(make_small_graph(), fmt, tmp_path / "file")
    else:
        with pytest.raises(KGError, match="is a directory"):
            export(make_small_graph(), fmt, tmp_path)


@pytest.mark.parametrize(
    "module",
    ["kg.export.registry", "kg.export.common", "kg.export.html", "kg.export.tables", "kg.export.dot", "kg.export", "kg.stats",
     "kg.export.cypher", "kg.html_text"],
)
def test_docstring_examples(module):
    if module == "kg.export.dot" and importlib.util.find_spec("pydot") is None:
        pytest.skip("pydot is not installed")
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_files_get_the_usual_permissions(fmt, tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        for path in export(make_small_graph(), fmt, _target(tmp_path, fmt)):
            assert path.stat().st_mode & 0o777 == 0o644  # shareable, like any file the user writes
    finally:
        os.umask(umask)
