"""A full disk (a real 8 MiB tmpfs): one-line errors, previous outputs byte-identical, the store still readable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})


@pytest.fixture
def small_disk(tmp_path):
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("needs root and mount -t tmpfs")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(disk: Path) -> None:
    with open(disk / "filler", "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass


def _one_line_error(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode not in (0, 2) and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "No space left on device" in errors[0], proc.stderr


def test_full_disk(small_disk, tmp_path):
    (small_disk / "in").mkdir()
    (small_disk / "in" / "a.txt").write_text("Alice Smith works for Acme Corp in Paris.\n")
    (tmp_path / "b.txt").write_text("Bob Jones joined Globex Group in Berlin.\n")
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert _kg("build", "-q", "in", "-o", "out.ttl", "--store", "s", cwd=small_disk).returncode == 0
    before = (small_disk / "out.ttl").read_bytes()
    count = _kg("query", "s", query, "--format", "csv", cwd=small_disk).stdout
    _fill(small_disk)

    _one_line_error(_kg("build", "-q", "in", "-o", "out.ttl", cwd=small_disk))
    assert (small_disk / "out.ttl").read_bytes() == before
    assert not [p for p in small_disk.iterdir() if p.name.startswith(".out.ttl.")]  # no temporary file left
    _one_line_error(_kg("build", "-q", str(tmp_path / "b.txt"), "--store", "s", cwd=small_disk))
    read = _kg("query", "s", query, "--format", "csv", cwd=small_disk)
    assert read.returncode == 0 and read.stdout == count, read.stderr
