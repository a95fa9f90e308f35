"""Hostile RDF files, through every reader of the project (``kg query``, the
Python API, ``kg stats``, ``kg serve`` and ``kg build --ontology``).

Each must end in a one-line error naming the file -- no traceback, no hang, no
abort -- and none may connect to the canary listener (remote JSON-LD contexts,
external XML entities and DTDs all point at it).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
import kg.rdf_parse
from kg.cli import app
from kg.errors import GraphFormatError, OntologyError
from kg.rdf_read import read_graph
from kg.serve import ServeOptions, SparqlServer
from kg.text2kg.ontology import load_ontology

RDF_HEAD = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
#: a child parse in these tests may use this much (the default is larger; a bomb only takes longer to stop)
TEST_MEMORY = 160 * 2**20


def _rdfxml(doctype: str, value: str) -> str:
    return (f'<?xml version="1.0"?>\n{doctype}\n{RDF_HEAD}<rdf:Description rdf:about="http://example.org/a">'
            f"<ex:p>{value}</ex:p></rdf:Description></rdf:RDF>\n")


def hostile_files(url: str) -> dict[str, str]:
    laughs = ['<!ENTITY l0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    return {
        "bomb9.rdf": _rdfxml(f"<!DOCTYPE rdf:RDF [{''.join(laughs)}]>", "&l9;"),
        "bomb5.owl": _rdfxml(f"<!DOCTYPE rdf:RDF [{''.join(laughs[:6])}]>", "&l5;"),
        "quadratic.rdf": _rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY a "{"x" * 50_000}">]>', "&a;" * 50_000),
        "external-entity.rdf": _rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{url}entity">]>', "&e;"),
        "external-file.rdf": _rdfxml('<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "&e;"),
        "external-dtd.rdf": _rdfxml(f'<!DOCTYPE rdf:RDF SYSTEM "{url}dtd">', "x"),
        "parameter-entity.rdf": _rdfxml(f'<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{url}pe"> %p;]>', "x"),
        "remote-context.jsonld": json.dumps({"@context": f"{url}context.jsonld", "@id": "http://e/a", "name": "x"}),
        "remote-context-list.jsonld": json.dumps({"@context": [{"ex": "http://e/"}, f"{url}c2"], "@id": "http://e/a"}),
        "scoped-remote-context.jsonld": json.dumps(
            {"@context": {"p": {"@id": "http://e/p", "@context": f"{url}c3"}}, "@id": "http://e/a", "p": {"q": 1}}),
        "deep.jsonld": '{"@id":"http://e/a","http://e/p":' + '{"http://e/p":' * 20_000 + "1" + "}" * 20_000 + "}",
        "deep-list.jsonld": '{"@id":"http://e/a","http://e/p":{"@list":' + "[" * 20_000 + "]" * 20_000 + "}}",
        "huge-literal.ttl": '<http://e/a> <http://e/p> "' + "x" * 20_000_000 + '" .\n',
        "deep.ttl": "<http://e/a> <http://e/p> " + "[ <http://e/p> " * 20_000 + "1 " + "]" * 20_000 + " .\n",
        "not-utf8.ttl": '<http://e/a> <http://e/p> "caf\udce9" .\n',
        "truncated.nt": "<http://e/a> <http://e/p> \"x",
    }


NAMES = list(hostile_files("http://x/"))
#: files that are valid RDF a careful parser reads without reaching out (the rest must be refused)
READABLE = {"deep.ttl", "deep-list.jsonld", "external-dtd.rdf", "bomb5.owl"}


@pytest.fixture(scope="module")
def files(tmp_path_factory, canary):
    folder = tmp_path_factory.mktemp("hostile")
    for name, text in hostile_files(canary.url).items():
        (folder / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    return folder


@pytest.fixture(autouse=True)
def small_parse_limits(monkeypatch):
    monkeypatch.setattr(kg.rdf_parse, "PARSE_MEMORY_BYTES", TEST_MEMORY)
    monkeypatch.setattr(kg.rdf_parse, "PARSE_SECONDS", 30.0)


@pytest.mark.parametrize("name", NAMES)
def test_kg_query_gives_a_one_line_error_and_nothing_connects(files, canary, name):
    before = canary.count(0)
    t0 = time.monotonic()
    result = CliRunner().invoke(app, ["query", str(files / name), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"])
    assert time.monotonic() - t0 < 30
    assert "Traceback" not in result.output
    if name in READABLE:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0], result.stderr
    assert canary.count() == before


@pytest.mark.parametrize("name", NAMES)
def test_reader_of_kg_export_and_stats_raises_graph_format_error(files, canary, name):
    before = canary.count(0)
    if name in READABLE:
        assert len(kg.load(str(files / name))) > 0
        return
    with pytest.raises(GraphFormatError, match=name.replace(".", r"\.")):
        read_graph(files / name)
    assert canary.count() == before


@pytest.mark.parametrize("name", [n for n in NAMES if n.endswith((".rdf", ".owl", ".jsonld"))])
def test_ontology_loader_raises_ontology_error(files, canary, name):
    before = canary.count(0)
    if name in READABLE:
        with pytest.raises(OntologyError, match="declares no relations"):
            load_ontology(files / name)
    else:
        with pytest.raises(OntologyError, match=name.replace(".", r"\.")):
            load_ontology(files / name)
    assert canary.count() == before


@pytest.mark.parametrize("name", ["bomb9.rdf", "deep.jsonld", "remote-context.jsonld"])
def test_kg_serve_refuses_the_file_and_survives(files, canary, name):
    before = canary.count(0)
    with pytest.raises(GraphFormatError, match=name.replace(".", r"\.")):
        SparqlServer.open(files / name, ServeOptions(port=0, workers=1))
    assert canary.count() == before


def test_a_good_rdfxml_file_still_reads_with_its_base(tmp_path):
    path = tmp_path / "good.rdf"
    path.write_text(f'<?xml version="1.0"?>\n{RDF_HEAD}<rdf:Description rdf:about="#me"><ex:p>1</ex:p>'
                    "</rdf:Description></rdf:RDF>\n")
    quads = kg.rdf_parse.parse_rdf(path, kg.rdf.format_for(path))
    assert [q.subject.value for q in quads] == [path.resolve().as_uri() + "#me"]


def test_ontology_with_a_relative_iri_resolves_against_its_file(tmp_path: Path):
    path = tmp_path / "onto.ttl"
    path.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    "<#worksFor> a owl:ObjectProperty ; rdfs:label \"works for\" ; rdfs:domain <#Person> .\n")
    onto = load_ontology(path)
    assert onto.relation("works for").iri == path.resolve().as_uri() + "#worksFor"


@pytest.mark.parametrize("name", ["remote-context.jsonld", "external-entity.rdf", "bomb9.rdf"])
def test_kg_eval_reads_graphs_through_the_guard(files, canary, name):
    from kg.eval import load_graph

    before = canary.count(0)
    with pytest.raises(GraphFormatError, match=name.replace(".", r"\.")):
        load_graph(files / name)
    assert canary.count() == before
