"""Every example query answers what its ``.csv`` file next to it says."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import EXAMPLES

QUERIES = sorted((EXAMPLES / "queries").glob("*.rq"))


def test_there_are_at_least_five_example_queries():
    assert len(QUERIES) >= 5


@pytest.mark.model
@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_example_query_gives_expected_answer(query, example_graph):
    expected_file = query.with_suffix(".csv")
    assert expected_file.exists(), f"{query.name} has no expected answer file"
    expected = list(csv.reader(io.StringIO(expected_file.read_text(encoding="utf-8"))))
    got = list(csv.reader(io.StringIO(example_graph.query(query.read_text(encoding="utf-8")).to_delimited(","))))
    assert got[0] == expected[0], "columns differ"
    assert got[1:] == expected[1:]
