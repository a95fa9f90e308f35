"""``kg export -``: the graph read from standard input, in any RDF syntax, with clear errors (#15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.export.conftest import make_small_graph

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, bytes]:
    """The small graph in every syntax ``kg build`` writes."""
    folder = tmp_path_factory.mktemp("syntaxes")
    out = {}
    for ext in ("ttl", "nt", "nq", "trig", "jsonld", "rdf"):
        make_small_graph().write(folder / f"g.{ext}")
        out[ext] = (folder / f"g.{ext}").read_bytes()
    return out


def _d3(result, path: Path) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("ext", ["ttl", "nt", "nq", "trig", "jsonld", "rdf"])
def test_every_syntax_is_told_from_its_bytes(ext, written, tmp_path):
    from_file = _d3(runner.invoke(app, ["export", str(_file(tmp_path, ext, written)), "-f", "d3", "-o",
                                        str(tmp_path / "file.json")]), tmp_path / "file.json")
    piped = _d3(runner.invoke(app, ["export", "-", "-f", "d3", "-o", str(tmp_path / "pipe.json")], input=written[ext]),
                tmp_path / "pipe.json")
    assert piped == from_file and len(piped["nodes"]) == 5 and len(piped["links"]) == 5


def _file(folder: Path, ext: str, written: dict[str, bytes]) -> Path:
    path = folder / f"g.{ext}"
    path.write_bytes(written[ext])
    return path


def test_input_format_names_the_syntax(written, tmp_path):
    result = runner.invoke(app, ["export", "-", "--input-format", "nq", "-f", "d3", "-o", str(tmp_path / "g.json")],
                           input=written["nq"])
    assert len(_d3(result, tmp_path / "g.json")["nodes"]) == 5
    wrong = runner.invoke(app, ["export", "-", "--input-format", "rdf", "-f", "d3", "-o", str(tmp_path / "h.json")],
                          input=written["ttl"])
    assert wrong.exit_code == 7 and "standard input: cannot parse as RDF/XML" in " ".join(wrong.output.split())
    assert not (tmp_path / "h.json").exists()


def test_unknown_input_format_is_a_usage_error(written, tmp_path):
    result = runner.invoke(app, ["export", "-", "-i", "bogus", "-f", "d3", "-o", str(tmp_path / "g.json")],
                           input=written["ttl"])
    output = " ".join(result.output.split())
    assert result.exit_code == 2 and "--input-format" in output and "unknown RDF format" in output


@pytest.mark.parametrize("data, problem", [
    (b"", "standard input: empty"),
    (b"hello, this is not RDF", "standard input: cannot parse as TriG"),
    (b"\xff\xfe\x00\x01binary", "Invalid UTF-8"),
    (b'{"@id": ', "standard input: cannot parse as JSON-LD"),
])
def test_unreadable_input_is_one_clear_error(data, problem, tmp_path):
    result = runner.invoke(app, ["export", "-", "-f", "gexf", "-o", str(tmp_path / "g.gexf")], input=data)
    assert result.exit_code == 7 and problem in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output and not (tmp_path / "g.gexf").exists()


def test_a_real_pipe_from_kg_build_style_output(written, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "kg", "export", "-", "-f", "d3", "-o", "-"], input=written["trig"],
                          capture_output=True, timeout=120, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(json.loads(proc.stdout)["links"]) == 5 and b"standard output" in proc.stderr
