"""One bad input never loses the build (#15): each finding, at the API and the CLI."""

from __future__ import annotations

from kg.errors import EXIT_SKIPPED
import os
import signal
import subprocess
import sys
import xml.parsers.expat
from pathlib import Path

import pytest

import kg
from kg.builder import BuildReport
from kg.errors import GraphFormatError, InputError, KGError
from kg.ingest import MAX_BLOCK_CHARS, read_file
from kg.model import DocInfo, Document, Paragraph

GOOD = "Alice Smith works for Acme Corp in Paris."
HUGE = "Bob Jones joined Globex Group. " + " ".join(["b" * 999] * 1100)  # over spaCy's 1,000,000 characters


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})


# -- reading -------------------------------------------------------------------------------------


def test_a_paragraph_over_a_million_characters_is_cut_at_word_boundaries(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(HUGE + "\n")
    (doc,), _ = read_file(path)
    text = path.read_text()
    assert all(len(p.text) <= MAX_BLOCK_CHARS for p in doc.paragraphs)
    assert all(text[p.start : p.start + len(p.text)] == p.text for p in doc.paragraphs)  # offsets stay exact
    assert doc.paragraphs[0].text.startswith("Bob Jones joined Globex Group.")
    assert sum(len(p.text.split()) for p in doc.paragraphs) == len(HUGE.split())  # no word cut in two


def test_fifo_is_skipped_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("read_file blocked on a FIFO")))
    signal.alarm(10)
    try:
        with pytest.raises(InputError, match="FIFO"):
            read_file(fifo)
    finally:
        signal.alarm(0)


def test_device_links_and_files_over_the_limit_are_skipped(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(InputError, match="character device"):
        read_file(tmp_path / "zero.txt")
    (tmp_path / "big.txt").write_text(GOOD * 100)
    with pytest.raises(InputError, match="limit"):
        read_file(tmp_path / "big.txt", max_file_size=1000)
    assert read_file(tmp_path / "big.txt", max_file_size=10_000)[0]


def test_jsonl_url_is_encoded_or_reported(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "%s", "url": "http://ex.org/a b"}\n{"id": "b", "text": "%s", "url": 9}\n' % (GOOD, GOOD))
    docs, problems = read_file(path)
    assert [d.info.url for d in docs] == ["http://ex.org/a%20b", None]
    assert [p.source for p in problems] == [f"{path}:2"] and "url" in problems[0].reason


def test_a_file_name_that_is_not_utf8_gives_a_valid_source(tmp_path):
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(name, "wb") as fh:
        fh.write(GOOD.encode())
    (doc,), _ = read_file(os.fsdecode(name))
    assert doc.info.source.endswith("caf\\xe9.txt")
    doc.info.source.encode("utf-8")  # no lone surrogate


# -- extracting: per-document isolation ------------------------------------------------------------


def _doc(ident: str, text: str) -> Document:
    return Document(DocInfo(ident, f"{ident}.txt"), (Paragraph(text, 0),))


@pytest.mark.model
def test_a_document_that_fails_is_reported_and_the_rest_built():
    report = BuildReport()
    graph = kg.build(documents=[_doc("good", GOOD), _doc("huge", HUGE)], report=report)  # bypasses ingest's cut
    assert [d.id for d in graph.documents] == ["good"]
    assert [p.source for p in report.problems] == ["huge.txt"] and "extraction failed" in report.problems[0].reason


@pytest.mark.model
def test_store_keeps_the_good_documents_and_reports_the_bad_one_each_run(tmp_path):
    from kg.store import GraphStore

    docs = [_doc(f"good-{k}", f"Person{k} Smith works for Company{k} Corp.") for k in range(40)] + [_doc("huge", HUGE)]
    for _run in range(2):
        problems: list = []
        with GraphStore.open(tmp_path / "s") as store:
            store.update(docs, problems=problems)
            assert len(store.documents()) == 40
        assert [p.source for p in problems] == ["huge.txt"]


@pytest.mark.model
def test_long_document_is_extracted_in_parts_with_progress(monkeypatch):
    from kg import pipeline

    monkeypatch.setattr(pipeline, "PART_CHARS", 200)
    paras = tuple(Paragraph(f"Person{k} Smith works for Company{k} Corp in Paris.", 60 * k) for k in range(12))
    done: list[int] = []
    (res,) = pipeline.process_documents([Document(DocInfo("long", "long.txt"), paras)], on_chars=done.append)
    assert len(done) > 1 and sum(done) == sum(len(p.text) for p in paras)  # the bar moves within one document
    assert {m.text for m in res.mentions} >= {f"Company{k} Corp" for k in range(12)}
    for rel in res.relations:  # indices of later parts were shifted onto their own mentions
        for m in (res.mentions[rel.subject], res.mentions[rel.object]):
            assert rel.sent_start <= m.start < m.end <= rel.sent_end


@pytest.mark.model
def test_cli_store_holds_every_file_beside_a_huge_paragraph(tmp_path):
    for k in range(40):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"good{k:02d}.txt").write_text(f"Person{k} Smith works for Company{k} Corp.\n")
    (tmp_path / "in" / "huge.txt").write_text(HUGE + "\n")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\xff\xfe\x00binary")
    for _run in range(2):
        proc = _kg("build", "in", "--store", "s", cwd=tmp_path)
        assert proc.returncode == EXIT_SKIPPED and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        assert proc.stderr.count("skipped ") == 1 and "skipped in/bad.txt: binary file" in proc.stderr
        assert "holds 41 document(s)" in proc.stderr


