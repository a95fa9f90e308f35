"""``--format graphrag``: GraphRAG's bring-your-own-graph tables, read back with pandas and pyarrow."""

from __future__ import annotations

import pytest

from kg.export import export
from kg.graph import Entity, Evidence, KnowledgeGraph, Statement
from kg.iri import document_iri, entity_iri
from tests.export.conftest import DOC_A, make_nasty_graph, make_small_graph

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

#: GraphRAG 3.x's final columns (graphrag/data_model/schemas.py: *_FINAL_COLUMNS; types from
#: docs/index/outputs.md and graphrag/data_model/dfs.py), without the optional conversation columns
GRAPHRAG_SCHEMA = {
    "entities": [("id", "string"), ("human_readable_id", "int64"), ("title", "string"), ("type", "string"),
                 ("description", "string"), ("text_unit_ids", "list<element: string>"), ("frequency", "int64"),
                 ("degree", "int64")],
    "relationships": [("id", "string"), ("human_readable_id", "int64"), ("source", "string"), ("target", "string"),
                      ("description", "string"), ("weight", "double"), ("combined_degree", "int64"),
                      ("text_unit_ids", "list<element: string>")],
    "text_units": [("id", "string"), ("human_readable_id", "int64"), ("text", "string"), ("n_tokens", "int64"),
                   ("document_id", "string"), ("entity_ids", "list<element: string>"),
                   ("relationship_ids", "list<element: string>"), ("covariate_ids", "list<element: string>")],
    "documents": [("id", "string"), ("human_readable_id", "int64"), ("title", "string"), ("text", "string"),
                  ("text_unit_ids", "list<element: string>"), ("creation_date", "string")],
}


def _tables(graph, tmp_path):
    written = export(graph, "graphrag", tmp_path / "output")
    assert sorted(p.name for p in written) == sorted(f"{name}.parquet" for name in GRAPHRAG_SCHEMA)
    return {p.stem: pd.read_parquet(p) for p in written}, {p.stem: pq.read_schema(p) for p in written}


@pytest.mark.parametrize("make", [make_small_graph, make_nasty_graph, KnowledgeGraph], ids=["small", "nasty", "empty"])
def test_the_tables_have_graphrags_columns_and_types(make, tmp_path):
    _frames, schemas = _tables(make(), tmp_path)
    for name, columns in GRAPHRAG_SCHEMA.items():
        got = [(f.name, str(f.type)) for f in schemas[name]]
        assert got[: len(columns)] == columns, name


@pytest.mark.parametrize("make", [make_small_graph, make_nasty_graph], ids=["small", "nasty"])
def test_every_reference_resolves(make, tmp_path):
    t, _ = _tables(make(), tmp_path)
    ents, rels, units, docs = t["entities"], t["relationships"], t["text_units"], t["documents"]
    assert ents["title"].is_unique and ents["id"].is_unique and rels["id"].is_unique and units["id"].is_unique
    assert set(rels["source"]) | set(rels["target"]) <= set(ents["title"])  # GraphRAG joins relationships by title
    unit_ids = set(units["id"])
    for column in (ents["text_unit_ids"], rels["text_unit_ids"], docs["text_unit_ids"]):
        assert {u for ids in column for u in ids} <= unit_ids
    assert {e for ids in units["entity_ids"] for e in ids} <= set(ents["id"])
    assert {r for ids in units["relationship_ids"] for r in ids} <= set(rels["id"])
    assert set(units["document_id"]) <= set(docs["id"])
    assert sorted(u for ids in docs["text_unit_ids"] for u in ids) == sorted(unit_ids)
    assert list(ents["human_readable_id"]) == list(range(len(ents)))
    assert (ents["frequency"] == ents["text_unit_ids"].map(len)).all()


def test_content_of_the_small_graph(tmp_path):
    graph = make_small_graph()
    t, _ = _tables(graph, tmp_path)
    ents = t["entities"].set_index("title")
    assert ents.loc["Tesla", "id"] == entity_iri("Company", "Tesla") and ents.loc["Tesla", "type"] == "Company"
    assert ents.loc["Tesla", "degree"] == 3 and ents.loc["China Maritime Museum", "degree"] == 0
    assert "Also called Lingang, Lingang Special Area" in ents.loc["Lingang New Area", "description"]
    rels = t["relationships"]
    # Tesla operatesIn (0.7) and investedIn (0.35) Lingang: one relationship, weights summed as GraphRAG does
    tesla = rels[(rels["source"] == "Tesla") & (rels["target"] == "Lingang New Area")]
    assert len(tesla) == 1 and tesla["weight"].item() == pytest.approx(1.05)
    assert "opened its Gigafactory in" in tesla["description"].item() and "investedIn" in tesla["description"].item()
    assert len(rels) == len({(s.subject, s.object) for s in graph.statements})
    musk = rels[rels["target"] == "Tesla"]
    assert "(as chief executive)" in musk["description"].item() and musk["combined_degree"].item() == 2 + 3
    units = t["text_units"].set_index("text")
    sentence = "Lingang New Area is located in Shanghai."
    both = t["text_units"][t["text_units"]["text"] == sentence]
    assert sorted(both["document_id"]) == sorted({ev.document for s in graph.statements for ev in s.evidence
                                                  if ev.sentence == sentence})
    assert units.loc["Tesla opened its Gigafactory in Lingang.", "n_tokens"] == 7
    docs = t["documents"].set_index("id")
    assert docs.loc[document_iri(DOC_A.id), "title"] == DOC_A.title
    assert docs.loc[document_iri(DOC_A.id), "creation_date"] == DOC_A.date
    assert sentence in docs.loc[document_iri(DOC_A.id), "text"]


def test_labels_shared_by_two_entities_get_distinct_titles(tmp_path):
    doc = document_iri(DOC_A.id)
    city = Entity(entity_iri("City", "Georgia"), "Georgia", "City", mentions={doc: 1})
    country = Entity(entity_iri("Country", "Georgia"), "Georgia", "Country", mentions={doc: 1})
    ev = Evidence(doc, "Georgia is in Georgia.", 0, 22, "kg.test.v1", 0.5)
    graph = KnowledgeGraph(documents=[DOC_A], entities=[city, country], statements=[Statement(city.iri, "locatedIn", country.iri, [ev])])
    t, _ = _tables(graph, tmp_path)
    assert sorted(t["entities"]["title"]) == ["Georgia (City)", "Georgia (Country)"]
    assert t["relationships"][["source", "target"]].values.tolist() == [["Georgia (City)", "Georgia (Country)"]]


@pytest.mark.model
def test_the_example_graph(example_rdf_graph, tmp_path):
    graph = example_rdf_graph
    t, _ = _tables(graph, tmp_path)
    assert len(t["entities"]) == len(graph.entities) and len(t["documents"]) == len(graph.documents)
    sentences = {(ev.document, ev.sentence) for s in graph.statements for ev in s.evidence}
    assert set(zip(t["text_units"]["document_id"], t["text_units"]["text"])) == sentences
    assert t["relationships"]["weight"].sum() == pytest.approx(sum(s.confidence for s in graph.statements), abs=1e-4)
