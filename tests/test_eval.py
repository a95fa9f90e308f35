"""Tests of ``kg.eval`` and ``kg eval``: every scoring rule, with figures computed by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from typer.testing import CliRunner

from kg.errors import GoldFormatError, GraphFormatError
from kg.eval import evaluate, local_name, normalize_name

#: a vocabulary namespace that is not the project's: terms are found by local name
V = Namespace("http://example.org/v#")
E = Namespace("http://example.org/e/")
SCHEMA = Namespace("https://schema.org/")
SHARED = Path(__file__).resolve().parents[2] / "shared"


def add(graph: Graph, iri: URIRef, classes: str | list[str], label: str, *alts: str) -> URIRef:
    """Add one predicted entity: its vocabulary classes, label and altLabels."""
    for cls in [classes] if isinstance(classes, str) else classes:
        graph.add((iri, RDF.type, V[cls]))
    graph.add((iri, RDFS.label, Literal(label)))
    for alt in alts:
        graph.add((iri, SKOS.altLabel, Literal(alt)))
    return iri


def entity(id_: str, type_: str, *names: str, alt_types: list[str] | None = None) -> dict[str, Any]:
    ent: dict[str, Any] = {"id": id_, "type": type_, "names": list(names)}
    if alt_types:
        ent["alt_types"] = alt_types
    return ent


def gold(
    id_: str, entities: list[dict[str, Any]], relations: list[tuple[str, list[str], str]] | None = None
) -> dict[str, Any]:
    return {
        "id": id_,
        "entities": entities,
        "relations": [{"s": s, "p": p, "o": o, "evidence": ""} for s, p, o in relations or []],
    }


# ------------------------------------------------------------------ normalization


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("The Lingang New Area's", "lingang new area"),
        ("the Lingang New Area\u2019s", "lingang new area"),  # curly quote straightened first
        ("\u201cSaike\u201d  Intelligence", "saike intelligence"),
        ("Geke Micro Co., Ltd.", "geke micro co ltd"),
        ("China's Pilot Free-Trade Zone", "chinas pilot freetrade zone"),
        ("\uff2c\uff29\uff2e\uff27\uff21\uff2e\uff27", "lingang"),  # full-width letters, NFKC
        ("Theatre Square", "theatre square"),  # "the" only as a word
        ("  The   Bund  ", "bund"),
        ("!!!", ""),
    ],
)
def test_normalize_name(name: str, expected: str) -> None:
    assert normalize_name(name) == expected


def test_local_name() -> None:
    assert local_name("http://a.org/v#Company") == "Company"
    assert local_name("https://schema.org/worksFor") == "worksFor"


# ----------------------------------------------------------------------- entities


def test_entity_matches_by_normalized_name_in_any_namespace() -> None:
    g = Graph()
    add(g, E.a, "EconomicZone", "The Lingang New Area\u2019s")
    add(g, E.b, "Company", "Saike", "Saike Intelligence, Ltd.")
    report = evaluate(g, gold("d", [
        entity("lingang", "EconomicZone", "Lingang New Area"),
        entity("saike", "Company", "Saike Intelligence Ltd"),
    ]))
    assert (report.entities.precision, report.entities.recall, report.entities.f1) == (1.0, 1.0, 1.0)
    assert report.type_accuracy == 1.0


def test_duplicates_count_against_precision() -> None:
    g = Graph()
    add(g, E.a, "EconomicZone", "Lingang New Area")
    add(g, E.b, "EconomicZone", "Lingang")  # same gold entity, later IRI: a duplicate
    add(g, E.c, "Company", "Saike")
    add(g, E.z, "City", "Atlantis")  # matches nothing
    g.add((E.u, RDF.type, V.Company))  # typed but unlabeled: predicted, never matches
    report = evaluate(g, gold("d", [
        entity("lingang", "EconomicZone", "Lingang New Area", "Lingang"),
        entity("saike", "Company", "Saike"),
        entity("dai", "Person", "Dai Juan"),
    ]))
    ents = report.entities
    assert (ents.predicted, ents.correct, ents.gold, ents.found) == (5, 2, 3, 2)
    assert ents.precision == pytest.approx(2 / 5)
    assert ents.recall == pytest.approx(2 / 3)
    assert ents.f1 == pytest.approx(2 * 0.4 * (2 / 3) / (0.4 + 2 / 3))
    assert (report.matched, report.duplicates, report.duplicate_rate) == (2, 1, 0.5)
    assert report.duplicate_entities[0].startswith(str(E.b))
    assert report.unmatched_gold == ["d:dai 'Dai Juan' (Person)"]
    assert len(report.unmatched_predicted) == 2


def test_first_match_is_smallest_iri() -> None:
    g = Graph()
    add(g, E.b, "Company", "Saike")  # right type, but larger IRI
    add(g, E.a, "Person", "Saike")
    report = evaluate(g, gold("d", [entity("saike", "Company", "Saike")]))
    assert report.duplicate_entities[0].startswith(str(E.b))
    assert report.type_correct == 0  # E.a took the gold entity, with the wrong type


def test_label_decides_between_gold_entities() -> None:
    g = Graph()
    add(g, E.a, "EconomicZone", "Lingang Industrial Zone", "Lingang")
    report = evaluate(g, gold("d", [
        entity("area", "EconomicZone", "Lingang New Area", "Lingang"),
        entity("zone", "EconomicZone", "Lingang Industrial Zone", "Lingang"),
    ]))
    assert report.unmatched_gold == ["d:area 'Lingang New Area' (EconomicZone)"]
    # the label names both: the one listed first in the gold file wins
    g2 = Graph()
    add(g2, E.a, "EconomicZone", "Lingang")
    report2 = evaluate(g2, gold("d", [
        entity("area", "EconomicZone", "Lingang New Area", "Lingang"),
        entity("zone", "EconomicZone", "Lingang Industrial Zone", "Lingang"),
    ]))
    assert report2.unmatched_gold == ["d:zone 'Lingang Industrial Zone' (EconomicZone)"]


def test_type_accuracy_alt_types_and_most_specific_class() -> None:
    g = Graph()
    add(g, E.x, "Organization", "Saike")  # gold Company, alt Organization: right
    add(g, E.y, ["Place", "City"], "Shanghai")  # most specific City: right
    add(g, E.z, ["Place", "City"], "Nangang Port")  # City, gold Facility | Place: wrong
    add(g, E.za, "Person", "Shanghai")  # duplicate of Shanghai: type not judged
    add(g, E.w, ["City", "Company"], "Tesla")  # tie at depth 2: Company comes first
    report = evaluate(g, gold("d", [
        entity("saike", "Company", "Saike", alt_types=["Organization"]),
        entity("shanghai", "City", "Shanghai"),
        entity("nangang", "Facility", "Nangang Port", alt_types=["Place"]),
        entity("tesla", "Company", "Tesla"),
    ]))
    assert (report.type_correct, report.matched) == (3, 4)
    assert report.type_accuracy == 0.75
    assert report.wrong_types == ["d:nangang 'Nangang Port': City for Facility | Place"]


# -------------------------------------------------------------------------- links

LINK_GOLD = gold(
    "d",
    [entity("a", "Company", "Alpha"), entity("b", "Person", "Bravo"), entity("c", "City", "Charlie")],
    [("b", ["worksFor"], "a")],
)


def test_links_ignore_direction_and_bookkeeping_properties() -> None:
    g = Graph()
    a, b, c = add(g, E.a, "Company", "Alpha"), add(g, E.b, "Person", "Bravo"), add(g, E.c, "City", "Charlie")
    g.add((a, URIRef("http://other.org/knows"), b))  # reversed, untyped: right link
    g.add((a, OWL.sameAs, c))  # not a link
    g.add((a, RDFS.seeAlso, URIRef("http://elsewhere.org/x")))  # object is no entity
    report = evaluate(g, LINK_GOLD)
    assert (report.links.predicted, report.links.correct, report.links.gold) == (1, 1, 1)
    assert report.links.f1 == 1.0


def test_links_with_unmatched_end_or_no_gold_relation_are_wrong() -> None:
    g = Graph()
    a, b, c = add(g, E.a, "Company", "Alpha"), add(g, E.b, "Person", "Bravo"), add(g, E.c, "City", "Charlie")
    a2 = add(g, E.a2, "Company", "Alpha")  # duplicate of a
    z = add(g, E.z, "City", "Zulu")  # matches nothing
    rel = V.anything
    g.add((b, rel, a))  # right
    g.add((a2, rel, b))  # through a duplicate: wrong, as in shared/eval/reference_score.py
    g.add((a, rel, z))  # unmatched end: wrong
    g.add((b, rel, z))  # another IRI pair: wrong
    g.add((a, rel, c))  # gold entities without a gold relation: wrong
    report = evaluate(g, LINK_GOLD)
    assert (report.links.predicted, report.links.correct, report.links.gold, report.links.found) == (5, 1, 1, 1)
    assert report.links.precision == 0.2
    assert report.links.f1 == pytest.approx(1 / 3)
    assert f"<{E.a2}> -- <{E.b}>" in report.wrong_links
    assert "d:a -- d:c" in report.wrong_links
    assert f"<{E.a}> -- <{E.z}>" in report.wrong_links


# ---------------------------------------------------------------- typed relations


def test_typed_relations_direction_and_related_to() -> None:
    g = Graph()
    p, o = add(g, E.p, "Person", "Dai Juan"), add(g, E.o, "Company", "Saike")
    x, y = add(g, E.x, "Company", "Tesla"), add(g, E.y, "Company", "Sany")
    lg, t = add(g, E.l, "EconomicZone", "Lingang"), add(g, E.t, "Company", "Tucson Future")
    g.add((o, V.worksFor, p))  # reversed: wrong
    g.add((y, V.partnerOf, x))  # reversed, symmetric: right
    g.add((t, V.relatedTo, lg))  # reversed relatedTo, gold lists relatedTo: right
    g.add((lg, V.locatedIn, t))  # gold lists relatedTo, so any property: right
    g.add((lg, V.issued, t))  # listed property: right
    g.add((lg, SCHEMA.issued, t))  # same local name: the same (s, p, o) item
    g.add((p, V.mentorOf, o))  # not a core relation: ignored
    report = evaluate(g, gold(
        "d",
        [entity("dai", "Person", "Dai Juan"), entity("saike", "Company", "Saike"),
         entity("tesla", "Company", "Tesla"), entity("sany", "Company", "Sany"),
         entity("lingang", "EconomicZone", "Lingang"), entity("tucson", "Company", "Tucson Future")],
        [("dai", ["worksFor"], "saike"), ("tesla", ["partnerOf"], "sany"),
         ("lingang", ["relatedTo", "issued"], "tucson")],
    ))
    typed = report.typed
    assert (typed.predicted, typed.correct, typed.gold, typed.found) == (5, 4, 3, 2)
    assert typed.precision == 0.8
    assert typed.recall == pytest.approx(2 / 3)
    assert typed.f1 == pytest.approx(2 * 0.8 * (2 / 3) / (0.8 + 2 / 3))
    assert report.wrong_typed == ["d:saike -[worksFor]-> d:dai"]
    assert report.missed_typed == ["d:dai -[worksFor]-> d:saike"]


def test_predicted_related_to_needs_related_to_in_gold() -> None:
    g = Graph()
    p, o = add(g, E.p, "Person", "Dai Juan"), add(g, E.o, "Company", "Saike")
    g.add((p, V.relatedTo, o))
    z = URIRef("http://example.org/e/statement1")  # not an entity: an unmatched end
    g.add((z, V.worksFor, o))
    report = evaluate(g, gold(
        "d", [entity("dai", "Person", "Dai Juan"), entity("saike", "Company", "Saike")],
        [("dai", ["worksFor"], "saike")],
    ))
    assert (report.typed.predicted, report.typed.correct, report.typed.found) == (2, 0, 0)
    assert report.links.f1 == 1.0  # as an untyped link it is right


# ------------------------------------------------------------ several gold files


def test_micro_average_over_two_gold_files() -> None:
    g = Graph()
    s = add(g, E.s, "City", "Shanghai")
    lg = add(g, E.l, "EconomicZone", "Lingang")
    t = add(g, E.t, "Company", "Tesla")
    x = add(g, E.x, "City", "Atlantis")
    g.add((x, V.near, s))  # matches in no file: one wrong link, not one per file
    g.add((lg, V.locatedIn, s))  # right for d1; d2 knows both ends but not the relation
    g.add((t, V.operatesIn, s))  # right for d2
    g.add((t, V.partnerOf, lg))  # only d2 holds both, without a relation: wrong
    d1 = gold("d1", [entity("shanghai", "City", "Shanghai"), entity("lingang", "EconomicZone", "Lingang")],
              [("lingang", ["locatedIn"], "shanghai")])
    d2 = gold("d2", [entity("shanghai", "City", "Shanghai"), entity("tesla", "Company", "Tesla"),
                     entity("lingang", "EconomicZone", "Lingang New Area", "Lingang")],
              [("tesla", ["operatesIn"], "shanghai")])
    report = evaluate(g, [d1, d2])
    assert report.gold_ids == ["d1", "d2"]
    # graph items once, gold items per file (d1:shanghai and d2:shanghai are two)
    assert (report.entities.predicted, report.entities.correct) == (4, 3)
    assert (report.entities.gold, report.entities.found) == (5, 5)
    assert report.entities.f1 == pytest.approx(2 * 0.75 / 1.75)
    assert (report.links.predicted, report.links.correct, report.links.gold, report.links.found) == (4, 2, 2, 2)
    assert (report.typed.predicted, report.typed.correct, report.typed.gold, report.typed.found) == (3, 2, 2, 2)
    assert report.links.precision == 0.5
    assert report.wrong_links == [f"<{E.s}> -- <{E.x}>", "d2:lingang -- d2:tesla"]
    assert report.wrong_typed == ["d2:tesla -[partnerOf]-> d2:lingang"]


def test_gold_files_need_distinct_ids(tmp_path: Path) -> None:
    d = gold("same", [entity("a", "City", "A")])
    with pytest.raises(GoldFormatError, match="same"):
        evaluate(Graph(), [d, d])


def test_facts_are_counted_from_gold_only() -> None:
    d = gold("d", [entity("a", "City", "A")])
    d["facts"] = [{"s": "a", "measure": "m", "value": 1, "unit": "USD", "date": "2022"}] * 2
    assert evaluate(Graph(), d).facts_gold == 2


# ------------------------------------------------------------------ files and errors


def _small_case() -> tuple[Graph, dict[str, Any]]:
    g = Graph()
    a, b = add(g, E.a, "Company", "Alpha"), add(g, E.b, "Person", "Bravo")
    g.add((b, V.worksFor, a))
    return g, LINK_GOLD


@pytest.mark.parametrize("ext", [".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"])
def test_graph_files_in_every_syntax(tmp_path: Path, ext: str) -> None:
    g, d = _small_case()
    path = tmp_path / f"graph{ext}"
    if ext in (".nq", ".trig"):  # put the data in a named graph: the union is scored
        ds = Dataset()
        named = ds.graph(URIRef("http://example.org/doc1"))
        for triple in g:
            named.add(triple)
        ds.serialize(path, format={".nq": "nquads", ".trig": "trig"}[ext])
    else:
        g.serialize(path, format={".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml"}[ext])
    gold_path = tmp_path / "d.gold.json"
    gold_path.write_text(json.dumps(d))
    report = evaluate(path, [gold_path])
    assert (report.entities.correct, report.links.f1, report.typed.f1) == (2, 1.0, 1.0)


def test_dataset_object_is_scored_as_union() -> None:
    g, d = _small_case()
    ds = Dataset()
    for n, triple in enumerate(g):
        ds.graph(URIRef(f"http://example.org/g{n % 2}")).add(triple)
    assert evaluate(ds, d).typed.f1 == 1.0


@pytest.mark.parametrize(("name", "content"), [("g.ttl", "this is not turtle"), ("g.xyz", ""), ("missing.ttl", None)])
def test_unreadable_graph(tmp_path: Path, name: str, content: str | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(GraphFormatError, match=name):
        evaluate(path, LINK_GOLD)


@pytest.mark.parametrize(
    "content",
    ['{"id": "x", "entities": [', '{"id": "x"}', '[1, 2]',
     '{"id": "x", "entities": [{"id": "a", "type": "City"}]}',
     '{"id": "x", "entities": [], "relations": [{"s": "a", "p": ["partOf"], "o": "b"}]}'],
)
def test_bad_gold_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.gold.json"
    path.write_text(content)
    with pytest.raises(GoldFormatError, match="bad.gold.json"):
        evaluate(Graph(), [path])


# ---------------------------------------------------------------------------- CLI


def _files(tmp_path: Path) -> tuple[Path, Path]:
    g, d = _small_case()
    graph_path, gold_path = tmp_path / "graph.ttl", tmp_path / "d.gold.json"
    g.serialize(graph_path, format="turtle")
    gold_path.write_text(json.dumps(d))
    return graph_path, gold_path


def test_cli_json(tmp_path: Path) -> None:
    from kg.cli import app

    graph_path, gold_path = _files(tmp_path)
    result = CliRunner().invoke(app, ["eval", str(graph_path), str(gold_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["gold"] == ["d"]
    assert data["entities"]["precision"] == pytest.approx(2 / 2)
    assert data["entities"]["recall"] == pytest.approx(2 / 3)
    assert data["typed_relations"]["f1"] == 1.0
    assert "details" not in data
    args = ["eval", str(graph_path), str(gold_path), "--json", "--details"]
    detailed = json.loads(CliRunner().invoke(app, args).stdout)
    assert detailed["details"]["unmatched_gold"] == ["d:c 'Charlie' (City)"]


def test_cli_table_and_details(tmp_path: Path) -> None:
    from kg.cli import app

    graph_path, gold_path = _files(tmp_path)
    result = CliRunner().invoke(app, ["eval", str(graph_path), str(gold_path), "--details"])
    assert result.exit_code == 0, result.output
    for text in ("entities", "links", "typed relations", "type accuracy", "duplicate rate", "d:c 'Charlie'"):
        assert text in result.stdout


def test_cli_bad_gold_file(tmp_path: Path) -> None:
    from kg.cli import app

    graph_path, _ = _files(tmp_path)
    bad = tmp_path / "broken.gold.json"
    bad.write_text("{not json")
    result = CliRunner().invoke(app, ["eval", str(graph_path), str(bad)])
    assert result.exit_code != 0
    assert "broken.gold.json" in result.output.replace("\n", "")


# ----------------------------------------------------------------- the dev gold


def test_dev_gold_scores_perfectly_against_itself() -> None:
    path = SHARED / "eval" / "dev" / "lingang-news.gold.json"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    data = json.loads(path.read_text(encoding="utf-8"))
    g = Graph()
    for ent in data["entities"]:
        add(g, E[ent["id"]], ent["type"], ent["names"][0], *ent["names"][1:])
    for rel in data["relations"]:
        g.add((E[rel["s"]], V[rel["p"][0]], E[rel["o"]]))
    report = evaluate(g, path)
    assert (report.entities.f1, report.links.f1, report.typed.f1) == (1.0, 1.0, 1.0)
    assert report.type_accuracy == 1.0 and report.duplicates == 0
