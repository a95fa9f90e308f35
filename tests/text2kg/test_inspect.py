"""``kg inspect MODEL`` sums up what a learned model knows, per relation."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.text2kg.test_learn_extract import DATA

pytestmark = pytest.mark.model
runner = CliRunner()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    target = tmp_path_factory.mktemp("model")
    result = runner.invoke(app, ["learn", str(DATA / "company_examples.jsonl"),
                                 "--ontology", str(DATA / "company_ontology.json"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def _example_counts() -> Counter:
    lines = (DATA / "company_examples.jsonl").read_text(encoding="utf-8").splitlines()
    return Counter(t["rel"] for line in lines if line.strip() for t in json.loads(line)["triples"])


def test_json_summary_counts_the_examples_of_every_relation(model_dir):
    result = runner.invoke(app, ["inspect", str(model_dir), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    rows = {row["relation"]: row for row in summary["relations"]}
    ontology = json.loads((DATA / "company_ontology.json").read_text(encoding="utf-8"))
    assert set(rows) == {r["label"] for r in ontology["relations"]}
    counts = _example_counts()
    for label, row in rows.items():
        assert row["examples"] == counts.get(label, 0)
        assert row["learned"] == (counts.get(label, 0) > 0)
    # a relation taught by examples has cues; the dates it saw were dates
    assert rows["foundingDate"]["cues"] and "date" in rows["foundingDate"]["value_kinds"]
    assert rows["founder"]["cues"] == []
    assert summary["thresholds"]["threshold"] == 0.5  # 16 examples: too few to cross-validate
    # how the ranker decodes and was trained is part of the summary
    assert summary["thresholds"]["threshold_conjoined"] == 0.01 and summary["competition"] == 2.0
    assert summary["training"]["trainings_averaged"] == 4


def test_table_names_each_relation_with_domain_and_range(model_dir):
    result = runner.invoke(app, ["inspect", str(model_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Company → Date" in result.output and "foundationPlace" in result.output
    assert "too few examples to cross-validate" in result.output


def test_one_relation_only(model_dir):
    result = runner.invoke(app, ["inspect", str(model_dir), "--json", "-r", "numberOfEmployees", "-n", "2"])
    rows = json.loads(result.output)["relations"]
    assert [r["relation"] for r in rows] == ["numberOfEmployees"] and len(rows[0]["cues"]) <= 2


def test_an_unknown_relation_lists_the_known_ones(model_dir):
    result = runner.invoke(app, ["inspect", str(model_dir), "-r", "ceo"])
    assert result.exit_code != 0
    assert "unknown relation 'ceo'" in result.output and "foundingDate" in result.output


def test_a_missing_model_is_named(tmp_path):
    result = runner.invoke(app, ["inspect", str(tmp_path / "nowhere")])
    assert result.exit_code == 3 and "nowhere" in result.output


def test_what_a_value_becomes_is_shown_a_class_taking_numbers_too(tmp_path):
    # "numberOfEmployees" ranges over a class "Workforce" here, but the
    # examples only give numbers: the summary says its values are numbers
    ontology = json.loads((DATA / "company_ontology.json").read_text(encoding="utf-8"))
    ontology["concepts"].append({"qid": "Workforce", "label": "Workforce"})
    for rel in ontology["relations"]:
        if rel["label"] == "numberOfEmployees":
            rel["range"] = "Workforce"
    (tmp_path / "onto.json").write_text(json.dumps(ontology), encoding="utf-8")
    learned = runner.invoke(app, ["learn", str(DATA / "company_examples.jsonl"),
                                  "--ontology", str(tmp_path / "onto.json"), "-o", str(tmp_path / "m")])
    assert learned.exit_code == 0, learned.output
    summary = json.loads(runner.invoke(app, ["inspect", str(tmp_path / "m"), "--json"]).output)
    takes = {row["relation"]: row["takes"] for row in summary["relations"]}
    assert takes["numberOfEmployees"] == "number" and takes["foundingDate"] == "date"
    assert takes["foundationPlace"] == "node"
    table = runner.invoke(app, ["inspect", str(tmp_path / "m")], env={"COLUMNS": "200"}).output
    assert "Company → Workforce (as number)" in table
