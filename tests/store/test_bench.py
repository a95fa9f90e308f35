"""``bench/serve.py`` runs (for 2 s on a small graph) so it does not rot; the real run is 20 s on 1M triples."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.model
def test_bench_serve_smoke(example_ttl):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "serve.py"), "--from-graph", str(example_ttl),
         "--triples", "3000", "--seconds", "2", "--clients", "4"],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    m = re.search(r"requests/s: ([\d.]+)\s+p50: ([\d.]+) ms\s+p99: ([\d.]+) ms\s+errors: (\d+)", result.stdout)
    assert m, result.stdout
    assert float(m.group(1)) > 0 and m.group(4) == "0"