# -- writing --------------------------------------------------------------------------------------


def _graph_with_label(label: str, iri: str = "https://w3id.org/wild-goose/id/company/x"):
    from kg.graph import Entity, KnowledgeGraph

    return KnowledgeGraph(documents=[DocInfo("d", "d\x1b.txt", title=label)],
                          entities=[Entity(iri=iri, label=label, cls="Company", alt_labels=(label + "\ud800",))],
                          statements=[], observations=[], run=None)


@pytest.mark.parametrize("label", ["Acme\x01\x02 Corp", "Acme \ufffe\uffff Corp", "Acme\x0b\x0c\x1b[31m Corp", "Acme \ud83d Corp"])
def test_rdfxml_never_holds_what_xml_forbids(tmp_path, label):
    import rdflib

    from kg.chars import xml_safe

    path = _graph_with_label(label).write(tmp_path / "g.rdf")
    xml.parsers.expat.ParserCreate().Parse(path.read_bytes(), True)
    g = rdflib.Graph().parse(path, format="xml")
    assert {str(o) for o in g.objects(None, rdflib.RDFS.label)} == {xml_safe(label)}


def test_a_bad_iri_is_a_kgerror_not_a_bare_valueerror(tmp_path):
    with pytest.raises(GraphFormatError) as info:
        _graph_with_label("Acme", iri="not an iri").write(tmp_path / "g.ttl")
    assert isinstance(info.value, KGError)


# -- the terminal ---------------------------------------------------------------------------------


@pytest.mark.model
def test_skipped_lines_and_query_tables_escape_control_sequences(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "evil\x1b]0;owned\x07.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "in" / "ok.txt").write_text("Acme\x1b[2J Corp hired Alice Smith.\n")
    proc = _kg("build", "in", "-o", "g.ttl", cwd=tmp_path)
    assert proc.returncode == EXIT_SKIPPED and "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert "skipped in/evil\\x1b]0;owned\\x07.txt: binary file" in proc.stderr
    (tmp_path / "q.ttl").write_text(  # a foreign graph may hold ESC and BEL
        '<http://e.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "Acme\\u001B]0;owned\\u0007 Corp" .\n')
    q = _kg("query", "q.ttl", "SELECT ?l WHERE { ?e rdfs:label ?l }", cwd=tmp_path)
    assert q.returncode == 0 and "\x1b" not in q.stdout and "\\x1b]0;owned\\x07" in q.stdout, q.stdout
