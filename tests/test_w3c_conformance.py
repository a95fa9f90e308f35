"""W3C RDF 1.1 test suites (N-Triples, N-Quads, Turtle, TriG, RDF/XML) against
the project's reader (:func:`kg.rdf_parse.parse_rdf`) and writers
(:func:`kg.rdf.write_quads`).

* positive syntax and eval inputs are read with the manifest's base IRI; an
  eval result is isomorphic to the expected N-Triples/N-Quads, literals as
  written (no canonicalisation);
* negative syntax and negative eval inputs are refused (GraphFormatError);
* every graph read is written in every syntax the writers offer and re-read
  strictly (Oxigraph's parsers, not lenient) into an isomorphic graph.

No test is expected to fail. The suites are read from ``../shared/w3c-rdf-tests``
(skipped when absent).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import GraphFormatError
from kg.rdf import FORMATS, write_quads
from kg.rdf_parse import parse_rdf

ROOT = Path(__file__).resolve().parents[1]
SUITES = next((p for p in (ROOT.parent / "shared" / "w3c-rdf-tests" / "rdf" / "rdf11",
                           Path("/work/shared/w3c-rdf-tests/rdf/rdf11")) if p.is_dir()), None)
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SYNTAX = {"rdf-n-triples": ".nt", "rdf-n-quads": ".nq", "rdf-turtle": ".ttl", "rdf-trig": ".trig", "rdf-xml": ".rdf"}
#: every syntax the writers offer (one extension each)
WRITTEN = sorted({fmt: ext for ext, fmt in sorted(FORMATS.items(), reverse=True)}.values())


def _cases() -> list[tuple[str, str, Path, Path | None, str]]:
    """``(suite, kind, action, result, base)`` of every test in the five manifests."""
    if SUITES is None:
        return []
    cases = []
    for suite in SYNTAX:
        folder = SUITES / suite
        manifest = folder / "manifest.ttl"
        quads = list(ox.parse(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=manifest.as_uri()))
        base = next((q.object.value for q in quads if q.predicate.value == MF + "assumedTestBase"),
                    f"https://w3c.github.io/rdf-tests/rdf/rdf11/{suite}/")
        here = folder.as_uri() + "/"
        by_test: dict[str, dict[str, str]] = {}
        for q in quads:
            by_test.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
        for props in by_test.values():
            kind = props.get(RDF_TYPE, "")
            if not kind.startswith(RDFT) or MF + "action" not in props:
                continue
            rel = props[MF + "action"].removeprefix(here)
            action = folder / rel
            result = folder / props[MF + "result"].removeprefix(here) if MF + "result" in props else None
            cases.append((suite, kind[len(RDFT):], action, result, base + rel))
    return sorted(cases, key=lambda c: (c[0], c[2].name))


CASES = _cases()
pytestmark = pytest.mark.skipif(not CASES, reason="the W3C test suites (../shared/w3c-rdf-tests) are not here")


def canonical(quads) -> set[str]:
    """The quads with blank nodes named canonically (RDFC-1.0): equal sets = isomorphic graphs."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


@pytest.mark.parametrize("suite, kind, action, result, base", CASES,
                         ids=[f"{c[0]}/{c[2].relative_to(SUITES / c[0])}" for c in CASES])
def test_w3c(suite, kind, action, result, base, tmp_path):
    fmt = FORMATS[SYNTAX[suite]]
    if "Negative" in kind:
        with pytest.raises(GraphFormatError, match=action.name):
            parse_rdf(action, fmt, base=base)
        return
    quads = parse_rdf(action, fmt, base=base)
    if result is not None:
        expected = ox.parse(path=str(result), format=FORMATS[result.suffix], base_iri=base)
        assert canonical(quads) == canonical(expected)
    want = canonical(quads)
    for ext in WRITTEN:
        out = tmp_path / f"out{ext}"
        write_quads(quads, out)
        back = list(ox.parse(path=str(out), format=FORMATS[ext]))
        if not FORMATS[ext].supports_datasets:  # a triple syntax keeps every graph's triples in one
            want_here = canonical(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        else:
            want_here = want
        assert canonical(back) == want_here, ext


def test_every_suite_is_covered():
    kinds = {(c[0], c[1]) for c in CASES}
    assert {s for s, _ in kinds} == set(SYNTAX)
    assert sum("Negative" in k for _, k in kinds) >= 5 and len(CASES) > 900
