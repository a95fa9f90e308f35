"""The operating point is chosen by cross-validation on the examples."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.text2kg.calibrate import GRID, MIN_EXAMPLES, calibrate
from kg.text2kg.learn import Example
from tests.text2kg.test_learn_extract import DATA

pytestmark = pytest.mark.model
runner = CliRunner()

_FIRST = ["Bral", "Cor", "Dun", "Esk", "Fal", "Grim", "Hol", "Ist", "Jor", "Kel", "Lum", "Mor", "Nel", "Orv"]
_LAST = ["ex", "ima", "ton", "avia", "dex", "ora", "bury", "wick", "tec", "lon"]
_CITIES = ["Lisbon", "Oslo", "Denver", "Perth", "Nairobi", "Lima", "Osaka", "Lyon", "Porto", "Quito"]
_PEOPLE = ["Ada Brown", "Omar Diaz", "Mei Lin", "Tom Weber", "Ana Silva", "Raj Patel", "Eva Novak", "Ian Moss"]


def _examples(n: int, seed: int = 1) -> list[Example]:
    """Invented companies stated in a few sentence shapes."""
    rng = random.Random(seed)
    names = [f + last for f in _FIRST for last in _LAST]
    rng.shuffle(names)
    out = []
    for i, name in enumerate(names[:n]):
        city, person, year = rng.choice(_CITIES), rng.choice(_PEOPLE), rng.randrange(1900, 2020)
        staff = rng.randrange(100, 90000)
        shape = i % 3
        if shape == 0:
            sent = f"{name} was founded in {city} in {year}."
            triples = [(name, "foundationPlace", city), (name, "foundingDate", str(year))]
        elif shape == 1:
            sent = f"{name}, which was founded by {person}, has {staff:,} employees."
            triples = [(name, "founder", person.replace(" ", "_")), (name, "numberOfEmployees", str(staff))]
        else:
            sent = f"{person} founded {name} in {city}."
            triples = [(name, "founder", person.replace(" ", "_")), (name, "foundationPlace", city)]
        out.append(Example(id=f"ex{i}", sent=sent, triples=tuple(triples)))
    return out


@pytest.fixture(scope="module")
def ontology():
    from kg.text2kg.ontology import load_ontology

    return load_ontology(DATA / "company_ontology.json")


def test_thresholds_are_chosen_on_held_out_examples(ontology):
    examples = _examples(36)
    point = calibrate(examples, ontology)
    assert point is not None
    assert point.threshold in GRID and point.threshold_multi >= point.threshold
    assert point.sentences == 36 and point.folds == 2
    # the sentence shapes repeat, so held-out companies are found well
    assert point.f1 > 0.5 and point.precision > 0.5


def test_too_few_examples_keep_the_default(ontology):
    assert calibrate(_examples(MIN_EXAMPLES - 1), ontology) is None


def _write(examples, path):
    path.write_text("".join(json.dumps({"sent": ex.sent, "triples": [
        {"sub": s, "rel": r, "obj": o} for s, r, o in ex.triples]}) + "\n" for ex in examples), encoding="utf-8")
    return path


def test_kg_learn_reports_and_keeps_the_cross_validated_point(tmp_path):
    examples = _write(_examples(30), tmp_path / "ex.jsonl")
    result = runner.invoke(app, ["learn", str(examples), "--ontology", str(DATA / "company_ontology.json"),
                                 "-o", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert "cross-validated on 30 example sentences" in result.output
    model = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    point = model["info"]["operating_point"]
    assert point["source"] == "cross-validation"
    assert model["threshold"] == point["threshold"] and model["threshold_multi"] == point["threshold_multi"]


def test_a_threshold_given_wins_over_the_cross_validated_one(tmp_path):
    examples = _write(_examples(30), tmp_path / "ex.jsonl")
    result = runner.invoke(app, ["learn", str(examples), "--ontology", str(DATA / "company_ontology.json"),
                                 "-o", str(tmp_path / "m.json"), "--threshold", "0.93"])
    assert result.exit_code == 0, result.output
    model = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert model["threshold"] == 0.93
    assert model["threshold_multi"] == model["info"]["operating_point"]["threshold_multi"]
    assert "given: threshold 0.93" in result.output


def test_no_calibrate_keeps_the_default(tmp_path):
    examples = _write(_examples(30), tmp_path / "ex.jsonl")
    result = runner.invoke(app, ["learn", str(examples), "--ontology", str(DATA / "company_ontology.json"),
                                 "-o", str(tmp_path / "m.json"), "--no-calibrate"])
    assert result.exit_code == 0, result.output
    model = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert model["threshold"] == 0.5 and model["info"]["operating_point"]["source"] == "default"
