"""Errors a person can act on: SPARQL syntax errors in one line with position and fix; gold files
checked against the vocabulary; RDF parse errors as text."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import EXIT_CODES, GoldFormatError, GraphFormatError, QueryError
from kg.eval import load_gold, load_graph
from kg.query import run_query
from kg.rdf import PREFIXES
from tests.conftest import SHARED

runner = CliRunner()
DEV_GOLD = SHARED / "eval" / "dev" / "lingang-news.gold.json"


def error_of(query: str) -> str:
    with pytest.raises(QueryError) as info:
        run_query(ox.Store(), query)
    message = str(info.value)
    assert "\n" not in message and "\\u{" not in message, message
    return message


def test_unknown_prefix_is_named_with_its_position_and_the_predeclared_prefixes():
    message = error_of("SELECT ?x WHERE {\n  ?x a kg:Company ;\n     foo:bar ?o }")
    assert message.startswith("invalid SPARQL: unknown prefix foo: at line 3, column 6")
    assert "PREFIX foo:" in message
    assert all(p in message for p in PREFIXES)


def test_a_declared_prefix_or_text_that_looks_like_one_is_not_blamed():
    # the error is the missing object; 'x:y' in a string, an IRI and a comment are no prefixes
    message = error_of("PREFIX ex: <http://example.org/>\n# see ab:cd\n"
                       "SELECT ?s WHERE { ?s ex:p 'x:y' . <http://a/b:c> ex:q }")
    assert "unknown prefix" not in message
    assert "at line 3, column" in message


def test_a_mistyped_query_form_is_named_with_the_four_forms():
    message = error_of("SELEC ?x WHERE { ?x ?p ?o }")
    assert message.startswith(
        "invalid SPARQL: unknown keyword SELEC at line 1, column 1; expected SELECT, CONSTRUCT, ASK or DESCRIBE")
    assert "did you mean SELECT" in message
    prologue = error_of("PREFIX ex: <http://example.org/>\nselct * { ?s ex:p ?o }")
    assert "unknown keyword selct at line 2, column 1" in prologue


def test_other_syntax_errors_give_the_position_in_the_users_query_and_what_was_expected():
    message = error_of("SELECT ?x WHERE {\n  ?x ?p ?o\n  FILTER(?x = ) }")
    assert message.startswith("invalid SPARQL: syntax error at line 3, column")
    assert "expected" in message and "[_]" not in message and "'0'..=" not in message


def test_cli_prints_the_one_line_and_exits_with_the_query_status(tmp_path):
    graph = tmp_path / "g.nt"
    graph.write_text("<http://a/s> <http://a/p> <http://a/o> .\n", encoding="utf-8")
    result = runner.invoke(app, ["query", str(graph), "SELECT ?x WHERE { ?x foo:bar ?o }"])
    assert result.exit_code == EXIT_CODES[QueryError]
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "unknown prefix foo:" in lines[0], result.stderr


def _gold(tmp_path, edit) -> str:
    data = json.loads(DEV_GOLD.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "edited.gold.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_gold_file_with_unknown_classes_and_properties_is_refused_naming_them(tmp_path):
    def edit(data):
        data["entities"][0]["type"] = "EconomicZon"
        data["entities"][1]["alt_types"] = ["Thing"]
        data["relations"][0]["p"] = ["worksAt"]

    shared = sorted((SHARED / "eval").glob("*/*.gold.json"))
    assert shared
    for gold in shared:  # the check accepts every gold file we have
        load_gold(gold)
    path = _gold(tmp_path, edit)
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    message = str(info.value)
    assert message.startswith(path)
    assert "unknown class 'EconomicZon'" in message and "did you mean EconomicZone" in message
    assert "unknown class 'Thing'" in message and "unknown property 'worksAt'" in message


def test_eval_with_an_unknown_class_exits_with_the_gold_status(tmp_path):
    graph = tmp_path / "g.nt"
    graph.write_text("<http://a/s> <http://a/p> <http://a/o> .\n", encoding="utf-8")
    path = _gold(tmp_path, lambda d: d["entities"][0].update(type="Planet"))
    result = runner.invoke(app, ["eval", str(graph), path])
    assert result.exit_code == EXIT_CODES[GoldFormatError], result.output
    assert "unknown class 'Planet'" in result.stderr and path in result.stderr


def test_rdf_parse_errors_are_text_not_a_bytes_repr(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://e/> .\nex:a ex:b "open string .\nex:c ex:d ex:e .\n', encoding="utf-8")
    with pytest.raises(GraphFormatError) as info:
        load_graph(bad)
    message = str(info.value)
    assert "b'" not in message and "\n" not in message
    assert message.startswith(f"{bad}: cannot parse as Turtle:") and "line 2" in message
    result = runner.invoke(app, ["eval", str(bad), str(DEV_GOLD)])
    assert result.exit_code == EXIT_CODES[GraphFormatError] and "b'" not in result.stderr
