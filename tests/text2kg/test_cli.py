"""``kg learn`` and ``kg bench text2kgbench`` from the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


@pytest.mark.model
def test_kg_learn_writes_a_model(tmp_path):
    out = tmp_path / "model.json"
    result = runner.invoke(app, ["learn", str(DATA / "company_examples.jsonl"),
                                 "--ontology", str(DATA / "company_ontology.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    model = json.loads(out.read_text(encoding="utf-8"))
    assert model["format"] == "kg.text2kg.model.v1" and model["threshold"] == 0.5
    assert "16/16 subjects" in result.output


def test_kg_learn_reports_a_broken_ontology(tmp_path):
    bad = tmp_path / "onto.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["learn", str(DATA / "company_examples.jsonl"),
                                 "--ontology", str(bad), "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 5
    assert "not a readable JSON ontology" in result.output


def _mini_benchmark(root: Path) -> Path:
    data = root / "dbpedia_webnlg"
    for sub in ("ontologies", "train", "test", "ground_truth"):
        (data / sub).mkdir(parents=True)
    shutil.copy(DATA / "company_ontology.json", data / "ontologies/1_company_ontology.json")
    shutil.copy(DATA / "company_examples.jsonl", data / "train/ont_1_company_train.jsonl")
    gold = [{"id": "ont_1_company_test_1",
             "sent": "Initech was founded in Austin on February 19, 1999 and has 2,300 employees.",
             "triples": [{"sub": "Initech", "rel": "foundationPlace", "obj": "Austin"},
                         {"sub": "Initech", "rel": "foundingDate", "obj": "1999-02-19"},
                         {"sub": "Initech", "rel": "numberOfEmployees", "obj": "2300"}]}]
    (data / "ground_truth/ont_1_company_ground_truth.jsonl").write_text(
        "".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    (data / "test/ont_1_company_test.jsonl").write_text(
        "".join(json.dumps({"id": g["id"], "sent": g["sent"]}) + "\n" for g in gold), encoding="utf-8")
    (root / "baselines").mkdir()
    (root / "baselines/some-llm.jsonl").write_text(json.dumps(
        {"onto": "1_company", "type": "all_test_cases", "avg_precision": "0.50", "avg_recall": "0.40",
         "avg_f1": "0.44", "avg_onto_conf": "0.90", "avg_sub_halluc": "0.10",
         "avg_rel_halluc": "0.10", "avg_obj_halluc": "0.20"}) + "\n", encoding="utf-8")
    return root


@pytest.mark.model
def test_kg_bench_text2kgbench(tmp_path):
    root = _mini_benchmark(tmp_path / "bench")
    out = tmp_path / "out"
    result = runner.invoke(app, ["bench", "text2kgbench", str(root), "--output", str(out)],
                           env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "1_company" in result.output and "some-llm F1" in result.output
    assert "sentences/s" in result.output
    (line,) = (out / "ont_1_company_output.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["id"] == "ont_1_company_test_1"
    assert ["Initech", "foundingDate", "1999-02-19"] in record["triples"]
    assert "1.000" in result.output  # all three facts found


def test_kg_bench_needs_the_benchmark_layout(tmp_path):
    result = runner.invoke(app, ["bench", "text2kgbench", str(tmp_path)])
    assert result.exit_code == 3
    assert "ontologies/ folder" in " ".join(result.output.split())


def test_importing_the_package_loads_no_model():
    code = ("import sys, kg.text2kg, kg.text2kg.ontology, kg.text2kg.score, kg.text2kg.bench, "
            "kg.cli.text2kg_cmd; print('spacy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parents[2])
    assert done.stdout.strip() == "False"


def test_public_surface_is_complete():
    import kg.text2kg as pkg

    import types

    exported = {name for name in dir(pkg)
                if not name.startswith("_") and not isinstance(getattr(pkg, name), types.ModuleType)}
    assert exported == set(pkg.__all__)
    assert all(getattr(pkg, name) is not None for name in pkg.__all__)


def test_entity_folds_keep_a_topic_together():
    from kg.text2kg.learn import Example, entity_folds

    def ex(n, sub):
        return Example(str(n), "s", ((sub, "rel", "x"), (sub, "rel2", "y")))

    examples = [ex(0, "A"), ex(1, "B"), ex(2, "A"), ex(3, "C"), ex(4, "B_"), ex(5, "A")]
    fold_of = entity_folds(examples, 2)
    assert fold_of[0] == fold_of[2] == fold_of[5]  # every sentence about A in one fold
    assert fold_of[1] == fold_of[4]  # "B" and "B_" normalise alike
    assert set(fold_of) == {0, 1}


@pytest.mark.model
def test_kg_bench_text2kgbench_cross_validates_on_train_files(tmp_path):
    root = _mini_benchmark(tmp_path / "bench")
    # a second ontology with a train file only (its test data held out)
    data = root / "dbpedia_webnlg"
    shutil.copy(DATA / "company_ontology.json", data / "ontologies/2_firm_ontology.json")
    shutil.copy(DATA / "company_examples.jsonl", data / "train/ont_2_firm_train.jsonl")
    result = runner.invoke(app, ["bench", "text2kgbench", str(root), "--cross-validate", "2"],
                           env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "1_company" in result.output and "2_firm" in result.output
    assert "some-llm" not in result.output  # no test set was scored
    assert "average F1 over 1 ontologies whose test data is held out" in result.output
    assert "14 held-out sentences" in " ".join(result.output.split())  # each example once
    bad = runner.invoke(app, ["bench", "text2kgbench", str(root), "--cross-validate", "1"])
    assert bad.exit_code != 0
