"""``kg eval FOLDER...`` and ``kg learn-relations``: gold folders built, scored and learned from."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import InputError
from kg.eval_sets import gold_texts

runner = CliRunner()

PEOPLE = [("Anna Berg", "Tova Labs"), ("Peter Lund", "Norvik Systems"), ("Maria Sousa", "Qelta Foods"),
          ("Jonas Weber", "Brightwell Energy"), ("Lena Holm", "Corvane Media"), ("Omar Haddad", "Sayla Motors")]


def _gold_folder(path, pairs, verb="works for"):
    path.mkdir()
    for n, (person, company) in enumerate(pairs):
        sentence = f"{person} {verb} {company}."
        (path / f"t{n}.txt").write_text(f"{sentence} The weather was mild.\n", encoding="utf-8")
        gold = {"id": f"t{n}", "entities": [
            {"id": "p", "type": "Person", "names": [person]},
            {"id": "c", "type": "Company", "names": [company]}],
            "relations": [{"s": "p", "p": ["worksFor"], "o": "c", "evidence": sentence}]}
        (path / f"t{n}.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return path


def test_a_folder_without_gold_files_is_named_in_the_error(tmp_path):
    with pytest.raises(InputError, match="no \\*.gold.json"):
        gold_texts(tmp_path)


def test_a_gold_file_finds_its_text_through_its_source_field(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.gold.json").write_text(json.dumps({"source": "corpus/a.txt"}), encoding="utf-8")
    assert gold_texts(tmp_path / "gold") == [(tmp_path / "corpus" / "a.txt", tmp_path / "gold" / "a.gold.json")]


@pytest.mark.model
def test_eval_over_folders_prints_a_row_per_folder_and_a_total(tmp_path):
    a = _gold_folder(tmp_path / "a", PEOPLE[:2])
    b = _gold_folder(tmp_path / "b", PEOPLE[2:3])
    res = runner.invoke(app, ["eval", str(a), str(b), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [f["folder"] for f in data["folders"]] == ["a", "b"]
    assert data["total"]["texts"] == 3
    assert data["total"]["entities"]["gold"] == 6  # two gold entities per text, added up
    assert data["folders"][0]["entities"]["gold"] == 4
    table = runner.invoke(app, ["eval", str(a), str(b)])
    assert table.exit_code == 0 and "total" in table.output and "link P/R/F1" in table.output


@pytest.mark.model
def test_a_model_learned_from_a_few_gold_texts_finds_the_relation_in_new_text(tmp_path):
    folder = _gold_folder(tmp_path / "train", PEOPLE, verb="draws a salary from")
    model = tmp_path / "relations.json"
    res = runner.invoke(app, ["learn-relations", str(folder), "-o", str(model), "--folds", "2"])
    assert res.exit_code == 0, res.output
    assert "held out" in res.output and model.is_file()
    # a new person and company, the same wording; the rules alone do not read "draws a salary from"
    text = tmp_path / "new.txt"
    text.write_text("Carla Mendes draws a salary from Halvorsen Shipping.\n", encoding="utf-8")
    import kg
    from kg.pipeline import PipelineConfig

    learned = kg.build([text], config=PipelineConfig(relation_model=str(model)))
    rules = kg.build([text], config=PipelineConfig(relation_model="rules"))
    said = {(learned.entity(s.subject).label, s.property, learned.entity(s.object).label)
            for s in learned.statements}
    assert ("Carla Mendes", "worksFor", "Halvorsen Shipping") in said
    assert not any(s.property == "worksFor" for s in rules.statements)
    again = tmp_path / "again.json"
    assert runner.invoke(app, ["learn-relations", str(folder), "-o", str(again), "--folds", "2"]).exit_code == 0
    assert again.read_bytes() == model.read_bytes()  # the same data give the same model, byte for byte


@pytest.mark.model
def test_the_scoring_graph_scores_as_the_full_rdf(example_graph):
    from kg.eval import evaluate
    from kg.eval_sets import scoring_graph
    from tests.conftest import SHARED

    gold = SHARED / "eval" / "dev" / "lingang-news.gold.json"
    if not gold.is_file():
        pytest.skip("no ../shared beside the checkout")
    full, light = evaluate(example_graph.to_rdflib(), gold), evaluate(scoring_graph(example_graph), gold)
    assert (light.entities, light.links, light.typed, light.type_correct, light.duplicates) == (
        full.entities, full.links, full.typed, full.type_correct, full.duplicates)
