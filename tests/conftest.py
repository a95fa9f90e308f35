"""Shared fixtures: the example graph is built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def example_graph():
    """The graph of ``examples/corpus`` (needs the English spaCy pipeline)."""
    import kg

    return kg.build([EXAMPLES / "corpus"])


@pytest.fixture(scope="session")
def example_ttl(example_graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("example") / "lingang.ttl"
    example_graph.write(path)
    return path
