"""``kg explain``: the merges of an entity and the rule behind each (real pipeline)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()
pytestmark = pytest.mark.model


def test_explain_lists_the_names_merged_into_an_entity_and_why(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Acme Widgets Corporation hired Maria Garcia in Hamburg.\n\nGarcia said AWC would grow.\n", encoding="utf-8")
    res = runner.invoke(app, ["explain", str(src), "--entity", "Garcia", "--json"])
    assert res.exit_code == 0, res.output
    [row] = json.loads(res.stdout)
    assert row["label"] == "Maria Garcia" and row["class"] == "Person"
    assert row["merges"] == [{"name": "Garcia", "joined": "Maria Garcia", "rule": "surname of one full name in the document"}]
    res = runner.invoke(app, ["explain", str(src), "-e", "AWC"])
    assert "acronym of a name in the same document" in res.stdout
    res = runner.invoke(app, ["explain", str(src), "-e", "Nobody"])
    assert res.exit_code != 0 and "no entity named 'Nobody'" in res.output
