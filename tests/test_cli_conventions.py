"""`kg` behaves like rdfpipe, oxigraph and ripgrep: --version, completion, - for stdin/stdout,
one exit status per meaning, progress in CI logs, quiet on a closed pipe, help without Python types."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from kg import __version__
from kg.errors import (EXIT_CODES, EXIT_MEANINGS, EXIT_SKIPPED, EXIT_USAGE, GraphFormatError, MissingDependencyError,
                       NoInputError, exit_status_table)
from tests.conftest import ROOT
from tests.test_query import tiny_graph

KG = [sys.executable, "-m", "kg"]
COMMANDS = ["build", "query", "validate", "eval", "export", "stats", "serve", "push", "remove", "extractors",
            "learn", "inspect", "learn-relations"]


def kg(*args: str, stdin: bytes | None = None, env: dict | None = None, cwd: Path | None = None):
    return subprocess.run([*KG, *map(str, args)], input=stdin, capture_output=True, cwd=cwd or ROOT,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("conventions") / "tiny.ttl"
    tiny_graph().write(path)
    return path


def test_version_prints_the_package_version():
    result = kg("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"kg (wild-goose-kg) {__version__}"


def test_shell_completion_is_offered():
    assert b"--install-completion" in kg("--help").stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_metavars_not_python_types(command):
    result = kg(command, "--help")
    text = result.stdout.decode()
    assert result.returncode == 0, text
    assert not re.search(r"<(list\[[^\]]*\]|bool|str|int|float|path|int range|float range)>", text), text
    assert not re.search(r"\{[a-z_]+\}", text), text  # `{paths}` in the usage line


def test_closed_pipe_ends_quietly_with_status_0(graph_file):
    for args in (["--help"], ["query", str(graph_file), "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"]):
        proc = subprocess.Popen([*KG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
        proc.stdout.close()  # the reader is gone before kg writes a byte (as `| head -0` would be)
        stderr = proc.stderr.read()
        assert proc.wait() == 0, stderr
        assert stderr == b"", stderr


def test_query_reads_the_query_from_standard_input(graph_file):
    result = kg("query", graph_file, "-", "--format", "csv",
                stdin=b"SELECT ?label WHERE { ?e a kg:Company ; rdfs:label ?label }")
    assert result.returncode == 0, result.stderr
    assert list(csv.reader(io.StringIO(result.stdout.decode()))) == [["label"], ["Acme Robotics Co., Ltd."]]


def test_export_to_standard_output_writes_no_file_named_dash(graph_file, tmp_path):
    result = kg("export", graph_file, "--format", "gexf", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"<?xml") and b"Acme Robotics" in result.stdout
    assert list(tmp_path.iterdir()) == []
    many = kg("export", graph_file, "--format", "csv", "-o", "-", cwd=tmp_path)
    assert many.returncode == 1 and b"give -o DIR" in many.stderr and list(tmp_path.iterdir()) == []


def test_build_to_standard_output_needs_a_format(tmp_path):
    (tmp_path / "a.txt").write_text("Acme Corporation opened an office.\n", encoding="utf-8")
    result = kg("build", "a.txt", "-o", "-", cwd=tmp_path)
    assert result.returncode == EXIT_CODES[GraphFormatError]
    assert b"give --format" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.model
def test_build_reads_standard_input_and_writes_standard_output_with_progress(tmp_path):
    text = b"Alice Chen works for Acme Corporation in Shanghai.\n\nBob Li joined Acme Corporation.\n"
    (tmp_path / "b.txt").write_text("Carol Wu founded Initech in Austin.\n", encoding="utf-8")
    result = kg("build", "-", "b.txt", "-o", "-", "--format", "nt", stdin=text, cwd=tmp_path,
                env={"KG_PROGRESS_SECONDS": "0"})
    assert result.returncode == 0, result.stderr
    g = rdflib.Graph().parse(data=result.stdout.decode(), format="nt")
    labels = {str(o) for o in g.objects(None, rdflib.RDFS.label)}
    assert {"Acme Corporation", "Initech"} <= labels
    # stderr is a pipe here, as in a CI log: plain progress lines, not a silent live bar
    progress = [ln for ln in result.stderr.decode().splitlines() if ln.startswith("building ")]
    assert [ln.split()[1] for ln in progress] == ["1/2", "2/2"], result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt"]


def test_nothing_to_read_is_an_error_and_writes_nothing(tmp_path):
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    out = tmp_path / "g.ttl"
    for path in (folder, tmp_path / "nowhere"):
        result = kg("build", path, "-o", out)
        assert result.returncode == EXIT_CODES[NoInputError] == 15, result.stderr
        assert str(path).encode() in result.stderr and b"nothing to read" in result.stderr
        assert not out.exists()


def test_every_exit_status_has_one_meaning_and_skipped_is_not_a_usage_error():
    assert set(EXIT_CODES.values()) <= set(EXIT_MEANINGS)
    assert EXIT_SKIPPED != EXIT_USAGE
    assert len(set(EXIT_MEANINGS.values())) == len(EXIT_MEANINGS)


def test_readme_exit_status_table_is_the_one_errors_py_makes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- exit-status: python -m kg.errors -->\n(.*?)<!-- /exit-status -->", readme, re.DOTALL)
    assert m, "README lacks the exit status table"
    assert m.group(1) == exit_status_table()
    generated = subprocess.run([sys.executable, "-m", "kg.errors"], capture_output=True, text=True, cwd=ROOT)
    assert generated.stdout == exit_status_table()


def test_docs_state_the_exit_status_the_code_returns():
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    assert f"exit status {EXIT_CODES[MissingDependencyError]}" in text
    assert "exit status 1)" not in text


def test_validate_reports_a_graph_that_does_not_conform_with_its_own_status(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/wild-goose/vocab#> .\n"
                   "<https://w3id.org/wild-goose/id/company/x> a kg:Company .\n", encoding="utf-8")
    result = kg("validate", bad)
    assert result.returncode == 16, result.stderr
    assert EXIT_MEANINGS[16].startswith("`kg validate`")
