"""``kg build``: bad files are skipped and named, output is written atomically."""

from __future__ import annotations

import os
import stat

import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import EXIT_SKIPPED
from kg.errors import KGError

runner = CliRunner()

GOOD_TEXT = """\
Westbrook Harbor Expands

Nordwind Shipping Co., Ltd. opened a new office in the Harbor Free Trade Zone on Monday. \
The company plans to hire two hundred people.

Officials from the Bayport Harbor Authority visited the Eastfield Science Park. \
Tesla also opened a showroom in Shanghai.
"""

BAD_FILES = {
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    "empty.txt": (b"", "empty file"),
    "notes[draft].txt": ("Caf\u00e9 in Westbrook.\n".encode("latin-1"), "not valid UTF-8"),
}

KG = rdflib.Namespace("https://w3id.org/wild-goose/vocab#")


@pytest.fixture
def sources(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "harbor.txt").write_text(GOOD_TEXT, encoding="utf-8")
    for name, (data, _) in BAD_FILES.items():
        (src / name).write_bytes(data)
    return src


def build(*args: str):
    return runner.invoke(app, ["build", *args])


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


@pytest.mark.model
def test_build_skips_bad_files_names_them_and_still_writes_the_graph(sources, tmp_path):
    out = tmp_path / "out" / "harbor.ttl"
    result = build(str(sources), "-o", str(out), "--quiet")
    assert result.exit_code == EXIT_SKIPPED, result.output  # something was skipped
    for name, (_, reason) in BAD_FILES.items():
        lines = [ln for ln in result.stderr.splitlines() if ln.startswith("skipped ")]
        assert any(str(sources / name) in ln and reason in ln for ln in lines), (name, result.stderr)
    assert str(sources / "harbor.txt") not in result.stderr
    g = rdflib.Graph().parse(out, format="turtle")
    labels = {str(o) for o in g.objects(None, rdflib.RDFS.label)}
    assert {"Nordwind Shipping Co., Ltd.", "Harbor Free Trade Zone", "Bayport Harbor Authority"} <= labels
    docs = list(g.subjects(rdflib.RDF.type, KG.Document))
    assert len(docs) == 1
    assert str(g.value(docs[0], KG.sourceFile)) == str(sources / "harbor.txt")
    assert leftovers(out.parent) == []


@pytest.mark.model
def test_build_without_problems_exits_zero_and_prints_a_summary(sources, tmp_path):
    out = tmp_path / "clean.nt"
    result = build(str(sources / "harbor.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "read 1 file(s), 1 document(s)" in result.stderr
    assert f"to {out}" in result.stderr.replace("\n", " ")
    assert result.stdout == ""  # stdout is kept for results
    assert len(rdflib.Graph().parse(out, format="nt")) > 0


@pytest.mark.model
def test_output_file_gets_ordinary_permissions(sources, tmp_path):
    out = tmp_path / "perm.ttl"
    result = build(str(sources / "harbor.txt"), "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    reference = tmp_path / "made-by-open.txt"
    reference.write_text("x")
    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)


def test_unknown_output_extension_fails_before_any_work(sources, tmp_path):
    out = tmp_path / "graph.xyz"
    result = build(str(sources), "-o", str(out), "--model", "no_such_pipeline_xyz")
    assert result.exit_code == 7, result.output
    assert "unknown RDF format '.xyz'" in result.stderr
    assert ".ttl" in result.stderr  # the message lists the known extensions
    # nothing was read (no skipped files reported) and no model was asked for
    assert "skipped" not in result.stderr
    assert "no_such_pipeline_xyz" not in result.stderr
    assert not out.exists()


def test_unknown_extractor_fails_and_leaves_an_existing_output_unchanged(sources, tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_text("# an earlier graph\n", encoding="utf-8")
    result = build(str(sources), "-o", str(out), "--extractors", "nope")
    assert result.exit_code != 0
    assert "unknown extractor 'nope'" in result.stderr
    assert "known:" in result.stderr
    assert "skipped" not in result.stderr  # failed before reading
    assert out.read_text(encoding="utf-8") == "# an earlier graph\n"
    assert leftovers(tmp_path) == []


@pytest.mark.model
def test_existing_output_is_replaced(sources, tmp_path):
    out = tmp_path / "graph.nt"
    out.write_text("old content that is not N-Triples\n" * 1000, encoding="utf-8")
    result = build(str(sources / "harbor.txt"), "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "old content" not in text
    assert len(rdflib.Graph().parse(data=text, format="nt")) > 0
    assert leftovers(tmp_path) == []


def test_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path):
    from kg.rdf import atomic_write

    out = tmp_path / "graph.ttl"
    out.write_text("previous graph\n", encoding="utf-8")

    def half_then_fail(tmp):
        tmp.write_text("@prefix kg: <https://w3id.org/wild-goose/vocab#> .\n<a> <b> ", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(KGError, match="disk full"):  # one line for the user, no OSError traceback
        atomic_write(out, half_then_fail)
    assert out.read_text(encoding="utf-8") == "previous graph\n"
    assert os.listdir(tmp_path) == ["graph.ttl"]


@pytest.mark.model
def test_missing_input_path_is_reported_and_the_rest_built(sources, tmp_path):
    missing = tmp_path / "nowhere"
    out = tmp_path / "g.ttl"
    result = build(str(missing), str(sources / "harbor.txt"), "-o", str(out), "--quiet")
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert f"skipped {missing}: no such file or directory" in result.stderr
    assert len(rdflib.Graph().parse(out, format="turtle")) > 0


def test_replacing_a_file_keeps_its_mode(tmp_path):
    from kg.rdf import atomic_write

    out = tmp_path / "graph.ttl"
    out.write_text("previous graph\n", encoding="utf-8")
    out.chmod(0o640)
    atomic_write(out, lambda tmp: tmp.write_text("new graph\n", encoding="utf-8"))
    assert out.read_text(encoding="utf-8") == "new graph\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
