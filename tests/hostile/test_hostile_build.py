"""``kg build`` over a folder of hostile inputs, as a subprocess under a memory limit and a timeout.

One store build reads every file (a second run reports the same skipped files
and extracts nothing): no traceback, exit status 14 (input skipped), one ``skipped`` line per
bad file or JSONL line (names escaped), every other file built, the outputs
parse with strict parsers (expat and rdflib for RDF/XML, rdflib for N-Quads),
and not one connection to a canary listening on 127.0.0.1 whose URL the
inputs name in every way a fetching parser would follow.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import xml.parsers.expat
from pathlib import Path

import pytest

from kg.chars import xml_safe
from kg.errors import EXIT_SKIPPED
from kg.ingest import display_path
from tests.hostile.canary import Canary
from tests.hostile.corpus import make_corpus

pytestmark = pytest.mark.model

KG = [sys.executable, "-m", "kg"]
MEMORY_LIMIT = 4 * 1024**3  # address space of the build process
TIMEOUT = 600


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run([*KG, *args], cwd=cwd, capture_output=True, timeout=TIMEOUT, preexec_fn=_limits, env=env)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    with Canary() as canary:
        expect = make_corpus(root / "in", canary.url)
        first = _kg("build", "in", "--store", "store", "-o", "out.rdf", "--max-file-size", "2", cwd=root)
        second = _kg("build", "in", "--store", "store", "-o", "out.nq", "--max-file-size", "2", cwd=root)
    return root, expect, first, second, canary.connections


def _skipped(stderr: bytes) -> list[str]:
    return [
        m.group(1).decode() for m in re.finditer(rb"^skipped in/(.*?): ", stderr, re.M)
    ]


def _escaped(rel: str) -> str:
    from kg.chars import terminal_safe

    return terminal_safe(display_path(rel))


def test_corpus_is_big_enough(hostile):
    _root, expect, *_ = hostile
    assert len(expect["built"]) + len(expect["skipped"]) + len(expect["ignored"]) >= 60


@pytest.mark.parametrize("run", [0, 1], ids=["first run", "second run"])
def test_no_traceback_exit_2_one_line_per_skipped_file(hostile, run):
    _root, expect, *runs, _conns = hostile
    proc = runs[run]
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")[-3000:]
    assert proc.returncode == EXIT_SKIPPED, proc.stderr.decode(errors="replace")[-3000:]
    assert b"\x1b" not in proc.stderr and b"\x07" not in proc.stderr  # names are escaped, never sent raw
    skipped = _skipped(proc.stderr)
    wanted = sorted(_escaped(rel) for rel in expect["skipped"] + expect["jsonl_bad_lines"])
    assert sorted(skipped) == wanted


def test_every_other_file_is_built(hostile):
    import rdflib

    root, expect, *_ = hostile
    g = rdflib.Graph()
    g.parse(root / "out.rdf", format="xml")
    sources = {str(o) for o in g.objects(None, rdflib.URIRef("https://w3id.org/wild-goose/vocab#sourceFile"))}
    wanted = {xml_safe(display_path(os.path.join("in", rel))) for rel in expect["built"]}  # controls: U+FFFD
    assert wanted <= sources, sorted(wanted - sources)
    assert not any(".hidden" in s for s in sources)
    labels = {str(o) for o in g.objects(None, rdflib.RDFS.label)}
    assert {"Bob Jones", "Berlin"} <= labels


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own N-Quads parser
def test_outputs_parse_strictly(hostile):
    import rdflib

    root, *_ = hostile
    data = (root / "out.rdf").read_bytes()
    parser = xml.parsers.expat.ParserCreate()
    parser.Parse(data, True)  # raises on any character XML 1.0 forbids
    nq = rdflib.Dataset()
    nq.parse(root / "out.nq", format="nquads")
    rdf = rdflib.Graph()
    rdf.parse(data=data, format="xml")
    assert len(rdf) > 100 and len(rdf) == len(nq)


def test_second_run_keeps_the_store_and_extracts_nothing(hostile):
    _root, expect, first, second, _conns = hostile
    assert b"0 new, 0 changed" in second.stderr
    n_docs = int(re.search(rb"holds (\d+) document", first.stderr).group(1))
    assert re.search(rb"holds %d document" % n_docs, second.stderr)


def test_zero_connections_to_the_canary(hostile):
    *_, connections = hostile
    assert connections == 0
