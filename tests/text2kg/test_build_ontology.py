"""``kg build --ontology``: a graph in the user's ontology and nothing else.

A small invented corpus is read with the tiny company ontology (its JSON form
and its Turtle twin) and the examples beside it; the graphs are checked with
SPARQL (Oxigraph).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import EXIT_SKIPPED
from kg.errors import KGError
from kg.rdf import read_store
from kg.text2kg.graph import default_base, evidence_graph_iri, literal_for, term_iris
from kg.text2kg.ontology import Relation, literal_kind, load_ontology

DATA = Path(__file__).parent / "data"
ONTOLOGIES = {"json": DATA / "company_ontology.json", "ttl": DATA / "company_ontology.ttl"}
EXAMPLES = DATA / "company_examples.jsonl"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
KG = "https://w3id.org/wild-goose/vocab#"
FOUNDED = "Initech was founded in Austin on February 19, 1999."

runner = CliRunner()


def write_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "initech.txt").write_text(
        f"Initech\n\n{FOUNDED} It has 2,300 employees.\n\n"
        "The American company Vandelay Industries was founded by Art Vandelay in New York.\n",
        encoding="utf-8")
    (root / "notes.md").write_text(
        "# Notes\n\nINITECH employs 2,300 people. Globex was founded in Springfield on March 3, 1989.\n",
        encoding="utf-8")
    (root / "news.jsonl").write_text(json.dumps(
        {"id": "news-1", "text": "Hooli, a company founded on 04-01-1998, has 9,000 employees."}) + "\n",
        encoding="utf-8")
    return root


def kg(*args: object):
    result = runner.invoke(app, [str(a) for a in args])
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("byo") / "corpus")


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory) -> dict:
    """One build per ontology format with --examples, and one with --model-dir."""
    out = tmp_path_factory.mktemp("built")
    done = {}
    result = kg("build", corpus, "--ontology", ONTOLOGIES["json"], "--examples", EXAMPLES, "-o", out / "json.trig")
    assert result.exit_code == 0, result.output
    done["json"] = (out / "json.trig", out / "json.trig")
    result = kg("build", corpus, "--ontology", ONTOLOGIES["ttl"], "--examples", EXAMPLES, "-o", out / "ttl.ttl",
                "--evidence", out / "ttl-evidence.nq")
    assert result.exit_code == 0, result.output
    done["ttl"] = (out / "ttl.ttl", out / "ttl-evidence.nq")
    done["summary"] = result.output
    learned = kg("learn", EXAMPLES, "--ontology", ONTOLOGIES["ttl"], "-o", out / "model")
    assert learned.exit_code == 0, learned.output
    result = kg("build", corpus, "--model-dir", out / "model", "-o", out / "model.ttl",
                "--evidence", out / "model-evidence.nq")
    assert result.exit_code == 0, result.output
    done["model"] = (out / "model.ttl", out / "model-evidence.nq")
    done["model_dir"] = out / "model"
    return done


def rows(store, query: str) -> list[tuple]:
    return [tuple(None if v is None else v.value for v in row) for row in store.query(query)]


@pytest.mark.model
@pytest.mark.parametrize("kind", ["json", "ttl"])
def test_the_data_graph_uses_only_the_ontology(built, kind):
    data, _ = built[kind]
    store = read_store(data)
    classes, props = term_iris(load_ontology(ONTOLOGIES[kind]))
    predicates = {p for (p,) in rows(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
    assert predicates <= set(props.values()) | {RDF_TYPE, RDFS_LABEL}
    assert len(predicates & set(props.values())) >= 3
    types = {c for (c,) in rows(store, f"SELECT DISTINCT ?c WHERE {{ ?s <{RDF_TYPE}> ?c }}")}
    assert types and types <= set(classes.values())
    if kind == "ttl":  # the ontology's own IRIs
        assert "http://example.org/tiny-company#foundationPlace" in predicates
    else:  # minted from the JSON ontology's id
        assert "https://w3id.org/wild-goose/ontology/tiny-company#foundationPlace" in predicates


@pytest.mark.model
@pytest.mark.parametrize("kind", ["json", "ttl"])
def test_every_statement_respects_domain_and_range(built, kind):
    onto = load_ontology(ONTOLOGIES[kind])
    classes, props = term_iris(onto)
    store = read_store(built[kind][0])

    def typed_as(node: str, cls: str) -> bool:
        have = {c for (c,) in rows(store, f"SELECT ?c WHERE {{ <{node}> <{RDF_TYPE}> ?c }}")}
        return any(classes[sub] in have for sub in classes if cls in onto.ancestors(sub))

    checked = 0
    for rel in onto.relations:
        for s, o, dtype in rows(store, f"SELECT ?s ?o (DATATYPE(?o) AS ?d) WHERE {{ ?s <{props[rel.label]}> ?o }}"):
            checked += 1
            assert typed_as(s, rel.domain), (s, rel.label)
            kind_of_range = literal_kind(rel.range)
            if kind_of_range is None:
                assert dtype is None and typed_as(o, rel.range), (o, rel.label)
            elif kind_of_range == "date":
                allowed = {"date"} if rel.range == "xsd:date" else {"date", "gYearMonth", "gYear"}
                assert dtype in {XSD + a for a in allowed}, (o, dtype)
            elif kind_of_range == "number":
                allowed = {"integer"} if rel.range == "xsd:integer" else {"integer", "decimal"}
                assert dtype in {XSD + a for a in allowed}, (o, dtype)
    assert checked >= 5
    for a, b in onto.disjoint:  # no node is both of two disjoint classes
        assert not rows(store, f"SELECT ?s WHERE {{ ?s <{RDF_TYPE}> <{classes[a]}>, <{classes[b]}> }}")


@pytest.mark.model
@pytest.mark.parametrize("kind", ["json", "ttl"])
def test_a_stated_fact_is_found_with_its_evidence(built, kind):
    data, evidence = built[kind]
    onto = load_ontology(ONTOLOGIES[kind])
    _, props = term_iris(onto)
    store = read_store(data)
    found = rows(store, f"""SELECT ?s ?o WHERE {{
        ?s <{RDFS_LABEL}> "Initech" ; <{props['foundationPlace']}> ?o . ?o <{RDFS_LABEL}> "Austin" .
        ?s <{props['foundingDate']}> "1999-02-19"^^<{XSD}date> }}""")
    assert len(found) == 1
    (s, o), = found
    ev = read_store(evidence)
    graph = evidence_graph_iri(default_base(onto))
    sentences = rows(ev, f"""SELECT ?sentence ?doc ?c WHERE {{ GRAPH <{graph}> {{
        ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{s}> ;
            <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <{props['foundationPlace']}> ;
            <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <{o}> ;
            <{KG}evidence> ?e .
        ?e <{KG}sentence> ?sentence ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc ; <{KG}confidence> ?c }} }}""")
    assert [(sentence, doc.rsplit("/", 1)[1]) for sentence, doc, _ in sentences] == [(FOUNDED, "initech")]
    assert 0.5 <= float(sentences[0][2]) <= 1.0


@pytest.mark.model
@pytest.mark.parametrize("kind", ["json", "ttl"])
def test_an_entity_named_in_several_documents_is_one_node(built, kind):
    data, evidence = built[kind]
    store = read_store(data)
    nodes = rows(store, f'SELECT ?s WHERE {{ ?s <{RDFS_LABEL}> ?l FILTER(LCASE(STR(?l)) = "initech") }}')
    assert len(nodes) == 1
    docs = rows(read_store(evidence), f"""SELECT DISTINCT ?doc WHERE {{ GRAPH ?g {{
        ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{nodes[0][0]}> ; <{KG}evidence> ?e .
        ?e <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc }} }}""")
    assert len(docs) >= 2  # read in initech.txt and notes.md


@pytest.mark.model
def test_the_evidence_stays_out_of_the_data_graph(built):
    trig = read_store(built["json"][0])
    default = rows(trig, f"SELECT ?s WHERE {{ ?s <{KG}sentence> ?x }}")
    named = rows(trig, f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s <{KG}sentence> ?x }} }}")
    assert not default and named
    assert "evidence" not in built["ttl"][0].read_text(encoding="utf-8").split("@prefix")[-1].lower()
    assert "sentences" in built["summary"] and "statements" in built["summary"]


@pytest.mark.model
def test_a_saved_model_gives_the_same_graph_as_the_examples(built):
    assert (built["model_dir"] / "model.json").is_file()
    for data, evidence in zip(built["ttl"], built["model"]):
        assert set(read_store(data)) == set(read_store(evidence)) and len(read_store(data)) > 0


@pytest.mark.model
def test_the_ontology_alone_still_guides_extraction(corpus, tmp_path):
    out = tmp_path / "zero.nt"
    result = kg("build", corpus, "--ontology", ONTOLOGIES["ttl"], "-o", out, "-q")
    assert result.exit_code == 0, result.output
    _, props = term_iris(load_ontology(ONTOLOGIES["ttl"]))
    predicates = {p for (p,) in rows(read_store(out), "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
    assert predicates <= set(props.values()) | {RDF_TYPE, RDFS_LABEL} and predicates & set(props.values())


@pytest.mark.model
def test_an_undecodable_file_is_skipped_and_the_rest_written(built, corpus, tmp_path):
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "good.txt").write_text(FOUNDED + "\n", encoding="utf-8")
    (mixed / "bad.txt").write_bytes(b"Caf\xe9 Initech was founded in \xff Austin.\n")
    out = tmp_path / "out.trig"
    out.write_text("previous graph\n", encoding="utf-8")
    result = kg("build", mixed, "--model-dir", built["model_dir"], "-o", out)
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert "skipped" in result.output and "bad.txt" in result.output and "not valid UTF-8" in result.output
    labels = {l for (l,) in rows(read_store(out), f"SELECT ?l WHERE {{ ?s <{RDFS_LABEL}> ?l }}")}
    assert {"Initech", "Austin"} <= labels


def test_a_missing_ontology_file_is_named(tmp_path):
    out = tmp_path / "out.ttl"
    out.write_text("previous graph\n", encoding="utf-8")
    result = kg("build", write_corpus(tmp_path / "c"), "--ontology", tmp_path / "nope.ttl", "-o", out)
    assert result.exit_code == 5
    assert "nope.ttl" in result.output and "no such ontology file" in result.output
    assert out.read_text(encoding="utf-8") == "previous graph\n"


def test_a_malformed_example_line_is_named(tmp_path):
    bad = tmp_path / "examples.jsonl"
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()
    bad.write_text(lines[0] + "\n{\"sent\": \"Acme was founded\", \"triples\": [{\"sub\": \"Acme\"}]}\n",
                   encoding="utf-8")
    out = tmp_path / "out.ttl"
    out.write_text("previous graph\n", encoding="utf-8")
    result = kg("build", write_corpus(tmp_path / "c"), "--ontology", ONTOLOGIES["json"], "--examples", bad,
                "-o", out)
    assert result.exit_code == 3
    assert "examples.jsonl" in result.output and "line 2" in result.output
    assert out.read_text(encoding="utf-8") == "previous graph\n"


@pytest.mark.parametrize("args, message", [
    (["--ontology", ONTOLOGIES["json"], "--examples", EXAMPLES, "--model-dir", "m"], "not both"),
    (["--examples", EXAMPLES], "needs --ontology"),
    (["--ontology", ONTOLOGIES["json"], "--store", "st"], "--store cannot be used"),
    (["--ontology", ONTOLOGIES["json"], "--extractors", "located_in"], "--extractors cannot be used"),
    (["--ontology", ONTOLOGIES["json"], "--lexicon", "lex.toml"], "--lexicon cannot be used"),
    (["--evidence", "ev.nq"], "go with --ontology"),
])
def test_options_that_make_no_sense_are_refused(tmp_path, args, message):
    out = tmp_path / "out.ttl"
    result = runner.invoke(app, ["build", str(tmp_path), *map(str, args), "-o", str(out)],
                           env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())
    assert not out.exists()


def test_a_model_directory_without_a_model_is_named(tmp_path):
    result = kg("build", tmp_path, "--model-dir", tmp_path, "-o", tmp_path / "out.ttl")
    assert result.exit_code == 3 and "holds no model.json" in result.output


@pytest.mark.parametrize("not_a_model", [EXAMPLES, ONTOLOGIES["json"]])
def test_a_file_that_is_not_a_model_is_named(tmp_path, not_a_model):
    result = kg("build", tmp_path, "--model-dir", not_a_model, "-o", tmp_path / "out.ttl")
    assert result.exit_code == 3
    assert not_a_model.name in result.output and "not a model written by kg learn" in result.output


@pytest.mark.model
def test_an_ontology_that_differs_from_the_model_is_refused(built, tmp_path):
    result = kg("build", tmp_path, "--model-dir", built["model_dir"], "--ontology", ONTOLOGIES["json"],
                "-o", tmp_path / "out.ttl")
    assert result.exit_code == 5
    assert "differs from the ontology of the model" in result.output


@pytest.mark.parametrize("value, range_, expected", [
    ("1999-02-19", "Date", ("1999-02-19", "date")),
    ("February 19, 1999", "Date", ("1999-02-19", "date")),
    ("1999", "Date", ("1999", "gYear")),
    ("1999", "xsd:date", None),           # a declared xsd:date needs a full date
    ("1999-02-19", "xsd:gYear", ("1999", "gYear")),
    ("8,500", "number", ("8500", "integer")),
    ("30843.8 (square metres)", "number", ("30843.8", "decimal")),
    ("2.5", "xsd:integer", None),
    ("-3", "xsd:nonNegativeInteger", None),
    ("12", "xsd:nonNegativeInteger", ("12", "nonNegativeInteger")),
    ("7.5", "xsd:double", ("7.5", "double")),
    ("many", "number", None),
    ('"Energy_for all"', "string", ("Energy for all", None)),
])
def test_literals_take_the_range_datatype(value, range_, expected):
    assert literal_for(value, Relation("r", "r", "Company", range_)) == expected


@pytest.mark.parametrize("base, expected", [
    ("https://example.org/companies", "https://example.org/companies/"),
    ("https://example.org/companies#", "https://example.org/companies#"),
    ("companies/", None),
])
def test_the_base_is_a_namespace(base, expected):
    from kg.text2kg.graph import check_base

    if expected is None:
        with pytest.raises(ValueError, match="not an absolute IRI"):
            check_base(base)
    else:
        assert check_base(base) == expected


def test_a_relative_base_is_refused_before_any_work(tmp_path):
    result = runner.invoke(app, ["build", str(tmp_path), "--ontology", str(ONTOLOGIES["json"]),
                                 "--base", "companies/", "-o", str(tmp_path / "out.ttl")], env={"COLUMNS": "300"})
    assert result.exit_code == 2 and "not an absolute IRI" in result.output


@pytest.mark.model
def test_relations_the_ontology_lacks_are_named(tmp_path):
    examples = tmp_path / "examples.jsonl"
    examples.write_text(EXAMPLES.read_text(encoding="utf-8") + json.dumps(
        {"sent": "Acme was headed by Wile E. Coyote.", "triples": [{"sub": "Acme", "rel": "ceo", "obj": "Wile_E._Coyote"}]})
        + "\n", encoding="utf-8")
    result = kg("learn", examples, "--ontology", ONTOLOGIES["json"], "-o", tmp_path / "m")
    assert result.exit_code == 0, result.output
    assert "relations not in the ontology, ignored: ceo" in " ".join(result.output.split())
    assert (tmp_path / "m" / "model.json").is_file()


@pytest.mark.model
def test_json_ld_holds_the_evidence_as_a_named_graph(built, corpus, tmp_path):
    out = tmp_path / "graph.jsonld"
    result = kg("build", corpus, "--model-dir", built["model_dir"] / "model.json", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    store = read_store(out)
    assert not rows(store, f"SELECT ?s WHERE {{ ?s <{KG}sentence> ?x }}")
    assert FOUNDED in {s for (s,) in rows(store, f"SELECT ?s WHERE {{ GRAPH ?g {{ ?e <{KG}sentence> ?s }} }}")}


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    import kg.rdf
    from kg.text2kg.graph import GraphEntity, GraphStatement, OntologyGraph

    onto = load_ontology(ONTOLOGIES["ttl"])
    classes, props = term_iris(onto)
    graph = OntologyGraph(ontology=onto, base="https://example.org/c/")
    graph.entities = [GraphEntity("https://example.org/c/initech", "Initech", [classes["Company"]])]
    graph.statements = [GraphStatement("https://example.org/c/initech", props["numberOfEmployees"], "2300",
                                       "integer", literal=True)]
    out = tmp_path / "graph.ttl"
    graph.write(out)
    before = out.read_bytes()
    assert b"2300" in before and b"Initech" in before

    def broken(items, fh, *args, **kwargs):
        fh.write(b"@prefix half: <")
        raise OSError("disk full")

    monkeypatch.setattr(kg.rdf.ox, "serialize", broken)
    with pytest.raises(KGError, match="disk full"):  # one line for the user, no OSError traceback
        graph.write(out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]  # no temporary file left behind


# -- which spans may become nodes (hand-built parses, no model) ---------------------------------------


def _parsed(words, pos, ents=()):
    import spacy
    from spacy.tokens import Doc, Span

    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, pos=pos, heads=list(range(len(words))), deps=["ROOT"] * len(words))
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


def _chars(doc, start, end):
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


@pytest.mark.parametrize("words,pos,ents,span,subject,expected", [
    (["Globex", "opened"], ["PROPN", "VERB"], [(0, 1, "ORG")], (0, 1), True, True),
    (["September", "saw"], ["PROPN", "VERB"], [(0, 1, "DATE")], (0, 1), True, False),
    (["the", "day", "came"], ["DET", "NOUN", "VERB"], [], (1, 2), True, False),
    (["Chinese", "firms"], ["ADJ", "NOUN"], [(0, 1, "NORP")], (0, 1), True, False),
    (["makes", "manufacturing"], ["VERB", "NOUN"], [], (1, 2), False, True),
    (["has", "12,000"], ["VERB", "NUM"], [(1, 2, "CARDINAL")], (1, 2), False, False),
    (["in", "Austin"], ["ADP", "PROPN"], [(1, 2, "GPE")], (1, 2), False, True),
])
def test_only_names_and_nouns_become_nodes(words, pos, ents, span, subject, expected):
    from kg.text2kg.graph import names_an_entity

    doc = _parsed(words, pos, ents)
    assert names_an_entity(doc, _chars(doc, *span), subject=subject) is expected


@pytest.mark.model
def test_a_class_range_the_examples_fill_with_numbers_gives_literals(corpus, tmp_path):
    # the ontology says numberOfEmployees ranges over a class "Workforce"; the
    # examples only ever give numbers, so "2,300 employees" is a typed literal
    # and no node named "2300" (typed Workforce) appears
    onto = json.loads(ONTOLOGIES["json"].read_text(encoding="utf-8"))
    onto["concepts"].append({"qid": "Workforce", "label": "Workforce"})
    for rel in onto["relations"]:
        if rel["label"] == "numberOfEmployees":
            rel["range"] = "Workforce"
    path = tmp_path / "workforce.json"
    path.write_text(json.dumps(onto), encoding="utf-8")
    result = kg("build", corpus, "--ontology", path, "--examples", EXAMPLES, "-o", tmp_path / "g.ttl")
    assert result.exit_code == 0, result.output
    store = read_store(tmp_path / "g.ttl")
    _, props = term_iris(load_ontology(path))
    values = rows(store, f"SELECT ?v WHERE {{ ?s <{props['numberOfEmployees']}> ?v }}")
    assert ("2300",) in values
    assert not rows(store, f'SELECT ?n WHERE {{ ?n <{RDFS_LABEL}> "2300" }}')
    kinds = rows(store, f"SELECT DISTINCT (isLiteral(?v) AS ?lit) (DATATYPE(?v) AS ?t) WHERE "
                        f"{{ ?s <{props['numberOfEmployees']}> ?v }}")
    assert kinds == [("true", XSD + "integer")]


@pytest.mark.model
def test_worker_processes_build_the_same_graph(built, corpus, tmp_path):
    # --jobs 2: two processes read the documents; statements, entities and
    # evidence come out as one process writes them
    one, _ = built["json"]
    result = kg("build", corpus, "--ontology", ONTOLOGIES["json"], "--examples", EXAMPLES,
                "--jobs", "2", "-o", tmp_path / "two.trig")
    assert result.exit_code == 0, result.output
    query = "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"

    def quads(path):
        return sorted(rows(read_store(path), query), key=repr)

    assert quads(tmp_path / "two.trig") == quads(one)
