"""Shared fixtures for the schema-guided extraction tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED

#: the benchmark data shipped beside the project (../shared/text2kgbench)
BENCH = SHARED / "text2kgbench"
DATA = BENCH / "dbpedia_webnlg"


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    if not DATA.exists():
        pytest.skip(f"Text2KGBench data not found at {BENCH}")
    return BENCH


@pytest.fixture(scope="session")
def nlp():
    from kg.text2kg.nlp import load_pipeline

    return load_pipeline()
