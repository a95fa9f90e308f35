"""kill -9 at random points of ``kg build --store``, then build again: the store equals an uninterrupted build.

The short version (default) kills once; ``KG_SLOW=1`` kills six times at random moments.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store import open_graph_source
from tests.conftest import ROOT
from tests.store.conftest import isomorphic_without_run_time, store_triples

pytestmark = pytest.mark.model
KILLS = 6 if os.environ.get("KG_SLOW") else 1


def _build(corpus: Path, store: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "--batch-size", "1", "-q"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _committed(store: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"{(store / 'docs.sqlite').as_uri()}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_at_random_points_then_resume_equals_baseline(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for k in range(8):
        (corpus / f"d{k}.txt").write_text(f"Person{k} Smith works for Company{k} Corp in Paris.\n\n"
                                          f"Company{k} Corp opened an office in Berlin in 202{k}.\n")
    baseline = tmp_path / "baseline"
    assert _build(corpus, baseline).wait(600) == 0
    want = store_triples(open_graph_source(baseline))
    rng = random.Random(15)
    store = tmp_path / "killed"
    for _kill in range(KILLS):
        proc = _build(corpus, store)
        target = rng.randint(0, 7)  # kill once this many documents are committed, plus a random delay
        deadline = time.monotonic() + 300
        while proc.poll() is None and _committed(store) < target and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.random() * 0.3)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    final = _build(corpus, store)
    assert final.wait(600) == 0, final.stderr.read().decode()
    assert isomorphic_without_run_time(store_triples(open_graph_source(store)), want)
