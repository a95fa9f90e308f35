"""Shared fixtures for the schema-guided extraction tests."""

from __future__ import annotations

from pathlib import Path

import pytest

#: the benchmark data shipped beside the project
BENCH = Path("/work/shared/text2kgbench")
DATA = BENCH / "dbpedia_webnlg"


def pytest_collection_modifyitems(items):
    for item in items:
        if "model" in item.keywords and not BENCH.exists():
            item.add_marker(pytest.mark.skip(reason="Text2KGBench data not found"))


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    if not DATA.exists():
        pytest.skip("Text2KGBench data not found at /work/shared/text2kgbench")
    return BENCH


@pytest.fixture(scope="session")
def nlp():
    from kg.text2kg.nlp import load_pipeline

    return load_pipeline()
