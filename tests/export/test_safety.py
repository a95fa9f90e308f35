"""Hostile labels (quotes, angle brackets, ampersands, control and non-BMP characters) give valid files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from kg.export import export, get_exporter
from tests.export.conftest import make_nasty_graph

XML_FORMATS = ["gexf", "graphml", "svg"]
JSON_FORMATS = ["cytoscape", "d3", "jsonld"]
NON_BMP = "\U0001F600"


def _written(fmt, tmp_path):
    spec = get_exporter(fmt)
    if fmt == "svg":
        pytest.importorskip("pydot")
        import shutil

        if shutil.which("dot") is None:
            pytest.skip("Graphviz is not installed")
    return export(make_nasty_graph(), fmt, tmp_path / f"g{spec.suffix}")[0]


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_xml_is_well_formed_and_keeps_the_text(fmt, tmp_path):
    path = _written(fmt, tmp_path)
    root = ET.parse(path).getroot()  # expat: rejects any character XML 1.0 forbids
    text = "".join((el.text or "") + "".join(el.attrib.values()) for el in root.iter())
    assert NON_BMP in text
    assert 'Quote "double" and \'single\' & ampersand' in text
    assert "</script><script>alert(1)</script>" in text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_json_is_strict_utf8_json_and_keeps_the_text(fmt, tmp_path):
    path = _written(fmt, tmp_path)
    raw = path.read_bytes().decode("utf-8")  # strict: no lone surrogates made it to the file
    data = json.loads(raw, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    text = json.dumps(data, ensure_ascii=False)
    assert NON_BMP in raw
    assert all(ord(ch) >= 0x20 or ch == "\n" for ch in raw), "control characters are escaped, never raw"
    # ... and read back as themselves; JSON-LD is RDF, whose literals hold no character XML 1.0
    # forbids (one policy for every RDF syntax, kg.chars.xml_safe): there they read back as U+FFFD
    kept = "Control\ufffd\ufffd" if fmt == "jsonld" else "Control\x00\x01"
    assert any(v.startswith(kept) for v in _strings(data))
    assert "</script><script>alert(1)</script>" in text


def test_html_data_cannot_leave_its_script_element(tmp_path):
    page = _written("html", tmp_path).read_text(encoding="utf-8")
    start = page.index('<script type="application/json" id="kg-data">') + len('<script type="application/json" id="kg-data">')
    block = page[start:page.index("</script>", start)]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "alert(1)" in block and NON_BMP in block
    assert json.loads(block)["nodes"]
